"""Refuelling in the range budget: the range an offload adds, and the refuellings a short sortie needs.

A refuelling adds the tanker's offload converted to range with ``R / internal fuel`` (the file's
``offload``, else the tanker's catalogue offload), never beyond ``R`` (full tanks); when the offload
cannot be converted or is unknown, it counts as filling the tanks and a warning says why. When the
budget runs dry, :func:`_plan` gives the fewest further refuellings (refuel where the tank runs dry)
and where and when each tanker must meet the sortie.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from . import geodesy
from .analysis import Leg, SortieResult
from .errors import CatalogError
from .findings import Finding, FindingKind, Severity
from .model import Refuel
from .performance import find_aircraft
from .units import KG_PER_T, format_count, format_distance, format_hm, ms_from_kmh

#: the refuelling plan gives up beyond this many refuellings
MAX_REFUELS_PLANNED = 100
#: the name the model gives a refuelling whose tanker the file does not name
_UNNAMED_TANKER = "tanker"


def _hm(when: dt.datetime) -> str:
    return f"{format_hm(when)} UTC"


@dataclass(frozen=True, kw_only=True)
class TankerMeeting:
    """A refuelling the route lacks: the latest point and time at which a tanker must meet it."""

    leg_index: int
    lat_deg: float
    lon_deg: float
    time: dt.datetime
    along_m: float  #: distance flown from takeoff to the meeting


@dataclass(frozen=True, kw_only=True)
class _Gain:
    """What one refuelling adds: ``range_m`` (inf: full tanks), the tanker and its offload."""

    range_m: float
    tanker: str
    offload_kg: float | None


def _refuel_gain(
    refuel: Refuel, range_m: float, fuel_kg: float | None, aircraft: str, where: str
) -> tuple[_Gain, Finding | None]:
    """The range a refuelling adds, or full tanks with a warning saying why its offload was not used."""
    offload, why, tanker_name, path = refuel.offload_kg, "", refuel.tanker, f"{refuel.field}.offload"
    if offload is None:
        if tanker_name == _UNNAMED_TANKER:
            why = "the file names no tanker and gives no 'offload'"
        else:
            try:
                tanker = find_aircraft(tanker_name)
            except CatalogError as exc:
                hint = f" (did you mean {', '.join(repr(s) for s in exc.suggestions)}?)" if exc.suggestions else ""
                why = f"the performance catalogue has no tanker {tanker_name!r}{hint}; give its 'offload'"
                path = f"{refuel.field}.tanker"
            else:
                tanker_name = tanker.name
                if tanker.offload_kg is None:
                    why = f"no source gives the {tanker.name}'s offload; give the refuelling's 'offload'"
                else:
                    offload = tanker.offload_kg.nominal
    if offload is not None and fuel_kg is None:
        why = (
            f"the offload of {offload / KG_PER_T:,.1f} t could not be used: no internal fuel figure for the "
            f"{aircraft} converts it to range; give the sortie's 'fuel'"
        )
        path = refuel.field.split(".route[")[0] + ".fuel"
    if why:
        finding = Finding(
            severity=Severity.WARNING,
            kind=FindingKind.REFUEL,
            message=f"refuelling at {where} counted as filling the tanks: {why}",
            field=path,
            line=refuel.line,
        )
        return _Gain(range_m=math.inf, tanker=tanker_name, offload_kg=offload), finding
    assert offload is not None and fuel_kg is not None
    return _Gain(range_m=offload * range_m / fuel_kg, tanker=tanker_name, offload_kg=offload), None


def _meeting(leg: Leg, along_leg_m: float) -> TankerMeeting:
    lat, lon = geodesy.point_along(
        leg.start.point.lat_deg, leg.start.point.lon_deg, leg.end.point.lat_deg, leg.end.point.lon_deg, along_leg_m
    )
    return TankerMeeting(
        leg_index=leg.index,
        lat_deg=float(lat),
        lon_deg=float(lon),
        time=leg.start_time + dt.timedelta(seconds=along_leg_m / ms_from_kmh(leg.speed_kmh)),
        along_m=leg.cumulative_m - leg.distance_m + along_leg_m,
    )


def _plan(
    result: SortieResult, full_m: float, gains: list[list[float]], plan_gain_m: float, cruise_ms: float
) -> tuple[TankerMeeting, ...] | None:
    """The fewest further refuellings (each adding ``plan_gain_m``, capped at ``full_m``) that keep the
    nominal budget at or above zero to landing: refuel where the tank runs dry. None beyond the cap."""
    gain = min(plan_gain_m, full_m)
    if not gain > 0:
        return None
    meetings: list[TankerMeeting] = []
    remaining = full_m
    for i, wp in enumerate(result.sortie.route):
        if i > 0:
            leg = result.legs[i - 1]
            flown = 0.0
            while remaining < leg.distance_m - flown:
                flown += remaining
                meetings.append(_meeting(leg, flown))
                if len(meetings) > MAX_REFUELS_PLANNED:
                    return None
                remaining = gain
            remaining -= leg.distance_m - flown
        remaining -= wp.event_duration_s * cruise_ms
        if remaining < 0 and i < len(result.legs):  # dry while holding here: meet it at the waypoint
            leg = result.legs[i]
            meetings.append(_meeting(leg, 0.0))
            remaining = min(remaining + gain, full_m)
        for g in gains[i]:
            remaining = min(remaining + g, full_m)
    return tuple(meetings)


def _plan_finding(
    name: str, planned: tuple[TankerMeeting, ...] | None, tanker: str | None, stated: _Gain | None, gain_m: float
) -> Finding:
    if stated is None:
        each = "each filling the tanks (no tanker is stated)"
    elif math.isinf(gain_m):
        each = f"with the {tanker}, each counted as filling the tanks"
    else:
        assert stated.offload_kg is not None
        offload_t = stated.offload_kg / KG_PER_T
        each = f"with the {tanker} ({offload_t:,.1f} t offload ≈ {format_distance(gain_m)} of range each)"
    if planned is None:
        message = f"more than {MAX_REFUELS_PLANNED} further refuellings {each} would be needed"
        return Finding(severity=Severity.ERROR, kind=FindingKind.REFUEL, message=message, sortie=name)
    points = "; ".join(
        f"{k}) by {m.lat_deg:.2f}, {m.lon_deg:.2f} ({_hm(m.time)}, {format_distance(m.along_m)} from takeoff)"
        for k, m in enumerate(planned, start=1)
    )
    first = planned[0]
    return Finding(
        severity=Severity.INFO,
        kind=FindingKind.REFUEL,
        message=f"needs {format_count(len(planned), 'more refuelling')} {each}; a tanker must meet it {points}",
        sortie=name,
        leg_index=first.leg_index,
        lat_deg=first.lat_deg,
        lon_deg=first.lon_deg,
        time=first.time,
    )
