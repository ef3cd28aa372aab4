"""Mentions in article text: aircraft, weapons, places, claims, dates and times (rules, no model).

Every mention keeps the sentence it came from. English first: the word lists here are the only
language-specific part (:data:`LEXICON`), so another language adds its own lists.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from geodata.places import Place, PlaceIndex, Tier

from ..claims import QUALIFIER_WORDS, ClaimValue, parse_claim_text
from ..errors import MissionError
from ..performance import load_aircraft_catalog, load_weapons_catalog
from .text import WORD_NUMBERS, Sentence, count_before, is_headline

#: the English words the rules read; another language gives the same keys
LEXICON: Mapping[str, tuple[str, ...]] = {
    "route_words": ("from", "over", "to", "across", "through", "via", "at", "in", "off", "around", "round",
                    "toward", "towards", "into", "near", "above", "past", "along", "on", "against", "reached",
                    "crossed", "circumnavigated", "skirting", "avoiding", "approaching", "leaving", "entering",
                    "struck", "bombed", "hit", "hitting", "attacked", "striking", "targets", "reach", "reaching"),
    "mission_words": ("flew", "flown", "flight", "fly", "flying", "took off", "takeoff", "take-off", "sortie",
                      "mission", "strike", "struck", "raid", "bomb", "launch", "fired", "missile", "refuel",
                      "tanker", "escort", "returned", "landed", "route", "airbase", "air base", "aircraft",
                      "bomber", "jets", "fighters", "attack"),
    "refuel_words": ("refuel", "refuell", "refueling", "tanker", "air-to-air", "in-flight refuel"),
    "escort_words": ("escort", "accompanied", "rendezvous", "joined by", "met by"),
    "ship_words": ("ship", "ships", "warship", "warships", "frigate", "corvette", "submarine", "vessel",
                   "vessels", "flotilla", "destroyer", "cruiser", "navy"),
    "return_words": ("returned to base", "returning to base", "return to base", "back to base", "returned to",
                     "returning to", "landed back", "flew back", "returned home", "return flight"),
}  # fmt: skip

#: aliases too common as plain words to count as an aircraft or weapon by themselves
_AMBIGUOUS = {"Bone", "Pig", "Viper", "Pegasus", "Extender", "Spirit", "Bear", "Midas", "Kitchen", "Burya",
              "Dagger", "Shahed", "MOP", "JSF", "Lightning II", "White Swan", "Kodiak", "Phénix", "Voyager",
              "Victor", "Tornado", "Typhoon", "Lancer", "Iskander", "Kent"}  # fmt: skip
_TANKER_ROLES = ("tanker",)


@dataclass(frozen=True, kw_only=True)
class Mention:
    """A name found in the text: what it resolves to, the words, and where."""

    value: str
    words: str
    start: int
    end: int
    sentence: Sentence
    count: int | None = None
    role: str = ""


@dataclass(frozen=True, kw_only=True)
class PlaceMention:
    place: Place
    words: str
    start: int
    end: int
    sentence: Sentence


@dataclass(frozen=True, kw_only=True)
class ClaimMention:
    claim: ClaimValue
    words: str
    start: int
    sentence: Sentence


def nearest_before(mentions: Sequence[Mention], pos: int) -> Mention | None:
    """The last mention at or before ``pos``."""
    before = [m for m in mentions if m.start <= pos]
    return before[-1] if before else None


def sentence_at(sentences: Sequence[Sentence], pos: int) -> Sentence:
    for s in sentences:
        if s.start <= pos < s.end:
            return s
    return sentences[-1]


def _name_regex(names: Sequence[str]) -> re.Pattern[str]:
    alts = "|".join(re.escape(n) for n in sorted(set(names), key=len, reverse=True))
    return re.compile(
        r"(?<![\w-])(?:Tupolev\s+|Sukhoi\s+|Boeing\s+|Northrop\s+|Rockwell\s+|General Dynamics\s+)?"
        rf"({alts})[A-Z]?(?![\w-])"
    )


@lru_cache(maxsize=1)
def _aircraft_names() -> tuple[re.Pattern[str], dict[str, tuple[str, str]]]:
    lookup: dict[str, tuple[str, str]] = {}
    for a in load_aircraft_catalog().values():
        for label in (a.name, *a.aliases):
            if label not in _AMBIGUOUS or label == a.name:
                lookup[label] = (a.name, a.role or "")
            else:  # "Victor tankers", "Tornado jets": an ambiguous name with its kind of aircraft after it
                for kind in ("tanker", "tankers", "bomber", "bombers", "fighter", "fighters", "jets"):
                    lookup[f"{label} {kind}"] = (a.name, a.role or "")
    return _name_regex(list(lookup)), lookup


@lru_cache(maxsize=1)
def _weapon_names() -> tuple[re.Pattern[str], dict[str, str]]:
    lookup: dict[str, str] = {}
    for w in load_weapons_catalog().values():
        for label in (w.name, *w.aliases):
            if label not in _AMBIGUOUS or label == w.name:
                lookup[label] = w.name
    return _name_regex(list(lookup)), lookup


def find_aircraft(text: str, sentences: Sequence[Sentence]) -> list[Mention]:
    pattern, lookup = _aircraft_names()
    out = []
    for m in pattern.finditer(text):
        name, role = lookup[m.group(1)]
        sentence = sentence_at(sentences, m.start())
        count, words = count_before(text, m.start(), floor=sentence.start)
        if words.split()[:1] and words.split()[0].lower() in ("a", "an"):
            count = None  # "a Russian bomber": an article, not a count
        out.append(Mention(value=name, words=m.group(0), start=m.start(), end=m.end(),
                           sentence=sentence_at(sentences, m.start()), count=count, role=role))  # fmt: skip
    return out


_GENERIC_WEAPON = re.compile(r"(?P<kind>(?:air|sea|ship|submarine)[- ]launched\s+)?(?:cruise\s+)?missiles?\b|\bbombs\b",
                             re.IGNORECASE)  # fmt: skip


def find_weapons(text: str, sentences: Sequence[Sentence]) -> list[Mention]:
    pattern, lookup = _weapon_names()
    out = []
    for m in pattern.finditer(text):
        count, _ = count_before(text, m.start(), floor=sentence_at(sentences, m.start()).start)
        out.append(Mention(value=lookup[m.group(1)], words=m.group(0), start=m.start(), end=m.end(),
                           sentence=sentence_at(sentences, m.start()), count=count))  # fmt: skip
    return out


def find_generic_launches(text: str, sentences: Sequence[Sentence]) -> list[Mention]:
    """'cruise missiles', '34 air-launched cruise missiles': a launch whose weapon the text does not name."""
    out = []
    for m in re.finditer(r"\bcruise missiles?\b|\bmissiles\b", text, re.IGNORECASE):
        count, _ = count_before(text, m.start(), max_words=5, floor=sentence_at(sentences, m.start()).start)
        out.append(Mention(value="", words=m.group(0), start=m.start(), end=m.end(),
                           sentence=sentence_at(sentences, m.start()), count=count))  # fmt: skip
    return out


def _preceded_by_route_word(text: str, start: int) -> bool:
    words = re.findall(r"[\w’'-]+", text[max(0, start - 90) : start])[-10:]
    route = set(LEXICON["route_words"])
    for w in reversed(words):
        if w[0].isupper() and w.lower() not in route:
            continue  # an earlier name of a list: "over Iran and the Caspian Sea"
        w = w.lower()
        if w in route:
            return True
        if w not in (
            "the",
            "and",
            "a",
            "an",
            "northern",
            "southern",
            "eastern",
            "western",
            "central",
            "airspace",
            "coast",
            "of",
            "then",
            "north",
            "south",
            "east",
            "west",
            "base",
            "airbase",
            "air",
            "town",
            "city",
            "village",
            "capital",
        ):
            return False
    return False


_FLIGHT = re.compile(
    r"\b(?:fl[eo]w\w*|flying|flights?|dropp(?:ed|ing)|released|took off|take-?off|departed|returned|returning|"
    r"landed|refuel\w*|crossed|circumnavigated|route|sortie|landing|turned|launch\w*|fired|struck|bombed|strike|"
    r"escort\w*|overflew|headed|via)\b",
    re.IGNORECASE,
)


def is_route_sentence(sentence: Sentence, aircraft: Sequence[Mention]) -> bool:
    """A sentence about the flight: it names an aircraft, a flying verb, or refers back to the aircraft
    ("They landed at ...", "The bombers dropped ... on Natanz")."""
    return (
        any(a.sentence == sentence for a in aircraft)
        or bool(_FLIGHT.search(sentence.text))
        or any(m.group("noun") for m in _REFERENT.finditer(sentence.text))
    )


#: words that refer back to aircraft named before: pronouns and definite descriptions
_REFERENT = re.compile(
    r"\b(?:(?i:the|both|all the|all)\s+(?P<noun>bombers?|fighters?|fighter jets|jets|aircraft|planes|tankers?|"
    r"crews|pair|warplanes)|(?P<pronoun>[Tt]hey|[Tt]hem|[Ii]t))\b",
)


def is_mission_sentence(sentence: Sentence) -> bool:
    low = sentence.text.lower()
    return any(w in low for w in LEXICON["mission_words"])


def find_places(
    index: PlaceIndex, text: str, sentences: Sequence[Sentence], taken: Sequence[tuple[int, int]]
) -> tuple[list[PlaceMention], list[tuple[str, Sentence]]]:
    """Places named in mission sentences after a route word; and capitalised names left unplaced."""
    out: list[PlaceMention] = []
    named = {(a, b) for a, b, _ in index.find_in_text(text)}
    # a town's other name ("Abu Kamal" for Ālbū Kamāl, "Misrata" for Misratah) counts as its name
    named |= {(a, b) for a, b, p in index.find_in_text(text, max_tier=Tier.ALTERNATE) if p.kind == "city"}
    for start, end, place in index.find_in_text(text, max_tier=Tier.WEAK):
        if (start, end) not in named:
            words = text[start:end].rstrip(".")
            inside = words.lower() in place.name.lower()
            if not inside or not (" " in words or place.kind == "airbase"):
                continue  # a weak match: only "Port Stanley" or an air base by its town ("Lakenheath")
        if any(s <= start < e for s, e in taken):
            continue
        sentence = sentence_at(sentences, start)
        if not is_mission_sentence(sentence) or not _preceded_by_route_word(text, start):
            continue
        if re.match(r"\s+Circle\b", text[end : end + 10]):
            continue  # "the Arctic Circle" is a latitude
        if re.match(r"\s+(?:region|province|oblast)\b", text[end : end + 12]) and _BASE_BEFORE.search(
            text[max(sentence.start, start - 60) : start]
        ):
            continue  # "a base in the Saratov region" says where a base is; "targets in the Hama province" are targets
        base_in = out and out[-1].place.kind in _AIRFIELD_KINDS
        if base_in and re.fullmatch(r",?\s+in\s+(?:the\s+)?", text[out[-1].end : start]):
            continue  # "RAF Marham in Norfolk", "Whiteman Air Force Base in Missouri": where the base is
        small = place.kind == "city" and place.prominence < 50_000
        if text[start:end].rstrip(".").isupper() or (small and not _TOWN_CUE.search(text[max(0, start - 40) : start])):
            continue  # a dateline ("LONDON, ..."), or a small town sharing a word ("Obama", "Kirby")
        if is_headline(sentences, sentence):
            continue  # the headline summarises; the body gives the route in order
        words = text[start:end].rstrip(".")
        out.append(PlaceMention(place=place, words=words, start=start, end=start + len(words), sentence=sentence))
    return out, []


_AIRFIELD_KINDS = ("airbase", "airport", "closed_airfield", "seaplane_base")
_BASE_BEFORE = re.compile(r"\b(?:air ?base|airfield|base|based|stationed)\b[^.]*$", re.IGNORECASE)
#: a small town is a place of the route when the text says so: "took off from Saint-Dizier", "the town of ..."
_TOWN_CUE = re.compile(
    r"(?:\b(?:took off|take off|taking off|departed|flew|launched|left)\s+from|\bthe (?:town|city|village) of)\s+$",
    re.IGNORECASE,
)


def find_unplaced_names(
    text: str, sentences: Sequence[Sentence], known: Sequence[tuple[int, int]]
) -> list[tuple[str, Sentence]]:
    """Capitalised names after a route word in mission sentences that nothing resolved."""
    out = []
    for m in re.finditer(
        r"\b(?:from|over|to|via|at|near|toward|towards|off)\s+(?:the\s+)?((?:[A-Z][\w’'-]+\s?){1,4})", text
    ):
        s = m.start(1)
        if any(a <= s < b or s <= a < m.end(1) for a, b in known):
            continue
        if m.group(1).split()[0] in _TITLES or "’" in m.group(1) or "'" in m.group(1):
            continue
        sentence = sentence_at(sentences, s)
        if is_mission_sentence(sentence) and sentence.start != s:
            out.append((m.group(1).strip(), sentence))
    return out


_TITLES = {
    "President",
    "Prime",
    "Defense",
    "Defence",
    "Minister",
    "Secretary",
    "General",
    "Gen",
    "Colonel",
    "Admiral",
    "Mr",
    "Ms",
    "Mrs",
    "The",
    "A",
    "An",
    "This",
    "That",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
}
_QUALS = "|".join(re.escape(q) for q in sorted(QUALIFIER_WORDS, key=len, reverse=True))
_WORDNUM = "|".join(sorted((w for w in WORD_NUMBERS if len(w) > 2 and w not in ("pair", "both", "single", "lone")),
                           key=len, reverse=True))  # fmt: skip
_NUM = (
    rf"(?:\d{{1,3}}(?:[, \u00a0]\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?"
    rf"|(?:{_WORDNUM})(?:[- ](?:{_WORDNUM}))?(?:\s+thousand)?(?:\s+and\s+a\s+half)?)"
)
_UNIT = (r"(?:kilomet(?:er|re)s?|km/h|kph|km|nautical miles|statute miles|miles|mile|nm|nmi|hours|hour|hrs|h|"
         r"minutes|minute|min|knots|kts|kt|mph|days|day)")  # fmt: skip
_CLAIM = re.compile(
    rf"(?<![\w.-])(?:(?P<qual>{_QUALS})\s+)?(?P<a>{_NUM})(?:\s*(?:-|–|to|and|or)\s*(?P<b>{_NUM}))?(?:[\s-]*(?P<unit>{_UNIT}))(?![\w/])"
    rf"|(?<![\w.])(?:(?P<qual2>{_QUALS})\s+)?Mach\s+(?P<mach>\d+(?:\.\d+)?)",
    re.IGNORECASE,
)
_UNIT_NORMAL = {"kilometer": "km", "kilometers": "km", "kilometre": "km", "kilometres": "km"}


#: a compass direction and "of" right after a distance: "15 miles west of the city", "300 km north-east of"
_BEARING_OF = re.compile(r"\s+(?:due\s+)?(?:north|south)?-?(?:east|west)?(?<![\s-])\s+of\b", re.IGNORECASE)


#: a distance that is how far from the target a weapon was launched: "from a distance of", "at a range of"
_STANDOFF = re.compile(r"\b(?:from|at)\s+(?:a\s+)?(?:distance|range)\s+of\s+$", re.IGNORECASE)


def find_claims(text: str, sentences: Sequence[Sentence]) -> tuple[list[ClaimMention], list[tuple[str, Sentence]]]:
    """Every distance, duration and speed written in the text, read by :func:`parse_claim_text`."""
    out: list[ClaimMention] = []
    bad: list[tuple[str, Sentence]] = []
    for m in _CLAIM.finditer(text):
        words = m.group(0)
        sentence = sentence_at(sentences, m.start())
        unit = (m.group("unit") or "").lower()
        if unit in ("day", "days", "h", "min") and not m.group("qual") and re.fullmatch(r"[a-z]+", m.group("a") or "x"):
            continue  # "two days later", "one day": a date, not a claim
        if unit not in ("day", "days", "h", "min") and _BEARING_OF.match(text, m.end()):
            continue  # "some 15 miles west of the city": where a place is, not a distance flown
        if _STANDOFF.search(text, max(0, m.start() - 40), m.start()):
            continue  # "launching the missiles from a distance of some 500 km": a weapon's reach, not the flight
        if m.group("mach"):
            claim_text = f"{m.group('qual2') or ''} Mach {m.group('mach')}".strip()
        else:
            normal = _UNIT_NORMAL.get(unit, unit)
            number = m.group("a") + (f"-{m.group('b')}" if m.group("b") else "")
            claim_text = f"{m.group('qual') or ''} {number} {normal}".strip().replace("\u00a0", " ")
        try:
            value = parse_claim_text(claim_text)
        except (MissionError, ValueError):
            bad.append((words, sentence))
            continue
        out.append(ClaimMention(claim=value, words=words, start=m.start(), sentence=sentence))
    return out, bad


_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_MONTH = (
    r"(?P<mon>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?"
    r"|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DATE = re.compile(
    rf"\b(?:(?P<d1>\d{{1,2}})\s+{_MONTH}(?:,?\s+(?P<y1>\d{{4}}))?"
    rf"|{_MONTH.replace('mon', 'mon2')}\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y2>\d{{4}}))?)\b"
)
_ISO_DATE = re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b")


@dataclass(frozen=True, kw_only=True)
class DateMention:
    day: dt.date
    year_given: bool
    start: int
    sentence: Sentence


def _month(name: str) -> int:
    return next(i + 1 for i, m in enumerate(_MONTHS) if m.startswith(name.lower()[:3]))


def find_dates(text: str, sentences: Sequence[Sentence], default_year: int | None) -> list[DateMention]:
    out = []
    for m in _DATE.finditer(text):
        mon = m.group("mon") or m.group("mon2")
        day = int(m.group("d1") or m.group("d2"))
        year_raw = m.group("y1") or m.group("y2")
        year = int(year_raw) if year_raw else default_year
        if year is None:
            continue
        try:
            when = dt.date(year, _month(mon), day)
        except ValueError:
            continue
        out.append(
            DateMention(
                day=when, year_given=bool(year_raw), start=m.start(), sentence=sentence_at(sentences, m.start())
            )
        )
    for m in _ISO_DATE.finditer(text):
        try:
            when = dt.date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
        except ValueError:
            continue
        out.append(DateMention(day=when, year_given=True, start=m.start(), sentence=sentence_at(sentences, m.start())))
    return sorted(out, key=lambda d: d.start)


#: time zones as the press writes them, hours east of UTC
ZONES: Mapping[str, float] = {
    "moscow time": 3, "msk": 3, "gmt": 0, "utc": 0, "zulu": 0, "z": 0, "est": -5, "edt": -4, "bst": 1,
    "cet": 1, "cest": 2, "pst": -8, "pdt": -7, "cst": -6, "cdt": -5, "kst": 9, "korea time": 9,
}  # fmt: skip
_TIME = re.compile(
    r"\b(?P<h>[012]?\d)[:.](?P<m>[0-5]\d)\s*(?P<ampm>[ap]\.?m\.?)?\s*(?:hours\s*)?(?:\(?\s*(?P<zone>Moscow time|MSK|GMT"
    r"|UTC|Zulu|EST|EDT|BST|CEST|CET|PST|PDT|CST|CDT|KST|Korea time|local time|local)\b)?",
    re.IGNORECASE,
)


@dataclass(frozen=True, kw_only=True)
class TimeMention:
    hour: int
    minute: int
    offset_h: float | None  #: None: local or no zone
    zone: str
    start: int
    sentence: Sentence


def find_times(text: str, sentences: Sequence[Sentence]) -> list[TimeMention]:
    out = []
    for m in _TIME.finditer(text):
        hour, minute = int(m.group("h")), int(m.group("m"))
        ampm = (m.group("ampm") or "").lower()
        if ampm.startswith("p") and hour < 12:
            hour += 12
        if ampm.startswith("a") and hour == 12:
            hour = 0
        if hour > 23:
            continue
        zone = (m.group("zone") or "").lower()
        out.append(TimeMention(hour=hour, minute=minute, offset_h=ZONES.get(zone), zone=zone, start=m.start(),
                               sentence=sentence_at(sentences, m.start())))  # fmt: skip
    return out
