"""The mission dashboard: ``streamlit run app.py``.

Widgets -> core -> rendering. Every step that costs anything (parsing, computing, tables, the map,
edits) goes through ``st.cache_data`` keyed by the mission text and the units, so a rerun that does
not change the mission recomputes nothing. Tables and the edit logic are pure functions in
:mod:`missions.dashboard`; the map comes from :mod:`missions.render.map`.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from missions import dashboard
from missions.analysis import MissionResult, compute_mission
from missions.errors import MissionError, MissionFileError
from missions.parsing import parse_mission
from missions.tables import mission_tables

try:  # written alongside this page: until it lands, the page says so where the map would be
    from missions.render.map import build_map
except ImportError:
    build_map = None

SOURCES = ("Catalogue", "Upload", "Paste", "From article")
_MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
MAP_HEIGHT_PX = 560
PASTE_HINT = "name: My mission\nsorties:\n  - name: One\n    aircraft: Tu-160\n    takeoff: 2015-11-20T03:00:00Z\n"


# --- cached core calls: keyed by the mission text (+ units) -------------------------------------


#: above this many sorties the editor edits one chosen sortie instead of one tab per sortie, and
#: the page leaves out the timeline chart (summary, canvas map and tables stay)
LARGE_MISSION_SORTIES = 12
#: ... or more waypoints than this in all
LARGE_MISSION_WAYPOINTS = 400


def is_large(result: MissionResult) -> bool:
    """Whether the page shows the large-mission view (one sortie editor, no timeline chart)."""
    sorties = result.mission.sorties
    return len(sorties) > LARGE_MISSION_SORTIES or sum(len(s.route) for s in sorties) > LARGE_MISSION_WAYPOINTS


# the computed mission is immutable (frozen dataclasses): shared by every call and session instead of
# copied out of a pickle each time (st.cache_data), which costs a whole large mission per call
@st.cache_resource(max_entries=16, show_spinner=False)
def analyse(text: str, label: str) -> tuple[MissionResult | None, str | None]:
    """The computed mission, or the one-line error (``file:line: field: problem``)."""
    try:
        return compute_mission(parse_mission(text, file=label)), None
    except MissionError as exc:
        return None, exc.one_line()


@st.cache_resource(max_entries=16, show_spinner=False)
def checks(text: str, label: str) -> tuple[Any, Any, str | None]:
    """Feasibility and overflight of the computed mission, or the one-line error that stopped them.

    A mission that computes but cannot be assessed (an aircraft the catalogue lacks, an unknown
    country to avoid) stays on screen: the error is shown beside it.
    """
    from missions.airspace import mission_airspace
    from missions.feasibility import assess

    result, _ = analyse(text, label)
    assert result is not None
    try:
        air = mission_airspace(result)
        return assess(result, air), air, None
    except MissionError as exc:
        return None, None, exc.one_line()


@st.cache_data(max_entries=64, show_spinner=False)
def tables(text: str, label: str, units: str) -> dict[str, Any]:
    """Metric cards, the legs, claims, findings and countries tables and the timeline (Vega-Lite)."""
    result, _ = analyse(text, label)
    assert result is not None
    feas, air, error = checks(text, label)
    rows = mission_tables(result, feas, air)  # the core's typed tables, built once per change
    large = is_large(result)
    timeline = pd.DataFrame() if large else dashboard.timeline_frame(result, tables=rows)
    return {
        "metrics": dashboard.metrics(result, units),
        "legs": dashboard.legs_frame(result, units, feas, tables=rows),
        "timeline": None if timeline.empty else timeline_chart(timeline).to_dict(),
        "claims": dashboard.claims_frame(result, units, feas, tables=rows),
        "findings": None if feas is None else dashboard.findings_frame(feas, air, tables=rows),
        "status": None if feas is None else dashboard.status_frame(feas),
        "countries": None if air is None else dashboard.countries_frame(result, air, units, tables=rows),
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


@st.cache_data(max_entries=16, show_spinner=False)
def folium_map(text: str, label: str, units: str, ring_at: tuple[str, int] | None = None) -> Any:
    """The map with its scripts and stylesheets as ``data:`` URIs (st_folium then needs no network).

    ``ring_at``: (sortie name, waypoint index) where to draw the remaining-range ring.
    """
    from missions.render.offline import offline_map_defaults

    result, _ = analyse(text, label)
    assert result is not None and build_map is not None
    feas, air, _ = checks(text, label)
    rings_at = [ring_at] if ring_at is not None else []
    m = build_map(result, units=units, tiles="offline", feasibility=feas, airspace=air, range_rings_at=rings_at,
                  observed=observed(text, label)[1])  # fmt: skip
    offline_map_defaults(m)
    return m


@st.cache_data(max_entries=16, show_spinner=False)
def editor_table(text: str, label: str, sortie_index: int) -> pd.DataFrame:
    result, _ = analyse(text, label)
    assert result is not None
    return dashboard.waypoints_frame(result.mission, sortie_index)


@st.cache_data(max_entries=16, show_spinner=False)
def mission_document(text: str) -> dict[str, Any]:
    return dashboard.mission_document(text)


@st.cache_data(max_entries=64, show_spinner=False)
def edited_text(text: str, label: str, edits: tuple[tuple[int, pd.DataFrame, str, str], ...]) -> str:
    """The mission text after the sorties' edits (the text itself when nothing changed)."""
    result, _ = analyse(text, label)
    assert result is not None
    document = mission_document(text)
    changed = [
        dashboard.SortieEdit(i, rows.to_dict("records"), takeoff, speed)
        for i, rows, takeoff, speed in edits
        if (takeoff, speed) != dashboard.sortie_fields(document, i) or not rows.equals(editor_table(text, label, i))
    ]
    return dashboard.edit_mission(text, result.mission, changed, document=document) if changed else text


@st.cache_data(max_entries=16, show_spinner=False)
def export(kind: str, text: str, label: str, units: str) -> str:
    """A download: the self-contained HTML map, GeoJSON or the CSV legs table."""
    result, _ = analyse(text, label)
    assert result is not None
    if kind == "html":
        from missions.export.html import map_html

        feas, air, _ = checks(text, label)
        return map_html(result, units=units, feasibility=feas, airspace=air)
    if kind == "geojson":
        from missions.export.geojson import mission_geojson

        return json.dumps(mission_geojson(result), ensure_ascii=False)
    from missions.export.csv import legs_csv

    return legs_csv(result, units)


@st.cache_data(max_entries=16, show_spinner=False)
def export_earth(kind: str, text: str, label: str, units: str) -> bytes:
    """A download for Google Earth or GPS devices: KML, KMZ or GPX (missions.export.files)."""
    from missions.export.files import export_bytes

    result, _ = analyse(text, label)
    assert result is not None
    return export_bytes(result, kind, units=units, observed=observed(text, label)[1])  # type: ignore[arg-type]


@st.cache_data(max_entries=8, show_spinner=False)
def figure_download(fmt: str, text: str, label: str, units: str, layers: tuple[str, ...]) -> bytes:
    """The publication figure (PNG, SVG, PDF) of the mission on screen (missions.figure)."""
    from missions.figure import figure_bytes

    result, _ = analyse(text, label)
    assert result is not None
    feas, _, _ = checks(text, label)
    return figure_bytes(result, fmt, "web", units, layers, feasibility=feas)


def show_figure_downloads(text: str, label: str, units: str, stem: str) -> None:
    """Static figures for publication: the layers chosen here, the units and edits on screen."""
    from missions.figure import DEFAULT_LAYERS, FORMATS, LAYERS

    layers = st.multiselect(
        "Figure layers", LAYERS, default=[x for x in LAYERS if x in DEFAULT_LAYERS], key="figure-layers"
    )
    mimes = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}
    for column, fmt in zip(st.columns(4), FORMATS, strict=False):
        column.download_button(
            f"Figure ({fmt.upper()})",
            data=lambda fmt=fmt: figure_download(fmt, text, label, units, tuple(sorted(layers))),
            file_name=f"{stem}.{fmt}",
            mime=mimes[fmt],
            on_click="ignore",
            key=f"download-figure-{fmt}",
        )


def plain(text: str) -> str:
    """Text shown literally where Streamlit reads Markdown (headers, captions, alerts, tab labels).

    Mission strings are data: every ASCII punctuation character is backslash-escaped, so
    ``sorties[0].mach_altitude``, ``$``, ``*`` or ``#`` in a name or an error read as typed.
    """
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", text)


def digest(text: str) -> str:
    """A short fingerprint of a mission text: editor widgets are keyed by it."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


# --- widgets --------------------------------------------------------------------------------------


def init_state(catalog: list[str]) -> None:
    """First run of a session: the mission and units from the URL (``?mission=...&units=nm``)."""
    state, params = st.session_state, st.query_params
    if "mission" not in state:
        name = params.get("mission", dashboard.DEFAULT_MISSION)
        state["mission"] = name if name in catalog else dashboard.DEFAULT_MISSION
    if "units" not in state:
        units = params.get("units", "km")
        state["units"] = units if units in dashboard.UNITS else "km"


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


@st.cache_data(max_entries=8, show_spinner="Drafting the mission from the article...")
def _article_draft(article: str) -> tuple[str | None, str | None]:
    from missions.draft import article_draft

    return article_draft(article)


def article_source() -> tuple[str, str | None, str, str | None]:
    """"From article": paste a news report; its draft (every value with its sentence) is the mission."""
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
        st.header("Mission")
        source = st.radio("Source", SOURCES, horizontal=True, key="source")
        if source == "Catalogue":
            name = st.selectbox("Catalogue mission", list(catalog), key="mission")
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
            "#": st.column_config.NumberColumn(
                "#", help="Waypoint number in the file (empty: new)", width="small"
            ),
            "place": st.column_config.TextColumn("place", help="Name, ICAO code or 'lat, lon'", width="large"),
            "speed": st.column_config.TextColumn("speed", help="Speed of the leg leaving this point"),
            "events": st.column_config.TextColumn("events", help="Kept with the waypoint"),
        },
    )
    return (i, rows, takeoff, speed)


def sortie_editor(text: str, label: str, result: MissionResult) -> str:
    """One tab per sortie: takeoff, speed and the waypoint table; returns the edited mission text."""
    key = digest(text)
    sorties = result.mission.sorties
    if not sorties:
        st.info("This mission has no sorties to edit (ship or ground launches only).")
        return text
    st.caption(
        "Edit a place (a gazetteer name, an ICAO code or coordinates such as 36.5, 35.9) or a leg's "
        "speed (e.g. 480 kn; empty: the sortie's speed); add or delete rows. The map, metrics and "
        "tables follow; download the edited mission as YAML above."
    )
    document = mission_document(text)
    if is_large(result):
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


# --- rendering ------------------------------------------------------------------------------------


def show_metrics(cards: list[dashboard.Metric]) -> None:
    with st.container(horizontal=True, horizontal_alignment="distribute", key="metrics"):
        for card in cards:
            st.metric(card.label, card.value, help=card.help, width="content")


def _no_bounds() -> list[list[None]]:
    return [[None, None], [None, None]]


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


def show_map(text: str, label: str, units: str, ring_at: tuple[str, int] | None = None) -> None:
    if build_map is None:
        st.warning("The map is not available yet (missions.render.map is missing); the tables below are complete.")
        return
    from streamlit_folium import st_folium

    m = folium_map(text, label, units, ring_at)  # a fresh copy from the cache
    # st_folium asks the map for its bounds for the values it returns, and tolerates only an
    # AttributeError there; the map's time slider (a TimestampedGeoJson fed from the page, not
    # embedded) raises ValueError. Nothing is returned (returned_objects=[]) and the map fits its
    # own view, so the bounds are not needed.
    m.get_bounds = _no_bounds
    st_folium(
        m,
        key="map",
        height=MAP_HEIGHT_PX,
        use_container_width=True,
        returned_objects=[],
        render=False,  # st_folium renders the map itself once more; the root render is not needed
    )


def timeline_chart(timeline: pd.DataFrame) -> alt.Chart:
    """A gantt chart of sortie legs and weapon flights, in UTC."""
    return (
        alt.Chart(timeline)
        .mark_bar(cornerRadius=2)
        .encode(
            x=alt.X("start:T", title="UTC", scale=alt.Scale(type="utc"), axis=alt.Axis(format="%d %b %H:%M")),
            x2="end:T",
            y=alt.Y("lane:N", title=None, sort=None, axis=alt.Axis(labelLimit=320)),
            color=alt.Color("kind:N", title=None),
            tooltip=[
                "lane:N",
                "what:N",
                alt.Tooltip("from:N", title="from (UTC)"),
                alt.Tooltip("until:N", title="until (UTC)"),
            ],
        )
    )


def _flag_findings(row: pd.Series) -> list[str]:
    """Legs with a finding stand out in the legs table."""
    text = str(row.get("finding", ""))
    colour = "#ffe0e0" if "⚠" in text else "#fff4d6" if "△" in text else ""
    return [f"background-color: {colour}" if colour else ""] * len(row)


def show_tables(data: dict[str, Any]) -> None:
    legs, feasibility, countries, timeline, claims = st.tabs(
        ["Legs", "Feasibility", "Countries overflown", "Timeline (UTC)", "Claims"]
    )
    with legs:
        frame = data["legs"]
        numbers = [c for c in frame.columns if c.startswith(("distance", "cumulative", "speed", "bearing"))]
        st.dataframe(
            frame.style.apply(_flag_findings, axis=1) if "finding" in frame else frame,
            hide_index=True,
            width="stretch",
            column_config={c: st.column_config.NumberColumn(format="%.0f") for c in numbers},
        )
    with feasibility:
        if data["findings"] is None:
            st.warning(plain(f"Feasibility not assessed: {data['checks_error']}"), icon="⚠")
        else:
            st.caption(
                "Range budget along each sortie (catalogue range and tanker offloads), weapon reach, "
                "rendezvous and airspace to avoid; the map's Feasibility layer shows launch baskets, "
                "the range left where it runs out, and where a tanker must meet the aircraft."
            )
            st.dataframe(data["status"], hide_index=True, width="stretch")
            st.dataframe(data["findings"], hide_index=True, width="stretch")
    with countries:
        if data["countries"] is None:
            st.warning(plain(f"Overflight not computed: {data['checks_error']}"), icon="⚠")
        elif data["countries"].empty:
            st.info("No routes to follow.")
        else:
            st.caption(
                "Land borders (Natural Earth 1:10m); the Caspian, like the open sea, counts as international waters."
            )
            distance = [c for c in data["countries"].columns if c.startswith("distance")]
            st.dataframe(
                data["countries"],
                hide_index=True,
                width="stretch",
                column_config={c: st.column_config.NumberColumn(format="%.0f") for c in distance},
            )
    with timeline:
        if data["timeline"] is None:
            st.info(data["timeline_note"])
        else:
            st.vega_lite_chart(data["timeline"], width="stretch")
    with claims:
        if data["claims"].empty:
            st.info("The mission records no claims.")
        else:
            st.dataframe(
                data["claims"],
                hide_index=True,
                width="stretch",
                column_config={
                    "claimed": st.column_config.NumberColumn(format="%,.1f"),
                    "computed": st.column_config.NumberColumn(format="%,.1f"),
                    "ratio": st.column_config.NumberColumn(format="%.2f"),
                    **{
                        c: st.column_config.NumberColumn(format="%.0f")
                        for c in data["claims"]
                        if c.startswith("implied")
                    },
                },
            )


def show_observed(text: str, label: str, units: str) -> None:
    """Each sortie against its observed track (deviation, distance, gaps, waypoint offsets)."""
    from missions.tracks.observed import comparison_frame, offsets_frame

    comparisons, _, error = observed(text, label)
    if error:
        st.warning(plain(f"Observed track not read: {error}"), icon="⚠")
    if not comparisons:
        return
    st.subheader("Observed tracks")
    st.caption(
        "Cross-track deviation from the route (geodesic), distance flown between positions, coverage gaps, "
        "and each waypoint's observed minus modelled time; the map draws each track beside its route."
    )
    result, _ = analyse(text, label)
    st.dataframe(comparison_frame(comparisons, result, units), hide_index=True, width="stretch")
    for c in comparisons:
        st.dataframe(offsets_frame(c), hide_index=True, width="stretch", key=f"offsets-{c.sortie}")


def show_downloads(text: str, label: str, units: str, stem: str) -> None:
    st.subheader("Downloads")
    columns = st.columns(4)
    columns[0].download_button(
        "Mission (YAML)",
        data=text,
        file_name=f"{stem}.yaml",
        mime="application/yaml",
        on_click="ignore",
        key="download-yaml",
    )
    files = (
        ("html", "Map (HTML)", "html", "text/html"),
        ("geojson", "GeoJSON", "geojson", "application/geo+json"),
        ("csv", f"Legs (CSV, {units})", "csv", "text/csv"),
    )
    for column, (kind, title, extension, mime) in zip(columns[1:], files, strict=True):
        column.download_button(
            title,
            data=lambda kind=kind: export(kind, text, label, units),
            file_name=f"{stem}.{extension}",
            mime=mime,
            on_click="ignore",
            key=f"download-{kind}",
        )
    earth = (("kml", "Google Earth (KML)"), ("kmz", "Google Earth (KMZ)"), ("gpx", "GPX routes"))
    for column, (kind, title) in zip(st.columns(4), earth, strict=False):
        from missions.export.files import MEDIA_TYPES

        mime, extension = MEDIA_TYPES[kind]
        column.download_button(
            title,
            data=lambda kind=kind: export_earth(kind, text, label, units),
            file_name=f"{stem}{extension}",
            mime=mime,
            on_click="ignore",
            key=f"download-{kind}",
        )
    show_figure_downloads(text, label, units, stem)


def read_source(catalog: dict[str, Path]) -> list[str]:
    """The sidebar: mission source and units. A source that parses becomes ``good_source``.

    Returns the errors to show (one line each); the last good source stays in session state.
    """
    source, text, label, read_error = source_widgets(catalog)
    st.sidebar.radio(
        "Units", dashboard.UNITS, horizontal=True, key="units", format_func=lambda u: dashboard.UNIT_NAMES[u]
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
    return errors


def edit_view(source_text: str, source_label: str, errors: list[str]) -> tuple[str, str]:
    """The sortie editor on the good source; returns the mission to show (text, file label).

    An edit that does not parse adds its error and leaves the last good view (``good_view``) on screen.
    """
    source_result, _ = analyse(source_text, source_label)
    with st.container(key="editor"):
        st.subheader("Edit a sortie", anchor=False)
        view_text = sortie_editor(source_text, source_label, source_result)
    view_label = source_label if view_text == source_text else f"{source_label} (edited)"
    _, error = analyse(view_text, view_label)
    if error is None:
        st.session_state["good_view"] = (view_text, view_label)
    else:
        errors.append(error)
    return st.session_state.get("good_view", (source_text, source_label))


def main() -> None:
    st.set_page_config(page_title="Strike missions", page_icon="✈", layout="wide")
    catalog = dashboard.catalog_missions()
    init_state(list(catalog))
    errors = read_source(catalog)
    units = st.session_state["units"]
    # laid out top to bottom; filled once the editor below has said which mission to show
    head, error_box, metrics_box = st.container(), st.container(key="errors"), st.container()
    map_box, tables_box = st.container(key="map-box"), st.container(key="tables")
    good_source = st.session_state.get("good_source")
    if good_source is not None:
        source_text, source_label = good_source
        view_text, view_label = edit_view(source_text, source_label, errors)
        view, _ = analyse(view_text, view_label)
        with head:
            st.header(plain(view.mission.name), anchor=False)
            if view.mission.description:
                st.caption(plain(view.mission.description))
        data = tables(view_text, view_label, units)
        with metrics_box:
            show_metrics(data["metrics"])
        with map_box:
            show_map(view_text, view_label, units, ring_choice(view) if view.sorties else None)
        with tables_box:
            show_tables(data)
            show_observed(view_text, view_label, units)
            stem = "mission" if source_label.startswith("<") else Path(source_label).stem
            show_downloads(view_text, view_label, units, stem + ("-edited" if view_label != source_label else ""))
    for error in errors:
        error_box.error(plain(error), icon="⚠")


main()
