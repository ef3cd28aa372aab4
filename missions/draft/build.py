"""Article text → a draft mission (a dict the mission parser accepts), every value with its sentence.

Rules only: :mod:`missions.draft.extract` finds the mentions; this module groups them into sorties,
routes, events, launches and claims. What the text does not settle carries ``note: 'review: ...'``;
what the text cannot give (speed, exact points, a base described but not named) is filled from the
performance catalogue and the place index and carries ``note: 'filled: ...'``.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from geodata.place_format import UnknownPlaceError
from geodata.places import Place, PlaceIndex, default_index

from ..errors import MissionError
from . import extract as ex
from . import indirect
from .route import add_named_point, add_point, close_route, described_base, escort, routing_phrases, takeoff_first
from .sorties import DraftSortie, draft_claims, sortie_item, takeoff_times
from .text import Sentence, split_sentences
from .unnamed import draft_unnamed, find_unnamed_sorties

#: the largest article read (bytes of UTF-8)
MAX_ARTICLE_BYTES = 1_000_000


class DraftError(MissionError):
    """The article cannot be drafted: empty, binary, too large, or no mission in it."""


@dataclass(frozen=True, kw_only=True)
class Draft:
    """The drafted mission (``data``, as a mission file holds it), what to review and what was not placed."""

    data: dict[str, Any]
    review: tuple[str, ...]
    unplaced: tuple[str, ...]


def check_article(text: str, name: str = "article") -> None:
    """Raise :class:`DraftError` for text that cannot be an article."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_ARTICLE_BYTES:
        raise DraftError(f"{name}: the text is over 1 MB ({MAX_ARTICLE_BYTES:,} bytes); paste one article")
    if "\x00" in text or sum(1 for c in text[:4096] if ord(c) < 32 and c not in "\n\r\t\f") > 8:
        raise DraftError(f"{name}: this is binary data, not article text")
    if not text.strip():
        raise DraftError(f"{name}: the text is empty; paste a news report about a mission")


def _label(place: Place) -> str:
    return place.label


def draft_mission(
    text: str, *, date: dt.date | None = None, index: PlaceIndex | None = None, name: str = "article"
) -> Draft:
    """Draft a mission from ``text``. Raises :class:`DraftError` when there is nothing to draft."""
    check_article(text, name)
    index = index or default_index()
    sentences = split_sentences(text)
    review: list[str] = []
    unplaced: list[str] = []

    aircraft = ex.find_aircraft(text, sentences)
    weapons = ex.find_weapons(text, sentences)
    generic = [
        g for g in ex.find_generic_launches(text, sentences) if not any(w.sentence == g.sentence for w in weapons)
    ]
    taken = [(m.start, m.end) for m in (*aircraft, *weapons)]
    places, _ = ex.find_places(index, text, sentences, taken)
    offsets = indirect.find_offsets(index, text, sentences)  # "300 miles north of Benghazi": not Benghazi itself
    places = [p for p in places if not any(o.start <= p.start < o.end for o in offsets)]
    claims, bad_claims = ex.find_claims(text, sentences)
    if not aircraft and not weapons and not any(ex.is_mission_sentence(g.sentence) for g in generic):
        raise DraftError(f"{name}: no mission found (no aircraft or weapon of the performance catalogue is named)")

    years = [int(y) for y in re.findall(r"\b(19[4-9]\d|20\d\d)\b", text)]
    dates = ex.find_dates(text, sentences, years[0] if years else None)
    day, day_sentence = _mission_day(dates, date, review)

    # --- sorties: one per aircraft type named (tankers become refuel events)
    sorties: dict[str, DraftSortie] = {}
    tankers = [m for m in aircraft if m.role in ex._TANKER_ROLES]
    for m in aircraft:
        if m.role in ex._TANKER_ROLES:
            continue
        s = sorties.get(m.value)
        if s is None:
            s = sorties[m.value] = DraftSortie(name=f"{m.value} sortie", aircraft=m.value, role=m.role, mentions=[])
        s.mentions.append(m)
    for s in sorties.values():
        low = " ".join(m.sentence.text.lower() for m in s.mentions)
        s.escort = s.role != "bomber" and any(w in low for w in ex.LEXICON["escort_words"]) and len(sorties) > 1
        if s.escort:
            s.name = f"{s.aircraft} escort"
    main = next((s for s in sorties.values() if not s.escort), None)
    unnamed = find_unnamed_sorties(sentences, aircraft)  # "aircraft that flew from an airbase in ...": no type
    sorties.update({s.name: s for s in unnamed})

    # --- route places: each to the sortie whose aircraft was named last before it
    ship_sentences = {g.sentence for g in (*weapons, *generic) if _ship_sentence(g.sentence)}
    launch_from: dict[Sentence, ex.PlaceMention] = {}
    for p in places:
        if (
            p.sentence in ship_sentences
            and p.sentence not in launch_from
            and p.place.kind in ("sea", "ocean", "area", "strait", "gulf", "bay")
        ):
            launch_from[p.sentence] = p
            continue
        if p.sentence in ship_sentences or not ex.is_route_sentence(p.sentence, aircraft):
            continue
        owner = indirect.referent(aircraft, p.sentence, p.start, exclude_roles=ex._TANKER_ROLES)
        s = sorties.get(owner.value) if owner else main
        if s is None:
            unplaced.append(f"{p.words!r} (no aircraft to fly there): {p.sentence.text[:120]}")
            continue
        add_point(s, p.place, p.sentence, "", p.start)
        from_base = _LEFT_FROM.search(text, max(p.sentence.start, p.start - 60), p.start)
        for partner in _joined_before(text, aircraft, owner) if owner and from_base else ():
            if (other := sorties.get(partner.value)) is not None and other is not s:
                add_point(other, p.place, p.sentence, "", p.start)
    for c in indirect.find_countries(text, sentences, [(p.start, p.end) for p in places] + taken):
        if c.sentence in ship_sentences or not ex.is_route_sentence(c.sentence, aircraft):
            continue
        owner = indirect.referent(aircraft, c.sentence, c.start, exclude_roles=ex._TANKER_ROLES)
        s = sorties.get(owner.value) if owner else main
        if s is not None:
            add_named_point(s, c, review)
    for o in offsets:
        if not ex.is_route_sentence(o.sentence, aircraft):
            continue
        owner = indirect.referent(aircraft, o.sentence, o.start, exclude_roles=ex._TANKER_ROLES)
        s = sorties.get(owner.value) if owner else main
        if s is not None:
            add_named_point(s, o, review)
    by_sentence: dict[Sentence, list[ex.PlaceMention]] = {}
    for p in places:
        by_sentence.setdefault(p.sentence, []).append(p)

    for s in sorties.values():
        takeoff_first(s, text)
        described_base(s, index, sentences, review, text, aircraft)
        routing_phrases(s, text, sentences, day, review, aircraft)

    # --- escorts join the main sortie where it launches (or its farthest point)
    # --- refuels
    _refuels(text, sentences, sorties, main, tankers, by_sentence, review)
    # --- launches
    all_targets = [ex.PlaceMention(place=p, words=text[a:b], start=a, end=b, sentence=ex.sentence_at(sentences, a))
                   for a, b, p in index.find_in_text(text) if p.kind == "target"]  # fmt: skip
    launches = _launches(
        text,
        weapons,
        generic,
        sorties,
        main,
        aircraft,
        [*places, *all_targets],
        launch_from,
        day,
        index,
        review,
        unplaced,
    )
    for s in unnamed:
        draft_unnamed(s, [*weapons, *generic], [*places, *all_targets], index, review, unplaced)
    if main is not None:
        for s in sorties.values():
            if s.escort:
                escort(s, main, index, review)
    for s in sorties.values():
        close_route(s, text, review)

    # --- claims
    claim_items = draft_claims(claims, sorties, main, aircraft, review, unnamed)
    for words, sentence in bad_claims:
        unplaced.append(f"{words!r} (a figure with no quantity read): {sentence.text[:120]}")
    for words, sentence in ex.find_unplaced_names(text, sentences, [(p.start, p.end) for p in places] + taken):
        if words.split()[0] in ("Friday", "Monday", "Tuesday", "Wednesday", "Thursday", "Saturday", "Sunday"):
            continue
        unplaced.append(f"{words!r} ({_why_unplaced(index, words)}): {sentence.text[:120]}")

    takeoffs = takeoff_times(text, sentences, sorties, aircraft, day, review)
    sortie_items = []
    for s in sorties.values():
        if len(s.route) < 2:
            review.append(f"{s.name}: fewer than two places named; dropped")
            if s.role != "unnamed":  # draft_unnamed listed what it could not place
                unplaced.append(f"{s.aircraft} (no route in the text): {s.mentions[0].sentence.text[:120]}")
            continue
        sortie_items.append(sortie_item(s, takeoffs.get(s.aircraft), day, review))
    kept = {i["name"] for i in sortie_items}
    for item in sortie_items:
        for wp in item["route"]:
            if isinstance(wp, dict) and "join" in wp and wp["join"]["sortie"] not in kept:
                del wp["join"]
    claim_items = [{k: v for k, v in c.items() if k != "sortie" or v in kept} for c in claim_items]
    if not sortie_items and not launches:
        raise DraftError(f"{name}: no mission found (no aircraft with a route and no launch with a target)")

    headline = sentences[0].text.replace("\n", " ")[:120]
    data: dict[str, Any] = {
        "name": f"Draft: {headline[:100]}",
        "date": day.isoformat(),
        "description": "Drafted from an article by rules (python -m missions draft); review every 'review:' note.",
        "sources": [{"title": headline}],
    }
    if day_sentence is not None:
        review.insert(0, f"date {day} read from: {day_sentence.text[:160]}")
    notes = [f"review: {r}" for r in review] + [f"unplaced: {u}" for u in unplaced]
    if notes:
        data["notes"] = " | ".join(notes)[:4000]
    if claim_items:
        data["claims"] = claim_items
    if sortie_items:
        data["sorties"] = sortie_items
    if launches:
        data["launches"] = launches
    return Draft(data=data, review=tuple(review), unplaced=tuple(unplaced))


def _ship_sentence(sentence: Sentence) -> bool:
    words = set(re.findall(r"[a-z]+", sentence.text.lower()))
    return bool(words & set(ex.LEXICON["ship_words"]))


def _mission_day(
    dates: Sequence[ex.DateMention], given: dt.date | None, review: list[str]
) -> tuple[dt.date, Sentence | None]:
    if given is not None:
        return given, None
    in_mission = [d for d in dates if ex.is_mission_sentence(d.sentence)]
    candidates = in_mission or list(dates)
    if not candidates:
        review.append("date: the text gives none; today's date (UTC) is used (give --date)")
        return dt.datetime.now(dt.UTC).date(), None
    chosen = candidates[0]
    if not in_mission:
        review.append(f"date: {chosen.day} is the article's first date, not one said of the mission")
    return chosen.day, chosen.sentence


def _refuels(
    text: str,
    sentences: Sequence[Sentence],
    sorties: dict[str, DraftSortie],
    main: DraftSortie | None,
    tankers: Sequence[ex.Mention],
    by_sentence: dict[Sentence, list[ex.PlaceMention]],
    review: list[str],
) -> None:
    done: set[str] = set()
    for sentence in sentences:
        low = sentence.text.lower()
        if not any(w in low for w in ex.LEXICON["refuel_words"]):
            continue
        named = [m for m in tankers if m.sentence == sentence] or list(tankers)
        in_sentence = [
            sorties[m.value]
            for m in ex.find_aircraft(sentence.text, [Sentence(text=sentence.text, start=0)])
            if m.value in sorties
        ]
        s = in_sentence[0] if in_sentence else main
        if s is None or s.name in done or not s.route:
            continue
        here = [p.place.label for p in by_sentence.get(sentence, [])]
        target = next((w for w in s.route if w["place"] in here and w is not s.route[0]), None)
        note = ""
        if target is None:
            # no place in its sentence: the route point the text named last before it ("... returning to base
            # over Iran and the Caspian Sea. The mission, which required mid-air refueling, ..."), else mid-route
            before = [w for w in s.route[1:] if w.get("_pos", math.inf) < sentence.start]
            if before:
                target = max(before, key=lambda w: w["_pos"])
                where = "the route point named last before its sentence"
            else:
                target = s.route[min(len(s.route) - 1, max(1, len(s.route) // 2))] if len(s.route) > 1 else s.route[0]
                where = "mid-route"
            label = target.get("name", target["place"])
            note = f"review: the text names no place for the refuelling; drafted at {where} ({label})"
            review.append(f"{s.name}: refuelling place not given; drafted at {label}: {sentence.text[:120]}")
        types = list(dict.fromkeys(m.value for m in named))
        if not types:
            review.append(f"{s.name}: tanker type not named")
        points = [target] + [w for w in s.route[s.route.index(target) + 1 :] if "refuel" not in w]
        for k, tanker in enumerate(types or [None]):
            if k >= len(points):
                break
            event: dict[str, Any] = {"source": sentence.text}
            if tanker is not None:
                event["tanker"] = tanker
            notes = [note] if note else []
            if len(types) > 1:  # "refuelling several times from KC-135 and KC-46 tankers": one refuelling each
                notes.append(f"review: {len(types)} tanker types named; one refuelling drafted for each")
            if notes:
                event["note"] = "; ".join(notes)
            points[k]["refuel"] = event
        done.add(s.name)


def _launches(text: str, weapons: Sequence[ex.Mention], generic: Sequence[ex.Mention], sorties: dict[str, DraftSortie],
              main: DraftSortie | None, aircraft: Sequence[ex.Mention], places: Sequence[ex.PlaceMention],
              launch_from: dict[Sentence, ex.PlaceMention], day: dt.date, index: PlaceIndex,
              review: list[str], unplaced: list[str]) -> list[dict[str, Any]]:  # fmt: skip
    from .launches import air_launch, ship_launch

    ships: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()

    def placed_first(w: ex.Mention) -> tuple[bool, int]:
        return (not any(p.sentence == w.sentence and p.start < w.start for p in places), w.start)

    for m in sorted([*weapons, *generic], key=placed_first):
        if not ex.is_mission_sentence(m.sentence):
            continue
        if _ship_sentence(m.sentence):
            if ("ship", m.value or "") in seen:
                continue
            item = ship_launch(m, text, places, launch_from, day, index, review)
            seen.add(("ship", m.value or ""))
            # a named weapon's key was just added: compare the filled weapon of a generic mention only
            if item is not None and (m.value or ("ship", item["weapon"]) not in seen):
                seen.add(("ship", item["weapon"]))
                ships.append(item)
            continue
        owner = ex.nearest_before([a for a in aircraft if a.value in sorties and not sorties[a.value].escort], m.start)
        s = sorties.get(owner.value) if owner else main
        if s is None:
            continue
        done = air_launch(m, s.aircraft, s.route, places, index, review, seen)
        if done is None and m.value:
            unplaced.append(f"{m.words!r} (no route point to launch from): {m.sentence.text[:120]}")
    return ships


#: the words before the base a subject left: "took off from", "flew from the"
_LEFT_FROM = re.compile(
    r"\b(?:took off|take off|taking off|departed|departing|left|flew|flying)\s+from\s+(?:[\w’'-]+\s+){0,3}$",
    re.IGNORECASE,
)


def _joined_before(text: str, aircraft: Sequence[ex.Mention], owner: ex.Mention) -> list[ex.Mention]:
    """The aircraft named with ``owner`` as one subject: "Tu-95MS and Tu-160 strategic bombers took off
    from Engels" gave Engels to the Tu-160 alone, and the Tu-95MS route began over the Caspian. The base
    they left is given to each of them (the other places stay with the aircraft named last)."""
    out: list[ex.Mention] = []
    current = owner
    while True:
        joined = [
            a for a in aircraft
            if a.sentence == owner.sentence and a.end <= current.start
            and re.fullmatch(r"\s*(?:,|and|,\s*and)\s*", text[a.end : current.start])
        ]  # fmt: skip
        if not joined:
            return out
        current = joined[-1]
        out.append(current)


def _why_unplaced(index: PlaceIndex, words: str) -> str:
    """Why a name after a route word is no route point: the index lacks it, or the drafter's rules skipped
    it ("The jets flew back to Saint-Dizier": a small town without a cue), which the note must not hide."""
    try:
        place = index.resolve(words)
    except UnknownPlaceError:
        return "not in the place index"
    return f"the place index reads it as {place.label} ({place.kind}); not drafted as a route point"
