"""The gazetteer: curated places (``gazetteer.yaml``, every coordinate sourced) plus every ICAO
airfield code through the ``airportsdata`` package.

Lookups ignore case, spacing, punctuation and diacritics; an unknown name fails with the three
closest names as suggestions.
"""

from __future__ import annotations

import difflib
import functools
import unicodedata
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import NamedTuple

import yaml

from missions.errors import PlaceError

GAZETTEER_PATH = Path(__file__).with_name("gazetteer.yaml")
_KINDS = {"airbase", "airport", "city", "target", "sea", "chokepoint", "area", "ship", "site"}


class Place(NamedTuple):
    """A named point. ``lat_deg``/``lon_deg`` in decimal degrees on WGS84."""

    name: str
    lat_deg: float
    lon_deg: float
    kind: str
    source: str
    icao: str | None = None
    country: str | None = None
    aliases: tuple[str, ...] = ()


def normalize_name(text: str) -> str:
    """Fold case, diacritics, spaces and punctuation: ``"Ar-Raqqah "`` → ``"arraqqah"``.

    >>> normalize_name("Khméimim  Air-Base")
    'khmeimimairbase'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c)).casefold()


def parse_gazetteer(data: Mapping[str, object], *, file: str = "gazetteer.yaml") -> tuple[Place, ...]:
    """Validate the gazetteer mapping (as read from YAML) into places."""
    entries = data.get("places") if isinstance(data, Mapping) else None
    if not isinstance(entries, list):
        raise PlaceError("the gazetteer needs a list 'places'", file=file)
    places = []
    for i, entry in enumerate(entries):
        field = f"places[{i}]"
        if not isinstance(entry, Mapping):
            raise PlaceError("each place must be a mapping", file=file, field=field)
        try:
            name = str(entry["name"])
            lat, lon = float(entry["lat"]), float(entry["lon"])
            source = str(entry["source"])
        except (KeyError, TypeError, ValueError) as exc:
            raise PlaceError(f"each place needs name, lat, lon and source ({exc})", file=file, field=field) from None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise PlaceError(f"coordinates {lat}, {lon} out of range", file=file, field=field)
        kind = str(entry.get("kind", "site"))
        if kind not in _KINDS:
            raise PlaceError(f"unknown kind {kind!r}", file=file, field=field)
        places.append(
            Place(
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


class Gazetteer:
    """Name and ICAO-code lookups over curated places, with ``airportsdata`` for other ICAO codes."""

    def __init__(self, places: Iterable[Place], *, use_airportsdata: bool = True) -> None:
        self.places = tuple(places)
        self._by_key: dict[str, Place] = {}
        for place in self.places:
            for label in (place.name, *place.aliases):
                self._by_key.setdefault(normalize_name(label), place)
        self._by_icao = {p.icao: p for p in self.places if p.icao}
        self._use_airportsdata = use_airportsdata
        self._labels = {normalize_name(lbl): lbl for p in self.places for lbl in (p.name, *p.aliases)}

    @staticmethod
    @functools.cache
    def _airports() -> Mapping[str, Mapping[str, object]]:
        import airportsdata  # imported on first ICAO lookup only: it takes ~0.1 s

        return airportsdata.load("ICAO")

    def by_icao(self, code: str) -> Place | None:
        """The place with this ICAO code: curated first (XLMO is Olenya), then ``airportsdata``."""
        code = code.strip().upper()
        if len(code) != 4 or not code.isalnum():
            return None
        if code in self._by_icao:
            return self._by_icao[code]
        if not self._use_airportsdata:
            return None
        row = self._airports().get(code)
        if row is None:
            return None
        return Place(
            name=str(row["name"]),
            lat_deg=float(row["lat"]),  # type: ignore[arg-type]
            lon_deg=float(row["lon"]),  # type: ignore[arg-type]
            kind="airport",
            source=f"airportsdata {code}",
            icao=code,
            country=None,
        )

    def lookup(self, query: str) -> Place:
        """The place called ``query`` (a name, an alias, or an ICAO code).

        Raises :class:`PlaceError` with the three closest names when nothing matches.
        """
        key = normalize_name(query)
        if key in self._by_key:
            return self._by_key[key]
        if (place := self.by_icao(query)) is not None:
            return place
        raise PlaceError(f"unknown place {query.strip()!r}", suggestions=self.suggest(query))

    def suggest(self, query: str, n: int = 3) -> list[str]:
        """Up to ``n`` known names closest to ``query``."""
        key = normalize_name(query)
        keys = difflib.get_close_matches(key, list(self._labels), n=n * 3, cutoff=0.5)
        if not keys:
            keys = sorted(self._labels, key=lambda k: -difflib.SequenceMatcher(None, key, k).ratio())
        names: list[str] = []
        for k in keys:
            name = self._by_key[k].name
            if name not in names:
                names.append(name)
        return names[:n]


def load_gazetteer(path: str | Path = GAZETTEER_PATH) -> Gazetteer:
    """Read a gazetteer YAML file (default: the embedded one)."""
    path = Path(path)
    with path.open(encoding="utf-8") as handle:
        data = yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # C parser: 4× faster
    return Gazetteer(parse_gazetteer(data, file=path.name))


@functools.cache
def default_gazetteer() -> Gazetteer:
    """The embedded gazetteer, read once."""
    return load_gazetteer()
