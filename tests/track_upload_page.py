"""The dashboard's observed-track upload in a real browser: the README's ``streamlit run app.py``.

An OpenSky-style CSV of the default mission's first sortie (its modelled flight every 60 s, one
stretch moved 30 km) is uploaded in the sidebar's "Observed track" with its callsign: the comparison
table appears, the map draws the observed track, the KML download carries it, and a broken file then
gives one line while the comparison stays. No request leaves 127.0.0.1 (``conftest.open_offline``).

The checks run on the page of ``test_app_browser__track_upload_then_edit_round_trip_...`` (in
``test_app_browser.py``), before its edits: that page opens with the default mission, the one the
track was flown for, and a dashboard page load of its own cost ~4.5 s of the renderer's CPU.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np

from missions import geodesy
from missions.analysis import compute_mission
from missions.dashboard.frames import DEFAULT_MISSION, catalog_missions
from missions.parsing import load_mission
from missions.tracks.synthetic import modelled_positions
from tests.streamlit_page import settled

PAGE_TIMEOUT_MS = 60_000
MAP_FRAME = 'iframe[title="missions.dashboard.map.mission_map"]'
DISPLACED_M = 30_000.0
DECOYS = 40  #: positions of another aircraft (DECOY1) in the file, left out by the callsign


def _track_csv() -> tuple[bytes, str, int]:
    """An OpenSky CSV of the default mission's first sortie (callsign RFF7082, with another aircraft's
    positions in the same file), the sortie's name and the count of RFF7082's positions."""
    s = compute_mission(load_mission(catalog_missions()[DEFAULT_MISSION])).sorties[0]
    t = np.arange(s.takeoff_time.timestamp(), s.landing_time.timestamp(), 60.0)
    lat, lon, heading = modelled_positions(s, t)
    moved = slice(t.size // 3, t.size // 3 + 30)
    lat[moved], lon[moved] = geodesy.destination(lat[moved], lon[moved], heading[moved] + 90.0, DISPLACED_M)
    rows = ["time,icao24,lat,lon,callsign,baroaltitude"]
    rows += [f"{int(a)},152003,{b:.5f},{c:.5f},RFF7082 ,11000" for a, b, c in zip(t, lat, lon, strict=True)]
    rows += [f"{int(a)},4b1805,0.00000,{i * 0.01:.5f},DECOY1,11000" for i, a in enumerate(t[:DECOYS])]
    return ("\n".join(rows) + "\n").encode(), s.sortie.name, t.size


def upload_compares_and_draws_the_track(page: Any) -> None:
    """On a dashboard page showing the default mission: the track's upload, its comparison, its drawing and
    its KML, then a broken file's one line (the caller checks the page's offline log)."""
    from playwright.sync_api import expect

    data, sortie, positions = _track_csv()
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text("Observed track", exact=True).click()
    # the file is set on a settled page (one set while a run is going can be lost when that run's page
    # replaces the uploader); the callsign then chooses one of the two aircraft in the file
    settled(page)
    uploader = sidebar.locator('.st-key-track-upload [data-testid="stFileUploaderDropzoneInput"]')
    uploader.set_input_files(files=[{"name": "adsb.csv", "mimeType": "text/csv", "buffer": data}])
    # two aircraft at once: one line naming both, not a track zigzagging between them
    both = rf"adsb\.csv: 2 aircraft fly at the same time .*: RFF7082 icao24 152003 \({positions:,} positions\), "
    both += rf"DECOY1 icao24 4b1805 \({DECOYS} positions\)"
    expect(page.get_by_text(re.compile(both))).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    sidebar.get_by_label("Callsign (optional)").fill("RFF7082")
    sidebar.get_by_label("Callsign (optional)").press("Enter")
    note = page.get_by_text(re.compile(rf"adsb\.csv: {positions:,} positions of RFF7082 compared with "))
    expect(note).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    expect(page.get_by_role("heading", name="Observed tracks")).to_be_visible()
    # the map draws the observed track (thinned, beside the route)
    observed = page.frame_locator(f"{MAP_FRAME} >> nth=-1").locator("path.msn-observed")
    expect(observed.first).to_be_attached(timeout=PAGE_TIMEOUT_MS)
    # the Google Earth download carries it
    button = page.get_by_role("button", name="Google Earth (KML)")
    button.scroll_into_view_if_needed()
    with page.expect_download(timeout=PAGE_TIMEOUT_MS) as download:
        button.click()
    kml = Path(download.value.path()).read_text(encoding="utf-8")
    assert "<name>Observed tracks</name>" in kml and f"RFF7082 (observed, {sortie})" in kml
    # a broken file: one line naming it; the comparison stays
    settled(page)
    uploader.set_input_files(files=[{"name": "junk.kml", "mimeType": "application/xml", "buffer": b"<kml><Doc"}])
    alert = page.locator('.st-key-errors [data-testid="stAlert"]')
    expect(alert).to_contain_text("junk.kml:1: not well-formed XML", timeout=PAGE_TIMEOUT_MS)
    assert alert.count() == 1
    expect(note).to_be_visible()
