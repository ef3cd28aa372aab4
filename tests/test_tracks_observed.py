"""A mission naming an observed track (``track:``): parsing, the report (text and JSON), exports, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import gpxpy
import pytest
from lxml import etree

from missions.__main__ import main
from missions.errors import MissionError
from missions.parsing import parse_mission

DATA = Path(__file__).with_name("data")
MISSION = DATA / "observed-mission.yaml"
KML = "{http://www.opengis.net/kml/2.2}"


def test_parse_mission__track_field_string_and_mapping():
    base = """
name: t
sorties:
  - name: A
    aircraft: Tu-160
    takeoff: 2015-11-20T03:00:00Z
    speed: 900 km/h
    route: [XLMO, Strait of Gibraltar]
"""
    ref = parse_mission(base + "    track: obs.gpx\n", file="m.yaml").sorties[0].track
    assert ref.file == "obs.gpx" and ref.callsign is None and ref.gap_s == 600.0 and ref.line == 9
    text = base + "    track: {file: a.csv, icao24: 152003, from: 2015-11-20T02:00:00Z, gap: 15 min}\n"
    ref = parse_mission(text, file="m.yaml").sorties[0].track
    assert ref.icao24 == "152003" and ref.start.hour == 2 and ref.gap_s == 900.0
    with pytest.raises(
        MissionError,
        match=r"sorties\[0\]\.track\.callsing: unknown field 'callsing' in a track \(did you mean 'callsign'\?\)",
    ):
        parse_mission(base + "    track: {file: a.csv, callsing: X}\n", file="m.yaml")
    with pytest.raises(MissionError, match=r"sorties\[0\]\.track\.file: missing required field 'file'"):
        parse_mission(base + "    track: {callsign: X}\n", file="m.yaml")


def test_cli_report__observed_comparison_json(capsys):
    assert main(["report", str(MISSION), "--json", "--no-countries"]) == 0
    doc = json.loads(capsys.readouterr().out)
    (obs,) = doc["observed"]
    assert obs["sortie"] == "Northern leg" and obs["track"]["points"] == 46  # RFF9999 filtered out
    assert 19_500 < obs["max_deviation_m"] < 21_000 and obs["max_deviation_at"]["leg"] == [
        "Barents Sea",
        "Norwegian Sea",
    ]
    assert "18:40" <= obs["max_deviation_at"]["time"][11:16] <= "18:50"
    (gap,) = obs["track"]["gaps"]
    assert gap["start"] == "2015-11-19T18:15:00Z" and gap["duration_s"] == 780.0
    offsets = {w["name"]: w["offset_s"] for w in obs["waypoints"]}
    assert offsets["Barents Sea"] is None  # in the gap
    assert abs(offsets["Olenya air base"]) < 10 and abs(offsets["Norwegian Sea"]) < 10
    (claim,) = obs["claims"]
    assert claim["claimed"] == 1_500_000.0 and claim["observed"] == pytest.approx(obs["observed_distance_m"])


def test_cli_report__observed_comparison_text(capsys):
    assert main(["report", str(MISSION), "--no-countries", "--units", "nm"]) == 0
    out = capsys.readouterr().out
    assert "Observed track for Northern leg" in out and "not passed" in out
    assert "off route by up to 10.9 NM" in out  # 20.2 km


def test_cli_export__observed_tracks_alongside(tmp_path):
    kml, gpx = tmp_path / "m.kml", tmp_path / "m.gpx"
    assert main(["export", str(MISSION), "--format", "kml", "-o", str(kml)]) == 0
    assert main(["export", str(MISSION), "--format", "gpx", "-o", str(gpx)]) == 0
    doc = etree.parse(str(kml))
    folders = {f.findtext(f"{KML}name"): f for f in doc.iter(f"{KML}Folder")}
    assert "Observed tracks" in folders
    tracks = list(folders["Observed tracks"].iter("{http://www.google.com/kml/ext/2.2}Track"))
    assert len(tracks) == 1 and len(tracks[0].findall(f"{KML}when")) >= 2
    (trk,) = gpxpy.parse(gpx.read_text()).tracks
    assert len(trk.segments) == 2  # split at the coverage gap
    assert trk.segments[0].points[-1].time.strftime("%H:%M") == "18:15"


def test_cli_report__unreadable_track_is_one_line(tmp_path, capsys):
    text = MISSION.read_text().replace("tracks/observed-northern.csv", "tracks/missing.csv")
    path = tmp_path / "m.yaml"
    path.write_text(text)
    assert main(["report", str(path), "--no-countries"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith(f"error: {path}:7: sorties[0].track: tracks/missing.csv: no such file")
