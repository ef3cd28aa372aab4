"""Each observed position's nearest segment of a densified route: a coarse index, then exact candidates.

The rule (:mod:`missions.tracks.compare`, step 2) picks, for a position ``p`` with its modelled
distance along the route ``e``, among *all* route segments: those within ``ambiguity_m`` of the
nearest one (3-D chord distance from ``p`` to the segment), then those whose distance along the
route is within ``branch_m`` of the one closest to ``e``, then the nearest of these. Evaluating it
on every segment for every position would cost ``n × m``; the search below evaluates it on a
candidate set per position that provably holds every segment the rule can look at, so the result
is the same as the exhaustive one.

Method (Earth-centred coordinates, metres)
-----------------------------------------
1. Positions are binned into cubes of ``CELL_M``; a cube's centre ``c`` is within ``h`` (half the
   cube's diagonal) of each of its positions. A dense track (ADS-B every second) has far fewer
   cubes than positions, so the k-d tree works per cube, not per position.
2. ``d0``, the distance from ``c`` to the nearest route vertex, bounds the distance ``D`` from any
   of the cube's positions ``p`` to the route: ``D ≤ d0 + h``.
3. A segment with a point within ``D + ambiguity_m`` of ``p`` has a vertex within ``L/2`` more of
   it (``L`` the longest segment), hence within ``r = d0 + 2h + ambiguity_m + L/2`` of ``c``: the
   segments at the vertices of the tree's ball of radius ``r`` hold every segment the rule looks at.
4. When those segments all lie within ``branch_m`` of one another along the route, the rule picks
   the nearest segment (every near candidate is on one branch). The nearest segment ``s*`` of ``p``
   satisfies ``dist(c, s*) ≤ dist(p, s*) + h ≤ min_s dist(p, s) + h ≤ min_s dist(c, s) + 2h``, so only
   segments within ``2h`` of the cube's nearest are kept. Otherwise (a route passing the same place
   twice) the whole ball is kept and the rule decides per position.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]
Index = NDArray[np.intp]
#: edge of the cubes positions are binned into (m): ~1 s of flight at 1,000 km/h is 0.3 km
CELL_M = 1_000.0
#: positions whose candidate pairs are evaluated at a time (bounds memory)
CHUNK_POSITIONS = 200_000
#: route vertices asked of the k-d tree per cube (more only where the ball of step 3 holds more)
BALL_K = 12
_BITS = 21
_OFFSET = 1 << (_BITS - 1)


@dataclass(frozen=True, kw_only=True)
class Nearest:
    """Each position's chosen segment, the foot's fraction along its chord, and the chord distance."""

    segment: Index  #: the segment from vertex ``segment`` to ``segment + 1``
    fraction: Array  #: where the foot lies on the segment's chord, 0 to 1
    along_m: Array  #: the foot's distance along the route
    chord_m: Array  #: 3-D distance from the position to the foot


@dataclass(frozen=True, kw_only=True)
class RouteSegments:
    """A densified route in Earth-centred coordinates, with distances along it."""

    xyz: Array  #: (m, 3) vertices
    valid: NDArray[np.bool_]  #: segment i (vertex i to i+1) exists: both on one leg
    along_m: Array  #: distance along the route at each vertex
    length_m: Array  #: geodesic length of each segment (0 where not valid)

    def __post_init__(self) -> None:
        if not self.valid.any():
            raise ValueError("a route needs at least one segment")


def _cubes(points: Array) -> tuple[Array, Index]:
    """The occupied cubes' centres and each point's cube."""
    q = np.floor(points / CELL_M).astype(np.int64) + _OFFSET
    key = (q[:, 0] << (2 * _BITS)) | (q[:, 1] << _BITS) | q[:, 2]
    # a track in time order stays in a cube for many positions: find the distinct cubes among the runs
    run_start = np.flatnonzero(np.concatenate(([True], key[1:] != key[:-1])))
    uniq, run_cube = np.unique(key[run_start], return_inverse=True)
    cube = np.repeat(run_cube.reshape(-1), np.diff(np.append(run_start, key.size)))
    mask = (1 << _BITS) - 1
    ijk = np.column_stack([uniq >> (2 * _BITS), (uniq >> _BITS) & mask, uniq & mask]) - _OFFSET
    return (ijk + 0.5) * CELL_M, cube.reshape(-1).astype(np.intp)


def _segment_distance(p: Array, a: Array, ab: Array) -> tuple[Array, Array]:
    """Distance from each point to its paired segment ``a + t ab`` (t in [0, 1]), and ``t``."""
    denom = np.einsum("ij,ij->i", ab, ab)
    ap = p - a
    t = np.clip(np.einsum("ij,ij->i", ap, ab) / np.where(denom > 0, denom, 1.0), 0.0, 1.0)
    return np.linalg.norm(ap - t[:, None] * ab, axis=1), t


def _group_starts(counts: Index) -> Index:
    return np.concatenate(([0], np.cumsum(counts)[:-1])).astype(np.intp)


def _first_min(values: Array, group: Index, starts: Index) -> Index:
    """The index of each group's (contiguous, non-empty) first minimum."""
    gmin = np.minimum.reduceat(values, starts)
    hit = np.flatnonzero(values == gmin[group])
    first = np.concatenate(([True], group[hit][1:] != group[hit][:-1]))
    return hit[first]


def _cube_candidates(
    route: RouteSegments, tree: Any, centres: Array, ambiguity_m: float, branch_m: float
) -> tuple[Index, Index]:
    """Each cube's candidate segments (steps 2-4 of the module): offsets into a flat array of segments."""
    n_vert = route.xyz.shape[0]
    half_diag = CELL_M * np.sqrt(3.0) / 2.0
    seg_chord = np.linalg.norm(np.diff(route.xyz, axis=0), axis=1)
    longest = float(seg_chord[route.valid[:-1]].max()) if n_vert > 1 else 0.0
    n_cubes = centres.shape[0]
    k = min(BALL_K, n_vert)
    dist_k, idx_k = tree.query(centres, k=k)
    dist_k, idx_k = dist_k.reshape(n_cubes, k), idx_k.reshape(n_cubes, k)
    radius = dist_k[:, 0] + 2.0 * half_diag + ambiguity_m + longest / 2.0 + 1.0
    # the k nearest vertices hold the whole ball unless the k-th is inside it: then ask for the ball
    inside = dist_k <= radius[:, None]
    full = np.flatnonzero(inside[:, -1]) if k < n_vert else np.zeros(0, dtype=np.intp)
    inside[full] = False
    balls = tree.query_ball_point(centres[full], radius[full]) if full.size else []
    counts = np.fromiter((len(b) for b in balls), dtype=np.intp, count=len(balls))
    cube = np.concatenate([np.nonzero(inside)[0], np.repeat(full, counts)]).astype(np.intp)
    verts = np.concatenate([idx_k[inside], np.fromiter((v for b in balls for v in b), dtype=np.intp)])
    cube, seg = np.concatenate([cube, cube]), np.concatenate([verts, verts - 1])
    ok = seg >= 0
    ok[ok] = route.valid[seg[ok]]
    key = np.unique(cube[ok].astype(np.int64) * n_vert + seg[ok])
    cube, seg = (key // n_vert).astype(np.intp), (key % n_vert).astype(np.intp)
    starts = np.searchsorted(cube, np.arange(n_cubes))
    a = route.xyz[seg]
    dist, _ = _segment_distance(centres[cube], a, route.xyz[seg + 1] - a)
    low = np.minimum.reduceat(route.along_m[seg], starts)
    high = np.maximum.reduceat(route.along_m[seg + 1], starts)
    one_branch = (high - low) <= branch_m
    keep = ~one_branch[cube] | (dist <= np.minimum.reduceat(dist, starts)[cube] + 2.0 * half_diag)
    cube, seg = cube[keep], seg[keep]
    offsets = np.searchsorted(cube, np.arange(n_cubes + 1)).astype(np.intp)
    return offsets, seg


def nearest_segments(
    route: RouteSegments,
    points: Array,
    expected_along_m: Array,
    *,
    ambiguity_m: float,
    branch_m: float,
) -> Nearest:
    """Each point's segment under the rule of the module (``points`` (n, 3) Earth-centred)."""
    from scipy.spatial import cKDTree

    tree = cKDTree(route.xyz)
    centres, cube = _cubes(points)
    offsets, cand = _cube_candidates(route, tree, centres, ambiguity_m, branch_m)
    per_cube = np.diff(offsets)
    out: list[tuple[Index, Array, Array, Array]] = []
    for start in range(0, points.shape[0], CHUNK_POSITIONS):
        sl = slice(start, start + CHUNK_POSITIONS)
        cnt = per_cube[cube[sl]]
        pos = np.repeat(np.arange(cnt.size, dtype=np.intp), cnt)
        starts = _group_starts(cnt)
        seg = cand[np.repeat(offsets[cube[sl]], cnt) + np.arange(pos.size) - starts[pos]]
        a = route.xyz[seg]
        chord, t = _segment_distance(points[sl][pos], a, route.xyz[seg + 1] - a)
        along = route.along_m[seg] + t * route.length_m[seg]
        near = chord <= np.minimum.reduceat(chord, starts)[pos] + ambiguity_m
        from_model = np.where(near, np.abs(along - expected_along_m[sl][pos]), np.inf)
        branch = from_model <= np.minimum.reduceat(from_model, starts)[pos] + branch_m
        pick = _first_min(np.where(branch, chord, np.inf), pos, starts)
        out.append((seg[pick], t[pick], along[pick], chord[pick]))
    return Nearest(
        segment=np.concatenate([o[0] for o in out]),
        fraction=np.concatenate([o[1] for o in out]),
        along_m=np.concatenate([o[2] for o in out]),
        chord_m=np.concatenate([o[3] for o in out]),
    )
