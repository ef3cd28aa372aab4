"""The dashboard end to end: ``streamlit run app.py`` on 127.0.0.1, driven by Debian's chromium.

Every request that is not to 127.0.0.1 (or data:/blob:) is aborted and recorded (``conftest.open_offline``):
the page must not need any. One server serves the module; each test opens its own page.
"""

from __future__ import annotations

import csv
import io
import json
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from missions.analysis import MissionResult, compute_mission
from missions.dashboard import DEFAULT_MISSION, catalog_missions, metrics, waypoints_frame
from missions.parsing import load_mission, parse_mission
from missions.render.offline import external_urls

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
SERVER_START_TIMEOUT_S = 30.0
PAGE_TIMEOUT_MS = 30_000
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
METRIC_VALUE = '[data-testid="stMetricValue"]'
ROW_HEIGHT_PX = 35  # st.data_editor's default row (and header) height
BROKEN_UPLOAD = (
    b"name: Broken\nsorties:\n  - name: A\n    aircraft: Tu-160\n    takeoff: 2015-11-20T03:00:00Z\n"
    b"    speed: 900 km/h\n    route: [Olenya, Atlantis]\n"
)


@pytest.fixture(scope="module")
def default_mission() -> MissionResult:
    """The mission the page opens with, as the core computes it."""
    return compute_mission(load_mission(catalog_missions()[DEFAULT_MISSION]))


@pytest.fixture(scope="module")
def total_distance(default_mission: MissionResult) -> str:
    """The "Total distance" card of the default mission, in km."""
    return metrics(default_mission, "km")[0].value


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def app_url() -> Iterator[str]:
    """``streamlit run app.py`` on a free local port; the server is always stopped afterwards."""
    port = _free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
        "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
    ]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT_S
        while True:
            try:
                with urllib.request.urlopen(url + "_stcore/health", timeout=1) as response:
                    if response.read() == b"ok":
                        break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"streamlit did not start: {server.stdout.read().decode()}") from None
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        server.stdout.close()


def _open(page: Any, open_offline: Any, url: str) -> Any:
    log = open_offline(page, url, timeout_ms=PAGE_TIMEOUT_MS)
    page.wait_for_selector(METRIC_VALUE, timeout=PAGE_TIMEOUT_MS)
    return log


def _map_paths(page: Any) -> Any:
    """The Leaflet vector paths (routes, weapon tracks, markers) drawn inside the map's iframe.

    While a rerun replaces the map, the old and the new iframe can both be on the page for a moment:
    the newest (last) one is the map being shown.
    """
    return page.frame_locator(f"{MAP_FRAME} >> nth=-1").locator("path.leaflet-interactive")


def _total_distance(page: Any) -> Any:
    return page.locator(METRIC_VALUE).first


def test_app_browser__map_draws_offline(
    browser_page: Any, open_offline: Any, app_url: str, artifacts_dir: Path, total_distance: str
) -> None:
    from playwright.sync_api import expect

    page = browser_page
    log = _open(page, open_offline, app_url)
    paths = _map_paths(page)
    paths.first.wait_for(timeout=PAGE_TIMEOUT_MS)
    expect(_total_distance(page)).to_have_text(total_distance)
    assert paths.count() >= 3  # two sorties and the weapon tracks at least
    basemap = page.frame_locator(f"{MAP_FRAME} >> nth=-1").locator(".leaflet-pane path, .leaflet-pane canvas")
    assert basemap.count() > paths.count()  # the offline Natural Earth basemap is drawn too
    page.wait_for_timeout(500)
    page.screenshot(path=str(artifacts_dir / "dashboard.png"))
    assert log.aborted == [], log.aborted
    assert log.errors == [], log.errors


def test_app_browser__waypoint_edit_changes_total_distance(
    browser_page: Any, open_offline: Any, app_url: str, default_mission: MissionResult, total_distance: str
) -> None:
    from playwright.sync_api import expect

    page = browser_page
    log = _open(page, open_offline, app_url)
    expect(_total_distance(page)).to_have_text(total_distance)
    _map_paths(page).first.wait_for(timeout=PAGE_TIMEOUT_MS)  # the page above the editor is laid out
    grid = page.locator('.st-key-editor [data-testid="stDataFrame"]').first
    grid.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    box = grid.bounding_box()
    # the "place" cell of "West of Portugal": past the row markers and the narrow "#" column
    row = list(waypoints_frame(default_mission.mission, 0)["place"]).index("West of Portugal")
    page.mouse.dblclick(box["x"] + 260, box["y"] + ROW_HEIGHT_PX * (row + 1) + ROW_HEIGHT_PX / 2)
    cell = page.locator("textarea.gdg-input").first
    cell.wait_for(timeout=5_000)
    assert cell.input_value() == "West of Portugal"
    cell.fill("38.72, -9.14")  # Lisbon
    page.keyboard.press("Enter")
    expect(_total_distance(page)).not_to_have_text(total_distance, timeout=PAGE_TIMEOUT_MS)
    assert _total_distance(page).inner_text().endswith(" km")
    assert page.locator('[data-testid="stAlert"]').count() == 0
    # the edited mission's map replaces the old one (both are on the page while the rerun runs)
    expect(page.locator(MAP_FRAME)).to_have_count(1, timeout=PAGE_TIMEOUT_MS)
    _map_paths(page).first.wait_for(timeout=PAGE_TIMEOUT_MS)
    assert log.aborted == [] and log.errors == [], (log.aborted, log.errors)


def test_app_browser__downloads_yield_valid_files(browser_page: Any, open_offline: Any, app_url: str) -> None:
    page = browser_page
    log = _open(page, open_offline, app_url)
    contents = {}
    for label in ("Mission (YAML)", "Map (HTML)", "GeoJSON", "Legs (CSV, km)"):
        button = page.get_by_role("button", name=label)
        button.scroll_into_view_if_needed()
        with page.expect_download(timeout=PAGE_TIMEOUT_MS) as download:
            button.click()
        contents[label] = Path(download.value.path()).read_text(encoding="utf-8")
    mission = parse_mission(contents["Mission (YAML)"], file="download.yaml")
    assert mission.name.startswith("Tu-160 strike")
    assert json.loads(contents["GeoJSON"])["type"] == "FeatureCollection"
    assert contents["Map (HTML)"].lstrip().lower().startswith("<!doctype html>")
    assert "L.map(" in contents["Map (HTML)"] and external_urls(contents["Map (HTML)"]) == []  # self-contained
    rows = list(csv.DictReader(io.StringIO(contents["Legs (CSV, km)"])))
    assert len(rows) == sum(len(s.route) - 1 for s in mission.sorties)  # every leg of both sorties
    assert float(rows[0]["distance_km"]) > 0
    assert log.aborted == [] and log.errors == [], (log.aborted, log.errors)


def test_app_browser__broken_upload_shows_error_and_map_stays(
    browser_page: Any, open_offline: Any, app_url: str, total_distance: str
) -> None:
    from playwright.sync_api import expect

    page = browser_page
    log = _open(page, open_offline, app_url)
    _map_paths(page).first.wait_for(timeout=PAGE_TIMEOUT_MS)
    # zoom in first: reruns that do not change the mission must not reset the view
    frame = page.frame_locator(f"{MAP_FRAME} >> nth=-1")
    scale = frame.locator(".leaflet-control-scale-line").first
    initial_scale = scale.inner_text()
    frame.locator("a.leaflet-control-zoom-in").click()
    expect(scale).not_to_have_text(initial_scale)
    zoomed_scale = scale.inner_text()
    page.get_by_test_id("stSidebar").get_by_text("Upload", exact=True).click()
    uploader = page.locator('[data-testid="stFileUploaderDropzoneInput"]')
    uploader.set_input_files(files=[{"name": "broken.yaml", "mimeType": "application/yaml", "buffer": BROKEN_UPLOAD}])
    alert = page.locator('.st-key-errors [data-testid="stAlert"]')
    expect(alert).to_contain_text(
        "broken.yaml:7: sorties[0].route[1]: unknown place 'Atlantis'", timeout=PAGE_TIMEOUT_MS
    )
    assert alert.count() == 1
    expect(_total_distance(page)).to_have_text(total_distance)
    assert _map_paths(page).count() >= 3
    assert scale.inner_text() == zoomed_scale  # the map kept its view through both reruns
    assert log.aborted == [] and log.errors == [], (log.aborted, log.errors)


def test_app_browser__google_earth_and_gpx_downloads(browser_page: Any, open_offline: Any, app_url: str) -> None:
    import zipfile

    import gpxpy
    from lxml import etree

    page = browser_page
    log = _open(page, open_offline, app_url)
    contents = {}
    for label in ("Google Earth (KML)", "Google Earth (KMZ)", "GPX routes"):
        button = page.get_by_role("button", name=label)
        button.scroll_into_view_if_needed()
        with page.expect_download(timeout=PAGE_TIMEOUT_MS) as download:
            button.click()
        contents[label] = Path(download.value.path()).read_bytes()
    kml = etree.fromstring(contents["Google Earth (KML)"])
    assert kml.findtext(".//{http://www.opengis.net/kml/2.2}name").startswith("Tu-160 strike")
    assert zipfile.ZipFile(io.BytesIO(contents["Google Earth (KMZ)"])).read("doc.kml") == contents["Google Earth (KML)"]
    routes = gpxpy.parse(contents["GPX routes"].decode("utf-8")).routes
    assert routes[0].points[0].name.startswith("Olenya") and routes[0].points[0].time is not None
    assert log.aborted == [] and log.errors == [], (log.aborted, log.errors)


def test_app_browser__figure_downloads(browser_page: Any, open_offline: Any, app_url: str) -> None:
    """The publication figure of the mission on screen: a PNG of web size, an SVG with the title as text."""
    import xml.etree.ElementTree as ET

    from PIL import Image

    page = browser_page
    log = _open(page, open_offline, app_url + "?units=nm")
    contents = {}
    for fmt in ("PNG", "SVG", "PDF"):
        button = page.get_by_role("button", name=f"Figure ({fmt})")
        button.scroll_into_view_if_needed()
        with page.expect_download(timeout=PAGE_TIMEOUT_MS) as download:
            button.click()
        contents[fmt] = Path(download.value.path()).read_bytes()
    assert Image.open(io.BytesIO(contents["PNG"])).size == (1600, 1000)
    texts = ["".join(el.itertext()) for el in ET.fromstring(contents["SVG"]).iter() if el.tag.endswith("}text")]
    assert any(t.startswith("Tu-160 strike") for t in texts)
    assert any(t.endswith(" NM") for t in texts)  # the unit on screen reaches the figure's legend and scale
    assert not any(t.endswith(" km") for t in texts)
    assert contents["PDF"].startswith(b"%PDF")
    assert log.aborted == [] and log.errors == [], (log.aborted, log.errors)


def test_app_browser__from_article_draws_the_drafted_mission(browser_page: Any, open_offline: Any, app_url: str) -> None:
    from playwright.sync_api import expect

    page = browser_page
    log = _open(page, open_offline, app_url)
    page.get_by_test_id("stSidebar").get_by_text("From article", exact=True).click()
    area = page.get_by_test_id("stSidebar").get_by_label("News article (plain text)")
    area.fill((ROOT / "tests" / "data" / "articles" / "black_buck_1982.txt").read_text(encoding="utf-8"))
    area.press("Control+Enter")
    expect(page.locator('[data-testid="stMain"] [data-testid="stHeading"]').first).to_contain_text(
        "Vulcan", timeout=PAGE_TIMEOUT_MS
    )
    _map_paths(page).first.wait_for(timeout=PAGE_TIMEOUT_MS)
    expect(page.get_by_test_id("stSidebar").get_by_text("Download the draft (YAML)")).to_be_visible()
    assert log.aborted == [] and log.errors == [], (log.aborted, log.errors)
