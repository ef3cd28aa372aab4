"""How the dashboard presents what :mod:`missions.dashboard.frames` computes: pure functions, no Streamlit.

Short UTC times in tables (the downloads keep full ISO 8601), the claims table led by its verdict,
the headline figures, catalogue titles, where an editor error is,
the shareable link of a pasted or edited mission, a new mission's template, and a waypoint added
from a click on the map.

Examples
--------
>>> short_utc("2015-11-19T18:33:17.490581Z")
'19 Nov 18:33 UTC'
>>> editor_location("m.yaml:12: sorties[1].route[3].speed: not a speed", ["A", "B"])
('B', 4, 'speed')
>>> read_share(share_value("name: x\\n")) == "name: x\\n"
True
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

import pandas as pd

from ..analysis import MissionResult
from ..model import Mission
from ..tables import mission_tables
from ..units import Units, format_distance, format_duration, format_hm, format_speed
from . import frames
from .frames import Metric, SortieEdit, edit_mission, waypoints_frame
from .page import (  # noqa: F401 (light names the page reads before pandas is imported; re-exported)
    LARGE_MISSION_SORTIES,
    LARGE_MISSION_WAYPOINTS,
    MAX_SHARE_CHARS,
    NEW_MISSION,
    catalogue_titles,
    is_large,
    read_share,
    share_value,
)

if TYPE_CHECKING:
    from ..airspace import MissionAirspace
    from ..feasibility import Feasibility

#: verdict -> (colour of its cell, what it means in one line)
VERDICTS = {
    "consistent": ("#d8f0d8", "inside the computed band, widened by the claim's tolerance"),
    "inconsistent": ("#ffe7c2", "outside the band: the route or the claim is wrong"),
    "impossible": ("#ffd0d0", "it implies an average speed above the aircraft's maximum"),
}
VERDICT_LINE = (
    "**Verdicts**: *consistent* — inside the band the route's uncertainty allows, widened by a tolerance "
    "(10 % for *about*, 2 % for *exactly*, 5 % for *more/less than*); *inconsistent* — outside it; "
    "*impossible* — it would need an average speed above the aircraft's maximum. *Ratio* is claimed ÷ "
    "computed. [How this is computed](#help)"
)
#: the tables' columns of figures shown as whole numbers (by the start of their names)
LEGS_NUMBERS = ("distance", "cumulative", "speed", "bearing")
COUNTRIES_NUMBERS = ("distance",)
_ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$")
_ROUTE_FIELD = re.compile(r"sorties\[(\d+)\]\.route\[(\d+)\](?:\.(\w+))?")
_SORTIE_FIELD = re.compile(r"sorties\[(\d+)\]\.(takeoff|speed)\b")


@dataclass(frozen=True, kw_only=True)
class PageTables:
    """Everything the page shows under the map for one mission and unit, built once per change."""

    #: the metric cards
    metrics: list[Metric]
    #: the figure the claims are checked against, and each sortie's totals
    headline: Headline
    #: the legs table as shown (short times, whole numbers)
    legs: pd.DataFrame
    #: the timeline's Vega-Lite spec, or None (nothing to show, or a large mission: ``timeline_note``)
    timeline: dict[str, Any] | None
    #: the claims led by verdict and reason
    claims: pd.DataFrame
    #: feasibility findings and each sortie's status, None when the checks failed (``checks_error``)
    findings: pd.DataFrame | None
    status: pd.DataFrame | None
    #: the countries overflown, None when the checks failed
    countries: pd.DataFrame | None
    #: the one line that stopped feasibility and overflight, if any
    checks_error: str | None
    #: why the timeline is not shown
    timeline_note: str


def page_tables(
    result: MissionResult,
    units: Units,
    feasibility: Feasibility | None,
    airspace: MissionAirspace | None,
    checks_error: str | None = None,
) -> PageTables:
    """The metric cards, the legs, claims, findings and countries tables and the timeline of a mission
    (from the core's typed tables, :func:`missions.tables.mission_tables`, built once here)."""
    rows = mission_tables(result, feasibility, airspace)
    large = is_large(result)
    timeline = pd.DataFrame() if large else frames.timeline_frame(result, tables=rows)
    claims = frames.claims_frame(result, units, feasibility, tables=rows)
    countries = None
    if airspace is not None:
        countries = table_display(frames.countries_frame(result, airspace, units, tables=rows), COUNTRIES_NUMBERS)
    return PageTables(
        metrics=frames.metrics(result, units),
        headline=headline(result, units),
        legs=table_display(frames.legs_frame(result, units, feasibility, tables=rows), LEGS_NUMBERS),
        timeline=None if timeline.empty else timeline_spec(timeline),
        claims=claims_view(claims, result, units),
        findings=None if feasibility is None else frames.findings_frame(feasibility, airspace, tables=rows),
        status=None if feasibility is None else frames.status_frame(feasibility),
        countries=countries,
        checks_error=checks_error,
        timeline_note=(
            f"The timeline is left out for missions of more than {LARGE_MISSION_SORTIES} sorties "
            f"or {LARGE_MISSION_WAYPOINTS} waypoints."
            if large
            else "Nothing to show on a timeline."
        ),
    )


def short_utc(iso: str) -> str:
    """An ISO 8601 time as ``19 Nov 18:33 UTC`` (to the nearest minute)."""
    return format_hm(dt.datetime.fromisoformat(iso.replace("Z", "+00:00"))) + " UTC"


def short_times(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every column of ISO 8601 times shown as ``19 Nov 18:33 UTC`` (header ``(UTC)`` dropped)."""
    out = frame.copy()
    for column in frame.columns:
        values = frame[column].dropna()
        if len(values) and all(isinstance(v, str) and _ISO.match(v) for v in values):
            out[column] = frame[column].map(lambda v: short_utc(v) if isinstance(v, str) else v)
            out = out.rename(columns={column: str(column).replace(" (UTC)", "")})
    return out


def table_display(frame: pd.DataFrame, numbers: tuple[str, ...]) -> pd.DataFrame:
    """A table as the page shows it: short UTC times, and the columns starting with ``numbers`` rounded
    to whole units (built once per change: the page only draws it)."""
    out = short_times(frame)
    columns = [c for c in out.columns if str(c).startswith(numbers)]
    out[columns] = out[columns].round(0)
    return out


def timeline_spec(timeline: pd.DataFrame) -> dict[str, Any]:
    """The UTC gantt chart of sortie legs and weapon flights as a Vega-Lite spec (a plain dict: no
    chart library builds and validates it on every change)."""
    nominal = {"type": "nominal"}
    return {
        "data": {"values": timeline.to_dict("records")},
        "mark": {"type": "bar", "cornerRadius": 2},
        "encoding": {
            "x": {"field": "start", "type": "temporal", "title": "UTC", "scale": {"type": "utc"},
                  "axis": {"format": "%d %b %H:%M"}},
            "x2": {"field": "end"},
            "y": {"field": "lane", **nominal, "title": None, "sort": None, "axis": {"labelLimit": 320}},
            "color": {"field": "kind", **nominal, "title": None},
            "tooltip": [
                {"field": "lane", **nominal},
                {"field": "what", **nominal},
                {"field": "from", **nominal, "title": "from (UTC)"},
                {"field": "until", **nominal, "title": "until (UTC)"},
            ],
        },
    }  # fmt: skip


def claims_view(claims: pd.DataFrame, result: MissionResult, units: Units) -> pd.DataFrame:
    """The claims led by verdict and reason, then the claim, the compared sortie's figure, the ratio."""
    if claims.empty:
        return claims
    out = claims.copy()
    figures = {s.sortie.name: s for s in result.sorties}

    def compared(row: pd.Series) -> str:
        sortie = figures.get(str(row.get("sortie")))
        if sortie is None:
            return ""
        if row.get("quantity") == "duration":
            return f"{row['sortie']}: {format_duration(sortie.duration_s)}"
        if row.get("quantity") == "speed":
            return f"{row['sortie']}: {format_speed(sortie.average_speed_kmh, units)}"
        return f"{row['sortie']}: {format_distance(sortie.distance_m, units)}"

    out["compared with"] = out.apply(compared, axis=1)
    lead = [c for c in ("verdict", "reason", "claim", "claimed", "computed", "unit", "compared with") if c in out]
    return out[lead + [c for c in out.columns if c not in lead]]


class Headline(NamedTuple):
    """The figure the claims are checked against, and each sortie's totals, in words."""

    checked_against: str | None
    per_sortie: list[str]


def headline(result: MissionResult, units: Units) -> Headline:
    """The sortie the claims compare with (its distance and flight time), and every sortie's totals."""
    per_sortie = [
        f"{s.sortie.name} ({s.sortie.count} × {s.sortie.aircraft}): {format_distance(s.distance_m, units)}, "
        f"{format_duration(s.duration_s)}"
        for s in result.sorties
    ]
    names = [c.sortie for c in result.claims if c.sortie]  # the sortie each claim was compared with
    sortie = next((s for s in result.sorties if names and s.sortie.name == names[0]), None)
    checked = None
    if sortie is not None:
        figures = f"{format_distance(sortie.distance_m, units)}, {format_duration(sortie.duration_s)}"
        checked = f"{figures} ({sortie.sortie.name})"
    return Headline(checked, per_sortie)


def editor_location(error: str, sortie_names: Sequence[str]) -> tuple[str, int, str] | None:
    """Where an editor error is, as the user sees it: (sortie tab, row numbered from 1, column)."""
    route = _ROUTE_FIELD.search(error)
    if route is not None:
        i, row, sub = int(route.group(1)), int(route.group(2)) + 1, route.group(3)
        column = "speed" if sub == "speed" else "place"
        return (sortie_names[i] if i < len(sortie_names) else f"sortie {i + 1}", row, column)
    field = _SORTIE_FIELD.search(error)
    if field is not None:
        i = int(field.group(1))
        return (sortie_names[i] if i < len(sortie_names) else f"sortie {i + 1}", 0, field.group(2))
    return None


def editor_message(error: str, sortie_names: Sequence[str]) -> str:
    """The error with its place named as the editor shows it (``Blackjack pair, row 4, place: ...``)."""
    where = editor_location(error, sortie_names)
    problem = error.split(": ", 2)[-1] if error.count(": ") >= 2 else error
    if where is None:
        return error
    sortie, row, column = where
    return f"{sortie}, {'row ' + str(row) + ', ' if row else ''}{column}: {problem}"


def add_waypoint(
    text: str, mission: Mission, sortie_index: int, lat_deg: float, lon_deg: float, after_row: int | None = None
) -> str:
    """The mission text with a waypoint ``lat, lon`` added to a sortie: at the end, or after row ``after_row``
    (numbered from 1, as in the editor). Comments and layout are kept (:func:`.edit.edit_mission`)."""
    rows = [{str(k): v for k, v in row.items()} for row in waypoints_frame(mission, sortie_index).to_dict("records")]
    new = {"#": None, "place": f"{lat_deg:.4f}, {((lon_deg + 180.0) % 360.0) - 180.0:.4f}", "speed": "", "events": ""}
    at = len(rows) if after_row is None else max(0, min(after_row, len(rows)))
    rows.insert(at, new)
    return edit_mission(text, mission, [SortieEdit(sortie_index, rows)])
