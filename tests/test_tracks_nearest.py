"""missions.tracks.nearest: the coarse-to-fine search gives the segment the rule gives over every segment.

The rule (nearest chord; among segments within AMBIGUITY of it, the branch nearest to where the
model has the aircraft) is evaluated by brute force, every position against every segment, on a
route that flies out and back 2 km apart (two branches everywhere), with positions on, near and far
from it; the fast search must pick the same segment at the same distance.
"""

from __future__ import annotations

import numpy as np
import pytest
from pyproj import Transformer

from missions import geodesy
from missions.tracks.compare import AMBIGUITY_M, BRANCH_M, ecef, geodetic
from missions.tracks.nearest import CELL_M, RouteSegments, nearest_segments

# out along 60° N, back 2 km north of it, then a dog-leg south
WAYPOINTS = np.array([[60.0, 0.0], [60.0, 8.0], [60.018, 8.0], [60.018, 0.2], [58.5, 3.0]])


def _route() -> RouteSegments:
    lat, lon = WAYPOINTS[:, 0], WAYPOINTS[:, 1]
    d = geodesy.densify_legs(lat[:-1], lon[:-1], lat[1:], lon[1:], max_step_m=2_000.0)
    legs = geodesy.leg_distances_m(lat, lon)
    along = np.concatenate(([0.0], np.cumsum(legs)))[d.leg_index] + d.distance_m
    same = np.append(d.leg_index[:-1] == d.leg_index[1:], False)
    seg_len = np.append(np.where(same[:-1], np.diff(along), 0.0), 0.0)
    return RouteSegments(xyz=ecef(d.lat_deg, d.lon_deg), valid=same, along_m=along, length_m=seg_len)


def _brute(route: RouteSegments, p: np.ndarray, expected: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    seg = np.flatnonzero(route.valid)
    a, b = route.xyz[seg], route.xyz[seg + 1]
    ab = b - a
    t = np.clip(np.einsum("nmj,mj->nm", p[:, None, :] - a, ab) / np.einsum("mj,mj->m", ab, ab), 0.0, 1.0)
    chord = np.linalg.norm(p[:, None, :] - (a + t[..., None] * ab), axis=2)
    along = route.along_m[seg] + t * route.length_m[seg]
    near = chord <= chord.min(axis=1, keepdims=True) + AMBIGUITY_M
    from_model = np.where(near, np.abs(along - expected[:, None]), np.inf)
    branch = from_model <= from_model.min(axis=1, keepdims=True) + BRANCH_M
    pick = np.argmin(np.where(branch, chord, np.inf), axis=1)
    rows = np.arange(p.shape[0])
    return seg[pick], chord[rows, pick]


@pytest.mark.parametrize("spread_m", [300.0, 4_000.0, 60_000.0])
def test_nearest_segments__same_as_every_segment(spread_m):
    route = _route()
    rng = np.random.default_rng(7)
    n = 1_500
    # positions along the route (in time order, as a track is), moved off it by up to spread_m
    k = np.sort(rng.integers(0, route.xyz.shape[0] - 1, n))
    lat, lon = geodetic(route.xyz[k])
    lat, lon = geodesy.destination(lat, lon, rng.uniform(0, 360, n), rng.uniform(0, spread_m, n))
    p = ecef(lat, lon)
    expected = route.along_m[k] + rng.normal(0.0, 20_000.0, n)  # the model a little ahead or behind
    got = nearest_segments(route, p, expected, ambiguity_m=AMBIGUITY_M, branch_m=BRANCH_M)
    seg, chord = _brute(route, p, expected)
    same = (got.segment == seg) | np.isclose(got.chord_m, chord, atol=1e-6)  # ties: equally near
    assert same.all(), np.flatnonzero(~same)[:5]
    np.testing.assert_allclose(got.chord_m, chord, atol=1e-6)
    a = route.xyz[got.segment]
    foot = a + got.fraction[:, None] * (route.xyz[got.segment + 1] - a)
    np.testing.assert_allclose(np.linalg.norm(p - foot, axis=1), got.chord_m, atol=1e-6)


def test_nearest_segments__both_branches_told_apart_by_time():
    route = _route()
    # a vertex halfway along the outbound leg: the return leg passes 1.7 km north of it
    first_leg = float(geodesy.leg_distances_m(WAYPOINTS[:2, 0], WAYPOINTS[:2, 1])[0])
    mid = int(np.argmin(np.abs(route.along_m - first_leg / 2)))
    p = route.xyz[[mid, mid]]
    expected = np.array([route.along_m[mid], 1.5 * first_leg])  # the model: outbound, then on the way back
    got = nearest_segments(route, p, expected, ambiguity_m=AMBIGUITY_M, branch_m=BRANCH_M)
    assert abs(got.along_m[0] - route.along_m[mid]) < 1.0 and got.chord_m[0] < 1.0  # on the outbound leg
    assert got.along_m[1] > first_leg and 1_000 < got.chord_m[1] < 2_100  # on the return, 1.7-2 km off


def test_geodetic__inverts_earth_centred_coordinates_near_the_surface():
    rng = np.random.default_rng(1)
    lat, lon = rng.uniform(-89.9, 89.9, 5_000), rng.uniform(-180, 180, 5_000)
    height = rng.uniform(-1.0, 100.0, 5_000)
    x, y, z = Transformer.from_crs("EPSG:4979", "EPSG:4978", always_xy=True).transform(lon, lat, height)
    back_lat, back_lon = geodetic(np.column_stack([x, y, z]))
    assert np.abs(back_lat - lat).max() < 1e-9  # ~0.1 mm
    assert np.abs((back_lon - lon + 180) % 360 - 180).max() < 1e-9
    np.testing.assert_allclose(ecef(lat, lon), np.column_stack(
        Transformer.from_crs("EPSG:4979", "EPSG:4978", always_xy=True).transform(lon, lat, np.zeros_like(lat))),
        atol=1e-6)  # fmt: skip


def test_nearest_segments__dense_track_has_few_cubes():
    route = _route()
    # 20,000 positions 10 m apart: far fewer cubes than positions, same answer as position by position
    lat, lon = geodetic(route.xyz[:60])
    step = geodesy.densify_legs(lat[:-1], lon[:-1], lat[1:], lon[1:], max_step_m=10.0)
    p = ecef(step.lat_deg, step.lon_deg)
    expected = np.linspace(0.0, route.along_m[59], p.shape[0])
    got = nearest_segments(route, p, expected, ambiguity_m=AMBIGUITY_M, branch_m=BRANCH_M)
    assert p.shape[0] > 10_000 and got.chord_m.max() < 0.1  # on the route (chord sagitta < 0.1 m)
    cubes = np.unique(np.floor(p / CELL_M), axis=0).shape[0]
    assert cubes < p.shape[0] / 50
