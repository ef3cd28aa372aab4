"""What the dashboard (``app.py``) shows, as plain data: pure functions, no Streamlit, no folium.

Tables are read from the core's typed rows (:func:`missions.tables.mission_tables`: the figures are
not computed twice, nor read back from the JSON report) and are returned as :class:`pandas.DataFrame`
in the chosen distance unit (``km``, ``nm`` or ``mi``); pass ``tables=`` to build them once per change. A sortie
is edited in :mod:`missions.dashboard.edit` (re-exported here).

Examples
--------
>>> from missions.analysis import compute_mission
>>> from missions.parsing import parse_mission
>>> text = '''
... name: Along the equator
... sorties:
...   - {name: A, aircraft: Tu-160, takeoff: 2015-11-20T00:00:00Z, speed: 900 km/h, route: ["0, 0", "0, 10"]}
... '''
>>> result = compute_mission(parse_mission(text))
>>> [m.value for m in metrics(result, "nm")][:2]
['601 NM', '1 h 14 min']
"""

from __future__ import annotations

import functools
import math
from typing import TYPE_CHECKING, NamedTuple

import pandas as pd

from ..analysis import MissionResult
from ..tables import ClaimRow, MissionTables, mission_tables, sorted_findings
from ..units import (
    S_PER_H,
    UNIT_LABEL,
    UNIT_SPEED_LABEL,
    Units,
    average_kmh,
    distance_in,
    format_distance,
    format_duration,
    format_hm,
    format_speed,
    iso_utc,
    speed_in,
)
from .edit import (  # noqa: F401 (the editor's API, re-exported for the page and tests)
    EDITOR_COLUMNS,
    SortieEdit,
    edit_mission,
    mission_document,
    mission_yaml,
    plain_data,
    sortie_fields,
    waypoints_frame,
)
from .page import (  # noqa: F401 (light names the sidebar reads before pandas is imported; re-exported)
    CATALOG_DIR,
    DEFAULT_MISSION,
    UNIT_NAMES,
    UNITS,
    catalog_missions,
)

if TYPE_CHECKING:
    from ..airspace import MissionAirspace
    from ..feasibility import Feasibility


class Metric(NamedTuple):
    """One metric card: label, formatted value and a tooltip saying how it is computed."""

    label: str
    value: str
    help: str


def weapons_launched(result: MissionResult) -> int:
    """Weapons fired: the ``count`` of every launch (one launch may aim at several targets)."""
    from_sorties = sum(ln.count for s in result.mission.sorties for wp in s.route for ln in wp.launches)
    return from_sorties + sum(ln.count for ln in result.mission.launches)


def flight_time_s(result: MissionResult) -> float:
    """From the first takeoff to the last landing, in seconds.

    A mission with no aircraft sorties (ship or ground launches only) counts its weapons: from the
    first launch to the last impact. 0 when there is nothing at all.
    """
    if result.sorties:
        first = min(s.takeoff_time for s in result.sorties)
        last = max(s.landing_time for s in result.sorties)
    elif result.weapons:
        first = min(w.launch_time for w in result.weapons)
        last = max(w.impact_time or w.launch_time for w in result.weapons)
    else:
        return 0.0
    return (last - first).total_seconds()


def average_speed_kmh(result: MissionResult) -> float:
    """Distance flown over time airborne, all sorties together (refuelling and holds included)."""
    return average_kmh(result.distance_m, sum(s.duration_s for s in result.sorties))


#: shown in place of an aircraft figure when the mission has no aircraft sorties
NO_SORTIES = "—"


def metrics(result: MissionResult, units: Units) -> list[Metric]:
    """The metric cards: total distance, flight time, refuellings, weapons, implied average speed.

    With no aircraft sorties (ship or ground launches only) distance and speed read ``—`` and the
    flight time is the weapons' (first launch to last impact).
    """
    flown = bool(result.sorties)
    return [
        Metric(
            "Total distance",
            format_distance(result.distance_m, units) if flown else NO_SORTIES,
            "Geodesic (WGS84) length of every sortie's route, added up (one formation counts once)."
            if flown
            else "No aircraft sorties: ship or ground launches only (see the weapon tracks).",
        ),
        Metric(
            "Flight time",
            format_duration(flight_time_s(result)),
            "From the first takeoff to the last landing, refuelling and holds included."
            if flown
            else "No aircraft sorties: from the first weapon launch to the last impact.",
        ),
        Metric(
            "Refuellings",
            str(sum(s.refuel_count for s in result.sorties)),
            "Air-to-air refuelling events on all routes.",
        ),
        Metric(
            "Weapons launched",
            str(weapons_launched(result)),
            "Weapons fired from aircraft, ships and the ground (each launch's count).",
        ),
        Metric(
            "Average speed (implied)",
            format_speed(average_speed_kmh(result), units) if flown else NO_SORTIES,
            "Implied by the computed distance and time airborne, all sorties together.",
        ),
    ]


def legs_frame(
    result: MissionResult,
    units: Units,
    feasibility: Feasibility | None = None,
    *,
    tables: MissionTables | None = None,
) -> pd.DataFrame:
    """One row per leg of every sortie, distances in ``units``, times in UTC.

    ``planned`` is the leg row's own flag (:attr:`missions.tables.LegRow.planned`: the leg starts or ends
    at a planned turning point), as the report's ``*`` and the JSON's ``planned`` show it. With
    ``feasibility``, a ``finding`` column holds the errors and warnings found on each leg.
    """
    tables = tables or mission_tables(result, feasibility)
    label, speed_label = UNIT_LABEL[units], UNIT_SPEED_LABEL[units]
    rows = [
        {
            "sortie": leg.sortie,
            "leg": leg.leg_index + 1,
            "planned": leg.planned,
            "from": leg.from_name,
            "to": leg.to_name,
            f"distance ({label})": distance_in(leg.distance_m, units),
            f"cumulative ({label})": distance_in(leg.cumulative_m, units),
            "bearing (°)": leg.initial_bearing_deg % 360.0,
            f"speed ({speed_label})": speed_in(leg.speed_kmh, units),
            "duration": format_duration(leg.duration_s),
            "departure (UTC)": iso_utc(leg.start_utc),
            "arrival (UTC)": iso_utc(leg.end_utc),
        }
        | (
            {"finding": " ".join(f"{'⚠' if f.severity == 'error' else '△'} {f.message}" for f in leg.findings)}
            if feasibility
            else {}
        )
        for leg in tables.legs
    ]
    return pd.DataFrame(rows)


TIMELINE_COLUMNS = ["lane", "kind", "what", "start", "end", "from", "until"]


def timeline_frame(result: MissionResult, *, tables: MissionTables | None = None) -> pd.DataFrame:
    """Bars for a gantt chart: every sortie leg and every weapon flight, start and end in UTC (ISO)."""
    tables = tables or mission_tables(result)
    rows = [
        {
            "lane": leg.sortie,
            "kind": "flight",
            "what": f"{leg.from_name} → {leg.to_name}",
            "start": iso_utc(leg.start_utc),
            "end": iso_utc(leg.end_utc),
            "from": format_hm(leg.start_utc),
            "until": format_hm(leg.end_utc),
        }
        for leg in tables.legs
    ]
    weapons = [w for w in tables.weapons if w.from_sortie] + [w for w in tables.weapons if not w.from_sortie]
    rows += [
        {
            "lane": f"{w.weapon} → {w.target}",
            "kind": "weapon",
            "what": f"{w.count} × {w.weapon}: {w.from_name} → {w.target}",
            "start": iso_utc(w.launch_utc),
            # an untimed weapon (no known speed) is a bar of no length: its arrival is "unknown"
            "end": iso_utc(w.impact_utc or w.launch_utc),
            "from": format_hm(w.launch_utc),
            "until": format_hm(w.impact_utc),
        }
        for w in weapons
    ]
    return pd.DataFrame(rows, columns=TIMELINE_COLUMNS)


def claim_text(claim: ClaimRow, units: Units) -> str:
    """A claim as the table shows it: a duration as written; a distance or speed from the core's number in
    ``units``, with its qualifier (``about 8,639 NM``, ``more than 7,019 NM``, ``4,860–5,400 NM``)."""
    if claim.quantity == "distance":
        figure = functools.partial(format_distance, units=units)
    elif claim.quantity == "speed":
        figure = functools.partial(format_speed, units=units)
    else:
        return claim.text
    if claim.qualifier == "between" and claim.claimed_interval_si is not None:
        low, high = claim.claimed_interval_si
        return f"{figure(low).rsplit(' ', 1)[0]}–{figure(high)}"  # "4,860–5,400 NM"
    word = "" if claim.qualifier in ("rounded", "between") else f"{claim.qualifier} "
    return word + figure(claim.claimed_si)


def claims_frame(
    result: MissionResult,
    units: Units,
    feasibility: Feasibility | None = None,
    *,
    tables: MissionTables | None = None,
) -> pd.DataFrame:
    """Each claim beside the computed value: distances in ``units``, durations in h, speeds per hour.

    With ``feasibility``, each claim's verdict (consistent, inconsistent, impossible) and its reason.
    """
    tables = tables or mission_tables(result, feasibility)
    rows = []
    for claim in tables.claims:
        if claim.quantity == "distance":
            claimed, computed = distance_in(claim.claimed_si, units), distance_in(claim.computed_si, units)
            unit = UNIT_LABEL[units]
        elif claim.quantity == "speed":
            claimed, computed = speed_in(claim.claimed_si, units), speed_in(claim.computed_si, units)
            unit = UNIT_SPEED_LABEL[units]
        else:
            claimed, computed, unit = claim.claimed_si / S_PER_H, claim.computed_si / S_PER_H, "h"
        implied = claim.implied_speed_kmh
        rows.append(
            {
                "quantity": claim.quantity,
                "sortie": claim.sortie,
                "claim": claim_text(claim, units),
                "claimed": claimed,
                "computed": None if not math.isfinite(computed) else computed,
                "unit": unit,
                "ratio": claim.ratio if math.isfinite(claim.ratio) else None,
                f"implied speed ({UNIT_SPEED_LABEL[units]})": None if implied is None else speed_in(implied, units),
                "source": claim.source,
            }
            | ({"verdict": claim.verdict, "reason": claim.reason} if feasibility else {})
        )
    return pd.DataFrame(rows)


def status_frame(feasibility: Feasibility) -> pd.DataFrame:
    """Each sortie's one feasibility verdict (:mod:`missions.findings`), as the text and JSON give it."""
    from ..findings import STATUS_TEXT

    rows = [
        {
            "sortie": sf.result.sortie.name,
            "aircraft": sf.result.sortie.aircraft,
            "feasibility": STATUS_TEXT[sf.status],
            "errors": sum(f.severity == "error" for f in sf.findings),
            "warnings": sum(f.severity == "warning" for f in sf.findings),
        }
        for sf in feasibility.sorties
    ]
    return pd.DataFrame(rows, columns=["sortie", "aircraft", "feasibility", "errors", "warnings"])


def findings_frame(
    feasibility: Feasibility,
    airspace: MissionAirspace | None = None,
    *,
    tables: MissionTables | None = None,
) -> pd.DataFrame:
    """Every finding of the feasibility checks (and airspace ``avoid`` hits), errors first."""
    findings = tables.findings if tables is not None else sorted_findings(feasibility, airspace)
    rows = [
        {
            "severity": str(f.severity),
            "sortie": f.sortie or "",
            "leg": "" if f.leg_index is None else str(f.leg_index + 1),
            "finding": f.message,
        }
        for f in findings
    ]
    rows += [
        {"severity": "info", "sortie": r.join.sortie, "leg": "", "finding": r.message} for r in feasibility.rendezvous
    ]
    return pd.DataFrame(rows, columns=["severity", "sortie", "leg", "finding"])


def countries_frame(
    result: MissionResult, airspace: MissionAirspace, units: Units, *, tables: MissionTables | None = None
) -> pd.DataFrame:
    """Every passage through a country or international waters, per sortie and weapon track, in order."""
    tables = tables or mission_tables(result, None, airspace)
    distance = f"distance ({UNIT_LABEL[units]})"
    rows = [
        {
            "route": p.route,
            "country": p.name,
            "ISO": p.iso3 or "",
            distance: distance_in(p.distance_m, units),
            "entry (UTC)": format_hm(p.entry_utc),
            "exit (UTC)": format_hm(p.exit_utc),
            "duration": format_duration(p.duration_s),
        }
        for p in tables.passages
    ]
    return pd.DataFrame(rows, columns=["route", "country", "ISO", distance, "entry (UTC)", "exit (UTC)", "duration"])
