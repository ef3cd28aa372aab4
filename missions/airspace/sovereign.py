"""Sovereign airspace for the overflight report: land, internal waters and territorial sea.

The airspace is embedded (``geodata/airspace_sovereign.wkb.gz``, built by
``python -m geodata.build_airspace --only sovereign``; the rules are in :mod:`geodata.airspace`):
per Natural Earth unit, its land, its internal waters (bays whose mouth is at most 24 nm, the
listed historic bays such as the White Sea) and its territorial sea (12 nm, or the sourced breadth
of territorial airspace: Greece 10 nm, Gibraltar and Jordan 3 nm), minus other units' land, cut
into pieces of at most 128 vertices. Where two units' seas overlap (a strait narrower than both
seas), both hold the band; the overflight code gives each stretch to the nearer land.

A unit of a :class:`~missions.airspace.index.CountryIndex` that the embedded data lacks (a custom
frame's made-up code) counts its land only.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray

from geodata.embedded import SOVEREIGN_PATH
from missions.checkedblocks import load_arrays_lazily
from missions.checkedcache import Damaged, cache_dir, file_version, prune_stale, save_arrays

from .index import CountryIndex, pack_polygons
from .tiles import LazyPolygons, Repair, repair_once

_log = logging.getLogger(__name__)

#: where sovereign seas overlap, land this far (nm) is looked at to find the nearer coast: a point of
#: internal waters is within 24 nm of its coast (a bay's closing disc has a 12 nm radius), of a
#: territorial sea within 12 nm
NEAREST_LAND_NM = 26.0
#: stretches shorter than this (m) join their neighbour: the data is rounded to 1e-4° (≈ 11 m), so
#: two neighbours' pieces may leave a gap of metres along a land border
SLIVER_M = 25.0


@dataclass(frozen=True, eq=False, kw_only=True)
class SovereignPieces:
    """The sovereign airspace of an index's countries, cut into pieces under an STRtree (read from the
    cache: built on first use and found through their tiles, :mod:`~missions.airspace.tiles`)."""

    pieces: NDArray[np.object_] | LazyPolygons  #: prepared (lon, lat) polygons
    piece_country: NDArray[np.intp]  #: per piece, its country in the index's numbering
    tree: shapely.STRtree | LazyPolygons
    whole: NDArray[np.object_] | LazyPolygons  #: per country, its airspace whole (prepared)


#: bump when the pieces' construction changes, so stale disk caches are rebuilt
_PIECES_FORMAT = 3  # 2: the pieces' boxes and tiles; 3: coordinates checked by blocks


def _cache_source(index: CountryIndex) -> str | None:
    """The version of the data the pieces of the embedded ``index`` are built from (None: not cached)."""
    if index.source is None:
        return None
    try:
        version = file_version(SOVEREIGN_PATH)
    except OSError:
        return None
    return f"{index.source} {SOVEREIGN_PATH.name} {version} pieces-format:{_PIECES_FORMAT}"


#: the names of the cache files, every version (before the format number, and after)
CACHE_PATTERNS = ("sovereign-pieces-????????????????.npz", "sovereign-pieces-v*-????????????????.npz")


def _cache_path(source: str) -> Path:
    digest = hashlib.sha256(source.encode()).hexdigest()[:16]
    return cache_dir() / f"sovereign-pieces-v{_PIECES_FORMAT}-{digest}.npz"


def _from_arrays(data: Mapping[str, Any], n_countries: int, repair: Repair) -> SovereignPieces | Damaged:
    try:
        pieces = LazyPolygons(data, "pieces", tiled=True, repair=repair)
        whole = LazyPolygons(data, "whole", repair=repair)
        owner = np.asarray(data["piece_country"], dtype=np.intp)
        if len(owner) != len(pieces) or len(whole) != n_countries or (len(owner) and owner.max() >= n_countries):
            return Damaged(reason="its arrays do not fit together")
    except (KeyError, ValueError, IndexError, TypeError, shapely.errors.ShapelyError) as exc:
        return Damaged(reason=f"its arrays cannot be read ({type(exc).__name__})")
    return SovereignPieces(pieces=pieces, piece_country=owner, tree=pieces, whole=whole)


#: the pieces' coordinate arrays, read from the cache file (and checked) by blocks as used
_BLOCKED = ("pieces_xy", "whole_xy")


def _prepared(pieces: NDArray[np.object_], owner: NDArray[np.intp], whole: NDArray[np.object_]) -> SovereignPieces:
    shapely.prepare(pieces)
    shapely.prepare(whole)
    return SovereignPieces(pieces=pieces, piece_country=owner, tree=shapely.STRtree(pieces), whole=whole)


@functools.lru_cache(maxsize=4)
def sovereign_pieces(index: CountryIndex) -> SovereignPieces:
    """The embedded sovereign airspace of ``index``'s countries (cached per index).

    For the embedded default index the pieces are also kept in a checked disk cache
    (:mod:`missions.checkedcache`, keyed by the SHA-256 of both data files), read in about half the
    time of unzipping and parsing the WKB. A damaged cache is rebuilt with one notice.
    """
    source = _cache_source(index)
    if source is not None:
        path = _cache_path(source)

        def rebuild(reason: str) -> dict[str, NDArray[np.generic]]:
            _log.warning("note: the sovereign airspace cache %s was not used (%s); rebuilding it", path, reason)
            return _saved(_build(index), source)

        arrays = load_arrays_lazily(path, source=source, lazy=_BLOCKED)
        cached = _from_arrays(arrays, len(index.iso3), repair_once(rebuild)) if isinstance(arrays, dict) else arrays
        if isinstance(cached, SovereignPieces):
            prune_stale(path, *CACHE_PATTERNS)  # other versions, unused for an hour (~0.1 ms)
            return cached
        if isinstance(cached, Damaged):
            _log.warning("note: the sovereign airspace cache %s was not used (%s); rebuilding it", path, cached.reason)
    built = _build(index)
    if source is not None:
        _saved(built, source)
    return built


def _saved(built: SovereignPieces, source: str) -> dict[str, NDArray[np.generic]]:
    """The pieces' arrays, written to their cache (when it can be written)."""
    packed = {
        **pack_polygons(built.pieces, "pieces", tiled=True),
        **pack_polygons(built.whole, "whole"),
        "piece_country": built.piece_country,
    }
    with contextlib.suppress(OSError, ValueError):  # a read-only home, a geometry the cache cannot hold
        save_arrays(_cache_path(source), packed, source=source, blocked=_BLOCKED)
        prune_stale(_cache_path(source), *CACHE_PATTERNS)  # the files of other versions
    return packed


def _build(index: CountryIndex) -> SovereignPieces:
    """The pieces from the embedded airspace file (unzipped, WKB parsed)."""
    from geodata.airspace import load_sovereign_airspace

    units = load_sovereign_airspace()
    parts, owners, whole = [], [], []
    for i, iso3 in enumerate(index.iso3):
        unit = units.get(iso3)
        # a code the embedded data lacks counts its land
        own = index.pieces[index.piece_country == i] if unit is None else shapely.get_parts(unit.airspace)
        parts.append(np.asarray(own, dtype=object))
        owners.append(np.full(len(own), i, dtype=np.intp))
        whole.append(index.land[i] if unit is None else unit.outline)
    return _prepared(np.concatenate(parts), np.concatenate(owners), np.array(whole, dtype=object))


#: the avoided-airspace layer of the map is drawn simplified at this tolerance (degrees, ≈ 5 km)
DRAW_TOLERANCE_DEG = 0.05


def avoided_shapes(codes: tuple[str, ...], tolerance_deg: float = DRAW_TOLERANCE_DEG) -> list[tuple[str, str, object]]:
    """``(iso3, name, polygons)`` of each unit's sovereign airspace, simplified for drawing (the map's
    light layer of the airspace a planned route avoided). Unknown codes are skipped."""
    from geodata.airspace import load_sovereign_airspace

    units = load_sovereign_airspace()
    out = []
    for code in codes:
        unit = units.get(code)
        if unit is None or unit.outline.is_empty:
            continue
        out.append((code, unit.name, shapely.simplify(unit.outline, tolerance_deg)))
    return out
