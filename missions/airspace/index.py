"""The country index: Natural Earth admin-0 polygons cut into small pieces under an STRtree.

Built once from the embedded fine polygons (``geodata.countries``) and kept in a disk cache as
coordinate arrays (no pickle); :func:`country_index` returns the cached default. Territorial-sea
bands of the pieces are built lazily (:mod:`missions.airspace.bands`) and cached on the index.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import itertools
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import numpy as np
import shapely
from numpy.typing import NDArray

from geodata.airspace import subdivide
from missions.checkedcache import Damaged, cache_dir, file_version, load_arrays, prune_stale, save_arrays
from missions.errors import PlaceError

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
    land: NDArray[np.object_]  #: per country, the polygons as given (prepared copies)
    piece_country: NDArray[np.intp]  #: per index piece, its country
    pieces: NDArray[np.object_]  #: the index pieces (prepared)
    tree: shapely.STRtree
    #: the version of the data it was built from (:func:`_cache_source`) when it is the embedded
    #: default; None for an index of a caller's frame (nothing derived from it is cached on disk)
    source: str | None = None
    _bands: dict[float, NDArray[np.object_]] = field(default_factory=dict, repr=False)

    @classmethod
    def from_frame(cls, countries: gpd.GeoDataFrame) -> CountryIndex:
        """Index a frame with columns ``iso3``, ``name`` and (lon, lat) polygons."""
        if countries.crs is not None and countries.crs.to_epsg() != 4326:
            countries = countries.to_crs("EPSG:4326")
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


_Scalar = TypeVar("_Scalar", bound=np.generic)


def unique_sorted(values: NDArray[_Scalar]) -> NDArray[_Scalar]:
    """``np.unique(values)`` (sorted, each value once), without importing ``numpy.ma``.

    NumPy 2's ``np.unique`` without ``return_*`` flags imports ``numpy.ma`` (~10 ms) on first call,
    a cost every ``report`` paid; this is the same sort-and-compare.

    >>> unique_sorted(np.array([3, 1, 3, 2])).tolist()
    [1, 2, 3]
    """
    ordered = np.sort(np.asarray(values), axis=None)
    if not len(ordered):
        return ordered
    return ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))]


#: bump when the index's construction changes, so stale caches are rebuilt
_INDEX_FORMAT = 2  # 2: ragged coordinate arrays instead of WKB


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


def pack_polygons(geoms: NDArray[np.object_], prefix: str) -> dict[str, NDArray[np.generic]]:
    """(Multi)polygons as ragged arrays: coordinates, offsets and each geometry's type.

    Rebuilding them (:func:`unpack_polygons`) is a few NumPy copies, ~8× faster than parsing WKB.
    """
    kind, coords, offsets = shapely.to_ragged_array(geoms)
    arrays = {f"{prefix}_xy": coords, f"{prefix}_kind": np.array([int(kind)]),
              f"{prefix}_type": shapely.get_type_id(geoms).astype(np.int8)}  # fmt: skip
    arrays.update({f"{prefix}_off{i}": np.asarray(o) for i, o in enumerate(offsets)})
    return arrays


def unpack_polygons(data: Mapping[str, NDArray[np.generic]], prefix: str) -> NDArray[np.object_]:
    """The geometries :func:`pack_polygons` packed, exactly (a Polygon stays a Polygon in a mixed array)."""
    offsets = tuple(itertools.takewhile(lambda o: o is not None, (data.get(f"{prefix}_off{i}") for i in range(3))))
    kind = shapely.GeometryType(int(data[f"{prefix}_kind"][0]))
    geoms = shapely.from_ragged_array(kind, data[f"{prefix}_xy"], offsets)
    single = (np.asarray(data[f"{prefix}_type"]) == shapely.GeometryType.POLYGON) & (
        shapely.get_type_id(geoms) == shapely.GeometryType.MULTIPOLYGON
    )
    geoms[single] = shapely.get_geometry(geoms[single], 0)
    return geoms


def save_index(index: CountryIndex, path: Path, *, source: str) -> None:
    """Write an index as coordinate arrays (no pickle) with its source version and checksum, atomically."""
    arrays = {
        "iso3": np.array(index.iso3),
        "name": np.array(index.name),
        **pack_polygons(index.land, "land"),
        **pack_polygons(index.pieces, "pieces"),
        "piece_country": np.asarray(index.piece_country),
    }
    save_arrays(path, arrays, source=source)


def load_index(path: Path, *, source: str) -> CountryIndex | Damaged | None:
    """Read an index written by :func:`save_index` (tens of milliseconds instead of seconds).

    ``None`` when there is no file; :class:`~missions.checkedcache.Damaged` when the file is not a
    regular file, cannot be unpacked, was built from other data or fails its checksum.
    """
    data = load_arrays(path, source=source)
    if data is None or isinstance(data, Damaged):
        return data
    try:
        land = unpack_polygons(data, "land")
        pieces = unpack_polygons(data, "pieces")
        piece_country = np.asarray(data["piece_country"], dtype=np.intp)
        iso3 = tuple(str(v) for v in data["iso3"])
        if len(iso3) != len(land) or len(piece_country) != len(pieces) or piece_country.max() >= len(land):
            return Damaged(reason="its arrays do not fit together")
    except (KeyError, ValueError, IndexError, TypeError, shapely.errors.ShapelyError) as exc:
        return Damaged(reason=f"its arrays cannot be read ({type(exc).__name__})")
    shapely.prepare(land)
    shapely.prepare(pieces)
    return CountryIndex(
        iso3=iso3,
        name=tuple(str(v) for v in data["name"]),
        land=land,
        piece_country=piece_country,
        pieces=pieces,
        tree=shapely.STRtree(pieces),
        source=source,
    )


@functools.lru_cache(maxsize=1)
def _default_index() -> CountryIndex:
    """The embedded fine polygons, indexed; kept in a disk cache after the first build (~1.5 s).

    A damaged cache is never trusted: it is rebuilt once, replaced atomically, and one line on
    stderr says so.
    """
    source = _cache_source()
    path = _cache_path(source)
    if path is not None and source is not None:
        cached = load_index(path, source=source)
        if isinstance(cached, CountryIndex):
            prune_stale(path, CACHE_PATTERN)  # other versions, unused for an hour (~0.1 ms)
            return cached
        if isinstance(cached, Damaged):
            _log.warning("note: the country index cache %s was not used (%s); rebuilding it", path, cached.reason)
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
