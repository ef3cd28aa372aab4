"""The dashboard sends its map first: before the editor and tables, and before pandas or pyarrow is imported.

The first script run of a session (and the run after switching mission or adding a waypoint on the
map) knows the mission to show without the sortie editor, which holds no edits yet
(:func:`missions.dashboard.working.unedited_view`), so ``app.py`` sends the map first and the editor,
tables and downloads after it. Once the editor has been drawn it may hold edits, and it runs before
the map again, so an edit still reaches the map. The map is a component AppTest does not draw: these
tests watch what ``app.py`` hands to :func:`missions.dashboard.map.show_map`.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import missions.dashboard.map
from missions.airspace import mission_airspace
from missions.analysis import compute_mission
from missions.dashboard.frames import waypoints_frame
from missions.dashboard.map import map_page
from missions.dashboard.working import digest
from missions.feasibility import assess
from missions.parsing import parse_mission
from missions.render.payload import map_payload

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"
TIMEOUT_S = 60
#: the modules the map must not wait for (the editor's and tables' pandas and pyarrow, the figures'
#: matplotlib, the exported map's folium)
HEAVY = ("pandas", "pyarrow", "matplotlib", "folium")
#: a fresh process runs the app once and says which heavy modules were loaded when the map was sent
FIRST_RUN = f"""
import json, sys
import missions.dashboard.map as m
from streamlit.testing.v1 import AppTest

loaded = []
original = m.show_map

def spy(*args, **kwargs):
    loaded.append([name for name in {HEAVY!r} if name in sys.modules])
    return original(*args, **kwargs)

m.show_map = spy
at = AppTest.from_file({str(APP)!r}, default_timeout={TIMEOUT_S}).run()
print(json.dumps({{"loaded": loaded, "exception": [e.message for e in at.exception],
                  "tables": len(at.dataframe), "metrics": len(at.metric),
                  "pandas_after": "pandas" in sys.modules}}))
"""

#: the same in browsers' sessions (request headers): what the map component is sent, in order, and
#: which of the core's modules were loaded at each; three sessions in a row, the first maps kept in the
#: folder given as argv[1]: none kept yet; the first session's kept; a wrong one kept (argv[2]: its payload)
BROWSER_FIRST_RUN = f"""
import json, sys
from pathlib import Path
import streamlit as st
import missions.dashboard.map as m
import missions.dashboard.first_map as first_map
from streamlit.testing.v1 import AppTest

class Context:
    headers = {{"Host": "127.0.0.1:8501", "User-Agent": "test"}}

st.context = Context()
first_map.cache_dir = lambda: Path(sys.argv[1])
sent = []
original = m._mount

def spy(page, **kwargs):
    sent.append([page.digest, [name for name in ("numpy", "shapely", "pyproj") if name in sys.modules]])
    return original(page, **kwargs)

m._mount = spy
sessions = []
for session in range(3):
    if session == 2:
        first_map.remember_first_map(first_map.query_key({{}}), Path(sys.argv[2]).read_text())
    sent.clear()
    at = AppTest.from_file({str(APP)!r}, default_timeout={TIMEOUT_S}).run()
    sessions.append({{"sent": list(sent), "exception": [e.message for e in at.exception], "metrics": len(at.metric),
                      "kept": m.map_page(first_map.cached_first_map(first_map.query_key({{}})) or "").digest}})
print(json.dumps(sessions))
"""


@pytest.fixture(autouse=True)
def _fresh_caches() -> Iterator[None]:
    """Streamlit's caches are the process's: what these runs compute must not reach other tests'
    counts of computations (``test_app__reruns_that_do_not_change_the_mission_recompute_nothing``)."""
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


def _spied(monkeypatch: pytest.MonkeyPatch, function: str = "show_map") -> list[str]:
    """The digests of the map pages ``app.py`` sends (through ``function`` of the map module), one per run."""
    sent: list[str] = []
    original = getattr(missions.dashboard.map, function)

    def spy(page: missions.dashboard.map.MapPage, **kwargs: Any) -> Any:
        sent.append(page.digest)
        return original(page, **kwargs)

    monkeypatch.setattr(missions.dashboard.map, function, spy)
    return sent


def _payload(text: str) -> str:
    """The map payload of a mission text as the page draws it (km, no ring, no track)."""
    result = compute_mission(parse_mission(text, file="mission.yaml"))
    air = mission_airspace(result)
    payload = map_payload(result, units="km", feasibility=assess(result, air), airspace=air, range_rings_at=[],
                          observed=[], basemap_countries=True)  # fmt: skip
    return payload.page_json()


def _digest(text: str) -> str:
    """The digest of the map page of a mission text as the page draws it."""
    return map_page(_payload(text)).digest


def test_app_first_map__sent_before_pandas_is_imported() -> None:
    done = subprocess.run(
        [sys.executable, "-c", FIRST_RUN], cwd=ROOT, capture_output=True, text=True, timeout=300, check=True
    )
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["exception"] == []
    assert report["loaded"] == [[]], "the first map waited for " + ", ".join(report["loaded"][0])
    # nothing is lost: the editor's tables and the metric cards follow the map in the same run
    assert report["tables"] >= 1 and report["metrics"] >= 5 and report["pandas_after"]


def test_app_first_map__in_a_browser_the_map_page_goes_ahead_of_the_core(tmp_path: Path) -> None:
    """A browser's first run sends the map page before the core (numpy, shapely, pyproj) is imported,
    so that the browser loads it meanwhile; the run that follows at once sends the mission to it, alone
    (the rest waits for the map's report). The first time, the page goes without a mission; the mission
    computed is then kept for the session's URL, and the next session's page carries it, drawn before the
    core is imported (the same digest follows: nothing drawn twice). A wrong map kept is drawn first
    but followed by the mission computed, which is kept instead."""
    engels = (ROOT / "missions" / "catalog" / "engels-2015-11-17.yaml").read_text(encoding="utf-8")
    wrong = map_page(_payload(engels))
    (tmp_path / "wrong.json").write_text(wrong.payload_json, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", BROWSER_FIRST_RUN, str(tmp_path / "first-maps"), str(tmp_path / "wrong.json")],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=True,
    )  # fmt: skip
    cold, warm, mended = json.loads(done.stdout.strip().splitlines()[-1])
    source = (ROOT / "missions" / "catalog" / "tu160-2015-11-20.yaml").read_text(encoding="utf-8")
    tu160 = _digest(source)
    for session in cold, warm, mended:
        assert session["exception"] == [] and session["metrics"] == 0, session
        assert session["kept"] == tu160, session  # the mission computed is what is kept
    (ahead, core_then), (mission, _) = cold["sent"]
    assert ahead == missions.dashboard.map.NO_MISSION.digest and mission == tu160
    assert not {"numpy", "shapely", "pyproj"} & set(core_then), core_then
    (ahead, core_then), (mission, _) = warm["sent"]
    assert ahead == mission == tu160  # drawn ahead, not drawn again
    assert [digest for digest, _ in mended["sent"]] == [wrong.digest, tu160]


def test_app_first_map__no_forced_garbage_collection_between_runs() -> None:
    """The README's ``streamlit run app.py`` reads ``.streamlit/config.toml``: no full ``gc.collect``
    after each run (60-120 ms of the server), which fell between the first run and the rerun that sends
    the first map's mission."""
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["runner"]["postScriptGC"] is False


def test_app_first_map__an_edit_in_the_editor_still_reaches_the_map(monkeypatch: pytest.MonkeyPatch) -> None:
    sent = _spied(monkeypatch)
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S).run()
    source = at.session_state["good_source"][0]
    assert sent == [_digest(source)]
    at.run()  # the editor is now drawn (it may hold edits): it runs before the map, which stays the same
    assert sent[-1] == sent[0]
    key = f"route-{digest(source)}-0-0"  # the first sortie's waypoint table, edit generation 0
    assert key in at.session_state
    row = list(waypoints_frame(parse_mission(source), 0)["place"]).index("West of Portugal")
    at.session_state[key] = {"edited_rows": {row: {"place": "38.72, -9.14"}}, "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    edited, label = at.session_state["good_view"]
    assert label.endswith("(edited)") and edited != source
    assert sent[-1] == _digest(edited) != sent[0]


def test_app_first_map__switching_mission_sends_the_new_map(monkeypatch: pytest.MonkeyPatch) -> None:
    sent = _spied(monkeypatch)
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S).run()
    at.selectbox(key="mission").set_value("engels-2015-11-17").run()
    assert not at.exception
    text = (ROOT / "missions" / "catalog" / "engels-2015-11-17.yaml").read_text(encoding="utf-8")
    assert at.session_state["good_view"] == (text, "engels-2015-11-17.yaml")  # the editor drawn after the map
    assert sent[-1] == _digest(text) != sent[0]


class _BrowserContext:
    """``st.context`` as in a browser's session: the request's headers (AppTest has none)."""

    headers: ClassVar[dict[str, str]] = {"Host": "127.0.0.1:8501", "User-Agent": "test"}


def test_app_first_map__in_a_browser_the_rest_follows_the_map(monkeypatch: pytest.MonkeyPatch) -> None:
    """The first run of a browser's session sends the map alone (no editor, cards, tables, downloads or
    help to render or compute meanwhile); the next run, which the map's report starts, sends them all,
    and the map stays the same."""
    monkeypatch.setattr(st, "context", _BrowserContext())
    sent = _spied(monkeypatch)
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S).run()
    assert not at.exception and len(sent) == 1
    assert len(at.metric) == 0 and len(at.dataframe) == 0 and len(at.get("arrow_data_frame")) == 0
    source = at.session_state["good_source"][0]
    assert f"route-{digest(source)}-0-0" not in at.session_state  # no editor yet
    assert not [h for h in at.main.header if h.value == "Help"]
    at.session_state[missions.dashboard.map.MAP_KEY] = {"drawn": sent[0]}  # what the page reports
    at.run()
    assert not at.exception
    assert sent[-1] == sent[0]
    assert len(at.metric) >= 5 and len(at.dataframe) >= 1 and f"route-{digest(source)}-0-0" in at.session_state
    assert [h for h in at.main.header if h.value == "Help"]
    at.run()  # and so it stays, whatever the map reports
    assert len(at.metric) >= 5


def test_app_first_map__in_a_browser_no_mission_leaves_no_map(monkeypatch: pytest.MonkeyPatch) -> None:
    """A first run with no mission to show (a shared link whose mission does not parse) still ends
    with the rerun: that run sends no map, so the map page sent ahead goes, and the error stays."""
    from missions.dashboard.page import share_value

    monkeypatch.setattr(st, "context", _BrowserContext())
    sent = _spied(monkeypatch, "_mount")
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S)
    at.query_params["m"] = share_value("name: [unclosed\n")
    at.run()
    assert not at.exception and at.error, "the mission's error is shown"
    assert sent == [missions.dashboard.map.NO_MISSION.digest]  # ahead, then no map in the rerun
    assert not at.get("component_instance")


def test_app_first_map__the_rest_waits_once_per_session(monkeypatch: pytest.MonkeyPatch) -> None:
    """Should the map never report (a page that failed to draw it), the reader's next action still
    brings the whole page."""
    monkeypatch.setattr(st, "context", _BrowserContext())
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S).run()
    assert len(at.metric) == 0
    at.radio(key="units").set_value("nm").run()
    assert not at.exception and len(at.metric) >= 5
