"""The mission file format: YAML (or JSON) text → :class:`~missions.model.Mission`.

``parse_mission(text_or_data, file=...)`` is pure; ``load_mission(path)`` only opens the file.
Every problem raises :class:`~missions.errors.MissionError` naming the file, line and field. The
format is documented in the README ("Mission file format").
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from geodata.places import PlaceIndex, UnknownPlaceError, default_index

from .airspace.mission_plan import PLAN_KEYS, expand_stretch, parse_user_groups, plan_stretch, sortie_avoid
from .claims import QUALIFIER_WORDS, Quantity, parse_claim_text
from .coords import check_lat_lon, looks_like_coordinates, parse_coordinates
from .errors import CombinedMissionError, MissionError, MissionFileError, PlaceError
from .files import read_capped
from .limits import MAX_COUNT, MAX_RADIUS_M, NAME_KEYS, name_problem, year_problem
from .model import Claim, Hold, Join, Launch, Mission, Point, Refuel, Sortie, Source, TrackRef, Waypoint
from .units import (
    MACH_ALTITUDE_M,
    Speed,
    parse_distance_m,
    parse_duration_s,
    parse_mass_kg,
    parse_speed,
)
from .yamlio import MAX_FILE_BYTES, line_of, parse_yaml

T = TypeVar("T")

MISSION_KEYS = ("name", "date", "description", "notes", "sources", "claims", "sorties", "launches", "groups")
SORTIE_KEYS = (
    "name", "aircraft", "count", "callsign", "takeoff", "speed", "mach_altitude", "route", "source",
    "notes", "avoid", "fuel", "range", "track",
)  # fmt: skip
TRACK_KEYS = ("file", "callsign", "icao24", "from", "to", "gap", "source")
WAYPOINT_KEYS = ("place", "at", "lat", "lon", "name", "source", "speed", "radius", "refuel", "hold", "join",
                 "launch", "note")  # fmt: skip
REFUEL_KEYS = ("tanker", "duration", "offload", "source", "note")
HOLD_KEYS = ("duration", "source", "note")
JOIN_KEYS = ("sortie", "source", "note")
LAUNCH_KEYS = ("weapon", "count", "target", "targets", "via", "speed", "range", "source", "note")
SHIP_LAUNCH_KEYS = (*LAUNCH_KEYS, "platform", "from", "time")
CLAIM_KEYS = ("quantity", "value", "qualifier", "sortie", "source", "note")
SOURCE_KEYS = ("id", "title", "url")


class _Ctx:
    """Where we are in the file: the file name, the place index, and the unknown places found so far."""

    def __init__(self, file: str | None, gazetteer: PlaceIndex | None) -> None:
        self.file = file
        self._gazetteer = gazetteer
        #: every unknown place name of the file, reported together at the end (one line each)
        self.place_errors: list[MissionError] = []
        #: the file's own groups of countries (``groups:``), for ``avoid:`` and ``plan:``
        self.groups: dict[str, tuple[str, ...]] = {}

    @property
    def gazetteer(self) -> PlaceIndex:
        """The place index, opened on the first name (a file of coordinates never opens it)."""
        if self._gazetteer is None:
            self._gazetteer = default_index()
        return self._gazetteer

    def error(self, message: str, field: str, line: int | None, suggestions: tuple[str, ...] = ()) -> MissionError:
        return MissionError(message, file=self.file, line=line, field=field, suggestions=suggestions)

    def wrap(self, func: Callable[[], T], field: str, line: int | None) -> T:
        """Run ``func``; any :class:`MissionError` it raises gets this file, line and field."""
        try:
            return func()
        except MissionError as exc:
            raise exc.with_location(file=self.file, line=line, field=field) from None


def _check_keys(ctx: _Ctx, data: Any, allowed: tuple[str, ...], field: str, line: int | None, what: str) -> None:
    if not isinstance(data, Mapping):
        raise ctx.error(f"{what} must be a mapping of fields, not {type(data).__name__}", field, line)
    for key in data:
        if key not in allowed:
            close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
            hint = tuple(close) if close else ()
            msg = f"unknown field {key!r} in {what}"
            if not close:
                msg += f"; known fields: {', '.join(allowed)}"
            raise ctx.error(msg, f"{field}.{key}" if field else str(key), line_of(data, key), hint)


def _text(ctx: _Ctx, data: Mapping[str, Any], key: str, field: str, *, required: bool = False) -> str:
    value = data.get(key)
    if value is None:
        if required:
            raise ctx.error(f"missing required field '{key}'", f"{field}.{key}" if field else key, line_of(data, None))
        return ""
    if isinstance(value, Mapping | list):
        raise ctx.error(f"'{key}' must be text", f"{field}.{key}" if field else key, line_of(data, key))
    text = str(value).strip()
    problem = name_problem(text, f"'{key}'") if key in NAME_KEYS else None
    if problem:
        raise ctx.error(problem, f"{field}.{key}" if field else key, line_of(data, key))
    return text


def _source_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(_source_text(v) for v in value)
    if isinstance(value, Mapping):
        title = str(value.get("title", "")).strip()
        url = str(value.get("url", "")).strip()
        return f"{title} <{url}>" if url and title else title or url
    return str(value).strip()


def _parse_time(ctx: _Ctx, value: Any, field: str, line: int | None) -> dt.datetime:
    text = str(value).strip()
    try:
        when = dt.datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        raise ctx.error(
            f"cannot read time {text!r}; write ISO 8601 with a zone, e.g. 2015-11-20T03:00:00Z", field, line
        ) from None
    if when.tzinfo is None or when.utcoffset() is None:
        raise ctx.error(f"time {text!r} has no time zone; add 'Z' for UTC or an offset such as +03:00", field, line)
    problem = year_problem(when)
    if problem:
        raise ctx.error(f"time {text!r}: {problem}", field, line)
    try:
        return when.astimezone(dt.UTC)
    except OverflowError:  # 1900-01-01T00:00:00+05:00 is still inside; only the year bounds' edges get here
        raise ctx.error(f"time {text!r} is outside the calendar", field, line) from None


def _resolve_place(ctx: _Ctx, text: str, field: str, line: int | None, source: str = "") -> Point:
    label = text.strip()
    if not label:
        raise ctx.error("empty place", field, line)
    problem = name_problem(label, "a place name")
    if problem:
        raise ctx.error(problem, field, line)
    if looks_like_coordinates(label):
        lat, lon = ctx.wrap(lambda: parse_coordinates(label), field, line)
        return Point(label=label, name=label, lat_deg=lat, lon_deg=lon, source=source or "as given", line=line)
    try:
        place = ctx.gazetteer.resolve(label)
    except UnknownPlaceError as exc:  # noted, and parsing goes on: every unknown name gets its line
        ctx.place_errors.append(PlaceError(exc.message, file=ctx.file, line=line, field=field,
                                           suggestions=exc.suggestions))  # fmt: skip
        return Point(label=label, name=label, lat_deg=0.0, lon_deg=0.0, source="unknown place", line=line)
    return Point(
        label=label,
        name=place.label,
        lat_deg=place.lat_deg,
        lon_deg=place.lon_deg,
        source=source or place.source,
        line=line,
    )


def _parse_point(ctx: _Ctx, item: Any, field: str, line: int | None) -> Point:
    """A place written as text, as ``[lat, lon]``, or as a mapping with place/at or lat/lon."""
    if isinstance(item, str | int | float) and not isinstance(item, bool):
        return _resolve_place(ctx, str(item), field, line)
    if isinstance(item, list):
        if len(item) != 2 or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in item):
            raise ctx.error("a coordinate pair must be [lat, lon] in decimal degrees", field, line)
        lat, lon = ctx.wrap(lambda: check_lat_lon(float(item[0]), float(item[1])), field, line)
        return Point(
            label=f"{lat}, {lon}",
            name=f"{lat:g}, {lon:g}",
            lat_deg=lat,
            lon_deg=lon,
            source="as given",
            line=line,
        )
    if not isinstance(item, Mapping):
        raise ctx.error("a place must be text, [lat, lon] or a mapping", field, line)
    source = _source_text(item.get("source"))
    place = item.get("place", item.get("at"))
    if place is not None and ("lat" in item or "lon" in item):
        raise ctx.error("give either 'place' or 'lat'/'lon', not both", field, line)
    if place is not None:
        point = _parse_point(ctx, place, f"{field}.place", line_of(item, "place" if "place" in item else "at"))
        point = Point(
            label=point.label,
            name=point.name,
            lat_deg=point.lat_deg,
            lon_deg=point.lon_deg,
            source=source or point.source,
            line=line,
        )
    elif "lat" in item or "lon" in item:
        try:
            lat, lon = float(item["lat"]), float(item["lon"])
        except KeyError as exc:
            raise ctx.error(f"missing '{exc.args[0]}'", field, line) from None
        except (TypeError, ValueError):
            raise ctx.error("lat and lon must be decimal degrees", field, line) from None
        lat, lon = ctx.wrap(lambda: check_lat_lon(lat, lon), field, line)
        point = Point(
            label=f"{lat}, {lon}",
            name=f"{lat:g}, {lon:g}",
            lat_deg=lat,
            lon_deg=lon,
            source=source or "as given",
            line=line,
        )
    else:
        raise ctx.error("a waypoint needs 'place' (a name, ICAO code or coordinates) or 'lat' and 'lon'", field, line)
    name = _text(ctx, item, "name", field)
    radius_m = 0.0
    if item.get("radius") is not None:
        radius_m = ctx.wrap(lambda: parse_distance_m(item["radius"]), f"{field}.radius", line_of(item, "radius"))
        if radius_m < 0:
            raise ctx.error("radius must not be negative", f"{field}.radius", line_of(item, "radius"))
        if radius_m > MAX_RADIUS_M:
            raise ctx.error(
                f"radius {item['radius']} is beyond {MAX_RADIUS_M / 1000:,.0f} km, half the way round the Earth",
                f"{field}.radius",
                line_of(item, "radius"),
            )
    return Point(
        label=point.label,
        name=name or point.name,
        lat_deg=point.lat_deg,
        lon_deg=point.lon_deg,
        source=point.source,
        radius_m=radius_m,
        line=line,
    )


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _parse_count(ctx: _Ctx, data: Mapping[str, Any], field: str) -> int:
    value = data.get("count", 1)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_COUNT:
        raise ctx.error(
            f"count must be a whole number from 1 to {MAX_COUNT:,}, not {value!r}",
            f"{field}.count",
            line_of(data, "count"),
        )
    return value


def _parse_speed_field(ctx: _Ctx, data: Mapping[str, Any], field: str, mach_altitude_m: float) -> Speed | None:
    if data.get("speed") is None:
        return None
    return ctx.wrap(
        lambda: parse_speed(data["speed"], mach_altitude_m=mach_altitude_m),
        f"{field}.speed",
        line_of(data, "speed"),
    )


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


def _parse_events(ctx: _Ctx, item: Mapping[str, Any], field: str, mach_altitude_m: float) -> dict[str, tuple]:
    refuels, holds, joins, launches = [], [], [], []
    for raw in _as_list(item["refuel"]) if "refuel" in item else ():
        f, ln = f"{field}.refuel", line_of(item, "refuel")
        if not isinstance(raw, Mapping):
            raw = {"duration": raw}
        _check_keys(ctx, raw, REFUEL_KEYS, f, ln, "a refuel")
        duration = ctx.wrap(lambda r=raw: parse_duration_s(r.get("duration", "0 min")), f"{f}.duration", ln)
        offload = None
        if raw.get("offload") is not None:
            offload = ctx.wrap(lambda r=raw: parse_mass_kg(r["offload"]), f"{f}.offload", ln)
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
        raw = item["hold"]
        f, ln = f"{field}.hold", line_of(item, "hold")
        if not isinstance(raw, Mapping):
            raw = {"duration": raw}
        _check_keys(ctx, raw, HOLD_KEYS, f, ln, "a hold")
        holds.append(
            Hold(
                duration_s=ctx.wrap(lambda r=raw: parse_duration_s(r.get("duration")), f, ln),
                source=_source_text(raw.get("source")),
            )
        )
    if "join" in item:
        raw = item["join"]
        f, ln = f"{field}.join", line_of(item, "join")
        if not isinstance(raw, Mapping):
            raw = {"sortie": raw}
        _check_keys(ctx, raw, JOIN_KEYS, f, ln, "a join")
        joins.append(Join(sortie=_text(ctx, raw, "sortie", f, required=True), source=_source_text(raw.get("source"))))
    if "launch" in item:
        raw_list = item["launch"]
        for i, raw in enumerate(_as_list(raw_list)):
            f = f"{field}.launch" + (f"[{i}]" if isinstance(raw_list, list) else "")
            ln = line_of(raw_list, i) if isinstance(raw_list, list) else line_of(item, "launch")
            launches.append(_parse_launch(ctx, raw, f, ln, ship=False, mach_altitude_m=mach_altitude_m))
    return {
        "refuels": tuple(refuels),
        "holds": tuple(holds),
        "joins": tuple(joins),
        "launches": tuple(launches),
    }


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


def _parse_plan_item(
    ctx: _Ctx,
    item: Mapping[str, Any],
    field: str,
    line: int | None,
    before: list[Waypoint],
    sortie_avoid_terms: tuple[str, ...],
    day: dt.date,
    mach_altitude_m: float,
) -> list[Waypoint]:
    """``plan: {to, via, avoid, transit}``: the planned turning points, the vias and ``to`` (see README)."""
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
    terms = sortie_avoid_terms if raw.get("avoid") is None else tuple(
        str(t).strip().upper() for t in _as_list(raw["avoid"])
    )
    transit = raw.get("transit", True)
    if not isinstance(transit, bool):
        raise ctx.error("transit is true or false", f"{field}.plan.transit", line_of(raw, "transit") or line)
    planned = ctx.wrap(
        lambda: plan_stretch(before[-1].point, [v.point for v in vias], end.point, terms, day, ctx.groups,
                             field=field, transit=transit),
        field,
        line,
    )
    first = 1 + sum(w.point.planned for w in before)
    return expand_stretch(planned, [*vias, end], first, line)


def _parse_sortie(ctx: _Ctx, data: Any, field: str, line: int | None) -> Sortie:
    _check_keys(ctx, data, SORTIE_KEYS, field, line, "a sortie")
    name = _text(ctx, data, "name", field, required=True)
    aircraft = _text(ctx, data, "aircraft", field, required=True)
    for key in ("takeoff", "speed", "route"):
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
    route_raw = data["route"]
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
    for i, wp in enumerate(route_raw):
        f, ln = f"{field}.route[{i}]", line_of(route_raw, i)
        if isinstance(wp, Mapping) and "plan" in wp:
            route.extend(_parse_plan_item(ctx, wp, f, ln, route, avoid_terms, takeoff.date(), mach_altitude_m))
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


def _parse_claim(ctx: _Ctx, data: Any, field: str, line: int | None) -> Claim:
    """A claim read as the press writes it (:func:`missions.claims.parse_claim_text`)."""
    _check_keys(ctx, data, CLAIM_KEYS, field, line, "a claim")
    raw = data.get("value")
    if raw is None:
        raise ctx.error("missing required field 'value' (e.g. 'nearly 16,000 km', '16 h')", f"{field}.value", line)
    qualifier = _text(ctx, data, "qualifier", field) or None
    where = "qualifier" if qualifier is not None and qualifier.lower() not in QUALIFIER_WORDS else "value"
    claim = ctx.wrap(lambda: parse_claim_text(str(raw), qualifier=qualifier), f"{field}.{where}", line_of(data, where))
    quantity = _text(ctx, data, "quantity", field).lower() or None
    if quantity is not None and quantity != claim.quantity:
        known = [q.value for q in Quantity]
        raise ctx.error(
            f"quantity {quantity!r} does not match the claimed {claim.quantity} {str(raw).strip()!r}"
            if quantity in known
            else f"unknown quantity {quantity!r}; use distance, duration or speed",
            f"{field}.quantity",
            line_of(data, "quantity"),
            tuple(difflib.get_close_matches(quantity, known, n=1)),
        )
    return Claim(
        quantity=claim.quantity,
        value=claim.value,
        text=str(raw).strip(),
        qualifier=claim.qualifier,
        sortie=_text(ctx, data, "sortie", field) or None,
        source=_source_text(data.get("source")),
        line=line,
        low=claim.low,
        high=claim.high,
    )


def _parse_sources(ctx: _Ctx, data: Any) -> tuple[Source, ...]:
    if data is None:
        return ()
    sources = []
    for i, item in enumerate(_as_list(data)):
        if isinstance(item, Mapping):
            _check_keys(ctx, item, SOURCE_KEYS, f"sources[{i}]", line_of(data, i), "a source")
            title = str(item.get("title") or item.get("id") or item.get("url") or "").strip()
            url = str(item["url"]).strip() if item.get("url") else None
            sources.append(Source(title=title, url=url))
        else:
            sources.append(Source(title=str(item).strip()))
    return tuple(sources)


#: more sorties, or more points in all (waypoints, targets, via-points), than a mission may have:
#: beyond these the map, the overflight and the dashboard would take minutes (a 1,000-sortie mission
#: of 8,000 waypoints, the benchmarks' synthetic one, renders in about a second)
MAX_SORTIES = 5_000
MAX_POINTS = 50_000


def _count_points(items: Any) -> int:
    """Points named in raw sortie or launch data: route entries, targets and via-points (no parsing)."""
    total = 0
    for item in items if isinstance(items, list) else ():
        if not isinstance(item, Mapping):
            continue
        for key in ("route", "targets", "via"):
            value = item.get(key)
            total += len(value) if isinstance(value, list) else 0
        total += _count_points(item.get("route")) + _count_points(_as_list(item.get("launch") or []))
    return total


def _check_size(ctx: _Ctx, root: Mapping[str, Any], sorties_raw: list[Any], launches_raw: list[Any]) -> None:
    """Refuse, before any work, a mission too large to compute and draw in reasonable time."""
    if len(sorties_raw) > MAX_SORTIES:
        raise ctx.error(
            f"{len(sorties_raw):,} sorties; a mission may have at most {MAX_SORTIES:,} (split it into several files)",
            "sorties",
            line_of(root, "sorties"),
        )
    points = _count_points(sorties_raw) + _count_points(launches_raw)
    if points > MAX_POINTS:
        raise ctx.error(
            f"{points:,} waypoints, targets and via-points; a mission may have at most {MAX_POINTS:,} "
            "(split it into several files)",
            "sorties",
            line_of(root, "sorties"),
        )


def parse_mission(
    data: str | bytes | Mapping[str, Any], *, file: str | None = None, gazetteer: PlaceIndex | None = None
) -> Mission:
    """Read a mission from YAML/JSON text (or already-parsed data) and check it.

    Raises :class:`MissionError` (file, line, field, problem) on any problem;
    :class:`CombinedMissionError` when several places are unknown (one error each, with suggestions).
    """
    ctx = _Ctx(file, gazetteer)
    try:
        mission = _parse_root(ctx, data, file)
    except MissionError as exc:
        if ctx.place_errors:  # the unknown places before this problem are reported with it
            raise CombinedMissionError([*ctx.place_errors, exc]) from None
        raise
    if ctx.place_errors:
        raise CombinedMissionError(ctx.place_errors) if len(ctx.place_errors) > 1 else ctx.place_errors[0]
    return mission


def _parse_root(ctx: _Ctx, data: str | bytes | Mapping[str, Any], file: str | None) -> Mission:
    root = parse_yaml(data, file=file) if isinstance(data, str | bytes) else data
    if not isinstance(root, Mapping):
        raise MissionFileError(
            "a mission file must be a mapping with 'name' and 'sorties'",
            file=file,
            line=getattr(root, "line", None),
        )
    _check_keys(ctx, root, MISSION_KEYS, "", getattr(root, "line", 1), "the mission")
    name = _text(ctx, root, "name", "", required=True)
    sorties_raw = root.get("sorties") or []
    launches_raw = root.get("launches") or []
    for key, raw in (("sorties", sorties_raw), ("launches", launches_raw)):
        if not isinstance(raw, list):
            raise ctx.error(f"'{key}' must be a list", key, line_of(root, key))
    if not sorties_raw and not launches_raw:
        raise ctx.error(
            "a mission needs at least one sortie (or a ship/ground launch)",
            "sorties",
            line_of(root, "sorties") or line_of(root, "name"),
        )
    _check_size(ctx, root, sorties_raw, launches_raw)
    ctx.groups = ctx.wrap(lambda: parse_user_groups(root.get("groups")), "groups", line_of(root, "groups"))
    sorties = tuple(_parse_sortie(ctx, s, f"sorties[{i}]", line_of(sorties_raw, i)) for i, s in enumerate(sorties_raw))
    names = [s.name for s in sorties]
    for i, sortie in enumerate(sorties):
        if names.count(sortie.name) > 1:
            raise ctx.error(
                f"two sorties are called {sortie.name!r}; names must be unique",
                f"sorties[{i}].name",
                sortie.line,
            )
        for j, wp in enumerate(sortie.route):
            for join in wp.joins:
                if join.sortie not in names or join.sortie == sortie.name:
                    raise ctx.error(
                        f"joins unknown sortie {join.sortie!r}",
                        f"sorties[{i}].route[{j}].join",
                        wp.point.line,
                        tuple(difflib.get_close_matches(join.sortie, names, n=3)),
                    )
    launches = tuple(
        _parse_launch(ctx, item, f"launches[{i}]", line_of(launches_raw, i), ship=True, mach_altitude_m=MACH_ALTITUDE_M)
        for i, item in enumerate(launches_raw)
    )
    claims_raw = root.get("claims") or []
    if not isinstance(claims_raw, list):
        raise ctx.error("'claims' must be a list", "claims", line_of(root, "claims"))
    claims = tuple(_parse_claim(ctx, c, f"claims[{i}]", line_of(claims_raw, i)) for i, c in enumerate(claims_raw))
    for i, claim in enumerate(claims):
        if claim.sortie is not None and claim.sortie not in names:
            raise ctx.error(
                f"claim names unknown sortie {claim.sortie!r}",
                f"claims[{i}].sortie",
                claim.line,
                tuple(difflib.get_close_matches(claim.sortie, names, n=3)),
            )
    return Mission(
        name=name,
        sorties=sorties,
        launches=launches,
        claims=claims,
        sources=_parse_sources(ctx, root.get("sources")),
        date=_text(ctx, root, "date", ""),
        description=_text(ctx, root, "description", "") or _text(ctx, root, "notes", ""),
        file=file,
    )


def load_mission(path: str | Path, *, gazetteer: PlaceIndex | None = None) -> Mission:
    """Open a mission file (YAML or JSON) and parse it; errors name the file."""
    label = str(path)
    raw = read_capped(path, MAX_FILE_BYTES, label=label, what="mission files")
    return parse_mission(raw, file=label, gazetteer=gazetteer)
