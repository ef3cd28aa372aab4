"""What an article says indirectly: countries crossed, "N miles north of X", and words that refer back
to the aircraft ("the bombers", "the fighters"). Each gives a route point the place index does not hold,
or the sortie a place belongs to; every point is marked as filled for review."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from geodata.places import PlaceIndex

from ..errors import MissionError
from .extract import _REFERENT, _TANKER_ROLES, Mention, nearest_before, sentence_at
from .text import Sentence

_REFERENT_ROLE: Mapping[str, str] = {"bomber": "bomber", "bombers": "bomber", "fighter": "fighter",
                                     "fighters": "fighter", "fighter jets": "fighter", "tanker": "tanker",
                                     "tankers": "tanker"}  # fmt: skip


def refers_to(aircraft_type: str, sentence: Sentence, mentions: Sequence[Mention]) -> bool:
    """Whether ``sentence`` names no aircraft but refers back ("The bombers took off ...") to the last
    aircraft named before it, and that is ``aircraft_type``."""
    if not any(m.group("noun") for m in _REFERENT.finditer(sentence.text)) or any(
        m.sentence == sentence for m in mentions
    ):
        return False
    found = referent(mentions, sentence, sentence.end, exclude_roles=_TANKER_ROLES)
    return found is not None and found.value == aircraft_type


def referent(
    aircraft: Sequence[Mention], sentence: Sentence, pos: int, *, exclude_roles: Sequence[str] = ()
) -> Mention | None:
    """The aircraft mention a place at ``pos`` belongs to: the one named last before it, or, when its
    sentence refers back by a role ("the bombers", "the fighters") before the place, the last of that role."""
    candidates = [a for a in aircraft if a.role not in exclude_roles]
    named_here = [a for a in candidates if a.sentence == sentence and a.start <= pos]
    refs = list(_REFERENT.finditer(sentence.text[: max(0, pos - sentence.start)]))
    if refs and not named_here:
        role = _REFERENT_ROLE.get((refs[-1].group("noun") or "").lower())
        if role is not None:
            of_role = [a for a in candidates if a.role == role]
            if found := nearest_before(of_role, pos):
                return found
    return nearest_before(candidates, pos)


@dataclass(frozen=True, kw_only=True)
class NamedPoint:
    """A route point the place index does not hold: a country, or a distance and direction from a place."""

    name: str
    lat_deg: float
    lon_deg: float
    note: str  #: "filled: ..." saying what the point stands for
    start: int
    end: int
    sentence: Sentence


@lru_cache(maxsize=1)
def _country_points() -> dict[str, tuple[str, float, float]]:
    """Folded country name → (name, label point): Natural Earth's label points (``geodata.labels``)."""
    from geodata.labels import place_labels

    out = {}
    for label in place_labels():
        if label.kind == "country" and "." not in label.name:  # "Dem. Rep. Korea": abbreviations are no prose
            out[label.name.lower()] = (label.name, label.lat_deg, label.lon_deg)
    for alias, name in _COUNTRY_ALIASES.items():
        if name.lower() in out:
            out[alias] = out[name.lower()]
    return out


#: how the press names some countries that Natural Earth names otherwise
_COUNTRY_ALIASES = {"britain": "United Kingdom", "great britain": "United Kingdom",
                    "the united kingdom": "United Kingdom", "the united states": "United States",
                    "turkiye": "Turkey", "türkiye": "Turkey", "the netherlands": "Netherlands",
                    "ivory coast": "Côte d'Ivoire"}  # fmt: skip

#: a list of capitalised names after a transit word: "over France and the Mediterranean", "across Iraq, Syria"
_TRANSIT_LIST = re.compile(
    r"\b(?:over|through|across|via|transiting|crossing|crossed|overflew|overflying)\s+"
    r"((?:the\s+)?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*(?:\s*(?:,|,?\s+and)\s+(?:the\s+)?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*)*)"
)


#: a flight verb shortly before the transit word: "flew south over France", not "the no-fly zone over Libya"
_TRANSIT_VERB = re.compile(
    r"\b(?:flew|flown|flying|(?<!no-)fly|flights?|headed|heading|routed|turned|returned|returning|crossed|crossing)\b"
    r"[^.;:]{0,40}$",
    re.IGNORECASE,
)


def find_countries(text: str, sentences: Sequence[Sentence], taken: Sequence[tuple[int, int]]) -> list[NamedPoint]:
    """Countries the text says the flight crossed ("over France", "across Saudi Arabia and Jordan").

    Only after a transit word (a destination country, "to Libya", whose targets are named, is no route
    point); a name the place index resolved already ("Iran" → North-western Iran) is left to it. Each
    becomes the country's Natural Earth label point, marked as filled.
    """
    countries = _country_points()
    out: list[NamedPoint] = []
    for m in _TRANSIT_LIST.finditer(text):
        floor = sentence_at(sentences, m.start()).start
        verb = m.group(0).split()[0].lower()
        if verb not in ("transiting", "crossing", "crossed", "overflew", "overflying") and not _TRANSIT_VERB.search(
            text[max(floor, m.start() - 60) : m.start()]
        ):
            continue
        for item in re.finditer(r"[^,]+?(?=\s*(?:,|,?\s+and\s+|$))", m.group(1)):
            words = re.sub(r"^(?:and\s+)", "", item.group(0).strip())
            start = m.start(1) + item.start() + item.group(0).find(words)
            found = countries.get(words.lower()) or countries.get(re.sub(r"^the\s+", "", words.lower()))
            if found is None or any(a <= start < b or start <= a < start + len(words) for a, b in taken):
                continue
            name, lat, lon = found
            note = f"filled: the country '{words}' drafted as its Natural Earth label point"
            out.append(NamedPoint(name=name, lat_deg=lat, lon_deg=lon, start=start, end=start + len(words),
                                  sentence=sentence_at(sentences, start), note=note))  # fmt: skip
    return out


_OFFSET = re.compile(
    r"\b(?P<num>\d[\d,.]*)\s*(?P<unit>km|kilometres|kilometers|miles|nautical miles|nm)\s+"
    r"(?P<dir>north|south|east|west|north-?east|north-?west|south-?east|south-?west)\s+of\s+(?:the\s+)?"
    r"(?P<place>[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,3})",
    re.IGNORECASE,
)
_AZIMUTH = {"north": 0.0, "northeast": 45.0, "east": 90.0, "southeast": 135.0, "south": 180.0, "southwest": 225.0,
            "west": 270.0, "northwest": 315.0}  # fmt: skip
_UNIT_M = {"km": 1000.0, "kilometres": 1000.0, "kilometers": 1000.0, "miles": 1609.344, "nautical miles": 1852.0,
           "nm": 1852.0}  # fmt: skip


def find_offsets(index: PlaceIndex, text: str, sentences: Sequence[Sentence]) -> list[NamedPoint]:
    """ "300 miles north of Benghazi": the point that far from the place, on the geodesic with that azimuth."""
    from .. import geodesy

    out = []
    for m in _OFFSET.finditer(text):
        try:
            place = index.resolve(m.group("place"))
            distance_m = float(m.group("num").replace(",", "")) * _UNIT_M[m.group("unit").lower()]
        except (LookupError, ValueError, MissionError):
            continue
        azimuth = _AZIMUTH[m.group("dir").lower().replace("-", "")]
        lat, lon = geodesy.destination(place.lat_deg, place.lon_deg, azimuth, distance_m)
        note = f"filled: '{m.group(0)}' drafted as the point that far from {place.label}"
        out.append(NamedPoint(name=m.group(0), lat_deg=float(lat), lon_deg=float(((lon + 180.0) % 360.0) - 180.0),
                              start=m.start(), end=m.end(), sentence=sentence_at(sentences, m.start()),
                              note=note))  # fmt: skip
    return out
