"""The dashboard's editing: the sortie editor, waypoints added by a click on the map, undo, the share link.

The mission on screen is built in three layers kept in session state: the *source* (catalogue,
upload, pasted text or a shared link; the last one that parses: :mod:`.sidebar`), the *working* text
(the source plus waypoints added by clicking the map, or a planned route) and the editor's edits on
top of it (the *view*). The edits themselves are pure functions of the text (:mod:`.edit`,
:func:`.view.add_waypoint`), cached in :mod:`.cached`.
"""

from __future__ import annotations

import hashlib
from typing import Any

import pandas as pd
import streamlit as st

from ..analysis import MissionResult
from . import frames, view
from .cached import analyse, computed, edited_text, editor_table, mission_document
from .map import MAP_KEY, read_click
from .ui import plain


def digest(text: str) -> str:
    """A short fingerprint of a mission text: editor widgets are keyed by it."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def working_text(source_text: str) -> str:
    """The source plus the waypoints added on the map (reset when the source changes)."""
    state = st.session_state
    if state.get("working", {}).get("base") != source_text:
        state["working"] = {"base": source_text, "text": source_text}
    return str(state["working"]["text"])


def use_edited_text(text: str) -> None:
    """An edit made outside the sortie editor (the planning panel's "Use this route"): it becomes the
    working text, the editor starts again from it, and the page redraws."""
    state = st.session_state
    state["working"]["text"] = text
    state["edit_gen"] += 1
    state.pop("good_view", None)
    st.rerun()


def undo_edits() -> None:
    """The "Undo edits" button: back to the source as it was loaded."""
    state = st.session_state
    state["working"]["text"] = state["working"]["base"]
    state["edit_gen"] += 1
    state.pop("good_view", None)


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
    key = f"{digest(text)}-{st.session_state['edit_gen']}"
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
            f"Sortie to edit ({len(sorties):,} sorties)",
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
    base_label = source_label if base == source_text else f"{source_label} (edited)"
    result = computed(base, base_label)
    with st.container(key="editor"):
        st.subheader("Edit a sortie", anchor=False)
        view_text = sortie_editor(base, base_label, result)
        view_label = source_label if view_text == source_text else f"{source_label} (edited)"
        _, error = analyse(view_text, view_label)
        if error is None:
            st.session_state["good_view"] = (view_text, view_label)
        else:
            names = [s.name for s in result.mission.sorties]
            st.error(plain(view.editor_message(error, names)), icon="⚠")
    text, label = st.session_state.get("good_view", (source_text, source_label))
    return text, label, text != source_text


def show_head(result: MissionResult, source: str, text: str, edited: bool) -> None:
    """The mission's title, the "edited" marker with its undo, the description and the share line."""
    st.header(plain(result.mission.name), anchor=False)
    if edited:
        left, right = st.columns([5, 1])
        left.markdown(":orange-badge[✎ edited] — the map, tables and downloads show your edits.")
        right.button("Undo edits", on_click=undo_edits, key="undo")
    if result.mission.description:
        st.caption(plain(result.mission.description))
    share_line(source, text, edited)


def share_line(source: str, text: str, edited: bool) -> None:
    """A pasted or edited mission travels in the URL (``?m=...``) when small enough."""
    params = st.query_params
    if source == "Catalogue" and not edited:
        if "m" in params:
            del params["m"]
        return
    value = view.share_value(text)
    if len(value) <= view.MAX_SHARE_CHARS:
        if params.get("m") != value:
            params["m"] = value
        st.caption("The address bar now holds this mission: copy the link to share it.")
    else:
        if "m" in params:
            del params["m"]
        st.info(
            f"This mission is too large to share as a link ({len(value):,} characters compressed, limit "
            f"{view.MAX_SHARE_CHARS:,}): download the YAML below and send the file."
        )


def map_clicks(result: MissionResult, text: str, label: str) -> bool:
    """Above the map: whether a click adds a waypoint, to which sortie, after which row.

    The target (``click_target``: the mission shown, the sortie, the row or None for the end) is read
    by :func:`add_clicked_waypoint` before the run the click starts.
    """
    target = None
    if result.sorties:
        left, middle, right = st.columns([2, 3, 2])
        on = left.toggle("Click the map to add a waypoint", key="click_add")
        names = [s.sortie.name for s in result.sorties]
        sortie = middle.selectbox("to sortie", range(len(names)), format_func=lambda i: names[i],
                                  key="click_sortie", disabled=not on)  # fmt: skip
        after = right.number_input("after row (0: at the end)", min_value=0, step=1, key="click_after",
                                   disabled=not on)  # fmt: skip
        target = (text, label, int(sortie), int(after) or None) if on else None
    st.session_state["click_target"] = target
    return target is not None


def add_clicked_waypoint() -> None:
    """The map reported a click (its on_change, before the next run): with clicks on, the waypoint joins
    the working text of the mission the click was made on, and that run draws it."""
    state = st.session_state
    click = read_click(state.get(MAP_KEY))
    target = state.get("click_target")
    if click is None or target is None or click.click_id == state.get("last_click"):
        return
    state["last_click"] = click.click_id
    view_text, view_label, sortie_index, after = target
    result = computed(view_text, view_label)
    state["working"]["text"] = view.add_waypoint(
        view_text, result.mission, sortie_index, click.lat_deg, click.lon_deg, after
    )
    state["edit_gen"] += 1
    state.pop("good_view", None)
