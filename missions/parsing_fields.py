"""The mission file's fields: where we are in the file, the known keys, and the shared field readers.

Shared by :mod:`missions.parsing` (the mission) and :mod:`missions.parsing_sortie` (sorties, waypoints,
events and launches): text fields, times, counts, speeds and places (names resolved in the world
index, coordinates checked). Every problem is a :class:`~missions.errors.MissionError` with the file,
line and field.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from geodata.places import PlaceIndex, UnknownPlaceError, default_index

from .coords import check_lat_lon, looks_like_coordinates, parse_coordinates
from .errors import MissionError, PlaceError
from .limits import MAX_COUNT, MAX_RADIUS_M, NAME_KEYS, name_problem, year_problem
from .model import Point
from .units import Speed, format_distance, parse_distance_m, parse_speed
from .yamlio import line_of

T = TypeVar("T")

MISSION_KEYS = ("name", "date", "description", "notes", "sources", "claims", "sorties", "launches", "groups")
SORTIE_KEYS = (
    "name", "aircraft", "count", "callsign", "takeoff", "speed", "mach_altitude", "route", "source",
    "notes", "avoid", "fuel", "range", "track", "plan",
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
            if re.match(r"\d{3}(?!\d)", str(key)) and data[key] is None:
                # {value: nearly 8,000 miles, sortie: X}: the comma of the thousands ended the value
                msg += '; a comma inside { } ends a value: quote a figure with thousands, e.g. value: "8,000 miles"'
            elif not close:
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
                f"radius {item['radius']} is beyond {format_distance(MAX_RADIUS_M, 'km')}, "
                "half the way round the Earth",
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
