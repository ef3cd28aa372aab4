"""The dashboard page (``app.py``) driven by Streamlit's ``AppTest``: widgets in, values out.

The map is a custom component (:mod:`missions.dashboard.map`) that AppTest does not draw; the browser test
(``tests/test_app_browser.py``) checks it. The figures expected on the page are the core's
(:func:`missions.dashboard.metrics` of the catalogue file), so the catalogue can be refined without
touching these tests; ``tests/test_dashboard.py`` holds the known answers.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from missions.analysis import MissionResult, compute_mission
from missions.dashboard.frames import catalog_missions, metrics, waypoints_frame
from missions.parsing import load_mission, parse_mission
from missions.units import format_duration

APP = Path(__file__).resolve().parent.parent / "app.py"
TU160 = "tu160-2015-11-20"
TIMEOUT_S = 60
EQUATOR_JSON = json.dumps({
    "name": "Equator test",
    "sorties": [{"name": "A", "aircraft": "Tu-160", "takeoff": "2015-11-20T00:00:00Z", "speed": "900 km/h",
                 "route": ["0, 0", "0, 10", "0, 20"]}],
})  # fmt: skip


def _app(**query: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S)
    at.query_params.update(query)
    return at.run()


def _literal(markdown: str) -> str:
    """What the page shows for Markdown the app escaped (``app.plain``)."""
    return re.sub(r"\\(.)", r"\1", markdown)


def _metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def _core(mission: str = TU160) -> MissionResult:
    return compute_mission(load_mission(catalog_missions()[mission]))


def _expected(label: str, units: str = "km", mission: str = TU160) -> str:
    """A metric card's value as the core computes it from the catalogue file."""
    return next(m.value for m in metrics(_core(mission), units) if m.label == label)


def _row(place: str, mission: str = TU160, sortie_index: int = 0) -> int:
    """The editor row (waypoint index) of a place as written in the catalogue file."""
    return list(waypoints_frame(_core(mission).mission, sortie_index)["place"]).index(place)


def _editor_key(mission: str, sortie_index: int) -> str:
    """The waypoint editor's key: keyed by the mission text, so another mission starts unedited."""
    text = catalog_missions()[mission].read_text(encoding="utf-8")
    return f"route-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:12]}-0-{sortie_index}"  # edit generation 0


@pytest.fixture(scope="module")
def tu160_app() -> AppTest:
    at = _app()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_app__default_mission_loads_tu160(tu160_app: AppTest) -> None:
    at = tu160_app
    assert at.selectbox(key="mission").value == TU160
    assert "Tu-160" in _literal(at.main.header[0].value)
    for card in metrics(_core(), "km"):
        assert _metric(at, card.label) == card.value
    assert 14_000 < int(_metric(at, "Total distance").removesuffix(" km").replace(",", "")) < 17_000
    assert _metric(at, "Weapons launched") == "16"
    assert not at.error
    assert at.query_params["mission"] == TU160


@pytest.mark.parametrize("units", ["nm", "mi"])
def test_app__units_switch_changes_distance_metric(units: str) -> None:
    at = _app()
    km = _metric(at, "Total distance")
    at.radio(key="units").set_value(units).run()
    assert not at.exception
    assert _metric(at, "Total distance") == _expected("Total distance", units)
    assert _metric(at, "Total distance") != km
    assert _metric(at, "Average speed (implied)").endswith({"nm": " kn", "mi": " mph"}[units])
    assert at.query_params["units"] == units
    legs = at.dataframe[0].value
    assert f"distance ({'NM' if units == 'nm' else units})" in legs.columns


def test_app__edited_waypoint_changes_total_distance() -> None:
    at = _app()
    before = _metric(at, "Total distance")
    # the bombers' "West of Portugal" moved to Lisbon's coordinates
    i = _row("West of Portugal")
    at.session_state[_editor_key(TU160, 0)] = {
        "edited_rows": {i: {"place": "38.72, -9.14"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    after = _metric(at, "Total distance")
    assert after != before
    # the edited mission (what the YAML download holds) loads back to the mission on screen
    text, label = at.session_state["good_view"]
    assert label.endswith("(edited)")
    reloaded = compute_mission(parse_mission(text, file="download.yaml"))
    assert metrics(reloaded, "km")[0].value == after
    assert reloaded.mission.sorties[0].route[i].point.lat_deg == pytest.approx(38.72)


def test_app__edited_takeoff_moves_the_flight_time() -> None:
    at = _app()
    assert _metric(at, "Flight time") == _expected("Flight time")
    # the bombers take off 10 h earlier: they are back before the escort lands, so the flight time
    # runs from their new takeoff to the escort's landing
    takeoff = next(t for t in at.text_input if t.key.startswith("takeoff-") and t.key.endswith("-0"))
    takeoff.set_value("2015-11-19T08:00:00Z").run()
    assert not at.exception and not at.error
    escort_landing = _core().sortie("Flanker escort").landing_time
    span_s = (escort_landing - dt.datetime(2015, 11, 19, 8, tzinfo=dt.UTC)).total_seconds()
    assert _metric(at, "Flight time") == format_duration(span_s)


def test_app__broken_paste_shows_error_and_keeps_previous_metrics() -> None:
    at = _app()
    before = [(m.label, m.value) for m in at.metric]
    at.radio(key="source").set_value("Paste").run()
    at.text_area(key="paste").set_value("name: Broken\nsorties:\n  - name: A\n    aircraft: Tu-160\n").run()
    assert not at.exception
    assert len(at.error) == 1
    message = _literal(at.error[0].value)
    assert message.startswith("<pasted>:3: sorties[0].takeoff: missing required field 'takeoff'")
    assert [(m.label, m.value) for m in at.metric] == before
    assert "Tu-160" in _literal(at.main.header[0].value)
    assert at.text_area(key="paste").value.startswith("name: Broken")  # nothing typed is lost


def test_app__uploaded_json_mission_replaces_the_view() -> None:
    at = _app()
    at.radio(key="source").set_value("Upload").run()
    assert "mission" not in at.query_params  # the URL no longer names a catalogue mission
    at.file_uploader(key="upload").set_value(("equator.json", EQUATOR_JSON.encode(), "application/json")).run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert _literal(at.main.header[0].value) == "Equator test"
    assert _metric(at, "Total distance") == "2,226 km"  # 2 × 10° of the equator, 1,113.195 km each
    assert _metric(at, "Weapons launched") == "0"


def test_app__upload_not_utf8_shows_error_and_keeps_mission() -> None:
    at = _app()
    before = _metric(at, "Total distance")
    at.radio(key="source").set_value("Upload").run()
    at.file_uploader(key="upload").set_value(("utf16.yaml", "name: x".encode("utf-16"), "application/yaml")).run()
    assert not at.exception
    assert [_literal(e.value) for e in at.error] == ["utf16.yaml: not UTF-8 text; save the mission file as UTF-8"]
    assert _metric(at, "Total distance") == before


def test_app__mission_strings_are_shown_literally_not_as_markdown() -> None:
    name = "Strike *one* of $5 [x](javascript:alert(1)) <b>#2</b>"
    mission = json.loads(EQUATOR_JSON) | {"name": name}
    at = _app()
    at.radio(key="source").set_value("Paste").run()
    at.text_area(key="paste").set_value(json.dumps(mission)).run()
    assert not at.exception and not at.error
    header = at.main.header[0].value
    assert _literal(header) == name
    assert re.search(r"(?<!\\)[*$\[\]()<>#]", header) is None  # every Markdown/HTML character escaped


def test_app__reruns_that_do_not_change_the_mission_recompute_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    import missions.analysis
    import missions.render.payload

    calls = {"compute_mission": 0, "map_payload": 0}

    def counted(module: object, name: str) -> None:
        original = getattr(module, name)

        def wrapper(*args: object, **kwargs: object) -> object:
            calls[name] += 1
            return original(*args, **kwargs)

        monkeypatch.setattr(module, name, wrapper)

    counted(missions.analysis, "compute_mission")
    counted(missions.render.payload, "map_payload")
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S)
    at.query_params["mission"] = "engels-2015-11-17"
    at.run()
    first = dict(calls)
    at.run()
    at.radio(key="source").set_value("Upload").run()  # no file yet: the mission stays
    assert calls == first and first["map_payload"] == 1
    at.radio(key="units").set_value("mi").run()  # new tables and map, same computed mission
    assert calls["compute_mission"] == first["compute_mission"]
    assert calls["map_payload"] == first["map_payload"] + 1
    assert not at.exception


def test_app__invalid_waypoint_edit_shows_error_and_keeps_last_good_mission() -> None:
    at = _app()
    before = _metric(at, "Total distance")
    key = _editor_key(TU160, 0)
    i = _row("West of Portugal")
    at.session_state[key] = {
        "edited_rows": {i: {"place": "Lost city of Atlantis"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert not at.exception
    assert len(at.error) == 1
    # named as the editor shows it: the sortie's tab, the row (numbered from 1) and the column
    message = _literal(at.error[0].value)
    assert message.startswith(f"Blackjack pair, row {i + 1}, place: unknown place 'Lost city of Atlantis'")
    assert _metric(at, "Total distance") == before


def test_app__query_params_select_mission_and_units() -> None:
    at = _app(mission="tu22m3-mozdok-2015-11-17", units="nm")
    assert not at.exception
    assert at.selectbox(key="mission").value == "tu22m3-mozdok-2015-11-17"
    assert at.radio(key="units").value == "nm"
    assert _literal(at.main.header[0].value).startswith("Tu-22M3 raid from Mozdok")
    assert _metric(at, "Total distance") == _expected("Total distance", "nm", "tu22m3-mozdok-2015-11-17")


@pytest.mark.parametrize("mission", list(catalog_missions()))
def test_app__every_catalogue_mission_loads(mission: str) -> None:
    at = _app(mission=mission, units="nm")
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error
    assert [m.label for m in at.metric][:5] == [
        "Total distance", "Flight time", "Refuellings", "Weapons launched", "Average speed (implied)",
    ]  # fmt: skip
    claims = compute_mission(load_mission(catalog_missions()[mission])).claims
    named = any(
        c.sortie in {s.sortie.name for s in compute_mission(load_mission(catalog_missions()[mission])).sorties}
        for c in claims
    )
    assert ("Claims checked against" in [m.label for m in at.metric]) == named
    assert _literal(at.main.header[0].value)


def test_app__sidebar_widgets_carry_the_values_the_page_set_as_their_defaults() -> None:
    """The catalogue mission and the units from the URL, and the source and text of a shared link, are
    each widget's default in every run, not only in the first: a browser that first draws a widget from
    a later run's page shows its default and sends it back (a click on the map then switched the page
    to the catalogue's first mission, or the units to nm)."""
    from missions.dashboard.page import UNITS, share_value
    from missions.dashboard.sidebar import SOURCES

    names = list(catalog_missions())
    at = _app(mission="tu22m3-mozdok-2015-11-17", units="mi").run()  # the second run sets nothing
    assert at.selectbox(key="mission").proto.default == names.index("tu22m3-mozdok-2015-11-17") != 0
    assert at.radio(key="units").proto.default == UNITS.index("mi") != 0
    at.selectbox(key="mission").set_value("engels-2015-11-17").run()
    assert at.selectbox(key="mission").proto.default == names.index("engels-2015-11-17")
    shared = EQUATOR_JSON.replace("Equator test", "Shared equator")
    at = _app(m=share_value(shared)).run()
    assert _literal(at.main.header[0].value) == "Shared equator"
    assert at.radio(key="source").proto.default == SOURCES.index("Paste") != 0
    assert at.text_area(key="paste").proto.default == shared


def test_app__unknown_query_params_fall_back_to_defaults() -> None:
    at = _app(mission="no-such-mission", units="furlongs")
    assert not at.exception
    assert at.selectbox(key="mission").value == TU160
    assert at.radio(key="units").value == "km"


def test_app__feasibility_countries_and_verdicts_tabs():
    at = _app(mission=TU160, units="km")
    assert not at.exception
    tabs = [t.label for t in at.tabs]
    assert {"Feasibility", "Countries overflown", "Claims"} <= set(tabs)
    frames = [df.value for df in at.dataframe]
    findings = next(f for f in frames if "finding" in f.columns and "severity" in f.columns)
    assert (findings["severity"] == "error").any()
    assert findings["finding"].str.contains("lands 538 km short of Olenya").any()
    countries = next(f for f in frames if "ISO" in f.columns)
    bomber = countries[countries["route"] == "Blackjack pair"]
    assert {"SYR", "IRQ", "IRN"} <= set(bomber["ISO"])
    claims = next(f for f in frames if "verdict" in f.columns)
    assert set(claims["verdict"]) <= {"consistent", "inconsistent", "impossible"}
    assert "inconsistent" in set(claims["verdict"])  # the 9,500 km claim
    legs = next(f for f in frames if "finding" in f.columns and "leg" in f.columns and "severity" not in f.columns)
    flagged = legs[legs["finding"].str.contains("⚠")]
    assert list(flagged["to"]) == ["Olenya air base"]


def test_app__unknown_aircraft_keeps_mission_and_says_why():
    at = _app()
    at.sidebar.radio(key="source").set_value("Paste").run()
    at.sidebar.text_area(key="paste").input(EQUATOR_JSON.replace("Tu-160", "Tu-161")).run()
    assert not at.exception
    assert at.header[0].value == "Equator test"
    # distances and times stay; feasibility is unknown, with the figure to give and the suggestion
    frames = [df.value for df in at.dataframe]
    findings = next(f for f in frames if "finding" in f.columns and "severity" in f.columns)
    unknown = findings[findings["finding"].str.contains("no aircraft 'Tu-161'")]
    assert len(unknown) == 1 and "'Tu-160'" in unknown["finding"].iloc[0] and "'range'" in unknown["finding"].iloc[0]


def test_app__range_ring_choice_reaches_the_map():
    at = _app(mission=TU160)
    choices = at.sidebar.selectbox(key="ring_at")
    assert choices.value is None
    choices.set_value(("Blackjack pair", 3)).run()
    assert not at.exception
    assert at.sidebar.selectbox(key="ring_at").value == ("Blackjack pair", 3)
