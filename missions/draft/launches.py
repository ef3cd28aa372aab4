"""Launches in article text: the weapon (named, or the catalogue's weapon for the platform), count, targets."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from geodata.places import PlaceIndex

from ..performance import load_weapons_catalog
from . import extract as ex
from .text import Sentence

_TARGET_RE = re.compile(
    r"\b(?:at|on|against|(?:targets?|sites?|positions?) (?:in|around|near)|targeting|struck|hit|hitting|into)\s+$",
    re.IGNORECASE,
)
#: earlier names of a list before a place: "at targets around Tripoli and " before "Misrata"
_LIST_BEFORE = re.compile(r"(?:(?:the\s+)?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*\s*(?:,|,?\s+and)\s+)+$")


def _is_target(sentence: Sentence, p: ex.PlaceMention) -> bool:
    """A target kind of place, or one named right after a target word (or in a list that follows one)."""
    if p.place.kind == "target":
        return True
    before = sentence.text[: p.start - sentence.start][-80:].replace(" the ", " ").rstrip() + " "
    return bool(_TARGET_RE.search(_LIST_BEFORE.sub("", before)))


def _targets(
    m: ex.Mention, places: Sequence[ex.PlaceMention], index: PlaceIndex, review: list[str]
) -> tuple[list[str], str]:
    """Places named as targets in the launch sentence; else target places named anywhere (marked)."""
    same = [p for p in places if p.sentence == m.sentence and p.start > m.start]
    same = [p for p in same if p.place.kind not in ("sea", "ocean", "strait")]
    named = [p.place.label for p in same if _is_target(m.sentence, p)]
    if named:
        return list(dict.fromkeys(named)), ""
    elsewhere = [p.place.label for p in places if p.place.kind == "target" or (
        p.place.kind not in (*_WATER, *_AIRFIELDS) and _LAUNCH_WORDS.search(p.sentence.text)
        and _is_target(p.sentence, p))]  # fmt: skip
    if elsewhere:
        return list(dict.fromkeys(elsewhere))[:4], "review: targets named elsewhere in the text"
    words = re.search(r"targets? in ([A-Z][\w-]+)", m.sentence.text)
    code = index.country_code(words.group(1)) if words else None
    if code:
        towns = [p for p in index.curated_places() if p.country_code == code and p.kind == "target"]
        if towns:
            return [towns[0].label], f"filled: the text says only 'targets in {words.group(1)}'"  # type: ignore[union-attr]
    return [], ""


_WATER = ("sea", "ocean", "strait", "gulf", "area")
_AIRFIELDS = ("airbase", "airport", "closed_airfield", "seaplane_base")
_LAUNCH_WORDS = re.compile(r"\b(?:launch\w*|fired|fire|struck|strike|strikes|bombed|hit|targets?)\b", re.IGNORECASE)


def _weapon_for(platform: str, sentence: Sentence, text: str) -> str | None:
    catalogue = load_weapons_catalog().values()
    fits = [w for w in catalogue if platform in (w.launch_platforms or ())]
    if platform in ("surface ship", "submarine"):
        russian = len(re.findall(r"\bRussia", text)) > len(
            re.findall(r"\b(?:U\.S\.|American|United States|US Navy|Pentagon|NATO)", text)
        )
        fits = [w for w in fits if ("Kalibr" in w.name) == russian]
    low = sentence.text.lower()
    cruise = [w for w in fits if "cruise" in (w.kind or "")]
    if "cruise" in low and cruise:
        fits = cruise
    return fits[0].name if fits else None


def ship_launch(
    m: ex.Mention,
    text: str,
    places: Sequence[ex.PlaceMention],
    launch_from: dict[Sentence, ex.PlaceMention],
    day: dt.date,
    index: PlaceIndex,
    review: list[str],
) -> dict[str, Any] | None:
    origin = launch_from.get(m.sentence)
    if origin is None:
        review.append(f"ship launch with no sea named: {m.sentence.text[:100]}")
        return None
    platform_kind = "submarine" if "submarine" in m.sentence.text.lower() else "surface ship"
    notes = []
    weapon = m.value or _weapon_for(platform_kind, m.sentence, text)
    if weapon is None:
        return None
    if not m.value:
        notes.append(f"filled: the text says '{m.words}'; {weapon} is the catalogue's {platform_kind} cruise missile")
        review.append(f"ship launch from {origin.place.label}: weapon {weapon} filled")
    targets, why = _targets(m, places, index, review)
    if not targets:
        review.append(f"ship launch from {origin.place.label}: no target named")
        return None
    if why:
        notes.append(why)
    item: dict[str, Any] = {
        "platform": f"ships in the {origin.place.name}",
        "from": origin.place.label,
        "time": f"{day.isoformat()}T00:00:00Z",
        "weapon": weapon,
    }
    if m.count:
        item["count"] = m.count
    item["targets"] = targets
    item["source"] = m.sentence.text
    notes.append("filled: launch time not in the text (00:00 UTC)")
    item["note"] = "; ".join(notes)
    return item


def air_launch(m: ex.Mention, aircraft: str, route: list[dict[str, Any]], places: Sequence[ex.PlaceMention],
               index: PlaceIndex, review: list[str], seen: set[tuple[str, str]]) -> dict[str, Any] | None:  # fmt: skip
    """Put the launch on the route point named before it in its sentence (or the farthest point)."""
    if not route:
        return None
    notes = []
    weapon = m.value or _weapon_for(aircraft, m.sentence, "")
    if weapon is None:
        return None
    if (aircraft, weapon) in seen:
        return None
    if not m.value:
        notes.append(f"filled: the text says '{m.words}'; {weapon} is a catalogue weapon of the {aircraft}")
        review.append(f"{aircraft}: weapon {weapon} filled for '{m.words}'")
    before = [p.place.label for p in places if p.sentence == m.sentence and p.start < m.start]
    at = next((w for w in reversed(route) if w["place"] in before), None)
    if at is None:
        at = route[-1] if len(route) < 3 else route[len(route) // 2]
        notes.append("review: launch point not given; drafted on the route")
    if "launch" in at:
        return None
    targets, why = _targets(m, places, index, review)
    if not targets:
        targets = [at["place"]]
        notes.append("review: no target named; the launch point is drafted as the target")
    if why:
        notes.append(why)
    event = launch_event(weapon, m.count, targets, m.sentence, notes)
    at["launch"] = event
    seen.add((aircraft, weapon))
    return event


def launch_event(
    weapon: str, count: int | None, targets: list[str], sentence: Sentence, notes: Sequence[str]
) -> dict[str, Any]:
    """A route point's ``launch``: weapon, count (when the text gives one), targets, sentence, notes."""
    event: dict[str, Any] = {"weapon": weapon}
    if count:
        event["count"] = count
    event["targets"] = targets
    event["source"] = sentence.text
    if notes:
        event["note"] = "; ".join(notes)
    return event
