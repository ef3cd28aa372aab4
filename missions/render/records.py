"""The mission as compact page data: encoded lines, a string table, records per feature (no folium)."""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely

from .. import geodesy
from ..analysis import MissionResult, SortieResult, WeaponTrack
from ..findings import Severity
from ..model import Waypoint
from ..rings import RingKind, ring_choices
from ..units import UNIT_KM, UNIT_LABEL, UNKNOWN_TEXT, Units, format_distance, format_duration
from .common import (
    _CLOCK_STEPS_S,
    _JSON_STRING,
    _MAX_DRAW_LAT_DEG,
    _MAX_STEPS,
    _RING_VERTICES,
    COORD_DECIMALS,
    FINDING_COLOUR,
    OVERFLIGHT_COLOUR,
    WEAPON_COLOUR,
    _linkified,
    _popup,
    _source_html,
    _text,
)

if TYPE_CHECKING:
    from ..airspace import MissionAirspace
    from ..feasibility import Feasibility, SortieFeasibility


def _coords(line: shapely.LineString | shapely.Polygon) -> list[list[float]]:
    """(lon, lat) coordinates rounded to ``COORD_DECIMALS`` (≈1 m), consecutive repeats dropped."""
    geom = line.exterior if isinstance(line, shapely.Polygon) else line
    xy = np.round(np.asarray(geom.coords, dtype=np.float64)[:, :2], COORD_DECIMALS)
    if len(xy) > 2:
        keep = np.ones(len(xy), dtype=bool)
        keep[1:] = np.any(xy[1:] != xy[:-1], axis=1)
        keep[-1] = True
        xy = xy[keep]
    return xy.tolist()


def _bounds(lines: Iterable[shapely.LineString]) -> list[list[float]] | None:
    boxes = [line.bounds for line in lines if not line.is_empty]
    if not boxes:
        return None
    arr = np.asarray(boxes)
    return [
        [float(arr[:, 1].min()), float(arr[:, 0].min())],
        [float(arr[:, 3].max()), float(arr[:, 2].max())],
    ]


def _clock_step_s(duration_s: float) -> int:
    for step in _CLOCK_STEPS_S:
        if duration_s / step <= _MAX_STEPS:
            return step
    return _CLOCK_STEPS_S[-1]


# ---------------------------------------------------------------------------------------------
# The embedded data: compact records, turned into GeoJSON features in the page
# ---------------------------------------------------------------------------------------------


def encode_polyline(coords: Sequence[Sequence[float]] | np.ndarray, decimals: int = COORD_DECIMALS) -> str:
    """(lon, lat) vertices as an encoded polyline (Google's algorithm; 1e-5° steps, ≈1 m, by default).

    Each vertex costs a few characters instead of the ~20 of a JSON pair: coordinates are rounded
    to ``decimals``, and each is stored as the difference from the previous vertex in 5-bit chunks.
    Unwrapped longitudes (beyond ±180) encode as they are. The page decodes them back to GeoJSON.

    >>> encode_polyline([[-120.2, 38.5], [-120.95, 40.7], [-126.453, 43.252]])
    '_p~iF~ps|U_ulLnnqC_mqNvxq`@'
    """
    return _encode_lines([np.asarray(coords, dtype=np.float64).reshape(-1, 2)], decimals)[0]


def _encode_lines(lines: Sequence[np.ndarray], decimals: int) -> list[str]:
    """:func:`encode_polyline` of many (n, 2) arrays at once, vectorised over all their vertices."""
    lengths = np.array([len(line) for line in lines], dtype=np.int64)
    if lengths.sum() == 0:
        return [""] * len(lines)
    scaled = np.round(np.concatenate(lines)[:, ::-1] * 10**decimals).astype(np.int64)  # (lat, lon) as Google's
    starts = np.cumsum(lengths) - lengths
    previous = np.vstack([np.zeros((1, 2), dtype=np.int64), scaled[:-1]])
    previous[starts[lengths > 0]] = 0  # each line starts from (0, 0)
    delta = (scaled - previous).ravel()
    zigzag = np.where(delta < 0, ~(delta << 1), delta << 1).astype(np.uint64)
    shifts = np.arange(7, dtype=np.uint64) * np.uint64(5)
    chunks = (zigzag[:, None] >> shifts[None, :]) & np.uint64(31)
    n_chunks = 1 + np.sum((zigzag[:, None] >> shifts[None, 1:]) > 0, axis=1)
    index = np.arange(7)[None, :]
    chars = chunks + np.uint64(63) + np.where(index < n_chunks[:, None] - 1, np.uint64(32), np.uint64(0))
    text = chars[index < n_chunks[:, None]].astype(np.uint8).tobytes().decode("ascii")
    per_vertex = np.concatenate([[0], np.cumsum(n_chunks.reshape(-1, 2).sum(axis=1))])
    ends = per_vertex[starts + lengths]
    begins = per_vertex[starts]
    return [text[b:e] for b, e in zip(begins.tolist(), ends.tolist(), strict=True)]


def decode_polyline(text: str, decimals: int = COORD_DECIMALS) -> list[list[float]]:
    """(lon, lat) vertices of an encoded polyline: the inverse of :func:`encode_polyline`.

    >>> decode_polyline(encode_polyline([[190.12345, -10.5], [-0.00001, 89.99999]]))
    [[190.12345, -10.5], [-1e-05, 89.99999]]
    """
    values, result, shift = [], 0, 0
    for char in text.encode("ascii"):
        chunk = char - 63
        result |= (chunk & 31) << shift
        shift += 5
        if chunk < 32:
            values.append(~(result >> 1) if result & 1 else result >> 1)
            result, shift = 0, 0
    lat_lon = np.cumsum(np.asarray(values, dtype=np.int64).reshape(-1, 2), axis=0) / 10**decimals
    return lat_lon[:, ::-1].tolist()


class _Strings:
    """A table of HTML strings (escaped by the caller) referred to by index; 0 is the empty string."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {"": 0}

    def __call__(self, html_text: str) -> int:
        return self.index.setdefault(html_text, len(self.index))

    def table(self) -> list[str]:
        return list(self.index)


def _events(wp: Waypoint) -> list[str]:
    events = [f"refuelling from {_text(r.tanker)} ({format_duration(r.duration_s)})" for r in wp.refuels]
    events += [f"hold {format_duration(h.duration_s)}" for h in wp.holds]
    events += [f"joins {_text(j.sortie)}" for j in wp.joins]
    events += [f"launch of {launch.count} × {_text(launch.weapon)}" for launch in wp.launches]
    return events


def _waypoint_sources(wp: Waypoint) -> str:
    texts = [
        wp.point.source,
        *(r.source for r in wp.refuels),
        *(h.source for h in wp.holds),
        *(j.source for j in wp.joins),
        *(launch.source for launch in wp.launches),
    ]
    return "<br>".join(_linkified(t) for t in dict.fromkeys(t for t in texts if t))


#: marker kinds of waypoints, as the page knows them (-1: no marker, the base is drawn already)
_WAYPOINT, _BASE, _REFUEL, _LAUNCH, _NO_MARKER = 0, 1, 2, 3, -1


def _marker_kind(i: int, wp: Waypoint, n: int) -> int:
    if wp.launches:
        return _LAUNCH
    if wp.refuels:
        return _REFUEL
    return _BASE if i in (0, n - 1) else _WAYPOINT


def _passage_times(entry: dt.datetime | None, exit_: dt.datetime | None) -> str:
    """``20 Nov 03:10–04:02 UTC``; ``times unknown`` on an untimed weapon track."""
    if entry is None or exit_ is None:
        return f"times {UNKNOWN_TEXT}"
    return f"{entry.astimezone(dt.UTC):%d %b %H:%M}–{exit_.astimezone(dt.UTC):%H:%M} UTC"


def _seconds(when: dt.datetime, t0: dt.datetime) -> int:
    return round((when - t0).total_seconds())


def _encode_times(times_s: np.ndarray) -> str:
    """Whole seconds as an encoded polyline of (time, 0) pairs: ~3 characters a vertex."""
    return encode_polyline(np.column_stack([np.round(times_s), np.zeros(len(times_s))]), decimals=0)


def _sortie_record(
    s: SortieResult, g: int, colour: str, units: Units, t0: dt.datetime, text: _Strings
) -> dict[str, Any]:
    """One sortie for the page (``group``: its layer); see the schema in ``assets/js/README.md``."""
    sortie, route = s.sortie, s.sortie.route
    arrival = [_seconds(t, t0) for t in s.arrival_times]
    departure = [_seconds(t, t0) for t in s.departure_times]
    # the core's vertex times and waypoint vertices (missions.analysis.SortieResult): the page interpolates
    times, vertex = (s.takeoff_time - t0).total_seconds() + s.vertex_times_s, s.waypoint_vertices
    coords = np.round(np.asarray(s.line.coords, dtype=np.float64)[:, :2], COORD_DECIMALS)
    if len(coords) != len(times):  # a one-point route is drawn as two equal vertices
        times = np.resize(times, len(coords))
        vertex = np.minimum(vertex, len(coords) - 1)
    names, kinds, events, notes, sources = [], [], [], [], []
    visits: dict[str, list[int]] = {}
    first_visit: dict[tuple[float, float], int] = {}
    for i, wp in enumerate(route):
        kind = _marker_kind(i, wp, len(route))
        if kind == _BASE:  # a round trip has one base marker; its popup gives both visits
            key = (round(wp.point.lat_deg, 5), round(wp.point.lon_deg, 5))
            if key in first_visit:
                kind = _NO_MARKER
                visits.setdefault(str(first_visit[key]), [first_visit[key]]).append(i)
            else:
                first_visit[key] = i
        names.append(text(_text(wp.point.name)))
        kinds.append(kind)
        events.append(text("<br>".join(_events(wp))))
        notes.append(text(_text(wp.note)))
        sources.append(text(_waypoint_sources(wp)))
    return {
        "group": g, "colour": colour, "line": encode_polyline(coords),
        "vertex_time": _encode_times(times), "waypoint_vertex": vertex.tolist(),
        "arrival_s": arrival, "departure_s": departure,
        "name": text(_text(sortie.name)), "aircraft": text(f"{_text(sortie.count)} × {_text(sortie.aircraft)}"),
        "distance": format_distance(s.distance_m, units), "flight_time": format_duration(s.duration_s),
        "average_speed": f"{s.average_speed_kmh:,.0f} km/h", "refuels": s.refuel_count,
        "source": text(_linkified(sortie.source)),
        "waypoints": {"name": names, "kind": kinds, "events": events, "note": notes, "source": sources,
                      "visits": visits},
        "legs": {"distance": [format_distance(leg.distance_m, units) for leg in s.legs],
                 "cumulative": [format_distance(leg.cumulative_m, units) for leg in s.legs],
                 "duration": [format_duration(leg.duration_s) for leg in s.legs]},
    }  # fmt: skip


def _weapon_records(
    tracks: Sequence[WeaponTrack], g: int, units: Units, t0: dt.datetime, sortie_names: set[str], text: _Strings
) -> list[dict[str, Any]]:
    """Weapon tracks for the page; ``launch_point`` marks the first track of a ship or ground launch point."""
    records = []
    launch_points: set[tuple[str, float, float]] = set()
    for track in tracks:
        key = (track.launcher, round(track.origin.lat_deg, 5), round(track.origin.lon_deg, 5))
        coords = np.round(np.asarray(track.line.coords, dtype=np.float64)[:, :2], COORD_DECIMALS)
        # an untimed weapon (no known speed): drawn, never animated; impact_s null reads "unknown"
        impact_s = None if track.impact_time is None else _seconds(track.impact_time, t0)
        vertex_time = None
        if track.vertex_times_s is not None:
            times = (track.launch_time - t0).total_seconds() + track.vertex_times_s  # the core's, one speed
            if len(coords) != len(times):
                times = np.resize(times, len(coords))
            vertex_time = _encode_times(times)
        record = {
            "group": g, "line": encode_polyline(coords), "vertex_time": vertex_time,
            "launch_s": _seconds(track.launch_time, t0), "impact_s": impact_s,
            "name": text(f"{_text(track.count)} × {_text(track.weapon)}"), "target": text(_text(track.target.name)),
            "launcher": text(_text(track.launcher)), "origin": text(_text(track.origin.name)),
            "distance": format_distance(track.distance_m, units),
            "flight_time": format_duration(track.time_of_flight_s),
            "via": text(", ".join(_text(p.name) for p in track.launch.via)),
            "source": text(_linkified(track.launch.source)),
        }  # fmt: skip
        if track.launcher not in sortie_names and key not in launch_points:
            launch_points.add(key)
            record["launch_point"] = 1
        records.append(record)
    return records


def _ring_record(
    lat: float, lon: float, radius_m: float, g: int, colour: str, tip: str, pop: str, text: _Strings
) -> dict[str, Any]:
    ring = geodesy.geodesic_ring(lat, lon, radius_m, n_vertices=_RING_VERTICES)
    coords = np.asarray(_coords(ring))
    coords[:, 1] = np.clip(coords[:, 1], -_MAX_DRAW_LAT_DEG, _MAX_DRAW_LAT_DEG)
    return {"group": g, "colour": colour, "line": encode_polyline(coords), "tooltip": text(tip), "popup": text(pop)}


def _ring_records(
    result: MissionResult, g: int, units: Units, colours: dict[str, str], text: _Strings
) -> list[dict[str, Any]]:
    """The mission's range rings (:func:`missions.rings.ring_choices`) with their popups."""
    records: list[dict[str, Any]] = []
    for c in ring_choices(result):
        name, where = _text(c.name), _text(c.centre.name)
        if c.figure is None:
            reach = format_distance(c.radius_m, units)
            source = "mission file" + (f": {_linkified(c.file_source)}" if c.file_source else "")
        else:
            reach = f"{c.figure.format(UNIT_KM[units])} {UNIT_LABEL[units]}"
            source = "<br>".join(_source_html(x) for x in c.figure.sources)
        ring = ("Ring", f"{format_distance(c.radius_m, units)} (geodesic)")
        if c.kind is RingKind.WEAPON:
            pop = _popup(f"{name} range", f"around {where}", [("Range", reach), ring, ("Source", source)])
            colour, tip = WEAPON_COLOUR, f"{name} range from {where}"
        else:
            pop = _popup(f"{name} radius", f"half the unrefuelled range, around {where}", [
                ("Unrefuelled range", reach), ring, ("Source", source)])  # fmt: skip
            colour, tip = colours[c.sortie or ""], f"{name}: half its unrefuelled range from {where}"
        records.append(_ring_record(c.centre.lat_deg, c.centre.lon_deg, c.radius_m, g, colour, tip, pop, text))
    return records


def _area_record(
    geom: shapely.Polygon | shapely.MultiPolygon, g: int, colour: str, tip: str, pop: str, text: _Strings, fill: float
) -> dict[str, Any]:
    """A (multi)polygon for the page: each polygon a list of encoded rings (exterior first)."""
    polys = []
    for poly in getattr(geom, "geoms", [geom]):
        rings = [poly.exterior, *poly.interiors]
        encoded = []
        for ring in rings:
            coords = np.round(np.asarray(ring.coords, dtype=np.float64)[:, :2], COORD_DECIMALS)
            coords[:, 1] = np.clip(coords[:, 1], -_MAX_DRAW_LAT_DEG, _MAX_DRAW_LAT_DEG)
            encoded.append(encode_polyline(coords))
        polys.append(encoded)
    return {"group": g, "colour": colour, "polygons": polys, "tooltip": text(tip), "popup": text(pop), "fill": fill}


def _remaining_range_record(
    sf: SortieFeasibility, i: int, g: int, units: Units, text: _Strings, why: str = ""
) -> dict[str, Any] | None:
    """The ring of a sortie's remaining range on departure from waypoint ``i`` (None when empty)."""
    ring = sf.remaining_range_ring(i)
    if ring is None:
        return None
    wp = sf.result.sortie.route[i].point
    name, where = _text(sf.result.sortie.name), _text(wp.name)
    rows = [("Remaining range", format_distance(float(sf.remaining_departure_m[i]), units))]
    if why:
        rows.append(("Finding", _text(why)))
    pop = _popup(f"{name}: range left at {where}", "on departure, refuelling included; no reserve", rows)
    return _area_record(ring, g, FINDING_COLOUR, f"{name}: range left at {where}", pop, text, 0.03)


def _feasibility_records(
    feasibility: Feasibility, g: int, units: Units, text: _Strings, rings_at: Iterable[tuple[str, int]] = ()
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Launch baskets, remaining-range rings (where the range runs out, and at ``rings_at``:
    (sortie name, waypoint index) pairs), and finding markers."""
    areas: list[dict[str, Any]] = []
    done: set[tuple[str, str]] = set()
    for reach in feasibility.weapons:
        track = reach.track
        key = (track.weapon, track.target.name)
        basket = reach.basket() if key not in done else None
        done.add(key)
        if basket is None:
            continue
        weapon, target = _text(track.weapon), _text(track.target.name)
        verdict = "in range" if reach.in_range else "OUT OF RANGE"
        pop = _popup(f"{weapon} launch basket", f"launches from inside reach {target}", [
            ("Range", format_distance(reach.range_max_m, units)),
            ("This launch", f"{format_distance(track.distance_m, units)}: {verdict} ("
                            f"{format_distance(abs(reach.margin_m), units)} {'spare' if reach.in_range else 'short'})"),
            ("Method", "geodesic disc around the target (or first via-point, less the via path)")])  # fmt: skip
        areas.append(_area_record(basket, g, FINDING_COLOUR, f"{weapon} → {target}: launch basket", pop, text, 0.03))
    wanted = {
        (sf.result.sortie.name, sf.tanker_point.leg_index): sf.tanker_point.message
        for sf in feasibility.sorties
        if sf.tanker_point is not None and sf.tanker_point.leg_index is not None
    }
    for sortie_name, leg_index in rings_at:  # pairs (lists when they come from the dashboard's JSON)
        wanted.setdefault((sortie_name, int(leg_index)), "")
    for (name, i), why in wanted.items():
        sf = next((x for x in feasibility.sorties if x.result.sortie.name == name), None)
        if sf is None or not 0 <= i < len(sf.result.sortie.route):
            continue
        record = _remaining_range_record(sf, i, g, units, text, why)
        if record is not None:
            areas.append(record)
    findings = []
    for f in feasibility.findings:
        if f.lat_deg is None or f.lon_deg is None or f.severity is not Severity.ERROR:
            continue
        titles = {"range": "Refuelling needed", "reach": "Out of reach", "avoid": "Airspace to avoid"}
        title = titles.get(f.kind, f.kind)
        pop = _popup(_text(title), _text(f.sortie or ""), [("Finding", _text(f.message))])
        findings.append({"group": g, "position": [round(f.lon_deg, COORD_DECIMALS), round(f.lat_deg, COORD_DECIMALS)],
                         "tooltip": text(_text(f"{title}: {f.sortie or ''}")), "popup": text(pop)})  # fmt: skip
    return areas, findings


@functools.lru_cache(maxsize=512)
def _country_polygons(iso3: str) -> tuple[tuple[str, ...], ...] | None:
    """A basemap country's polygons as encoded rings (the same every time a mission crosses it)."""
    shapes = _basemap_shapes()
    if iso3 not in shapes:
        return None
    record = _area_record(shapely.geometry.shape(shapes[iso3]), 0, "", "", "", _Strings(), 0.0)
    return tuple(tuple(rings) for rings in record["polygons"])


@functools.lru_cache(maxsize=1)
def _basemap_shapes() -> dict[str, Any]:
    """The basemap's country geometries (GeoJSON) by ADM0_A3 code."""
    from geodata.countries import basemap_geojson

    return {f["properties"]["iso3"]: f["geometry"] for f in basemap_geojson()["features"]}


def _airspace_records(
    airspace: MissionAirspace, g: int, units: Units, text: _Strings, basemap_countries: bool = False
) -> list[dict[str, Any]]:
    """The overflown countries, shaded, each with its passages (entry and exit times) in the tooltip.

    With ``basemap_countries`` a country is named by its code (``"basemap": "SYR"``) instead of drawn
    as polygons: the mounted map takes the country's shape from the basemap its page holds already
    (the same Natural Earth rings: the basemap's 1e-3° precision is the coordinates' own).
    """
    passages: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    routes = [(name, route) for name, route in airspace.sorties.items()]
    routes += [(route.label, route) for route in airspace.weapons]
    for label, route in routes:
        for p in route.passages:
            if p.iso3 is None:
                continue
            names[p.iso3] = p.name
            passages.setdefault(p.iso3, []).append(
                f"{_text(label)}: {format_distance(p.distance_m, units)}, {_passage_times(p.entry_time, p.exit_time)}"
            )
    if not passages:
        return []
    records = []
    for iso3, lines in passages.items():
        polygons = None if basemap_countries else _country_polygons(iso3)
        if polygons is None and not basemap_countries:
            continue
        title = f"{_text(names[iso3])} ({_text(iso3)})"
        shown = lines[:12] + ([f"and {len(lines) - 12} more"] if len(lines) > 12 else [])
        pop = _popup(title, "overflown", [("Passages", "<br>".join(shown))])
        tip = title + "<br>" + "<br>".join(shown[:4]) + ("<br>…" if len(shown) > 4 else "")
        shape = {"basemap": iso3} if polygons is None else {"polygons": [list(p) for p in polygons]}
        records.append({"group": g, "colour": OVERFLIGHT_COLOUR, **shape,
                        "tooltip": text(tip), "popup": text(pop), "fill": 0.25})  # fmt: skip
    return records


# ---------------------------------------------------------------------------------------------
# Folium elements
# ---------------------------------------------------------------------------------------------


def _script_json(data: Any) -> str:
    """JSON safe inside a ``<script>`` element (no ``</`` or ``<!--`` can end or confuse it) and in Jinja."""
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    # braces inside strings (encoded polylines have them) as \u escapes: folium renders each script
    # a second time as a Jinja template, where "{{", "{%" or "{#" would be read as template syntax
    text = _JSON_STRING.sub(lambda m: m.group(0).replace("{", "\\u007b").replace("}", "\\u007d"), text)
    return text.replace("</", "<\\/").replace("<!--", "\\u003c!--")
