"""Sorties of a draft: the sortie being drafted, its mission-file entry, take-off times and claims."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..claims import Qualifier
from ..performance import load_aircraft_catalog
from . import extract as ex
from .text import Sentence


@dataclass(kw_only=True)
class DraftSortie:
    name: str
    aircraft: str
    role: str
    mentions: list[ex.Mention]
    escort: bool = False
    route: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    avoid: list[str] = field(default_factory=list)


def draft_claims(claims: Sequence[ex.ClaimMention], sorties: dict[str, DraftSortie], main: DraftSortie | None,
            aircraft: Sequence[ex.Mention], review: list[str],
            unnamed: Sequence[DraftSortie] = ()) -> list[dict[str, Any]]:  # fmt: skip
    out: list[dict[str, Any]] = []
    seen: set[tuple[str, float, float]] = set()
    for c in claims:
        key = (c.claim.quantity.value, c.claim.low, c.claim.high)
        if key in seen:
            continue
        seen.add(key)
        item: dict[str, Any] = {"quantity": c.claim.quantity.value, "value": c.words.strip(), "source": c.sentence.text}
        if c.claim.qualifier not in (Qualifier.ROUNDED,) and c.claim.qualifier is not None:
            item["qualifier"] = c.claim.qualifier.value
            item["value"] = (
                re.sub(rf"^\s*{re.escape(c.words.split()[0])}\s+", "", c.words)
                if c.words.lower().startswith(tuple(ex.QUALIFIER_WORDS))
                else c.words
            )
            item["value"] = _strip_qualifier(c.words)
        named = [a for a in aircraft if a.sentence == c.sentence and a.value in sorties]
        described = next((s for s in unnamed if s.route and s.mentions[0].sentence == c.sentence), None)
        if named:
            item["sortie"] = sorties[named[0].value].name
        elif described is not None:  # "aircraft that flew from an airbase ... more than five hours' flying time"
            item["sortie"] = described.name
            item["note"] = (
                "review: said in the sentence that describes this sortie (whose aircraft it does not "
                "name); check what the figure measures"
            )
        elif main is not None and re.search(
            r"\b(mission|flight|sortie|raid|bombers?|strike)\b", c.sentence.text, re.IGNORECASE
        ):
            item["sortie"] = main.name
            item["note"] = "review: the sentence names no aircraft; drafted for the main sortie"
        else:
            item["note"] = "review: the text does not say which sortie this figure is about"
        out.append(item)
    return out


def _strip_qualifier(words: str) -> str:
    low = words.lower()
    for q in sorted(ex.QUALIFIER_WORDS, key=len, reverse=True):
        if low.startswith(q + " "):
            return words[len(q) :].strip()
    return words.strip()


#: words saying that a sentence's time is the take-off
_TAKEOFF_WORDS = re.compile(
    r"\b(?:took off|take off|taking off|takes off|take-?off|departed|departing|left|scrambled)\b", re.IGNORECASE
)


def takeoff_times(
    text: str,
    sentences: Sequence[Sentence],
    sorties: dict[str, DraftSortie],
    aircraft: Sequence[ex.Mention],
    day: dt.date,
    review: list[str],
) -> dict[str, tuple[dt.datetime, str, Sentence]]:
    out: dict[str, tuple[dt.datetime, str, Sentence]] = {}
    for t in ex.find_times(text, sentences):
        if not ex.is_mission_sentence(t.sentence):
            continue
        owner = ex.nearest_before(list(aircraft), t.start)
        key = owner.value if owner else (next(iter(sorties)) if sorties else "")
        if key in out or key not in sorties:
            continue
        when = dt.datetime(day.year, day.month, day.day, t.hour, t.minute, tzinfo=dt.UTC)
        doubts = []
        if t.offset_h is None:
            doubts.append(f"time {t.hour:02d}:{t.minute:02d} {t.zone or 'with no zone'} read as UTC")
        else:
            when -= dt.timedelta(hours=t.offset_h)
        if not _TAKEOFF_WORDS.search(t.sentence.text):
            # "dropped ... on Fordow and Natanz shortly after 23:40 GMT": the strike's time, not the take-off
            doubts.append(f"time {t.hour:02d}:{t.minute:02d} read as the take-off from a sentence that does not say so")
        note = "review: " + "; ".join(doubts) if doubts else ""
        if note:
            review.append(f"{sorties[key].name}: {note[8:]}")
        out[key] = (when, note, t.sentence)
    return out


def sortie_item(
    s: DraftSortie, takeoff: tuple[dt.datetime, str, Sentence] | None, day: dt.date, review: list[str]
) -> dict[str, Any]:
    counts = [m.count for m in s.mentions if m.count is not None]
    first = s.mentions[0]
    item: dict[str, Any] = {"name": s.name, "aircraft": s.aircraft}
    notes = list(s.notes)
    if counts:
        item["count"] = counts[0]
        if len(set(counts)) > 1:
            notes.append(f"review: count given several ways ({', '.join(map(str, sorted(set(counts))))})")
    else:
        plural = any(
            re.match(
                r"(?:s\b|\s+(?:\w+\s+)?(?:bombers|fighters|jets|aircraft|planes|tankers)\b)",
                m.sentence.text[m.end - m.sentence.start :],
            )
            for m in s.mentions
        )
        item["count"] = 2 if plural else 1
        notes.append(f"review: count not given; {item['count']} drafted")
        review.append(f"{s.name}: count not given")
    if takeoff is not None:
        when, note, _ = takeoff
        item["takeoff"] = when.isoformat().replace("+00:00", "Z")
        if note:
            notes.append(note)
    else:
        item["takeoff"] = f"{day.isoformat()}T00:00:00Z"
        notes.append("filled: take-off time not in the text (00:00 UTC)")
    speed = _catalogue_speed(s.aircraft)
    item["speed"] = speed
    if load_aircraft_catalog().get(s.aircraft) is None:
        notes.append(f"filled: speed {speed} assumed; the catalogue has no cruise speed for '{s.aircraft}'")
    else:
        notes.append(f"filled: speed {speed} is the performance catalogue's cruise speed")
    item["source"] = first.sentence.text
    if s.avoid:
        item["avoid"] = s.avoid
    item["notes"] = "; ".join(notes)
    item["route"] = [{k: v for k, v in w.items() if k != "_pos"} for w in s.route]
    return item


def _catalogue_speed(aircraft: str) -> str:
    entry = load_aircraft_catalog().get(aircraft)
    fig = entry.cruise_speed_kmh if entry is not None else None
    if fig is None:
        return "800 km/h"
    if fig.min == fig.max:
        return f"{fig.min:.0f} km/h"
    return f"{fig.min:.0f}-{fig.max:.0f} km/h"
