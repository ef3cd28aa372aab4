"""The dashboard's map: one mounted map page that receives only the mission's data on each change.

Sending the whole folium page (0.7 MB: Leaflet, plugins, basemap, mission) through a fresh iframe on
every rerun made each change cost seconds in the browser. Here the page of
:mod:`missions.render.mounted` is a Streamlit component (``declare_component`` with a static
directory, served from 127.0.0.1) that stays mounted under one key: Leaflet and the basemap load
once, and each rerun sends the payload of :func:`missions.render.payload.map_payload` as a JSON
string with its digest; the page redraws the mission only when the digest changes.

A click on the map (with ``clicks``) comes back as ``{"lat", "lng", "id"}``; ``id`` is new for each
click, so the caller can tell a new click from the last one, which the component keeps returning.
Before any click, the page reports its first mission drawn as ``{"drawn": digest}``
(:func:`first_map_pending`: the dashboard sends the rest of the page after it).

The first run of a browser's session sends the map page before anything is computed, without a
mission (:func:`mount_early`), so that the browser loads Streamlit's component module, the map page's
files and scripts and creates the map while the server imports the core and computes the mission;
that run ends with a rerun (:func:`end_early_run`), which sends the mission to the map already there.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import streamlit as st
import streamlit.components.v1 as components

#: the map's height in the page (CSS pixels)
MAP_HEIGHT_PX = 560
#: the component's name; its iframe's title is ``missions.dashboard.map.mission_map``
COMPONENT_NAME = "mission_map"
#: the map's widget key: one mounted map per session
MAP_KEY = "mission-map"
#: session state: the first run of this session sent the map without the rest of the page
_WAITED = "map-first-waited"
#: session state: the map page was sent ahead of the mission (the session's first run)
_EARLY = "map-sent-early"


@dataclass(frozen=True, kw_only=True)
class MapPage:
    """A mission's map payload as sent to the page: the JSON and its digest."""

    payload_json: str
    digest: str


@dataclass(frozen=True, kw_only=True)
class MapClick:
    """A click on the map: where (degrees, longitude in [-180, 180]) and which click (``click_id``)."""

    lat_deg: float
    lon_deg: float
    click_id: str


def map_page(payload_json: str) -> MapPage:
    """The payload JSON with its digest (the page redraws when the digest changes)."""
    return MapPage(payload_json=payload_json, digest=hashlib.sha256(payload_json.encode("utf-8")).hexdigest()[:16])


def _component() -> Any:
    """The component, declared on each run (cheap; it registers with the running server's registry)."""
    from ..render.mounted import page_dir

    return components.declare_component(COMPONENT_NAME, path=str(page_dir()))


def read_click(value: object) -> MapClick | None:
    """The component's value as a click (None for none, or for anything else)."""
    if not isinstance(value, dict):
        return None
    try:
        return MapClick(lat_deg=float(value["lat"]), lon_deg=float(value["lng"]), click_id=str(value["id"]))
    except (KeyError, TypeError, ValueError):
        return None


def first_map_pending(key: str = MAP_KEY) -> bool:
    """Whether a browser shows this page and its map has not yet reported a mission drawn.

    Then the page sends the map and leaves the rest (editor, tables, downloads: pandas, data grids,
    charts) to the run that the map's report starts, so that neither the server nor the browser works
    on anything else while the first map loads and draws (README, "Where the first map's time goes").
    Without a browser (no request headers: Streamlit's ``AppTest``) nothing reports, and nothing waits.
    The rest waits once per session: any later run (the map's report, or anything the reader does
    meanwhile) sends the whole page.
    """
    state = st.session_state
    if not st.context.headers or state.get(key) is not None or state.get(_WAITED):
        return False
    state[_WAITED] = True
    return True


def show_map(
    page: MapPage, *, clicks: bool, key: str = MAP_KEY, on_click: Callable[[], None] | None = None
) -> MapClick | None:
    """Draw the map (mounted once per session under ``key``); with ``clicks``, the last click on it.

    ``on_click`` runs before the next script run when the map reports a click (read it with
    :func:`read_click` from ``st.session_state[key]``), so that the click's edit needs one run, not two.
    """
    value = _mount(page, clicks=clicks, key=key, on_click=on_click)
    return read_click(value) if clicks else None


def _mount(page: MapPage, *, clicks: bool, key: str, on_click: Callable[[], None] | None) -> object:
    """The component with this page's mission (the page keeps the mission drawn while ``digest`` stays)."""
    return _component()(
        payload=page.payload_json,
        key=key,
        digest=page.digest,
        clicks=clicks,
        height=MAP_HEIGHT_PX,
        default=None,
        on_change=on_click,
    )


#: the map page without a mission (what :func:`mount_early` sends): the page draws nothing for it
NO_MISSION = MapPage(payload_json="", digest="")


def mount_early(key: str = MAP_KEY) -> bool:
    """In a browser's first run of a session, send the map page now, without a mission; whether it did.

    Call it before the core is imported: the browser then fetches the component module and the map
    page, runs its scripts and creates the map while the server imports and computes (README, "Where
    the first map's time goes"). The run must then end with :func:`end_early_run` (the map is sent
    once per run: the mission comes with the next). Without a browser (``AppTest``), nothing is sent.
    """
    state = st.session_state
    if not st.context.headers or state.get(_EARLY) or state.get(key) is not None:
        return False
    state[_EARLY] = True
    _mount(NO_MISSION, clicks=False, key=key, on_click=None)
    return True


def end_early_run() -> None:
    """End the run that sent the map early: the next run, at once, sends the mission (computed by now,
    so read from the caches) to the map already in the browser."""
    st.rerun()
