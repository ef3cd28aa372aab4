"""The page's calls into the core, cached by Streamlit and keyed by the mission text (+ units).

Every step that costs anything (parsing, computing, tables, the map payload, edits, downloads) goes
through here, so a rerun that does not change the mission recomputes nothing. Each function is one
call into the core (or into the pure modules :mod:`.frames`, :mod:`.view`, :mod:`.edit`); the
widgets (:mod:`.sidebar`, :mod:`.editor`) and ``app.py`` read them.

The computed mission and its checks are immutable (frozen dataclasses): they are shared by every call
and session (``st.cache_resource``) instead of copied out of a pickle each time (``st.cache_data``),
which would cost a whole large mission per call.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, cast

import streamlit as st

from ..analysis import MissionResult, compute_mission
from ..errors import MissionError
from ..parsing import parse_mission
from ..units import Units
from . import page
from .map import MapPage, map_page

# The tables' modules (.frames, .view: pandas and pyarrow, ~0.4 s) are imported by the calls that
# need them, after the first map is sent (app.py); the map's calls here import none of them.
if TYPE_CHECKING:
    import pandas as pd

    from ..airspace import MissionAirspace
    from ..feasibility import Feasibility
    from ..tracks.compare import Comparison
    from . import view
    from .track_upload import TrackUpload


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
def checks(
    text: str, label: str, units: Units, land_only: bool = False
) -> tuple[Feasibility | None, MissionAirspace | None, str | None]:
    """Feasibility and overflight of the computed mission, or the one-line error that stopped them.

    Overflight counts sovereign airspace (land, internal waters, territorial sea), or land alone
    (``land_only``: the sidebar's "Land only").

    Their sentences (findings, claim reasons) are written by the core in ``units``
    (:func:`missions.units.message_units`); the figures do not depend on it. A mission that computes
    but cannot be assessed stays on screen: the error is shown beside it.
    """
    from ..airspace import mission_airspace
    from ..feasibility import assess
    from ..units import check_units, message_units

    result = computed(text, label)
    try:
        with message_units(check_units(units)):
            air = mission_airspace(result, territorial_sea_nm=0.0 if land_only else None)
            return assess(result, air), air, None
    except MissionError as exc:
        return None, None, exc.one_line()


@st.cache_data(max_entries=64, show_spinner=False)
def tables(text: str, label: str, units: Units, land_only: bool = False) -> view.PageTables:
    """Metric cards, the legs, claims, findings and countries tables and the timeline (:func:`.view.page_tables`)."""
    from . import view

    feas, air, error = checks(text, label, units, land_only)
    return view.page_tables(computed(text, label), units, feas, air, error)


@st.cache_data(max_entries=16, show_spinner=False)
def observed(text: str, label: str) -> tuple[tuple[Comparison, ...], list[Any], str | None]:
    """The sorties' observed tracks compared (``track:``), their lines for the map, or the one-line error."""
    result, _ = analyse(text, label)
    if result is None or not any(s.sortie.track for s in result.sorties):
        return (), [], None
    from ..tracks.observed import load_comparisons, observed_lines  # only for a mission that names tracks

    try:
        comparisons = load_comparisons(result)
    except MissionError as exc:
        return (), [], exc.one_line()
    return comparisons, observed_lines(comparisons), None


@st.cache_data(max_entries=8, show_spinner="Reading the observed track...")
def uploaded_comparison(text: str, label: str, upload: TrackUpload) -> tuple[Comparison | None, str | None]:
    """An uploaded observed track compared with its sortie (:mod:`.track_upload`), or the one-line error."""
    from .track_upload import compare_upload

    try:
        return compare_upload(computed(text, label), upload), None
    except MissionError as exc:
        return None, exc.one_line()


@st.cache_data(max_entries=8, show_spinner=False)
def observed_shown(
    text: str, label: str, upload: TrackUpload | None = None
) -> tuple[tuple[Comparison, ...], list[Any], str | None]:
    """The mission file's observed tracks, the uploaded one (known good) in place of its sortie's."""
    comparisons, lines, error = observed(text, label)
    if upload is None:
        return comparisons, lines, error
    from ..tracks.observed import observed_lines
    from .track_upload import with_upload

    merged = with_upload(comparisons, uploaded_comparison(text, label, upload)[0])
    return merged, observed_lines(merged), error


@st.cache_data(max_entries=16, show_spinner=False)
def map_data(
    text: str,
    label: str,
    units: Units,
    ring_at: tuple[str, int] | None = None,
    upload: TrackUpload | None = None,
    land_only: bool = False,
) -> MapPage:
    """The mission's map payload (JSON and digest) for the mounted map (:mod:`.map`)."""
    from ..render.payload import map_payload

    result = computed(text, label)
    feas, air, _ = checks(text, label, units, land_only)
    rings_at = [ring_at] if ring_at is not None else []
    payload = map_payload(result, units=units, feasibility=feas, airspace=air, range_rings_at=rings_at,
                          observed=observed_shown(text, label, upload)[1], basemap_countries=True)  # fmt: skip
    return map_page(payload.page_json())


@st.cache_data(max_entries=16, show_spinner=False)
def editor_table(text: str, label: str, sortie_index: int) -> pd.DataFrame:
    """A sortie's waypoints as the editor shows them (:func:`.edit.waypoints_frame`)."""
    from . import frames

    return frames.waypoints_frame(computed(text, label).mission, sortie_index)


@st.cache_data(max_entries=16, show_spinner=False)
def mission_document(text: str) -> dict[str, Any]:
    """The mission file as plain data (:func:`.edit.mission_document`)."""
    from . import frames

    return frames.mission_document(text)


@st.cache_data(max_entries=64, show_spinner=False)
def edited_text(text: str, label: str, edits: tuple[tuple[int, pd.DataFrame, str, str], ...]) -> str:
    """The mission text after the sorties' edits (the text itself when nothing changed)."""
    from . import frames

    result = computed(text, label)
    document = mission_document(text)
    changed = [
        frames.SortieEdit(
            sortie_index=i, rows=cast("list[dict[str, Any]]", rows.to_dict("records")), takeoff=takeoff, speed=speed
        )
        for i, rows, takeoff, speed in edits
        if (takeoff, speed) != frames.sortie_fields(document, i) or not rows.equals(editor_table(text, label, i))
    ]
    return frames.edit_mission(text, result.mission, changed, document=document) if changed else text


@st.cache_data(max_entries=16, show_spinner=False)
def export(kind: str, text: str, label: str, units: Units, land_only: bool = False) -> str:
    """A download: the self-contained HTML map, GeoJSON or the CSV legs table."""
    result = computed(text, label)
    if kind == "html":
        from ..export.html import map_html

        feas, air, _ = checks(text, label, units, land_only)
        return map_html(result, units=units, feasibility=feas, airspace=air)
    if kind == "geojson":
        from ..export.geojson import mission_geojson

        return json.dumps(mission_geojson(result), ensure_ascii=False)
    from ..export.csv import legs_csv

    return legs_csv(result, units)


@st.cache_data(max_entries=16, show_spinner=False)
def export_earth(kind: str, text: str, label: str, units: Units, upload: TrackUpload | None = None) -> bytes:
    """A download for Google Earth or GPS devices: KML, KMZ or GPX (:mod:`missions.export.files`)."""
    from ..export.files import export_bytes

    lines = observed_shown(text, label, upload)[1]
    return export_bytes(computed(text, label), kind, units=units, observed=lines)  # type: ignore[arg-type]


@st.cache_data(max_entries=8, show_spinner=False)
def figure_download(
    fmt: str, text: str, label: str, units: Units, layers: tuple[str, ...], land_only: bool = False
) -> bytes:
    """The publication figure (PNG, SVG, PDF) of the mission on screen (:mod:`missions.figure`)."""
    from ..figure import figure_bytes

    feas, _, _ = checks(text, label, units, land_only)
    return figure_bytes(computed(text, label), fmt, "web", units, layers, feasibility=feas)


@st.cache_data(show_spinner=False)
def catalogue_titles() -> dict[str, str]:
    """The catalogue missions' titles by file stem (:func:`.page.catalogue_titles`)."""
    return page.catalogue_titles(page.catalog_missions())


@st.cache_data(max_entries=8, show_spinner="Drafting the mission from the article...")
def article_draft(article: str) -> tuple[str | None, str | None]:
    """A news report's draft mission (:func:`missions.draft.article_draft`), or why there is none."""
    from ..draft import article_draft as draft

    return draft(article)
