import gzip
import math
from pathlib import Path

import numpy as np
import pytest
from geographiclib.geodesic import Geodesic
from hypothesis import given, settings
from hypothesis import strategies as st

from missions import geodesy

#: 2,000 of Karney's reference geodesics (source, licence and how it was cut: tests/data/GeodTest-short-2000.md)
GEODTEST = Path(__file__).with_name("data") / "GeodTest-short-2000.dat.gz"

lats = st.floats(min_value=-89.9, max_value=89.9, allow_nan=False)
lons = st.floats(min_value=-180.0, max_value=180.0, allow_nan=False)


def test_inverse__geographiclib_documented_example():
    # GeodSolve's documented inverse example (JFK to LHR): s12 = 5551759.400 m
    r = geodesy.inverse(40.6, -73.8, 51.6, -0.5)
    assert float(r.distance_m) == pytest.approx(5551759.400, abs=0.001)


def test_inverse__pyproj_reference_cities_on_wgs84():
    # pyproj's Boston–Portland example (its distance is for Clarke 1866): on WGS84 the bearings
    # agree to 0.01° and the distance with GeographicLib to 1 µm
    boston = (42.0 + 15.0 / 60.0, -71.0 - 7.0 / 60.0)
    portland = (45.0 + 31.0 / 60.0, -123.0 - 41.0 / 60.0)
    r = geodesy.inverse(*boston, *portland)
    assert float(r.initial_bearing_deg) == pytest.approx(360 - 66.531, abs=0.01)
    assert float(r.final_bearing_deg) == pytest.approx((75.654 + 180) % 360, abs=0.01)
    ref = Geodesic.WGS84.Inverse(*boston, *portland)["s12"]
    assert float(r.distance_m) == pytest.approx(ref, abs=1e-6)


def test_inverse__karney_geodtest_to_1_mm():
    with gzip.open(GEODTEST, "rt") as handle:
        data = np.loadtxt(handle)
    assert data.shape == (2_000, 7)
    lat1, lon1, azi1, lat2, lon2, _azi2, s12 = data.T
    got = geodesy.inverse(lat1, lon1, lat2, lon2)
    assert np.max(np.abs(got.distance_m - s12)) < 0.001
    # the initial bearing too, where it is defined (not at the poles, not for antipodal points)
    defined = (np.abs(lat1) < 89.0) & (s12 < 19_900_000.0) & (s12 > 1.0)
    diff = (got.initial_bearing_deg[defined] - azi1[defined] + 180.0) % 360.0 - 180.0
    assert np.max(np.abs(diff)) < 1e-6


def test_leg_distances__olenya_gibraltar_matches_geographiclib():
    g = Geodesic.WGS84.Inverse(68.1517, 33.47, 35.967, -5.483)
    assert float(geodesy.leg_distances_m([68.1517, 35.967], [33.47, -5.483])[0]) == pytest.approx(g["s12"], abs=1e-6)


@settings(max_examples=200, deadline=None)
@given(lats, lons, lats, lons)
def test_inverse__agrees_with_geographiclib(lat1, lon1, lat2, lon2):
    ref = Geodesic.WGS84.Inverse(lat1, lon1, lat2, lon2)
    got = geodesy.inverse(lat1, lon1, lat2, lon2)
    assert float(got.distance_m) == pytest.approx(ref["s12"], abs=1e-6)


@given(lats, lons, lats, lons)
def test_inverse__symmetric(lat1, lon1, lat2, lon2):
    ab = float(geodesy.inverse(lat1, lon1, lat2, lon2).distance_m)
    ba = float(geodesy.inverse(lat2, lon2, lat1, lon1).distance_m)
    assert ab == pytest.approx(ba, abs=1e-6)


@given(lats, lons, lats, lons, lats, lons)
def test_inverse__triangle_inequality(lat1, lon1, lat2, lon2, lat3, lon3):
    d = lambda a, b, c, e: float(geodesy.inverse(a, b, c, e).distance_m)  # noqa: E731
    assert d(lat1, lon1, lat3, lon3) <= d(lat1, lon1, lat2, lon2) + d(lat2, lon2, lat3, lon3) + 1e-6


@settings(max_examples=150, deadline=None)
@given(lats, lons, lats, lons)
def test_densify__length_equals_leg_length(lat1, lon1, lat2, lon2):
    d = geodesy.densify_route([lat1, lat2], [lon1, lon2])
    leg = float(geodesy.inverse(lat1, lon1, lat2, lon2).distance_m)
    # the densified vertices lie on the geodesic: summing their pieces gives the leg length
    pieces = geodesy.leg_distances_m(d.lat_deg, d.lon_deg).sum()
    assert pieces == pytest.approx(leg, rel=1e-4, abs=1e-3)
    assert d.distance_m[-1] == pytest.approx(leg, rel=1e-9, abs=1e-6)


@settings(max_examples=150, deadline=None)
@given(lats, st.floats(min_value=100, max_value=180), lats, st.floats(min_value=-180, max_value=-100))
def test_densify__antimeridian_legs_are_continuous(lat1, lon1, lat2, lon2):
    d = geodesy.densify_route([lat1, lat2], [lon1, lon2])
    jumps = np.abs(np.diff(d.lon_deg))
    assert jumps.size == 0 or jumps.max() < 180.0


def _chord_deviation_m(d: geodesy.Densified) -> np.ndarray:
    """Distance between each Mercator chord's midpoint and the geodesic's midpoint (the largest gap)."""
    lat1, lat2 = d.lat_deg[:-1], d.lat_deg[1:]
    lon1, lon2 = d.lon_deg[:-1], d.lon_deg[1:]
    y = lambda lat: np.log(np.tan(np.pi / 4 + np.radians(lat) / 2))  # noqa: E731
    y_mid = (y(lat1) + y(lat2)) / 2
    lat_mid = np.degrees(2 * np.arctan(np.exp(y_mid)) - np.pi / 2)
    lon_mid = (lon1 + lon2) / 2
    half = geodesy.inverse(lat1, lon1, lat2, lon2).distance_m / 2
    g_lat, g_lon = geodesy.point_along(lat1, lon1, lat2, lon2, half)
    return geodesy.inverse(lat_mid, lon_mid, g_lat, g_lon).distance_m


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ((68.1517, 33.47), (35.967, -5.483)),  # Olenya to Gibraltar
        ((53.1679, 158.4536), (61.1744, -149.9964)),  # Petropavlovsk-Kamchatsky to Anchorage
        ((60.0, -150.0), (60.0, 30.0)),  # over the North Pole
        ((70.0, 0.0), (70.0, 90.0)),  # high-latitude great circle
        ((-40.0, 170.0), (-35.0, -70.0)),  # southern ocean across the antimeridian
    ],
)
def test_densify__drawn_line_within_1_km_and_not_oversampled(a, b):
    d = geodesy.densify_route([a[0], b[0]], [a[1], b[1]])
    dev = _chord_deviation_m(d)
    # beyond 85.05° Web Mercator draws nothing
    visible = (np.abs(d.lat_deg[:-1]) < 85) & (np.abs(d.lat_deg[1:]) < 85)
    assert dev[visible].max() <= 1000.0
    if len(d.lat_deg) > 3:
        # half the vertices would break the tolerance: no more vertices than needed (within 2×)
        coarse = geodesy.Densified(d.lat_deg[::2], d.lon_deg[::2], d.leg_index[::2], d.distance_m[::2])
        seen = (np.abs(coarse.lat_deg[:-1]) < 85) & (np.abs(coarse.lat_deg[1:]) < 85)
        if np.any(_chord_deviation_m(d)[visible] > 1.0):  # a meridian leg is exact at any spacing
            assert _chord_deviation_m(coarse)[seen].max() > 250.0


def test_densify__pacific_route_one_continuous_line():
    line = geodesy.route_line([53.1679, 61.1744], [158.4536, -149.9964])
    lon = np.array(line.coords)[:, 0]
    assert lon.min() == pytest.approx(158.4536) and lon.max() == pytest.approx(210.0036)
    assert np.abs(np.diff(lon)).max() < 20
    split = geodesy.split_antimeridian(line)
    assert split.geom_type == "MultiLineString"
    for part in split.geoms:
        xs = np.array(part.coords)[:, 0]
        assert xs.min() >= -180 and xs.max() <= 180


def test_densify__zero_length_and_near_antipodal_legs():
    d = geodesy.densify_route([10.0, 10.0], [20.0, 20.0])
    assert d.distance_m[-1] == 0 and len(d.lat_deg) == 2
    d = geodesy.densify_route([0.0, 0.5], [0.0, 179.7])  # near-antipodal
    ref = Geodesic.WGS84.Inverse(0.0, 0.0, 0.5, 179.7)["s12"]
    assert d.distance_m[-1] == pytest.approx(ref, abs=1e-3)
    assert geodesy.leg_distances_m(d.lat_deg, d.lon_deg).sum() == pytest.approx(ref, rel=1e-4)


def test_geodesic_ring__every_vertex_at_the_radius():
    ring = geodesy.geodesic_ring(35.0, 36.0, 2_000_000.0, n_vertices=90)
    xs, ys = np.array(ring.exterior.coords).T
    dist = geodesy.inverse(np.full(xs.size, 35.0), np.full(xs.size, 36.0), ys, xs).distance_m
    assert np.allclose(dist, 2_000_000.0, atol=1e-3)


def test_geodesic_ring__around_the_pole_covers_it():
    ring = geodesy.geodesic_ring(68.15, 33.47, 12_000_000.0)
    assert ring.is_valid
    assert ring.bounds[3] == 90.0
    assert math.isclose(ring.bounds[2] - ring.bounds[0], 360.0, abs_tol=1e-6)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ((68.1517, 33.47), (35.967, -5.483)),  # Olenya to Gibraltar
        ((53.1679, 158.4536), (61.1744, -149.9964)),  # across the antimeridian
        ((70.0, 0.0), (70.0, 90.0)),  # high-latitude great circle
        ((88.0, -30.0), (87.0, 150.0)),  # over the North Pole
    ],
)
def test_densify_legs__plate_carree_chords_within_tolerance_and_step_cap(a, b):
    """Clipping plane: straight (lon, lat) chords stay within 10 m of the geodesic, steps ≤ 10 km."""
    d = geodesy.densify_legs(
        a[0], a[1], b[0], b[1], tolerance_m=10.0, max_step_m=10_000.0, plane=geodesy.Plane.PLATE_CARREE
    )
    assert np.diff(d.distance_m).max() <= 10_000.0 + 1e-6
    assert np.all(np.abs(np.diff(d.lon_deg)) <= 180.0)  # unwrapped within the leg (180: over a pole)
    lat_mid = (d.lat_deg[:-1] + d.lat_deg[1:]) / 2
    lon_mid = (d.lon_deg[:-1] + d.lon_deg[1:]) / 2
    g_lat, g_lon = geodesy.destination(
        a[0], a[1], geodesy.inverse(*a, *b).initial_bearing_deg, (d.distance_m[:-1] + d.distance_m[1:]) / 2
    )
    through_pole = np.abs(np.diff(d.lon_deg)) == 180.0  # the chord over the pole itself is degenerate
    assert geodesy.inverse(lat_mid, lon_mid, g_lat, g_lon).distance_m[~through_pole].max() <= 10.0


def test_densify_legs__offsets_and_exact_ends_per_leg():
    lat1, lon1, lat2, lon2 = [0.0, 10.0, 5.0], [0.0, 179.5, 3.0], [1.0, 10.0, 5.0], [1.0, -179.5, 3.0]
    d = geodesy.densify_legs(lat1, lon1, lat2, lon2, max_step_m=20_000.0)
    first, last = d.offsets[:-1], d.offsets[1:] - 1
    assert d.offsets[-1] == len(d.lat_deg)
    assert np.array_equal(d.lat_deg[first], lat1) and np.array_equal(d.lat_deg[last], lat2)
    assert d.lon_deg[last][1] == pytest.approx(180.5)  # unwrapped across the date line
    assert d.distance_m[last] == pytest.approx(geodesy.inverse(lat1, lon1, lat2, lon2).distance_m)
    assert list(np.diff(d.offsets))[2] == 2  # a zero-length leg: its two ends
    assert set(d.leg_index[first[1] : last[1] + 1].tolist()) == {1}
