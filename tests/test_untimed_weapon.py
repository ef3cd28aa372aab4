"""A weapon with no known speed (a weapon the catalogue lacks, or one with no speed in it) is *untimed*.

Its geodesic distance is computed and its track drawn; its flight time and arrival are "unknown" on
every face (text, JSON, GeoJSON, CSV, KML, GPX, map, dashboard tables, figure), and one warning line
per track names the figure to give (``...launch.speed``). Each test here fails if a face drops the
track, invents a time, or stops the report (as it did: "no source gives the speed ...", exit 2).
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import gpxpy
import pytest
from lxml import etree

from missions import geodesy
from missions.__main__ import main
from missions.analysis import MissionResult, compute_mission
from missions.dashboard.frames import countries_frame, timeline_frame
from missions.export.geojson import mission_geojson
from missions.export.gpx import mission_gpx
from missions.export.kml import GX_NS, KML_NS, mission_kml
from missions.feasibility import assess
from missions.findings import FindingKind, Status
from missions.parsing import parse_mission
from missions.performance import load_weapons_catalog
from missions.report import to_json, to_text

MISSION = """\
name: Untimed weapon
sorties:
  - name: Bomber
    aircraft: B-52H
    takeoff: 2020-01-01T00:00:00Z
    speed: 800 km/h
    route:
      - 52.0, 0.0
      - place: 40.0, 10.0
        launch: {weapon: Kh-999, count: 2, targets: ["35.0, 15.0"]}
      - 52.0, 0.0
launches:
  - platform: Battery
    from: "48.0, 30.0"
    time: 2020-01-01T02:00:00Z
    weapon: Kh-998
    targets: ["47.0, 33.0"]
"""


@pytest.fixture(scope="module")
def result() -> MissionResult:
    return compute_mission(parse_mission(MISSION, file="untimed.yaml"))


@pytest.fixture
def mission_file(tmp_path: Path) -> Path:
    path = tmp_path / "untimed.yaml"
    path.write_text(MISSION, encoding="utf-8")
    return path


def test_weapon_track__untimed_has_geodesic_distance_and_no_times(result):
    bomber, battery = result.weapons
    expected_m = float(geodesy.inverse(40.0, 10.0, 35.0, 15.0).distance_m)
    assert bomber.distance_m == pytest.approx(expected_m, abs=1.0)
    assert bomber.distance_m == pytest.approx(709_254, rel=1e-3)  # 40N 10E -> 35N 15E on WGS84
    assert not bomber.timed and bomber.speed_kmh is None
    assert bomber.time_of_flight_s is None and bomber.impact_time is None and bomber.vertex_times_s is None
    assert bomber.route.distance_m[-1] == pytest.approx(expected_m, abs=1.0)  # the track is still drawn
    assert not battery.timed and battery.launcher == "Battery"
    assert result.end_time == result.sorties[0].landing_time  # an unknown impact sets no end


def test_weapon_track__launch_speed_times_it(result):
    text = MISSION.replace('targets: ["35.0, 15.0"]}', 'targets: ["35.0, 15.0"], speed: 720 km/h}')
    timed = compute_mission(parse_mission(text, file="t.yaml")).weapons[0]
    assert timed.time_of_flight_s == pytest.approx(timed.distance_m / 200.0)


def test_feasibility__untimed_weapon_one_timing_line_naming_speed(result):
    feas = assess(result)
    timing = [f for f in feas.findings if f.kind is FindingKind.TIMING]
    assert [f.field for f in timing] == ["sorties[0].route[1].launch.speed", "launches[0].speed"]
    assert all("give the launch its 'speed'" in f.message and "unknown" in f.message for f in timing)
    # the verdict is about range, speed and reach: a missing weapon speed alone leaves it unchanged
    assert Status.NOT_FEASIBLE not in {feas.sortie("Bomber").status}


@pytest.fixture
def speedless_catalogue_weapon(monkeypatch: pytest.MonkeyPatch) -> str:
    """A catalogue weapon that has a speed, served with its speed removed (``dataclasses.replace``).

    The packaged catalogue may or may not hold a weapon without a speed; this copy makes the case
    exist whatever the catalogue says, so the tests below always run.
    """
    from missions.performance import lookup

    weapons = load_weapons_catalog()
    original = next(w for w in weapons.values() if w.speed_kmh is not None and w.range_km is not None)
    speedless = dataclasses.replace(original, speed_kmh=None, mach=None)
    patched = {**weapons, original.name: speedless}
    monkeypatch.setattr(lookup, "load_weapons_catalog", lambda path=None: patched)
    return original.name


def _battery_mission(weapon: str) -> MissionResult:
    return compute_mission(parse_mission(MISSION.replace("Kh-998", weapon), file="u.yaml"))


def test_feasibility__catalogue_weapon_timed_with_its_catalogue_speed():
    """The control for the test below: the same weapon, with its catalogue speed, is timed."""
    name = next(w.name for w in load_weapons_catalog().values() if w.speed_kmh is not None and w.range_km is not None)
    track = _battery_mission(name).weapons[1]
    assert track.weapon == name and track.timed and track.time_of_flight_s is not None


def test_feasibility__catalogue_weapon_without_speed_is_untimed(speedless_catalogue_weapon):
    name = speedless_catalogue_weapon
    res = _battery_mission(name)
    track = res.weapons[1]
    assert track.weapon == name and not track.timed
    assert track.time_of_flight_s is None and track.impact_time is None and track.vertex_times_s is None
    assert track.distance_m == pytest.approx(float(geodesy.inverse(48.0, 30.0, 47.0, 33.0).distance_m), abs=1.0)
    feas = assess(res)
    timing = [f for f in feas.findings if f.kind is FindingKind.TIMING and f.field == "launches[0].speed"]
    assert len(timing) == 1 and "give the launch its 'speed'" in timing[0].message
    # its range is still known from the catalogue: the reach is assessed, not 'unknown'
    assert not [f for f in feas.findings if f.kind is FindingKind.UNKNOWN and f.field.startswith("launches[0]")]


def test_report__catalogue_weapon_without_speed_in_text_json_map_and_dashboard(speedless_catalogue_weapon):
    from missions.airspace import mission_airspace
    from missions.render.map import build_map

    name = speedless_catalogue_weapon
    res = _battery_mission(name)
    air = mission_airspace(res)
    feas = assess(res, air)
    text = to_text(res, "km", feas, air)
    row = next(line for line in text.splitlines() if name in line and "×" in line)
    cells = [c.strip() for c in row.split("  ") if c.strip()]
    assert "unknown" in cells and "in range" in row  # flight time and impact unknown; reach known
    data = json.loads(to_json([res], [feas], [air]))
    (launch,) = data["launches"]
    assert launch["weapon"] == name
    assert launch["speed_kmh"] is None and launch["time_of_flight_h"] is None and launch["impact"] is None
    assert launch["in_range"] is True
    data = _map_data(build_map(res))
    battery = next(w for w in data["weapons"] if data["strings"][w["name"]] == f"1 × {name}")  # string indices
    assert battery["vertex_time"] is None and battery["impact_s"] is None and battery["flight_time"] == "unknown"
    timeline = timeline_frame(res)
    rows = timeline[(timeline["kind"] == "weapon") & timeline["lane"].str.startswith(f"{name} →")]
    assert len(rows) == 1 and rows.iloc[0]["until"] == "unknown"


def test_report_cli__untimed_weapon_reports_distances_and_warns(mission_file, capsys):
    assert main(["report", str(mission_file)]) == 0
    out, err = capsys.readouterr()
    row = next(line for line in out.splitlines() if "Kh-999" in line and "×" in line)
    cells = row.split("  ")  # the table's columns are two spaces apart at least
    cells = [c.strip() for c in cells if c.strip()]
    assert cells[3:8] == ["709", "unknown", "01 Jan 01:55", "unknown", "range unknown"]  # dist, flight, launch, impact
    assert "Total: 3,078 km" in out
    warnings = [line for line in err.splitlines() if line.endswith("give the launch its 'speed'")]
    assert len(warnings) == 2
    assert warnings[0].startswith("warning: ") and "untimed.yaml:10: sorties[0].route[1].launch.speed:" in warnings[0]


def test_report_cli__untimed_weapon_warnings_as_the_readme_shows(capsys):
    """The README's lines for tests/data/untimed-weapon.yaml (as ``u.yaml``), exactly."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    promised = [line for line in readme.splitlines() if line.startswith("warning: u.yaml:")]
    assert len(promised) == 2
    path = Path(__file__).resolve().parent / "data" / "untimed-weapon.yaml"
    assert main(["report", str(path), "--no-countries"]) == 0
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [line.replace("u.yaml", str(path), 1) for line in promised]


def test_report_cli__untimed_weapon_nm_has_no_km(mission_file, capsys):
    assert main(["report", str(mission_file), "--units", "nm"]) == 0
    out, err = capsys.readouterr()
    assert " km" not in out and " km" not in err
    assert "383 NM" in err  # 709 km


def test_report_json__untimed_weapon_nulls(result):
    data = json.loads(to_json([result], [assess(result)]))
    (launch,) = data["sorties"][0]["launches"]
    assert launch["distance_km"] == pytest.approx(709.25, abs=0.01)
    assert launch["speed_kmh"] is None and launch["time_of_flight_h"] is None and launch["impact"] is None
    assert launch["launch"].startswith("2020-01-01T01:55")
    kinds = [f["kind"] for f in data["sorties"][0]["feasibility"]["findings"]]
    assert "timing" in kinds


def test_report_json__untimed_weapon_countries_have_no_times(result):
    from missions.airspace import mission_airspace

    air = mission_airspace(result)
    data = json.loads(to_json([result], [assess(result, air)], [air]))
    passages = data["sorties"][0]["launches"][0]["countries"]
    assert passages and all(p["entry"] is None and p["exit"] is None for p in passages)
    assert sum(p["distance_km"] for p in passages) == pytest.approx(709.25, abs=0.01)
    totals = data["sorties"][0]["launches"][0]["country_totals"]
    assert totals and all(t["duration_h"] is None for t in totals)
    text = to_text(result, "km", assess(result, air), air)
    assert "unknown" in text


def test_export_geojson__untimed_weapon(result):
    features = [f for f in mission_geojson(result)["features"] if f["properties"].get("kind") == "weapon"]
    assert len(features) == 2
    for f in features:
        assert f["properties"]["impact"] is None and f["properties"]["time_of_flight_s"] is None
        assert len(f["geometry"]["coordinates"]) >= 2


def test_export_csv__untimed_weapon_legs_written(mission_file, tmp_path):
    out = tmp_path / "legs.csv"
    assert main(["export", str(mission_file), "--format", "csv", "-o", str(out)]) == 0
    assert len(out.read_text(encoding="utf-8").splitlines()) == 3  # header and two legs


def test_export_kml__untimed_weapon_line_without_time_slider(result):
    doc = etree.fromstring(mission_kml(result))
    folder = next(f for f in doc.iter(f"{{{KML_NS}}}Folder") if f.findtext(f"{{{KML_NS}}}name") == "Weapons")
    names = [pm.findtext(f"{{{KML_NS}}}name") for pm in folder.iter(f"{{{KML_NS}}}Placemark")]
    assert "Kh-999 → 35.0, 15.0" in names and not any("time slider" in n for n in names)
    assert folder.findall(f".//{{{GX_NS}}}Track") == []
    target = next(
        pm for pm in folder.iter(f"{{{KML_NS}}}Placemark") if pm.findtext(f"{{{KML_NS}}}name") == "35.0, 15.0"
    )
    assert target.find(f"{{{KML_NS}}}TimeStamp") is None
    assert "unknown" in target.findtext(f"{{{KML_NS}}}description")


def test_export_gpx__untimed_weapon_route_without_times(result):
    gpx = gpxpy.parse(mission_gpx(result))
    weapon = next(r for r in gpx.routes if r.name == "Kh-999 → 35.0, 15.0")
    assert [(p.latitude, p.longitude) for p in weapon.points] == [(40.0, 10.0), (35.0, 15.0)]
    assert all(p.time is None for p in weapon.points)


def test_render_records__untimed_weapon_drawn_not_animated(result):
    from missions.render.map import build_map

    data = _map_data(build_map(result))
    weapons = data["weapons"]
    assert len(weapons) == 2
    for w in weapons:
        assert w["vertex_time"] is None and w["impact_s"] is None
        assert w["flight_time"] == "unknown" and w["line"]


def _map_data(m: Any) -> dict:
    from missions.render import elements

    (layers,) = [c for c in m._children.values() if isinstance(c, elements._MissionLayers)]
    return json.loads(layers.data_json)


def test_dashboard_tables__untimed_weapon(result):
    from missions.airspace import mission_airspace

    timeline = timeline_frame(result)
    row = timeline[timeline["kind"] == "weapon"].iloc[0]
    assert row["until"] == "unknown" and row["end"] == row["start"]
    frame = countries_frame(result, mission_airspace(result), "km")
    weapon_rows = frame[frame["route"].str.startswith("Kh-999")]
    assert len(weapon_rows) >= 1
    assert set(weapon_rows["entry (UTC)"]) == {"unknown"} and set(weapon_rows["duration"]) == {"unknown"}


def test_figure_cli__untimed_weapon_draws(mission_file, tmp_path):
    out = tmp_path / "u.svg"
    assert main(["figure", str(mission_file), "-o", str(out), "--layers", "routes,weapons,markers"]) == 0
    assert out.stat().st_size > 1000


@pytest.mark.browser
def test_map_cli__untimed_weapon_opens_in_browser_with_unknown_impact(
    mission_file: Path, tmp_path: Path, browser_page: Any, open_offline: Any
) -> None:
    pytest.importorskip("playwright")
    out = tmp_path / "u.html"
    assert main(["map", str(mission_file), "-o", str(out)]) == 0
    log = open_offline(browser_page, out.as_uri())
    browser_page.wait_for_function("() => window.MissionMap && window.MissionMap.fitted")
    assert browser_page.locator("path.msn-track").count() == 2  # both tracks drawn
    browser_page.locator("path.msn-track").first.click(force=True)
    popup = browser_page.locator(".leaflet-popup-content")
    popup.wait_for()
    content = popup.inner_text()
    impact = next(line for line in content.splitlines() if line.startswith("Impact"))
    assert impact.split(None, 1)[1] == "unknown", content  # not the clock's start read from a null
    assert log.errors == [], log.errors
