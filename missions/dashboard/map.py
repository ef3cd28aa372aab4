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
When a session opened with the same URL query before (same code, data and libraries), the map page
comes with the mission that session computed first (:mod:`.first_map`): the browser draws it before
the server has imported the core, and the next run's payload (the same digest) draws nothing again.
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
#: session state: the session's URL query (:func:`.first_map.query_key`), the digest of the first map
#: sent with the map page ("" for none) and the runs since; the first map computed is kept under it
_FIRST = "map-first-query"


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
    _keep_first(page)
    value = _mount(page, clicks=clicks, key=key, on_click=on_click)
    return read_click(value) if clicks else None


def _mount(
    page: MapPage, *, clicks: bool, key: str, on_click: Callable[[], None] | None, early: bool = False
) -> object:
    """The component with this page's mission (the page keeps the mission drawn while ``digest`` stays).

    ``early``: sent by :func:`mount_early`; the page draws its mission but does not report it drawn (the
    report would start a rerun that stops the early run while it sends the sidebar; the next run sends
    the same mission, and the page reports it then).
    """
    return _component()(
        payload=page.payload_json,
        key=key,
        digest=page.digest,
        clicks=clicks,
        early=early,
        height=MAP_HEIGHT_PX,
        default=None,
        on_change=on_click,
    )


#: the map page without a mission (what :func:`mount_early` sends): the page draws nothing for it
NO_MISSION = MapPage(payload_json="", digest="")


def mount_early(key: str = MAP_KEY) -> bool:
    """In a browser's first run of a session, send the map page now, before the mission is computed;
    whether it did.

    Call it before the core is imported: the browser then fetches the component module and the map
    page, runs its scripts and creates the map while the server imports and computes (README, "Where
    the first map's time goes"). The page carries the mission that the last session opened with the
    same URL query computed first, when the disk cache holds it for this version of the code and data
    (:mod:`.first_map`), and else none. The run must then end with :func:`end_early_run` (the map is
    sent once per run: the mission computed comes with the next). Without a browser (``AppTest``),
    nothing is sent. Call it at the top of every run: it also ends what the session's first map waits for.
    """
    state = st.session_state
    first = state.get(_FIRST)
    if isinstance(first, dict):  # the early run, then the next one (should the map's report stop it)
        first["runs"] += 1
        if first["runs"] > 1:
            del state[_FIRST]
    if not st.context.headers or state.get(_EARLY) or state.get(key) is not None:
        return False
    from . import first_map

    state[_EARLY] = True
    query = first_map.query_key({name: st.query_params.get_all(name) for name in st.query_params})
    payload = first_map.cached_first_map(query)
    early = map_page(payload) if payload is not None else NO_MISSION
    state[_FIRST] = {"query": query, "digest": early.digest, "runs": 0}
    _mount(early, clicks=False, key=key, on_click=None, early=True)
    return True


def _keep_first(page: MapPage) -> None:
    """The session's first map computed: kept as its query's (:mod:`.first_map`) unless the page
    already drew it early."""
    first = st.session_state.get(_FIRST)
    if not isinstance(first, dict):
        return
    del st.session_state[_FIRST]
    if first["digest"] != page.digest:
        from . import first_map

        first_map.remember_first_map(first["query"], page.payload_json)


def end_early_run(page: MapPage | None = None) -> None:
    """End the run that sent the map early: the next run, at once, sends the mission (``page``: computed
    by now, so read from the caches) to the map already in the browser."""
    if page is not None:
        _keep_first(page)
    else:  # no mission to show (its text has an error): nothing to keep for this query
        st.session_state.pop(_FIRST, None)
    st.rerun()
