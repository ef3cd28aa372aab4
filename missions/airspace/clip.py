"""Densify geodesic legs and clip them against territorial-sea band pieces (``--territorial-sea N``).

Steps 1-4 of the method in :mod:`.overflight` for the approximate band rule, whose pieces are built
lazily for the legs at hand (densify, antimeridian copies, the index query and the segment clip,
planar positions back to geodesic metres); the sovereign and land-only rules clip in
:mod:`.edgeclip`. Returns raw (leg, country, start_m, end_m) pieces; :mod:`.stretches` orders them.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import shapely
from numpy.typing import NDArray

from missions.geodesy import Plane, chunk_legs, densify_legs

from .index import CountryIndex, unique_sorted
from .median import band_margin_deg

#: the longest step between densified vertices (m)
MAX_STEP_M = 10_000.0
#: largest gap between a straight (lon, lat) chord and the geodesic, used to shorten steps at high
#: latitude: a chord of length d bulges about d² · tan(φ) / (8 R) away from the geodesic
CHORD_TOLERANCE_M = 10.0
#: legs are cut into runs of this many segments for the index query (short boxes, few candidates)
CHUNK_SEGMENTS = 16

Array = NDArray[np.float64]


class Densified(NamedTuple):
    vertex_offset: NDArray[np.intp]  # per leg, first vertex in the arrays below
    vertex_leg: NDArray[np.intp]
    planar_deg: Array  # cumulative planar (lon, lat) length per vertex within its leg
    geodesic_m: Array  # cumulative geodesic distance (m) per vertex within its leg
    chunks: NDArray[np.object_]  # the legs cut into runs of CHUNK_VERTICES vertices
    chunk_leg: NDArray[np.intp]
    chunk_planar_deg: Array  # planar position of each chunk's first vertex along its leg


def densify(lat1: Array, lon1: Array, lat2: Array, lon2: Array) -> Densified:
    d = densify_legs(
        lat1, lon1, lat2, lon2, tolerance_m=CHORD_TOLERANCE_M, max_step_m=MAX_STEP_M, plane=Plane.PLATE_CARREE
    )
    lon_all, lat_all = d.lon_deg, d.lat_deg
    vertex_leg = d.leg_index.astype(np.intp)
    offset = d.offsets[:-1].astype(np.intp)
    seg = np.hypot(np.diff(lon_all), np.diff(lat_all))
    seg = np.concatenate(([0.0], seg))
    seg[offset] = 0.0  # no segment across legs
    planar = np.cumsum(seg)
    planar -= planar[offset][vertex_leg]
    coords = np.column_stack([lon_all, lat_all])
    # chunks: vertices first..first+CHUNK_SEGMENTS of each leg, consecutive chunks share a vertex
    runs = chunk_legs(d.offsets, CHUNK_SEGMENTS)
    chunk_leg, first = runs.leg.astype(np.intp), runs.first.astype(np.intp)
    chunks = shapely.linestrings(coords[runs.vertex], indices=runs.chunk)
    return Densified(
        vertex_offset=offset,
        vertex_leg=vertex_leg,
        planar_deg=planar,
        geodesic_m=d.distance_m,
        chunks=chunks,
        chunk_leg=chunk_leg,
        chunk_planar_deg=planar[first],
    )


def _planar_to_geodesic(dens: Densified, leg: NDArray[np.intp], planar: Array) -> Array:
    """Geodesic metres along ``leg`` of points at ``planar`` (degrees) along its densified line."""
    big = float(dens.planar_deg.max()) + 1.0
    keys = dens.vertex_leg * big + dens.planar_deg
    j = np.searchsorted(keys, leg * big + planar, side="right") - 1
    last = dens.vertex_offset[leg] + np.bincount(dens.vertex_leg)[leg] - 2
    j = np.clip(j, dens.vertex_offset[leg], last)
    seg = dens.planar_deg[j + 1] - dens.planar_deg[j]
    with np.errstate(invalid="ignore", divide="ignore"):
        frac = np.where(seg > 0, (planar - dens.planar_deg[j]) / seg, 0.0)
    frac = np.clip(frac, 0.0, 1.0)
    return dens.geodesic_m[j] + frac * (dens.geodesic_m[j + 1] - dens.geodesic_m[j])


def _along_legs(dens: Densified, chunk: NDArray[np.intp], a: Array, b: Array) -> tuple[NDArray[np.intp], Array, Array]:
    """(leg, start_m, end_m) of clipped parts given by their chunk and planar start and end in it."""
    leg, base = dens.chunk_leg[chunk], dens.chunk_planar_deg[chunk]
    return leg, _planar_to_geodesic(dens, leg, base + a), _planar_to_geodesic(dens, leg, base + b)


def _shifted_queries(dens: Densified) -> tuple[NDArray[np.object_], NDArray[np.intp]]:
    """The leg chunks, plus copies shifted by ∓360° of those that leave [-180, 180].

    Returns the query lines and, for each, the chunk it copies.
    """
    west, _, east, _ = shapely.bounds(dens.chunks).T
    geoms, chunk = [dens.chunks], [np.arange(len(dens.chunks), dtype=np.intp)]
    for shift, mask in ((-360.0, east > 180.0), (360.0, west < -180.0)):
        idx = np.flatnonzero(mask)
        if len(idx):
            geoms.append(shapely.transform(dens.chunks[idx], lambda xy, s=shift: xy + np.array([s, 0.0])))
            chunk.append(idx.astype(np.intp))
    return np.concatenate(geoms), np.concatenate(chunk)


def _clip(
    queries: NDArray[np.object_], pieces: NDArray[np.object_], q_idx: NDArray[np.intp], p_idx: NDArray[np.intp]
) -> tuple[NDArray[np.intp], NDArray[np.intp], Array, Array]:
    """Intersect query lines with pieces: for each line part, (query, piece, planar start, end)."""
    if not len(q_idx):
        none = np.zeros(0, dtype=np.intp)
        return none, none, np.zeros(0), np.zeros(0)
    return _clip_segments(queries, pieces, q_idx, p_idx)


def _clip_segments(
    queries: NDArray[np.object_], pieces: NDArray[np.object_], q_idx: NDArray[np.intp], p_idx: NDArray[np.intp]
) -> tuple[NDArray[np.intp], NDArray[np.intp], Array, Array]:
    """Intersect query lines with pieces segment by segment: (query, piece, planar start, end) per part.

    A query line that meets a piece's edge is cut into its (≤ ``MAX_STEP_M``) segments; the segments
    whose box misses the piece's box, or that the prepared piece does not meet, are dropped, those
    inside it are kept whole, and only the few that cross its edge are clipped exactly (an overlay of
    a two-vertex line is several times cheaper than of the whole query line, and most segments never
    get there). Equal to clipping the whole line: the parts of one line are its segments' parts.
    """
    lines = unique_sorted(q_idx)
    coords, owner = shapely.get_coordinates(queries[lines], return_index=True)
    same = owner[1:] == owner[:-1]  # consecutive vertices of one line make a segment
    seg_line = lines[owner[:-1][same]]
    start, end = coords[:-1][same], coords[1:][same]
    seg_len = np.hypot(*(end - start).T)
    ends = np.cumsum(seg_len)
    first_seg = np.searchsorted(seg_line, lines)  # segments are grouped by line, lines in order
    seg_offset = ends - seg_len - (ends - seg_len)[first_seg][np.searchsorted(lines, seg_line)]
    # every (segment, piece) pair of the (line, piece) pairs, kept where the boxes overlap
    at = np.searchsorted(lines, q_idx)
    n_seg = np.diff(np.append(first_seg, len(seg_line)))[at]
    pair = np.repeat(np.arange(len(q_idx)), n_seg)
    seg = np.repeat(first_seg[at], n_seg) + (np.arange(len(pair)) - np.repeat(np.cumsum(n_seg) - n_seg, n_seg))
    used, local = np.unique(p_idx, return_inverse=True)
    box = shapely.bounds(pieces[used])[local]  # per (line, piece) pair
    (x0, y0), (x1, y1) = start.T, end.T
    near = (np.minimum(x0, x1)[seg] <= box[:, 2][pair]) & (np.maximum(x0, x1)[seg] >= box[:, 0][pair])
    seg, pair = seg[near], pair[near]
    near = (np.minimum(y0, y1)[seg] <= box[:, 3][pair]) & (np.maximum(y0, y1)[seg] >= box[:, 1][pair])
    seg, piece = seg[near], p_idx[pair[near]]
    segments = shapely.linestrings(np.stack([start[seg], end[seg]], axis=1))
    meets = shapely.intersects(pieces[piece], segments)
    seg, piece, segments = seg[meets], piece[meets], segments[meets]
    inside = shapely.contains_properly(pieces[piece], segments)
    out_q, out_p = [seg_line[seg[inside]]], [piece[inside]]
    out_a, out_b = [seg_offset[seg[inside]]], [seg_offset[seg[inside]] + seg_len[seg[inside]]]
    seg, piece = seg[~inside], piece[~inside]
    pair, t0, t1 = _clip_crossing(start[seg], end[seg], pieces, piece)
    out_q.append(seg_line[seg[pair]])
    out_p.append(piece[pair])
    out_a.append(seg_offset[seg[pair]] + t0 * seg_len[seg[pair]])
    out_b.append(seg_offset[seg[pair]] + t1 * seg_len[seg[pair]])
    return (
        np.concatenate(out_q).astype(np.intp),
        np.concatenate(out_p).astype(np.intp),
        np.concatenate(out_a),
        np.concatenate(out_b),
    )


#: (segment, edge) pairs tested at once by :func:`_clip_crossing` (bounds its memory to ~25 MB)
_EDGE_BATCH = 250_000


def _clip_crossing(
    start: Array, end: Array, pieces: NDArray[np.object_], piece: NDArray[np.intp]
) -> tuple[NDArray[np.intp], Array, Array]:
    """The parts of each straight segment ``start → end`` inside (or on the edge of) ``pieces[piece]``.

    In NumPy, for segments that cross their piece's edge: the segment is cut where it crosses any
    edge of the piece's rings, and each stretch between cuts is kept if its midpoint is in the piece
    (prepared :func:`shapely.intersects_xy`, so a stretch along the edge counts, as in
    :func:`shapely.intersection`). Returns, per part, the segment and its start and end as fractions.
    """
    if not len(piece):
        return np.zeros(0, dtype=np.intp), np.zeros(0), np.zeros(0)
    used, local = np.unique(piece, return_inverse=True)
    polygons, polygon_piece = shapely.get_parts(pieces[used], return_index=True)  # bands may be multi-part
    rings, ring_polygon = shapely.get_rings(polygons, return_index=True)
    ring_piece = polygon_piece[ring_polygon]
    coords, ring = shapely.get_coordinates(rings, return_index=True)
    same = ring[1:] == ring[:-1]
    e0, e1 = coords[:-1][same], coords[1:][same]
    edge_piece = ring_piece[ring[:-1][same]]  # edges grouped by piece, pieces in order
    edge_first = np.searchsorted(edge_piece, np.arange(len(used)))
    edge_count = np.diff(np.append(edge_first, len(edge_piece)))
    n_edges = edge_count[local]
    seg_dx, seg_dy = (end - start).T
    edge_dx, edge_dy = (e1 - e0).T
    cuts_seg, cuts_t = [np.arange(len(piece)), np.arange(len(piece))], [np.zeros(len(piece)), np.ones(len(piece))]
    bounds = np.concatenate(([0], np.cumsum(n_edges)))
    lo = 0
    while lo < len(piece):  # batches of whole segments, about _EDGE_BATCH edge tests each
        hi = max(int(np.searchsorted(bounds, bounds[lo] + _EDGE_BATCH, side="right")) - 1, lo + 1)
        counts = n_edges[lo:hi]
        segment = np.repeat(np.arange(lo, hi), counts)
        edge = np.repeat(edge_first[local[lo:hi]], counts) + (
            np.arange(len(segment)) - np.repeat(np.cumsum(counts) - counts, counts)
        )
        sx, sy, dx, dy = (column[segment] for column in (start[:, 0], start[:, 1], seg_dx, seg_dy))
        ex, ey, fx, fy = (column[edge] for column in (e0[:, 0], e0[:, 1], edge_dx, edge_dy))
        wx, wy = ex - sx, ey - sy
        denom = dx * fy - dy * fx
        with np.errstate(divide="ignore", invalid="ignore"):
            t = (wx * fy - wy * fx) / denom
            u = (wx * dy - wy * dx) / denom
        hit = (denom != 0) & (t > 0) & (t < 1) & (u >= 0) & (u <= 1)
        cuts_seg.append(segment[hit])
        cuts_t.append(t[hit])
        lo = hi
    seg_all, t_all = np.concatenate(cuts_seg), np.concatenate(cuts_t)
    order = np.lexsort((t_all, seg_all))
    seg_all, t_all = seg_all[order], t_all[order]
    stretch = (seg_all[1:] == seg_all[:-1]) & (t_all[1:] > t_all[:-1])
    k, a, b = seg_all[:-1][stretch], t_all[:-1][stretch], t_all[1:][stretch]
    mid = start[k] + ((a + b) / 2)[:, None] * (end[k] - start[k])
    inside = shapely.intersects_xy(pieces[piece[k]], mid[:, 0], mid[:, 1])
    return k[inside].astype(np.intp), a[inside], b[inside]


def pieces_band(
    index: CountryIndex, dens: Densified, nm: float
) -> tuple[NDArray[np.intp], NDArray[np.intp], Array, Array]:
    """(leg, country, start_m, end_m) of every clipped piece of land-plus-territorial-sea band."""
    queries, q_chunk = _shifted_queries(dens)
    _, south, _, north = shapely.bounds(queries).T
    margin = band_margin_deg(np.maximum(np.abs(south), np.abs(north)), nm)
    q_idx, p_idx = index.tree.query(queries, predicate="dwithin", distance=margin)
    bands = np.full(len(index.pieces), None, dtype=object)
    needed = unique_sorted(p_idx)
    bands[needed] = index.bands(needed, nm)
    q, p, a, b = _clip(queries, bands, q_idx, p_idx)
    leg, start, end = _along_legs(dens, q_chunk[q], a, b)
    return leg, index.piece_country[p], start, end
