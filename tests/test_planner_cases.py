"""Route planner: near the pole, across the antimeridian, and the issue's known cases with the
constraints that make them hold (tests/test_planner.py has the method's properties)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import shapely
from pyproj import Geod

from geodata.airspace import load_straits
from missions.airspace.index import _embedded_codes, country_index
from missions.airspace.plan import PlannedRoute, plan_route
from tests.test_planner import assert_stays_out, route_arrays

GEOD = Geod(ellps="WGS84")
NOV_2015 = dt.date(2015, 11, 20)
BARROW, JAN_MAYEN = "71.29, -156.79", "71.0, -8.5"


def path_points(route: PlannedRoute, n: int = 200) -> tuple[np.ndarray, np.ndarray]:
    """Points every ~1/n of each planned leg, on the geodesic."""
    lat, lon = route_arrays(route)
    pts = [q for k in range(len(lat) - 1) for q in GEOD.npts(lon[k], lat[k], lon[k + 1], lat[k + 1], n)]
    return np.array([q[1] for q in pts]), np.array([q[0] for q in pts])


def test_plan_route__across_the_arctic_north_of_greenland_near_the_pole() -> None:
    """Utqiagvik (Barrow, Alaska) to Jan Mayen avoiding Canada and Denmark (with Greenland): the
    direct geodesic crosses Ellesmere and Greenland; the route turns once, off Greenland's north-east
    corner (~81.5° N), and its first leg passes within ~400 km of the pole."""
    route = plan_route(BARROW, JAN_MAYEN, avoid="CAN,DNK")
    assert [p.planned for p in route.points] == [False, True, False]
    turn = route.points[1]
    assert 80.5 < turn.lat_deg < 83.5 and -20.0 < turn.lon_deg < 0.0
    lat, _ = path_points(route)
    assert lat.max() > 86.0  # (90 - 86) · 111 km: within ~450 km of the pole
    assert route.excess < 0.03
    assert_stays_out(route)
    # the direct geodesic is not permitted: it crosses Canada or Greenland
    direct = plan_route(BARROW, JAN_MAYEN)
    assert len(direct.points) == 2 and route.distance_m > direct.distance_m


def test_plan_route__over_the_pole_when_nothing_blocks_it() -> None:
    """Utqiagvik to Longyearbyen avoiding Russia, Canada and Denmark: the direct geodesic, which
    passes about 100 km from the pole, is permitted and is the route."""
    route = plan_route(BARROW, "78.22, 15.65", avoid="RUS,CAN,DNK")
    assert len(route.points) == 2 and route.excess == 0.0
    lat, _ = path_points(route)
    assert lat.max() > 88.5


def test_plan_route__turning_points_on_both_sides_of_the_antimeridian() -> None:
    """Tokyo to Fairbanks avoiding Russia: round Kamchatka's and the Kurils' seas, turning west of
    180°, then across the date line to Alaska."""
    route = plan_route("35.7, 139.7", "64.8, -147.7", avoid="RUS")
    _, lon = route_arrays(route)
    assert np.any(lon[1:-1] > 150.0)  # a turning point west of the date line
    assert np.any(np.abs(np.diff(lon)) > 180.0)  # a leg across ±180°
    assert route.excess < 0.02
    assert_stays_out(route)


def test_plan_route__tu160_via_gibraltar_avoiding_only_nato_2015_takes_the_dover_strait() -> None:
    """The issue expected "west of the British Isles"; avoiding only NATO of 20 Nov 2015 the shortest
    way crosses Finland and Sweden (not members then) and passes the Dover Strait in transit passage."""
    route = plan_route("Olenya", "Eastern Mediterranean", via=["Strait of Gibraltar"], avoid="NATO", day=NOV_2015)
    lat, lon = path_points(route, 50)
    dover = next(s for s in load_straits() if s.name == "Strait of Dover").corridor()
    assert shapely.contains_xy(shapely.buffer(dover, 0.02), lon, lat).any()
    assert 8_200_000 < route.distance_m < 8_700_000
    assert_stays_out(route)


def test_check_iso3__embedded_codes_are_the_index_codes() -> None:
    """Codes are checked against the planning airspace's header (no index load): the same units."""
    assert set(_embedded_codes()) == set(country_index().iso3)
