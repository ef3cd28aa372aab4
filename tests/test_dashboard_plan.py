"""The dashboard's planning panel, its pure parts (missions/dashboard/plan.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from missions.dashboard.plan import PlanRequest, default_request, planned_rows, run_plan, split_via, use_plan
from missions.parsing import parse_mission

ROOT = Path(__file__).resolve().parents[1]
TU160 = ROOT / "missions" / "catalog" / "tu160-2015-11-20.yaml"
NOV_2015 = dt.date(2015, 11, 20)


@pytest.fixture(scope="module")
def tu160_text() -> str:
    return TU160.read_text(encoding="utf-8")


def test_default_request__takeoff_place_to_the_launch_point_on_the_takeoff_date(tu160_text: str) -> None:
    request = default_request(parse_mission(tu160_text), 0)
    assert request.origin == "Olenya" and request.destination == "Eastern Mediterranean"
    assert request.day == dt.date(2015, 11, 19) and request.avoid == ""


def test_split_via__one_place_per_line_commas_kept() -> None:
    assert split_via("Strait of Gibraltar\n\n 36.0, -6.0 \n") == ("Strait of Gibraltar", "36.0, -6.0")


def test_run_plan__bad_input_is_one_line_naming_the_field() -> None:
    request = PlanRequest(origin="Olenya", destination="Eastern Mediterranean", avoid="NATTO", day=NOV_2015)
    route, error = run_plan(request)
    assert route is None and error is not None and error.startswith("avoid: unknown country code or group 'NATTO'")
    assert "\n" not in error
    request = PlanRequest(origin="Olenya", destination="Eastern Mediterranean", avoid="RUS", day=NOV_2015)
    route, error = run_plan(request)
    assert route is None and error.startswith("from: Olenya air base")


def test_use_plan__writes_the_turning_points_between_from_and_to_and_keeps_the_rest(tu160_text: str) -> None:
    mission = parse_mission(tu160_text)
    request = PlanRequest(
        origin="Olenya",
        destination="Eastern Mediterranean",
        via=("Strait of Gibraltar",),
        avoid="NATO, SWE, FIN",
        day=NOV_2015,
    )
    route, error = run_plan(request)
    assert error is None
    edited = use_plan(tu160_text, mission, 0, route, request)
    after = parse_mission(edited).sorties[0].route
    labels = [w.point.label for w in after]
    turns = [p for p in route.points if p.planned]
    # Olenya, the planned points and the via, then the launch point with its launch, then the way home
    assert labels[0] == "Olenya"
    k = labels.index("Eastern Mediterranean")
    assert k == 1 + len(turns) + 1 and "Strait of Gibraltar" in labels[1:k]
    before = [w.point.label for w in mission.sorties[0].route]
    assert after[k].launches and labels[k + 1 :] == before[before.index("Eastern Mediterranean") + 1 :]
    assert labels[-1] == "Olenya"
    # ordinary waypoints: nothing marked planned, every turning point written as 'lat, lon'
    assert not any(w.point.planned for w in after)
    assert f"{turns[0].lat_deg:.4f}, {turns[0].lon_deg:.4f}" in labels
    # the file's comments stay (a round-trip edit)
    assert edited.splitlines()[0] == tu160_text.splitlines()[0]


def test_planned_rows__a_sortie_not_passing_from_gets_from_plan_to(tu160_text: str) -> None:
    mission = parse_mission(tu160_text)
    request = PlanRequest(origin="51.5, -0.12", destination="32.9, 13.2", avoid="EU", day=dt.date(2021, 6, 1))
    route, _ = run_plan(request)
    rows = planned_rows(mission, 1, route, request)  # the escort sortie: not from London
    assert rows[0]["place"] == "51.5, -0.12" and rows[-1]["place"] == "32.9, 13.2"
    assert len(rows) == len(route.points) and all(r["#"] is None for r in rows)
