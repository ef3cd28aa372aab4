"""The dashboard with a mission naming an observed track: the comparison tables and the map's layer."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parent.parent / "app.py"
DATA = Path(__file__).with_name("data")


def test_app__observed_track_tables():
    # pasted text has no folder: the track is named by its absolute path
    text = (
        (DATA / "observed-mission.yaml")
        .read_text()
        .replace("tracks/observed-northern.csv", str(DATA / "tracks" / "observed-northern.csv"))
    )
    at = AppTest.from_file(str(APP), default_timeout=90).run()
    at.radio(key="source").set_value("Paste").run()
    at.text_area(key="paste").set_value(text).run()
    assert not at.exception and not at.error
    frames = [df.value for df in at.dataframe]
    summary = next(f for f in frames if "max deviation (km)" in f.columns)
    assert summary["sortie"].tolist() == ["Northern leg"] and 19.5 < summary["max deviation (km)"][0] < 21.0
    assert summary["coverage gaps"][0] == 1 and summary["waypoints passed"][0] == "2 of 3"
    offsets = next(f for f in frames if "offset (min)" in f.columns)
    assert offsets["observed (UTC)"].tolist()[1] == "not passed"


def test_app__unreadable_observed_track_is_one_warning():
    text = (DATA / "observed-mission.yaml").read_text().replace("tracks/observed-northern.csv", "/nonexistent/x.csv")
    at = AppTest.from_file(str(APP), default_timeout=90).run()
    at.radio(key="source").set_value("Paste").run()
    at.text_area(key="paste").set_value(text).run()
    assert not at.exception
    warnings = [w.value for w in at.warning if "Observed track not read" in w.value]
    assert len(warnings) == 1 and "no such file" in warnings[0]
