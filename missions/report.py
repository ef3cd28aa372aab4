"""Reports of a computed mission: a readable text table and a stable JSON document.

JSON keys are stable; numbers keep full precision (other tools compute with them); times are
ISO 8601 in UTC.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import TYPE_CHECKING, Any

from .analysis import ClaimResult, MissionResult, SortieResult, WeaponTrack
from .feasibility import ClaimVerdict, Feasibility, Finding, SortieFeasibility, WeaponReach

if TYPE_CHECKING:
    from .airspace import MissionAirspace, Passage, RouteAirspace
from .units import UNIT_LABEL, UNIT_M, format_distance, format_duration

_CLAIM_UNITS = {"distance": ("km", 1000.0), "duration": ("h", 3600.0), "speed": ("km/h", 1.0)}


def iso_utc(when: dt.datetime) -> str:
    """``2015-11-20T03:00:00Z`` (fractions of a second kept when present)."""
    return when.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def _num(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else float(value)


def finding_json(f: Finding) -> dict[str, Any]:
    return {
        "severity": f.severity,
        "kind": f.kind,
        "message": f.message,
        "leg_index": f.leg_index,
        "lat": f.lat_deg,
        "lon": f.lon_deg,
        "time": iso_utc(f.time) if f.time else None,
    }


def feasibility_json(sf: SortieFeasibility, extra: tuple[Finding, ...] = ()) -> dict[str, Any]:
    """A sortie's feasibility; ``extra`` findings (airspace ``avoid`` hits) count against ``ok``."""
    fuel = sf.fuel_arrival_kg
    findings = (*sf.findings, *extra)
    return {
        "ok": not any(f.severity == "error" for f in findings),
        "findings": [finding_json(f) for f in findings],
        "range_km": {
            "min": _num(sf.range_m[0] / 1000),
            "nominal": _num(sf.range_m[1] / 1000),
            "max": _num(sf.range_m[2] / 1000),
        },
        "remaining_range_km": [_num(v / 1000) for v in sf.remaining_arrival_m],
        "fuel_kg": [_num(v) for v in fuel] if fuel is not None else None,
        "tanker_point": finding_json(sf.tanker_point) if sf.tanker_point else None,
        "distance_band_km": [sf.distance_band_m.low / 1000, sf.distance_band_m.high / 1000],
        "duration_band_h": [sf.duration_band_s.low / 3600, sf.duration_band_s.high / 3600],
    }


def passage_json(p: Passage) -> dict[str, Any]:
    return {
        "iso3": p.iso3,
        "name": p.name,
        "distance_km": p.distance_m / 1000.0,
        "entry": iso_utc(p.entry_time),
        "exit": iso_utc(p.exit_time),
        "entry_lat": p.entry_lat_deg,
        "entry_lon": p.entry_lon_deg,
        "exit_lat": p.exit_lat_deg,
        "exit_lon": p.exit_lon_deg,
    }


def _airspace_json(route: RouteAirspace | None) -> dict[str, Any]:
    if route is None:
        return {}
    return {
        "countries": [passage_json(p) for p in route.passages],
        "country_totals": [
            {"iso3": t.iso3, "name": t.name, "distance_km": t.distance_m / 1000.0, "duration_h": t.duration_s / 3600.0}
            for t in route.totals
        ],
    }


def weapon_json(
    track: WeaponTrack, reach: WeaponReach | None = None, airspace: RouteAirspace | None = None
) -> dict[str, Any]:
    extra: dict[str, Any] = {}
    if reach is not None:
        known = math.isfinite(reach.range_max_m)
        extra = {
            "in_range": reach.in_range if known else None,
            "range_km": _num(reach.range_max_m / 1000),
            "margin_km": _num(reach.margin_m / 1000),
        }
    return (
        extra
        | _airspace_json(airspace)
        | {
            "weapon": track.weapon,
            "count": track.count,
            "launcher": track.launcher,
            "from": track.origin.name,
            "launch_lat": track.origin.lat_deg,
            "launch_lon": track.origin.lon_deg,
            "target": track.target.name,
            "target_lat": track.target.lat_deg,
            "target_lon": track.target.lon_deg,
            "via": [p.name for p in track.launch.via],
            "distance_km": track.distance_m / 1000.0,
            "speed_kmh": track.speed_kmh,
            "time_of_flight_h": track.time_of_flight_s / 3600.0,
            "launch": iso_utc(track.launch_time),
            "impact": iso_utc(track.impact_time),
            "source": track.launch.source,
        }
    )


def sortie_json(
    result: SortieResult,
    feas: Feasibility | None = None,
    airspace: MissionAirspace | None = None,
    track_airspace: dict[int, RouteAirspace] | None = None,
) -> dict[str, Any]:
    sortie = result.sortie
    sf = feas.sortie(sortie.name) if feas else None
    route = airspace.sorties.get(sortie.name) if airspace else None
    legs_air = route.legs if route else [None] * len(result.legs)
    track_airspace = track_airspace or {}
    head = {"feasibility": feasibility_json(sf, route.findings if route else ())} if sf else {}
    return (
        head
        | _airspace_json(route)
        | {
            "name": sortie.name,
            "aircraft": sortie.aircraft,
            "count": sortie.count,
            "callsign": sortie.callsign,
            "takeoff": iso_utc(result.takeoff_time),
            "landing": iso_utc(result.landing_time),
            "distance_km": result.distance_m / 1000.0,
            "duration_h": result.duration_s / 3600.0,
            "average_speed_kmh": result.average_speed_kmh,
            "refuels": result.refuel_count,
            "legs": [
                {
                    "index": leg.index,
                    "from": leg.start.point.name,
                    "to": leg.end.point.name,
                    "from_lat": leg.start.point.lat_deg,
                    "from_lon": leg.start.point.lon_deg,
                    "to_lat": leg.end.point.lat_deg,
                    "to_lon": leg.end.point.lon_deg,
                    "distance_km": leg.distance_m / 1000.0,
                    "cumulative_km": leg.cumulative_m / 1000.0,
                    "initial_bearing_deg": leg.initial_bearing_deg,
                    "final_bearing_deg": leg.final_bearing_deg,
                    "speed_kmh": leg.speed_kmh,
                    "duration_h": leg.duration_s / 3600.0,
                    "start": iso_utc(leg.start_time),
                    "end": iso_utc(leg.end_time),
                }
                | ({"countries": [passage_json(p) for p in passages]} if passages is not None else {})
                for leg, passages in zip(result.legs, legs_air, strict=True)
            ],
            "waypoints": [
                {
                    "name": wp.point.name,
                    "written": wp.point.label,
                    "lat": wp.point.lat_deg,
                    "lon": wp.point.lon_deg,
                    "arrival": iso_utc(arr),
                    "departure": iso_utc(dep),
                    "events": [f"refuel ({r.tanker})" for r in wp.refuels]
                    + ["hold"] * len(wp.holds)
                    + [f"join {j.sortie}" for j in wp.joins]
                    + [f"launch {ln.weapon}" for ln in wp.launches],
                    "source": wp.point.source,
                }
                for wp, arr, dep in zip(sortie.route, result.arrival_times, result.departure_times, strict=True)
            ],
            "launches": [
                weapon_json(t, feas.reach_of(t) if feas else None, track_airspace.get(id(t))) for t in result.weapons
            ],
            "source": sortie.source,
        }
    )


def claim_json(result: ClaimResult, verdict: ClaimVerdict | None = None) -> dict[str, Any]:
    unit, per = _CLAIM_UNITS[result.claim.quantity]
    extra = (
        {
            "verdict": verdict.verdict,
            "reason": verdict.reason,
            "band": [verdict.band.low / per, verdict.band.high / per],
        }
        if verdict
        else {}
    )
    return extra | {
        "quantity": result.claim.quantity,
        "text": result.claim.text,
        "qualifier": result.claim.qualifier,
        "sortie": result.sortie,
        "claimed": result.claim.value / per,
        "computed": _num(result.computed / per),
        "unit": unit,
        "ratio": _num(result.ratio),
        "difference": _num(result.difference / per),
        "implied_speed_kmh": _num(result.implied_speed_kmh),
        "source": result.claim.source,
    }


def mission_json(
    result: MissionResult, feas: Feasibility | None = None, airspace: MissionAirspace | None = None
) -> dict[str, Any]:
    """The report as a JSON-ready dict (keys stable, numbers unrounded); with feasibility and
    overflight when given."""
    mission = result.mission
    sortie_names = {s.sortie.name for s in result.sorties}
    tracks = {id(t): a for t, a in zip(result.weapons, airspace.weapons, strict=True)} if airspace else {}
    ship = [
        weapon_json(t, feas.reach_of(t) if feas else None, tracks.get(id(t)))
        for t in result.weapons
        if t.launcher not in sortie_names
    ]
    return {
        "name": mission.name,
        "file": mission.file,
        "date": mission.date,
        "distance_km": result.distance_m / 1000.0,
        "sorties": [sortie_json(s, feas, airspace, tracks) for s in result.sorties],
        "launches": ship,
        "joins": [
            {
                "sortie": j.sortie,
                "other": j.other,
                "at": j.at.name,
                "time": iso_utc(j.time),
                "other_time": iso_utc(j.other_time),
                "time_gap_h": j.time_gap_s / 3600.0,
                "distance_gap_km": j.distance_gap_m / 1000.0,
            }
            for j in result.joins
        ],
        "claims": [
            claim_json(c, v)
            for c, v in zip(result.claims, feas.verdicts if feas else [None] * len(result.claims), strict=True)
        ],
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
    feasibility: list[Feasibility | None] | None = None,
    airspace: list[MissionAirspace | None] | None = None,
    *,
    indent: int | None = 2,
) -> str:
    """One object for one mission, a list for several."""
    feasibility = feasibility or [None] * len(results)
    airspace = airspace or [None] * len(results)
    docs = [mission_json(r, f, a) for r, f, a in zip(results, feasibility, airspace, strict=True)]
    return json.dumps(docs[0] if len(docs) == 1 else docs, indent=indent, ensure_ascii=False, allow_nan=False)


def _table(headers: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]

    def fmt(cells: list[str]) -> str:
        return "  ".join(
            c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        )

    return [line.rstrip() for line in [fmt(headers), "  ".join("-" * w for w in widths), *(fmt(r) for r in rows)]]


def _reach_text(reach: WeaponReach | None, per: float) -> str:
    if reach is None or not math.isfinite(reach.range_max_m):
        return "range unknown"
    word = "in range" if reach.in_range else "OUT OF RANGE"
    return f"{word} ({reach.margin_m / per:+,.0f})"


def _hm(when: dt.datetime) -> str:
    return (when.astimezone(dt.UTC) + dt.timedelta(seconds=30)).strftime("%d %b %H:%M")


def _airspace_text(route: RouteAirspace, per: float, label: str) -> list[str]:
    lines = ["Airspace: " + " > ".join(p.iso3 or "intl" for p in route.passages)]
    for t in route.totals:
        lines.append(
            f"  {t.name}{f' ({t.iso3})' if t.iso3 else ''}: {t.distance_m / per:,.0f} {label}, "
            f"{format_duration(t.duration_s)}"
        )
    lines += [f"  [{f.severity}] {f.message}" for f in route.findings]
    return lines


def to_text(
    result: MissionResult,
    units: str = "km",
    feas: Feasibility | None = None,
    airspace: MissionAirspace | None = None,
) -> str:
    """A readable report: per sortie a legs table, totals and findings, then weapons and claims."""
    label = UNIT_LABEL[units]
    per = UNIT_M[units]
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
                str(leg.index + 1),
                leg.start.point.name,
                leg.end.point.name,
                f"{leg.distance_m / per:,.0f}",
                f"{leg.cumulative_m / per:,.0f}",
                f"{leg.initial_bearing_deg:05.1f}",
                format_duration(leg.duration_s),
                _hm(leg.start_time),
                _hm(leg.end_time),
            ]
            for leg in s.legs
        ]
        lines += _table(
            ["#", "from", "to", f"dist {label}", f"cum {label}", "brg°", "time", "dep UTC", "arr UTC"],
            rows,
            {0, 3, 4, 5, 6},
        )
        lines.append(
            f"Total: {format_distance(s.distance_m, units)} in {format_duration(s.duration_s)} "
            f"(landing {iso_utc(s.landing_time)}), average {s.average_speed_kmh:,.0f} km/h, "
            f"{s.refuel_count} refuelling(s)"
        )
        if feas is not None:
            sf = feas.sortie(sortie.name)
            lines.append(f"Feasibility: {'ok' if sf.ok else 'NOT FEASIBLE as planned'}")
            lines += [f"  [{f.severity}] {f.message}" for f in sf.findings]
        if airspace is not None:
            lines += _airspace_text(airspace.sorties[sortie.name], per, label)
    if result.weapons:
        lines += ["", "Weapons:"]
        rows = [
            [
                t.launcher,
                f"{t.count} × {t.weapon}",
                t.target.name,
                f"{t.distance_m / per:,.0f}",
                format_duration(t.time_of_flight_s),
                _hm(t.launch_time),
                _hm(t.impact_time),
                _reach_text(feas.reach_of(t) if feas else None, per),
                " > ".join(p.iso3 or "intl" for p in air.passages) if air else "",
            ]
            for t, air in zip(
                result.weapons, airspace.weapons if airspace else [None] * len(result.weapons), strict=True
            )
        ]
        lines += _table(
            ["launcher", "weapon", "target", f"dist {label}", "flight", "launch UTC", "impact UTC", "reach", "over"],
            rows,
            {3, 4},
        )
    for j in result.joins:
        lines.append(
            f"Join: {j.sortie} at {j.at.name} {_hm(j.time)}, {j.other} nearest there {_hm(j.other_time)} "
            f"({j.time_gap_s / 60:+.0f} min, {format_distance(j.distance_gap_m, units)} apart)"
        )
    if result.claims:
        lines += ["", "Claims:"]
        rows = []
        verdicts = feas.verdicts if feas else ()
        for i, c in enumerate(result.claims):
            unit, cper = _CLAIM_UNITS[c.claim.quantity]
            if c.claim.quantity == "distance":
                claimed, computed = c.claim.value / per, c.computed / per
                unit = label
            else:
                claimed, computed = c.claim.value / cper, c.computed / cper
            rows.append(
                [
                    c.claim.quantity,
                    f"{c.claim.qualifier} {claimed:,.1f} {unit}",
                    f"{computed:,.1f} {unit}",
                    f"{c.ratio:.2f}",
                    f"{c.implied_speed_kmh:,.0f}" if c.implied_speed_kmh else "",
                    verdicts[i].verdict if verdicts else "",
                    c.claim.source[:60],
                ]
            )
        lines += _table(["quantity", "claimed", "computed", "ratio", "implied km/h", "verdict", "source"], rows, {3, 4})
        for v in verdicts:
            lines.append(f"  {v.verdict}: {v.reason}")
    if feas is not None and feas.rendezvous:
        lines += ["", "Rendezvous:"] + [f"  {r.message}" for r in feas.rendezvous]
    return "\n".join(lines)
