"""The dashboard's observed-track upload (``missions/dashboard/track_upload_ui.py``) driven by Streamlit's ``AppTest``.

A mission with no ``track:`` is pasted; its observed track is uploaded in the sidebar with a callsign
filter: the comparison tables show the known figures of ``tests/data/observed-mission.yaml``. A bad
file then gives one line naming it, and the last good track stays on screen.
"""

from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parent.parent / "app.py"
DATA = Path(__file__).with_name("data")
NORTHERN = (DATA / "tracks" / "observed-northern.csv").read_bytes()


def _mission_without_track() -> str:
    lines = (DATA / "observed-mission.yaml").read_text(encoding="utf-8").splitlines(keepends=True)
    return "".join(line for line in lines if not line.strip().startswith("track:"))


def _errors(at: AppTest) -> list[str]:
    """The error lines as the page shows them (the app escapes Markdown punctuation)."""
    return [re.sub(r"\\(.)", r"\1", e.value) for e in at.error]


def _summary(at: AppTest):
    return next((df.value for df in at.dataframe if "max deviation (km)" in df.value.columns), None)


def _app() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=90).run()
    at.radio(key="source").set_value("Paste").run()
    at.text_area(key="paste").set_value(_mission_without_track()).run()
    assert not at.exception and not at.error and _summary(at) is None  # no track yet
    return at


def test_app_tracks_upload__uploaded_track_is_compared_with_the_sortie():
    at = _app()
    at.text_input(key="track-callsign").set_value("RFF7082")
    at.file_uploader(key="track-upload").set_value(("adsb.csv", NORTHERN, "text/csv")).run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    summary = _summary(at)
    assert summary["sortie"].tolist() == ["Northern leg"] and 19.5 < summary["max deviation (km)"][0] < 21.0
    assert summary["coverage gaps"][0] == 1 and summary["waypoints passed"][0] == "2 of 3"
    assert any("adsb" in c.value and "positions of RFF7082 compared with Northern leg" in c.value for c in at.caption)
    # another aircraft of the same file, by its callsign: 3° south of the route
    at.text_input(key="track-callsign").set_value("RFF9999").run()
    assert _summary(at)["max deviation (km)"][0] > 300


def test_app_tracks_upload__bad_file_is_one_line_and_the_last_good_track_stays():
    at = _app()
    at.text_input(key="track-callsign").set_value("RFF7082")
    at.file_uploader(key="track-upload").set_value(("adsb.csv", NORTHERN, "text/csv")).run()
    good = _summary(at)["max deviation (km)"][0]
    at.file_uploader(key="track-upload").set_value(("junk.kml", b"<kml><Document>", "application/xml")).run()
    assert not at.exception
    errors = _errors(at)
    assert len(errors) == 1 and errors[0].startswith("junk.kml:1: not well-formed XML"), errors
    assert _summary(at)["max deviation (km)"][0] == good  # the last good track stays
    # a filter that matches nothing: its own line, the good track still shown
    at.file_uploader(key="track-upload").set_value(("adsb.csv", NORTHERN, "text/csv"))
    at.text_input(key="track-callsign").set_value("NOSUCH").run()
    errors = _errors(at)
    assert len(errors) == 1 and "no usable positions matching callsign NOSUCH" in errors[0], errors
    assert _summary(at)["max deviation (km)"][0] == good
