"""Planned legs and the avoided airspace on an exported map, in a real browser (offline)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from missions.analysis import compute_mission
from missions.export.html import map_html
from missions.parsing import parse_mission
from tests.test_render_planned import ROUND_IBERIA


@pytest.mark.browser
def test_render_planned__dashed_planned_legs_and_avoided_layer(
    browser_page: Any, open_offline: Any, tmp_path: Path
) -> None:
    path = tmp_path / "planned.html"
    path.write_text(map_html(compute_mission(parse_mission(ROUND_IBERIA))), encoding="utf-8")
    page = browser_page
    log = open_offline(page, path.as_uri())
    page.wait_for_function("() => window.MissionMap && window.MissionMap.fitted")
    planned = page.locator("path.msn-planned")
    assert planned.count() == 1  # the way out, planned; the way home is a plain leg
    assert planned.first.get_attribute("stroke-dasharray") == "6 8"
    assert planned.first.get_attribute("stroke") == "#fff"
    assert page.locator("path.msn-route").count() == 1
    assert page.get_by_text("Airspace avoided by the planned route").count() >= 1
    assert page.get_by_text("planned legs (the shortest permitted route)").count() == 1  # the legend
    assert log.aborted == [] and log.errors == []
