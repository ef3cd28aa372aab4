"""The country index: Natural Earth admin-0 polygons cut into small pieces under an STRtree.

Built once from the embedded fine polygons (``geodata.countries``) and kept in a disk cache as
coordinate arrays (no pickle); :func:`country_index` returns the cached default. Territorial-sea
bands of the pieces are built lazily (:mod:`missions.airspace.bands`) and cached on the index.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely
from numpy.typing import NDArray

from missions.checkedblocks import load_arrays_lazily
from missions.checkedcache import Damaged, cache_dir, file_version, prune_stale, save_arrays
from missions.errors import PlaceError

from .tiles import LazyPolygons, Repair, repair_once, tile_table
from .tiles import unique_sorted as unique_sorted  # re-exported: used across the package

_log = logging.getLogger(__name__)

if TYPE_CHECKING:  # geopandas is imported only to index a frame, never on the cached path
    import geopandas as gpd

#: one international nautical mile, in metres
NM_M = 1852.0
#: countries are cut into index pieces of at most this many vertices
MAX_PIECE_VERTICES = 128


@dataclass(frozen=True, eq=False, kw_only=True)
class CountryIndex:
    """Country polygons cut into small pieces under an STRtree, ready for :func:`route_crossings`.

    Build once with :func:`country_index` and reuse; the default one is cached.
    """

    iso3: tuple[str, ...]  #: per country
    name: tuple[str, ...]  #: per country
    #: per country, the polygons as given (prepared copies); read from the cache: built on first use
    land: NDArray[np.object_] | LazyPolygons
    piece_country: NDArray[np.intp]  #: per index piece, its country
    pieces: NDArray[np.object_] | LazyPolygons  #: the index pieces (prepared)
    #: the pieces' STRtree; read from the cache: the pieces themselves, found through their tiles
    tree: shapely.STRtree | LazyPolygons
    #: the version of the data it was built from (:func:`_cache_source`) when it is the embedded
    #: default; None for an index of a caller's frame (nothing derived from it is cached on disk)
    source: str | None = None
    _bands: dict[float, NDArray[np.object_]] = field(default_factory=dict, repr=False)

    @classmethod
    def from_frame(cls, countries: gpd.GeoDataFrame) -> CountryIndex:
        """Index a frame with columns ``iso3``, ``name`` and (lon, lat) polygons."""
        if countries.crs is not None and countries.crs.to_epsg() != 4326:
            countries = countries.to_crs("EPSG:4326")
        from geodata.airspace import subdivide

        land = np.asarray(countries.geometry.values, dtype=object)
        pieces, owner = subdivide(land, MAX_PIECE_VERTICES)
        shapely.prepare(pieces)
        land = shapely.make_valid(land)  # a copy, prepared for whole-country containment tests
        shapely.prepare(land)
        return cls(
            iso3=tuple(str(v) for v in countries["iso3"]),
            name=tuple(str(v) for v in countries["name"]),
            land=land,
            piece_country=owner,
            pieces=pieces,
            tree=shapely.STRtree(pieces),
        )

    def bands(self, pieces: NDArray[np.intp], nm: float) -> NDArray[np.object_]:
        """The territorial-sea band pieces (``nm`` nautical miles) of these index pieces.

        Built on first use and cached: one band piece per land piece (see :func:`band_piece`).
        """
        cache = self._bands.setdefault(nm, np.full(len(self.pieces), None, dtype=object))
        todo = unique_sorted(pieces[shapely.is_missing(cache[pieces])])
        if len(todo):
            from .bands import band_piece

            built = np.array([band_piece(self, int(p), nm * NM_M) for p in todo], dtype=object)
            shapely.prepare(built)
            cache[todo] = built
        return cache[pieces]


#: bump when the index's construction changes, so stale caches are rebuilt
_INDEX_FORMAT = 4  # 2: ragged coordinate arrays instead of WKB; 3: the pieces' boxes and tiles; 4: blocks


def _cache_source() -> str | None:
    """The version of the data the default index is built from (None if it cannot be read)."""
    from geodata.countries import FINE_PATH

    try:
        version = file_version(FINE_PATH)
    except OSError:
        return None
    return f"{FINE_PATH.name} {version} index-format:{_INDEX_FORMAT} piece-vertices:{MAX_PIECE_VERTICES}"


#: the names of the default index's cache files, every version (:func:`_cache_path`)
CACHE_PATTERN = "country-index-v*-*-????????????????.npz"


def _cache_path(source: str | None = None) -> Path | None:
    """Where the built default index is kept: ``$MISSIONS_CACHE_DIR`` or ``~/.cache/missions``."""
    source = source or _cache_source()
    if source is None:
        return None
    digest = hashlib.sha256(source.encode()).hexdigest()[:16]
    return cache_dir() / f"country-index-v{_INDEX_FORMAT}-{MAX_PIECE_VERTICES}-{digest}.npz"


def pack_polygons(
    geoms: NDArray[np.object_] | LazyPolygons, prefix: str, *, tiled: bool = False
) -> dict[str, NDArray[np.generic]]:
    """(Multi)polygons as ragged arrays: coordinates, offsets and each geometry's type; ``tiled``:
    also their boxes and tile table (:func:`~missions.airspace.tiles.tile_table`).

    :class:`~missions.airspace.tiles.LazyPolygons` rebuilds each one when first used (a few NumPy
    copies, ~8× faster than parsing WKB).
    """
    geoms = np.asarray(geoms, dtype=object)
    kind, coords, offsets = shapely.to_ragged_array(geoms)
    arrays = {f"{prefix}_xy": coords, f"{prefix}_kind": np.array([int(kind)]),
              f"{prefix}_type": shapely.get_type_id(geoms).astype(np.int8)}  # fmt: skip
    arrays.update({f"{prefix}_off{i}": np.asarray(o) for i, o in enumerate(offsets)})
    if tiled:
        bounds = shapely.bounds(geoms)
        arrays[f"{prefix}_bounds"] = bounds
        arrays.update({f"{prefix}_{name}": table for name, table in tile_table(bounds).items()})
    return arrays


def save_index(index: CountryIndex, path: Path, *, source: str) -> None:
    """Write an index as coordinate arrays (no pickle) with its source version and checksum, atomically."""
    arrays = {
        "iso3": np.array(index.iso3),
        "name": np.array(index.name),
        **_packed(index),
        "piece_country": np.asarray(index.piece_country),
    }
    save_arrays(path, arrays, source=source, blocked=_BLOCKED)


#: the index's coordinate arrays, read from its cache file (and checked) by blocks as used
_BLOCKED = ("land_xy", "pieces_xy")


def _packed(index: CountryIndex) -> dict[str, NDArray[np.generic]]:
    return {**pack_polygons(index.land, "land"), **pack_polygons(index.pieces, "pieces", tiled=True)}


def load_index(path: Path, *, source: str, repair: Repair | None = None) -> CountryIndex | Damaged | None:
    """Read an index written by :func:`save_index` (a few milliseconds: its polygons are built when
    first used, from coordinates read as needed, and found through their tiles, :mod:`.tiles`).

    ``None`` when there is no file; :class:`~missions.checkedcache.Damaged` when the file is not a
    regular file, cannot be unpacked, was built from other data or fails its checksum. ``repair``:
    what rebuilds the polygons' arrays when a block of their coordinates fails its check later.
    """
    data = load_arrays_lazily(path, source=source, lazy=_BLOCKED)
    if data is None or isinstance(data, Damaged):
        return data
    try:
        land = LazyPolygons(data, "land", repair=repair)
        pieces = LazyPolygons(data, "pieces", tiled=True, repair=repair)
        piece_country = np.asarray(data["piece_country"], dtype=np.intp)
        iso3 = tuple(str(v) for v in np.asarray(data["iso3"]))
        if len(iso3) != len(land) or len(piece_country) != len(pieces) or piece_country.max() >= len(land):
            return Damaged(reason="its arrays do not fit together")
    except (KeyError, ValueError, IndexError, TypeError, shapely.errors.ShapelyError) as exc:
        return Damaged(reason=f"its arrays cannot be read ({type(exc).__name__})")
    return CountryIndex(
        iso3=iso3,
        name=tuple(str(v) for v in np.asarray(data["name"])),
        land=land,
        piece_country=piece_country,
        pieces=pieces,
        tree=pieces,
        source=source,
    )


@functools.lru_cache(maxsize=1)
def _default_index() -> CountryIndex:
    """The embedded fine polygons, indexed; kept in a disk cache after the first build (~1.5 s).

    A damaged cache is never trusted: it is rebuilt once, replaced atomically, and one line on
    stderr says so (also when a block of its coordinates fails its check as it is read, later).
    """
    source = _cache_source()
    path = _cache_path(source)
    if path is not None and source is not None:

        def rebuild(reason: str) -> dict[str, NDArray[np.generic]]:
            _log.warning("note: the country index cache %s was not used (%s); rebuilding it", path, reason)
            return _packed(_built(path, source))

        cached = load_index(path, source=source, repair=repair_once(rebuild))
        if isinstance(cached, CountryIndex):
            prune_stale(path, CACHE_PATTERN)  # other versions, unused for an hour (~0.1 ms)
            return cached
        if isinstance(cached, Damaged):
            _log.warning("note: the country index cache %s was not used (%s); rebuilding it", path, cached.reason)
    return _built(path, source)


def _built(path: Path | None, source: str | None) -> CountryIndex:
    """The default index built from the embedded polygons (~1.5 s) and kept in its cache."""
    from geodata.countries import load_countries

    index = replace(CountryIndex.from_frame(load_countries("fine")), source=source)
    if path is not None and source is not None:
        with contextlib.suppress(OSError, ValueError):  # a read-only home, a geometry type the cache cannot hold
            save_index(index, path, source=source)
            prune_stale(path, CACHE_PATTERN)  # the files of other versions (~10-30 MB each)
    return index


def country_index(countries: gpd.GeoDataFrame | CountryIndex | None = None) -> CountryIndex:
    """The index for ``countries`` (None: the embedded fine Natural Earth polygons, cached)."""
    if countries is None:
        return _default_index()
    if isinstance(countries, CountryIndex):
        return countries
    return CountryIndex.from_frame(countries)


@functools.lru_cache(maxsize=1)
def _embedded_codes() -> tuple[str, ...]:
    """The codes of the embedded countries, read from the planning airspace's header (the same 250
    Natural Earth units as the index, without loading the index)."""
    from geodata.airspace import load_plan_airspace

    return tuple(load_plan_airspace())


def check_iso3(codes: Iterable[str], countries: gpd.GeoDataFrame | CountryIndex | None = None) -> tuple[str, ...]:
    """Upper-cased codes, each checked against the country data; an unknown one raises PlaceError."""
    import difflib

    known = country_index(countries).iso3 if countries is not None else _embedded_codes()
    out = []
    for code in codes:
        norm = code.strip().upper()
        if norm not in known:
            raise PlaceError(
                f"unknown country code {code!r} (Natural Earth ADM0_A3)",
                suggestions=difflib.get_close_matches(norm, known, n=3),
            )
        out.append(norm)
    return tuple(out)


def __getattr__(name: str) -> Any:
    """``subdivide`` (:func:`geodata.airspace.subdivide`, re-exported): :mod:`geodata.airspace` (its
    pyproj transformers, ~3 ms) loads on first use, never on a report's path."""
    if name == "subdivide":
        from geodata.airspace import subdivide

        return subdivide
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
