"""The dashboard end to end: the README's ``streamlit run app.py``, driven by Debian's chromium.

One server (``app_server`` in conftest, started with the README's command and nothing else) and one
browser serve the whole session; each test opens its own page. Every request that is not to
127.0.0.1 (or data:/blob:) is aborted and recorded (``conftest.open_offline``): the page must not
need any. Tests wait for conditions (texts, elements, attributes), never for fixed times, and
click elements, never pixel offsets.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

from benchmarks.bench_app_browser import click_open_map
from geodata.labels import place_labels
from missions.analysis import MissionResult, compute_mission
from missions.dashboard.frames import DEFAULT_MISSION, catalog_missions, metrics
from missions.dashboard.view import catalogue_titles
from missions.geodesy import GEOD
from missions.parsing import load_mission, parse_mission
from missions.render.offline import external_urls
from tests.page_boxes import BOXES_IN_ELEMENT_JS, CONTROLS, SIZES, covered_paths
from tests.streamlit_page import settled as _settled
from tests.track_upload_page import upload_compares_and_draws_the_track

pytestmark = pytest.mark.browser

PAGE_TIMEOUT_MS = 60_000
#: the mounted map (missions.dashboard.map): one iframe for the whole session
MAP_FRAME = 'iframe[title="missions.dashboard.map.mission_map"]'
METRIC_VALUE = '[data-testid="stMetricValue"]'
COMMENTED = """\
# A commented mission: the comments must survive an edit round trip
name: Commented mission
sorties:
  - name: Pair
    aircraft: Tu-160
    takeoff: 2015-11-20T03:00:00Z
    speed: 900 km/h   # the cruise, as reported
    route:
      - Olenya
      # the turn, as the ministry showed it
      - Norwegian Sea
      - Olenya
"""
BROKEN_UPLOAD = (
    b"name: Broken\nsorties:\n  - name: A\n    aircraft: Tu-160\n    takeoff: 2015-11-20T03:00:00Z\n"
    b"    speed: 900 km/h\n    route: [Olenya, Lost city of Atlantis]\n"  # no gazetteer has it
)


@pytest.fixture(scope="module")
def default_mission() -> MissionResult:
    """The mission the page opens with, as the core computes it."""
    return compute_mission(load_mission(catalog_missions()[DEFAULT_MISSION]))


@pytest.fixture(scope="module")
def total_distance(default_mission: MissionResult) -> str:
    """The "Total distance" card of the default mission, in km."""
    return metrics(default_mission, "km")[0].value


def _open(page: Any, open_offline: Any, url: str) -> Any:
    log = open_offline(page, url, timeout_ms=PAGE_TIMEOUT_MS)
    page.wait_for_selector(METRIC_VALUE, timeout=PAGE_TIMEOUT_MS)
    return log


def _frame(page: Any) -> Any:
    """The map's iframe (mounted once per page; the newest one should a rerun ever replace it)."""
    return page.frame_locator(f"{MAP_FRAME} >> nth=-1")


def _fitted_map(page: Any) -> Any:
    """The map once drawn and fitted to the mission (MissionMap.fitView marks its container)."""
    fitted = _frame(page).locator(".leaflet-container[data-fitted]")
    fitted.wait_for(timeout=PAGE_TIMEOUT_MS)
    return fitted


def _total_distance(page: Any) -> Any:
    return page.locator(METRIC_VALUE).first


def _source(page: Any, name: str) -> Any:
    """A choice of the sidebar's mission source (the sidebar has other "Upload" texts: the track upload's)."""
    return page.get_by_test_id("stSidebar").get_by_role("radiogroup", name="Source").get_by_text(name, exact=True)


def _download(page: Any, label: str) -> str:
    _settled(page)
    button = page.get_by_role("button", name=label)
    button.scroll_into_view_if_needed()
    with page.expect_download(timeout=PAGE_TIMEOUT_MS) as download:
        button.click()
    return Path(download.value.path()).read_text(encoding="utf-8")


def test_app_browser__readme_command_draws_downloads_takes_a_click_and_survives_a_broken_upload(
    browser_page: Any, open_offline: Any, app_server: str, artifacts_dir: Path, total_distance: str
) -> None:
    """The README's command: the map, the cards and the help, and no request beyond 127.0.0.1; then every
    download but the figures, each a valid file: YAML, HTML map, GeoJSON, CSV, and KML, KMZ and GPX for
    Google Earth and GPS; then, with "Click the map to add a waypoint" on, a click on the map adds one to
    the first sortie, where the click was; then a broken upload: one error line naming file, line and
    field, and the map keeps its (edited) mission and the view the reader zoomed to (one page for all: a
    page load costs ~4 s of CPU)."""
    import zipfile

    import gpxpy
    from lxml import etree
    from playwright.sync_api import expect

    page = browser_page
    log = _open(page, open_offline, app_server)
    _fitted_map(page)
    expect(_total_distance(page)).to_have_text(total_distance)
    assert _frame(page).locator("path.msn-route").count() == 2  # the bombers and the escort
    assert _frame(page).locator(".leaflet-msn-basemap-pane path").count() > 100  # the offline basemap
    expect(page.get_by_text("Claims checked against")).to_be_visible()
    assert page.get_by_text("Deploy", exact=True).count() == 0  # the minimal toolbar of .streamlit/config.toml
    expect(page.get_by_role("heading", name="Help")).to_be_attached()
    page.screenshot(path=str(artifacts_dir / "dashboard.png"))
    contents = {
        label: _download(page, label) for label in ("Mission (YAML)", "Map (HTML)", "GeoJSON", "Legs (CSV, km)")
    }
    mission = parse_mission(contents["Mission (YAML)"], file="download.yaml")
    assert mission.name.startswith("Tu-160 strike")
    assert json.loads(contents["GeoJSON"])["type"] == "FeatureCollection"
    assert contents["Map (HTML)"].lstrip().lower().startswith("<!doctype html>")
    assert "L.map(" in contents["Map (HTML)"] and external_urls(contents["Map (HTML)"]) == []  # self-contained
    rows = list(csv.DictReader(io.StringIO(contents["Legs (CSV, km)"])))
    assert len(rows) == sum(len(s.route) - 1 for s in mission.sorties)  # every leg of both sorties
    assert float(rows[0]["distance_km"]) > 0
    earth = {}
    for label in ("Google Earth (KML)", "Google Earth (KMZ)", "GPX routes"):
        button = page.get_by_role("button", name=label)
        button.scroll_into_view_if_needed()
        with page.expect_download(timeout=PAGE_TIMEOUT_MS) as download:
            button.click()
        earth[label] = Path(download.value.path()).read_bytes()
    kml = etree.fromstring(earth["Google Earth (KML)"])
    assert kml.findtext(".//{http://www.opengis.net/kml/2.2}name").startswith("Tu-160 strike")
    assert zipfile.ZipFile(io.BytesIO(earth["Google Earth (KMZ)"])).read("doc.kml") == earth["Google Earth (KML)"]
    routes = gpxpy.parse(earth["GPX routes"].decode("utf-8")).routes
    assert routes[0].points[0].name.startswith("Olenya") and routes[0].points[0].time is not None
    _click_on_the_map_adds_a_waypoint(page, total_distance)
    _broken_upload_keeps_the_map(page, _total_distance(page).inner_text())
    assert log.aborted == [], log.aborted
    assert log.errors == [], log.errors


def _click_on_the_map_adds_a_waypoint(page: Any, total_distance: str) -> None:
    """With "Click the map to add a waypoint" on, a click on the map adds one to the first sortie."""
    from playwright.sync_api import expect

    _settled(page)  # as a fresh page: no run of an earlier step still going
    _fitted_map(page)
    page.get_by_text("Click the map to add a waypoint").click()
    expect(page.get_by_label("after row (0: at the end)")).to_be_enabled(timeout=PAGE_TIMEOUT_MS)  # rerun done
    expect(page.locator(MAP_FRAME)).to_have_count(1, timeout=PAGE_TIMEOUT_MS)
    # the map is drawn again when the toggle asks it to report clicks: click the new one where nothing of the
    # mission is drawn and the reader sees open map, on a place name (labels let clicks through to the map)
    name = click_open_map(_fitted_map(page))
    expect(page.get_by_text("✎ edited")).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    expect(_total_distance(page)).not_to_have_text(total_distance, timeout=PAGE_TIMEOUT_MS)
    yaml_text = _download(page, "Mission (YAML)")
    route = parse_mission(yaml_text).sorties[0].route
    assert len(route) == len(load_mission(catalog_missions()[DEFAULT_MISSION]).sorties[0].route) + 1
    # the waypoint is where the click was: on the place name clicked (within a few pixels at the map's zoom)
    added = route[-1].point
    away_km = min(
        GEOD.inv(added.lon_deg, added.lat_deg, label.lon_deg, label.lat_deg)[2] / 1000.0
        for label in place_labels()
        if label.name == name
    )
    assert away_km < 100.0, (name, added, away_km)


def _broken_upload_keeps_the_map(page: Any, total_distance: str) -> None:
    """Zoom in, upload a broken mission: one error line, and the map keeps the mission and the zoomed view."""
    from playwright.sync_api import expect

    _settled(page)  # as a fresh page: no run of an earlier step still going
    frame = _frame(page)
    _fitted_map(page)
    # zoom in first: reruns that do not change the mission must not reset the view
    scale = frame.locator(".leaflet-control-scale-line").first
    initial_scale = scale.inner_text()
    frame.locator("a.leaflet-control-zoom-in").click()
    expect(scale).not_to_have_text(initial_scale)
    zoomed_scale = scale.inner_text()
    _source(page, "Upload").click()
    uploader = page.locator('[data-testid="stFileUploaderDropzoneInput"][accept*=".yaml"]')  # not the track upload's
    uploader.wait_for(state="attached", timeout=PAGE_TIMEOUT_MS)
    _settled(page)  # the source's run over: a file set while it runs can be lost
    uploader.set_input_files(files=[{"name": "broken.yaml", "mimeType": "application/yaml", "buffer": BROKEN_UPLOAD}])
    alert = page.locator('.st-key-errors [data-testid="stAlert"]')
    expect(alert).to_contain_text(
        "broken.yaml:7: sorties[0].route[1]: unknown place 'Lost city of Atlantis'", timeout=PAGE_TIMEOUT_MS
    )
    assert alert.count() == 1
    expect(_total_distance(page)).to_have_text(total_distance)
    assert scale.inner_text() == zoomed_scale  # the map kept its view through both reruns


def _paste(page: Any, text: str) -> None:
    _source(page, "Paste").click()
    area = page.get_by_test_id("stSidebar").locator("textarea")
    area.fill(text)
    area.press("Control+Enter")


def test_app_browser__track_upload_then_edit_round_trip_keeps_comments_then_an_article_is_drafted(
    browser_page: Any, open_offline: Any, app_server: str
) -> None:
    """An observed track uploaded for the default mission the page opens with is compared, drawn and
    exported, and a broken track file gives one line (``tests/track_upload_page.py``). Then a pasted
    mission, edited (the sortie's speed), downloads with its comment lines; the page says it is edited,
    offers an undo, and puts the mission in a shareable link. Then a news article pasted under "From
    article" is drafted and drawn, with its draft to download (one page for the three: a page load costs
    ~4.5 s of CPU)."""
    from playwright.sync_api import expect

    page = browser_page
    log = _open(page, open_offline, app_server)
    upload_compares_and_draws_the_track(page)
    _settled(page)  # as a fresh page: the broken track file's run over
    _paste(page, COMMENTED)
    expect(page.get_by_role("heading", name="Commented mission")).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    speed = page.locator('.st-key-editor input[aria-label="Speed"][value="900 km/h"]')  # the new mission's
    speed.fill("450 kn")
    page.keyboard.press("Enter")
    expect(page.get_by_text("✎ edited")).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    yaml_text = _download(page, "Mission (YAML)")
    assert "      # the turn, as the ministry showed it\n" in yaml_text
    assert "# A commented mission" in yaml_text and "450 kn" in yaml_text
    assert parse_mission(yaml_text).sorties[0].speed.text == "450 kn"
    assert "m=" in page.url  # the shareable link
    page.get_by_role("button", name="Undo edits").click()
    expect(page.get_by_text("✎ edited")).to_have_count(0, timeout=PAGE_TIMEOUT_MS)
    _settled(page)  # as a fresh page: the undo's run over
    _source(page, "From article").click()
    area = page.get_by_test_id("stSidebar").get_by_label("News article (plain text)")
    area.fill((Path(__file__).parent / "data" / "articles" / "black_buck_1982.txt").read_text(encoding="utf-8"))
    area.press("Control+Enter")
    expect(page.locator('[data-testid="stMain"] [data-testid="stHeading"]').first).to_contain_text(
        "Vulcan", timeout=PAGE_TIMEOUT_MS
    )
    _fitted_map(page)
    expect(page.get_by_test_id("stSidebar").get_by_text("Download the draft (YAML)")).to_be_visible()
    assert log.aborted == [] and log.errors == [], (log.aborted, log.errors)


def _sweep_catalogue(page: Any, names: list[str], titles: dict[str, str], size: str) -> None:
    """Check that no route lies under a control for each mission of ``names`` in turn: the first
    mission already on the page, the others chosen in the sidebar's selector, as a user switches (the
    mounted map redraws and fits each new mission; a full page load per mission took 4x as long)."""
    from playwright.sync_api import expect

    for i, name in enumerate(names):
        if i:
            drawn_before = _frame(page).locator("body").get_attribute("data-drawn")
            selector = page.get_by_test_id("stSidebar").get_by_role("combobox", name="Catalogue mission")
            if not selector.is_visible() or not selector.evaluate("e => e.getBoundingClientRect().right > 0"):
                page.get_by_test_id("stExpandSidebarButton").click()  # on a phone the sidebar starts closed
            selector.click()
            page.get_by_role("option", name=titles[name], exact=True).click()
            expect(_frame(page).locator("body")).not_to_have_attribute(
                "data-drawn", drawn_before or "", timeout=PAGE_TIMEOUT_MS
            )
        expect(_frame(page).locator(".msn-legend .msn-title")).to_contain_text(titles[name], timeout=PAGE_TIMEOUT_MS)
        boxes = _fitted_map(page).evaluate(BOXES_IN_ELEMENT_JS, CONTROLS)
        assert boxes["paths"], name
        for control, rects in boxes["controls"].items():
            assert rects, f"{name}: no {control}"
        covered = covered_paths(boxes)
        assert not covered, f"{name} at {size}: a route lies under the {covered[0][0]}"


def test_app_browser__routes_clear_of_controls_on_a_phone(chromium: Any, open_offline: Any, app_server: str) -> None:
    """For every catalogue mission, at 390×844: no route path's box meets the legend's, the layer list's
    or the time control's (measured in the map's DOM)."""
    titles = catalogue_titles(catalog_missions())
    width, height = SIZES["phone"]
    context = chromium.new_context(viewport={"width": width, "height": height})
    try:
        page = context.new_page()
        names = list(titles)
        log = _open(page, open_offline, f"{app_server}?mission={names[0]}")  # the first mission by its link
        _sweep_catalogue(page, names, titles, "phone")
        assert log.aborted == [], log.aborted
    finally:
        context.close()


def test_app_browser__routes_clear_of_controls_on_a_desktop_in_one_mounted_map_nautical_miles_everywhere(
    chromium: Any, open_offline: Any, app_server: str, default_mission: MissionResult
) -> None:
    """One desktop page (1440×900; a page load costs ~4 s of CPU), three checks:

    * every catalogue mission, chosen in turn: no route path's box meets the legend's, the layer
      list's or the time control's (measured in the map's DOM);
    * those changes of mission, and one of units, redraw the mission in the same map page: Leaflet, its
      plugins and the basemap are loaded once (one request for the scripts), and the page's own state
      survives. The overflown countries come as codes and the page draws them from the basemap it holds
      (``mount.js``): one shaded outline per overflown country once their layer is on;
    * with NM chosen, no tab, card or legend shows " km" (the tables' cells are read from the grid's
      data), and the publication figures of the mission on screen (PNG of web size, SVG with the title
      as text, PDF) carry NM in their legend and scale.
    """
    import xml.etree.ElementTree as ET

    from PIL import Image
    from playwright.sync_api import expect

    from geodata.countries import basemap_geojson
    from missions.airspace import mission_airspace
    from missions.render.common import OVERFLIGHT_COLOUR

    titles = catalogue_titles(catalog_missions())
    names = [DEFAULT_MISSION, *(n for n in titles if n != DEFAULT_MISSION)]  # every mission, the default first
    air = mission_airspace(default_mission)
    on_basemap = {f["properties"]["iso3"] for f in basemap_geojson()["features"]}
    crossed = {p.iso3 for route in air.sorties.values() for p in route.passages if p.iso3} & on_basemap
    width, height = SIZES["desktop"]
    context = chromium.new_context(viewport={"width": width, "height": height})
    try:
        page = context.new_page()
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        log = _open(page, open_offline, f"{app_server}?mission={DEFAULT_MISSION}")  # the first mission by its link
        fitted = _fitted_map(page)
        fitted.evaluate("() => { window.msnMarker = 'still here'; }")
        # the overflown countries, drawn by the page from the basemap it holds
        areas = _frame(page).locator(f'path[stroke="{OVERFLIGHT_COLOUR}"]')
        assert areas.count() == 0  # the layer starts off
        toggle = """() => [...document.querySelectorAll('.leaflet-control-layers-overlays label')]
            .find(l => l.textContent.includes('Countries overflown')).querySelector('input').click()"""
        fitted.evaluate(toggle)
        expect(areas).to_have_count(len(crossed), timeout=PAGE_TIMEOUT_MS)
        assert len(crossed) > 3
        sizes = areas.evaluate_all("(paths) => paths.map(p => { const b = p.getBBox(); return b.width * b.height; })")
        assert all(size > 0 for size in sizes), sizes
        fitted.evaluate(toggle)  # off again: the sweep sees the layers a reader first gets
        expect(areas).to_have_count(0, timeout=PAGE_TIMEOUT_MS)
        # every mission, chosen in turn in the same mounted map
        _sweep_catalogue(page, names, titles, "desktop")
        # a change of units: the same map page redraws the mission in NM
        page.get_by_test_id("stSidebar").get_by_role("radiogroup", name="Units").get_by_text("NM", exact=True).click()
        expect(_frame(page).locator(".msn-legend .msn-sub")).to_contain_text("distances in NM", timeout=PAGE_TIMEOUT_MS)
        assert _fitted_map(page).evaluate("() => window.msnMarker") == "still here"
        expect(page.locator(MAP_FRAME)).to_have_count(1)
        assert len([url for url in requests if re.search(r"/vendor\.\w+\.js$", url)]) == 1, requests
        # nautical miles everywhere: cards, legend, every tab, and the figures of the mission on screen
        expect(_total_distance(page)).to_have_text(re.compile(r" NM$"))
        assert " km" not in _fitted_map(page).locator(".msn-legend").inner_text()
        tables = page.locator(".st-key-tables")
        for tab in ("Legs", "Feasibility", "Countries overflown", "Timeline (UTC)", "Claims"):
            page.get_by_role("tab", name=tab).click()
            panel = tables.get_by_role("tabpanel").filter(visible=True)
            expect(panel).to_be_visible()
            text = panel.inner_text() + " ".join(
                panel.locator(
                    '[data-testid="stDataFrame"] [role="gridcell"], [data-testid="stDataFrame"] [role="columnheader"]'
                ).all_inner_texts()
            )
            assert " km" not in text, f"{tab}: {text[:300]}"
        assert " km" not in page.locator('[data-testid="stMetric"]').all_inner_texts().__str__()
        contents = {}
        for fmt in ("PNG", "SVG", "PDF"):
            button = page.get_by_role("button", name=f"Figure ({fmt})")
            button.scroll_into_view_if_needed()
            with page.expect_download(timeout=PAGE_TIMEOUT_MS) as download:
                button.click()
            contents[fmt] = Path(download.value.path()).read_bytes()
        assert Image.open(io.BytesIO(contents["PNG"])).size == (1600, 1000)
        texts = ["".join(el.itertext()) for el in ET.fromstring(contents["SVG"]).iter() if el.tag.endswith("}text")]
        on_screen = load_mission(catalog_missions()[names[-1]]).name
        assert any(t.startswith(on_screen.split(",")[0]) for t in texts), (on_screen, texts[:5])  # the mission shown
        assert any(t.endswith(" NM") for t in texts)  # the unit on screen reaches the figure's legend and scale
        assert not any(t.endswith(" km") for t in texts)
        assert contents["PDF"].startswith(b"%PDF")
        assert log.aborted == [] and log.errors == [], (log.aborted, log.errors)
    finally:
        context.close()
