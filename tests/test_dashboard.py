"""``missions.dashboard.frames``: the dashboard's tables and the sortie edit, as pure functions.

Known answers come from a mission along the equator (``EQUATOR``): 10° of longitude there is
6,378,137 m × π/18 = 1,113,194.908 m on WGS84, so two legs are 2,226,389.816 m (2,226 km,
1,202 NM, 1,383 mi); at 900 km/h plus a 30 min refuelling that is 2.974 h (2 h 58 min), an average of
748.7 km/h (404 kn, 465 mph). The edits run on the Tu-160 catalogue mission, whose rows are found by name.
"""

from __future__ import annotations

import json
import math

import pytest

from missions.analysis import MissionResult, compute_mission
from missions.dashboard.frames import (
    EDITOR_COLUMNS,
    NO_SORTIES,
    SortieEdit,
    catalog_missions,
    claims_frame,
    edit_mission,
    legs_frame,
    metrics,
    mission_document,
    sortie_fields,
    timeline_frame,
    waypoints_frame,
    weapons_launched,
)
from missions.errors import MissionError, PlaceError
from missions.model import Mission
from missions.parsing import parse_mission
from missions.units import UNIT_M
from tests.equator import equator_yaml

TU160 = "tu160-2015-11-20"
TOLERANCE_M = 0.01
EQUATOR_DISTANCE_M = 2 * 6_378_137.0 * math.pi / 18
EQUATOR = equator_yaml(
    """
    refuel: {tanker: Il-78M, duration: 30 min}
    launch: {weapon: Kh-101, count: 8, targets: ["0, 12", "1, 12"], speed: 720 km/h}
    """,
    sortie="count: 2",
    claims="""
    - {quantity: distance, value: 2000 km}
    - {quantity: duration, value: 3 h}
    """,
)


@pytest.fixture(scope="module")
def equator() -> MissionResult:
    return compute_mission(parse_mission(EQUATOR, file="equator.yaml"))


@pytest.fixture(scope="module")
def tu160_text() -> str:
    return catalog_missions()[TU160].read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def tu160(tu160_text: str) -> MissionResult:
    return compute_mission(parse_mission(tu160_text, file=f"{TU160}.yaml"))


def _rows(mission: Mission, sortie_index: int = 0) -> list[dict]:
    return waypoints_frame(mission, sortie_index).to_dict("records")


def _row(rows: list[dict], place: str) -> int:
    return next(i for i, row in enumerate(rows) if row["place"] == place)


def _facts(mission: Mission) -> dict:
    """What a mission says, without where in its file it said it (line numbers differ after an edit)."""
    return {
        "name": mission.name,
        "claims": [(c.quantity, c.value, c.qualifier, c.sortie, c.source) for c in mission.claims],
        "sources": mission.sources,
        "sorties": [
            (s.name, s.aircraft, s.count, s.takeoff, s.speed, s.source,
             [(w.point.name, w.point.lat_deg, w.point.lon_deg, w.speed, w.refuels, w.holds, w.joins,
               [(ln.weapon, ln.count, [t.name for t in ln.targets]) for ln in w.launches]) for w in s.route])
            for s in mission.sorties
        ],
    }  # fmt: skip


def test_catalog_missions__lists_dated_missions_only() -> None:
    names = list(catalog_missions())
    assert TU160 in names
    assert names == sorted(names)
    assert not {"aircraft", "weapons"} & set(names)


@pytest.mark.parametrize(
    ("units", "distance", "speed"),
    [("km", "2,226 km", "749 km/h"), ("nm", "1,202 NM", "404 kn"), ("mi", "1,383 mi", "465 mph")],
)
def test_metrics__known_answers_in_each_unit(equator: MissionResult, units: str, distance: str, speed: str) -> None:
    cards = {m.label: m.value for m in metrics(equator, units)}
    assert cards == {
        "Total distance": distance,
        "Flight time": "2 h 58 min",
        "Refuellings": "1",
        "Weapons launched": "8",
        "Average speed (implied)": speed,
    }


def test_metrics__ship_launches_only_have_no_aircraft_figures() -> None:
    path = catalog_missions()["kalibr-caspian-2015-10-07"]
    result = compute_mission(parse_mission(path.read_text(encoding="utf-8")))
    cards = {m.label: m.value for m in metrics(result, "km")}
    assert cards["Total distance"] == NO_SORTIES and cards["Average speed (implied)"] == NO_SORTIES
    assert cards["Weapons launched"] == str(sum(ln.count for ln in result.mission.launches))
    assert cards["Flight time"] != "0 min"  # the weapons' flight, first launch to last impact


def test_weapons_launched__one_launch_at_two_targets_counts_once(equator: MissionResult) -> None:
    assert len(equator.weapons) == 2  # one track per target
    assert weapons_launched(equator) == 8


@pytest.mark.parametrize("units", ["km", "nm", "mi"])
def test_legs_frame__every_leg_in_units(equator: MissionResult, units: str) -> None:
    legs = legs_frame(equator, units)
    label = {"km": "km", "nm": "NM", "mi": "mi"}[units]
    assert len(legs) == 2
    assert legs[f"distance ({label})"].sum() * UNIT_M[units] == pytest.approx(EQUATOR_DISTANCE_M, abs=TOLERANCE_M)
    assert list(legs["bearing (°)"]) == pytest.approx([90.0, 90.0])
    assert list(legs["departure (UTC)"]) == [
        "2015-11-20T00:00:00Z",
        "2015-11-20T01:44:12.779632Z",
    ]  # 4,452.7796 s at 250 m/s, then 30 min


def test_legs_frame__tu160_adds_up_to_the_mission(tu160: MissionResult) -> None:
    legs = legs_frame(tu160, "km")
    assert len(legs) == sum(len(s.legs) for s in tu160.sorties)
    assert legs["distance (km)"].sum() * 1000 == pytest.approx(tu160.distance_m, abs=TOLERANCE_M)


def test_timeline_frame__every_leg_and_weapon_flight(equator: MissionResult) -> None:
    timeline = timeline_frame(equator)
    assert list(timeline["kind"]) == ["flight", "flight", "weapon", "weapon"]
    assert (timeline["start"] <= timeline["end"]).all()
    assert list(timeline["lane"])[2:] == ["Kh-101 → 0, 12", "Kh-101 → 1, 12"]
    assert list(timeline["until"])[:2] == ["20 Nov 01:14", "20 Nov 02:58"]


def test_claims_frame__claimed_beside_computed_in_units(equator: MissionResult) -> None:
    claims = claims_frame(equator, "nm")
    distance, duration = claims.iloc[0], claims.iloc[1]
    assert distance["unit"] == "NM"
    assert distance["claimed"] == pytest.approx(2_000_000 / 1852)
    assert distance["computed"] == pytest.approx(EQUATOR_DISTANCE_M / 1852)
    assert distance["ratio"] == pytest.approx(EQUATOR_DISTANCE_M / 2_000_000)
    # 2,000 km over the computed 2.974 h, in knots
    assert distance["implied speed (kn)"] == pytest.approx(2000 / 2.97377 / 1.852, rel=1e-4)
    assert (duration["unit"], duration["claimed"]) == ("h", 3.0)
    assert duration["computed"] == pytest.approx(2.97377, abs=1e-5)


def test_waypoints_frame__places_as_written(tu160: MissionResult) -> None:
    table = waypoints_frame(tu160.mission, 0)
    assert tuple(table.columns) == EDITOR_COLUMNS
    assert list(table["place"])[:2] == ["Olenya", "Barents Sea"]
    assert list(table["#"]) == list(range(1, len(tu160.mission.sorties[0].route) + 1))  # as the legs table counts
    assert "launch 16 × Kh-555" in list(table["events"])


def test_edit_mission__nothing_changed_returns_the_text(tu160_text: str, tu160: MissionResult) -> None:
    takeoff, speed = sortie_fields(mission_document(tu160_text), 0)
    edit = SortieEdit(0, _rows(tu160.mission), takeoff, speed)
    assert edit_mission(tu160_text, tu160.mission, [edit]) is tu160_text


def test_edit_mission__moved_waypoint_round_trips(tu160_text: str, tu160: MissionResult) -> None:
    rows = _rows(tu160.mission)
    i = _row(rows, "West of Portugal")
    rows[i]["place"] = "38.72, -9.14"
    edited = edit_mission(tu160_text, tu160.mission, [SortieEdit(0, rows)])
    mission = parse_mission(edited, file="edited.yaml")
    assert mission.sorties[0].route[i].point.lat_deg == pytest.approx(38.72)
    assert compute_mission(mission).distance_m != pytest.approx(tu160.distance_m, abs=1.0)
    # the download is the file as written, but for the one line changed: comments and layout stay
    import difflib

    changed = [
        line
        for line in difflib.unified_diff(tu160_text.splitlines(), edited.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and line[:3] not in ("+++", "---")
    ]
    assert changed == ["-      - West of Portugal", "+      - 38.72, -9.14"]
    assert tu160_text.startswith("# Every coordinate") and edited.startswith("# Every coordinate")
    # everything else is as the catalogue has it
    before, after = _facts(tu160.mission), _facts(mission)
    before["sorties"][0][-1][i] = after["sorties"][0][-1][i]
    assert after == before


def test_edit_mission__waypoint_with_events_keeps_them(tu160_text: str, tu160: MissionResult) -> None:
    rows = _rows(tu160.mission)
    i = _row(rows, "Eastern Mediterranean")  # where the Kh-555 are fired
    rows[i]["place"] = "34.0, 32.0"
    mission = parse_mission(edit_mission(tu160_text, tu160.mission, [SortieEdit(0, rows)]))
    waypoint = mission.sorties[0].route[i]
    assert (waypoint.point.lat_deg, waypoint.point.lon_deg) == (34.0, 32.0)
    assert [ln.weapon for ln in waypoint.launches] == ["Kh-555"]


def test_edit_mission__speed_override_set_and_cleared(tu160_text: str, tu160: MissionResult) -> None:
    rows = _rows(tu160.mission)
    assert rows[1]["speed"] == ""
    rows[1]["speed"] = "480 kn"
    edited = edit_mission(tu160_text, tu160.mission, [SortieEdit(0, rows)])
    mission = parse_mission(edited)
    assert mission.sorties[0].route[1].speed.kmh == pytest.approx(480 * 1.852)
    cleared = _rows(mission)
    cleared[1]["speed"] = None
    again = parse_mission(edit_mission(edited, mission, [SortieEdit(0, cleared)]))
    assert again.sorties[0].route[1].speed is None


def test_edit_mission__rows_added_deleted_and_blank(tu160_text: str, tu160: MissionResult) -> None:
    rows = _rows(tu160.mission, 1)  # the escort: Hmeimim, Off Latakia, Raqqa, Hmeimim
    del rows[2]
    rows.insert(2, {"#": math.nan, "place": "35.0, 37.0", "speed": "700 km/h", "events": None})
    rows.append({"#": None, "place": None, "speed": None, "events": None})  # a row just added, still blank
    mission = parse_mission(edit_mission(tu160_text, tu160.mission, [SortieEdit(1, rows)]))
    route = mission.sorties[1].route
    assert [w.point.label for w in route] == ["Hmeimim", "Off Latakia", "35.0, 37.0", "Hmeimim"]
    assert (route[2].point.lat_deg, route[2].speed.kmh) == (35.0, 700.0)
    assert route[1].holds and route[1].joins  # the join and hold off Latakia stay


def test_edit_mission__takeoff_and_speed(tu160_text: str, tu160: MissionResult) -> None:
    edit = SortieEdit(0, takeoff="2015-11-19T19:00:00Z", speed="900 km/h")
    mission = parse_mission(edit_mission(tu160_text, tu160.mission, [edit]))
    assert mission.sorties[0].takeoff.hour == 19
    assert mission.sorties[0].speed.kmh == 900.0
    assert _facts(mission)["sorties"][1] == _facts(tu160.mission)["sorties"][1]


def test_edit_mission__bad_place_is_reported_with_field_and_line(tu160_text: str, tu160: MissionResult) -> None:
    rows = _rows(tu160.mission)
    i = _row(rows, "West of Portugal")
    rows[i]["place"] = "Lost city of Atlantis"
    edited = edit_mission(tu160_text, tu160.mission, [SortieEdit(0, rows)])
    with pytest.raises(PlaceError) as caught:
        parse_mission(edited, file="edited.yaml")
    assert caught.value.field == f"sorties[0].route[{i}]"
    assert edited.splitlines()[caught.value.line - 1].strip() == "- Lost city of Atlantis"


def test_edit_mission__json_source_becomes_yaml(tu160_text: str, tu160: MissionResult) -> None:
    as_json = json.dumps(mission_document(tu160_text))
    mission = parse_mission(as_json)
    edited = edit_mission(as_json, mission, [SortieEdit(0, takeoff="2015-11-19T20:00:00Z")])
    assert not edited.lstrip().startswith("{")
    assert parse_mission(edited).sorties[0].takeoff.hour == 20


def test_mission_document__refuses_a_list() -> None:
    with pytest.raises(MissionError):
        mission_document("- just\n- a list\n")


def test_edit_mission__keeps_comment_lines() -> None:
    """An edit round trip keeps the file's comments, inline and on their own lines, and its indentation."""
    text = (
        "# top comment\nname: Commented\nsorties:\n  - name: A\n    aircraft: Tu-160   # the type\n"
        "    takeoff: 2015-11-20T03:00:00Z\n    speed: 900 km/h\n    route:\n      - 68.1517, 33.47\n"
        "      # the strait, as reported\n      - Strait of Gibraltar\n      - XLMO  # home\n"
    )
    mission = parse_mission(text)
    rows = waypoints_frame(mission, 0).to_dict("records")
    rows[1]["place"] = "36, -5.6"
    rows.insert(2, {"#": None, "place": "40, 0", "speed": "", "events": ""})
    edited = edit_mission(text, mission, [SortieEdit(0, rows)])
    assert edited == text.replace("- Strait of Gibraltar\n", "- 36, -5.6\n      - 40, 0\n")
    assert [wp.point.lat_deg for wp in parse_mission(edited).sorties[0].route][1:3] == [36.0, 40.0]


@pytest.mark.parametrize(
    ("value", "units", "expected"),
    [
        ("16000 km", "nm", "8,639 NM"),
        ("about 16000 km", "nm", "about 8,639 NM"),
        ("more than 13,000 km", "mi", "more than 8,078 mi"),
        ("9,000 to 10,000 km", "nm", "4,860–5,400 NM"),
        ("900 km/h", "nm", "486 kn"),
        ("more than 16 h", "nm", "more than 16 h"),  # durations as written
    ],
)
def test_claim_text__from_the_core_numbers_in_units(value, units, expected) -> None:
    from missions.dashboard.frames import claim_text
    from missions.tables import mission_tables

    text = (
        "name: C\nclaims:\n  - {quantity: QUANTITY, value: 'VALUE', sortie: A}\nsorties:\n"
        "  - {name: A, aircraft: Tu-160, takeoff: 2015-11-20T00:00:00Z, speed: 900 km/h, route: ['0, 0', '0, 10']}\n"
    )
    quantity = "duration" if value.endswith(" h") else "speed" if "/h" in value else "distance"
    result = compute_mission(parse_mission(text.replace("QUANTITY", quantity).replace("VALUE", value)))
    (claim,) = mission_tables(result).claims
    assert claim_text(claim, units) == expected
