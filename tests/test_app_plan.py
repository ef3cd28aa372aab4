"""The dashboard's planning panel (missions/dashboard/plan.py) on the page, driven by AppTest."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from missions.airspace.plan import plan_route
from missions.parsing import parse_mission

APP = Path(__file__).resolve().parent.parent / "app.py"
TIMEOUT_S = 120


def _shown(at: AppTest, text: str) -> bool:
    """Whether a Markdown element shows ``text`` (the page escapes punctuation: ``missions.dashboard.ui.plain``)."""
    return any(text in re.sub(r"\\(.)", r"\1", m.value) for m in at.markdown)


def _metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_app_plan__use_this_route_writes_the_planned_waypoints_into_the_sortie() -> None:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S).run()
    assert not at.exception, [e.message for e in at.exception]
    before = _metric(at, "Total distance")
    # a bad request: one line, nothing planned yet
    at.text_input(key="plan_avoid_0").set_value("NATTO")
    at.button(key="plan_submit_0").click().run()
    assert not at.exception
    assert [e.value for e in at.error if "NATTO" in e.value]
    # Olenya -> Eastern Mediterranean via the Strait of Gibraltar, avoiding NATO (2015), Sweden and Finland
    at.text_input(key="plan_avoid_0").set_value("NATO, SWE, FIN")
    at.text_area(key="plan_via_0").set_value("Strait of Gibraltar")
    at.date_input(key="plan_day_0").set_value(dt.date(2015, 11, 20))
    at.button(key="plan_submit_0").click().run()
    assert not at.exception and not [e for e in at.error if "NATTO" in e.value]
    assert _shown(at, "Avoiding NATO (2015-11-20), SWE, FIN")
    # a bad request again: its line shows, the good plan stays (and can still be used)
    at.text_input(key="plan_to_0").set_value("Atlantiss")
    at.button(key="plan_submit_0").click().run()
    assert [e.value for e in at.error if "Atlantiss" in e.value]
    assert _shown(at, "Avoiding NATO (2015-11-20), SWE, FIN")
    at.button(key="plan_use").click().run()
    assert not at.exception, [e.message for e in at.exception]
    text, label = at.session_state["good_view"]
    assert label.endswith("(edited)")
    route = parse_mission(text, file="edited.yaml").sorties[0].route
    expected = plan_route(
        "Olenya", "Eastern Mediterranean", via=["Strait of Gibraltar"], avoid="NATO,SWE,FIN", day=dt.date(2015, 11, 20)
    )
    turns = [p for p in expected.points if p.planned]
    labels = [w.point.label for w in route]
    assert labels[0] == "Olenya" and labels[len(turns) + 2] == "Eastern Mediterranean"
    assert f"{turns[0].lat_deg:.4f}, {turns[0].lon_deg:.4f}" == labels[1]
    assert route[len(turns) + 2].launches  # the launch point keeps its launch
    assert _metric(at, "Total distance") != before


def _countries(at: AppTest) -> set[str]:
    """Every cell of the page's tables that names a country overflown (the countries tab)."""
    return {str(v) for df in at.dataframe for v in df.value.to_numpy().ravel() if "(" in str(v) or str(v).isalpha()}


def test_app_land_only__sidebar_toggle_switches_the_overflight_rule() -> None:
    """Sovereign airspace by default: the Tu-160 crosses Spain's sea off Cape Trafalgar; land only: not."""
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S).run()
    assert not at.exception
    assert any("Spain" in v for v in _countries(at))
    at.toggle(key="land_only").set_value(True).run()
    assert not at.exception
    names = _countries(at)
    assert any("Syria" in v for v in names) and not any("Spain" in v for v in names)
