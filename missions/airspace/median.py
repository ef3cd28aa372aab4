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
#: samples measured first: one in this many (and each overlap's last); see :func:`nearest_owner`
_COARSE = 8
#: a relative allowance for the measure's error (m per m), on top of the Mercator scale's
_ERROR_PER_M = 0.005
#: WGS84's equatorial radius (m), for the error bound only
_EARTH_RADIUS_M = 6_378_137.0
#: one turn of longitude on the Mercator plane (m): 2π times WGS84's equatorial radius
_MERCATOR_TURN_M = 2.0 * np.pi * _EARTH_RADIUS_M

Array = NDArray[np.float64]
Ints = NDArray[np.intp]


def envelopes(west: Array, south: Array, east: Array, north: Array) -> NDArray[np.object_]:
    """Geometries whose boxes are the given ones, for box-only STRtree queries: diagonal two-point
    lines (several times cheaper to build than ``shapely.box`` polygons, the same envelopes)."""
    corners = np.stack([np.column_stack([west, south]), np.column_stack([east, north])], axis=1)
    return shapely.linestrings(corners)


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
    index: CountryIndex,
    lat_deg: Array,
    lon_deg: Array,
    overlap_of: Ints,
    cover: Ints,
    n_cover: Ints,
    step_m: Array,
    nm: float,
) -> Ints:
    """For every sample, the country of its overlap whose land is nearest.

    Samples are given in order of their overlap (``overlap_of``), ``step_m`` apart along it; each
    overlap lists its countries in ``cover``, sorted, ``n_cover`` of them. Land is looked for within
    about ``nm`` nautical miles (the samples lie in seas of that breadth).

    Every ``_COARSE``-th sample (and each overlap's last) is measured first. Distance to land changes
    by at most the distance moved, so between two measured samples with the same owner whose margins
    over the runner-up add up to more than twice the way between them (with the measure's error),
    no sample can change owner: those are not measured.
    """
    n = len(lat_deg)
    if not n:
        return np.zeros(0, dtype=np.intp)
    nm = max(nm, 1.0)
    lat = np.asarray(lat_deg, dtype=np.float64)
    n_over = len(n_cover)
    starts = np.searchsorted(overlap_of, np.arange(n_over))
    first_lon = np.asarray(lon_deg, dtype=np.float64)[np.minimum(starts, n - 1)][overlap_of]
    lon = first_lon + (lon_deg - first_lon + 180.0) % 360.0 - 180.0  # continuous along each overlap
    # every (sample, candidate country) pair
    per_sample = n_cover[overlap_of]
    pair_sample = np.repeat(np.arange(n), per_sample)
    pair_rank = np.arange(len(pair_sample)) - np.repeat(np.cumsum(per_sample) - per_sample, per_sample)
    pair_country = cover[(np.cumsum(n_cover) - n_cover)[overlap_of[pair_sample]] + pair_rank]
    edges, edge_country = _candidate_edges(index, overlap_of, lat, lon, cover, n_cover, nm)
    x, y = _to_mercator(lon, lat)
    dist = np.full(len(pair_sample), np.inf)
    by_country = np.argsort(edge_country, kind="stable")
    edge_bounds = np.searchsorted(edge_country[by_country], np.arange(len(index.iso3) + 1))
    points = shapely.points(x, y)
    trees: dict[int, tuple[shapely.STRtree, Array, float]] = {}  # per country, built once

    def measure(samples: NDArray[np.bool_]) -> None:
        chosen = samples[pair_sample]
        found_pairs, found_near = [], []
        for c in unique_sorted(pair_country[chosen]).tolist():  # one nearest-edge query per country
            pairs = np.flatnonzero(chosen & (pair_country == c))
            if c not in trees:
                mine = edges[by_country[edge_bounds[c] : edge_bounds[c + 1]]]
                top = min(float(np.max(np.abs(lat[pair_sample[pair_country == c]]))) + nm / 60.0 * 1.01, _LAT_CAP_DEG)
                reach_m = nm * NM_M * 1.05 / np.cos(np.radians(top))  # the plane's scale is at most sec φ
                trees[c] = (shapely.STRtree(shapely.linestrings(mine)), mine, reach_m)
            tree, mine, reach_m = trees[c]
            if len(mine):
                s = pair_sample[pairs]
                k, near = _nearest_on_plane(tree, mine, points[s], x[s], y[s], reach_m)
                found_pairs.append(pairs[k])
                found_near.append(near)
        if found_pairs:  # measured on WGS84, all countries at once
            pairs, near = np.concatenate(found_pairs), np.concatenate(found_near)
            near_lon, near_lat = _mercator().transform(near[:, 0], near[:, 1], direction="INVERSE")
            s = pair_sample[pairs]
            dist[pairs] = np.asarray(GEOD.inv(lon[s], lat[s], np.asarray(near_lon), np.asarray(near_lat))[2])
        pairs = np.flatnonzero(chosen)  # on its land: at distance 0
        s = pair_sample[pairs]
        on_land = shapely.intersects_xy(index.land[pair_country[pairs]], (lon[s] + 180.0) % 360.0 - 180.0, lat[s])
        dist[pairs[on_land]] = 0.0

    rank = np.arange(n) - starts[overlap_of]
    size = np.bincount(overlap_of, minlength=n_over)
    coarse = (rank % _COARSE == 0) | (rank == size[overlap_of] - 1)
    measure(coarse)
    owner, margin, error = _owners(dist, pair_sample, pair_country, n, lat, nm)
    a = np.flatnonzero(coarse)
    a, b = a[:-1], a[1:]
    between = (b - a > 1) & (overlap_of[a] == overlap_of[b])
    a, b = a[between], b[between]
    way = (b - a) * step_m[overlap_of[a]]
    sure = (owner[a] == owner[b]) & (
        margin[a] + margin[b] > 2.0 * way * (1.0 + _ERROR_PER_M) + 2.0 * (error[a] + error[b])
    )
    inner = b - a - 1
    sample = np.repeat(a + 1, inner) + (np.arange(int(inner.sum())) - np.repeat(np.cumsum(inner) - inner, inner))
    filled = np.repeat(sure, inner)
    owner[sample[filled]] = np.repeat(owner[a], inner)[filled]
    todo = np.zeros(n, dtype=bool)
    todo[sample[~filled]] = True
    if todo.any():
        measure(todo)
        again, _, _ = _owners(dist, pair_sample, pair_country, n, lat, nm)
        owner[todo] = again[todo]
    return owner


def _owners(
    dist: Array, pair_sample: Ints, pair_country: Ints, n: int, lat: Array, nm: float
) -> tuple[Ints, Array, Array]:
    """Per sample: the nearest country (ties and no land in reach: the lowest number), its margin over
    the runner-up (m; land out of reach counts as at the edge of reach), and the measure's error."""
    order = np.lexsort((pair_country, dist, pair_sample))
    ranked = pair_sample[order]
    first = np.flatnonzero(np.concatenate(([True], ranked[1:] != ranked[:-1])))
    owner = np.zeros(n, dtype=np.intp)
    owner[ranked[first]] = pair_country[order][first]
    reach = nm * NM_M * 1.05
    capped = np.minimum(dist[order], reach)
    runner_up = np.minimum(first + 1, len(order) - 1)
    alone = (first + 1 >= len(order)) | (ranked[runner_up] != ranked[first])  # one country only
    best, second = capped[first], np.where(alone, reach, capped[runner_up])
    margin = np.zeros(n)
    margin[ranked[first]] = second - best
    # the Mercator plane's scale varies by about tan φ · d / R across d: the edge it finds nearest may
    # be that much farther than the nearest
    slope = np.tan(np.radians(np.minimum(np.abs(lat[ranked[first]]) + 1.0, 85.0)))
    error = np.zeros(n)
    error[ranked[first]] = second * (2.0 * slope * second / _EARTH_RADIUS_M + _ERROR_PER_M) + 20.0
    return owner, margin, error


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
        boxes = envelopes(west[which] - margin[which] + shift, south[which] - margin[which],
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


def _nearest_on_plane(
    tree: shapely.STRtree, edges: Array, points: NDArray[np.object_], x_m: Array, y_m: Array, reach_m: float
) -> tuple[Ints, Array]:
    """For each point (geometries, and their (x, y) metres), the nearest point of ``edges`` (Mercator
    metres, (n, 2, 2), held in ``tree``) within ``reach_m``: (which points have one, those points)."""
    # GEOS's branch-and-bound nearest search (given a max_distance it would test every edge within it)
    point, edge = tree.query_nearest(points, all_matches=False)
    # the nearest point of that edge, in NumPy; none beyond reach
    a, ab = edges[edge, 0], edges[edge, 1] - edges[edge, 0]
    p = np.column_stack([x_m[point], y_m[point]])
    length2 = np.einsum("ij,ij->i", ab, ab)
    with np.errstate(invalid="ignore", divide="ignore"):
        t = np.clip(np.where(length2 > 0, np.einsum("ij,ij->i", p - a, ab) / length2, 0.0), 0.0, 1.0)
    near = a + t[:, None] * ab
    within = np.hypot(*(p - near).T) <= reach_m
    return point[within].astype(np.intp), near[within]
