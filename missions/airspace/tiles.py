"""Polygons built on demand from a cache's coordinate arrays, and found through a grid of tiles.

A report's legs touch few of the country index's 8,444 pieces (the Tu-160 mission: 145) and of the
2,731 sovereign-airspace pieces (76). Building every piece as a GEOS geometry, preparing it and
indexing it under an STRtree cost a first report ~40 ms, and freeing them at exit ~15 ms more.
:class:`LazyPolygons` keeps the (checked) coordinate arrays of a cache file and builds a polygon
only when it is first asked for (:meth:`LazyPolygons.__getitem__`), prepared, once per process.

Spatial queries (:meth:`LazyPolygons.query`) give what :meth:`shapely.STRtree.query` gives, without
building a tree: each polygon's box is stored, and so is, per tile of ``TILE_DEG`` × ``TILE_DEG``
degrees of a grid over the world, the list of polygons whose box meets it. A query box finds its
tiles, their polygons, keeps those whose box meets its own (both boxes closed, as GEOS compares
envelopes) and, for ``predicate="intersects"``, those whose polygon intersects the query geometry.
Other predicates build the whole tree once (a rare path: the coastline-band rule).

The coordinates are read from the cache file as needed, each block checked by its CRC-32
(:mod:`missions.checkedblocks`); a block that fails has the cache's owner rebuild it from its source
(``repair``: one notice), and the polygons are built from the rebuilt arrays.

Thread-safe: geometries are built under a lock; a built one is never replaced.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping
from typing import Any, TypeVar

import numpy as np
import shapely
from numpy.typing import NDArray

from missions.checkedblocks import BlockArray, DamagedBlockError

#: the side of a tile of the lookup grid, degrees (a piece of ≤ 128 vertices spans ~0.1-5°)
TILE_DEG = 2.0
_NX, _NY = int(360 / TILE_DEG), int(180 / TILE_DEG)

Ints = NDArray[np.intp]
Array = NDArray[np.float64]
_Scalar = TypeVar("_Scalar", bound=np.generic)
#: ``(why the cache failed) -> its arrays rebuilt from their source`` (the cache rewritten, one notice given)
Repair = Callable[[str], Mapping[str, Any]]


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


def _spans(bounds: Array) -> tuple[Ints, Ints, Ints, Ints]:
    """The first and last tile column and row each box meets (boxes beyond the grid are clipped to it)."""

    def cell(value: Array, origin: float, n: int) -> Ints:
        return np.clip(np.floor((value - origin) / TILE_DEG), 0, n - 1).astype(np.intp)

    return (cell(bounds[:, 0], -180.0, _NX), cell(bounds[:, 1], -90.0, _NY),
            cell(bounds[:, 2], -180.0, _NX), cell(bounds[:, 3], -90.0, _NY))  # fmt: skip


def _expand(first: Ints, count: Ints) -> tuple[Ints, Ints]:
    """For runs ``first[i] .. first[i] + count[i] - 1``: (the run of each item, the items)."""
    run = np.repeat(np.arange(len(count), dtype=np.intp), count)
    rank = np.arange(len(run), dtype=np.intp) - np.repeat(np.cumsum(count) - count, count)
    return run, np.repeat(first, count) + rank


def _box_tiles(bounds: Array) -> tuple[Ints, Ints]:
    """(box, tile) for every tile each box meets; tiles numbered row by row from (-180, -90)."""
    x0, y0, x1, y1 = _spans(bounds)
    width = x1 - x0 + 1
    box, rank = _expand(np.zeros(len(bounds), dtype=np.intp), width * (y1 - y0 + 1))
    return box, (y0[box] + rank // width[box]) * _NX + x0[box] + rank % width[box]


def tile_table(bounds: Array) -> dict[str, NDArray[np.intp]]:
    """The lookup grid of polygons with these boxes (``(n, 4)``: west, south, east, north): per tile,
    its run in ``tile_geom`` (from ``tile_start``) of the polygons whose box meets it, in order."""
    geom, tile = _box_tiles(np.asarray(bounds, dtype=np.float64))
    order = np.argsort(tile, kind="stable")
    start = np.searchsorted(tile[order], np.arange(_NX * _NY + 1)).astype(np.intp)
    return {"tile_start": start, "tile_geom": geom[order].astype(np.intp)}


def take_polygons(
    xy: Array | BlockArray, offsets: tuple[NDArray[np.integer], ...], kind: shapely.GeometryType, ids: Ints
) -> NDArray[np.object_]:
    """The geometries ``ids`` of a ragged array (:func:`shapely.to_ragged_array`'s ``coords`` and
    ``offsets``), built alone: exactly those :func:`shapely.from_ragged_array` builds from all of it.
    Coordinates of a cache file (:class:`~missions.checkedblocks.BlockArray`) are read as needed."""
    parts, new = np.asarray(ids, dtype=np.intp), []
    for offset in reversed(offsets):  # geometries -> polygons -> rings -> coordinates
        first = np.asarray(offset[parts], dtype=np.intp)
        count = np.asarray(offset[parts + 1], dtype=np.intp) - first
        new.append(np.concatenate(([0], np.cumsum(count))).astype(np.int64))
        _, parts = _expand(first, count)
    coords = xy.take(parts) if isinstance(xy, BlockArray) else xy[parts]
    return np.asarray(shapely.from_ragged_array(kind, coords, tuple(reversed(new))), dtype=object)


class LazyPolygons:
    """(Multi)polygons packed as ragged arrays (``index.pack_polygons``), built when first used.

    Indexed like a NumPy object array (an int gives a geometry; an int array, a mask or a slice an
    array of them); :meth:`query` answers like :meth:`shapely.STRtree.query` when the boxes and tile
    table were packed (``tiled``). Built geometries are prepared.
    """

    def __init__(
        self, data: Mapping[str, Any], prefix: str, *, tiled: bool = False, repair: Repair | None = None
    ) -> None:
        self._prefix, self._repair = prefix, repair
        self._use(data)
        self._bounds = np.asarray(data[f"{prefix}_bounds"], dtype=np.float64) if tiled else None
        self._tile_start = np.asarray(data[f"{prefix}_tile_start"], dtype=np.intp) if tiled else None
        self._tile_geom = np.asarray(data[f"{prefix}_tile_geom"], dtype=np.intp) if tiled else None
        self._built = np.full(len(self._single), None, dtype=object)
        self._lock = threading.Lock()
        self._tree: shapely.STRtree | None = None
        self._check()

    def _use(self, data: Mapping[str, Any]) -> None:
        prefix = self._prefix
        self._xy = data[f"{prefix}_xy"]
        self._offsets = tuple(data[f"{prefix}_off{i}"] for i in range(3) if f"{prefix}_off{i}" in data)
        self._kind = shapely.GeometryType(int(data[f"{prefix}_kind"][0]))
        self._single = np.asarray(data[f"{prefix}_type"]) == shapely.GeometryType.POLYGON

    def _check(self) -> None:
        """Raise ValueError unless the arrays fit together (offsets rising within their next level)."""
        levels = (len(self._xy), *(len(o) - 1 for o in self._offsets))
        if self._xy.ndim != 2 or levels[-1] != len(self._single) or not self._offsets:
            raise ValueError("the polygons' arrays do not fit together")
        for offset, below in zip(self._offsets, levels, strict=False):
            if len(offset) and (offset[0] != 0 or offset[-1] != below or np.any(np.diff(offset) < 0)):
                raise ValueError("the polygons' offsets do not fit together")
        if self._bounds is not None and self._tile_start is not None and self._tile_geom is not None:
            start, geom, n = self._tile_start, self._tile_geom, len(self._single)
            if self._bounds.shape != (n, 4) or len(start) != _NX * _NY + 1 or start[-1] != len(geom):
                raise ValueError("the polygons' tile table does not fit them")
            if np.any(np.diff(start) < 0) or (len(geom) and (geom.min() < 0 or geom.max() >= n)):
                raise ValueError("the polygons' tile table does not fit them")

    def __len__(self) -> int:
        return len(self._built)

    @property
    def built(self) -> int:
        """How many of the geometries are built so far."""
        return int(np.count_nonzero(~shapely.is_missing(self._built)))

    def _build(self, ids: Ints) -> None:
        """Build (and prepare) those of the geometries ``ids`` (sorted, unique) not built yet."""
        with self._lock:
            todo = ids[shapely.is_missing(self._built[ids])]
            if len(todo):
                try:
                    geoms = take_polygons(self._xy, self._offsets, self._kind, todo)
                except DamagedBlockError as exc:  # a block of the cache file failed its check
                    if self._repair is None:
                        raise
                    self._use(self._repair(str(exc)))  # the same polygons, rebuilt from their source
                    geoms = take_polygons(self._xy, self._offsets, self._kind, todo)
                single = self._single[todo] & (shapely.get_type_id(geoms) == shapely.GeometryType.MULTIPOLYGON)
                geoms[single] = shapely.get_geometry(geoms[single], 0)
                shapely.prepare(geoms)
                self._built[todo] = geoms

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, int | np.integer):
            self._build(np.array([range(len(self))[key]], dtype=np.intp))
            return self._built[key]
        ids = np.arange(len(self), dtype=np.intp)[key]
        self._build(unique_sorted(ids))
        return self._built[ids]

    def __iter__(self) -> Iterator[Any]:
        return iter(self[:])

    def __array__(self, dtype: Any = None, copy: Any = None) -> NDArray[np.object_]:
        return np.asarray(self[:], dtype=dtype)

    def full_tree(self) -> shapely.STRtree:
        """An STRtree of every geometry (all built; once)."""
        geoms = self[:]
        with self._lock:
            if self._tree is None:
                self._tree = shapely.STRtree(geoms)
            return self._tree

    def candidates(self, bounds: Array) -> tuple[Ints, Ints]:
        """(box, geometry) pairs whose boxes meet, sorted by box then geometry; NaN boxes meet none."""
        if self._bounds is None or self._tile_start is None or self._tile_geom is None:
            raise ValueError("these polygons were packed without their tile table")
        bounds = np.asarray(bounds, dtype=np.float64).reshape(-1, 4)
        which = np.flatnonzero(~np.isnan(bounds).any(axis=1))
        box, tile = _box_tiles(bounds[which])
        first = self._tile_start[tile]
        pair, geom = _expand(first, self._tile_start[tile + 1] - first)
        box, geom = box[pair], self._tile_geom[geom]
        q, g = bounds[which][box], self._bounds[geom]
        meet = (g[:, 0] <= q[:, 2]) & (g[:, 2] >= q[:, 0]) & (g[:, 1] <= q[:, 3]) & (g[:, 3] >= q[:, 1])
        key = unique_sorted(which[box[meet]] * len(self) + geom[meet])
        return (key // len(self)).astype(np.intp), (key % len(self)).astype(np.intp)

    def query(self, geometry: Any, predicate: str | None = None, distance: Any = None) -> Ints:
        """As :meth:`shapely.STRtree.query` of an STRtree of these geometries: for one geometry the
        indices of those that meet it, for an array ``(2, n)`` pairs (input, geometry), sorted."""
        if predicate not in (None, "intersects") or self._bounds is None:
            return np.asarray(self.full_tree().query(geometry, predicate=predicate, distance=distance))
        scalar = isinstance(geometry, shapely.Geometry)
        geoms = np.asarray([geometry] if scalar else geometry, dtype=object).ravel()
        q, g = self.candidates(shapely.bounds(geoms))
        if predicate == "intersects" and len(q):
            keep = shapely.intersects(self[g], geoms[q])  # the built geometries are prepared
            q, g = q[keep], g[keep]
        return g if scalar else np.vstack([q, g])


def repair_once(rebuild: Repair) -> Repair:
    """``rebuild`` called at most once, whichever thread or polygons ask first; later calls get its
    first answer (one rebuild and one notice per damaged cache file)."""
    lock = threading.Lock()
    done: list[Mapping[str, Any]] = []

    def repair(reason: str) -> Mapping[str, Any]:
        with lock:
            if not done:
                done.append(rebuild(reason))
            return done[0]

    return repair
