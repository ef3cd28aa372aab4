"""Precision and recall of drafts against hand-written extractions (``tests/data/articles/expected.yaml``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..claims import parse_claim_text
from .build import Draft
from .unnamed import UNNAMED_AIRCRAFT

FIELDS = ("places", "aircraft", "counts", "weapons", "claims")


def drafted_fields(draft: Draft) -> dict[str, set[Any]]:
    """The sets the score compares: place names, aircraft types, (type, count), weapons, claim intervals."""
    data = draft.data
    places: set[Any] = set()
    aircraft: set[Any] = set()
    counts: set[Any] = set()
    weapons: set[Any] = set()
    for s in data.get("sorties", []):
        if s["aircraft"] != UNNAMED_AIRCRAFT:  # a type the text does not name is no aircraft read
            aircraft.add(s["aircraft"])
        if "review: count not given" not in s.get("notes", ""):
            counts.add((s["aircraft"], s["count"]))
        for w in s["route"]:
            places.add(w.get("name", w["place"]))  # a country or offset point: its name, not its coordinates
            if "refuel" in w and "tanker" in w["refuel"]:
                aircraft.add(w["refuel"]["tanker"])
            if "launch" in w:
                places.update(w["launch"]["targets"])
                if "filled: the text says" not in w["launch"].get("note", "") and s["aircraft"] != UNNAMED_AIRCRAFT:
                    weapons.add(w["launch"]["weapon"])
    for launch in data.get("launches", []):
        places.add(launch["from"])
        places.update(launch["targets"])
        if "filled: the text says" not in launch.get("note", ""):
            weapons.add(launch["weapon"])
    claims = {_claim_key(c["quantity"], c["value"], c.get("qualifier")) for c in data.get("claims", [])}
    return {"places": places, "aircraft": aircraft, "counts": counts, "weapons": weapons, "claims": claims}


def _claim_key(quantity: str, value: str, qualifier: str | None = None) -> tuple[str, float, float]:
    c = parse_claim_text(value, qualifier=qualifier) if qualifier else parse_claim_text(value)
    return (quantity, round(c.low, 3), round(c.high, 3))


def expected_fields(expected: Mapping[str, Any]) -> dict[str, set[Any]]:
    return {
        "places": set(expected["places"]),
        "aircraft": set(expected["aircraft"]),
        "counts": {(k, v) for k, v in expected["counts"].items()},
        "weapons": set(expected["weapons"]),
        "claims": {_claim_key(q, v) for q, v in expected["claims"]},
    }


def score(
    pairs: Iterable[tuple[dict[str, set[Any]], dict[str, set[Any]]]],
) -> dict[str, tuple[float, float, int, int, int]]:
    """Per field over all articles: precision, recall, true positives, false positives, misses."""
    totals = {f: [0, 0, 0] for f in FIELDS}
    for got, want in pairs:
        for f in FIELDS:
            totals[f][0] += len(got[f] & want[f])
            totals[f][1] += len(got[f] - want[f])
            totals[f][2] += len(want[f] - got[f])
    out = {}
    for f, (tp, fp, fn) in totals.items():
        out[f] = (tp / (tp + fp) if tp + fp else 1.0, tp / (tp + fn) if tp + fn else 1.0, tp, fp, fn)
    return out
