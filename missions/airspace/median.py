"""Where two countries' seas overlap (a strait narrower than both seas): each stretch of a leg goes to
the country whose land is nearer, sampled every ``MEDIAN_STEP_M`` (an approximate median line), for
all the overlapping stretches of all legs at once.

The search, batched over every sample of every overlap (no GEOS call per sample or per piece):

1. One box query of the land pieces' STRtree per overlapping stretch (its samples' box widened by the
   sea breadth) finds the pieces of its countries that may hold the nearest land.
2. Their edges are projected once to WGS84 Mercator (pyproj; conformal, so "nearest" keeps its
   meaning locally) and, per country, held in an STRtree of edges.
3. Per country, one GEOS nearest-neighbour query gives each sample its nearest edge; the nearest
   point on it is found in NumPy, and its distance measured on WGS84 (:meth:`pyproj.Geod.inv`). A
   sample on the country's land (prepared ``intersects_xy``) is at distance 0.
4. Each sample goes to the nearest country. Ties (off the end of a land border, where both coasts'
   nearest point is the border's last point) and samples with no land within reach go to the lowest
   country number (the index's order).
"""

from __future__ import annotations

import functools

import numpy as np
import shapely
from numpy.typing import NDArray
from pyproj import Transformer

from missions.geodesy import GEOD

from .index import NM_M, CountryIndex, unique_sorted

#: sampling step (m) of the nearest-land rule where territorial-sea bands overlap
MEDIAN_STEP_M = 1_000.0

_LAT_CAP_DEG = 89.99
#: one turn of longitude on the Mercator plane (m): 2π times WGS84's equatorial radius
_MERCATOR_TURN_M = 2.0 * np.pi * 6_378_137.0

Array = NDArray[np.float64]
Ints = NDArray[np.intp]


def band_margin_deg(lat_deg: Array, nm: float) -> Array:
    """A planar (lon, lat) distance in degrees never smaller than ``nm`` nautical miles near ``lat_deg``."""
    top = np.minimum(np.abs(lat_deg) + nm / 60.0 * 1.01, _LAT_CAP_DEG)
    return nm * NM_M / 110_000.0 / np.cos(np.radians(top))


@functools.cache
def _mercator() -> Transformer:
    """WGS84 (lon, lat) degrees -> ellipsoidal Mercator metres (a pipeline: no database lookup)."""
    return Transformer.from_pipeline("+proj=merc +ellps=WGS84")


def _to_mercator(lon_deg: Array, lat_deg: Array) -> tuple[Array, Array]:
    """Mercator metres of points whose longitudes may leave [-180, 180] (they stay continuous)."""
    x, y = (np.asarray(v, dtype=np.float64) for v in _mercator().transform(lon_deg, lat_deg))
    turns = np.round((lon_deg - ((lon_deg + 180.0) % 360.0 - 180.0)) / 360.0)
    return x + turns * _MERCATOR_TURN_M, y


def nearest_owner(
    index: CountryIndex, lat_deg: Array, lon_deg: Array, overlap_of: Ints, cover: Ints, n_cover: Ints, nm: float
) -> Ints:
    """For every sample, the country of its overlap whose land is nearest.

    Samples are given in order of their overlap (``overlap_of``); each overlap lists its countries
    in ``cover``, sorted, ``n_cover`` of them. Land is looked for within about ``nm`` nautical miles
    (the samples lie in seas of that breadth).
    """
    if not len(lat_deg):
        return np.zeros(0, dtype=np.intp)
    nm = max(nm, 1.0)
    lat = np.asarray(lat_deg, dtype=np.float64)
    starts = np.searchsorted(overlap_of, np.arange(len(n_cover)))
    first_lon = np.asarray(lon_deg, dtype=np.float64)[np.minimum(starts, len(lat) - 1)][overlap_of]
    lon = first_lon + (lon_deg - first_lon + 180.0) % 360.0 - 180.0  # continuous along each overlap
    # every (sample, candidate country) pair
    per_sample = n_cover[overlap_of]
    pair_sample = np.repeat(np.arange(len(lat)), per_sample)
    pair_rank = np.arange(len(pair_sample)) - np.repeat(np.cumsum(per_sample) - per_sample, per_sample)
    pair_country = cover[(np.cumsum(n_cover) - n_cover)[overlap_of[pair_sample]] + pair_rank]
    edges, edge_country = _candidate_edges(index, overlap_of, lat, lon, cover, n_cover, nm)
    x, y = _to_mercator(lon, lat)
    wrapped_lon = (lon + 180.0) % 360.0 - 180.0
    dist = np.full(len(pair_sample), np.inf)
    for c in unique_sorted(pair_country).tolist():
        pairs = np.flatnonzero(pair_country == c)
        s = pair_sample[pairs]
        mine = edges[edge_country == c]
        if len(mine):
            dist[pairs] = _coast_distance_m(mine, lat[s], lon[s], x[s], y[s], nm)
        dist[pairs[shapely.intersects_xy(index.land[c], wrapped_lon[s], lat[s])]] = 0.0  # on its land
    # per sample, the nearest (ties and no land in reach: the lowest country number)
    order = np.lexsort((pair_country, dist, pair_sample))
    first = np.concatenate(([True], pair_sample[order][1:] != pair_sample[order][:-1]))
    return pair_country[order][first]


def _candidate_edges(
    index: CountryIndex,
    overlap_of: Ints,
    lat: Array,
    lon: Array,
    cover: Ints,
    n_cover: Ints,
    nm: float,
) -> tuple[Array, Ints]:
    """The edges (on the Mercator plane) of the land pieces of the overlaps' countries near their samples.

    One box per overlap (its samples, continuous in longitude, widened by the sea breadth); a box
    that crosses ±180° also looks one turn over, and a piece found there is moved by that turn.
    Returns the edges (n, 2, 2) and their countries.
    """
    n = len(n_cover)
    south, north = np.full(n, np.inf), np.full(n, -np.inf)
    west, east = np.full(n, np.inf), np.full(n, -np.inf)
    np.minimum.at(south, overlap_of, lat)
    np.maximum.at(north, overlap_of, lat)
    np.minimum.at(west, overlap_of, lon)
    np.maximum.at(east, overlap_of, lon)
    margin: Array = band_margin_deg(np.maximum(np.abs(south), np.abs(north)), nm) * 1.05
    found: list[tuple[NDArray[np.intp], NDArray[np.intp], Array]] = []
    for turns_over in (0.0, 1.0, -1.0):  # a piece found one turn over is moved by that turn
        crosses = (east + margin > 180.0) if turns_over > 0 else (west - margin < -180.0)
        which = np.flatnonzero(crosses) if turns_over else np.arange(n)
        if not len(which):
            continue
        shift = -360.0 * turns_over
        boxes = shapely.box(west[which] - margin[which] + shift, south[which] - margin[which],
                            east[which] + margin[which] + shift, north[which] + margin[which])  # fmt: skip
        o, p = index.tree.query(boxes)
        found.append((which[o], p, np.full(len(p), turns_over)))
    o, p, turn = (np.concatenate(column) for column in zip(*found, strict=True))
    # keep the pieces of the overlap's own countries
    country = index.piece_country[p]
    n_countries = len(index.iso3)
    listed = np.repeat(np.arange(n), n_cover) * n_countries + cover
    keep = np.isin(o * n_countries + country, listed)
    key = unique_sorted(p[keep] * 3 + (turn[keep] + 1).astype(np.intp))
    piece, turns = key // 3, (key % 3) - 1.0
    # their edges (every ring; cuts between pieces lie on land and are never nearer than the coast)
    rings, ring_piece = shapely.get_rings(index.pieces[piece], return_index=True)
    coords, ring = shapely.get_coordinates(rings, return_index=True)
    same = ring[1:] == ring[:-1]
    edge_piece = ring_piece[ring[:-1][same]]
    mx, my = (np.asarray(v) for v in _mercator().transform(coords[:, 0], coords[:, 1]))
    plane = np.column_stack([mx, my])
    edges = np.stack([plane[:-1][same], plane[1:][same]], axis=1)
    edges[:, :, 0] += (turns[edge_piece] * _MERCATOR_TURN_M)[:, None]
    return edges, index.piece_country[piece][edge_piece]


def _coast_distance_m(edges: Array, lat_deg: Array, lon_deg: Array, x_m: Array, y_m: Array, nm: float) -> Array:
    """Geodesic metres from each point to the nearest of ``edges`` (Mercator metres, (n, 2, 2)); inf when
    none lies within about ``nm`` nautical miles. The points are given in (lat, lon) and (x, y) metres."""
    out = np.full(len(lat_deg), np.inf)
    top = np.radians(min(float(np.max(np.abs(lat_deg))) + nm / 60.0 * 1.01, _LAT_CAP_DEG))
    reach_m = nm * NM_M * 1.05 / np.cos(top)  # the Mercator plane's scale is at most sec φ
    tree = shapely.STRtree(shapely.linestrings(edges))
    point, edge = tree.query_nearest(shapely.points(x_m, y_m), max_distance=reach_m, all_matches=False)
    # the nearest point of that edge, in NumPy
    a, ab = edges[edge, 0], edges[edge, 1] - edges[edge, 0]
    p = np.column_stack([x_m[point], y_m[point]])
    length2 = np.einsum("ij,ij->i", ab, ab)
    with np.errstate(invalid="ignore", divide="ignore"):
        t = np.clip(np.where(length2 > 0, np.einsum("ij,ij->i", p - a, ab) / length2, 0.0), 0.0, 1.0)
    near = a + t[:, None] * ab
    near_lon, near_lat = _mercator().transform(near[:, 0], near[:, 1], direction="INVERSE")
    _, _, d = GEOD.inv(lon_deg[point], lat_deg[point], np.asarray(near_lon), np.asarray(near_lat))
    out[point] = np.asarray(d)
    return out
