"""Known answers for the historic long-range missions of the catalogue (issue 9, item 7).

Published distances and durations are reproduced within their sources' ranges, and the missions
that depend on refuelling are flagged short without their tankers, by the right order of magnitude.
"""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import pytest

from missions import geodesy
from missions.analysis import compute_mission
from missions.feasibility import assess
from missions.findings import FindingKind, Status
from missions.model import Mission
from missions.parsing import load_mission

CATALOG = Path(__file__).resolve().parents[1] / "missions" / "catalog"
KM, MI = 1000.0, 1609.344


def _load(stem: str) -> Mission:
    return load_mission(CATALOG / f"{stem}.yaml")


def _without_tankers(mission: Mission) -> Mission:
    sorties = tuple(
        dataclasses.replace(s, route=tuple(dataclasses.replace(wp, refuels=()) for wp in s.route))
        for s in mission.sorties
    )
    return dataclasses.replace(mission, sorties=sorties)


def _verdicts(stem: str) -> dict[str, str]:
    result = compute_mission(_load(stem))
    return {v.claim.claim.text: v.verdict for v in assess(result).verdicts}


# stem, published distance band (m), unrefuelled range used (m)
REFUELLED = [
    ("f111-el-dorado-canyon-1986-04-15", (5000 * MI, 6400 * MI), 5_190_000.0),
    ("vulcan-black-buck-1-1982-05-01", (12_000 * KM, 13_000 * KM), 3_701_000.0),
    ("b2-allied-force-1999-03-24", (16_000 * KM, 19_000 * KM), 10_550_000.0),
]


@pytest.mark.parametrize(("stem", "band", "range_m"), REFUELLED, ids=[r[0] for r in REFUELLED])
def test_history__refuelled_missions_short_without_tankers(stem, band, range_m):
    mission = _load(stem)
    with_tankers = assess(compute_mission(mission)).sorties[0]
    assert with_tankers.status is Status.OK, [f.message for f in with_tankers.findings]
    result = compute_mission(_without_tankers(mission))
    distance = result.sorties[0].distance_m
    assert band[0] <= distance <= band[1]
    sf = assess(result).sorties[0]
    assert sf.status is Status.NOT_FEASIBLE
    # the deficit at landing is the route beyond the nominal range (no refuelling, no time at waypoints
    # except holds): thousands of km short, not hundreds
    holds = sum(h.duration_s for wp in mission.sorties[0].route for h in wp.holds)
    expected = distance - range_m + holds * mission.sorties[0].speed.kmh / 3.6
    assert sf.landing_deficit_m == pytest.approx(expected, rel=1e-6)
    assert 1_000_000 < sf.landing_deficit_m < 20_000_000
    # with no tanker stated, each planned refuelling fills the tanks: the fewest is ceil(deficit / R)
    assert len(sf.refuels_needed) == math.ceil(sf.landing_deficit_m / range_m)
    assert sf.refuels_needed[0].along_m <= range_m * (1 + 1e-9)  # by the point where it runs dry


def test_history__black_buck_round_trip_and_refuellings():
    result = compute_mission(_load("vulcan-black-buck-1-1982-05-01"))
    one_way = float(geodesy.inverse(-7.9696, -14.3937, -51.685699, -57.777599).distance_m)
    assert one_way == pytest.approx(6_253_010, abs=10)
    assert result.sorties[0].distance_m == pytest.approx(2 * one_way, rel=1e-4)  # refuel points on the geodesic
    assert result.sorties[0].refuel_count == 8
    assert _verdicts("vulcan-black-buck-1-1982-05-01") == {"over 12000 km": "consistent"}
    sf = assess(result).sorties[0]
    # a Victor K2's offload is not in the catalogue: every refuelling says so, none is silent
    assert sum(f.kind is FindingKind.REFUEL for f in sf.findings) == 8


def test_history__el_dorado_canyon_avoids_france_and_spain_and_overstated_miles():
    from missions.airspace import mission_airspace

    result = compute_mission(_load("f111-el-dorado-canyon-1986-04-15"))
    air = mission_airspace(result)
    sf = assess(result, air).sorties[0]
    assert not [f for f in sf.findings if f.kind is FindingKind.AVOID]
    assert sf.status is Status.OK
    assert "LBY" in {p.iso3 for p in air.sorties["Karma"].passages}
    assert _verdicts("f111-el-dorado-canyon-1986-04-15") == {
        "more than 5,000 miles": "consistent",
        "over 14 hours": "consistent",  # by construction: the file's 700 km/h is calibrated on this claim
        "about 7,000 miles": "inconsistent",  # "3,500 miles each way" overstates the ~5,700-mile route
    }


def test_history__el_dorado_canyon_duration_from_jet_cruise_not_from_the_claim():
    """The published 13-14+ h against a duration that does not use the file's speed.

    The file's 700 km/h was inferred from "over 14 hours" (the catalogue has no F-111F cruise speed),
    so that claim's verdict cannot fail. Here the flight is timed instead at a subsonic jet cruise of
    Mach 0.70-0.85 at 11 km (an explicit assumption, not a sourced F-111F figure: 743-903 km/h) plus
    the file's refuelling time: the route's 9,174 km gives 11.7-13.9 h, which must overlap the
    published 13-14 h (a longer or shorter route, or lost refuelling time, fails it).
    """
    from missions.units import speed_of_sound_kmh

    result = compute_mission(_load("f111-el-dorado-canyon-1986-04-15"))
    sortie = result.sorties[0]
    waits_h = sum(wp.event_duration_s for wp in sortie.sortie.route) / 3600
    assert waits_h == pytest.approx(1.5)  # 6 refuellings of 15 min each, from the file
    fast_kmh, slow_kmh = 0.85 * speed_of_sound_kmh(), 0.70 * speed_of_sound_kmh()
    low_h = sortie.distance_m / 1000 / fast_kmh + waits_h
    high_h = sortie.distance_m / 1000 / slow_kmh + waits_h
    assert (low_h, high_h) == (pytest.approx(11.66, abs=0.05), pytest.approx(13.84, abs=0.05))
    published_low_h, published_high_h = 13.0, 14.0  # the published range of 13-14 h (issue 9)
    assert low_h <= published_high_h and published_low_h <= high_h
    # and the file's own timing lies inside that published band widened to "over 14 hours" (+1 h)
    assert published_low_h <= sortie.duration_s / 3600 <= published_high_h + 1.0


def test_history__b2_thirty_hours_and_four_refuellings():
    result = compute_mission(_load("b2-allied-force-1999-03-24"))
    assert result.sorties[0].refuel_count == 4
    assert _verdicts("b2-allied-force-1999-03-24") == {"30 hours": "consistent"}


def test_history__tu160_venezuela_flights():
    out = compute_mission(_load("tu160-engels-venezuela-2018-12-10"))
    assert 10_000 * KM < out.sorties[0].distance_m < 13_000 * KM
    sf = assess(out).sorties[0]
    assert sf.status is Status.OK and sf.landing_deficit_m == 0.0  # no refuelling reported, none needed
    assert _verdicts("tu160-engels-venezuela-2018-12-10") == {"more than 10,000 kilometres": "consistent"}
    assert _verdicts("tu160-venezuela-engels-2013-11-01") == {
        "about 13,000 km": "consistent",
        "about 15 hours": "consistent",
    }


@pytest.mark.parametrize(
    ("stem", "tanker"),
    [("vulcan-black-buck-1-1982-05-01", "Victor K2"), ("f111-el-dorado-canyon-1986-04-15", "KC-10A")],
)
def test_history__tanker_without_sourced_offload_says_which_figure_to_give(stem, tanker):
    """No source gives the KC-10A's or Victor K2's offload at a distance: each of their refuellings
    says so on the refuelling's own line and asks for its 'offload' (none is silently full tanks)."""
    mission = _load(stem)
    sf = assess(compute_mission(mission)).sorties[0]
    theirs = [f for f in sf.findings if f.kind is FindingKind.REFUEL and f"the {tanker}'s offload" in f.message]
    stated = sum(1 for wp in mission.sorties[0].route for r in wp.refuels if r.tanker == tanker)
    assert stated and len(theirs) == stated
    for f in theirs:
        assert f.field.endswith(".refuel.offload") and f.line is not None
        assert f"no source gives the {tanker}'s offload; give the refuelling's 'offload'" in f.message
