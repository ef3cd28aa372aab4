"""The mission dashboard: ``streamlit run app.py``.

Widgets -> core -> rendering. Every step that costs anything (parsing, computing, tables, the map,
edits) goes through ``st.cache_data`` keyed by the mission text and the units, so a rerun that does
not change the mission recomputes nothing. Tables and edits are pure functions in
:mod:`missions.dashboard`, :mod:`missions.dashboard_edit` and :mod:`missions.dashboard_view`; the
views are in :mod:`missions.dashboard_ui`; the map is the mounted map of :mod:`missions.dashboard_map`
(only the mission's data is sent on a change).

The mission on screen is built in three layers kept in session state: the *source* (catalogue,
upload, pasted text or a shared link; the last one that parses), the *working* text (the source
plus waypoints added by clicking the map) and the editor's edits on top of it (the *view*).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, cast

import pandas as pd
import streamlit as st

from missions import dashboard, dashboard_view
from missions import dashboard_tracks_ui as tracks_ui
from missions import dashboard_ui as ui
from missions.analysis import MissionResult, compute_mission
from missions.dashboard_map import MAP_KEY, MapPage, map_page, read_click, show_map
from missions.dashboard_plan import plan_panel
from missions.errors import MissionError, MissionFileError
from missions.parsing import parse_mission
from missions.render.payload import map_payload
from missions.tables import mission_tables
from missions.units import Units

SOURCES = ("Catalogue", "Upload", "Paste", "From article")
#: above this many sorties the editor edits one chosen sortie instead of one tab per sortie, and
#: the page leaves out the timeline chart (summary, canvas map and tables stay)
LARGE_MISSION_SORTIES = 12
#: ... or more waypoints than this in all
LARGE_MISSION_WAYPOINTS = 400


def is_large(result: MissionResult) -> bool:
    """Whether the page shows the large-mission view (one sortie editor, no timeline chart)."""
    sorties = result.mission.sorties
    return len(sorties) > LARGE_MISSION_SORTIES or sum(len(s.route) for s in sorties) > LARGE_MISSION_WAYPOINTS


PASTE_HINT = "name: My mission\nsorties:\n  - name: One\n    aircraft: Tu-160\n    takeoff: 2015-11-20T03:00:00Z\n"


# --- cached core calls: keyed by the mission text (+ units) -------------------------------------


# the computed mission is immutable (frozen dataclasses): shared by every call and session instead of
# copied out of a pickle each time (st.cache_data), which costs a whole large mission per call
@st.cache_resource(max_entries=16, show_spinner=False)
def analyse(text: str, label: str) -> tuple[MissionResult | None, str | None]:
    """The computed mission, or the one-line error (``file:line: field: problem``)."""
    try:
        return compute_mission(parse_mission(text, file=label)), None
    except MissionError as exc:
        return None, exc.one_line()


def computed(text: str, label: str) -> MissionResult:
    """The computed mission of a text already known to parse (the page only keeps such texts)."""
    result, error = analyse(text, label)
    if result is None:
        raise RuntimeError(f"a mission the page kept no longer parses: {error}")
    return result


@st.cache_resource(max_entries=16, show_spinner=False)
def checks(text: str, label: str, units: Units, land_only: bool = False) -> tuple[Any, Any, str | None]:
    """Feasibility and overflight of the computed mission, or the one-line error that stopped them.

    Overflight counts sovereign airspace (land, internal waters, territorial sea), or land alone
    (``land_only``: the sidebar's "Land only").

    Their sentences (findings, claim reasons) are written by the core in ``units``
    (:func:`missions.units.message_units`); the figures do not depend on it. A mission that computes
    but cannot be assessed stays on screen: the error is shown beside it.
    """
    from missions.airspace import mission_airspace
    from missions.feasibility import assess
    from missions.units import check_units, message_units

    result = computed(text, label)
    try:
        with message_units(check_units(units)):
            air = mission_airspace(result, territorial_sea_nm=0.0 if land_only else None)
            return assess(result, air), air, None
    except MissionError as exc:
        return None, None, exc.one_line()


@st.cache_data(max_entries=64, show_spinner=False)
def tables(text: str, label: str, units: Units, land_only: bool = False) -> dict[str, Any]:
    """Metric cards, the legs, claims, findings and countries tables and the timeline (Vega-Lite)."""
    result = computed(text, label)
    feas, air, error = checks(text, label, units, land_only)
    rows = mission_tables(result, feas, air)  # the core's typed tables, built once per change
    large = is_large(result)
    timeline = pd.DataFrame() if large else dashboard.timeline_frame(result, tables=rows)
    claims = dashboard.claims_frame(result, units, feas, tables=rows)
    return {
        "metrics": dashboard.metrics(result, units),
        "headline": dashboard_view.headline(result, units),
        "legs": dashboard_view.table_display(dashboard.legs_frame(result, units, feas, tables=rows), ui.LEGS_NUMBERS),
        "timeline": None if timeline.empty else dashboard_view.timeline_spec(timeline),
        "claims_view": dashboard_view.claims_view(claims, result, units),
        "findings": None if feas is None else dashboard.findings_frame(feas, air, tables=rows),
        "status": None if feas is None else dashboard.status_frame(feas),
        "countries": None
        if air is None
        else dashboard_view.table_display(
            dashboard.countries_frame(result, air, units, tables=rows), ui.COUNTRIES_NUMBERS
        ),
        "checks_error": error,
        "timeline_note": (
            f"The timeline is left out for missions of more than {LARGE_MISSION_SORTIES} sorties "
            f"or {LARGE_MISSION_WAYPOINTS} waypoints."
            if large
            else "Nothing to show on a timeline."
        ),
    }


@st.cache_data(max_entries=16, show_spinner=False)
def observed(text: str, label: str) -> tuple[tuple[Any, ...], list[Any], str | None]:
    """The sorties' observed tracks compared (``track:``), their lines for the map, or the one-line error."""
    from missions.tracks.observed import load_comparisons, observed_lines

    result, _ = analyse(text, label)
    if result is None or not any(s.sortie.track for s in result.sorties):
        return (), [], None
    try:
        comparisons = load_comparisons(result)
    except MissionError as exc:
        return (), [], exc.one_line()
    return comparisons, observed_lines(comparisons), None


@st.cache_data(max_entries=8, show_spinner="Reading the observed track...")
def uploaded_comparison(text: str, label: str, upload: Any) -> tuple[Any, str | None]:
    """An uploaded observed track compared with its sortie (missions.dashboard_tracks), or the one-line error."""
    from missions.dashboard_tracks import compare_upload

    try:
        return compare_upload(computed(text, label), upload), None
    except MissionError as exc:
        return None, exc.one_line()


@st.cache_data(max_entries=8, show_spinner=False)
def observed_shown(text: str, label: str, upload: Any = None) -> tuple[tuple[Any, ...], list[Any], str | None]:
    """The mission file's observed tracks, the uploaded one (known good) in place of its sortie's."""
    from missions.dashboard_tracks import with_upload
    from missions.tracks.observed import observed_lines

    comparisons, lines, error = observed(text, label)
    if upload is None:
        return comparisons, lines, error
    merged = with_upload(comparisons, uploaded_comparison(text, label, upload)[0])
    return merged, observed_lines(merged), error


@st.cache_data(max_entries=16, show_spinner=False)
def map_data(
    text: str,
    label: str,
    units: Units,
    ring_at: tuple[str, int] | None = None,
    upload: Any = None,
    land_only: bool = False,
) -> MapPage:
    """The mission's map payload (JSON and digest) for the mounted map (missions.dashboard_map)."""
    result = computed(text, label)
    feas, air, _ = checks(text, label, units, land_only)
    rings_at = [ring_at] if ring_at is not None else []
    payload = map_payload(result, units=units, feasibility=feas, airspace=air, range_rings_at=rings_at,
                          observed=observed_shown(text, label, upload)[1])  # fmt: skip
    return map_page(payload.page_json())


@st.cache_data(max_entries=16, show_spinner=False)
def editor_table(text: str, label: str, sortie_index: int) -> pd.DataFrame:
    return dashboard.waypoints_frame(computed(text, label).mission, sortie_index)


@st.cache_data(max_entries=16, show_spinner=False)
def mission_document(text: str) -> dict[str, Any]:
    return dashboard.mission_document(text)


@st.cache_data(max_entries=64, show_spinner=False)
def edited_text(text: str, label: str, edits: tuple[tuple[int, pd.DataFrame, str, str], ...]) -> str:
    """The mission text after the sorties' edits (the text itself when nothing changed)."""
    result = computed(text, label)
    document = mission_document(text)
    changed = [
        dashboard.SortieEdit(i, cast("list[dict[str, Any]]", rows.to_dict("records")), takeoff, speed)
        for i, rows, takeoff, speed in edits
        if (takeoff, speed) != dashboard.sortie_fields(document, i) or not rows.equals(editor_table(text, label, i))
    ]
    return dashboard.edit_mission(text, result.mission, changed, document=document) if changed else text


@st.cache_data(max_entries=16, show_spinner=False)
def export(kind: str, text: str, label: str, units: Units, land_only: bool = False) -> str:
    """A download: the self-contained HTML map, GeoJSON or the CSV legs table."""
    result = computed(text, label)
    if kind == "html":
        from missions.export.html import map_html

        feas, air, _ = checks(text, label, units, land_only)
        return map_html(result, units=units, feasibility=feas, airspace=air)
    if kind == "geojson":
        from missions.export.geojson import mission_geojson

        return json.dumps(mission_geojson(result), ensure_ascii=False)
    from missions.export.csv import legs_csv

    return legs_csv(result, units)


@st.cache_data(max_entries=16, show_spinner=False)
def export_earth(kind: str, text: str, label: str, units: Units, upload: Any = None) -> bytes:
    """A download for Google Earth or GPS devices: KML, KMZ or GPX (missions.export.files)."""
    from missions.export.files import export_bytes

    lines = observed_shown(text, label, upload)[1]
    return export_bytes(computed(text, label), kind, units=units, observed=lines)  # type: ignore[arg-type]


@st.cache_data(max_entries=8, show_spinner=False)
def figure_download(
    fmt: str, text: str, label: str, units: Units, layers: tuple[str, ...], land_only: bool = False
) -> bytes:
    """The publication figure (PNG, SVG, PDF) of the mission on screen (missions.figure)."""
    from missions.figure import figure_bytes

    feas, _, _ = checks(text, label, units, land_only)
    return figure_bytes(computed(text, label), fmt, "web", units, layers, feasibility=feas)


@st.cache_data(show_spinner=False)
def catalogue_titles() -> dict[str, str]:
    return dashboard_view.catalogue_titles(dashboard.catalog_missions())


def digest(text: str) -> str:
    """A short fingerprint of a mission text: editor widgets are keyed by it."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


# --- state and widgets ----------------------------------------------------------------------------


def init_state(catalog: list[str]) -> None:
    """First run of a session: the mission and units from the URL (``?mission=...&units=nm``, or a
    shared mission ``?m=...``)."""
    state, params = st.session_state, st.query_params
    if "started" not in state:
        state["started"] = True
        name = params.get("mission", dashboard.DEFAULT_MISSION)
        state["mission"] = name if name in catalog else dashboard.DEFAULT_MISSION
        shared = dashboard_view.read_share(params["m"]) if "m" in params else None
        if shared is not None:
            state["source"], state["paste"] = "Paste", shared
        units = params.get("units", "km")
        state["units"] = units if units in dashboard.UNITS else "km"
        state["edit_gen"] = 0
    state.setdefault("mission", dashboard.DEFAULT_MISSION)  # its selectbox's state goes while hidden


def sync_url(source: str) -> None:
    """Keep the chosen catalogue mission and the units in the URL, so a shared link opens this view."""
    params, state = st.query_params, st.session_state
    wanted = {"units": state["units"]}
    if source == "Catalogue":
        wanted["mission"] = state["mission"]
    elif "mission" in params:
        del params["mission"]
    for key, value in wanted.items():
        if params.get(key) != value:
            params[key] = value


def new_mission() -> None:
    """The "New mission" button: the template in the paste box."""
    st.session_state["source"] = "Paste"
    st.session_state["paste"] = dashboard_view.NEW_MISSION


@st.cache_data(max_entries=8, show_spinner="Drafting the mission from the article...")
def _article_draft(article: str) -> tuple[str | None, str | None]:
    from missions.draft import article_draft

    return article_draft(article)


def article_source() -> tuple[str, str | None, str, str | None]:
    """ "From article": paste a news report; its draft (every value with its sentence) is the mission."""
    article = st.text_area("News article (plain text)", height=300, key="article")
    if not article.strip():
        st.info("Paste a news report: the draft mission marks every guess 'review:' and every filled value 'filled:'.")
        return "From article", None, "<article>", None
    draft, error = _article_draft(article)
    if draft is not None:
        st.download_button("Download the draft (YAML)", draft, file_name="draft.yaml", key="article-draft")
        with st.expander("Draft mission (YAML): edit it under Paste"):
            st.code(draft, language="yaml")
    return "From article", draft, "<article draft>", error


def source_widgets(catalog: dict[str, Path]) -> tuple[str, str | None, str, str | None]:
    """The sidebar's mission source: (which source, text or None, file label, error reading it)."""
    with st.sidebar:
        st.header("Mission", anchor=False)
        source = st.radio("Source", SOURCES, horizontal=True, key="source")
        st.button("New mission", on_click=new_mission, help="Start from a complete example mission (pasted text).")
        if source == "Catalogue":
            titles = catalogue_titles()
            name = st.selectbox(
                "Catalogue mission", list(catalog), key="mission", format_func=lambda n: titles.get(n, n)
            )
            if name is None:  # no mission chosen (an empty catalogue)
                return source, None, "<catalogue>", None
            return source, catalog[name].read_text(encoding="utf-8"), catalog[name].name, None
        if source == "Upload":
            upload = st.file_uploader("Mission file (YAML or JSON)", type=["yaml", "yml", "json"], key="upload")
            if upload is None:
                return source, None, "<upload>", None
            try:
                return source, upload.getvalue().decode("utf-8-sig"), upload.name, None
            except UnicodeDecodeError:
                error = MissionFileError("not UTF-8 text; save the mission file as UTF-8", file=upload.name)
                return source, None, upload.name, error.one_line()
        if source == "From article":
            return article_source()
        text = st.text_area("Mission text (YAML or JSON)", height=300, key="paste", placeholder=PASTE_HINT)
        return source, (text if text.strip() else None), "<pasted>", None


def read_source(catalog: dict[str, Path]) -> tuple[str, list[str]]:
    """The sidebar: mission source and units. A source that parses becomes ``good_source``.

    Returns the source kind and the errors to show (one line each); the last good source stays.
    """
    source, text, label, read_error = source_widgets(catalog)
    st.sidebar.radio(
        "Units", dashboard.UNITS, horizontal=True, key="units", format_func=lambda u: dashboard.UNIT_NAMES[u]
    )
    st.sidebar.toggle(
        "Land only",
        key="land_only",
        help="Overflight by land alone. Off (the default): sovereign airspace, i.e. land, internal waters "
        "(bays up to 24 nm, the White Sea) and the territorial sea (12 nm; Greece 10 nm).",
    )
    sync_url(source)
    errors = [read_error] if read_error else []
    if text is not None:
        _, error = analyse(text, label)
        if error is None:
            st.session_state["good_source"] = (text, label)
        else:
            errors.append(error)
    elif source == "Paste" and not errors:
        st.sidebar.info("Paste a mission in YAML or JSON; the last good mission stays on screen meanwhile.")
    return source, errors


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
    state = st.session_state
    state["working"]["text"] = state["working"]["base"]
    state["edit_gen"] += 1
    state.pop("good_view", None)


def _sortie_edit_form(
    text: str, label: str, key: str, document: dict[str, Any], i: int, n_waypoints: int
) -> tuple[int, pd.DataFrame, str, str]:
    """Takeoff, speed and the waypoint table of sortie ``i``: (index, rows, takeoff, speed) as edited."""
    takeoff0, speed0 = dashboard.sortie_fields(document, i)
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
    if is_large(result):
        # a large mission: one editor, for the sortie chosen (never one tab and table per sortie)
        chosen = st.selectbox(
            f"Sortie to edit ({len(sorties):,} sorties)",
            range(len(sorties)),
            format_func=lambda i: ui.plain(sorties[i].name),
            key=f"edit-sortie-{key}",
        )
        edit = _sortie_edit_form(text, label, key, document, int(chosen), len(sorties[chosen].route))
        return edited_text(text, label, (edit,))
    edits = []
    for i, tab in enumerate(st.tabs([ui.plain(s.name) for s in sorties])):
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
            st.error(ui.plain(dashboard_view.editor_message(error, names)), icon="⚠")
    text, label = st.session_state.get("good_view", (source_text, source_label))
    return text, label, text != source_text


def share_line(source: str, text: str, edited: bool) -> None:
    """A pasted or edited mission travels in the URL (``?m=...``) when small enough."""
    params = st.query_params
    if source == "Catalogue" and not edited:
        if "m" in params:
            del params["m"]
        return
    value = dashboard_view.share_value(text)
    if len(value) <= dashboard_view.MAX_SHARE_CHARS:
        if params.get("m") != value:
            params["m"] = value
        st.caption("The address bar now holds this mission: copy the link to share it.")
    else:
        if "m" in params:
            del params["m"]
        st.info(
            f"This mission is too large to share as a link ({len(value):,} characters compressed, limit "
            f"{dashboard_view.MAX_SHARE_CHARS:,}): download the YAML below and send the file."
        )


def map_clicks(view: MissionResult) -> tuple[bool, int, int | None]:
    """Above the map: whether a click adds a waypoint, to which sortie, after which row (None: at the end)."""
    if not view.sorties:
        return False, 0, None
    left, middle, right = st.columns([2, 3, 2])
    on = left.toggle("Click the map to add a waypoint", key="click_add")
    names = [s.sortie.name for s in view.sorties]
    sortie = middle.selectbox("to sortie", range(len(names)), format_func=lambda i: names[i], key="click_sortie",
                              disabled=not on)  # fmt: skip
    after = right.number_input("after row (0: at the end)", min_value=0, step=1, key="click_after", disabled=not on)
    return on, int(sortie), int(after) or None


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
    view = computed(view_text, view_label)
    state["working"]["text"] = dashboard_view.add_waypoint(
        view_text, view.mission, sortie_index, click.lat_deg, click.lon_deg, after
    )
    state["edit_gen"] += 1
    state.pop("good_view", None)


def ring_choice(result: MissionResult) -> tuple[str, int] | None:
    """The sidebar's choice of a waypoint where the map draws the sortie's remaining range."""
    options: list[tuple[str, int] | None] = [None]
    options += [(s.sortie.name, i) for s in result.sorties for i in range(len(s.sortie.route))]
    names = {(s.sortie.name, i): f"{s.sortie.name} · {i + 1}. {wp.point.name}"
             for s in result.sorties for i, wp in enumerate(s.sortie.route)}  # fmt: skip
    choice = st.sidebar.selectbox(
        "Range left at",
        options,
        format_func=lambda o: "— (only where the range runs out)" if o is None else names[o],
        help="Draws on the map (Feasibility layer) the geodesic ring of the range the sortie has left "
        "when it leaves this waypoint, refuelling included.",
        key="ring_at",
    )
    return choice if choice in names else None


def main() -> None:
    st.set_page_config(page_title="Strike missions", page_icon="✈", layout="wide")
    catalog = dashboard.catalog_missions()
    init_state(list(catalog))
    source, errors = read_source(catalog)
    units = st.session_state["units"]
    # laid out top to bottom; filled once the editor below has said which mission to show
    head, error_box, metrics_box = st.container(), st.container(key="errors"), st.container()
    map_box, tables_box = st.container(key="map-box"), st.container(key="tables")
    good_source = st.session_state.get("good_source")
    if good_source is not None:
        source_text, source_label = good_source
        view_text, view_label, edited = edit_view(source_text, source_label)
        view = computed(view_text, view_label)
        with head:
            st.header(ui.plain(view.mission.name), anchor=False)
            if edited:
                left, right = st.columns([5, 1])
                left.markdown(":orange-badge[✎ edited] — the map, tables and downloads show your edits.")
                right.button("Undo edits", on_click=undo_edits, key="undo")
            if view.mission.description:
                st.caption(ui.plain(view.mission.description))
            share_line(source, view_text, edited)
        land_only = bool(st.session_state.get("land_only", False))
        data = tables(view_text, view_label, units, land_only)
        track, upload, track_error = tracks_ui.shown_upload(
            tracks_ui.upload_widgets(view), lambda u: uploaded_comparison(view_text, view_label, u)
        )
        errors += [track_error] if track_error else []
        with metrics_box:
            ui.show_metrics(data["metrics"], data["headline"])
        with map_box:
            clicks, sortie_index, after = map_clicks(view)
            ring_at = ring_choice(view) if view.sorties else None
            # where a click adds a waypoint: read by add_clicked_waypoint before the run the click starts
            st.session_state["click_target"] = (view_text, view_label, sortie_index, after) if clicks else None
            show_map(
                map_data(view_text, view_label, units, ring_at, upload, land_only),
                clicks=clicks,
                on_click=add_clicked_waypoint,
            )
            names = [s.sortie.name for s in view.sorties]
            planned = plan_panel(view_text, view.mission, units, names)
            if planned is not None:
                use_edited_text(planned)
        with tables_box:
            ui.show_tables(data)
            ui.show_observed(observed_shown(view_text, view_label, upload), view, units)
            tracks_ui.show_upload_note(track)
            stem = "mission" if source_label.startswith("<") else Path(source_label).stem
            ui.show_downloads(
                view_text, units, stem + ("-edited" if edited else ""),
                lambda kind: export(kind, view_text, view_label, units, land_only),
                lambda kind: export_earth(kind, view_text, view_label, units, upload),
                lambda fmt, layers: figure_download(fmt, view_text, view_label, units, layers, land_only),
            )  # fmt: skip
    ui.show_help()
    for error in errors:
        error_box.error(ui.plain(error), icon="⚠")


main()
