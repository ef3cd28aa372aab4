"""missions.export: GeoJSON (RFC 7946) and CSV legs, and the ``export`` subcommand."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np
import pytest

from missions.__main__ import main
from missions.analysis import MissionResult, compute_mission
from missions.export.csv import legs_csv
from missions.export.geojson import mission_geojson
from missions.parsing import load_mission, parse_mission
from missions.units import M_PER_NM

CATALOG = Path(__file__).resolve().parents[1] / "missions" / "catalog"
TU160 = CATALOG / "tu160-2015-11-20.yaml"
PACIFIC_MISSION = """
name: Trans-Pacific ferry
sorties:
  - name: Pacific crossing
    aircraft: Tu-95MS
    takeoff: 2020-06-01T00:00:00Z
    speed: 750 km/h
    route: [Petropavlovsk-Kamchatsky, Anchorage, Petropavlovsk-Kamchatsky]
"""


@pytest.fixture(scope="module")
def tu160() -> MissionResult:
    return compute_mission(load_mission(TU160))


@pytest.fixture(scope="module")
def pacific() -> MissionResult:
    return compute_mission(parse_mission(PACIFIC_MISSION, file="pacific.yaml"))


def _positions(geometry: dict) -> np.ndarray:
    coords = geometry["coordinates"]
    depth = {"Point": 0, "LineString": 1, "MultiLineString": 2}[geometry["type"]]
    flat = [coords] if depth == 0 else coords if depth == 1 else [p for part in coords for p in part]
    return np.asarray(flat, dtype=float)


def _check_rfc7946(doc: dict) -> None:
    """The parts of RFC 7946 a writer can get wrong: structure, lon/lat ranges, no NaN, UTC times."""
    assert doc["type"] == "FeatureCollection"
    json.dumps(doc, allow_nan=False)  # §: numbers only, no NaN/Infinity
    assert doc["features"]
    for f in doc["features"]:
        assert f["type"] == "Feature" and set(f) == {"type", "geometry", "properties"}
        xy = _positions(f["geometry"])
        assert xy.ndim == 2 and xy.shape[1] == 2
        assert np.all(np.abs(xy[:, 0]) <= 180.0) and np.all(np.abs(xy[:, 1]) <= 90.0)
        if f["geometry"]["type"] != "Point":
            parts = f["geometry"]["coordinates"]
            for part in parts if f["geometry"]["type"] == "MultiLineString" else [parts]:
                assert len(part) >= 2
                # no segment jumps across the map (each part is drawn as is by any GeoJSON reader)
                assert np.abs(np.diff(np.asarray(part)[:, 0])).max() < 90.0
        for key in ("takeoff", "landing", "arrival", "departure", "launch", "impact"):
            if key in f["properties"]:
                assert f["properties"][key].endswith("Z")


def test_mission_geojson__rfc7946_tu160(tu160):
    doc = mission_geojson(tu160)
    _check_rfc7946(doc)
    kinds = [f["properties"]["kind"] for f in doc["features"]]
    assert kinds.count("route") == len(tu160.sorties)
    assert kinds.count("waypoint") == sum(len(s.sortie.route) for s in tu160.sorties)
    assert kinds.count("weapon") == len(tu160.weapons)
    route = doc["features"][0]
    assert route["geometry"]["type"] == "LineString"  # no antimeridian crossing
    assert route["properties"]["sortie"] == "Blackjack pair"
    assert route["properties"]["distance_m"] == pytest.approx(tu160.sorties[0].distance_m)
    first = next(f for f in doc["features"] if f["properties"]["kind"] == "waypoint")
    lon, lat = first["geometry"]["coordinates"]  # lon, lat order
    olenya = tu160.sorties[0].sortie.route[0].point
    assert (lat, lon) == pytest.approx((olenya.lat_deg, olenya.lon_deg), abs=1e-6)
    assert doc["mission"]["name"] == tu160.mission.name


def test_mission_geojson__antimeridian_split_gives_multilinestring(pacific):
    doc = mission_geojson(pacific)
    _check_rfc7946(doc)
    route = next(f for f in doc["features"] if f["properties"]["kind"] == "route")
    geom = route["geometry"]
    assert geom["type"] == "MultiLineString"
    assert len(geom["coordinates"]) == 3  # out and back: crosses twice
    for a, b in zip(geom["coordinates"], geom["coordinates"][1:], strict=False):
        end, start = a[-1], b[0]
        assert abs(end[0]) == pytest.approx(180.0) and abs(start[0]) == pytest.approx(180.0)
        assert end[0] == -start[0] and end[1] == pytest.approx(start[1])  # the same point on the date line
    anchorage = next(
        f for f in doc["features"] if f["properties"]["kind"] == "waypoint" and f["properties"]["index"] == 1
    )
    assert -151 < anchorage["geometry"]["coordinates"][0] < -149  # wrapped back into [-180, 180]


def test_legs_csv__one_row_per_leg(tu160):
    rows = list(csv.DictReader(io.StringIO(legs_csv(tu160, "km"))))
    assert len(rows) == sum(len(s.legs) for s in tu160.sorties)
    first = rows[0]
    leg = tu160.sorties[0].legs[0]
    assert first["sortie"] == "Blackjack pair" and first["leg"] == "1"
    assert float(first["distance_km"]) == pytest.approx(leg.distance_m / 1000, abs=1e-3)
    assert float(rows[len(tu160.sorties[0].legs) - 1]["cumulative_km"]) == pytest.approx(
        tu160.sorties[0].distance_m / 1000, abs=1e-3
    )
    assert first["departure_utc"].endswith("Z")


def test_legs_csv__units(tu160):
    rows = list(csv.DictReader(io.StringIO(legs_csv(tu160, "nm"))))
    assert float(rows[0]["distance_nm"]) == pytest.approx(tu160.sorties[0].legs[0].distance_m / M_PER_NM, abs=1e-3)
    with pytest.raises(ValueError):
        legs_csv(tu160, "furlongs")


@pytest.mark.parametrize(
    ("units", "column", "kmh_per_unit"),
    [("km", "speed_kmh", 1.0), ("nm", "speed_kn", 1.852), ("mi", "speed_mph", 1.609344)],
)
def test_legs_csv__speed_in_the_chosen_unit(tu160, units, column, kmh_per_unit):
    """One unit choice reaches the speed column too: knots with NM, mph with miles (was km/h whatever the units)."""
    rows = list(csv.DictReader(io.StringIO(legs_csv(tu160, units))))
    assert [c for c in rows[0] if c.startswith("speed_")] == [column]
    leg = tu160.sorties[0].legs[0]
    assert float(rows[0][column]) == pytest.approx(leg.speed_kmh / kmh_per_unit, abs=0.06)


def test_legs_csv__formulas_made_inert():
    text = PACIFIC_MISSION.replace("name: Pacific crossing", "name: '=HYPERLINK(\"http://x\")'")
    rows = list(csv.DictReader(io.StringIO(legs_csv(compute_mission(parse_mission(text, file="f.yaml"))))))
    assert rows[0]["sortie"].startswith("'=")


def test_cli__export_geojson_and_csv(tmp_path, capsys, tu160):
    out = tmp_path / "m.geojson"
    assert main(["export", str(TU160), "--format", "geojson", "-o", str(out)]) == 0
    _check_rfc7946(json.loads(out.read_text(encoding="utf-8")))
    assert main(["export", str(TU160), "--format", "csv", "--units", "mi"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].startswith("sortie,aircraft,leg") and "distance_mi" in lines[0]
    assert len(lines) == 1 + sum(len(s.legs) for s in tu160.sorties)


def test_cli__export_errors_are_one_line(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nsorties:\n  - name: a\n    aircraft: Tu-160\n", encoding="utf-8")
    assert main(["export", str(bad), "--format", "geojson"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error:") and err.count("\n") == 1 and "Traceback" not in err
