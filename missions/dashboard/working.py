"""The mission on screen before the sortie editor is drawn: the working text, map clicks, undo, the head.

The mission on screen is built in three layers kept in session state: the *source* (catalogue,
upload, pasted text or a shared link; the last one that parses: :mod:`.sidebar`), the *working* text
(the source plus waypoints added by clicking the map, or a planned route) and the sortie editor's
edits on top of it (:mod:`.editor`). While the editor of the working text has not been drawn (a new
session, another mission, a waypoint just added) it holds no edits, so the mission on screen is known
without it (:func:`unedited_view`) and the page sends the map first, the editor after it. This module
imports no pandas: the map needs none (see README, "Where the first map's time goes").
"""

from __future__ import annotations

import hashlib

import streamlit as st

from ..analysis import MissionResult
from . import page
from .cached import computed
from .map import MAP_KEY, read_click
from .page import plain

#: the sortie editor's widget keys, each followed by ``-{editor_key}``
EDITOR_WIDGETS = ("route", "takeoff", "speed", "edit-sortie")


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


def editor_key(base: str) -> str:
    """The sortie editor's key for the working text ``base``: a new key (a fresh editor, no edits) for
    each new text and after each edit made outside the editor (``edit_gen``)."""
    return f"{digest(base)}-{st.session_state['edit_gen']}"


def shown_label(text: str, source_text: str, source_label: str) -> str:
    """The label of a mission text: the source's, with " (edited)" when it differs from the source."""
    return source_label if text == source_text else f"{source_label} (edited)"


def unedited_view(source_text: str, source_label: str) -> tuple[str, str, bool] | None:
    """The mission to show (text, label, edited) when the sortie editor holds no edits: the working text.

    ``None`` when the editor of the working text has been drawn before (its widgets are in session
    state and may hold edits): then the editor must run first (:func:`.editor.edit_view`).
    """
    base = working_text(source_text)
    key = editor_key(base)
    widgets = tuple(f"{name}-{key}" for name in EDITOR_WIDGETS)
    if any(str(k) in widgets or str(k).startswith(tuple(w + "-" for w in widgets)) for k in st.session_state):
        return None
    return base, shown_label(base, source_text, source_label), base != source_text


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
    value = page.share_value(text)
    if len(value) <= page.MAX_SHARE_CHARS:
        if params.get("m") != value:
            params["m"] = value
        st.caption("The address bar now holds this mission: copy the link to share it.")
    else:
        if "m" in params:
            del params["m"]
        st.info(
            f"This mission is too large to share as a link ({len(value):,} characters compressed, limit "
            f"{page.MAX_SHARE_CHARS:,}): download the YAML below and send the file."
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
    from .view import add_waypoint  # pandas (the rows as the editor has them): only after a click

    state["working"]["text"] = add_waypoint(
        view_text, result.mission, sortie_index, click.lat_deg, click.lon_deg, after
    )
    state["edit_gen"] += 1
    state.pop("good_view", None)
