"""Planning inside mission files: groups in ``avoid:``, a file's own ``groups:``, ``plan:`` route items."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
import shapely

from geodata.airspace import load_straits
from missions.airspace import legs_crossings
from missions.errors import MissionError
from missions.parsing import parse_mission

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"


def mission(avoid: str, route: str, *, takeoff: str = "2021-06-01T06:00:00Z", extra: str = "") -> str:
    return (
        f"name: t\n{extra}sorties:\n  - name: s\n    aircraft: Tu-160\n    takeoff: {takeoff}\n"
        f"    speed: 800 km/h\n    avoid: {avoid}\n    route:\n{route}"
    )


def test_sortie_avoid__groups_resolved_on_the_takeoff_date() -> None:
    route = "      - Olenya\n      - Engels\n"
    in_2015 = parse_mission(mission("[NATO, SWE]", route, takeoff="2015-11-20T03:00:00Z")).sorties[0].avoid
    in_2025 = parse_mission(mission("[NATO]", route, takeoff="2025-01-01T03:00:00Z")).sorties[0].avoid
    assert "NOR" in in_2015 and "FIN" not in in_2015 and "SWE" in in_2015
    assert "FIN" in in_2025 and "SWE" in in_2025
    assert len(set(in_2015)) == len(in_2015)  # SWE once


def test_sortie_avoid__a_files_own_group_and_plain_codes_kept() -> None:
    text = mission("[BALTIC, FRA]", "      - Olenya\n      - Engels\n", extra="groups:\n  baltic: [EST, LVA, LTU]\n")
    assert parse_mission(text).sorties[0].avoid == ("EST", "LTU", "LVA", "FRA")


def planned_mission() -> str:
    route = '      - "51.5, -0.12"\n      - plan: {to: "32.9, 13.2"}\n      - Tripoli\n'
    return mission("[EU]", route)


def test_plan_item__expands_round_iberia_and_stays_out() -> None:
    sortie = parse_mission(planned_mission()).sorties[0]
    names = [w.point.name for w in sortie.route]
    k = sum(w.point.planned for w in sortie.route)
    assert k >= 3 and names[1 : k + 1] == [f"planned {i}" for i in range(1, k + 1)]
    assert [w.point.planned for w in sortie.route] == [False, *[True] * k, False, False]
    assert names[-2] == "32.9, 13.2"
    lat = np.array([w.point.lat_deg for w in sortie.route[:-1]])
    lon = np.array([w.point.lon_deg for w in sortie.route[:-1]])
    # through the Strait of Gibraltar: crosses 5.5° W between Morocco and Spain
    k0 = np.flatnonzero((lon[:-1] < -5.5) & (lon[1:] >= -5.5))
    assert len(k0) == 1 and 35.0 < np.interp(-5.5, lon[k0[0] : k0[0] + 2], lat[k0[0] : k0[0] + 2]) < 36.2
    # the overflight computation at 12 nm: no EU member entered outside a transit corridor
    corridors = shapely.union_all([s.corridor() for s in load_straits()])
    for leg in legs_crossings(lat[:-1], lon[:-1], lat[1:], lon[1:], territorial_sea_nm=12):
        for c in leg:
            if c.iso3 in sortie.avoid and c.iso3 != "GRC":
                assert corridors.dwithin(shapely.Point(c.entry_lon_deg, c.entry_lat_deg), 0.01), c


def test_plan_item__numbering_runs_through_the_sortie_and_stretch_avoid_overrides() -> None:
    route = (
        '      - "51.5, -0.12"\n      - plan: {to: "32.9, 13.2"}\n'
        '      - plan: {to: "51.5, -0.12", avoid: [FRA, IBERIA]}\n'
    )
    sortie = parse_mission(mission("[EU]", route, extra="groups:\n  IBERIA: [ESP, PRT]\n")).sorties[0]
    planned = [w.point.name for w in sortie.route if w.point.planned]
    assert planned == [f"planned {i}" for i in range(1, len(planned) + 1)]
    back = sortie.route[[w.point.name for w in sortie.route].index("32.9, 13.2") + 1 :]
    assert any(w.point.planned for w in back)
    assert all(w.point.lon_deg > -1.0 for w in back)  # east of Iberia and France's Atlantic coast


@pytest.mark.parametrize(
    ("avoid", "route", "takeoff", "where", "message"),
    [
        ("[NATTO]", '      - Olenya\n      - Engels\n', "2021-06-01T06:00:00Z", "sorties[0].avoid[0]", "'NATTO'"),
        ("[EU]", '      - Olenya\n      - Engels\n', "1990-06-01T06:00:00Z", "sorties[0].avoid[0]", "EU did not exist"),
        ("[EU]", '      - "51.5, -0.12"\n      - plan: {to: "32.9, 13.2", via: [Paris]}\n', "2021-06-01T06:00:00Z",
         "sorties[0].route[1].plan.via[0]", "Paris (48.8566, 2.3522) lies in avoided airspace (FRA)"),
        ("[]", '      - "51.5, -0.12"\n      - plan: {to: "-29.6, 28.3", avoid: [ZAF]}\n',  # Lesotho, walled in
         "2021-06-01T06:00:00Z", "sorties[0].route[1].plan.to", "no permitted route"),
        ("[]", '      - "51.5, -0.12"\n      - plan: {to: "32.9, 13.2", avoid: [EUU]}\n', "2021-06-01T06:00:00Z",
         "sorties[0].route[1].plan.avoid", "unknown country code or group 'EUU'"),
        ("[]", '      - plan: {to: "32.9, 13.2"}\n      - Olenya\n', "2021-06-01T06:00:00Z",
         "sorties[0].route[0]", "starts at the waypoint before it"),
        ("[]", '      - Olenya\n      - plan: {too: Engels}\n', "2021-06-01T06:00:00Z",
         "sorties[0].route[1].plan", "plan needs 'to'"),
    ],
)  # fmt: skip
def test_plan_item__bad_input_names_the_field(avoid: str, route: str, takeoff: str, where: str, message: str) -> None:
    with pytest.raises(MissionError) as err:
        parse_mission(mission(avoid, route, takeoff=takeoff), file="m.yaml")
    line = err.value.one_line()
    assert f"{where}: " in line and message in line, line
    assert line.startswith("m.yaml:")


def test_mission_groups__unknown_member_names_the_group() -> None:
    with pytest.raises(MissionError) as err:
        parse_mission(mission("[X]", "      - Olenya\n      - Engels\n", extra="groups:\n  X: [FRA, QQQ]\n"))
    assert "groups.X" in err.value.one_line() and "QQQ" in err.value.one_line()


def test_cli_report__planned_stretch_bad_via_is_one_line(tmp_path: Path, monkeypatch, capsys) -> None:
    """The README's planned stretch with a ``via`` inside the avoided airspace: one line naming the field,
    exit status 2. (The README's example itself, run as written under ``unshare -n``, and its figures
    are checked by ``test_readme_commands`` ("planned stretch"): the planner runs once for both.)"""
    from missions.__main__ import main

    text = README.read_text(encoding="utf-8")
    section = text[text.index("### Planned stretch (`plan:`)") :]
    yaml_block = re.search(r"```yaml\n(.*?)```", section, re.S)
    assert yaml_block is not None
    bad = yaml_block.group(1).replace('to: "32.9, 13.2"', 'to: "32.9, 13.2", via: [Paris]')
    assert bad != yaml_block.group(1)
    (tmp_path / "bad.yaml").write_text(bad)
    monkeypatch.chdir(tmp_path)
    assert main(["report", "bad.yaml"]) == 2
    assert capsys.readouterr().err.strip().splitlines() == [
        "error: bad.yaml:12: sorties[0].route[1].plan.via[0]: Paris (48.8566, 2.3522) lies in avoided airspace (FRA)"
    ]


def test_report_json__planned_legs_and_waypoints_marked() -> None:
    import json

    from missions.analysis import compute_mission
    from missions.report import to_json

    m = parse_mission(planned_mission())
    doc = json.loads(to_json([compute_mission(m)]))["sorties"][0]
    k = sum(w.point.planned for w in m.sorties[0].route)
    assert [w["planned"] for w in doc["waypoints"]] == [False, *[True] * k, False, False]
    assert [leg["planned"] for leg in doc["legs"]] == [*[True] * (k + 1), False]
    assert doc["waypoints"][1]["name"] == "planned 1"


def test_claim__set_beside_the_shortest_permitted_route_when_the_mission_plans() -> None:
    """A distance claim on a sortie whose whole route is one plan: stretch is compared with the
    shortest permitted route, the same figure ``python -m missions plan`` gives."""
    import datetime as dt
    import json

    from missions.airspace.plan import plan_route
    from missions.analysis import compute_mission
    from missions.report import to_json

    text = mission("[EU]", '      - "51.5, -0.12"\n      - plan: {to: "32.9, 13.2"}\n')
    m = parse_mission(text + "claims:\n  - {value: 5000 km, sortie: s}\n")
    claim = json.loads(to_json([compute_mission(m)]))["claims"][0]
    shortest = plan_route("51.5, -0.12", "32.9, 13.2", avoid="EU", day=dt.date(2021, 6, 1))
    assert claim["computed"] == pytest.approx(shortest.distance_m / 1000, rel=1e-9)
    assert claim["ratio"] == pytest.approx(shortest.distance_m / 5_000_000, rel=1e-9)


def test_legs_frame__planned_column_is_the_leg_rows_flag_as_report_and_json_mark_it() -> None:
    """The dashboard's legs table, the text report's ``*`` and the JSON's ``planned`` read one flag
    (:attr:`missions.tables.LegRow.planned`): the stretch's legs true, the leg after it false."""
    import json

    from missions.analysis import compute_mission
    from missions.dashboard.frames import legs_frame
    from missions.report import to_json, to_text
    from missions.tables import mission_tables

    m = parse_mission(planned_mission())
    result = compute_mission(m)
    tables = mission_tables(result)
    k = sum(w.point.planned for w in m.sorties[0].route)
    expected = [*[True] * (k + 1), False]
    assert [leg.planned for leg in tables.legs] == expected
    frame = legs_frame(result, "km", tables=tables)
    assert frame["planned"].tolist() == expected and frame["leg"].tolist() == list(range(1, k + 3))
    assert [leg["planned"] for leg in json.loads(to_json([result]))["sorties"][0]["legs"]] == expected
    text = to_text(result, tables=tables)
    marks = re.findall(r"^ *(\d+)(\*?)  ", text, re.M)
    assert [bool(star) for _, star in marks] == expected and [int(n) for n, _ in marks] == list(range(1, k + 3))
