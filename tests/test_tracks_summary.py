"""missions.tracks.summary: distance flown, coverage gaps, thinning within 1 km, countries crossed."""

from __future__ import annotations

import numpy as np

from missions.geodesy import densify_legs, destination, inverse
from missions.tracks.model import TrackFormat, make_track
from missions.tracks.summary import find_gaps, summarise, thin_indices

T0 = 1_447_992_000.0


def _track(lat, lon, time_s):
    return make_track(file="t.csv", format=TrackFormat.CSV, time_s=time_s, lat_deg=lat, lon_deg=lon)


def _paris_lyon(step_s: float = 30.0):
    d = densify_legs(48.8566, 2.3522, 45.7640, 4.8357, max_step_m=7_500.0)  # ~900 km/h every 30 s
    return d.lat_deg, d.lon_deg, T0 + step_s * np.arange(d.lat_deg.size)


def test_summarise__distance_gaps_and_countries_paris_lyon():
    lat, lon, t = _paris_lyon()
    t[20:] += 1500.0  # a 25-minute hole in coverage after the 20th position
    s = summarise(_track(lat, lon, t))
    assert s.points == lat.size
    assert abs(s.distance_m - inverse(48.8566, 2.3522, 45.7640, 4.8357).distance_m) < 1.0  # on the geodesic
    (gap,) = s.gaps
    assert gap.after_index == 19 and gap.duration_s == 1530.0
    assert s.gap_distance_m == gap.distance_m and s.covered_s == s.duration_s - 1530.0
    # the stretch across the gap is not counted in any country: the path there is unknown
    assert [c.iso3 for c in s.countries] == ["FRA", "FRA"]
    assert abs(sum(c.distance_m for c in s.countries) + gap.distance_m - s.distance_m) < 50.0
    assert s.countries[0].entry.timestamp() == T0


def test_find_gaps__threshold_is_strict():
    lat, lon, t = _paris_lyon(step_s=600.0)
    assert find_gaps(_track(lat, lon, t), gap_s=600.0) == ()
    assert len(find_gaps(_track(lat, lon, t), gap_s=599.0)) == lat.size - 1


def test_thin_indices__within_1_km_of_every_position():
    rng = np.random.default_rng(1)
    lat0, lon0 = 69.0, 20.0  # far north: a degree of longitude is short
    bearings = np.cumsum(rng.normal(0, 8, 2000)) + 250.0
    lat, lon = [lat0], [lon0]
    for b in bearings:
        y, x = destination(lat[-1], lon[-1], b, 2_000.0)
        lat.append(float(y))
        lon.append(float(x))
    lat, lon = np.array(lat), np.array(lon)
    keep = thin_indices(lat, lon)
    assert keep[0] == 0 and keep[-1] == lat.size - 1 and keep.size < lat.size / 3
    # every position lies within 1 km of its thinned leg (densified every 100 m); and the tolerance
    # is used: some position is more than 300 m off
    d = densify_legs(lat[keep][:-1], lon[keep][:-1], lat[keep][1:], lon[keep][1:], max_step_m=100.0)
    leg = np.searchsorted(keep, np.arange(lat.size), side="right") - 1
    leg = np.minimum(leg, keep.size - 2)
    worst = 0.0
    for k in range(lat.size):
        sl = slice(d.offsets[leg[k]], d.offsets[leg[k] + 1])
        worst = max(worst, float(inverse(lat[k], lon[k], d.lat_deg[sl], d.lon_deg[sl]).distance_m.min()))
    assert 300.0 < worst < 1_000.0


def test_make_track__sorted_wrapped_and_repeats_once():
    track = _track([1.0, 2.0, 2.0, 3.0], [181.0, 10.0, 10.0, -179.0], [T0 + 30, T0, T0, T0 + 60])
    np.testing.assert_array_equal(track.time_s - T0, [0, 30, 60])
    np.testing.assert_allclose(track.lon_deg, [10.0, -179.0, -179.0])
