"""Strikes flown by aircraft the text does not name: "air-launched missiles fired from aircraft that flew
from an airbase in the Caucasus". Each becomes a sortie whose base is read (or filled from a described base)
and whose aircraft type is left for the user to give: the mission format needs a type, so the drafted
``aircraft`` is :data:`UNNAMED_AIRCRAFT`, which no catalogue holds, marked for review (an aircraft the
catalogue lacks never stops distances and timings). Nothing here invents a type."""

from __future__ import annotations

import re
from collections.abc import Sequence

from geodata.places import PlaceIndex

from . import extract as ex
from .sorties import DraftSortie
from .text import Sentence

#: the ``aircraft`` of a sortie whose type the text does not name (no catalogue entry: the user gives it)
UNNAMED_AIRCRAFT = "type not named (give it)"

#: "aircraft that flew from an airbase", "warplanes which took off from a base"
_UNNAMED = re.compile(
    r"\b(?:aircraft|planes|warplanes|jets)\s+(?:that\s+|which\s+)?(?:flew|took off|departed|flying|taking off)\s+"
    r"from\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,2}?(?:air ?base|airfield|air station|base)\b",
    re.IGNORECASE,
)
_FIRED = re.compile(r"\b(?:fired|launched|dropped|released)\b", re.IGNORECASE)


def find_unnamed_sorties(sentences: Sequence[Sentence], aircraft: Sequence[ex.Mention]) -> list[DraftSortie]:
    """One sortie per sentence that says aircraft of no named type flew from a base and fired weapons."""
    out: list[DraftSortie] = []
    for sentence in sentences:
        m = _UNNAMED.search(sentence.text)
        if m is None or not _FIRED.search(sentence.text) or any(a.sentence == sentence for a in aircraft):
            continue  # a sentence that names its type is the named sortie's
        start = sentence.start + m.start()
        end = sentence.start + m.start() + len(m.group(0).split()[0])
        mention = ex.Mention(value=UNNAMED_AIRCRAFT, words=m.group(0).split()[0], start=start, end=end,
                             sentence=sentence, role="unnamed")  # fmt: skip
        name = "Unnamed aircraft sortie" + (f" {len(out) + 1}" if out else "")
        out.append(DraftSortie(name=name, aircraft=UNNAMED_AIRCRAFT, role="unnamed", mentions=[mention],
                               notes=["review: the text names no aircraft type; give it (aircraft)"]))  # fmt: skip
    return out


def draft_unnamed(s: DraftSortie, launches: Sequence[ex.Mention], places: Sequence[ex.PlaceMention],
                  index: PlaceIndex, review: list[str], unplaced: list[str]) -> None:  # fmt: skip
    """Complete an unnamed sortie once its base is drafted: base → target (with the launch) → base.

    The launch is the weapon mention of the sentence nearest before the word "aircraft" ("air-launched
    missiles fired from aircraft"); its weapon is the text's words (the catalogue weapon depends on the
    type, which the text does not give), its targets as the launch reader finds them. What cannot be
    drafted is listed as unplaced."""
    from .launches import _targets, launch_event

    mention = s.mentions[0]
    review.append(f"{s.name}: aircraft type not named; give it ('{mention.sentence.text[:80]}')")
    if not s.route:
        unplaced.append(f"aircraft with no type and no base read (no sortie drafted): {mention.sentence.text[:120]}")
        return
    in_sentence = [w for w in launches if w.sentence == mention.sentence]
    before = [w for w in in_sentence if w.start < mention.start]
    weapon_m = before[-1] if before else (in_sentence[0] if in_sentence else None)
    if weapon_m is None:
        unplaced.append(f"weapons of the unnamed aircraft (none read): {mention.sentence.text[:120]}")
        s.route.clear()
        return
    targets, why = _targets(weapon_m, places, index, review)
    if not targets:
        unplaced.append(f"{weapon_m.words!r} of the unnamed aircraft (no target named): {mention.sentence.text[:120]}")
        s.route.clear()
        return
    words = _weapon_words(mention.sentence, weapon_m)
    notes = [f"review: the text says '{words}' and names no type; give the weapon (the catalogue's "
             "depends on the aircraft)",
             "review: launch point not given; drafted at the first target"]  # fmt: skip
    if why:
        notes.append(why)
    event = launch_event(words, weapon_m.count, targets, mention.sentence, notes)
    base = s.route[0]
    s.route[:] = [
        base,
        {"place": targets[0], "source": mention.sentence.text, "launch": event,
         "note": "review: the text gives no route; drafted straight to the first target"},
        {"place": base["place"], "source": base["source"], "note": "filled: return to the base of departure"},
    ]  # fmt: skip
    review.append(f"{s.name}: launch of '{words}' at {', '.join(targets)} drafted; weapon type not named")


def _weapon_words(sentence: Sentence, m: ex.Mention) -> str:
    """The launch as the text words it, with its modifier: 'air-launched missiles'."""
    head = sentence.text[: m.end - sentence.start]
    found = re.search(rf"(?:[\w-]+-launched\s+)?(?:cruise\s+)?{re.escape(m.words)}$", head)
    return found.group(0) if found else m.words
