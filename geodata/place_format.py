"""The place index's format and vocabulary: kinds, sources, the :class:`Place` record, name shards.

Shared by the index reader (:mod:`geodata.places`, which re-exports the public names) and its
build (:mod:`geodata.build_places`).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal, get_args

INDEX_PATH: Final = Path(__file__).with_name("places.zip")

#: every kind of place
PlaceKind = Literal[
    "airbase", "airport", "heliport", "seaplane_base", "balloonport", "closed_airfield", "city", "ocean",
    "sea", "gulf", "strait", "chokepoint", "island", "region", "site", "target", "area", "ship",
]  # fmt: skip
#: the kinds in their order: the index stores the position in this tuple
KINDS: Final[tuple[PlaceKind, ...]] = get_args(PlaceKind)
#: ``--kind`` names that stand for several kinds
KIND_GROUPS: Final[dict[str, tuple[PlaceKind, ...]]] = {
    "airport": ("airbase", "airport", "heliport", "seaplane_base", "balloonport", "closed_airfield"),
    "airfield": ("airbase", "airport", "heliport", "seaplane_base", "balloonport", "closed_airfield"),
    "sea": ("ocean", "sea", "gulf", "strait", "chokepoint", "area"),
    "water": ("ocean", "sea", "gulf", "strait", "chokepoint", "area"),
    "site": ("site", "target"),
}
#: where each place comes from; the index stores the position in this tuple
SOURCES: Final = ("curated", "ourairports", "airportsdata", "geonames")


class Tier(enum.IntEnum):
    """How a name matched a place; a lower tier wins over any prominence."""

    CURATED = 0  #: a curated place's name or alias
    #: the place's own name (airfields: also with AFB/Air Force Base... spelt either way; and the short
    #: name of a large airport or air base that no curated place, capital or town of 100,000 people has)
    NAME = 1
    ALTERNATE = 2  #: an alternative name, a keyword, an ICAO/IATA/local code
    WEAK = 3  #: an airfield's name without "Airport"/"Air Base", or the town it serves


@dataclass(frozen=True, kw_only=True)
class Place:
    """A named point of the index. ``lat_deg``/``lon_deg`` in decimal degrees on WGS84."""

    #: the place's name as people write it ("Barksdale Air Force Base")
    name: str
    lat_deg: float
    lon_deg: float
    #: one of :data:`KINDS`
    kind: PlaceKind
    #: ISO 3166-1 alpha-2 ("LY"), "" when none (seas, oceans)
    country_code: str
    #: the country's English name (GeoNames), "" when none
    country_name: str
    #: where the coordinates come from: a citation, or the source and its identifier
    source: str
    #: the ICAO code of an airfield (or its local/IATA code when it has none), else ""
    code: str
    #: the text that finds this place again: ``name``, or ``"name, Country"`` when others share the name
    label: str
    #: population of a town, a size score for airfields (see ``build_places``)
    prominence: float
    #: the row in the index (stable for one build only)
    row: int


class UnknownPlaceError(LookupError):
    """No place of that name; ``suggestions`` holds the closest known names (labels)."""

    def __init__(self, query: str, message: str, suggestions: Sequence[str] = ()) -> None:
        self.query = query
        self.message = message
        self.suggestions = tuple(suggestions)
        super().__init__(message)


#: places per ``rows/NNNN.tsv`` member of the index
BLOCK_ROWS: Final = 256
#: the per-place columns of the index and their stored types (raw little-endian)
COLUMNS: Final = {"kind": "u1", "country": "<u2", "score": "<f4", "source": "u1"}
#: key shards per name length
_SHARDS_PER_LENGTH: Final = 4
#: names longer than this share one shard per ``_SHARDS_PER_LENGTH``
_LONGEST_SHARDED: Final = 48


def key_shard(key: str) -> str:
    """The ``keys/`` member holding a normalised name: by its length, then a hash of its first letters.

    >>> key_shard("riga")
    '04-2'
    """
    return f"{min(len(key), _LONGEST_SHARDED):02d}-{sum(map(ord, key[:3])) % _SHARDS_PER_LENGTH:x}"


def place_kind(word: object) -> PlaceKind | None:
    """``word`` as a kind of place (typed as one), None when it is none of :data:`KINDS`.

    >>> place_kind("strait"), place_kind("castle")
    ('strait', None)
    """
    return next((kind for kind in KINDS if kind == word), None)


def expand_kinds(kinds: Iterable[str]) -> tuple[PlaceKind, ...]:
    out: list[PlaceKind] = []
    for word in kinds:
        kind = place_kind(word)
        if word in KIND_GROUPS:
            out.extend(KIND_GROUPS[word])
        elif kind is not None:
            out.append(kind)
        else:
            raise ValueError(f"unknown kind {word!r}; use one of {', '.join(sorted({*KINDS, *KIND_GROUPS}))}")
    return tuple(out)
