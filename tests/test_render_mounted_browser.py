"""The dashboard's map page (``missions.render.mounted``, ``assets/js/mount.js``) in a real browser.

The page is served from 127.0.0.1 inside a parent page that speaks Streamlit's component protocol
(version 1) as Streamlit's frontend does: it answers the page's ``componentReady`` with a render and
records what the page sends back. The dashboard's first run sends the page ahead of its mission (an
empty payload, :func:`missions.dashboard.map.mount_early`): the page must create the map, build the
basemap's countries meanwhile, draw nothing and report nothing, then draw the mission when it comes
and report it once.
"""

from __future__ import annotations

import functools
import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from missions.airspace import mission_airspace
from missions.analysis import compute_mission
from missions.dashboard.map import NO_MISSION, MapPage, map_page
from missions.feasibility import assess
from missions.parsing import load_mission
from missions.render.mounted import write_page
from missions.render.payload import map_payload

pytestmark = pytest.mark.browser
CATALOG = Path(__file__).resolve().parent.parent / "missions" / "catalog"
TIMEOUT_MS = 30_000
#: the parent: renders the component with ``window.renderMap(args)``, records the page's messages
PARENT = """<!DOCTYPE html><html><body style="margin:0">
<iframe id="map" style="width:1000px;height:560px;border:0" src="index.html"></iframe>
<script>
window.sent = [];
window.renderMap = (args) => document.getElementById('map').contentWindow.postMessage(
    {type: 'streamlit:render', args: args}, '*');
window.addEventListener('message', (event) => {
    window.sent.push(event.data);
    if (event.data.type === 'streamlit:componentReady') { window.renderMap(window.firstArgs); }
});
</script></body></html>
"""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """No line per request."""


def _args(page: MapPage) -> dict[str, Any]:
    return {"payload": page.payload_json, "digest": page.digest, "clicks": False, "height": 560}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The map page and the parent, served from 127.0.0.1; the parent's URL."""
    directory = tmp_path_factory.mktemp("mounted")
    write_page(directory)
    (directory / "parent.html").write_text(PARENT, encoding="utf-8")
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/parent.html"
    server.shutdown()
    thread.join()


@pytest.fixture(scope="module")
def tu160() -> MapPage:
    result = compute_mission(load_mission(CATALOG / "tu160-2015-11-20.yaml"))
    air = mission_airspace(result)
    payload = map_payload(result, units="km", feasibility=assess(result, air), airspace=air, range_rings_at=[],
                          observed=[], basemap_countries=True)  # fmt: skip
    return map_page(payload.page_json())


def test_mounted_page__sent_ahead_then_the_mission(
    browser_page: Any, open_offline: Any, served: str, tu160: MapPage
) -> None:
    page = browser_page
    page.add_init_script(f"window.firstArgs = {json.dumps(_args(NO_MISSION))};")
    log = open_offline(page, served)
    frame = page.frame_locator("#map")
    page.wait_for_function("() => document.getElementById('map').contentWindow.MissionMap?.timings?.ahead_ms")
    ahead = frame.locator("body").evaluate("""() => ({
        drawn: document.body.getAttribute('data-drawn'),
        paths: document.querySelectorAll('.leaflet-map-pane path').length,
        created: !!document.querySelector('.leaflet-container'), timings: MissionMap.timings})""")
    # the map is there; nothing drawn yet (no basemap, no mission), nothing reported
    assert ahead["created"] and ahead["drawn"] is None and ahead["paths"] == 0, ahead
    assert ahead["timings"]["first_drawn_ms"] is None and ahead["timings"]["draws"] == 0
    assert [m["type"] for m in page.evaluate("() => window.sent")] == [
        "streamlit:componentReady", "streamlit:setFrameHeight"]  # fmt: skip

    page.evaluate(f"() => window.renderMap({json.dumps(_args(tu160))})")
    frame.locator(f'body[data-drawn="{tu160.digest}"] .leaflet-container[data-fitted]').wait_for(timeout=TIMEOUT_MS)
    page.wait_for_function("() => window.sent.some((m) => m.value && m.value.drawn)", timeout=TIMEOUT_MS)
    values = [m["value"] for m in page.evaluate("() => window.sent") if m["type"] == "streamlit:setComponentValue"]
    assert values == [{"drawn": tu160.digest}]  # reported once, the mission's digest
    drawn = frame.locator("body").evaluate("""() => ({
        countries: document.querySelectorAll('.leaflet-msn-basemap-pane path').length,
        routes: document.querySelectorAll('path.msn-route').length, timings: MissionMap.timings})""")
    assert drawn["countries"] > 150, drawn  # the basemap built meanwhile, drawn with the mission
    assert drawn["routes"] >= 1 and drawn["timings"]["draws"] == 1, drawn
    assert log.aborted == [] and log.errors == [], (log.aborted, log.errors)


def test_mounted_page__a_first_map_sent_early_is_drawn_then_reported_with_the_next_render(
    browser_page: Any, open_offline: Any, served: str, tu160: MapPage
) -> None:
    """The map page sent with a session's first map from the disk (``early``) draws it at once but does
    not report it (a report would start a rerun in the middle of the run that sent it); the next render,
    the same mission computed, is not drawn again and is reported, once."""
    page = browser_page
    page.add_init_script(f"window.firstArgs = {json.dumps(_args(tu160) | {'early': True})};")
    log = open_offline(page, served)
    frame = page.frame_locator("#map")
    frame.locator(f'body[data-drawn="{tu160.digest}"] .leaflet-container[data-fitted]').wait_for(timeout=TIMEOUT_MS)
    page.wait_for_function(
        "() => document.getElementById('map').contentWindow.MissionMap.timings.first_painted_ms", timeout=TIMEOUT_MS
    )
    assert [m["type"] for m in page.evaluate("() => window.sent")] == [
        "streamlit:componentReady", "streamlit:setFrameHeight"]  # fmt: skip
    page.evaluate(f"() => window.renderMap({json.dumps(_args(tu160))})")
    page.wait_for_function("() => window.sent.some((m) => m.value && m.value.drawn)", timeout=TIMEOUT_MS)
    values = [m["value"] for m in page.evaluate("() => window.sent") if m["type"] == "streamlit:setComponentValue"]
    assert values == [{"drawn": tu160.digest}]
    timings = frame.locator("body").evaluate("() => MissionMap.timings")
    assert timings["draws"] == 1 and timings["first_with_mission"] is True and timings["ahead_ms"] is None, timings
    assert log.aborted == [] and log.errors == [], (log.aborted, log.errors)


def test_mounted_page__direction_arrows_as_textpath_repeats_them(
    browser_page: Any, open_offline: Any, served: str, tu160: MapPage
) -> None:
    """Each route and weapon track carries as many arrows as leaflet-textpath's own ``repeat`` would
    draw (ceil(path length / arrow width) - 1, both measured in the page), after the fit and after a
    zoom: the page counts them from the lines' drawn parts instead of laying the SVG out per line."""
    page = browser_page
    page.add_init_script(f"window.firstArgs = {json.dumps(_args(tu160))};")
    log = open_offline(page, served)
    frame = page.frame_locator("#map")
    frame.locator(f'body[data-drawn="{tu160.digest}"] .leaflet-container[data-fitted]').wait_for(timeout=TIMEOUT_MS)
    counts = """() => [...document.querySelectorAll('text textPath')].map((textPath) => {
        const path = document.getElementById(textPath.getAttribute('href') || textPath.getAttribute('xlink:href')
            .slice(1)) || document.querySelector(textPath.getAttributeNS('http://www.w3.org/1999/xlink', 'href'));
        const probe = textPath.parentNode.cloneNode(false);
        probe.textContent = '\u00a0'.repeat(16) + '\u25ba';
        path.ownerSVGElement.appendChild(probe);
        const width = probe.getComputedTextLength();
        probe.remove();
        return [(textPath.textContent.match(/\u25ba/g) || []).length, Math.ceil(path.getTotalLength() / width) - 1];
    })"""
    for zoom_in in (False, True):
        if zoom_in:
            frame.locator("body").evaluate(
                "() => { MissionMap.map.setZoom(MissionMap.map.getZoom() + 2, {animate: false}); }")  # fmt: skip
        arrows = frame.locator("body").evaluate(counts)
        assert len(arrows) >= 1, arrows  # the routes and weapon tracks on the map
        assert all(drawn == expected for drawn, expected in arrows), arrows
    assert log.aborted == [] and log.errors == [], (log.aborted, log.errors)


def test_mounted_page__copies_of_the_world_drawn_when_the_view_reaches_them(
    browser_page: Any, open_offline: Any, served: str, tu160: MapPage
) -> None:
    """Around Europe one world is drawn (each copy east or west of the antimeridian costs every later
    fit its projection); panned across the Bering Strait, the copy east of it is drawn, and stays."""
    page = browser_page
    page.add_init_script(f"window.firstArgs = {json.dumps(_args(tu160))};")
    log = open_offline(page, served)
    frame = page.frame_locator("#map")
    frame.locator(f'body[data-drawn="{tu160.digest}"] .leaflet-container[data-fitted]').wait_for(timeout=TIMEOUT_MS)
    count = "() => document.querySelectorAll('.leaflet-msn-basemap-pane path').length"
    one_world = frame.locator("body").evaluate(count)
    assert one_world == frame.locator("body").evaluate("() => MissionMapPage.basemap.length") > 150
    frame.locator("body").evaluate("() => { MissionMap.map.setView([64, 178], 4, {animate: false}); }")
    page.wait_for_function(
        "(n) => document.getElementById('map').contentDocument.querySelectorAll("
        "'.leaflet-msn-basemap-pane path').length === 2 * n", arg=one_world, timeout=TIMEOUT_MS)  # fmt: skip
    frame.locator("body").evaluate("() => { MissionMap.map.setView([50, 10], 4, {animate: false}); }")
    assert frame.locator("body").evaluate(count) == 2 * one_world
    assert log.aborted == [] and log.errors == [], (log.aborted, log.errors)
