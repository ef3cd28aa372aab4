import datetime as dt
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from missions import geodesy
from missions.analysis import compute_mission
from missions.feasibility import assess
from missions.findings import FindingKind, Status
from missions.parsing import parse_mission

MOZDOK = (43.7875, 44.6031)


def _out_and_back(distance_km: float, bearing: float = 90.0) -> tuple[float, float]:
    lat, lon = geodesy.destination(MOZDOK[0], MOZDOK[1], bearing, distance_km * 500.0)
    return float(lat), float(lon)


def _tu22(total_km: float, refuel: bool, claims: str = "") -> str:
    lat, lon = _out_and_back(total_km)
    turn = (
        f"      - place: {lat:.6f}, {lon:.6f}\n        refuel: {{tanker: Il-78M, duration: 20 min}}\n"
        if refuel
        else f"      - {lat:.6f}, {lon:.6f}\n"
    )
    return (
        f"name: Range test\n{claims}sorties:\n  - name: Backfire\n    aircraft: Tu-22M3\n"
        "    takeoff: 2015-11-17T00:00:00Z\n    speed: 930 km/h\n    route:\n"
        f"      - Mozdok\n{turn}      - Mozdok\n"
    )


def _assess(text: str):
    result = compute_mission(parse_mission(text))
    return result, assess(result)


def test_feasibility__tu22m3_8000_km_unrefuelled_is_infeasible():
    result, feas = _assess(_tu22(8000, refuel=False))
    assert result.sorties[0].distance_m == pytest.approx(8_000_000, rel=1e-3)
    sf = feas.sorties[0]
    assert not sf.ok
    # nominal range of the Tu-22M3 in the catalogue (3,700-7,000 km) is 5,350 km: short by ~2,650 km
    assert sf.tanker_point is not None
    assert "runs dry on leg" in sf.tanker_point.message and "5,350 km from takeoff" in sf.tanker_point.message
    # the budget runs to landing: 8,000 - 5,350 = 2,650 km short, not the first leg's excess
    assert sf.landing_deficit_m == pytest.approx(8_000_000 - 5_350_000, rel=2e-3)
    assert any("lands 2,6" in f.message and "short of Mozdok" in f.message for f in sf.findings)
    # no tanker stated: one refuelling filling the tanks where it runs dry closes the gap
    assert len(sf.refuels_needed) == 1
    assert sf.refuels_needed[0].along_m == pytest.approx(5_350_000, rel=1e-9)
    assert sf.refuels_needed[0].lat_deg == pytest.approx(sf.tanker_point.lat_deg)
    # the point where the fuel runs out is 5,350 km from takeoff, on the way home
    along = geodesy.inverse(MOZDOK[0], MOZDOK[1], sf.tanker_point.lat_deg, sf.tanker_point.lon_deg).distance_m
    assert float(along) == pytest.approx(8_000_000 - 5_350_000, rel=0.01)


def test_feasibility__tu22m3_8000_km_with_refuel_at_the_turn_is_feasible():
    _, feas = _assess(_tu22(8000, refuel=True))
    sf = feas.sorties[0]
    assert sf.ok, [f.message for f in sf.findings]
    assert sf.remaining_departure_m[1] > sf.remaining_arrival_m[1]
    assert sf.remaining_departure_m[1] <= sf.range_m[1]  # never beyond full tanks
    assert sf.fuel_arrival_kg is not None and sf.fuel_arrival_kg[0] == pytest.approx(50_000)


def test_feasibility__kalibr_2700_km_out_of_reach():
    lat, lon = geodesy.destination(35.95, 39.0167, 80.0, 2_700_000.0)
    text = f"""name: Kalibr reach
launches:
  - platform: frigate
    from: "{float(lat):.6f}, {float(lon):.6f}"
    time: 2015-10-07T03:00:00Z
    weapon: Kalibr
    count: 1
    speed: Mach 0.8
    target: Raqqa
"""
    _, feas = _assess(text)
    reach = feas.weapons[0]
    assert reach.track.distance_m == pytest.approx(2_700_000, rel=1e-6)
    assert not reach.in_range
    assert reach.margin_m == pytest.approx(2_600_000 - 2_700_000, rel=1e-6)
    assert any(f.kind == "reach" and f.severity == "error" for f in feas.findings)
    basket = reach.basket()
    assert basket is not None and not basket.contains(__import__("shapely").Point(float(lon), float(lat)))


def test_feasibility__unknown_aircraft_is_unknown_not_an_error():
    text = _tu22(1000, refuel=False).replace("Tu-22M3", "Tu-23M3")
    result = compute_mission(parse_mission(text))
    sf = assess(result).sorties[0]
    assert sf.status is Status.UNKNOWN and sf.ok_json is None
    (unknown,) = [f for f in sf.findings if f.kind is FindingKind.UNKNOWN]
    assert unknown.field == "sorties[0].aircraft" and unknown.line == 4
    assert "'Tu-22M3'" in unknown.message and "'range'" in unknown.message
    ok = assess(compute_mission(parse_mission(text.replace("    speed: 930", "    range: 3000 km\n    speed: 930"))))
    assert ok.sorties[0].range_m == (3_000_000.0,) * 3


def test_feasibility__verdicts():
    claims = (
        "claims:\n  - {value: about 8000 km}\n  - {value: about 30000 km}\n  - {value: about 4000 km}\n"
        "  - {value: more than 9 h}\n"
    )
    _, feas = _assess(_tu22(8000, refuel=True, claims=claims))
    verdicts = [v.verdict for v in feas.verdicts]
    # 30,000 km in ~9 h is ~3,300 km/h, above the Tu-22M3's 2,300 km/h maximum
    assert verdicts == ["consistent", "impossible", "inconsistent", "consistent"]
    assert "above the Tu-22M3's maximum" in feas.verdicts[1].reason


def test_feasibility__rendezvous_latest_takeoff():
    text = """name: Escort
sorties:
  - name: Bomber
    aircraft: Tu-160
    takeoff: 2015-11-20T00:00:00Z
    speed: 900 km/h
    route: [Olenya, Off Latakia, Raqqa]
  - name: Escort
    aircraft: Su-30SM
    takeoff: 2015-11-20T05:00:00Z
    speed: 900 km/h
    route: [Hmeimim, {place: Off Latakia, join: Bomber}, Hmeimim]
"""
    result, feas = _assess(text)
    check = next(r for r in feas.rendezvous if r.join.sortie == "Escort")
    escort = result.sortie("Escort")
    bomber_there = result.sortie("Bomber").arrival_times[1]
    expected = bomber_there - (escort.arrival_times[1] - escort.takeoff_time)
    assert check.latest_takeoff == expected
    assert check.fuel_home


@settings(max_examples=25, deadline=None)
@given(st.floats(min_value=2000, max_value=12000), st.integers(min_value=1, max_value=3))
def test_feasibility__adding_a_refuel_never_hurts(total_km, where):
    lat, lon = _out_and_back(total_km / 2, bearing=45.0)
    mid = geodesy.destination(MOZDOK[0], MOZDOK[1], 45.0, total_km * 250.0)
    points = [
        f"{MOZDOK[0]}, {MOZDOK[1]}",
        f"{float(mid[0]):.5f}, {float(mid[1]):.5f}",
        f"{lat:.5f}, {lon:.5f}",
        f"{MOZDOK[0]}, {MOZDOK[1]}",
    ]
    base = (
        "name: p\nsorties:\n  - name: s\n    aircraft: Tu-22M3\n    takeoff: 2015-11-17T00:00:00Z\n"
        "    speed: 930 km/h\n    route:\n"
    )
    plain = base + "".join(f"      - place: '{p}'\n" for p in points)
    with_refuel = base + "".join(
        f"      - place: '{p}'\n" + ("        refuel: {tanker: Il-78M}\n" if i == where else "")
        for i, p in enumerate(points)
    )
    a = assess(compute_mission(parse_mission(plain))).sorties[0]
    b = assess(compute_mission(parse_mission(with_refuel))).sorties[0]
    assert b.ok or not a.ok
    assert np.all(b.remaining_arrival_m >= a.remaining_arrival_m - 1e-6)


@settings(max_examples=25, deadline=None)
@given(st.floats(min_value=0, max_value=500), st.floats(min_value=0, max_value=500), st.integers(0, 2))
def test_feasibility__widening_uncertainty_never_narrows_band(r1_km, extra_km, index):
    def band(radius_km):
        route = ["Olenya", "Strait of Gibraltar", "Raqqa"]
        lines = "".join(
            f"      - {{place: {p}, radius: {radius_km if i == index else 0} km}}\n" for i, p in enumerate(route)
        )
        text = (
            "name: b\nsorties:\n  - name: s\n    aircraft: Tu-160\n    takeoff: 2015-11-17T00:00:00Z\n"
            "    speed: 850-950 km/h\n    route:\n" + lines
        )
        sf = assess(compute_mission(parse_mission(text))).sorties[0]
        return sf.distance_band_m, sf.duration_band_s

    (d1, t1), (d2, t2) = band(r1_km), band(r1_km + extra_km)
    assert d2.low <= d1.low + 1e-6 and d2.high >= d1.high - 1e-6
    assert t2.low <= t1.low + 1e-6 and t2.high >= t1.high - 1e-6


@settings(max_examples=25, deadline=None)
@given(
    st.sampled_from(["exactly", "about", "more than", "at least", "less than", "at most"]),
    st.sampled_from(["distance", "duration", "speed"]),
    st.floats(min_value=500, max_value=5000),
)
def test_feasibility__claim_equal_to_computed_is_consistent(qualifier, quantity, total_km):
    result, _ = _assess(_tu22(total_km, refuel=True))
    s = result.sorties[0]
    value = {
        "distance": f"{s.distance_m!r} m",
        "duration": f"{s.duration_s!r} s",
        "speed": f"{s.average_speed_kmh!r} km/h",
    }[quantity]
    value = (
        value.replace(" m", " km").replace(f"{s.distance_m!r}", f"{s.distance_m / 1000!r}")
        if quantity == "distance"
        else value
    )
    claims = f"claims:\n  - {{quantity: {quantity}, value: '{value}', qualifier: {qualifier}}}\n"
    _, feas = _assess(_tu22(total_km, refuel=True, claims=claims))
    assert feas.verdicts[0].verdict == "consistent", feas.verdicts[0].reason


def test_feasibility__catalogue_tu160_findings():
    from pathlib import Path

    from missions.parsing import load_mission

    path = Path(__file__).resolve().parents[1] / "missions" / "catalog" / "tu160-2015-11-20.yaml"
    result = compute_mission(load_mission(path))
    feas = assess(result)
    verdicts = {v.claim.claim.value: v.verdict for v in feas.verdicts if v.claim.claim.quantity == "distance"}
    assert set(verdicts) == {16_000_000.0, 13_000_000.0, 9_500_000.0}
    assert verdicts[13_000_000.0] == "consistent"
    assert all(w.in_range for w in feas.weapons)
    assert feas.sortie("Flanker escort").ok
    assert isinstance(feas.rendezvous[0].latest_takeoff, dt.datetime)


def test_feasibility__unknown_tanker_warns_with_field_and_suggestion():
    text = _tu22(8000, refuel=True).replace("tanker: Il-78M", "tanker: Il-87M")
    sf = assess(compute_mission(parse_mission(text, file="t.yaml"))).sorties[0]
    (warning,) = [f for f in sf.findings if f.kind is FindingKind.REFUEL and f.severity == "warning"]
    assert warning.field == "sorties[0].route[1].refuel.tanker" and warning.line == 10
    assert "no tanker 'Il-87M'" in warning.message and "'Il-78M'" in warning.message
    assert "counted as filling the tanks" in warning.message


def test_feasibility__offload_without_fuel_figure_is_not_silently_ignored():
    # the F-111F has a range but no fuel figure: a stated offload cannot be converted to range
    text = (
        _tu22(8000, refuel=True)
        .replace("Tu-22M3", "F-111F")
        .replace("tanker: Il-78M", "tanker: KC-135R, offload: 20 t")
    )
    sf = assess(compute_mission(parse_mission(text))).sorties[0]
    (warning,) = [f for f in sf.findings if f.kind is FindingKind.REFUEL and f.severity == "warning"]
    assert "offload of 20.0 t could not be used" in warning.message and "'fuel'" in warning.message
    assert warning.field == "sorties[0].fuel"
    # with the fuel given, the same offload is converted: 20 t of 20 t internal adds a full range
    with_fuel = assess(compute_mission(parse_mission(text.replace("    speed: 930", "    fuel: 20 t\n    speed: 930"))))
    assert not [f for f in with_fuel.sorties[0].findings if f.kind is FindingKind.REFUEL and f.severity == "warning"]


def test_feasibility__stated_tanker_sets_the_count_of_refuellings_needed():
    # Tu-22M3: nominal range 5,350 km, internal fuel 50 t; an Il-78M offload of 40 t adds 4,280 km
    _, feas = _assess(_tu22(16000, refuel=True))
    sf = feas.sorties[0]
    assert sf.plan_tanker == "Il-78M" and sf.plan_gain_m == pytest.approx(40 / 50 * 5_350_000)
    # route 16,000 km; one stated refuel at the turn; the deficit at landing and the fewest more
    arrival_last = float(sf.remaining_arrival_m[-1])
    assert sf.landing_deficit_m == pytest.approx(-arrival_last)
    assert len(sf.refuels_needed) == math.ceil(sf.landing_deficit_m / sf.plan_gain_m) or len(sf.refuels_needed) == (
        math.ceil(sf.landing_deficit_m / sf.plan_gain_m) + 1
    )
    along = [m.along_m for m in sf.refuels_needed]
    assert along == sorted(along) and along[0] == pytest.approx(5_350_000, rel=1e-6)


def test_weapon_reach__bomb_released_over_its_target_needs_no_range():
    text = (
        "name: b\nsorties:\n  - name: s\n    aircraft: B-2A\n    takeoff: 2025-06-21T00:00:00Z\n"
        "    speed: 900 km/h\n    route:\n      - 36.0, 50.0\n"
        "      - place: 34.88, 50.99\n"
        "        launch: {weapon: GBU-57, count: 2, target: '34.88, 50.99', speed: 1000 km/h}\n"
        "      - 36.0, 50.0\n"
    )
    feas = assess(compute_mission(parse_mission(text)))
    (reach,) = feas.weapons
    assert reach.track.distance_m == 0.0 and reach.in_range
    assert not [f for f in feas.findings if f.kind in (FindingKind.REACH, FindingKind.UNKNOWN)]
    moved = text.replace("target: '34.88, 50.99'", "target: '34.90, 51.00'")
    unknown = [f for f in assess(compute_mission(parse_mission(moved))).findings if f.kind is FindingKind.UNKNOWN]
    assert len(unknown) == 1 and unknown[0].field == "sorties[0].route[1].launch.range"


def test_weapon_reach__unknown_weapon_over_its_target_is_unknown():
    """A weapon the catalogue lacks, released at its target, is not taken for a gravity bomb: its reach
    is unknown (not 'in range (+0 km)'), and one line names the field and the figure to give."""
    import json

    from missions.report import to_json, to_text

    text = (
        "name: b\nsorties:\n  - name: s\n    aircraft: B-2A\n    takeoff: 2025-06-21T00:00:00Z\n"
        "    speed: 900 km/h\n    route:\n      - 36.0, 50.0\n"
        "      - place: 34.88, 50.99\n"
        "        launch: {weapon: air-launched missiles, target: '34.88, 50.99'}\n"
        "      - 36.0, 50.0\n"
    )
    result = compute_mission(parse_mission(text))
    feas = assess(result)
    (reach,) = feas.weapons
    assert reach.track.distance_m == 0.0 and math.isnan(reach.range_max_m) and not reach.in_range
    (unknown,) = [f for f in feas.findings if f.kind is FindingKind.UNKNOWN]
    assert unknown.field == "sorties[0].route[1].launch.weapon"
    assert "reach unknown: give the launch its own 'range'" in unknown.message
    assert feas.sortie("s").status is Status.UNKNOWN
    report = to_text(result, "km", feas)
    row = next(line for line in report.splitlines() if "air-launched missiles" in line and "×" in line)
    assert row.rstrip().endswith("range unknown") and "(+0 km)" not in report
    (launch,) = json.loads(to_json([result], [feas]))["sorties"][0]["launches"]
    assert launch["in_range"] is None and launch["margin_km"] is None
    # the launch's own range settles it: in range by that range
    ranged = text.replace("target: '34.88, 50.99'}", "target: '34.88, 50.99', range: 300 km}")
    feas = assess(compute_mission(parse_mission(ranged)))
    assert feas.weapons[0].in_range and feas.weapons[0].margin_m == pytest.approx(300_000.0)
    assert not [f for f in feas.findings if f.kind in (FindingKind.REACH, FindingKind.UNKNOWN)]


def test_report_cli__drafted_unnamed_launch_at_its_target_has_unknown_reach(tmp_path, capsys):
    """The seed article's draft has a launch by an aircraft of no named type, at its target: the
    report says its reach is unknown and which figure to give, never 'in range (+0 km)'."""
    from pathlib import Path

    from missions.__main__ import main

    article = Path(__file__).resolve().parent / "data" / "articles" / "seed_tu160_2015.txt"  # the seed article
    draft = tmp_path / "draft.yaml"
    assert main(["draft", str(article), "-o", str(draft)]) == 0
    capsys.readouterr()
    assert main(["report", str(draft), "--no-countries"]) == 0
    out, err = capsys.readouterr()
    assert "(+0 km)" not in out
    zero = [line for line in out.splitlines() if "×" in line and " 0 " in line and "unknown" in line]
    assert zero and all(line.rstrip().endswith("range unknown") for line in zero)
    assert any(".launch.weapon:" in line and "give the launch its own 'range'" in line for line in err.splitlines())


def test_feasibility__runs_dry_at_the_time_its_range_is_flown():
    """The first point where the aircraft runs dry comes with its time: take-off plus the nominal
    range (5,350 km for the Tu-22M3) at the sortie's 930 km/h; the refuelling needed meets it there."""
    _, feas = _assess(_tu22(8000, refuel=False))
    sf = feas.sorties[0]
    expected = dt.datetime(2015, 11, 17, tzinfo=dt.UTC) + dt.timedelta(hours=5350 / 930)
    assert abs((sf.tanker_point.time - expected).total_seconds()) < 1.0
    assert "(17 Nov 05:45 UTC)" in sf.tanker_point.message
    assert sf.refuels_needed[0].time == sf.tanker_point.time


def test_report_cli__unknown_weapon_named_with_suggestions_distances_still_reported(tmp_path, capsys):
    """A misspelt weapon stops nothing: distances and times are reported, exit status 0, and one
    warning names file:line, the field path and the closest catalogue names."""
    from missions.__main__ import main

    path = tmp_path / "w.yaml"
    path.write_text(
        "name: w\nsorties:\n  - name: s\n    aircraft: Tu-95MS\n    takeoff: 2015-11-17T06:00:00Z\n"
        "    speed: 800 km/h\n    route:\n      - Engels Air Base\n"
        "      - place: 36.0, 48.0\n        launch: {weapon: Kh-10l, target: Aleppo, speed: 700 km/h}\n"
        "      - Engels Air Base\n",
        encoding="utf-8",
    )
    assert main(["report", str(path), "--no-countries"]) == 0
    out, err = capsys.readouterr()
    (line,) = [w for w in err.splitlines() if ".launch.weapon:" in w]
    assert line.startswith(f"warning: {path}:10: sorties[0].route[1].launch.weapon: ")
    assert "no weapon 'Kh-10l' (did you mean 'Kh-101'" in line and "give the launch its own 'range'" in line
    assert "Total:" in out and "range unknown" in out and "Feasibility: unknown" in out
