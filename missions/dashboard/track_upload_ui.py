"""The dashboard's observed-track upload: the sidebar's widgets and which upload is shown.

The comparison itself is :mod:`missions.dashboard.track_upload` (pure, tested without Streamlit), cached
by :func:`missions.dashboard.cached.uploaded_comparison`; ``app.py`` hands the comparisons to the tables,
the map and the downloads.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from ..analysis import MissionResult
from .cached import uploaded_comparison
from .page import plain
from .track_upload import MAX_GAP_MIN, UPLOAD_TYPES, TrackUpload, upload_note

if TYPE_CHECKING:
    from ..tracks.compare import Comparison


def upload_widgets(view: MissionResult) -> TrackUpload | None:
    """The sidebar's "Observed track": a file, the sortie to compare it with, a filter and the gap."""
    names = [s.sortie.name for s in view.sorties]
    if not names:
        return None
    with st.sidebar.expander("Observed track", expanded=False):
        upload = st.file_uploader(
            "Track file",
            type=list(UPLOAD_TYPES),
            key="track-upload",
            help="ADS-B or flight-tracker export: OpenSky state vectors (CSV or Parquet), FlightRadar24 CSV, "
            "a CSV with time, lat and lon columns, GPX, KML or KMZ. Compared with the sortie below.",
        )
        sortie = st.selectbox("Compare with sortie", names, key="track-sortie")
        callsign = st.text_input("Callsign (optional)", key="track-callsign", placeholder="e.g. RFF7082")
        icao24 = st.text_input("ICAO 24-bit address (optional)", key="track-icao24", placeholder="e.g. 152003")
        gap_min = st.number_input("Coverage gap over (min)", min_value=1, max_value=MAX_GAP_MIN, value=10,
                                  step=1, key="track-gap")  # fmt: skip
    if upload is None:  # the last good upload stays known: replacing a file passes through no file
        return None
    return TrackUpload(file_name=upload.name, data=upload.getvalue(), sortie=str(sortie), callsign=callsign,
                       icao24=icao24, gap_s=float(gap_min) * 60.0)  # fmt: skip


def shown_upload(
    upload: TrackUpload | None, text: str, label: str
) -> tuple[Comparison | None, TrackUpload | None, str | None]:
    """The uploaded comparison to show (with the mission ``text``), the upload it comes from, and the
    one-line error of this upload.

    An upload that cannot be read or compared gives its line, and the last good upload (same
    session) stays on screen, as the last good mission does.
    """
    state = st.session_state
    if upload is None:
        return None, None, None
    comparison, error = uploaded_comparison(text, label, upload)
    if error is None:
        state["good_track"] = upload
        return comparison, upload, None
    good = state.get("good_track")
    if isinstance(good, TrackUpload):
        kept, kept_error = uploaded_comparison(text, label, good)
        if kept_error is None:
            return kept, good, error
    return None, None, error


def show_upload_note(comparison: Comparison | None) -> None:
    """Under the observed-track tables: what the uploaded file gave (positions, rows dropped)."""
    if comparison is not None:
        st.caption(plain(upload_note(comparison)))
