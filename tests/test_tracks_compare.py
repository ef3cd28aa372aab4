"""missions.tracks.compare: a known comparison on a synthetic observed track of a catalogue mission.

The Tu-160 pair's modelled flight is sampled every 30 s, each position moved by 200 m of noise
(normal, random bearing), one 40-minute stretch over the Norwegian Sea displaced 25 km to the right
of the route, and 20 minutes cut out west of Portugal. The comparison must find the displacement
there, the gap, and time offsets near zero at the waypoints the track passes.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from missions import geodesy
from missions.analysis import MissionResult, compute_mission
from missions.parsing import load_mission
from missions.tracks.compare import compare_sortie
from missions.tracks.model import TrackFormat, make_track
from missions.tracks.synthetic import modelled_positions

TU160 = Path(__file__).resolve().parents[1] / "missions" / "catalog" / "tu160-2015-11-20.yaml"
STEP_S = 30.0
NOISE_M = 200.0
DISPLACED_M = 25_000.0


@pytest.fixture(scope="module")
def tu160() -> MissionResult:
    return compute_mission(load_mission(TU160))


def synthetic_track(result: MissionResult):
    """The known observed track (see the module) and where its displacement and gap are."""
    s = result.sortie("Blackjack pair")
    rng = np.random.default_rng(12)
    t0, t1 = s.takeoff_time.timestamp(), s.landing_time.timestamp()
    time_s = np.arange(t0, t1, STEP_S)
    lat, lon, bearing = modelled_positions(s, time_s)
    noise_bearing = rng.uniform(0, 360, time_s.size)
    lat, lon = geodesy.destination(lat, lon, noise_bearing, np.abs(rng.normal(0, NOISE_M, time_s.size)))
    # 40 minutes displaced 25 km to the right, starting 50 min after the Norwegian Sea refuelling
    refuel = next(i for i, wp in enumerate(s.sortie.route) if wp.refuels)
    d0 = s.departure_times[refuel].timestamp() + 50 * 60
    shifted = (time_s >= d0) & (time_s < d0 + 40 * 60)
    lat[shifted], lon[shifted] = geodesy.destination(lat[shifted], lon[shifted], bearing[shifted] + 90.0, DISPLACED_M)
    # 20 minutes without a position, from 30 min after "West of Portugal"
    wop = next(i for i, wp in enumerate(s.sortie.route) if wp.point.name == "West of Portugal")
    g0 = s.arrival_times[wop].timestamp() - 30 * 60
    keep = ~((time_s > g0) & (time_s < g0 + 20 * 60 + 1))
    track = make_track(file="synthetic.csv", format=TrackFormat.CSV, time_s=time_s[keep], lat_deg=lat[keep],
                       lon_deg=lon[keep], callsign=np.full(keep.sum(), "RFF7082", dtype=object))  # fmt: skip
    return s, track, (d0, d0 + 40 * 60), (g0, g0 + 20 * 60), wop


@pytest.fixture(scope="module")
def synthetic(tu160):
    return synthetic_track(tu160)


def test_compare_sortie__finds_the_25_km_displacement_where_it_is(synthetic):
    s, track, (d0, d1), _, _ = synthetic
    c = compare_sortie(s, track, gap_s=600.0)
    assert DISPLACED_M - 3 * NOISE_M < c.max_deviation_m < DISPLACED_M + 4 * NOISE_M
    assert d0 <= c.max_time.timestamp() < d1
    (off,) = c.off_route  # one stretch off the route by more than 10 km: the displaced one
    assert abs(off.start.timestamp() - d0) <= STEP_S and abs(off.end.timestamp() - (d1 - STEP_S)) <= STEP_S
    assert 24_000 < off.max_m < 26_000
    # elsewhere the deviation is the noise
    inside = (track.time_s >= d0) & (track.time_s < d1)
    outside = c.projection.cross_track_m[~inside]
    assert outside.max() < 5 * NOISE_M and outside.mean() < 1.5 * NOISE_M


def test_compare_sortie__finds_the_20_minute_gap(synthetic):
    s, track, _, (g0, g1), _ = synthetic
    c = compare_sortie(s, track, gap_s=600.0)
    (gap,) = c.gaps
    assert abs(gap.start.timestamp() - g0) <= STEP_S and abs(gap.end.timestamp() - g1) <= STEP_S
    assert 20 * 60 <= gap.duration_s <= 21 * 60
    assert compare_sortie(s, track, gap_s=25 * 60).gaps == ()


def test_compare_sortie__time_offsets_near_zero(synthetic):
    s, track, _, (g0, g1), _ = synthetic
    c = compare_sortie(s, track, gap_s=600.0)
    passed = [p for p in c.passes if p.observed is not None]
    assert len(passed) >= len(s.sortie.route) - 1  # a waypoint inside the gap may be missed
    for p in c.passes:
        if p.observed is None:
            assert g0 <= p.modelled.timestamp() <= g1
        else:
            assert abs(p.offset_s) < 10.0, (p.name, p.offset_s)
    # the modelled route and the observed distance: same length within the noise and displacement
    assert c.route_distance_m == s.distance_m
    assert abs(c.covered_route_m - s.distance_m) < 20_000


def test_compare_sortie__a_late_track_shows_its_delay(synthetic):
    s, track, *_ = synthetic
    late = make_track(file="late.csv", format=TrackFormat.CSV, time_s=track.time_s + 900.0, lat_deg=track.lat_deg,
                      lon_deg=track.lon_deg)  # fmt: skip
    c = compare_sortie(s, late, gap_s=600.0)
    offsets = [p.offset_s for p in c.passes if p.offset_s is not None]
    assert offsets and all(abs(o - 900.0) < 10.0 for o in offsets)
