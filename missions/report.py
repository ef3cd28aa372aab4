"""Reports of a computed mission: a readable text table and a stable JSON document.

JSON keys are stable; numbers keep full precision (other tools compute with them); times are
ISO 8601 in UTC.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from .analysis import MissionResult
from .claims import Quantity
from .findings import STATUS_TEXT
from .tables import (
    ClaimRow,
    CountryTotalRow,
    LegRow,
    MissionTables,
    PassageRow,
    WaypointRow,
    WeaponRow,
    mission_tables,
)
from .units import (
    S_PER_H,
    S_PER_MIN,
    UNIT_LABEL,
    UNIT_M,
    UNIT_SPEED_LABEL,
    Units,
    format_count,
    format_distance,
    format_duration,
    format_hm,
    format_speed,
    hours,
    hours_or_none,
    iso_utc,
    iso_utc_or_none,
    km,
    speed_in,
    text_table,
)

if TYPE_CHECKING:
    from .airspace import MissionAirspace, RouteAirspace
    from .feasibility import Feasibility, SortieFeasibility
    from .findings import Finding

__all__ = ["dumps_json", "feasibility_json", "iso_utc", "mission_json", "to_json", "to_text"]

#: JSON: the unit of a claim's figures and the SI amount in one of them, by quantity
_CLAIM_UNITS = {"distance": ("km", 1000.0), "duration": ("h", S_PER_H), "speed": ("km/h", 1.0)}


def _num(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else float(value)


def finding_json(f: Finding) -> dict[str, Any]:
    return {
        "severity": str(f.severity),
        "kind": str(f.kind),
        "message": f.message,
        "leg_index": f.leg_index,
        "lat": f.lat_deg,
        "lon": f.lon_deg,
        "time": iso_utc(f.time) if f.time else None,
        "field": f.field,
    }


def feasibility_json(sf: SortieFeasibility) -> dict[str, Any]:
    """A sortie's feasibility: ``ok`` and ``status`` are the one verdict of :mod:`missions.findings`
    (``ok`` is null when feasibility is unknown)."""
    fuel = sf.fuel_arrival_kg
    return {
        "ok": sf.ok_json,
        "status": sf.status.value,
        "findings": [finding_json(f) for f in sf.findings],
        "landing_deficit_km": km(sf.landing_deficit_m),
        "refuels_needed": [
            {
                "leg_index": m.leg_index,
                "lat": m.lat_deg,
                "lon": m.lon_deg,
                "time": iso_utc(m.time),
                "along_km": km(m.along_m),
            }
            for m in sf.refuels_needed
        ],
        "plan_tanker": sf.plan_tanker,
        "range_km": {
            "min": _num(km(sf.range_m[0])),
            "nominal": _num(km(sf.range_m[1])),
            "max": _num(km(sf.range_m[2])),
        },
        "remaining_range_km": [_num(km(v)) for v in sf.remaining_arrival_m],
        "fuel_kg": [_num(v) for v in fuel] if fuel is not None else None,
        "tanker_point": finding_json(sf.tanker_point) if sf.tanker_point else None,
        "distance_band_km": [km(sf.distance_band_m.low), km(sf.distance_band_m.high)],
        "duration_band_h": [hours(sf.duration_band_s.low), hours(sf.duration_band_s.high)],
    }


def passage_json(p: PassageRow) -> dict[str, Any]:
    return {
        "iso3": p.iso3,
        "name": p.name,
        "distance_km": km(p.distance_m),
        "entry": iso_utc_or_none(p.entry_utc),
        "exit": iso_utc_or_none(p.exit_utc),
        "entry_lat": p.entry_lat_deg,
        "entry_lon": p.entry_lon_deg,
        "exit_lat": p.exit_lat_deg,
        "exit_lon": p.exit_lon_deg,
    }


def _airspace_json(passages: Sequence[PassageRow] | None, totals: Sequence[CountryTotalRow] | None) -> dict[str, Any]:
    if passages is None or totals is None:
        return {}
    return {
        "countries": [passage_json(p) for p in passages],
        "country_totals": [
            {"iso3": t.iso3, "name": t.name, "distance_km": km(t.distance_m), "duration_h": hours_or_none(t.duration_s)}
            for t in totals
        ],
    }


def weapon_json(row: WeaponRow, assessed: bool) -> dict[str, Any]:
    extra: dict[str, Any] = {}
    if assessed:
        extra = {
            "in_range": row.in_range,
            "range_km": _num(km(row.range_max_m)) if row.range_max_m is not None else None,
            "margin_km": _num(km(row.margin_m)) if row.margin_m is not None else None,
        }
    return (
        extra
        | _airspace_json(row.passages, row.country_totals)
        | {
            "weapon": row.weapon,
            "count": row.count,
            "launcher": row.launcher,
            "from": row.from_name,
            "launch_lat": row.from_lat_deg,
            "launch_lon": row.from_lon_deg,
            "target": row.target,
            "target_lat": row.target_lat_deg,
            "target_lon": row.target_lon_deg,
            "via": list(row.via),
            "distance_km": km(row.distance_m),
            "speed_kmh": row.speed_kmh,
            "time_of_flight_h": hours_or_none(row.time_of_flight_s),
            "launch": iso_utc(row.launch_utc),
            "impact": iso_utc_or_none(row.impact_utc),
            "source": row.source,
        }
    )


def _leg_json(leg: LegRow) -> dict[str, Any]:
    return {
        "index": leg.leg_index,
        "from": leg.from_name,
        "to": leg.to_name,
        "from_lat": leg.from_lat_deg,
        "from_lon": leg.from_lon_deg,
        "to_lat": leg.to_lat_deg,
        "to_lon": leg.to_lon_deg,
        "distance_km": km(leg.distance_m),
        "cumulative_km": km(leg.cumulative_m),
        "initial_bearing_deg": leg.initial_bearing_deg,
        "final_bearing_deg": leg.final_bearing_deg,
        "speed_kmh": leg.speed_kmh,
        "duration_h": hours(leg.duration_s),
        "start": iso_utc(leg.start_utc),
        "end": iso_utc(leg.end_utc),
        "planned": leg.planned,
    } | ({"countries": [passage_json(p) for p in leg.passages]} if leg.passages is not None else {})


def _waypoint_json(wp: WaypointRow) -> dict[str, Any]:
    return {
        "name": wp.name,
        "written": wp.written,
        "lat": wp.lat_deg,
        "lon": wp.lon_deg,
        "arrival": iso_utc(wp.arrival_utc),
        "departure": iso_utc(wp.departure_utc),
        "events": list(wp.events),
        "source": wp.source,
        "planned": wp.planned,
    }


def sortie_json(
    tables: MissionTables, index: int, feas: Feasibility | None = None, airspace: MissionAirspace | None = None
) -> dict[str, Any]:
    result = tables.result.sorties[index]
    sortie = result.sortie
    sf = feas.sortie(sortie.name) if feas else None
    route = airspace.sorties.get(sortie.name) if airspace else None
    head = {"feasibility": feasibility_json(sf)} if sf else {}
    return (
        head
        | (
            _airspace_json(tables.route_passages(sortie.name), tables.route_totals(sortie.name))
            if route is not None
            else {}
        )
        | {
            "name": sortie.name,
            "aircraft": sortie.aircraft,
            "count": sortie.count,
            "callsign": sortie.callsign,
            "takeoff": iso_utc(result.takeoff_time),
            "landing": iso_utc(result.landing_time),
            "distance_km": km(result.distance_m),
            "duration_h": hours(result.duration_s),
            "average_speed_kmh": result.average_speed_kmh,
            "refuels": result.refuel_count,
            "legs": [_leg_json(leg) for leg in tables.sortie_legs(sortie.name)],
            "waypoints": [_waypoint_json(wp) for wp in tables.sortie_waypoints(sortie.name)],
            "launches": [weapon_json(w, feas is not None) for w in tables.sortie_weapons(sortie.name)],
            "source": sortie.source,
        }
    )


def claim_json(row: ClaimRow) -> dict[str, Any]:
    unit, per = _CLAIM_UNITS[row.quantity]
    extra = (
        {"verdict": row.verdict, "reason": row.reason, "band": [row.band_si[0] / per, row.band_si[1] / per]}
        if row.band_si is not None
        else {}
    )
    return extra | {
        "quantity": row.quantity,
        "text": row.text,
        "qualifier": row.qualifier,
        "sortie": row.sortie,
        "claimed": row.claimed_si / per,
        "computed": _num(row.computed_si / per),
        "unit": unit,
        "ratio": _num(row.ratio),
        "difference": _num(row.difference_si / per),
        "implied_speed_kmh": _num(row.implied_speed_kmh),
        "source": row.source,
    }


def mission_json(
    result: MissionResult,
    feas: Feasibility | None = None,
    airspace: MissionAirspace | None = None,
    *,
    tables: MissionTables | None = None,
) -> dict[str, Any]:
    """The report as a JSON-ready dict (keys stable, numbers unrounded); with feasibility and
    overflight when given. ``tables``: :func:`~missions.tables.mission_tables` if already built."""
    mission = result.mission
    tables = tables or mission_tables(result, feas, airspace)
    return {
        "name": mission.name,
        "file": mission.file,
        "date": mission.date,
        "distance_km": km(result.distance_m),
        "sorties": [sortie_json(tables, i, feas, airspace) for i in range(len(result.sorties))],
        "launches": [weapon_json(w, feas is not None) for w in tables.weapons if not w.from_sortie],
        "joins": [
            {
                "sortie": j.sortie,
                "other": j.other,
                "at": j.at,
                "time": iso_utc(j.time_utc),
                "other_time": iso_utc(j.other_time_utc),
                "time_gap_h": hours(j.time_gap_s),
                "distance_gap_km": km(j.distance_gap_m),
            }
            for j in tables.joins
        ],
        "claims": [claim_json(c) for c in tables.claims],
        "rendezvous": [
            {
                "sortie": r.join.sortie,
                "other": r.join.other,
                "latest_takeoff": iso_utc(r.latest_takeoff),
                "fuel_home": r.fuel_home,
                "message": r.message,
            }
            for r in (feas.rendezvous if feas else ())
        ],
        "sources": [{"title": s.title, "url": s.url} for s in mission.sources],
    }


def to_json(
    results: list[MissionResult],
    feasibility: Sequence[Feasibility | None] | None = None,
    airspace: Sequence[MissionAirspace | None] | None = None,
    *,
    indent: Literal[2] | None = 2,
) -> str:
    """One object for one mission, a list for several."""
    feasibility = feasibility or [None] * len(results)
    airspace = airspace or [None] * len(results)
    docs = [mission_json(r, f, a) for r, f, a in zip(results, feasibility, airspace, strict=True)]
    return dumps_json(docs[0] if len(docs) == 1 else docs, indent=indent)


def _plain(value: Any) -> Any:
    """A NumPy scalar as the Python number it holds (for :func:`dumps_json`)."""
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def dumps_json(doc: Any, *, indent: Literal[2] | None = 2) -> str:
    """``doc`` as JSON text, indented by two spaces (or compact), UTF-8 characters kept.

    Written by orjson (compiled: the report of a mission of thousands of sorties, with every
    country passage, is tens of MB, which :mod:`json`'s pure-Python indenting encoder takes tens of
    seconds to write). Numbers print in their shortest round-trip form, as ``float.__repr__``
    gives them, up to exponent style (``1e-05`` is written ``0.00001``). JSON has no NaN or
    infinity: such a number would be written ``null`` (the report's figures are finite by the
    limits of :mod:`missions.limits`, and a figure that may be undefined is ``null`` already).
    """
    import orjson  # imported here: the text report does without it (and its zoneinfo, uuid: ~3 ms)

    return orjson.dumps(doc, default=_plain, option=orjson.OPT_INDENT_2 if indent else 0).decode("utf-8")


def _reach_text(row: WeaponRow, units: Units) -> str:
    if row.in_range is None or row.margin_m is None:
        return "range unknown"
    word = "in range" if row.in_range else "OUT OF RANGE"
    return f"{word} ({format_distance(row.margin_m, units, sign=True)})"


def _countries_line(passages: Sequence[PassageRow]) -> str:
    return " > ".join(p.iso3 or "intl" for p in passages)


def _airspace_text(tables: MissionTables, route: RouteAirspace, units: Units, findings: bool = True) -> list[str]:
    lines = ["Airspace: " + _countries_line(tables.route_passages(route.label))]
    lines += [
        f"  {t.name}{f' ({t.iso3})' if t.iso3 else ''}: {format_distance(t.distance_m, units)}, "
        f"{format_duration(t.duration_s)}"
        for t in tables.route_totals(route.label)
    ]
    if findings:  # else they are among the sortie's feasibility findings
        lines += [f"  [{f.severity}] {f.message}" for f in route.findings]
    return lines


def _claim_cells(row: ClaimRow, units: Units) -> tuple[float, float, str]:
    """Claimed and computed values in the display unit, and that unit."""
    if row.quantity is Quantity.DISTANCE:
        per, unit = UNIT_M[units], UNIT_LABEL[units]
    elif row.quantity is Quantity.SPEED:
        return speed_in(row.claimed_si, units), speed_in(row.computed_si, units), UNIT_SPEED_LABEL[units]
    else:
        per, unit = S_PER_H, "h"
    return row.claimed_si / per, row.computed_si / per, unit


def to_text(
    result: MissionResult,
    units: Units = "km",
    feas: Feasibility | None = None,
    airspace: MissionAirspace | None = None,
    *,
    tables: MissionTables | None = None,
) -> str:
    """A readable report: per sortie a legs table, totals and findings, then weapons and claims."""
    label = UNIT_LABEL[units]
    tables = tables or mission_tables(result, feas, airspace)
    mission = result.mission
    lines = [f"Mission: {mission.name}" + (f"  ({mission.date})" if mission.date else "")]
    for s in result.sorties:
        sortie = s.sortie
        lines += [
            "",
            f"Sortie: {sortie.name} — {sortie.count} × {sortie.aircraft}, takeoff {iso_utc(s.takeoff_time)}",
        ]
        rows = [
            [
                f"{leg.leg_index + 1}{'*' if leg.planned else ''}",
                leg.from_name,
                leg.to_name,
                f"{leg.distance_m / UNIT_M[units]:,.0f}",
                f"{leg.cumulative_m / UNIT_M[units]:,.0f}",
                f"{leg.initial_bearing_deg:05.1f}",
                format_duration(leg.duration_s),
                format_hm(leg.start_utc),
                format_hm(leg.end_utc),
            ]
            for leg in tables.sortie_legs(sortie.name)
        ]
        lines += text_table(
            ["#", "from", "to", f"dist {label}", f"cum {label}", "brg°", "time", "dep UTC", "arr UTC"],
            rows,
            {0, 3, 4, 5, 6},
        )
        if any(leg.planned for leg in tables.sortie_legs(sortie.name)):
            lines.append("* planned: the shortest permitted route of a plan: stretch (turning points 'planned k')")
        lines.append(
            f"Total: {format_distance(s.distance_m, units)} in {format_duration(s.duration_s)} "
            f"(landing {iso_utc(s.landing_time)}), average {format_speed(s.average_speed_kmh, units)}, "
            f"{format_count(s.refuel_count, 'refuelling')}"
        )
        if feas is not None:
            sf = feas.sortie(sortie.name)
            lines.append(f"Feasibility: {STATUS_TEXT[sf.status]}")
            lines += [f"  [{f.severity}] {f.message}" for f in sf.findings]
        if airspace is not None:
            lines += _airspace_text(tables, airspace.sorties[sortie.name], units, findings=feas is None)
    if tables.weapons:
        lines += ["", "Weapons:"]
        rows = [
            [
                w.launcher,
                f"{w.count} × {w.weapon}",
                w.target,
                f"{w.distance_m / UNIT_M[units]:,.0f}",
                format_duration(w.time_of_flight_s),
                format_hm(w.launch_utc),
                format_hm(w.impact_utc),
                _reach_text(w, units),
                _countries_line(w.passages) if w.passages is not None else "",
            ]
            for w in tables.weapons
        ]
        lines += text_table(
            ["launcher", "weapon", "target", f"dist {label}", "flight", "launch UTC", "impact UTC", "reach", "over"],
            rows,
            {3, 4},
        )
    for j in tables.joins:
        lines.append(
            f"Join: {j.sortie} at {j.at} {format_hm(j.time_utc)}, "
            f"{j.other} nearest there {format_hm(j.other_time_utc)} "
            f"({j.time_gap_s / S_PER_MIN:+.0f} min, {format_distance(j.distance_gap_m, units)} apart)"
        )
    if tables.claims:
        lines += ["", "Claims:"]
        rows = []
        for c in tables.claims:
            claimed, computed, unit = _claim_cells(c, units)
            rows.append(
                [
                    c.quantity,
                    f"{c.qualifier} {claimed:,.1f} {unit}",
                    f"{computed:,.1f} {unit}",
                    f"{c.ratio:.2f}",
                    f"{speed_in(c.implied_speed_kmh, units):,.0f}" if c.implied_speed_kmh else "",
                    c.verdict or "",
                    c.source[:60],
                ]
            )
        lines += text_table(
            ["quantity", "claimed", "computed", "ratio", f"implied {UNIT_SPEED_LABEL[units]}", "verdict", "source"],
            rows,
            {3, 4},
        )
        lines += [f"  {c.verdict}: {c.reason}" for c in tables.claims if c.verdict is not None]
    if feas is not None and feas.rendezvous:
        lines += ["", "Rendezvous:"] + [f"  {r.message}" for r in feas.rendezvous]
    return "\n".join(lines)
