"""The route planner: the shortest route on WGS84 that stays out of the avoided airspace.

Method: a visibility graph on the ellipsoid. Its nodes are the start, the end and the turning
points of the obstacles (:mod:`.obstacles`: the convex corners of the avoided airspace, pushed
out of it); an edge is the geodesic between two nodes, usable if it enters no obstacle. The
shortest path in that graph is the shortest route around polygonal obstacles (a taut string only
bends at convex corners). Search: A* with the geodesic distance to the end as heuristic (exact on
the ellipsoid, so admissible), with *lazy* edge checks: an edge is checked only when A* takes it
(most candidate edges never are), and candidates are first filtered on the unit sphere with the
bitangent rule (a shortest path leaves a corner along a line that keeps both of the corner's ring
neighbours on one side). Edges are checked by densifying the geodesic (plate carrée, 200 m) and
querying an STRtree of the obstacle pieces, also shifted by ±360° across the antimeridian.

Cost: building the obstacles is linear in their vertices V (union, cut into pieces); the search
expands the n nodes whose A* estimate is below the optimum, each in O(V) vector work, and checks
O(n) edges at O(log V) each: O(n · V) overall, n ≤ V.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from numpy.typing import NDArray

from ..errors import PlaceError
from ..geodesy import GEOD, Plane, chunk_legs, densify_legs
from .obstacles import Obstacles, unit_vectors

#: chord tolerance when checking an edge against the obstacles (m)
CHECK_TOLERANCE_M = 500.0
#: an edge is queried as runs of this many segments
CHECK_CHUNK_SEGMENTS = 8
#: largest step when checking an edge (m)
CHECK_STEP_M = 100_000.0
#: bounds on the route's length (× the direct geodesic) tried in turn before all nodes are used
ELLIPSE_FACTORS = (1.3, 2.0, 3.5)
#: passes of the final tightening; per pass, levels of TIGHTEN_SPLIT fractions of the way tried at
#: once (two levels of 16: 1/256 of the way, as eight bisection steps, in two edge checks)
TIGHTEN_PASSES = 3
TIGHTEN_LEVELS = 2
TIGHTEN_SPLIT = 16
#: edges checked together (the next entries A* is likely to take)
BATCH = 32

Array = NDArray[np.float64]


@dataclass(frozen=True, kw_only=True)
class PlannedLeg:
    """The shortest permitted route between two points: its waypoints and lengths."""

    lat_deg: tuple[float, ...]  #: start, turning points, end
    lon_deg: tuple[float, ...]
    distance_m: float
    direct_m: float  #: the direct geodesic

    @property
    def excess(self) -> float:
        """How much longer than the direct geodesic, as a fraction (0.1 = 10 %)."""
        return self.distance_m / self.direct_m - 1.0 if self.direct_m > 0 else 0.0


class NoRouteError(PlaceError):
    """No permitted route: an end inside avoided airspace, or every way blocked."""


def edges_clear(
    obstacles: Obstacles, lat1: Array | float, lon1: Array | float, lat2: Array | float, lon2: Array | float
) -> NDArray[np.bool_]:
    """For each geodesic (1 -> 2), True if it enters no obstacle (vectorised)."""
    lat1, lon1, lat2, lon2 = (np.atleast_1d(np.asarray(v, dtype=np.float64)) for v in (lat1, lon1, lat2, lon2))
    clear = np.ones(len(lat1), dtype=bool)
    if not len(obstacles.pieces) or not len(lat1):
        return clear
    d = densify_legs(
        lat1, lon1, lat2, lon2, tolerance_m=CHECK_TOLERANCE_M, max_step_m=CHECK_STEP_M, plane=Plane.PLATE_CARREE
    )
    runs = chunk_legs(d.offsets, CHECK_CHUNK_SEGMENTS)  # short runs: small boxes, few candidates
    lines = shapely.linestrings(np.column_stack([d.lon_deg, d.lat_deg])[runs.vertex], indices=runs.chunk)
    west, _, east, _ = shapely.bounds(lines).T
    queries, owner = [lines], [runs.leg]
    for shift, mask in ((-360.0, east > 180.0), (360.0, west < -180.0)):
        idx = np.flatnonzero(mask)
        if len(idx):
            queries.append(shapely.transform(lines[idx], lambda xy, s=shift: xy + np.array([s, 0.0])))
            owner.append(runs.leg[idx])
    q_idx, _ = obstacles.tree.query(np.concatenate(queries), predicate="intersects")
    clear[np.concatenate(owner)[q_idx]] = False
    return clear


def _side(a: Array, b: Array, p: Array) -> Array:
    """Sign of p relative to the great circle a -> b (rows broadcast)."""
    return np.einsum("ij,ij->i", np.cross(a, b), p)


def plan_leg(obstacles: Obstacles, lat1: float, lon1: float, lat2: float, lon2: float) -> PlannedLeg:
    """The shortest route from point 1 to point 2 avoiding ``obstacles`` (see module).

    Raises :class:`NoRouteError` if an end lies in avoided airspace or no route exists.
    """
    _, _, direct = GEOD.inv(lon1, lat1, lon2, lat2)
    for label, (la, lo) in (("start", (lat1, lon1)), ("end", (lat2, lon2))):
        inside = obstacles.containing(la, lo)
        if inside is not None:
            raise NoRouteError(f"the {label} {la:.4f}, {lo:.4f} lies in avoided airspace ({inside or 'avoided'})")
    if edges_clear(obstacles, lat1, lon1, lat2, lon2)[0]:
        return PlannedLeg(lat_deg=(lat1, lat2), lon_deg=(lon1, lon2), distance_m=float(direct), direct_m=float(direct))
    # nodes inside an ellipse (sum of distances to the ends <= bound): a route no longer than the
    # bound turns only there; grow the bound until the route found is within it (then it is optimal)
    _, _, to_start = GEOD.inv(
        obstacles.node_lon_deg,
        obstacles.node_lat_deg,
        np.full(len(obstacles.node_lat_deg), lon1),
        np.full(len(obstacles.node_lat_deg), lat1),
    )
    _, _, to_end = GEOD.inv(
        obstacles.node_lon_deg,
        obstacles.node_lat_deg,
        np.full(len(obstacles.node_lat_deg), lon2),
        np.full(len(obstacles.node_lat_deg), lat2),
    )
    through = np.asarray(to_start) + np.asarray(to_end)
    for factor in ELLIPSE_FACTORS:
        bound = factor * float(direct)
        found = _astar(obstacles, np.flatnonzero(through <= bound), lat1, lon1, lat2, lon2)
        if found is not None and found[2] <= bound:
            break
    else:
        found = _astar(obstacles, np.arange(len(through)), lat1, lon1, lat2, lon2)
    if found is None:
        raise NoRouteError("no permitted route: every way is blocked by avoided airspace")
    path_lat, path_lon = _tighten(obstacles, np.array(found[0]), np.array(found[1]))
    length = float(GEOD.line_length(path_lon, path_lat))
    return PlannedLeg(
        lat_deg=tuple(path_lat.tolist()), lon_deg=tuple(path_lon.tolist()), distance_m=length, direct_m=float(direct)
    )


def _legs_clear_at(
    obstacles: Obstacles, lat: Array, lon: Array, k: NDArray[np.intp], az: Array, dist: Array
) -> NDArray[np.bool_]:
    """Are both legs clear when each point ``k`` moves ``dist`` along ``az`` (neighbours fixed)?"""
    m_lon, m_lat, _ = GEOD.fwd(lon[k], lat[k], az, dist)
    ok = edges_clear(
        obstacles,
        np.concatenate([lat[k - 1], m_lat]),
        np.concatenate([lon[k - 1], m_lon]),
        np.concatenate([m_lat, lat[k + 1]]),
        np.concatenate([m_lon, lon[k + 1]]),
    )
    return ok[: len(k)] & ok[len(k) :]


def _tighten(obstacles: Obstacles, lat: Array, lon: Array, passes: int = TIGHTEN_PASSES) -> tuple[Array, Array]:
    """Pull each turning point towards the geodesic joining its neighbours as far as both of its
    legs stay clear (``TIGHTEN_SPLIT`` fractions of the way tried at once, then as many within the
    last clear step): the turning points move from the coarse outline, where they were found, to the
    edge of the avoided airspace itself; a point whose neighbours see each other is dropped. Every
    other point moves at once (their neighbours stay put), one edge check per level."""
    lat, lon = lat.copy(), lon.copy()
    for _ in range(passes):
        moved = False
        for parity in (1, 0):
            k = np.arange(1, len(lat) - 1)
            k = k[k % 2 == parity]
            if not len(k):
                continue
            az_ab, _, d_ab = GEOD.inv(lon[k - 1], lat[k - 1], lon[k + 1], lat[k + 1])
            d_a = GEOD.inv(lon[k - 1], lat[k - 1], lon[k], lat[k])[2]
            d_b = GEOD.inv(lon[k], lat[k], lon[k + 1], lat[k + 1])[2]
            t_lon, t_lat, _ = GEOD.fwd(lon[k - 1], lat[k - 1], az_ab, d_ab * d_a / np.maximum(d_a + d_b, 1e-9))
            az, _, gap = GEOD.inv(lon[k], lat[k], t_lon, t_lat)
            az, gap = np.atleast_1d(az), np.atleast_1d(gap)

            lo_t, hi_t = np.zeros(len(k)), np.ones(len(k))
            drop = np.zeros(len(k), dtype=bool)
            for level in range(TIGHTEN_LEVELS):  # each level tries TIGHTEN_SPLIT fractions at once
                frac = lo_t[:, None] + (hi_t - lo_t)[:, None] * np.arange(1, TIGHTEN_SPLIT + 1) / TIGHTEN_SPLIT
                ok = _legs_clear_at(
                    obstacles,
                    lat,
                    lon,
                    np.repeat(k, TIGHTEN_SPLIT),
                    np.repeat(az, TIGHTEN_SPLIT),
                    (gap[:, None] * frac).ravel(),
                ).reshape(len(k), TIGHTEN_SPLIT)
                if level == 0:
                    drop = ok[:, -1]  # the neighbours see each other: the point goes
                # the largest fraction up to which every tried one is clear (the first failure bounds it)
                first_bad = np.where(ok.all(axis=1), TIGHTEN_SPLIT, np.argmin(ok, axis=1))
                width = (hi_t - lo_t) / TIGHTEN_SPLIT
                lo_t, hi_t = lo_t + width * first_bad, np.minimum(lo_t + width * (first_bad + 1), hi_t)
            n_lon, n_lat, _ = GEOD.fwd(lon[k], lat[k], az, gap * lo_t)
            lat[k], lon[k] = n_lat, n_lon
            moved |= bool(np.any(lo_t > 0) or drop.any())
            if drop.any():
                lat, lon = np.delete(lat, k[drop]), np.delete(lon, k[drop])
        if not moved:
            break
    return lat, lon


def _astar(
    obstacles: Obstacles, sel: NDArray[np.intp], lat1: float, lon1: float, lat2: float, lon2: float
) -> tuple[tuple[float, ...], tuple[float, ...], float] | None:
    """A* with lazy edge checks over the obstacle nodes ``sel`` (see module): the path, or None."""
    k = len(sel)
    lat = np.append(obstacles.node_lat_deg[sel], [lat1, lat2])
    lon = np.append(obstacles.node_lon_deg[sel], [lon1, lon2])
    xyz = np.vstack([obstacles.node_xyz[sel], unit_vectors(np.array([lat1, lat2]), np.array([lon1, lon2]))])
    start, goal = k, k + 1
    n = k + 2
    _, _, h = GEOD.inv(lon, lat, np.full(n, lon2), np.full(n, lat2))
    h = np.asarray(h, dtype=np.float64)
    g_tent = np.full(n, np.inf)
    g_done = np.full(n, np.inf)
    parent = np.full(n, -1, dtype=np.intp)
    closed = np.zeros(n, dtype=bool)
    bad: set[tuple[int, int]] = set()
    heap: list[tuple[float, float, int, int]] = []

    # bitangent rule: the pair (u, c) is kept if u's ring neighbours p, q lie on one side of the
    # great circle u -> c, i.e. (c · (u × p)) (c · (u × q)) >= 0, and likewise at c; the cross
    # products are per node, so each test is one matrix-vector product
    around_prev = np.zeros((n, 3))
    around_next = np.zeros((n, 3))
    around_prev[:k] = np.cross(xyz[:k], obstacles.prev_xyz[sel])
    around_next[:k] = np.cross(xyz[:k], obstacles.next_xyz[sel])
    # taut rule: a shortest path bends round the obstacle at u, so from u (reached from w) it goes on
    # to the side of the great circle w -> u where u's obstacle lies: (c · n) (m · n) >= 0 with
    # n = w × u and m = p + q (u's ring neighbours); n and m · n are set when u is closed
    middle = np.zeros((n, 3))
    middle[:k] = obstacles.prev_xyz[sel] + obstacles.next_xyz[sel]
    bend = np.zeros((n, 3))
    bend_side = np.zeros(n)
    #: a lower bound of the geodesic distance from the angle between unit vectors (m)
    r_low = 6_335_000.0

    def from_one(u: int, c: NDArray[np.intp]) -> NDArray[np.bool_]:
        """Which of ``c`` pass the bitangent rule with ``u`` (at both ends)."""
        xc = xyz[c]
        keep = (xc @ around_prev[u]) * (xc @ around_next[u]) >= 0  # zero rows (start, end) pass
        # at c: (u · (c × p_c)) (u · (c × q_c)) >= 0
        keep &= (around_prev[c] @ xyz[u]) * (around_next[c] @ xyz[u]) >= 0
        return keep

    known: dict[tuple[int, int], bool] = {}

    def distances(u: NDArray[np.intp], c: NDArray[np.intp]) -> Array:
        return np.asarray(GEOD.inv(lon[u], lat[u], lon[c], lat[c])[2], dtype=np.float64)

    def expand(u: int) -> None:
        """Push every open node worth reaching from ``u`` whose tentative cost improves."""
        c = np.flatnonzero(~closed)
        angle = np.arccos(np.clip(xyz[c] @ xyz[u], -1.0, 1.0))
        c = c[g_done[u] + r_low * angle < g_tent[c]]
        c = c[from_one(u, c)]
        if bend_side[u] != 0.0:
            c = c[(xyz[c] @ bend[u]) * bend_side[u] >= 0]
        if not len(c):
            return
        g_new = g_done[u] + distances(np.full(len(c), u, dtype=np.intp), c)
        better = g_new < g_tent[c]
        for cc, gn in zip(c[better].tolist(), g_new[better].tolist(), strict=True):
            g_tent[cc] = gn
            heapq.heappush(heap, (gn + h[cc], gn, cc, u))

    def repair(c: int) -> None:
        """``c``'s best entry failed: push its ``BATCH`` best remaining closed parents, unchecked (edges
        not known bad). They are checked when popped, together with the heap's other top entries; if
        the best of them fails too, this runs again over every closed parent."""
        p = np.flatnonzero(closed)
        p = p[from_one(c, p)]  # the rule is symmetric
        p = p[(np.einsum("ij,j->i", bend[p], xyz[c])) * bend_side[p] >= 0]
        p = np.array([q for q in p.tolist() if (q, c) not in bad], dtype=np.intp)
        if not len(p):
            g_tent[c] = np.inf
            return
        g_new = g_done[p] + distances(p, np.full(len(p), c, dtype=np.intp))
        best = np.argsort(g_new)[:BATCH]
        g_tent[c] = float(g_new[best[0]])
        for i in best.tolist():
            heapq.heappush(heap, (float(g_new[i]) + h[c], float(g_new[i]), c, int(p[i])))

    def check(first: tuple[float, float, int, int]) -> bool:
        """Is the entry's edge clear? Checks it with up to ``BATCH - 1`` other likely next entries."""
        key = (first[3], first[2])
        if key not in known:
            top = heap[: 2 * BATCH]  # the heap's top levels: the entries A* takes next, roughly
            open_top: Sequence[int] | NDArray[np.intp] = (
                np.flatnonzero(~closed[np.array([e[2] for e in top], dtype=np.intp)]) if top else []
            )
            batch = [key] + [(top[i][3], top[i][2]) for i in open_top[:BATCH]]
            batch = [e for e in dict.fromkeys(batch) if e not in known]
            uu = np.array([e[0] for e in batch], dtype=np.intp)
            cc = np.array([e[1] for e in batch], dtype=np.intp)
            ok = edges_clear(obstacles, lat[uu], lon[uu], lat[cc], lon[cc])
            known.update(zip(batch, ok.tolist(), strict=True))
        return known[key]

    g_done[start] = 0.0
    g_tent[start] = 0.0
    closed[start] = True
    expand(start)
    while heap:
        entry = heapq.heappop(heap)
        _, g, c, u = entry
        if closed[c] or (u, c) in bad:
            continue
        if not check(entry):
            bad.add((u, c))
            if g <= g_tent[c] + 1e-6:  # it was c's best entry
                repair(c)
            continue
        closed[c] = True
        g_done[c] = g
        parent[c] = u
        if c < k:
            bend[c] = np.cross(xyz[u], xyz[c])
            bend_side[c] = float(middle[c] @ bend[c])
        if c == goal:
            break
        expand(c)
    if not closed[goal]:
        return None
    path = [goal]
    while path[-1] != start:
        path.append(int(parent[path[-1]]))
    path.reverse()
    return tuple(float(lat[i]) for i in path), tuple(float(lon[i]) for i in path), float(g_done[goal])
