"""The dashboard's sortie editor: one tab per sortie (takeoff, speed, the waypoint table) over the working text.

The mission on screen is the working text (:mod:`.working`: the source plus waypoints added on the
map or a planned route) with the editor's edits on top. The edits themselves are pure functions of
the text (:mod:`.edit`), cached in :mod:`.cached`. This module imports pandas (the editor's tables):
``app.py`` imports it after the first map is sent, unless the editor holds edits and must run first.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from ..analysis import MissionResult
from ..units import format_count
from . import frames, view
from .cached import analyse, computed, edited_text, editor_table, mission_document
from .page import plain
from .working import editor_key, shown_label, working_text


def _sortie_edit_form(
    text: str, label: str, key: str, document: dict[str, Any], i: int, n_waypoints: int
) -> tuple[int, pd.DataFrame, str, str]:
    """Takeoff, speed and the waypoint table of sortie ``i``: (index, rows, takeoff, speed) as edited."""
    takeoff0, speed0 = frames.sortie_fields(document, i)
    left, right = st.columns(2)
    takeoff = left.text_input("Takeoff (ISO 8601 with a zone)", value=takeoff0, key=f"takeoff-{key}-{i}")
    speed = right.text_input("Speed", value=speed0, key=f"speed-{key}-{i}")
    rows = st.data_editor(
        editor_table(text, label, i),
        key=f"route-{key}-{i}",
        num_rows="dynamic",
        height=min(35 * (n_waypoints + 2) + 3, 740),  # every row, and one to add
        hide_index=True,
        disabled=["#", "events"],
        width="stretch",
        column_config={
            "#": st.column_config.NumberColumn("#", help="Waypoint number (empty: new)", width="small"),
            "place": st.column_config.TextColumn("place", help="Name, ICAO code or 'lat, lon'", width="large"),
            "speed": st.column_config.TextColumn("speed", help="Speed of the leg leaving this point"),
            "events": st.column_config.TextColumn("events", help="Kept with the waypoint"),
        },
    )
    return (i, rows, takeoff, speed)


def sortie_editor(text: str, label: str, result: MissionResult) -> str:
    """One tab per sortie: takeoff, speed and the waypoint table; returns the edited mission text."""
    key = editor_key(text)
    sorties = result.mission.sorties
    if not sorties:
        st.info("This mission has no sorties to edit (ship or ground launches only).")
        return text
    st.caption(
        "Edit a place (a gazetteer name, an ICAO code or coordinates such as 36.5, 35.9) or a leg's "
        "speed (e.g. 480 kn; empty: the sortie's speed); add or delete rows. Rows are numbered as in "
        "the legs table. The map, metrics and tables follow; the download keeps the file's comments."
    )
    document = mission_document(text)
    if view.is_large(result):
        # a large mission: one editor, for the sortie chosen (never one tab and table per sortie)
        chosen = st.selectbox(
            f"Sortie to edit ({format_count(len(sorties), 'sortie')})",
            range(len(sorties)),
            format_func=lambda i: plain(sorties[i].name),
            key=f"edit-sortie-{key}",
        )
        edit = _sortie_edit_form(text, label, key, document, int(chosen), len(sorties[chosen].route))
        return edited_text(text, label, (edit,))
    edits = []
    for i, tab in enumerate(st.tabs([plain(s.name) for s in sorties])):
        with tab:
            edits.append(_sortie_edit_form(text, label, key, document, i, len(sorties[i].route)))
    return edited_text(text, label, tuple(edits))


def edit_view(source_text: str, source_label: str) -> tuple[str, str, bool]:
    """The sortie editor over the working text; returns the mission to show (text, label, edited).

    An edit that does not parse is named next to the editor (sortie, row, column) and the last
    good view (``good_view``) stays on screen; nothing typed is lost.
    """
    base = working_text(source_text)
    base_label = shown_label(base, source_text, source_label)
    result = computed(base, base_label)
    st.subheader("Edit a sortie", anchor=False)
    view_text = sortie_editor(base, base_label, result)
    view_label = shown_label(view_text, source_text, source_label)
    _, error = analyse(view_text, view_label)
    if error is None:
        st.session_state["good_view"] = (view_text, view_label)
    else:
        names = [s.name for s in result.mission.sorties]
        st.error(plain(view.editor_message(error, names)), icon="⚠")
    text, label = st.session_state.get("good_view", (source_text, source_label))
    return text, label, text != source_text
