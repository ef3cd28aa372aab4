"""The dashboard's Streamlit views: cards, tables, downloads, help (the map: :mod:`missions.dashboard.map`).

``app.py`` wires widgets -> core -> these views; what they show is computed in :mod:`missions.dashboard.frames`
and presented by :mod:`missions.dashboard.view` (pure functions, tested without Streamlit).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from ..units import Units
from . import frames, view
from .page import plain
from .view import COUNTRIES_NUMBERS, LEGS_NUMBERS, PageTables

HELP_PATH = Path(__file__).resolve().parents[2] / "docs" / "help.md"
#: numbers people read: thousands separators in the reader's locale, no decimals
WHOLE = st.column_config.NumberColumn(format="localized")
#: the legs table's planned flag, read from the leg rows (missions.tables.LegRow.planned)
PLANNED = st.column_config.CheckboxColumn(
    "planned", help="The leg starts or ends at a turning point the planner chose (a plan: stretch)."
)


def show_metrics(cards: list[frames.Metric], headline: view.Headline) -> None:
    """The metric cards, the figure the claims are checked against, and each sortie's totals."""
    with st.container(horizontal=True, horizontal_alignment="distribute", key="metrics"):
        for card in cards:
            st.metric(card.label, card.value, help=card.help, width="content")
        if headline.checked_against:
            st.metric(
                "Claims checked against",
                headline.checked_against.split(" (")[0],
                help=plain(f"The sortie the claims name: {headline.checked_against}. The total distance adds "
                           "every sortie (escorts included)."),
                width="content",
            )  # fmt: skip
    if len(headline.per_sortie) > 1:
        st.caption(plain(" · ".join(headline.per_sortie)), help="Per sortie: distance and flight time.")


def _flag_findings(row: pd.Series) -> list[str]:
    """Legs with a finding stand out in the legs table."""
    text = str(row.get("finding", ""))
    colour = "#ffe0e0" if "⚠" in text else "#fff4d6" if "△" in text else ""
    return [f"background-color: {colour}" if colour else ""] * len(row)


def _verdict_colour(value: object) -> str:
    colour = view.VERDICTS.get(str(value), ("", ""))[0]
    return f"background-color: {colour}; font-weight: 600" if colour else ""


def _whole_numbers(frame: pd.DataFrame, prefixes: tuple[str, ...]) -> dict[str, Any]:
    return {c: WHOLE for c in frame.columns if str(c).startswith(prefixes)}


def show_tables(data: PageTables) -> None:
    """The tabs under the map: legs, feasibility, countries overflown, timeline, claims."""
    legs, feasibility, countries, timeline, claims = st.tabs(
        ["Legs", "Feasibility", "Countries overflown", "Timeline (UTC)", "Claims"]
    )
    with legs:
        frame = data.legs  # view.table_display: times short, figures rounded
        numbers = [c for c in frame.columns if str(c).startswith(LEGS_NUMBERS)]
        st.dataframe(
            frame.style.apply(_flag_findings, axis=1) if "finding" in frame else frame,
            hide_index=True,
            width="stretch",
            column_config=dict.fromkeys(numbers, WHOLE) | {"planned": PLANNED},
        )
    with feasibility:
        if data.findings is None:
            st.warning(plain(f"Feasibility not assessed: {data.checks_error}"), icon="⚠")
        else:
            st.caption(
                "Range budget along each sortie (catalogue range and tanker offloads), weapon reach, "
                "rendezvous and airspace to avoid; the map's Feasibility layer shows launch baskets, "
                "the range left where it runs out, and where a tanker must meet the aircraft. [Help](#help)"
            )
            st.dataframe(data.status, hide_index=True, width="stretch")
            st.dataframe(data.findings, hide_index=True, width="stretch")
    with countries:
        if data.countries is None:
            st.warning(plain(f"Overflight not computed: {data.checks_error}"), icon="⚠")
        elif data.countries.empty:
            st.info("No routes to follow.")
        else:
            st.caption(
                "Land borders (Natural Earth 1:10m); the Caspian, like the open sea, counts as international waters."
            )
            frame = data.countries
            distance = [c for c in frame.columns if str(c).startswith(COUNTRIES_NUMBERS)]
            st.dataframe(frame, hide_index=True, width="stretch", column_config=dict.fromkeys(distance, WHOLE))
    with timeline:
        if data.timeline is None:
            st.info(data.timeline_note)
        else:
            st.vega_lite_chart(data.timeline, width="stretch")
    with claims:
        show_claims(data.claims)


def show_claims(frame: pd.DataFrame) -> None:
    """The claims, led by the colour-coded verdict and its reason, with a line on what verdicts mean.

    The reasons are written by the core in the chosen unit (``message_units``), the claims from its numbers."""
    if frame.empty:
        st.info("The mission records no claims.")
        return
    st.markdown(view.VERDICT_LINE)
    styled = frame.style.map(_verdict_colour, subset=["verdict"]) if "verdict" in frame else frame
    st.dataframe(
        styled,
        hide_index=True,
        width="stretch",
        column_config={
            "verdict": st.column_config.TextColumn("verdict", width="small"),
            "reason": st.column_config.TextColumn("reason", width="large"),
            "claimed": st.column_config.NumberColumn(format="localized"),
            "computed": st.column_config.NumberColumn(format="localized"),
            "ratio": st.column_config.NumberColumn(format="%.2f", help="claimed ÷ computed"),
            **{c: WHOLE for c in frame.columns if str(c).startswith("implied")},
        },
    )


def show_observed(observed: tuple[Any, Any, str | None], result: Any, units: Units) -> None:
    """Each sortie against its observed track (deviation, distance, gaps, waypoint offsets)."""
    from missions.tracks.observed import comparison_frame, offsets_frame

    comparisons, _, error = observed
    if error:
        st.warning(plain(f"Observed track not read: {error}"), icon="⚠")
    if not comparisons:
        return
    st.subheader("Observed tracks")
    st.caption(
        "Cross-track deviation from the route (geodesic), distance flown between positions, coverage gaps, "
        "and each waypoint's observed minus modelled time; the map draws each track beside its route."
    )
    st.dataframe(comparison_frame(comparisons, result, units), hide_index=True, width="stretch")
    for c in comparisons:
        st.dataframe(offsets_frame(c), hide_index=True, width="stretch", key=f"offsets-{c.sortie}")


def show_figure_downloads(stem: str, figure: Callable[[str, tuple[str, ...]], bytes]) -> None:
    """Static figures for publication: the layers chosen here, the units and edits on screen."""
    from missions.figure import DEFAULT_LAYERS, FORMATS, LAYERS

    layers = st.multiselect(
        "Figure layers", LAYERS, default=[x for x in LAYERS if x in DEFAULT_LAYERS], key="figure-layers"
    )
    mimes = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}
    for column, fmt in zip(st.columns(4), FORMATS, strict=False):
        column.download_button(
            f"Figure ({fmt.upper()})",
            data=functools.partial(figure, fmt, tuple(sorted(layers))),  # drawn when clicked
            file_name=f"{stem}.{fmt}",
            mime=mimes[fmt],
            on_click="ignore",
            key=f"download-figure-{fmt}",
        )


def show_downloads(
    text: str,
    units: Units,
    stem: str,
    export: Callable[[str], str],
    export_earth: Callable[[str], bytes],
    figure: Callable[[str, tuple[str, ...]], bytes],
) -> None:
    """Mission YAML (as edited, comments kept), HTML map, GeoJSON, CSV (full ISO times), KML/KMZ/GPX."""
    st.subheader("Downloads", anchor=False)
    columns = st.columns(4)
    columns[0].download_button(
        "Mission (YAML)", data=text, file_name=f"{stem}.yaml", mime="application/yaml", on_click="ignore",
        key="download-yaml",
    )  # fmt: skip
    files = (
        ("html", "Map (HTML)", "html", "text/html"),
        ("geojson", "GeoJSON", "geojson", "application/geo+json"),
        ("csv", f"Legs (CSV, {units})", "csv", "text/csv"),
    )
    for column, (kind, title, extension, mime) in zip(columns[1:], files, strict=True):
        column.download_button(
            title, data=functools.partial(export, kind), file_name=f"{stem}.{extension}", mime=mime,
            on_click="ignore", key=f"download-{kind}",
        )  # fmt: skip
    from missions.export.files import MEDIA_TYPES

    earth = (("kml", "Google Earth (KML)"), ("kmz", "Google Earth (KMZ)"), ("gpx", "GPX routes"))
    for column, (kind, title) in zip(st.columns(4), earth, strict=False):
        mime, extension = MEDIA_TYPES[kind]
        column.download_button(
            title, data=functools.partial(export_earth, kind), file_name=f"{stem}{extension}", mime=mime,
            on_click="ignore", key=f"download-{kind}",
        )  # fmt: skip
    show_figure_downloads(stem, figure)


def show_help() -> None:
    """The Help section: what is computed and how, the file format, the sources, the limits."""
    st.header("Help", anchor="help")
    with st.expander("What the tool computes and how, the file format, sources and limits", expanded=False):
        st.markdown(HELP_PATH.read_text(encoding="utf-8"))
