"""A draft sortie's route points: places in text order, the base first, described bases filled,
routing phrases ("around Europe", "avoiding NATO"), escorts joined and routes closed.

Helpers of :func:`missions.draft.build.draft_mission`; each edits a :class:`~.sorties.DraftSortie`'s
route in place and adds what to review to ``review``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from geodata.places import Place, PlaceIndex, distance_m

from ..errors import MissionError
from . import extract as ex
from . import indirect
from .sorties import DraftSortie
from .text import Sentence

ARCTIC_CIRCLE_DEG = 66.56
#: "around Europe": the planned stretch from the north to the Mediterranean (the curated points)
AROUND_EUROPE = ("Norwegian Sea", "West of the British Isles", "Strait of Gibraltar")
_AROUND_EUROPE_RE = re.compile(
    r"\b(?:circumnavigat\w*|around|round)\s+(?:the\s+)?(?:western\s+)?Europe\b", re.IGNORECASE
)
_AVOID_RE = re.compile(r"\bavoid\w*\s+(?:the\s+)?(NATO|EU|European Union)\b", re.IGNORECASE)


def add_named_point(s: DraftSortie, point: indirect.NamedPoint, review: list[str]) -> None:
    """A point the index does not hold (a country, an offset from a place), in text order, marked."""
    item: dict[str, Any] = {"place": f"{point.lat_deg:.4f}, {point.lon_deg:.4f}", "name": point.name,
                            "source": point.sentence.text, "note": point.note, "_pos": point.start}  # fmt: skip
    at = next((i for i, w in enumerate(s.route) if w.get("_pos", -1) > point.start), len(s.route))
    if any(w.get("name") == point.name for w in s.route):
        return
    s.route.insert(at, item)
    review.append(f"{s.name}: {point.note}")


def add_point(s: DraftSortie, place: Place, sentence: Sentence, note: str, pos: int) -> None:
    if s.route and s.route[-1]["place"] == place.label:
        return
    item: dict[str, Any] = {"place": place.label, "source": sentence.text, "_pos": pos}
    if note:
        item["note"] = note
    s.route.append(item)


_TOOK_OFF = re.compile(
    r"\b(?:took off|take off|taking off|departed|flew|flights?|left|launched|based)\s+"
    r"(?:from\s+)?(?:[\w’'-]+\s+){0,4}$",
    re.IGNORECASE,
)


def takeoff_first(s: DraftSortie, text: str) -> None:
    """The place the text says the aircraft took off from goes first."""
    for i, w in enumerate(s.route):
        pos = w.get("_pos", 0)
        if _TOOK_OFF.search(text[max(0, pos - 60) : pos]):
            if i:
                s.route.insert(0, s.route.pop(i))
            return


def described_base(
    s: DraftSortie,
    index: PlaceIndex,
    sentences: Sequence[Sentence],
    review: list[str],
    text: str = "",
    aircraft: Sequence[ex.Mention] = (),
) -> None:
    """'an airbase north of the Arctic Circle', 'an airbase in Syria', 'an airfield in the Caucasus': the
    curated airfield that fits (in that country, or within 700 km of that region), one the text names
    elsewhere first ("Flights from Mozdok ...")."""
    own = [m.sentence for m in s.mentions]
    own += [t for t in sentences if t not in own and indirect.refers_to(s.aircraft, t, aircraft)]
    for sentence in own:
        low = sentence.text.lower()
        found = re.search(
            r"(?:air ?base|airfield|base)\s+(north of the arctic circle|in ((?:the\s+)?[A-Z][\w ]+?))(?=[\s,.;]|$)",
            sentence.text,
            re.IGNORECASE,
        )
        if not found or not re.search(r"\b(?:from|took off|departed|based)\b", low):
            continue
        airfields = index.curated_places("airport")
        if "arctic" in found.group(1).lower():
            russian = s.aircraft.startswith(("Tu-", "Su-", "Il-", "MiG-"))
            fits = [p for p in airfields if p.lat_deg > ARCTIC_CIRCLE_DEG and (p.country_code == "RU") == russian]
            what = "north of the Arctic Circle"
        else:
            where = found.group(2).strip()
            code = index.country_code(where)
            fits = [p for p in airfields if code and p.country_code == code]
            if not code:
                region = _region(index, where)
                fits = [p for p in airfields if region and distance_m(region, (p.lat_deg, p.lon_deg)) < 700_000]
            what = f"in {where}"
        named = [p for p in fits if re.search(rf"\b{re.escape(p.name.split()[0])}\b", text)]
        fits = named + [p for p in fits if p not in named]
        if not fits:
            continue
        note = f"filled: the text says only 'an airbase {what}'; {fits[0].name} is the curated airfield that fits"
        s.route.insert(0, {"place": fits[0].label, "source": sentence.text, "_pos": sentence.start + found.start(),
                           "note": note})  # fmt: skip
        review.append(f"{s.name}: base {fits[0].name} filled from 'an airbase {what}'")
        return


def _region(index: PlaceIndex, words: str) -> tuple[float, float] | None:
    """The point of a region, area or sea of the index that ``words`` names ("the Caucasus"), else None."""
    try:
        place = index.resolve(re.sub(r"^the\s+", "", words, flags=re.IGNORECASE))
    except LookupError:
        return None
    return (place.lat_deg, place.lon_deg) if place.kind in ("region", "area", "sea", "island") else None


def routing_phrases(s: DraftSortie, text: str, sentences: Sequence[Sentence], day: dt.date, review: list[str],
                     aircraft: Sequence[ex.Mention]) -> None:  # fmt: skip
    own = {m.sentence for m in s.mentions}
    for sentence in own:
        m = _AROUND_EUROPE_RE.search(sentence.text)
        if m:
            pos = sentence.start + m.start()
            at = next((i for i, w in enumerate(s.route) if w.get("_pos", -1) > pos), len(s.route))
            have = {w["place"] for w in s.route}
            new = [
                {
                    "place": p,
                    "source": sentence.text,
                    "note": f"filled: planned stretch for '{m.group(0)}'",
                    "_pos": pos,
                }
                for p in AROUND_EUROPE
                if p not in have
            ]
            s.route[at:at] = new
            review.append(f"{s.name}: '{m.group(0)}' drafted as {', '.join(AROUND_EUROPE)}")
        a = _AVOID_RE.search(sentence.text)
        if a:
            from ..airspace.groups import resolve_avoid

            group = "NATO" if a.group(1).upper() == "NATO" else "EU"
            try:
                s.avoid = sorted(resolve_avoid(group, day).codes)
            except MissionError:
                review.append(f"{s.name}: cannot resolve '{a.group(0)}' on {day}")


def escort(s: DraftSortie, main: DraftSortie, index: PlaceIndex, review: list[str]) -> None:
    own = {w["place"] for w in s.route}
    at = (
        next((w for w in main.route if w["place"] in own), None)
        or next((w for w in main.route if "launch" in w), None)
        or (main.route[len(main.route) // 2] if main.route else None)
    )
    if at is None:
        return
    source = s.mentions[0].sentence.text
    join = {"place": at["place"], "source": source, "join": {"sortie": main.name, "source": source},
            "note": "review: escort meeting point drafted at the escorted sortie's launch point"}  # fmt: skip
    base = s.route[0] if s.route and s.route[0]["place"] != at["place"] else None
    s.route = (
        [base, join]
        if base is not None
        else [join, {"place": at["place"], "source": source, "note": "filled: the text names no base"}]
    )
    at.setdefault("join", {"sortie": s.name, "source": source})
    review.append(f"{s.name}: joins {main.name} at {at['place']} (drafted)")


def close_route(s: DraftSortie, text: str, review: list[str]) -> None:
    if not s.route:
        return
    first = s.route[0]
    low = " ".join(m.sentence.text.lower() for m in s.mentions)
    returns = any(w in low for w in ex.LEXICON["return_words"]) or s.escort
    if returns and s.route[-1]["place"] != first["place"]:
        s.route.append(
            {"place": first["place"], "source": first["source"], "note": "filled: return to the base of departure"}
        )
    elif len(s.route) == 1:
        s.route.append({"place": first["place"], "source": first["source"], "note": "filled: round trip assumed"})
        review.append(f"{s.name}: one place named; drafted as a round trip")
