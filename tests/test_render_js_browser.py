"""The page's own JavaScript (``missions/render/assets/js``) in a real browser, on exported maps.

Each map is opened offline at a desktop and a phone size; the checks read the DOM: the drawn route
paths never lie under the legend, the layer list or the time control; narrow maps start with the
legend and layer list collapsed and keep the user's choice when drawn again; the clock moves every
sortie along times computed in Python; labels appear.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from missions.airspace import mission_airspace
from missions.analysis import compute_mission
from missions.dashboard.frames import catalog_missions
from missions.export.html import map_html
from missions.feasibility import assess
from missions.parsing import load_mission
from missions.render.elements import JS_DIR, JS_FILES
from missions.render.mounted import MOUNT_JS
from tests.page_boxes import BOXES_JS, CONTROLS, SIZES, covered_paths


@pytest.fixture(scope="module")
def map_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every catalogue mission as a self-contained HTML map (feasibility and countries included)."""
    out = tmp_path_factory.mktemp("maps")
    files = {}
    for name, path in catalog_missions().items():
        result = compute_mission(load_mission(path))
        html = map_html(result, feasibility=assess(result), airspace=mission_airspace(result))
        files[name] = out / f"{name}.html"
        files[name].write_text(html, encoding="utf-8")
    return files


@pytest.fixture
def sized_page(chromium: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    width, height = SIZES[request.param]
    context = chromium.new_context(viewport={"width": width, "height": height})
    yield context.new_page()
    context.close()


def test_render_js__passes_node_syntax_check() -> None:
    """Every page script parses (``node --check``), so a syntax error fails here, not in a reader's browser."""
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        message = "node is not installed (apt-get install nodejs); the browser tests below still parse the scripts"
        if os.environ.get("CI", "").lower() == "true":  # .ci/run installs Debian's nodejs: CI always checks
            pytest.fail(message)
        pytest.skip(message)
    for name in (*JS_FILES, MOUNT_JS.name):
        done = subprocess.run([node, "--check", str(JS_DIR / name)], capture_output=True, text=True, check=False)
        assert done.returncode == 0, f"{name}: {done.stderr}"


def test_render_js__no_geodesy_in_the_page() -> None:
    """Distances and times come from Python: no trigonometry (haversine or any other) in the page's scripts."""
    for name in (*JS_FILES, MOUNT_JS.name):
        text = (JS_DIR / name).read_text(encoding="utf-8")
        for forbidden in ("Math.sin", "Math.cos", "Math.asin", "Math.atan", "6371"):
            assert forbidden not in text, f"{name} uses {forbidden}"


CLOCK_MAP = "tu160-2015-11-20"  #: the map whose clock and names the desktop sweep checks


@pytest.mark.browser
@pytest.mark.parametrize("sized_page", list(SIZES), indirect=True)
def test_render_js__routes_clear_of_controls_and_on_the_desktop_the_clock_and_names(
    sized_page: Any, open_offline: Any, map_files: dict[str, Path]
) -> None:
    """At 1440×900 and 390×844, for every catalogue mission, no route or weapon path's box meets a control's.

    On the phone every map also starts with the legend and the layer list collapsed, and (on the last
    map, once the sweep is over) the user's choice to open them is kept when the page is drawn again.
    On the desktop, the Tu-160 map's page also has its clock and names checked
    (:func:`_clock_waypoint_names_and_place_names`) before the sweep moves on: a map's load costs more
    than its checks, and it was a page load of its own.
    """
    page = sized_page
    phone = page.viewport_size["width"] == SIZES["phone"][0]
    assert CLOCK_MAP in map_files  # the desktop's clock and names are checked on its page
    for name, path in map_files.items():
        log = open_offline(page, path.as_uri())
        page.wait_for_function("() => window.MissionMap && window.MissionMap.fitted")
        boxes = page.evaluate(BOXES_JS, CONTROLS)
        assert boxes["paths"], f"{name}: no route drawn"
        assert all(boxes["controls"][c] for c in CONTROLS), f"{name}: a control is missing: {boxes['controls']}"
        covered = covered_paths(boxes)
        assert not covered, f"{name} at {page.viewport_size}: a route lies under the {covered[0][0]}: {covered[0][1:]}"
        if not phone and name == CLOCK_MAP:
            _clock_waypoint_names_and_place_names(page, name)
        assert log.aborted == [] and log.errors == [], f"{name}: {log.aborted} {log.errors}"
        if phone:
            assert _narrow_controls(page) == (False, 0), name
    if phone:
        _opened_controls_remembered(page)


def _narrow_controls(page: Any) -> tuple[bool, int]:
    """Whether the legend is open, and how many layer lists are expanded."""
    open_ = page.evaluate("() => document.querySelector('.msn-legend details').open")
    return open_, page.locator(".leaflet-control-layers-expanded").count()


def _opened_controls_remembered(page: Any) -> None:
    """On a narrow map, the legend and the layer list opened by the user stay open when the page is drawn again."""
    page.locator(".msn-legend summary.msn-title").click()
    page.wait_for_function("() => document.querySelector('.msn-legend details').open")
    # a block returning nothing: expand() returns the Leaflet control, whose object graph (the whole
    # map) Playwright would serialise back for minutes
    page.evaluate("() => { window.MissionMap.layerControl.expand(); }")
    page.reload()
    page.wait_for_function("() => window.MissionMap && window.MissionMap.fitted")
    assert _narrow_controls(page) == (True, 1)


def _clock_waypoint_names_and_place_names(page: Any, name: str) -> None:
    """On a desktop page of the Tu-160 map, just fitted and untouched, three checks in turn:

    * the clock follows times computed in Python: the slider's first and last times are the first
      takeoff and the last landing or impact, in UTC;
    * country and sea names show at the mission's zoom, capitals only when zoomed in;
    * waypoint names are off at first and appear, escaped, when their layer is ticked.
    """
    result = compute_mission(load_mission(catalog_missions()[name]))
    # the clock
    times = page.evaluate(
        "() => { const t = window.MissionMap.timeDimension.getAvailableTimes(); return [t[0], t[t.length - 1]]; }"
    )
    start_ms = result.start_time.timestamp() * 1000
    end_ms = result.end_time.timestamp() * 1000
    assert start_ms <= times[0] < start_ms + 30 * 60_000  # the first tick after takeoff (30 min steps at most)
    assert end_ms - 30 * 60_000 < times[1] <= end_ms + 1
    # place names at the mission's zoom
    shown = page.locator(".msn-label").all_text_contents()
    assert {"Norway", "Syria", "Norwegian Sea", "Mediterranean Sea"} <= set(shown)
    assert "Riga" not in shown  # a capital, from zoom 5
    # waypoint names
    assert page.locator(".msn-wp-label").count() == 0
    page.get_by_text("Waypoint names").click()
    page.locator(".msn-wp-label").first.wait_for()
    names = page.locator(".msn-wp-label").all_inner_texts()
    assert "Olenya air base" in json.dumps(names) or any("Olenya" in n for n in names)
    # capitals when zoomed in (last: the view moves away from the mission)
    page.evaluate("() => { const m = window.MissionMap.map; m.setView([56.9, 24.1], 6, {animate: false}); }")
    page.locator(".msn-label-capital", has_text="Riga").wait_for(state="attached")  # a zero-size anchor


@pytest.mark.browser
@pytest.mark.parametrize("sized_page", ["desktop"], indirect=True)
def test_render_js__map_laid_out_late_fits_without_errors(
    sized_page: Any, open_offline: Any, map_files: dict[str, Path], tmp_path: Path
) -> None:
    """A map whose frame has no size when it loads (as while a dashboard rerun swaps the map) fits once it
    gets one, with no NaN view ("Invalid LatLng object: (NaN, NaN)" came from fitting into 0×0)."""
    page = sized_page
    wrapper = tmp_path / "late.html"
    wrapper.write_text(
        f'<iframe id="m" src="{map_files["tu160-2015-11-20"].as_uri()}" style="width:0;height:0;border:0"></iframe>',
        encoding="utf-8",
    )
    log = open_offline(page, wrapper.as_uri())
    frame = page.frame_locator("#m")
    frame.locator(".leaflet-container").wait_for(state="attached")
    assert frame.locator(".leaflet-container[data-fitted]").count() == 0  # nothing to fit into yet
    page.evaluate(
        "() => { const f = document.getElementById('m'); f.style.width = '900px'; f.style.height = '600px'; }"
    )
    frame.locator(".leaflet-container[data-fitted]").wait_for()
    assert log.aborted == [] and log.errors == [], (log.aborted, log.errors)
