"""Clip geodesic legs at the edges of airspace pieces, in NumPy (the sovereign and land-only rules).

Steps 1-4 of the method in :mod:`.overflight`, without building a GEOS geometry per segment:

1. Each leg has the vertices :func:`missions.geodesy.densify_legs` gives it (equal steps of at most
   ``MAX_STEP_M``, straight (lon, lat) chords within ``CHORD_TOLERANCE_M`` of the geodesic), taken
   ``CHUNK_SEGMENTS`` steps at a time. Only the chunks' end vertices are computed first (one
   ``Geod.fwd``): a chunk's polyline stays within its bulge (``d² tan φ / 8R``, doubled) of the chord
   between them, so the chord's box widened by the bulge holds it.
2. The pieces' STRtree gives the pieces whose box meets a chunk's; their edges go into an STRtree of
   edges (per call, only the pieces near the legs; or their runs of edges box-tested in NumPy when
   that is cheaper), queried with the same boxes; an edge is kept if it enters the chunk's corridor
   (the band around its chord that holds its polyline). A chunk with no edge there lies wholly inside
   or outside every piece: its inner vertices are never computed.
3. The other chunks get their vertices (one ``Geod.fwd``); each edge near one is clipped to the
   chunk's corridor and projected on its chord, and only the few segments there are tested against
   it (segment-segment intersection in NumPy). Every crossing cuts its leg.
4. Between consecutive cuts a leg lies inside or outside each piece throughout: one point-in-polygon
   query of the middle of every stretch (prepared pieces under their STRtree, ``intersects``: a
   stretch along an edge counts) gives the pieces that hold it.

Positions along a segment are converted to geodesic metres through its ends (within a ≤10 km chord
the planar and geodesic fractions agree to metres). Longitudes are continuous along each leg; a leg
reaching past ±180° also meets the pieces one turn over.
"""

from __future__ import annotations

import numpy as np
import shapely
from numpy.typing import NDArray

from missions.geodesy import GEOD, Plane, chord_bulge_m, leg_steps

from .clip import CHORD_TOLERANCE_M, CHUNK_SEGMENTS, MAX_STEP_M
from .index import unique_sorted
from .median import envelopes
from .stretches import Runs
from .tiles import LazyPolygons

Array = NDArray[np.float64]
Ints = NDArray[np.intp]

#: metres per degree of latitude, rounded down (margins in degrees are then never too small)
_M_PER_DEG = 110_000.0
_LAT_CAP_DEG = 89.9
#: (chunk, edge) candidates are enumerated from the pieces' edges in NumPy when there are at most this
#: many per edge (an STRtree of the edges costs about as much as that many NumPy box tests per edge),
#: and at most _EXPAND_MAX in all (memory)
_EXPAND_PER_EDGE = 20
_EXPAND_MAX = 20_000_000
#: chunks reaching this latitude get the widest margins (the bulge bound is capped at _LAT_CAP_DEG)
_POLAR_DEG = 89.0


def _wrap(lon_deg: Array) -> Array:
    return (lon_deg + 180.0) % 360.0 - 180.0


class _Legs:
    """The legs' steps and chunks, and the vertices computed so far."""

    def __init__(self, lat1: Array, lon1: Array, lat2: Array, lon2: Array) -> None:
        self.lat1, self.lon1, self.lat2, self.lon2 = lat1, lon1, lat2, lon2
        inv, n_seg, curvature = leg_steps(
            lat1, lon1, lat2, lon2, tolerance_m=CHORD_TOLERANCE_M, max_step_m=MAX_STEP_M, plane=Plane.PLATE_CARREE
        )
        self.length_m, self.azimuth_deg, self.n_seg = inv.distance_m, inv.initial_bearing_deg, n_seg.astype(np.intp)
        self.curvature = curvature
        n_chunks = np.maximum(-(-self.n_seg // CHUNK_SEGMENTS), 1)
        self.chunk_leg = np.repeat(np.arange(len(lat1), dtype=np.intp), n_chunks)
        rank = np.arange(len(self.chunk_leg)) - np.repeat(np.cumsum(n_chunks) - n_chunks, n_chunks)
        self.k0 = rank * CHUNK_SEGMENTS
        self.k1 = np.minimum(self.k0 + CHUNK_SEGMENTS, self.n_seg[self.chunk_leg])
        # chunk ends: each chunk's first vertex, and each leg's last
        n_ends = n_chunks + 1
        end_leg = np.repeat(np.arange(len(lat1), dtype=np.intp), n_ends)
        end_rank = np.arange(len(end_leg)) - np.repeat(np.cumsum(n_ends) - n_ends, n_ends)
        end_k = np.minimum(end_rank * CHUNK_SEGMENTS, self.n_seg[end_leg])
        lat, lon = self.vertices(end_leg, end_k)
        step = _wrap(np.diff(lon))
        step = np.concatenate(([0.0], step))
        first = np.cumsum(n_ends) - n_ends
        step[first] = 0.0
        lon_u = np.cumsum(step)
        lon_u += (lon1 - lon_u[first])[end_leg]
        start = np.repeat(first, n_chunks) + rank  # each chunk's first end
        self.lat_a, self.lon_a, self.raw_lon_a = lat[start], lon_u[start], lon[start]
        self.lat_b, self.lon_b = lat[start + 1], lon_u[start + 1]

    def vertices(self, leg: Ints, k: Ints) -> tuple[Array, Array]:
        """(lat, lon in [-180, 180]) of vertex ``k`` of each ``leg``, the ends exactly as given."""
        along = self.length_m[leg] * k / self.n_seg[leg]
        lon, lat, _ = GEOD.fwd(self.lon1[leg], self.lat1[leg], self.azimuth_deg[leg], along)
        lat, lon = np.asarray(lat, dtype=np.float64), np.asarray(lon, dtype=np.float64)
        first, last = k == 0, k == self.n_seg[leg]
        lat[first], lon[first] = self.lat1[leg[first]], self.lon1[leg[first]]
        lat[last], lon[last] = self.lat2[leg[last]], self.lon2[leg[last]]
        return lat, lon

    def margins_deg(self) -> tuple[Array, Array]:
        """Per chunk, (lon, lat) margins in degrees that hold its polyline around its chord."""
        d = (self.k1 - self.k0) * (self.length_m / self.n_seg)[self.chunk_leg]
        bulge = 2.0 * chord_bulge_m(d, self.curvature[self.chunk_leg]) + 5.0 * CHORD_TOLERANCE_M
        lat_deg = bulge / _M_PER_DEG
        top = np.maximum(np.abs(self.lat_a), np.abs(self.lat_b)) + lat_deg
        lon_deg = lat_deg / np.cos(np.radians(np.minimum(top, _LAT_CAP_DEG)))
        # by a pole (where the bound's latitude is capped) a chunk may swing round it: any longitude
        polar = top > _POLAR_DEG
        lat_deg[polar] = np.maximum(lat_deg[polar], 90.0 - np.minimum(np.abs(self.lat_a), np.abs(self.lat_b))[polar])
        lon_deg[polar] = 360.0
        return lon_deg, lat_deg


def clip_legs(
    lat1: Array, lon1: Array, lat2: Array, lon2: Array, tree: shapely.STRtree | LazyPolygons,
    pieces: NDArray[np.object_] | LazyPolygons,
) -> tuple[Runs, Array]:  # fmt: skip
    """(leg, piece, start_m, end_m) of every stretch of the legs inside a piece, and the legs' lengths.

    ``country`` in the result holds the piece (the caller maps pieces to countries). ``tree`` holds
    ``pieces``: an STRtree, or the pieces themselves when read from a cache (:mod:`.tiles`).
    """
    legs = _Legs(lat1, lon1, lat2, lon2)
    m_lon, m_lat = legs.margins_deg()
    west, east = np.minimum(legs.lon_a, legs.lon_b) - m_lon, np.maximum(legs.lon_a, legs.lon_b) + m_lon
    south, north = np.minimum(legs.lat_a, legs.lat_b) - m_lat, np.maximum(legs.lat_a, legs.lat_b) + m_lat
    # 2. pieces near each chunk (one turn over too), then the edges of those pieces near each chunk
    boxes = envelopes(west, south, east, north)
    found: list[tuple[Ints, Ints, Array]] = []
    for turn in (0.0, 1.0, -1.0):  # a piece found one turn over is moved by that turn
        which = np.arange(len(west)) if not turn else np.flatnonzero(east > 180.0 if turn > 0 else west < -180.0)
        if len(which):
            shift = -360.0 * turn
            query = (
                boxes if not turn else envelopes(west[which] + shift, south[which], east[which] + shift, north[which])
            )
            c, p = tree.query(query)
            found.append((which[c], p.astype(np.intp), np.full(len(p), turn)))
    pair_chunk, pair_piece, pair_turn = (np.concatenate(column) for column in zip(*found, strict=True))
    pair_key = pair_piece * 3 + (pair_turn + 1).astype(np.intp)
    key = unique_sorted(pair_key)
    item_piece, item_turn = key // 3, (key % 3) - 1.0
    rings, ring_item = shapely.get_rings(pieces[item_piece], return_index=True)
    coords, ring = shapely.get_coordinates(rings, return_index=True)
    same = ring[1:] == ring[:-1]
    edge_item = ring_item[ring[:-1][same]]
    e0, e1 = coords[:-1][same].copy(), coords[1:][same].copy()
    e0[:, 0] += 360.0 * item_turn[edge_item]
    e1[:, 0] += 360.0 * item_turn[edge_item]
    item_first = np.searchsorted(edge_item, np.arange(len(key)))
    item_count = np.diff(np.append(item_first, len(edge_item)))
    per_pair = item_count[np.searchsorted(key, pair_key)]
    if int(per_pair.sum()) <= min(_EXPAND_PER_EDGE * len(e0), _EXPAND_MAX):  # cheaper than an STRtree
        chunk, edge = _expand(pair_chunk, item_first[np.searchsorted(key, pair_key)], per_pair, e0, e1,
                              (west, south, east, north))  # fmt: skip
    else:
        chunk, edge = shapely.STRtree(shapely.linestrings(np.stack([e0, e1], axis=1))).query(boxes)
    # 3. crossings of segments and edges
    chunk, edge, lo, hi = _near(legs, chunk.astype(np.intp), edge.astype(np.intp), e0, e1, m_lon)
    fine = _Fine(legs, chunk)  # only segments near an edge (or holding a stretch's middle) get vertices
    seg_leg, seg_along, hit_t = _crossings(legs, fine, chunk, edge, lo, hi, e0, e1)
    cut_leg, cut_at = seg_leg, seg_along + hit_t * (legs.length_m / legs.n_seg)[seg_leg]
    # 4. stretches between cuts, and the pieces holding each one's middle
    n_legs = len(lat1)
    cut_leg = np.concatenate([np.arange(n_legs, dtype=np.intp), np.arange(n_legs, dtype=np.intp), cut_leg])
    cut_at = np.clip(np.concatenate([np.zeros(n_legs), legs.length_m, cut_at]), 0.0, legs.length_m[cut_leg])
    order = np.lexsort((cut_at, cut_leg))
    cut_leg, cut_at = cut_leg[order], cut_at[order]
    new = np.ones(len(cut_at), dtype=bool)
    new[1:] = (cut_leg[1:] != cut_leg[:-1]) | (cut_at[1:] != cut_at[:-1])
    cut_leg, cut_at = cut_leg[new], cut_at[new]
    interval = np.flatnonzero(cut_leg[1:] == cut_leg[:-1])
    iv_leg, iv_a, iv_b = cut_leg[interval], cut_at[interval], cut_at[interval + 1]
    lat, lon = _points_at(legs, fine, iv_leg, (iv_a + iv_b) / 2)
    point, piece = tree.query(shapely.points(_wrap(lon), lat), predicate="intersects")
    runs = Runs(leg=iv_leg[point], country=piece.astype(np.intp), start_m=iv_a[point], end_m=iv_b[point])
    return runs, legs.length_m


def _expand(
    chunk: Ints, first_edge: Ints, count: Ints, e0: Array, e1: Array, box: tuple[Array, Array, Array, Array]
) -> tuple[Ints, Ints]:
    """(chunk, edge) pairs whose boxes meet, from (chunk, piece) pairs and each piece's run of edges."""
    west, south, east, north = box
    pair = np.repeat(np.arange(len(chunk)), count)
    edge = np.repeat(first_edge, count) + (np.arange(len(pair)) - np.repeat(np.cumsum(count) - count, count))
    c = chunk[pair]
    x0, x1 = np.minimum(e0[:, 0], e1[:, 0]), np.maximum(e0[:, 0], e1[:, 0])
    keep = (x0[edge] <= east[c]) & (x1[edge] >= west[c])
    c, edge = c[keep], edge[keep]
    y0, y1 = np.minimum(e0[:, 1], e1[:, 1]), np.maximum(e0[:, 1], e1[:, 1])
    keep = (y0[edge] <= north[c]) & (y1[edge] >= south[c])
    return c[keep], edge[keep]


class _Fine:
    """The vertices of the chunks that meet an edge, ``CHUNK_SEGMENTS + 1`` slots per chunk (the last
    repeated where a chunk is shorter), longitudes continuous from the chunk's first. The ends are the
    chunk's; an inner vertex is computed when first asked for (:meth:`need`)."""

    def __init__(self, legs: _Legs, chunk: Ints) -> None:
        self.legs = legs
        self.active = unique_sorted(chunk)
        self.slot = np.full(len(legs.k0), -1, dtype=np.intp)
        self.slot[self.active] = np.arange(len(self.active))
        per = CHUNK_SEGMENTS + 1
        offset = np.broadcast_to(np.arange(per), (len(self.active), per))
        self.span = (legs.k1 - legs.k0)[self.active]
        self.lat = np.where(offset == 0, legs.lat_a[self.active][:, None], legs.lat_b[self.active][:, None])
        self.lon = np.where(offset == 0, legs.lon_a[self.active][:, None], legs.lon_b[self.active][:, None])
        self.known = (offset == 0) | (offset >= self.span[:, None])

    def need(self, slot: Ints, offset: Ints) -> None:
        """Compute the vertices ``offset`` of the chunks in ``slot`` not known yet (one Geod.fwd)."""
        missing = ~self.known[slot, offset]
        if not missing.any():
            return
        flat = unique_sorted(slot[missing] * (CHUNK_SEGMENTS + 1) + offset[missing])
        row, col = flat // (CHUNK_SEGMENTS + 1), flat % (CHUNK_SEGMENTS + 1)
        legs, c = self.legs, self.active[row]
        lat, lon = legs.vertices(legs.chunk_leg[c], legs.k0[c] + col)
        self.lat[row, col] = lat
        self.lon[row, col] = legs.lon_a[c] + _wrap(lon - legs.raw_lon_a[c])
        self.known[row, col] = True


def _near(legs: _Legs, chunk: Ints, edge: Ints, e0: Array, e1: Array, m_lon: Array) -> tuple[Ints, Ints, Ints, Ints]:
    """The (chunk, edge) pairs whose edge enters the chunk's corridor (the band around its chord that
    holds its polyline), with the range of the chunk's segments it may meet (first, last)."""
    # the edge clipped to the chunk's corridor (|distance from its chord| <= margin), projected on it
    cdx, cdy = legs.lon_b - legs.lon_a, legs.lat_b - legs.lat_a
    cnorm = np.hypot(cdx, cdy)
    flat = ~(cnorm > 0)  # a chunk whose ends coincide on the plane (by a pole): all its segments
    cnorm[flat] = 1.0
    ax, ay = e0[:, 0][edge] - legs.lon_a[chunk], e0[:, 1][edge] - legs.lat_a[chunk]
    bx, by = e1[:, 0][edge] - legs.lon_a[chunk], e1[:, 1][edge] - legs.lat_a[chunk]
    dx, dy, norm, width = cdx[chunk], cdy[chunk], cnorm[chunk], np.sqrt(2.0) * m_lon[chunk]
    da = (dx * ay - dy * ax) / norm
    db = (dx * by - dy * bx) / norm
    near = ~(((da > width) & (db > width)) | ((da < -width) & (db < -width))) | flat[chunk]
    chunk, edge, ax, ay, bx, by, dx, dy, norm, width, da, db = (
        v[near] for v in (chunk, edge, ax, ay, bx, by, dx, dy, norm, width, da, db)
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        s_a = np.where(db != da, (width - da) / (db - da), 0.0)
        s_b = np.where(db != da, (-width - da) / (db - da), 1.0)
    s_lo, s_hi = np.clip(np.minimum(s_a, s_b), 0.0, 1.0), np.clip(np.maximum(s_a, s_b), 0.0, 1.0)
    dd = norm * norm
    ta = ((ax + s_lo * (bx - ax)) * dx + (ay + s_lo * (by - ay)) * dy) / dd
    tb = ((ax + s_hi * (bx - ax)) * dx + (ay + s_hi * (by - ay)) * dy) / dd
    n = (legs.k1 - legs.k0)[chunk]
    slack = width / norm + 1.0 / np.maximum(n, 1)
    whole = flat[chunk]
    lo = np.where(whole, 0, np.floor((np.minimum(ta, tb) - slack) * n) - 1)
    hi = np.where(whole, n - 1, np.ceil((np.maximum(ta, tb) + slack) * n) + 1)
    lo = np.clip(np.nan_to_num(lo), 0, n - 1).astype(np.intp)
    hi = np.clip(np.nan_to_num(hi, nan=1e9), 0, n - 1).astype(np.intp)
    keep = hi >= lo
    return chunk[keep], edge[keep], lo[keep], hi[keep]


def _crossings(
    legs: _Legs, fine: _Fine, chunk: Ints, edge: Ints, lo: Ints, hi: Ints, e0: Array, e1: Array
) -> tuple[Ints, Array, Array]:
    """Where the chunks' segments ``lo..hi`` cross the edges: (leg, along of the segment's start, t)."""
    count = hi - lo + 1
    pair = np.repeat(np.arange(len(chunk)), count)
    j = np.repeat(lo, count) + (np.arange(len(pair)) - np.repeat(np.cumsum(count) - count, count))
    c, e = chunk[pair], edge[pair]
    slot = fine.slot[c]
    fine.need(np.concatenate([slot, slot]), np.concatenate([j, j + 1]))
    sx, sy = fine.lon[slot, j], fine.lat[slot, j]
    dx, dy = fine.lon[slot, j + 1] - sx, fine.lat[slot, j + 1] - sy
    ex, ey = e0[e, 0], e0[e, 1]
    fx, fy = e1[e, 0] - ex, e1[e, 1] - ey
    wx, wy = ex - sx, ey - sy
    denom = dx * fy - dy * fx
    with np.errstate(divide="ignore", invalid="ignore"):
        t = (wx * fy - wy * fx) / denom
        u = (wx * dy - wy * dx) / denom
    hit = (denom != 0) & (t >= 0) & (t <= 1) & (u >= 0) & (u <= 1)
    leg = legs.chunk_leg[c[hit]]
    along = (legs.k0[c[hit]] + j[hit]) * (legs.length_m / legs.n_seg)[leg]
    return leg, along, t[hit]


def _points_at(legs: _Legs, fine: _Fine, leg: Ints, along_m: Array) -> tuple[Array, Array]:
    """(lat, lon) of the points ``along_m`` metres along the legs' densified polylines."""
    step = (legs.length_m / legs.n_seg)[leg]
    k = np.clip(np.floor(along_m / step).astype(np.intp), 0, legs.n_seg[leg] - 1)
    t = np.clip(along_m / step - k, 0.0, 1.0)
    first_chunk = np.searchsorted(legs.chunk_leg, leg)
    c = first_chunk + k // CHUNK_SEGMENTS
    slot = fine.slot[c]
    j = k - legs.k0[c]
    # a chunk that meets no edge: a point of its chord (the chunk is wholly in or out of every piece)
    span = np.maximum(legs.k1[c] - legs.k0[c], 1)
    f = (j + t) / span
    lat = legs.lat_a[c] + f * (legs.lat_b[c] - legs.lat_a[c])
    lon = legs.lon_a[c] + f * (legs.lon_b[c] - legs.lon_a[c])
    on = slot >= 0
    s, jj, tt = slot[on], j[on], t[on]
    fine.need(np.concatenate([s, s]), np.concatenate([jj, jj + 1]))
    lat[on] = fine.lat[s, jj] + tt * (fine.lat[s, jj + 1] - fine.lat[s, jj])
    lon[on] = fine.lon[s, jj] + tt * (fine.lon[s, jj + 1] - fine.lon[s, jj])
    return lat, lon
