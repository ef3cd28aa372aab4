"""Observed tracks on the map (missions.render.observed + assets/js): drawn beside the route, gaps
dashed, on the same clock; strings from track files escaped."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from missions.analysis import compute_mission
from missions.export.html import map_html
from missions.parsing import load_mission
from missions.render.map import build_map
from missions.tracks.observed import load_comparisons, observed_lines

MISSION = Path(__file__).with_name("data") / "observed-mission.yaml"


@pytest.fixture(scope="module")
def observed_map(tmp_path_factory: pytest.TempPathFactory) -> Path:
    result = compute_mission(load_mission(MISSION))
    path = tmp_path_factory.mktemp("observed") / "observed.html"
    path.write_text(map_html(result, observed=observed_lines(load_comparisons(result))), encoding="utf-8")
    return path


def test_build_map__observed_records_parts_gaps_and_escaping():
    result = compute_mission(load_mission(MISSION))
    lines = observed_lines(load_comparisons(result))
    (line,) = lines
    assert len(line.parts) == 2 and all(np.all(np.diff(p.time_s) > 0) for p in line.parts)
    hostile = type(line)(name="<img src=x onerror=alert(1)>", description="a & b", parts=line.parts)
    html = build_map(result, observed=[hostile]).get_root().render()
    assert "<img src=x onerror" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


@pytest.mark.browser
def test_render_observed__drawn_beside_route_gaps_dashed_on_the_clock(
    browser_page: Any, open_offline: Any, observed_map: Path
) -> None:
    page = browser_page
    log = open_offline(page, observed_map.as_uri())
    page.wait_for_function("() => window.MissionMap && window.MissionMap.fitted")
    info = page.evaluate("""() => {
        const box = (e) => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
        const obs = [...document.querySelectorAll('path.msn-observed')];
        const gaps = [...document.querySelectorAll('path.msn-observed-gap')];
        return {observed: obs.map(box), gaps: gaps.map(e => e.getAttribute('stroke-dasharray')),
                route: [...document.querySelectorAll('path.msn-route')].map(box)};
    }""")
    assert len(info["observed"]) == 2 and info["gaps"] == ["3 7"]
    # beside the route: the observed stretches lie within the route's drawn extent (a few pixels' slack)
    r = info["route"][0]
    for b in info["observed"]:
        assert b[0] >= r[0] - 30 and b[1] >= r[1] - 30 and b[2] <= r[2] + 30 and b[3] <= r[3] + 30

    # on the clock: one marker of the observed track (its colour); in the coverage gap (18:15-18:28 UTC)
    # it stays where the aircraft was last seen, then moves on
    def markers_at(hour: int, minute: int) -> list[str]:
        ms = int(dt.datetime(2015, 11, 19, hour, minute, tzinfo=dt.UTC).timestamp() * 1000)
        return page.evaluate(
            """(ms) => { window.MissionMap.timeDimension.setCurrentTime(ms);
                return [...document.querySelectorAll('path')].filter(
                    p => p.getAttribute('fill') === '#111111' && p.getAttribute('fill-opacity') === '1')
                    .map(p => p.getAttribute('d')); }""",
            ms,
        )

    page.wait_for_function("() => window.MissionMap.timeDimension.getAvailableTimes().length > 10")
    early, gap_start, gap_end, later = markers_at(18, 5), markers_at(18, 20), markers_at(18, 27), markers_at(18, 45)
    assert all(len(m) == 1 for m in (early, gap_start, gap_end, later))
    assert gap_start == gap_end and early != gap_start and later != gap_end
    assert log.aborted == [] and log.errors == [], (log.aborted, log.errors)
