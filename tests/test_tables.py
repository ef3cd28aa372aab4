"""``missions.tables``: the one tabular core that the text, JSON, CSV and dashboard faces read.

Known answers come from a mission along the equator: 10° of longitude there is
6,378,137 m × π/18 = 1,113,194.908 m on WGS84; at 900 km/h (250 m/s) that is 4,452.78 s.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from missions import report
from missions.airspace import mission_airspace
from missions.analysis import MissionResult, compute_mission
from missions.dashboard.frames import claims_frame, countries_frame, legs_frame, timeline_frame
from missions.export.csv import legs_csv
from missions.feasibility import assess
from missions.parsing import load_mission, parse_mission
from missions.tables import mission_tables, waypoint_events
from missions.units import text_table
from tests.equator import LEG_M, equator_yaml

CATALOG = Path(__file__).parents[1] / "missions" / "catalog"
EQUATOR = equator_yaml(
    """
    refuel: {tanker: Il-78M, duration: 30 min}
    launch: {weapon: Kh-101, count: 8, targets: ["0, 12"], speed: 720 km/h}
    """,
    claims="- {quantity: distance, value: 2000 km}",
)


@pytest.fixture(scope="module")
def equator() -> MissionResult:
    return compute_mission(parse_mission(EQUATOR, file="equator.yaml"))


@pytest.fixture(scope="module")
def tu160() -> MissionResult:
    return compute_mission(load_mission(CATALOG / "tu160-2015-11-20.yaml"))


def test_mission_tables__equator_known_answers(equator: MissionResult) -> None:
    tables = mission_tables(equator)
    first, second = tables.legs
    assert first.distance_m == pytest.approx(LEG_M, abs=0.01)
    assert second.cumulative_m == pytest.approx(2 * LEG_M, abs=0.01)
    assert first.duration_s == pytest.approx(LEG_M / 250.0, abs=1e-3)
    # the second leg leaves after the 30 min refuelling
    assert (second.start_utc - first.end_utc).total_seconds() == pytest.approx(1800.0)
    assert [wp.events for wp in tables.waypoints] == [(), ("refuel (Il-78M)", "launch 8 × Kh-101"), ()]
    (weapon,) = tables.weapons
    assert weapon.from_sortie and weapon.launcher == "A"
    assert weapon.launch_utc == tables.waypoints[1].arrival_utc
    assert weapon.in_range is None  # not assessed
    (claim,) = tables.claims
    assert (claim.claimed_si, claim.computed_si) == (2_000_000.0, pytest.approx(2 * LEG_M, abs=0.01))


def test_mission_tables__findings_on_their_leg(tu160: MissionResult) -> None:
    feas = assess(tu160)
    tables = mission_tables(tu160, feas)
    flagged = {(leg.sortie, leg.leg_index) for leg in tables.legs if leg.findings}
    expected = {
        (f.sortie, f.leg_index)
        for f in feas.findings
        if f.leg_index is not None and f.sortie is not None and f.severity in ("error", "warning")
    }
    assert flagged == expected and flagged  # the Tu-160's last leg runs out of range
    assert [str(f.severity) for f in tables.findings] == sorted(
        (str(f.severity) for f in tables.findings), key=["error", "warning", "info"].index
    )
    reach = {w.target: w for w in tables.weapons}
    assert all(w.in_range for w in reach.values())
    assert reach["Idlib"].margin_m == pytest.approx(reach["Idlib"].range_max_m - reach["Idlib"].distance_m)


def test_mission_tables__passages_add_up_to_each_leg(tu160: MissionResult) -> None:
    tables = mission_tables(tu160, None, mission_airspace(tu160))
    for leg in tables.legs:
        assert leg.passages is not None
        assert sum(p.distance_m for p in leg.passages) == pytest.approx(leg.distance_m, rel=1e-3)
    sortie = tu160.sorties[0].sortie.name
    total = sum(t.distance_m for t in tables.route_totals(sortie))
    assert total == pytest.approx(tu160.sorties[0].distance_m, rel=1e-3)
    assert [p.iso3 for p in tables.route_passages(sortie)][:2] == ["RUS", None]


def test_faces__read_the_tables_not_the_json(monkeypatch: pytest.MonkeyPatch, tu160: MissionResult) -> None:
    """The dashboard and CSV never go through the JSON report (no JSON -> DataFrame -> ISO trip)."""

    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError("mission_json called")

    monkeypatch.setattr(report, "mission_json", fail)
    air = mission_airspace(tu160)
    feas = assess(tu160)
    tables = mission_tables(tu160, feas, air)
    legs = legs_frame(tu160, "nm", feas, tables=tables)
    timeline_frame(tu160, tables=tables)
    claims_frame(tu160, "nm", feas, tables=tables)
    countries = countries_frame(tu160, air, "nm", tables=tables)
    rows = list(csv.DictReader(io.StringIO(legs_csv(tu160, "nm", tables=tables))))
    assert len(legs) == len(rows) == len(tables.legs)
    assert [float(r["cumulative_nm"]) for r in rows] == pytest.approx(list(legs["cumulative (NM)"]), abs=1e-3)
    assert countries["distance (NM)"].sum() == pytest.approx(sum(p.distance_m for p in tables.passages) / 1852)


def test_report__json_and_text_agree_with_the_tables(tu160: MissionResult) -> None:
    feas = assess(tu160)
    tables = mission_tables(tu160, feas)
    doc = json.loads(json.dumps(report.mission_json(tu160, feas, tables=tables)))
    legs = [leg for s in doc["sorties"] for leg in s["legs"]]
    assert [leg["distance_km"] * 1000 for leg in legs] == pytest.approx([leg.distance_m for leg in tables.legs])
    text = report.to_text(tu160, "km", feas, tables=tables)
    for leg in tables.sortie_legs(tu160.sorties[0].sortie.name):
        assert f"{leg.cumulative_m / 1000:,.0f}" in text


def test_waypoint_events__every_kind_in_order(equator: MissionResult) -> None:
    assert waypoint_events(equator.mission.sorties[0].route[1]) == ("refuel (Il-78M)", "launch 8 × Kh-101")


def test_text_table__aligns_and_strips() -> None:
    lines = text_table(["a", "bb"], [["xyz", "1"], ["q", "22"]], right={1})
    assert lines == ["a    bb", "---  --", "xyz   1", "q    22"]
