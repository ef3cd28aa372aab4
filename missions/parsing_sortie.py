"""Sorties in the mission file: route, waypoints, their events (refuel, hold, join, launch), planned
stretches and observed-track references; and launches, from a waypoint or from a ship or the ground.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import partial
from typing import Any, TypedDict

from .airspace.mission_plan import PLAN_KEYS, expand_stretch, plan_stretch, sortie_avoid
from .model import Hold, Join, Launch, Refuel, Sortie, TrackRef, Waypoint
from .parsing_fields import (
    HOLD_KEYS,
    JOIN_KEYS,
    LAUNCH_KEYS,
    REFUEL_KEYS,
    SHIP_LAUNCH_KEYS,
    SORTIE_KEYS,
    TRACK_KEYS,
    WAYPOINT_KEYS,
    _as_list,
    _check_keys,
    _Ctx,
    _parse_count,
    _parse_point,
    _parse_speed_field,
    _parse_time,
    _source_text,
    _text,
)
from .units import MACH_ALTITUDE_M, parse_distance_m, parse_duration_s, parse_mass_kg
from .yamlio import LineDict, line_of


def _parse_launch(ctx: _Ctx, data: Any, field: str, line: int | None, *, ship: bool, mach_altitude_m: float) -> Launch:
    _check_keys(ctx, data, SHIP_LAUNCH_KEYS if ship else LAUNCH_KEYS, field, line, "a launch")
    weapon = _text(ctx, data, "weapon", field, required=True)
    if "target" in data and "targets" in data:
        raise ctx.error("give 'target' or 'targets', not both", field, line)
    targets_raw = data.get("targets", data.get("target"))
    if targets_raw is None or targets_raw == []:
        raise ctx.error("a launch needs 'target' or 'targets'", field, line)
    key = "targets" if "targets" in data else "target"
    targets_list = (
        targets_raw
        if isinstance(targets_raw, list)
        and not (len(targets_raw) == 2 and all(isinstance(v, int | float) for v in targets_raw))
        else [targets_raw]
    )
    targets = tuple(
        _parse_point(ctx, t, f"{field}.{key}[{i}]", line_of(targets_raw, i) or line_of(data, key))
        for i, t in enumerate(targets_list)
    )
    via_raw = data.get("via") or []
    via = tuple(
        _parse_point(ctx, v, f"{field}.via[{i}]", line_of(via_raw, i) or line_of(data, "via"))
        for i, v in enumerate(_as_list(via_raw))
    )
    range_m = None
    if data.get("range") is not None:
        range_m = ctx.wrap(lambda: parse_distance_m(data["range"]), f"{field}.range", line_of(data, "range"))
    platform, origin, when = None, None, None
    if ship:
        platform = _text(ctx, data, "platform", field, required=True)
        if data.get("from") is None:
            raise ctx.error("a ship or ground launch needs 'from' (where it was fired)", field, line)
        origin = _parse_point(ctx, data["from"], f"{field}.from", line_of(data, "from"))
        if data.get("time") is None:
            raise ctx.error("a ship or ground launch needs 'time' (ISO 8601 with a zone)", field, line)
        when = _parse_time(ctx, data["time"], f"{field}.time", line_of(data, "time"))
    return Launch(
        weapon=weapon,
        count=_parse_count(ctx, data, field),
        targets=targets,
        via=via,
        speed=_parse_speed_field(ctx, data, field, mach_altitude_m),
        range_m=range_m,
        source=_source_text(data.get("source")),
        platform=platform,
        origin=origin,
        time=when,
        line=line,
        field=field,
        weapon_line=line_of(data, "weapon") or line,
    )


class _Events(TypedDict):
    """A waypoint's events, as :class:`~missions.model.Waypoint` takes them."""

    refuels: tuple[Refuel, ...]
    holds: tuple[Hold, ...]
    joins: tuple[Join, ...]
    launches: tuple[Launch, ...]


#: the key a waypoint event written as a bare value stands for (``hold: 20 min``, ``join: B``)
_EVENT_SHORTHAND = {"refuel": "duration", "hold": "duration", "join": "sortie"}


def _event(
    ctx: _Ctx, item: Mapping[str, Any], key: str, raw: Any, field: str, keys: tuple[str, ...]
) -> tuple[Mapping[str, Any], str, int | None]:
    """A waypoint's event ``raw`` (under ``key``) as a mapping with known keys; its field and line."""
    f, ln = f"{field}.{key}", line_of(item, key)
    if not isinstance(raw, Mapping):
        raw = {_EVENT_SHORTHAND[key]: raw}
    _check_keys(ctx, raw, keys, f, ln, f"a {key}")
    return raw, f, ln


def _parse_events(ctx: _Ctx, item: Mapping[str, Any], field: str, mach_altitude_m: float) -> _Events:
    refuels: list[Refuel] = []
    holds: list[Hold] = []
    joins: list[Join] = []
    launches: list[Launch] = []
    for one in _as_list(item["refuel"]) if "refuel" in item else ():
        raw, f, ln = _event(ctx, item, "refuel", one, field, REFUEL_KEYS)
        duration = ctx.wrap(partial(parse_duration_s, raw.get("duration", "0 min")), f"{f}.duration", ln)
        offload: float | None = None
        if raw.get("offload") is not None:
            offload = ctx.wrap(partial(parse_mass_kg, raw["offload"]), f"{f}.offload", ln)
        refuels.append(
            Refuel(
                tanker=_text(ctx, raw, "tanker", f) or "tanker",
                duration_s=duration,
                offload_kg=offload,
                source=_source_text(raw.get("source")),
                field=f,
                line=line_of(raw, "tanker") or ln,
            )
        )
    if "hold" in item:
        raw, f, ln = _event(ctx, item, "hold", item["hold"], field, HOLD_KEYS)
        holds.append(
            Hold(
                duration_s=ctx.wrap(partial(parse_duration_s, raw.get("duration")), f, ln),
                source=_source_text(raw.get("source")),
            )
        )
    if "join" in item:
        raw, f, ln = _event(ctx, item, "join", item["join"], field, JOIN_KEYS)
        joins.append(Join(sortie=_text(ctx, raw, "sortie", f, required=True), source=_source_text(raw.get("source"))))
    if "launch" in item:
        raw_list = item["launch"]
        for i, raw in enumerate(_as_list(raw_list)):
            f = f"{field}.launch" + (f"[{i}]" if isinstance(raw_list, list) else "")
            ln = line_of(raw_list, i) if isinstance(raw_list, list) else line_of(item, "launch")
            launches.append(_parse_launch(ctx, raw, f, ln, ship=False, mach_altitude_m=mach_altitude_m))
    return _Events(refuels=tuple(refuels), holds=tuple(holds), joins=tuple(joins), launches=tuple(launches))


def _parse_waypoint(ctx: _Ctx, item: Any, field: str, line: int | None, mach_altitude_m: float) -> Waypoint:
    if isinstance(item, Mapping):
        _check_keys(ctx, item, WAYPOINT_KEYS, field, line, "a waypoint")
        point = _parse_point(ctx, item, field, line)
        return Waypoint(
            point=point,
            speed=_parse_speed_field(ctx, item, field, mach_altitude_m),
            note=_text(ctx, item, "note", field),
            **_parse_events(ctx, item, field, mach_altitude_m),
        )
    return Waypoint(point=_parse_point(ctx, item, field, line))


def _sortie_plan(ctx: _Ctx, data: Mapping[str, Any], field: str, line: int | None) -> list[Any]:
    """A sortie's ``plan: {from, to, via, avoid, transit}`` as the route ``[from, {plan: {to, ...}}]``."""
    raw = data["plan"]
    at = line_of(data, "plan") or line
    if data.get("route") is not None:
        raise ctx.error("a sortie has a route or a plan, not both", f"{field}.plan", at)
    if not isinstance(raw, Mapping) or raw.get("from") is None or raw.get("to") is None:
        raise ctx.error(
            "a sortie's plan needs 'from' and 'to' (places), e.g. plan: {from: Olenya, to: Engels, avoid: [NATO]}",
            f"{field}.plan",
            at,
        )
    _check_keys(ctx, raw, ("from", *PLAN_KEYS), f"{field}.plan", at, "a sortie's plan")
    stretch = LineDict((k, v) for k, v in raw.items() if k != "from")
    stretch.line, stretch.lines = getattr(raw, "line", at), dict(getattr(raw, "lines", {}))
    return [raw["from"], {"plan": stretch}]


def _parse_plan_item(
    ctx: _Ctx,
    item: Mapping[str, Any],
    field: str,
    line: int | None,
    before: list[Waypoint],
    sortie_avoid_terms: tuple[str, ...],
    day: dt.date,
    mach_altitude_m: float,
    start_field: str | None = None,
    planned_avoid: list[str] | None = None,
) -> list[Waypoint]:
    """``plan: {to, via, avoid, transit}``: the planned turning points, the vias and ``to`` (see README).

    ``start_field`` names the start in errors (default: the waypoint before the item); the codes the
    stretch avoided are added to ``planned_avoid``."""
    _check_keys(ctx, item, ("plan",), field, line, "a planned stretch")
    raw = item["plan"]
    if not isinstance(raw, Mapping) or raw.get("to") is None:
        raise ctx.error("plan needs 'to' (a place), e.g. plan: {to: Engels, avoid: [NATO]}", f"{field}.plan", line)
    _check_keys(ctx, raw, PLAN_KEYS, f"{field}.plan", line, "a plan")
    if not before:
        raise ctx.error("a planned stretch starts at the waypoint before it; put a place first", field, line)
    via_raw = _as_list(raw.get("via") or [])
    vias = [
        _parse_waypoint(ctx, v, f"{field}.plan.via[{j}]", line_of(raw, "via") or line, mach_altitude_m)
        for j, v in enumerate(via_raw)
    ]
    end = _parse_waypoint(ctx, raw["to"], f"{field}.plan.to", line_of(raw, "to") or line, mach_altitude_m)
    if ctx.place_errors:  # an unknown place: reported at the end of parsing, nothing to plan from
        return [*vias, end]
    terms = (
        sortie_avoid_terms
        if raw.get("avoid") is None
        else tuple(str(t).strip().upper() for t in _as_list(raw["avoid"]))
    )
    transit = raw.get("transit", True)
    if not isinstance(transit, bool):
        raise ctx.error("transit is true or false", f"{field}.plan.transit", line_of(raw, "transit") or line)
    planned = ctx.wrap(
        lambda: plan_stretch(
            before[-1].point,
            [v.point for v in vias],
            end.point,
            terms,
            day,
            ctx.groups,
            field=field,
            transit=transit,
            start_field=start_field,
        ),
        field,
        line,
    )
    first = 1 + sum(w.point.planned for w in before)
    if planned_avoid is not None:
        planned_avoid.extend(c for c in planned.avoid.codes if c not in planned_avoid)
    return expand_stretch(planned, [*vias, end], first, line)


def _parse_sortie(ctx: _Ctx, data: Any, field: str, line: int | None) -> Sortie:
    _check_keys(ctx, data, SORTIE_KEYS, field, line, "a sortie")
    name = _text(ctx, data, "name", field, required=True)
    aircraft = _text(ctx, data, "aircraft", field, required=True)
    planned_sortie = data.get("plan") is not None
    for key in ("takeoff", "speed") if planned_sortie else ("takeoff", "speed", "route"):
        if data.get(key) is None:
            raise ctx.error(f"missing required field '{key}'", f"{field}.{key}", line)
    takeoff = _parse_time(ctx, data["takeoff"], f"{field}.takeoff", line_of(data, "takeoff"))
    mach_altitude_m = MACH_ALTITUDE_M
    if data.get("mach_altitude") is not None:
        mach_altitude_m = ctx.wrap(
            lambda: parse_distance_m(data["mach_altitude"]),
            f"{field}.mach_altitude",
            line_of(data, "mach_altitude"),
        )
    speed = _parse_speed_field(ctx, data, field, mach_altitude_m)
    assert speed is not None
    route_raw = _sortie_plan(ctx, data, field, line) if planned_sortie else data["route"]
    if not isinstance(route_raw, list):
        raise ctx.error("route must be a list of waypoints", f"{field}.route", line_of(data, "route"))
    if len(route_raw) < 2:
        raise ctx.error(
            f"a route needs at least two waypoints, this one has {len(route_raw)}",
            f"{field}.route",
            line_of(data, "route"),
        )
    avoid_raw = data.get("avoid") or []
    avoid_terms = tuple(str(code).strip().upper() for code in _as_list(avoid_raw))
    avoid = ctx.wrap(
        lambda: sortie_avoid(avoid_terms, takeoff.date(), ctx.groups, f"{field}.avoid"),
        f"{field}.avoid",
        line_of(data, "avoid"),
    )
    route: list[Waypoint] = []
    planned_avoid: list[str] = []
    for i, wp in enumerate(route_raw):
        f, ln = f"{field}.route[{i}]", line_of(route_raw, i)
        if planned_sortie:  # the sortie's plan: its from, then the planned stretch
            f, ln = (f"{field}.plan.from", line_of(data["plan"], "from")) if i == 0 else (field, line_of(data, "plan"))
        if isinstance(wp, Mapping) and "plan" in wp:
            start_field = f"{field}.plan.from" if planned_sortie else None
            route.extend(
                _parse_plan_item(
                    ctx, wp, f, ln, route, avoid_terms, takeoff.date(), mach_altitude_m, start_field, planned_avoid
                )
            )
        else:
            route.append(_parse_waypoint(ctx, wp, f, ln, mach_altitude_m))
    fuel_kg = None
    if data.get("fuel") is not None:
        fuel_kg = ctx.wrap(lambda: parse_mass_kg(data["fuel"]), f"{field}.fuel", line_of(data, "fuel"))
    range_m = None
    if data.get("range") is not None:
        range_m = ctx.wrap(lambda: parse_distance_m(data["range"]), f"{field}.range", line_of(data, "range"))
    return Sortie(
        name=name,
        aircraft=aircraft,
        takeoff=takeoff,
        speed=speed,
        route=tuple(route),
        count=_parse_count(ctx, data, field),
        callsign=_text(ctx, data, "callsign", field),
        source=_source_text(data.get("source")),
        avoid=avoid,
        planned_avoid=tuple(planned_avoid),
        fuel_kg=fuel_kg,
        range_m=range_m,
        line=line,
        track=_parse_track_ref(ctx, data["track"], f"{field}.track", line_of(data, "track") or line)
        if data.get("track") is not None
        else None,
        field=field,
        aircraft_line=line_of(data, "aircraft") or line,
    )


def _parse_track_ref(ctx: _Ctx, data: Any, field: str, line: int | None) -> TrackRef:
    """``track: file.csv`` or ``{file, callsign, icao24, from, to, gap, source}``."""
    if isinstance(data, str):
        data = {"file": data}
    _check_keys(ctx, data, TRACK_KEYS, field, line, "a track")
    file = _text(ctx, data, "file", field, required=True)
    times = {
        key: _parse_time(ctx, data[key], f"{field}.{key}", line_of(data, key) or line) if data.get(key) else None
        for key in ("from", "to")
    }
    gap_s = 600.0
    if data.get("gap") is not None:
        gap_s = ctx.wrap(lambda: parse_duration_s(data["gap"]), f"{field}.gap", line_of(data, "gap") or line)
        if gap_s <= 0:
            raise ctx.error("a coverage gap must be longer than zero", f"{field}.gap", line_of(data, "gap") or line)
    if times["from"] and times["to"] and times["to"] < times["from"]:
        raise ctx.error("'to' is before 'from'", f"{field}.to", line_of(data, "to") or line)
    return TrackRef(
        file=file,
        callsign=_text(ctx, data, "callsign", field) or None,
        icao24=_text(ctx, data, "icao24", field) or None,
        start=times["from"],
        end=times["to"],
        gap_s=gap_s,
        source=_source_text(data.get("source")),
        line=line,
    )
