"""missions.render.map and missions.export.html: facts about the rendered map, and the page in Chromium."""

from __future__ import annotations

import json
import re
from pathlib import Path

import folium
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from missions import geodesy
from missions.__main__ import main
from missions.analysis import MissionResult, compute_mission
from missions.export.html import map_html
from missions.parsing import load_mission, parse_mission
from missions.render import common as render_common
from missions.render import elements as render_elements
from missions.render import map as render_map
from missions.render import records as render_records
from missions.render.map import build_map, decode_polyline, encode_polyline
from missions.render.offline import external_urls

CATALOG = Path(__file__).resolve().parents[1] / "missions" / "catalog"
TU160 = CATALOG / "tu160-2015-11-20.yaml"
MAX_PAGE_BYTES = 4_000_000
XSS = "<img src=x onerror=alert(1)>"
XSS_ESCAPED = "&lt;img src=x onerror=alert(1)&gt;"

XSS_MISSION = f"""
name: "{XSS}"
date: "2020-01-01"
description: "{XSS}"
sources:
  - title: "{XSS}"
    url: "javascript:alert(1)"
  - title: evil link
    url: 'https://example.org/?q="><img src=x onerror=alert(1)>'
sorties:
  - name: "{XSS}"
    aircraft: Tu-160
    takeoff: 2020-01-01T00:00:00Z
    speed: 850 km/h
    source: '{XSS} https://example.org/x"onmouseover=alert(1)'
    route:
      - {{lat: 51.48, lon: 46.2, name: "{XSS}", source: "{XSS}", note: "{XSS}"}}
      - lat: 45.0
        lon: 40.0
        name: "<script>alert(1)</script>"
        refuel: {{tanker: "{XSS}", duration: 20 min, source: "{XSS}"}}
      - lat: 36.0
        lon: 35.5
        name: "{XSS}"
        launch: {{weapon: Kh-555, count: 2, targets: [Aleppo], source: "{XSS}"}}
      - {{lat: 51.48, lon: 46.2, name: "{XSS}"}}
"""

PACIFIC_MISSION = """
name: Trans-Pacific ferry
sorties:
  - name: Pacific crossing
    aircraft: Tu-95MS
    takeoff: 2020-06-01T00:00:00Z
    speed: 750 km/h
    route: [Petropavlovsk-Kamchatsky, Anchorage]
"""


@pytest.fixture(scope="module")
def tu160() -> MissionResult:
    return compute_mission(load_mission(TU160))


@pytest.fixture(scope="module")
def tu160_page(tu160: MissionResult) -> str:
    return map_html(tu160)


@pytest.fixture(scope="module")
def xss() -> MissionResult:
    return compute_mission(parse_mission(XSS_MISSION, file="xss.yaml"))


@pytest.fixture(scope="module")
def pacific() -> MissionResult:
    return compute_mission(parse_mission(PACIFIC_MISSION, file="pacific.yaml"))


def _children(m: folium.Map, kind: type) -> list:
    return [child for child in m._children.values() if isinstance(child, kind)]


def _data(m: folium.Map) -> dict:
    """The embedded mission data (routes, weapons, markers, rings) of a built map."""
    (layers,) = _children(m, render_elements._MissionLayers)
    return json.loads(layers.data_json)  # "<\/" and "\u007b" are JSON escapes too


def test_build_map__bounds_fit_the_mission(tu160):
    m = build_map(tu160)
    (fit,) = _children(m, render_elements._FitView)
    (south, west), (north, east) = json.loads(fit.bounds_json)
    points = [wp.point for s in tu160.sorties for wp in s.sortie.route] + [t.target for t in tu160.weapons]
    lats = [p.lat_deg for p in points]
    lons = [p.lon_deg for p in points]
    tol = 1e-6
    assert south <= min(lats) + tol and north >= max(lats) - tol
    assert west <= min(lons) + tol and east >= max(lons) - tol
    # tight: the geodesics bulge a little beyond the waypoints, never by more than a few degrees
    assert min(lats) - south < 3 and north - max(lats) < 3
    assert min(lons) - west < 3 and east - max(lons) < 3


def test_build_map__a_layer_per_sortie_and_one_for_weapons(tu160):
    m = build_map(tu160, rings=True)
    groups = _children(m, folium.FeatureGroup)
    names = [g.layer_name for g in groups]
    for s in tu160.sorties:
        assert sum(name.endswith(s.sortie.name) for name in names) == 1
    assert sum(name.endswith("Weapons") for name in names) == 1
    assert sum(name.endswith("Range rings") for name in names) == 1
    assert len(groups) == len(tu160.sorties) + 2
    assert len(_children(m, folium.LayerControl)) == 1
    html = m.get_root().render()
    control = re.search(r"_layers = \{(.*?)\};", html, re.S).group(1)
    for g in groups:
        assert g.get_name() in control
    assert "Natural Earth (offline)" in control


def test_build_map__one_geojson_layer_per_kind_routes_from_the_core(tu160):
    m = build_map(tu160)
    data = _data(m)
    assert [r["group"] for r in data["sorties"]] == list(range(len(tu160.sorties)))
    assert len(data["weapons"]) == len(tu160.weapons)
    assert all(r["group"] == len(tu160.sorties) for r in data["weapons"])
    for s, record in zip(tu160.sorties, data["sorties"], strict=True):
        drawn = np.array(decode_polyline(record["line"]))
        core = np.asarray(s.line.coords)
        assert len(drawn) == len(core)  # the core's densified line, vertex for vertex
        assert np.abs(drawn - core).max() <= 0.5e-5 + 1e-9  # rounded to 5 decimals (~1 m)
    html = m.get_root().render()
    # no folium element per feature: one L.geoJSON per kind (routes, tracks, markers, rings) in one function
    assert "L.polyline(" not in html
    assert "MissionMap.layers(" in html and "MissionMap.basemap(" in html
    # the page's JavaScript lives in assets/js and reaches the page once, as a data: URI
    assert "L.geoJSON(" not in html and html.count(render_elements._mission_js_uri()) == 1


@given(
    st.lists(
        st.tuples(st.floats(-540.0, 540.0), st.floats(-90.0, 90.0)),
        min_size=1,
        max_size=50,
    )
)
@settings(max_examples=200, deadline=None)
def test_encode_polyline__round_trip_to_5_decimals(points):
    decoded = np.array(decode_polyline(encode_polyline(points)))
    assert decoded.shape == (len(points), 2)
    assert np.abs(decoded - np.array(points)).max() <= 0.5e-5 + 1e-9


def test_encode_polyline__jinja_and_html_safe_in_the_page(tu160):
    """Encoded lines hold '{', '}' and '\\': in the page they must reach JavaScript intact."""
    m = build_map(tu160)
    (layers,) = _children(m, render_elements._MissionLayers)
    assert "{{" not in layers.data_json and "{%" not in layers.data_json and "{#" not in layers.data_json
    assert "</" not in layers.data_json
    html = m.get_root().render()
    assert layers.data_json in html  # rendered twice by folium (Jinja), unchanged


def test_build_map__markers_of_every_kind_with_times_and_distances(tu160):
    data = _data(build_map(tu160, units="nm"))
    kinds = {k for r in data["sorties"] for k in r["waypoints"]["kind"]}
    assert {render_records._WAYPOINT, render_records._BASE, render_records._REFUEL, render_records._LAUNCH} <= kinds
    bombers = data["sorties"][0]
    wp = bombers["waypoints"]
    # Olenya is both ends of the bombers' route: one base marker whose popup gives both visits
    assert wp["kind"][0] == render_records._BASE and wp["visits"] == {"0": [0, len(wp["name"]) - 1]}
    assert wp["kind"][-1] == render_records._NO_MARKER
    strings = data["strings"]
    refuel = wp["kind"].index(render_records._REFUEL)
    assert strings[wp["name"][refuel]] == "Norwegian Sea" and "Il-78M" in strings[wp["events"][refuel]]
    assert all(d.endswith(" NM") for d in bombers["legs"]["distance"] + bombers["legs"]["cumulative"])
    n = len(wp["name"])
    assert len(bombers["arrival_s"]) == len(bombers["departure_s"]) == len(bombers["waypoint_vertex"]) == n
    assert bombers["departure_s"][2] - bombers["arrival_s"][2] == 30 * 60  # 30 min refuelling at the Norwegian Sea
    targets = [strings[w["target"]] for w in data["weapons"]]
    assert targets and all(t in ("Idlib", "Aleppo") for t in targets)


def test_build_map__vertex_times_from_python_geodesy(tu160):
    """Each vertex's time: departure plus the geodesic distance flown at the leg's speed (the page interpolates)."""
    data = _data(build_map(tu160))
    t0 = tu160.start_time
    for s, record in zip(tu160.sorties, data["sorties"], strict=True):
        times = np.array(decode_polyline(record["vertex_time"], decimals=0))[:, 0]
        coords = np.array(decode_polyline(record["line"]))
        assert len(times) == len(coords) and np.all(np.diff(times) >= 0)
        for k, leg in enumerate(s.legs):
            a, b = record["waypoint_vertex"][k], record["waypoint_vertex"][k + 1]
            start_s, end_s = (leg.start_time - t0).total_seconds(), (leg.end_time - t0).total_seconds()
            assert times[a] == pytest.approx(start_s, abs=1)  # a waypoint's vertex: the departure
            assert record["arrival_s"][k + 1] == pytest.approx(end_s, abs=1)
            # halfway along the leg (by geodesic distance) is halfway in time
            along = np.concatenate(
                [[0.0], np.cumsum(geodesy.leg_distances_m(coords[a : b + 1, 1], coords[a : b + 1, 0]))]
            )
            mid = a + int(np.searchsorted(along, along[-1] / 2))
            if mid == b:  # a leg drawn as one segment has no inner vertex
                continue
            expected = start_s + along[mid - a] / along[-1] * (end_s - start_s)
            assert times[mid] == pytest.approx(expected, abs=1 + 1e-4 * (end_s - start_s))
    for record in data["weapons"]:
        times = np.array(decode_polyline(record["vertex_time"], decimals=0))[:, 0]
        assert times[0] == record["launch_s"] and times[-1] == pytest.approx(record["impact_s"], abs=1)


def test_build_map__rings_are_geodesic(tu160):
    data = _data(build_map(tu160, rings=True))
    # one Kh-555 ring (one launch point), one per (aircraft, base): Tu-160 at Olenya, Su-30SM at Hmeimim
    assert len(data["rings"]) == 3
    kh555 = np.array(decode_polyline(data["rings"][0]["line"]))
    origin = tu160.weapons[0].origin
    distances = geodesy.inverse(origin.lat_deg, origin.lon_deg, kh555[:, 1], kh555[:, 0]).distance_m
    assert np.ptp(distances) < 10.0  # every vertex at the same geodesic distance (to ~1 m rounding)
    assert _data(build_map(tu160))["rings"] == []


def test_build_map__unknown_weapon_gets_no_ring():
    text = XSS_MISSION.replace("{weapon: Kh-555,", "{weapon: Zircon-X, speed: Mach 5,")
    assert "Zircon-X" in text
    result = compute_mission(parse_mission(text, file="x.yaml"))
    assert len(_data(build_map(result, rings=True))["rings"]) == 1  # the Tu-160's radius only


def test_build_map__antimeridian_route_is_continuous(pacific):
    data = _data(build_map(pacific))
    (route,) = data["sorties"]
    coords = np.array(decode_polyline(route["line"]))
    assert np.abs(np.diff(coords[:, 0])).max() < 5.0
    assert coords[:, 0].max() > 180.0  # unwrapped: Anchorage at about 210°, not -150°
    # markers sit on the unwrapped line, at the waypoints
    for i, wp in enumerate(pacific.sorties[0].sortie.route):
        lon, lat = coords[route["waypoint_vertex"][i]]
        assert lat == pytest.approx(wp.point.lat_deg, abs=1e-5)
        assert (lon - wp.point.lon_deg) % 360.0 == pytest.approx(0.0, abs=1e-5)
    (fit,) = _children(build_map(pacific), render_elements._FitView)
    bounds = json.loads(fit.bounds_json)
    assert bounds[1][1] - bounds[0][1] < 80  # the Pacific, not the whole world


def test_build_map__options_are_checked(tu160):
    with pytest.raises(ValueError, match="units"):
        build_map(tu160, units="furlongs")
    with pytest.raises(ValueError, match="tiles"):
        build_map(tu160, tiles="google")


@pytest.mark.parametrize("tiles", ["osm", "esri", "carto"])
def test_build_map__online_tiles_are_extra_base_layers(tu160, tiles):
    m = build_map(tu160, tiles=tiles)
    (tile,) = _children(m, folium.TileLayer)
    assert tile.show and not tile.overlay
    (basemap,) = _children(m, render_elements._Basemap)
    assert not basemap.show and not basemap.overlay


def test_build_map__controls(tu160):
    html = build_map(tu160).get_root().render()
    assert "L.control.scale(" in html
    assert "L.Control.Measure(" in html and '"nauticalmiles"' in html and '"primaryLengthUnit": "kilometers"' in html
    assert "L.control.fullscreen(" in html
    assert "MissionMap.clock(" in html and "moment.utc(" in render_elements.mission_js()
    assert "MissionMap.fitView(" in html


def test_map_html__no_external_resources(tu160_page):
    assert external_urls(tu160_page) == []
    assert not re.search(r"<script[^>]+src=[\"']?(https?:)?//", tu160_page, re.I)
    assert not re.search(r"<link[^>]+href=[\"']?(https?:)?//", tu160_page, re.I)


def test_map_html__tu160_file_under_4_mb(tu160_page, capsys):
    size = len(tu160_page.encode("utf-8"))
    with capsys.disabled():
        print(f"\nTu-160 map page: {size:,} bytes ({size / 1e6:.2f} MB)")
    assert size < MAX_PAGE_BYTES


def test_map_html__xss_payload_escaped_everywhere(xss):
    page = map_html(xss, rings=True)
    assert XSS not in page
    assert "<script>alert(1)" not in page
    assert not re.search(r"href=\\?[\"']?\s*javascript:", page, re.I)
    m = build_map(xss, rings=True)
    (legend,) = _children(m, render_elements._Legend)
    html_strings = [
        *_data(m)["strings"],
        json.loads(legend.html_json),
        *(g.layer_name for g in _children(m, folium.FeatureGroup)),
    ]
    for text in html_strings:  # the HTML the page will insert: no event handler in any tag
        assert not re.search(r"<[^<>]*\b(onerror|onmouseover)\s*=", text, re.I), text
    # each field is there, escaped: mission name (title, legend), sortie (layer control, legend), waypoint
    # names, note, sources
    assert f"<title>{XSS_ESCAPED}</title>" in page
    strings = _data(build_map(xss))["strings"]
    assert XSS_ESCAPED in strings  # names and the note
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in strings
    assert any(s.startswith(f"refuelling from {XSS_ESCAPED}") for s in strings)
    # https addresses are links, other schemes are text
    assert '<a href="https://example.org/x"' in page.replace('\\"', '"')


def test_map_html__template_syntax_in_names_is_text():
    """folium renders each script twice through Jinja: '{{ }}' in a name must never be evaluated."""
    text = XSS_MISSION.replace(XSS, "{{ 7*7 }}{% if true %}X{% endif %}{#")
    page = map_html(compute_mission(parse_mission(text, file="jinja.yaml")))
    assert "<title>&#123;&#123; 7*7 &#125;&#125;&#123;% if true %&#125;X&#123;% endif %&#125;&#123;#</title>" in page
    assert "{{ 7*7 }}" not in page and "{%" not in page.split("<body>")[1]


def test_cli__map_writes_a_self_contained_page(tmp_path, capsys):
    out = tmp_path / "tu160.html"
    assert main(["map", str(TU160), "-o", str(out), "--units", "nm", "--rings"]) == 0
    page = out.read_text(encoding="utf-8")
    assert external_urls(page) == [] and "Tu-160 strike" in page
    assert "MB" in capsys.readouterr().err


def test_cli__map_errors_are_one_line(tmp_path, capsys):
    assert main(["map", str(tmp_path / "missing.yaml"), "-o", str(tmp_path / "x.html")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error:") and err.count("\n") == 1 and "Traceback" not in err
    assert main(["map", str(TU160), "-o", str(tmp_path / "no" / "dir" / "x.html")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error:") and err.count("\n") == 1


# --------------------------------------------------------------------------------------------
# In Chromium, with every request that is not file: or data: aborted
# --------------------------------------------------------------------------------------------

_OPEN_EVERY_POPUP = """() => {
    const map = window[Object.keys(window).find(k => /^map_[0-9a-f]+$/.test(k))];
    const texts = [];
    const visit = layer => {
        if (layer.getPopup && layer.getPopup()) {
            layer.openPopup();
            const element = layer.getPopup().getElement();
            if (element) { texts.push(element.innerText); }
        }
        if (layer.getTooltip && layer.getTooltip()) { layer.openTooltip(); }
        if (layer.eachLayer) { layer.eachLayer(visit); }
    };
    map.eachLayer(visit);
    return texts;
}"""


_SET_CLOCK = """(ms) => {
    const map = window[Object.keys(window).find(k => /^map_[0-9a-f]+$/.test(k))];
    const times = map.timeDimension.getAvailableTimes();
    const i = times.findIndex(t => t >= ms);
    map.timeDimension.setCurrentTimeIndex(i < 0 ? times.length - 1 : i);
    return times.length;
}"""


@pytest.mark.browser
def test_map_html__tu160_draws_offline_in_chromium(
    browser_page, open_offline, tmp_path, artifacts_dir, tu160, tu160_page
):
    path = tmp_path / "tu160.html"
    path.write_text(tu160_page, encoding="utf-8")
    dialogs: list[str] = []
    browser_page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    log = open_offline(browser_page, path.as_uri())
    from playwright.sync_api import expect

    browser_page.wait_for_selector(".leaflet-container path.leaflet-interactive", timeout=15_000)
    browser_page.wait_for_function("() => window.MissionMap && window.MissionMap.fitted")
    paths = browser_page.locator("path.leaflet-interactive").count()
    # routes, weapon tracks and waypoint circles are SVG paths
    n_waypoints = sum(len(s.sortie.route) for s in tu160.sorties)
    assert paths >= len(tu160.sorties) + len(tu160.weapons) + n_waypoints // 2
    # a layer per sortie, the weapons, the waypoint names and the place names
    assert browser_page.locator(".leaflet-control-layers-overlays label").count() == len(tu160.sorties) + 3
    assert "UTC" in browser_page.locator(".timecontrol-date").inner_text()
    assert browser_page.locator(".msn-legend").inner_text().startswith("Tu-160 strike")
    # direction arrows along the lines longer than one arrow on screen (the escort's is ~40 px here)
    arrows = browser_page.locator("textPath").all_text_contents()
    assert arrows and all("\u25ba" in text for text in arrows), arrows
    # the land is drawn: basemap paths exist and are not interactive
    assert browser_page.locator(".leaflet-msn-basemap-pane path").count() > 100
    # the clock: regular steps over the whole mission; 5 h after takeoff the bombers are off Portugal
    bombers = tu160.sorties[0]
    steps = browser_page.evaluate(_SET_CLOCK, bombers.takeoff_time.timestamp() * 1000 + 5 * 3600_000)
    assert steps > 50
    expect(browser_page.locator(".timecontrol-date")).to_have_text(re.compile(r"^2015-11-19 23:00"))
    only_bombers = browser_page.locator("path.leaflet-interactive").count()
    # at 05:00 the escort is up and the missiles are flying: two trails and points each more
    browser_page.evaluate(_SET_CLOCK, tu160.weapons[0].launch_time.timestamp() * 1000 + 15 * 60_000)
    expect(browser_page.locator("path.leaflet-interactive")).to_have_count(only_bombers + 3 * 2)
    browser_page.evaluate(_SET_CLOCK, bombers.takeoff_time.timestamp() * 1000 + 5 * 3600_000)
    expect(browser_page.locator("path.leaflet-interactive")).to_have_count(only_bombers)
    browser_page.screenshot(path=str(artifacts_dir / "render_map_tu160.png"))
    assert log.aborted == []
    assert log.errors == []
    assert dialogs == []


@pytest.mark.browser
def test_map_html__xss_mission_runs_nothing_in_chromium(browser_page, open_offline, tmp_path, xss):
    path = tmp_path / "xss.html"
    path.write_text(map_html(xss, rings=True), encoding="utf-8")
    dialogs: list[str] = []
    browser_page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    log = open_offline(browser_page, path.as_uri())
    browser_page.wait_for_selector(".leaflet-container path.leaflet-interactive", timeout=15_000)
    popups = browser_page.evaluate(_OPEN_EVERY_POPUP)  # every popup's HTML inserted once
    assert len(popups) >= 8
    # the payload shows as text where it was written
    assert any(f"Note\t{XSS}" in text for text in popups)
    assert any(text.startswith(XSS) and "Source\t" + XSS in text for text in popups)
    assert any("<script>alert(1)</script>" in text for text in popups)
    assert any(f"refuelling from {XSS}" in text for text in popups)
    browser_page.hover(".leaflet-control-layers")
    browser_page.click(".msn-legend .msn-sources summary")
    browser_page.wait_for_selector(".msn-legend .msn-sources[open]")
    assert browser_page.title() == XSS
    assert XSS in browser_page.locator(".msn-legend").inner_text()
    assert browser_page.locator("img[src='x']").count() == 0
    assert dialogs == []
    assert log.aborted == [] and log.errors == []


def test_build_map__overflight_highlights_countries(tu160):
    class Crossing:  # what missions.overflight gives: an iso3 per stretch, None over international waters
        def __init__(self, iso3):
            self.iso3 = iso3

    m = build_map(tu160, overflight=["NOR", Crossing("SYR"), Crossing(None), "NOR"])
    (basemap,) = _children(m, render_elements._Basemap)
    assert json.loads(basemap.overflight_json) == ["NOR", "SYR"]
    (plain,) = _children(build_map(tu160), render_elements._Basemap)
    assert json.loads(plain.overflight_json) == []


def test_build_map__legend_counts_each_launch_once():
    """A launch of 26 missiles at 3 targets is 3 tracks and 26 weapons, not 78."""
    kalibr = compute_mission(load_mission(CATALOG / "kalibr-caspian-2015-10-07.yaml"))
    (legend,) = _children(build_map(kalibr), render_elements._Legend)
    text = json.loads(legend.html_json)
    launches = {id(t.launch): t.count for t in kalibr.weapons}
    assert f"weapon tracks ({len(kalibr.weapons)}; {sum(launches.values())} weapons)" in text


def test_basemap__encoded_losslessly():
    """The page's basemap decodes to the embedded Natural Earth coordinates exactly (1e-3° grid)."""
    from geodata.countries import basemap_geojson

    packed = json.loads(render_elements._basemap_json())
    features = basemap_geojson()["features"]
    assert [c[0] for c in packed] == [f["properties"]["iso3"] for f in features]
    for (_, polygons), f in zip(packed, features, strict=True):
        g = f["geometry"]
        expected = g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
        for rings, rings_expected in zip(polygons, expected, strict=True):
            for ring, ring_expected in zip(rings, rings_expected, strict=True):
                decoded = np.array(decode_polyline(ring, render_common._BASEMAP_DECIMALS))
                assert np.abs(decoded - np.array(ring_expected)).max() < 1e-9


def test_build_map__many_sorties_share_a_layer_per_aircraft():
    n = render_map.MAX_SORTIE_LAYERS + 5
    lines = ["name: Many sorties", "sorties:"]
    for i in range(n):
        aircraft = "Tu-160" if i % 2 else "Tu-95MS"
        lines += [
            f"  - name: S{i}",
            f"    aircraft: {aircraft}",
            "    takeoff: 2020-01-01T00:00:00Z",
            "    speed: 800 km/h",
            f"    route: ['50, {i % 40}', '55, {i % 40 + 5}', '50, {i % 40}']",
        ]
    result = compute_mission(parse_mission("\n".join(lines), file="many.yaml"))
    m = build_map(result)
    names = [g.layer_name for g in _children(m, folium.FeatureGroup)]
    assert len(names) == 2  # one per aircraft type (no weapons: no Weapons layer)
    assert any(name.endswith(f"Tu-160 ({n // 2:,} sorties)") for name in names)
    data = _data(m)
    assert {r["group"] for r in data["sorties"]} == {0, 1}


def test_build_map__feasibility_layer_baskets_ring_and_findings(tu160):
    from missions.feasibility import assess

    feas = assess(tu160)
    m = build_map(tu160, feasibility=feas)
    data = _data(m)
    strings = data["strings"]
    tips = [strings[a["tooltip"]] for a in data["areas"]]
    # one launch basket per (weapon, target), plus the remaining-range ring where the range runs out
    assert sorted(t for t in tips if "launch basket" in t) == [
        "Kh-555 → Aleppo: launch basket",
        "Kh-555 → Idlib: launch basket",
    ]
    assert any("range left at Volgograd" in t for t in tips)
    (finding,) = data["findings"]
    tanker = feas.sortie("Blackjack pair").tanker_point
    assert finding["position"] == [round(tanker.lon_deg, 5), round(tanker.lat_deg, 5)]
    assert "a tanker must meet it" in strings[finding["popup"]]
    # the basket is the geodesic disc of the Kh-555's longest range around the target
    basket = next(a for a in data["areas"] if strings[a["tooltip"]].startswith("Kh-555 → Idlib"))
    ring = np.array(decode_polyline(basket["polygons"][0][0]))
    idlib = next(t.target for t in tu160.weapons if t.target.name == "Idlib")
    dist = geodesy.inverse(idlib.lat_deg, idlib.lon_deg, ring[:, 1], ring[:, 0]).distance_m
    assert np.allclose(dist, 2_500_000, rtol=1e-4)
    names = [child.layer_name for child in m._children.values() if hasattr(child, "layer_name")]
    assert any(name.endswith("Feasibility") for name in names)


def test_build_map__countries_overflown_with_times(tu160):
    from missions.airspace import mission_airspace

    data = _data(build_map(tu160, airspace=mission_airspace(tu160)))
    strings = data["strings"]
    tips = {strings[a["tooltip"]].split("<br>")[0]: strings[a["tooltip"]] for a in data["areas"]}
    assert {"Syria (SYR)", "Iraq (IRQ)", "Iran (IRN)", "Russia (RUS)"} <= set(tips)
    assert not {"Norway (NOR)", "United Kingdom (GBR)"} & set(tips)
    assert "Spain (ESP)" in tips  # sovereign airspace (the default): Spain's sea off Cape Trafalgar
    # each passage: who, how far, and when (entry–exit UTC)
    assert re.search(r"Blackjack pair: [\d,]+ km, 20 Nov \d\d:\d\d–\d\d:\d\d UTC", tips["Iran (IRN)"])


def test_build_map__xss_in_airspace_and_findings_layers(xss):
    from missions.airspace import mission_airspace
    from missions.feasibility import assess

    data = _data(build_map(xss, feasibility=assess(xss), airspace=mission_airspace(xss)))
    for text in data["strings"]:
        assert "<img src=x" not in text and "<script>" not in text
    assert any(XSS_ESCAPED in text for text in data["strings"])


def test_build_map__remaining_range_ring_at_a_chosen_waypoint(tu160):
    from missions.feasibility import assess

    feas = assess(tu160)
    data = _data(build_map(tu160, feasibility=feas, range_rings_at=[("Blackjack pair", 3), ("Nobody", 0)]))
    strings = data["strings"]
    ring = next(a for a in data["areas"] if strings[a["tooltip"]] == "Blackjack pair: range left at West of the Faroes")
    coords = np.array(decode_polyline(ring["polygons"][0][0]))
    wp = tu160.sortie("Blackjack pair").sortie.route[3].point
    dist = geodesy.inverse(wp.lat_deg, wp.lon_deg, coords[:, 1], coords[:, 0]).distance_m
    visible = np.abs(coords[:, 1]) < 84.9  # the drawing clips latitudes at Web Mercator's limit
    expected = feas.sortie("Blackjack pair").remaining_departure_m[3]
    assert np.allclose(dist[visible], expected, rtol=1e-4)
