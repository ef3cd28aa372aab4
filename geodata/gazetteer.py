"""The curated gazetteer ``gazetteer.yaml``: the catalogue missions' places, every coordinate sourced.

It is read by the index builder (``python -m geodata.build_places``), which puts these places first
in the world index (``geodata.places``); lookups go through that index.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

from .names import normalize_name
from .place_format import PlaceKind, place_kind

GAZETTEER_PATH = Path(__file__).with_name("gazetteer.yaml")
_KINDS: frozenset[PlaceKind] = frozenset(
    {"airbase", "airport", "city", "target", "sea", "chokepoint", "area", "ship", "site"}
)
__all__ = ["GAZETTEER_PATH", "CuratedPlace", "GazetteerError", "normalize_name", "parse_gazetteer"]


class CuratedPlace(NamedTuple):
    """A curated named point. ``lat_deg``/``lon_deg`` in decimal degrees on WGS84."""

    name: str
    lat_deg: float
    lon_deg: float
    kind: PlaceKind
    source: str
    icao: str | None = None
    country: str | None = None
    aliases: tuple[str, ...] = ()


class GazetteerError(ValueError):
    """A malformed entry in a curated gazetteer file (a build-time problem, not a user's input)."""

    def __init__(self, message: str, *, file: str = "", field: str = "") -> None:
        super().__init__(f"{file}: {field}: {message}" if field else f"{file}: {message}")


def parse_gazetteer(data: Mapping[str, object], *, file: str = "gazetteer.yaml") -> tuple[CuratedPlace, ...]:
    """Validate the gazetteer mapping (as read from YAML) into places."""
    entries = data.get("places") if isinstance(data, Mapping) else None
    if not isinstance(entries, list):
        raise GazetteerError("the gazetteer needs a list 'places'", file=file)
    places = []
    for i, entry in enumerate(entries):
        field = f"places[{i}]"
        if not isinstance(entry, Mapping):
            raise GazetteerError("each place must be a mapping", file=file, field=field)
        try:
            name = str(entry["name"])
            lat, lon = float(entry["lat"]), float(entry["lon"])
            source = str(entry["source"])
        except (KeyError, TypeError, ValueError) as exc:
            raise GazetteerError(
                f"each place needs name, lat, lon and source ({exc})", file=file, field=field
            ) from None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise GazetteerError(f"coordinates {lat}, {lon} out of range", file=file, field=field)
        word = str(entry.get("kind", "site"))
        kind = place_kind(word)
        if kind is None or kind not in _KINDS:
            raise GazetteerError(f"unknown kind {word!r}", file=file, field=field)
        places.append(
            CuratedPlace(
                name=name,
                lat_deg=lat,
                lon_deg=lon,
                kind=kind,
                source=source,
                icao=(str(entry["icao"]).upper() if entry.get("icao") else None),
                country=(str(entry["country"]) if entry.get("country") else None),
                aliases=tuple(str(a) for a in entry.get("aliases") or ()),
            )
        )
    return tuple(places)
