"""A bomb released over its target (a track of length 0): its timing needs no speed.

The GBU-57 has no sourced speed (a gravity bomb). Released at its target, its track has no length,
so its flight is not part of the mission's timing: the tool takes its arrival as the release time (the
fall time is not modelled, README "Launch"). Before, the report warned "no known speed, so its flight
time and arrival are unknown (distance 0 km); give the launch its 'speed'" and printed the impact as
"unknown". Released anywhere else, the track has length and the warning stays.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import gpxpy
import pytest

from missions.__main__ import main
from missions.analysis import compute_mission
from missions.export.gpx import mission_gpx
from missions.feasibility import assess
from missions.findings import FindingKind
from missions.parsing import parse_mission

MISSION = """\
name: Release over the target
sorties:
  - name: Spirit
    aircraft: B-2A
    takeoff: 2025-06-21T00:00:00Z
    speed: 900 km/h
    range: 30000 km
    route:
      - 36.0, 50.0
      - place: 34.88, 50.99
        launch: {weapon: GBU-57, count: 2, target: '34.88, 50.99'}
      - 36.0, 50.0
"""
#: the same bomb released 2.3 km short of the target: a track with length, and no speed for it
RELEASED_SHORT = MISSION.replace("target: '34.88, 50.99'", "target: '34.90, 51.00', range: 10 km")


def _timing(text: str) -> list[str]:
    return [f.message for f in assess(compute_mission(parse_mission(text))).findings if f.kind is FindingKind.TIMING]


def test_untimed_finding__release_over_its_target_needs_no_speed():
    assert _timing(MISSION) == []


def test_untimed_finding__release_short_of_its_target_still_asks_for_speed():
    (message,) = _timing(RELEASED_SHORT)
    assert "distance 2 km" in message and message.endswith("give the launch its 'speed'")


def test_weapon_track__release_over_its_target_arrives_at_release():
    result = compute_mission(parse_mission(MISSION))
    (track,) = result.weapons
    assert track.distance_m == 0.0 and track.speed_kmh is None  # no speed was given or found
    assert track.timed and track.time_of_flight_s == 0.0
    assert track.impact_time == track.launch_time == result.sorties[0].arrival_times[1]
    assert track.vertex_times_s is not None and set(track.vertex_times_s.tolist()) == {0.0}
    short = compute_mission(parse_mission(RELEASED_SHORT)).weapons[0]
    assert not short.timed and short.time_of_flight_s is None and short.impact_time is None


def test_report_cli__release_over_its_target_no_warning_impact_at_release(tmp_path: Path, capsys):
    path = tmp_path / "release.yaml"
    path.write_text(MISSION, encoding="utf-8")
    assert main(["report", str(path), "--no-countries"]) == 0
    out, err = capsys.readouterr()
    assert "speed" not in err and "Feasibility: ok" in out
    row = next(line for line in out.splitlines() if "GBU-57" in line and "×" in line)
    cells = [c.strip() for c in row.split("  ") if c.strip()]
    launch_utc = cells[5]
    assert cells[3] == "0" and cells[6] == launch_utc != "unknown"  # dist km, impact UTC = launch UTC
    assert main(["report", str(path), "--json", "--no-countries"]) == 0
    (weapon,) = json.loads(capsys.readouterr().out)["sorties"][0]["launches"]
    assert weapon["time_of_flight_h"] == 0 and weapon["impact"] == weapon["launch"] is not None


def test_export_gpx__release_over_its_target_points_at_release_time():
    result = compute_mission(parse_mission(MISSION))
    gpx = gpxpy.parse(mission_gpx(result))
    weapon = next(r for r in gpx.routes if "GBU-57" in (r.name or ""))
    release = result.weapons[0].launch_time
    times = [p.time for p in weapon.points]
    assert len(times) == 2 and all(t is not None and abs(t - release) < dt.timedelta(seconds=1) for t in times)


@pytest.mark.parametrize("units", ["km", "nm"])
def test_report_cli__release_short_of_its_target_warns_once(tmp_path: Path, capsys, units):
    path = tmp_path / "short.yaml"
    path.write_text(RELEASED_SHORT, encoding="utf-8")
    assert main(["report", str(path), "--no-countries", "--units", units]) == 0
    err = capsys.readouterr().err
    assert len([line for line in err.splitlines() if line.endswith("give the launch its 'speed'")]) == 1
