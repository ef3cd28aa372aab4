import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from missions import geodesy
from missions.analysis import compute_mission
from missions.parsing import parse_mission
from tests.equator import equator_yaml

BASE = equator_yaml(
    """
    speed: 450 km/h
    refuel: {tanker: Il-78M, duration: 30 min}
    hold: 15 min
    launch: {weapon: Test missile, count: 2, targets: ["0, 15", "5, 10"], speed: 720 km/h}
    """,
    name="Timing test",
    claims="""
    - {value: 2000 km, qualifier: about, source: test}
    - {value: more than 2 h, source: test}
    """,
)


def test_compute__leg_times_follow_speed_and_events():
    result = compute_mission(parse_mission(BASE))
    s = result.sorties[0]
    d1 = float(geodesy.inverse(0, 0, 0, 10).distance_m)
    assert s.legs[0].distance_m == pytest.approx(d1, abs=1e-6)
    assert s.legs[0].duration_s == pytest.approx(d1 / (900 / 3.6))
    assert s.departure_times[1] - s.arrival_times[1] == dt.timedelta(minutes=45)
    assert s.legs[1].speed_kmh == 450.0
    assert s.legs[1].duration_s == pytest.approx(d1 / (450 / 3.6), rel=1e-9)
    assert s.duration_s == pytest.approx(d1 / 250 + 45 * 60 + d1 / 125, rel=1e-9)
    assert s.legs[1].cumulative_m == pytest.approx(2 * d1)
    assert s.refuel_count == 1


def test_compute__weapon_tracks_time_of_flight_and_impact():
    result = compute_mission(parse_mission(BASE))
    tracks = {t.target.name: t for t in result.weapons}
    east = tracks["0, 15"]
    assert east.distance_m == pytest.approx(float(geodesy.inverse(0, 10, 0, 15).distance_m))
    assert east.time_of_flight_s == pytest.approx(east.distance_m / 200.0)
    assert east.launch_time == result.sorties[0].arrival_times[1]
    assert east.impact_time == east.launch_time + dt.timedelta(seconds=east.time_of_flight_s)
    assert east.count == 2


def test_compute__via_points_lengthen_the_track():
    text = BASE.replace('targets: ["0, 15", "5, 10"]', 'targets: ["0, 15"], via: ["3, 12"]')
    track = compute_mission(parse_mission(text)).weapons[0]
    direct = float(geodesy.inverse(0, 10, 0, 15).distance_m)
    via = float(geodesy.inverse(0, 10, 3, 12).distance_m + geodesy.inverse(3, 12, 0, 15).distance_m)
    assert track.distance_m == pytest.approx(via)
    assert track.distance_m > direct


def test_compute__claims_beside_computed():
    result = compute_mission(parse_mission(BASE))
    s = result.sorties[0]
    dist, dur = result.claims
    assert dist.computed == pytest.approx(s.distance_m)
    assert dist.ratio == pytest.approx(s.distance_m / 2_000_000)
    assert dist.implied_speed_kmh == pytest.approx(2000 / (s.duration_s / 3600))
    assert dur.difference == pytest.approx(s.duration_s - 7200)
    assert dur.implied_speed_kmh == pytest.approx(s.distance_m / 1000 / 2)


@settings(max_examples=30, deadline=None)
@given(st.floats(min_value=100, max_value=3000), st.integers(min_value=0, max_value=600))
def test_compute__faster_is_never_later(speed_kmh, hold_min):
    text = BASE.replace("speed: 900 km/h", f"speed: {speed_kmh} km/h").replace("hold: 15 min", f"hold: {hold_min} min")
    slow = compute_mission(parse_mission(text)).sorties[0]
    fast = compute_mission(
        parse_mission(text.replace(f"speed: {speed_kmh} km/h", f"speed: {speed_kmh * 1.5} km/h"))
    ).sorties[0]
    assert fast.landing_time <= slow.landing_time
    assert fast.distance_m == slow.distance_m


ROUTE_EQUATOR = equator_yaml(
    "refuel: {tanker: Il-78M, duration: 30 min}",
    name="Equator route",
    after_10="""
    - place: 0, 10
      speed: 720 km/h
    """,
)


def test_sortie_route__waypoint_vertices_and_times_known_answers():
    """10° of equator is 1,113,194.908 m: 4,452.78 s at 250 m/s, 5,565.97 s at 200 m/s; a 30 min
    refuelling, then a zero-length leg, which keeps its one vertex."""
    leg_m = 6_378_137.0 * np.pi / 18
    s = compute_mission(parse_mission(ROUTE_EQUATOR)).sorties[0]
    route = s.route
    assert route.lat_deg.size == route.lon_deg.size == route.leg_index.size == route.distance_m.size
    wp = s.waypoint_vertices
    assert wp.tolist()[0] == 0 and wp[-1] == route.lat_deg.size - 1 and np.all(np.diff(wp) >= 0)
    # each waypoint's vertex is the waypoint itself, at the distance flown so far
    assert route.lon_deg[wp].tolist() == pytest.approx([0.0, 10.0, 10.0, 20.0], abs=1e-9)
    assert route.distance_m[wp].tolist() == pytest.approx([0.0, leg_m, leg_m, 2 * leg_m], abs=1e-3)
    times = s.vertex_times_s
    assert np.all(np.diff(times) >= 0)
    # a waypoint's vertex carries its departure (after the refuelling), the last one the landing
    assert times[wp].tolist() == pytest.approx(
        [0.0, leg_m / 250 + 1800, leg_m / 250 + 1800, leg_m / 250 + 1800 + leg_m / 200], abs=1e-6
    )
    assert times[-1] == pytest.approx(s.duration_s, abs=1e-6)
    # inside a leg: departure + distance into the leg / the leg's speed (leg 0 at 250 m/s)
    inside = np.flatnonzero(route.leg_index == 0)[1:]
    assert times[inside].tolist() == pytest.approx((route.distance_m[inside] / 250.0).tolist(), abs=1e-6)
    arrival, departure = s.waypoint_times_s()
    assert (departure - arrival).tolist() == pytest.approx([0.0, 1800.0, 0.0, 0.0])


def test_weapon_route__vertex_times_at_the_weapon_speed():
    text = ROUTE_EQUATOR.replace(
        "refuel: {tanker: Il-78M, duration: 30 min}",
        'launch: {weapon: Kh-101, count: 2, targets: ["0, 12"], via: ["1, 11"], speed: 720 km/h}',
    )
    track = compute_mission(parse_mission(text)).weapons[0]
    assert track.route.leg_index.max() == 1  # launch point → via, via → target
    assert track.vertex_times_s[-1] == pytest.approx(track.time_of_flight_s, abs=1e-6)
    assert track.route.distance_m[-1] == pytest.approx(track.distance_m, rel=1e-9)
