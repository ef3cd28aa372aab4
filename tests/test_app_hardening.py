"""The dashboard under hostile input: one line per error, the last good mission stays, no traceback.

Also the large-mission path (one sortie editor chosen from a list instead of a tab per sortie) and
several sessions editing at once, each seeing its own edits only.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from benchmarks.synthetic import synthetic_mission_yaml
from tests.test_hardening import mission_text

APP = Path(__file__).resolve().parent.parent / "app.py"
TIMEOUT_S = 120


def _literal(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown)


def _digest(text: str) -> str:
    """The editor widgets' key part: the mission text's digest (``app.digest``)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def _metrics(at: AppTest) -> list[tuple[str, str]]:
    return [(m.label, m.value) for m in at.metric]


def _paste(at: AppTest, text: str) -> AppTest:
    at.radio(key="source").set_value("Paste").run()
    return at.text_area(key="paste").set_value(text).run()


HOSTILE = [
    (mission_text(takeoff="9999-12-31T23:00:00Z"), "year 9999 is outside 1900-2200"),
    (mission_text(speed="0.000001 kn"), "below 10 km/h"),
    (mission_text(extra="hold: 1e400 h"), "above 30 days"),
    (mission_text(extra="radius: 1e308 km"), "above 100,000 km"),
    (mission_text(extra="note: !!float hello"), "tagged !!float"),
    (
        mission_text().replace("    aircraft: Tu-160\n", f"    aircraft: Tu-160\n    count: {'9' * 4301}\n"),
        "4,301 characters",
    ),
    (mission_text().replace("40, 20", "Nowhere " * 20_000), "characters"),
    ("sorties: [" + "1," * 700_000 + "1]", "limited to 600,000"),
]


@pytest.fixture(scope="module")
def good_app() -> AppTest:
    return AppTest.from_file(str(APP), default_timeout=TIMEOUT_S).run()


@pytest.mark.parametrize(("text", "words"), HOSTILE, ids=range(len(HOSTILE)))
def test_app__hostile_paste_one_line_and_last_good_mission_stays(good_app: AppTest, text: str, words: str) -> None:
    at = good_app
    at.radio(key="source").set_value("Catalogue").run()
    before = _metrics(at)
    header = at.main.header[0].value
    _paste(at, text)
    assert not at.exception
    errors = [_literal(e.value) for e in at.error]
    assert len(errors) == 1, errors
    assert words in errors[0] and errors[0].startswith("<pasted>")
    assert "\n" not in errors[0] and len(errors[0]) < 700
    assert "Traceback" not in errors[0] and "/work/" not in errors[0] and "site-packages" not in errors[0]
    assert _metrics(at) == before and at.main.header[0].value == header


def test_app__large_mission_edits_one_chosen_sortie() -> None:
    text = synthetic_mission_yaml(30, 4)
    at = _paste(AppTest.from_file(str(APP), default_timeout=TIMEOUT_S).run(), text)
    assert not at.exception and not at.error, [e.value for e in at.error]
    chooser = at.selectbox(key=f"edit-sortie-{_digest(text)}-0")  # edit generation 0
    assert chooser.label == "Sortie to edit (30 sorties)"
    editors = [d.key for d in at.dataframe if (d.key or "").startswith("route-")]
    assert editors == [f"route-{_digest(text)}-0-0"]  # one waypoint table: the chosen sortie's, not one per sortie
    assert not [t for t in at.tabs if t.label == "S0"]  # no tab per sortie
    assert "left out for missions of more than" in " ".join(i.value for i in at.info)
    distance_before = next(v for label, v in _metrics(at) if label == "Total distance")
    chooser.set_value(7).run()
    edits = {"edited_rows": {1: {"place": "0, 0"}}, "added_rows": [], "deleted_rows": []}
    at.session_state[f"route-{_digest(text)}-0-7"] = edits
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert next(v for label, v in _metrics(at) if label == "Total distance") != distance_before


def _session_text(index: int) -> str:
    return (
        f"name: Session {index}\nsorties:\n  - name: A{index}\n    aircraft: Tu-160\n"
        f"    takeoff: 2015-11-20T00:00:00Z\n    speed: 900 km/h\n    route: ['0, 0', '0, {10 + index}']\n"
    )


def test_app__sessions_editing_at_once_each_see_their_own_edit() -> None:
    """Live sessions of one server process, their steps interleaved: shared caches leak nothing.

    AppTest drives one script run at a time. Four sessions (ten until the suite had to fit its time): a
    cache shared across sessions shows with any two; each session here runs after the others' edits in
    both orders (reversed, then forward), so every one sees a different mission run just before its own.
    """
    sessions = [AppTest.from_file(str(APP), default_timeout=TIMEOUT_S).run() for _ in range(4)]
    for i, at in enumerate(sessions):
        _paste(at, _session_text(i))
    for i, at in enumerate(sessions):  # every session edits its own mission: the end moves 1° east
        at.session_state[f"route-{_digest(_session_text(i))}-0-0"] = {
            "edited_rows": {1: {"place": f"0, {11 + i}"}},
            "added_rows": [],
            "deleted_rows": [],
        }
    for at in reversed(sessions):
        at.run()
    for i, at in enumerate(sessions):
        at.run()  # a rerun after every other session's edit: still its own mission and edit
        assert not at.exception and not at.error, (i, [e.value for e in at.error])
        assert _literal(at.main.header[0].value) == f"Session {i}"
        # 111.3195 km per degree on the equator
        distance = next(v for label, v in _metrics(at) if label == "Total distance")
        assert distance == f"{111.3195 * (11 + i):,.0f} km", (i, distance)


def test_app__many_waypoints_in_few_sorties_is_large_too() -> None:
    text = synthetic_mission_yaml(2, 210)  # 420 waypoints in 2 sorties
    at = _paste(AppTest.from_file(str(APP), default_timeout=TIMEOUT_S).run(), text)
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.selectbox(key=f"edit-sortie-{_digest(text)}-0").label == "Sortie to edit (2 sorties)"
    assert "or 400 waypoints" in " ".join(i.value for i in at.info)
