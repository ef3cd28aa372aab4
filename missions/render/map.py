"""A computed mission drawn as a Folium (Leaflet) map: routes, weapons, markers, rings, a clock.

``build_map(result)`` is the one entry point; with :mod:`missions.render.offline` the page it
renders opens with no network (:func:`missions.export.html.map_html`).

How the map is made, and why:

- Every geometry comes from the core: the densified geodesic lines of
  :mod:`missions.analysis` (longitudes unwrapped, so a trans-Pacific route is one continuous
  line in Leaflet) and rings from :func:`missions.geodesy.geodesic_ring`. Nothing is planar.
- The data is embedded once and compactly: lines as encoded polylines (:func:`encode_polyline`,
  coordinates rounded to 5 decimals, ≈1 m, a few bytes per vertex), texts in a table of strings,
  times in seconds. The page decodes it into one GeoJSON layer per kind of feature (routes, weapon
  tracks, markers, rings) whose features go to a ``FeatureGroup`` per sortie (per aircraft type
  beyond ``MAX_SORTIE_LAYERS`` sorties) and one for weapons, toggled in the layer control; popups
  are built when they open. A ``folium.PolyLine`` per leg would cost ~1 kB of script per leg.
- The time slider (TimestampedGeoJson) reuses those lines: the browser places every sortie and
  weapon on one regular clock, interpolating along the densified lines by distance between the
  waypoint times computed by the core; no coordinate is embedded twice.
- Untrusted text (every string of the mission file) is escaped in Python, by :func:`_text` and
  :func:`_linkified`, before it is put in any popup, tooltip, layer-control label, legend or
  title; the JavaScript only joins those prepared strings with its own markup. Only ``http``/
  ``https`` addresses become links. Braces are escaped too (folium runs scripts through Jinja).
- No icon fonts: markers are Leaflet circle markers and small inline SVG symbols. Missions with
  thousands of features are drawn on a canvas (``_SVG_MAX_FEATURES``), without direction arrows.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import json
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

import folium
import folium.plugins
import numpy as np
import shapely
from branca.element import Element, MacroElement
from folium.elements import JSCSSMixin
from folium.template import Template

from .. import geodesy
from ..analysis import MissionResult, SortieResult, WeaponTrack
from ..errors import CatalogError
from ..model import Waypoint
from ..units import UNIT_LABEL, UNIT_M, format_distance, format_duration

if TYPE_CHECKING:
    from ..airspace import MissionAirspace
    from ..feasibility import Feasibility

#: coordinates are rounded to this many decimals of a degree (1e-5° ≈ 1.1 m)
COORD_DECIMALS = 5
#: sortie colours, in order (dark enough for land and sea; red is kept for weapons)
SORTIE_COLOURS = ("#1f4e9c", "#1b9e77", "#7b3294", "#e08214", "#008b8b", "#8c510a", "#c51b7d", "#4d4d4d")
WEAPON_COLOUR = "#d7191c"
REFUEL_COLOUR = "#0096c7"
#: findings (range shortfalls, airspace to avoid), launch baskets and remaining-range rings
FINDING_COLOUR = "#7b2cbf"
#: countries overflown, shaded on their own layer
OVERFLIGHT_COLOUR = "#e09f3e"
#: the choices of ``build_map(tiles=...)``: the embedded basemap, or an online tile layer
TILES = ("offline", "osm", "esri", "carto")
_TILE_PROVIDERS = {
    "osm": ("OpenStreetMap", "OpenStreetMap.Mapnik"),
    "esri": ("Esri World Imagery", "Esri.WorldImagery"),
    "carto": ("CartoDB Positron", "CartoDB.Positron"),
}
#: candidate clock steps of the time slider (s); the first giving at most _MAX_STEPS steps is used
_CLOCK_STEPS_S = (60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400)
_MAX_STEPS = 400
#: decimals of the embedded basemap's coordinates (geodata/countries_basemap.geojson)
_BASEMAP_DECIMALS = 3
#: up to this many sorties, each has its layer; beyond, one layer per aircraft type
MAX_SORTIE_LAYERS = 40
#: with more lines and waypoints than this, the mission is drawn on a canvas, without arrows
_SVG_MAX_FEATURES = 3000
#: sorties listed by name in the legend (the layer control lists them all)
_LEGEND_SORTIES = 12
#: vertices per range ring
_RING_VERTICES = 180
#: Mercator cannot draw the poles: ring latitudes are clamped to this (deg)
_MAX_DRAW_LAT_DEG = 85.0
_URL = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
_TRAILING_PUNCTUATION = ".,;:!?)]}"
_BRACES = str.maketrans({"{": "&#123;", "}": "&#125;"})
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


# ---------------------------------------------------------------------------------------------
# Text: escaping and formatting (every string from a mission file goes through _text/_linkified)
# ---------------------------------------------------------------------------------------------


def _text(value: object) -> str:
    """Untrusted text made safe to insert as HTML: ``<``, ``>``, ``&``, quotes, and braces escaped.

    Braces become ``&#123;``/``&#125;`` because folium (branca) parses each element's rendered
    script again as a Jinja template: a name holding ``{{ ... }}`` must never reach Jinja.
    """
    return html.escape(str(value), quote=True).translate(_BRACES)


def _linkified(value: str) -> str:
    """Escaped text in which http(s) addresses become links (nothing else does: no ``javascript:``)."""
    out, last = [], 0
    for match in _URL.finditer(value):
        url = match.group(0).rstrip(_TRAILING_PUNCTUATION)
        end = match.start() + len(url)
        out.append(_text(value[last : match.start()]))
        out.append(f'<a href="{_text(url)}" target="_blank" rel="noopener noreferrer">{_text(url)}</a>')
        last = end
    out.append(_text(value[last:]))
    return "".join(out)


class _Cited(Protocol):
    """A source of the mission file or of the performance catalogue."""

    title: str
    url: str | None


def _source_html(source: _Cited) -> str:
    """The title, linked to the address if that is http(s); any other address shown as text."""
    url = (source.url or "").strip()
    if url and _URL.fullmatch(url):
        return f'<a href="{_text(url)}" target="_blank" rel="noopener noreferrer">{_text(source.title or url)}</a>'
    return _text(source.title) + (f" &lt;{_text(url)}&gt;" if url else "")


def _rows(rows: Iterable[tuple[str, str]]) -> str:
    """Table rows from (label, HTML) pairs; labels are ours, values already escaped."""
    return "".join(f"<tr><th>{label}</th><td>{value}</td></tr>" for label, value in rows if value)


def _popup(title: str, subtitle: str, rows: Iterable[tuple[str, str]]) -> str:
    sub = f'<div class="msn-sub">{subtitle}</div>' if subtitle else ""
    return f'<div class="msn-pop"><b>{title}</b>{sub}<table>{_rows(rows)}</table></div>'


# ---------------------------------------------------------------------------------------------
# Geometry helpers
# ---------------------------------------------------------------------------------------------


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


def _waypoint_vertex_indices(coords: Sequence[Sequence[float]], route: Sequence[Waypoint]) -> list[int]:
    """Index in ``coords`` of each waypoint: the nearest vertex, searched forwards along the line.

    The densified line starts each leg exactly at its waypoint (longitudes unwrapped), so the
    nearest vertex after the previous waypoint's is the waypoint itself.
    """
    xy = np.asarray(coords, dtype=np.float64)
    indices, start = [], 0
    for wp in route:
        lon = wp.point.lon_deg
        lon_shift = 360.0 * np.round((xy[start:, 0] - lon) / 360.0)  # compare across unwrapping
        d2 = (xy[start:, 0] - lon - lon_shift) ** 2 + (xy[start:, 1] - wp.point.lat_deg) ** 2
        idx = start + int(np.argmin(d2))
        indices.append(idx)
        start = idx
    return indices


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


def _iso_duration(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    return "PT" + (f"{hours}H" if hours else "") + (f"{rest // 60}M" if rest or not hours else "")


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


def _seconds(when: dt.datetime, t0: dt.datetime) -> int:
    return round((when - t0).total_seconds())


def _sortie_record(s: SortieResult, g: int, colour: str, units: str, t0: dt.datetime, text: _Strings) -> dict[str, Any]:
    """One sortie for the page: its line, waypoint times and texts (``g``: its group)."""
    sortie, route = s.sortie, s.sortie.route
    coords = _coords(s.line)
    w = _waypoint_vertex_indices(coords, route)
    waypoints: list[list[Any]] = []
    bases: dict[tuple[float, float], list[int]] = {}
    for i, wp in enumerate(route):
        kind = _marker_kind(i, wp, len(route))
        record = [
            text(_text(wp.point.name)),
            kind,
            text("<br>".join(_events(wp))),
            text(_text(wp.note)),
            text(_waypoint_sources(wp)),
        ]
        if kind == _BASE:  # a round trip has one base marker; its popup gives both visits
            visits = bases.setdefault((round(wp.point.lat_deg, 5), round(wp.point.lon_deg, 5)), [])
            if visits:
                record[1] = _NO_MARKER
                waypoints[visits[0]].append(visits)  # the list object, completed below
            visits.append(i)
        waypoints.append(record)
    for record in waypoints:  # a base visited once needs no visit list
        if len(record) == 6 and len(record[5]) < 2:
            record.pop()
    return {
        "g": g, "c": colour, "line": encode_polyline(coords), "w": w,
        "ta": [_seconds(t, t0) for t in s.arrival_times], "td": [_seconds(t, t0) for t in s.departure_times],
        "n": text(_text(sortie.name)), "a": text(f"{_text(sortie.count)} × {_text(sortie.aircraft)}"),
        "d": format_distance(s.distance_m, units), "f": format_duration(s.duration_s),
        "v": f"{s.average_speed_kmh:,.0f} km/h", "r": s.refuel_count, "src": text(_linkified(sortie.source)),
        "wp": waypoints,
        "l": [[format_distance(leg.distance_m, units), format_distance(leg.cumulative_m, units),
               format_duration(leg.duration_s)] for leg in s.legs],
    }  # fmt: skip


def _weapon_records(
    tracks: Sequence[WeaponTrack], g: int, units: str, t0: dt.datetime, sortie_names: set[str], text: _Strings
) -> list[dict[str, Any]]:
    """Weapon tracks for the page; ``lp`` marks the first track of a ship or ground launch point."""
    records = []
    launch_points: set[tuple[str, float, float]] = set()
    for track in tracks:
        key = (track.launcher, round(track.origin.lat_deg, 5), round(track.origin.lon_deg, 5))
        record = {
            "g": g, "line": encode_polyline(_coords(track.line)),
            "t": [_seconds(track.launch_time, t0), _seconds(track.impact_time, t0)],
            "n": text(f"{_text(track.count)} × {_text(track.weapon)}"), "tg": text(_text(track.target.name)),
            "r": [text(_text(track.launcher)), text(_text(track.origin.name)),
                  format_distance(track.distance_m, units), format_duration(track.time_of_flight_s),
                  text(", ".join(_text(p.name) for p in track.launch.via)), text(_linkified(track.launch.source))],
        }  # fmt: skip
        if track.launcher not in sortie_names and key not in launch_points:
            launch_points.add(key)
            record["lp"] = 1
        records.append(record)
    return records


def _ring_record(
    lat: float, lon: float, radius_m: float, g: int, colour: str, tip: str, pop: str, text: _Strings
) -> dict[str, Any]:
    ring = geodesy.geodesic_ring(lat, lon, radius_m, n_vertices=_RING_VERTICES)
    coords = np.asarray(_coords(ring))
    coords[:, 1] = np.clip(coords[:, 1], -_MAX_DRAW_LAT_DEG, _MAX_DRAW_LAT_DEG)
    return {"g": g, "c": colour, "line": encode_polyline(coords), "tip": text(tip), "pop": text(pop)}


def _ring_records(
    result: MissionResult, g: int, units: str, colours: dict[str, str], text: _Strings
) -> list[dict[str, Any]]:
    """Weapon ranges around launch points; aircraft unrefuelled range / 2 around bases."""
    from ..performance import find_aircraft, find_weapon

    records: list[dict[str, Any]] = []
    done: set[tuple[str, float, float]] = set()
    for track in result.weapons:
        key = (track.weapon, round(track.origin.lat_deg, 4), round(track.origin.lon_deg, 4))
        if key in done:
            continue
        done.add(key)
        if track.launch.range_m:
            radius_m, reach = track.launch.range_m, format_distance(track.launch.range_m, units)
            source = "mission file" + (f": {_linkified(track.launch.source)}" if track.launch.source else "")
        else:
            try:
                figure = find_weapon(track.weapon).range_km
            except CatalogError:  # a weapon the catalogue lacks has no ring
                continue
            if figure is None:
                continue
            radius_m = figure.max * 1000.0
            reach = f"{figure.format(UNIT_M[units] / 1000.0)} {UNIT_LABEL[units]}"
            source = "<br>".join(_source_html(s) for s in figure.sources)
        weapon, origin = _text(track.weapon), _text(track.origin.name)
        pop = _popup(f"{weapon} range", f"around {origin}", [
            ("Range", reach), ("Ring", f"{format_distance(radius_m, units)} (geodesic)"),
            ("Source", source)])  # fmt: skip
        records.append(
            _ring_record(
                track.origin.lat_deg,
                track.origin.lon_deg,
                radius_m,
                g,
                WEAPON_COLOUR,
                f"{weapon} range from {origin}",
                pop,
                text,
            )
        )
    for s in result.sorties:
        base = s.sortie.route[0].point
        key = (s.sortie.aircraft, round(base.lat_deg, 4), round(base.lon_deg, 4))
        if key in done:
            continue
        done.add(key)
        try:
            figure = find_aircraft(s.sortie.aircraft).unrefuelled_range_km
        except CatalogError:
            continue
        if figure is None:
            continue
        radius_m = figure.max * 1000.0 / 2.0
        aircraft, where = _text(s.sortie.aircraft), _text(base.name)
        pop = _popup(f"{aircraft} radius", f"half the unrefuelled range, around {where}", [
            ("Unrefuelled range", f"{figure.format(UNIT_M[units] / 1000.0)} {UNIT_LABEL[units]}"),
            ("Ring", f"{format_distance(radius_m, units)} (geodesic)"),
            ("Source", "<br>".join(_source_html(x) for x in figure.sources))])  # fmt: skip
        records.append(
            _ring_record(
                base.lat_deg,
                base.lon_deg,
                radius_m,
                g,
                colours[s.sortie.name],
                f"{aircraft}: half its unrefuelled range from {where}",
                pop,
                text,
            )
        )
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
    return {"g": g, "c": colour, "polys": polys, "tip": text(tip), "pop": text(pop), "f": fill}


def _remaining_range_record(
    sf: Any, i: int, g: int, units: str, text: _Strings, why: str = ""
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
    feasibility: Feasibility, g: int, units: str, text: _Strings, rings_at: Iterable[tuple[str, int]] = ()
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
        areas.append(_area_record(basket, g, FINDING_COLOUR, f"{weapon} → {target}: launch basket", pop, text, 0.05))
    wanted = {
        (sf.result.sortie.name, sf.tanker_point.leg_index): sf.tanker_point.message
        for sf in feasibility.sorties
        if sf.tanker_point is not None and sf.tanker_point.leg_index is not None
    }
    for key in rings_at:
        wanted.setdefault(tuple(key), "")
    for (name, i), why in wanted.items():
        sf = next((x for x in feasibility.sorties if x.result.sortie.name == name), None)
        if sf is None or not 0 <= i < len(sf.result.sortie.route):
            continue
        record = _remaining_range_record(sf, i, g, units, text, why)
        if record is not None:
            areas.append(record)
    findings = []
    for f in feasibility.findings:
        if f.lat_deg is None or f.lon_deg is None or f.severity != "error":
            continue
        titles = {"range": "Refuelling needed", "reach": "Out of reach", "avoid": "Airspace to avoid"}
        title = titles.get(f.kind, f.kind)
        pop = _popup(_text(title), _text(f.sortie or ""), [("Finding", _text(f.message))])
        findings.append({"g": g, "p": [round(f.lon_deg, COORD_DECIMALS), round(f.lat_deg, COORD_DECIMALS)],
                         "tip": text(_text(f"{title}: {f.sortie or ''}")), "pop": text(pop)})  # fmt: skip
    return areas, findings


def _airspace_records(airspace: MissionAirspace, g: int, units: str, text: _Strings) -> list[dict[str, Any]]:
    """The overflown countries, shaded, each with its passages (entry and exit times) in the tooltip."""
    from geodata.countries import basemap_geojson

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
                f"{_text(label)}: {format_distance(p.distance_m, units)}, "
                f"{p.entry_time.astimezone(dt.UTC):%d %b %H:%M}–{p.exit_time.astimezone(dt.UTC):%H:%M} UTC"
            )
    if not passages:
        return []
    shapes = {f["properties"]["iso3"]: f["geometry"] for f in basemap_geojson()["features"]}
    records = []
    for iso3, lines in passages.items():
        if iso3 not in shapes:
            continue
        geom = shapely.geometry.shape(shapes[iso3])
        title = f"{_text(names[iso3])} ({_text(iso3)})"
        shown = lines[:12] + ([f"and {len(lines) - 12} more"] if len(lines) > 12 else [])
        pop = _popup(title, "overflown", [("Passages", "<br>".join(shown))])
        tip = title + "<br>" + "<br>".join(shown[:4]) + ("<br>…" if len(shown) > 4 else "")
        records.append(_area_record(geom, g, OVERFLIGHT_COLOUR, tip, pop, text, 0.25))
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


#: the page's decoder of :func:`encode_polyline` (``scale``: 10 ** decimals)
_DECODE_JS = """function decode(text, scale) {  // an encoded polyline to [lon, lat] pairs
                scale = scale || 1e5;
                var points = [], i = 0, lat = 0, lon = 0;
                function next() {
                    var result = 0, shift = 0, b;
                    do { b = text.charCodeAt(i++) - 63; result |= (b & 31) << shift; shift += 5; } while (b >= 32);
                    return (result & 1) ? ~(result >> 1) : (result >> 1);
                }
                while (i < text.length) { lat += next(); lon += next(); points.push([lon / scale, lat / scale]); }
                return points;
            }"""

_SYMBOLS_JS = (
    """{
  base: function (c) { return '<svg width="14" height="14" viewBox="0 0 14 14">'
    + '<rect x="1.5" y="1.5" width="11" height="11" fill="' + c + '"'
    + ' stroke="#111" stroke-width="1.5"/></svg>'; },
  refuel: function (c) { return '<svg width="16" height="16" viewBox="0 0 16 16">'
    + '<path d="M8 1L15 8L8 15L1 8Z" fill="REFUEL" stroke="#fff" stroke-width="1.5"/></svg>'; },
  launch: function (c) { return '<svg width="16" height="16" viewBox="0 0 16 16"><path d="M8 1.5L15 14.5H1Z"'
    + ' fill="WEAPON" stroke="#fff" stroke-width="1.5"/></svg>'; },
  finding: function (c) { return '<svg width="18" height="18" viewBox="0 0 18 18"><path d="M9 1L17 16H1Z"'
    + ' fill="FINDING" stroke="#fff" stroke-width="1.5"/><path d="M9 6V11M9 13V14.5" stroke="#fff"'
    + ' stroke-width="2"/></svg>'; },
  target: function (c) { return '<svg width="18" height="18" viewBox="0 0 18 18"><circle cx="9" cy="9" r="7"'
    + ' fill="#fff" stroke="WEAPON" stroke-width="2"/><circle cx="9" cy="9" r="3" fill="WEAPON"/>'
    + '<path d="M9 0V4M9 14V18M0 9H4M14 9H18" stroke="WEAPON" stroke-width="1.5"/></svg>'; }
}""".replace("REFUEL", REFUEL_COLOUR)
    .replace("WEAPON", WEAPON_COLOUR)
    .replace("FINDING", FINDING_COLOUR)
)

_CSS = """
<style>
.leaflet-container { background: #b9d3e6 !important; }
.msn-icon { background: none !important; border: none !important; }
.leaflet-interactive:focus { outline: none; }
.leaflet-tooltip { font: 12px/1.3 system-ui, sans-serif; }
.msn-pop { font: 12px/1.35 system-ui, sans-serif; }
.msn-pop .msn-sub { color: #555; margin-bottom: 4px; }
.msn-pop table { border-collapse: collapse; }
.msn-pop th { text-align: left; font-weight: 600; padding: 1px 8px 1px 0; vertical-align: top;
  white-space: nowrap; }
.msn-pop td { padding: 1px 0; vertical-align: top; max-width: 320px; overflow-wrap: anywhere; }
.msn-legend { background: rgba(255,255,255,0.93); padding: 8px 10px; border-radius: 6px;
  box-shadow: 0 1px 5px rgba(0,0,0,0.35); font: 12px/1.4 system-ui, sans-serif; max-width: 300px;
  max-height: 60vh; overflow: auto; }
.msn-legend .msn-title { font-weight: 700; font-size: 13px; margin-bottom: 2px; cursor: pointer; }
.msn-legend .msn-sub { color: #555; margin-bottom: 6px; }
.msn-legend .msn-row { display: flex; align-items: center; gap: 6px; margin: 2px 0; }
.msn-legend .msn-line { display: inline-block; width: 22px; height: 0; border-top: 3px solid; flex: none; }
.msn-legend .msn-line.dashed { border-top-style: dashed; }
.msn-legend svg { flex: none; }
.msn-legend details { margin-top: 6px; } .msn-legend ol { margin: 2px 0 0 0; padding-left: 18px; }
.msn-swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 4px; }
.leaflet-control-layers { font: 13px/1.4 system-ui, sans-serif; }
</style>
"""


def _overflight_codes(overflight: Iterable[Any]) -> list[str]:
    """ADM0_A3 codes from codes, or from crossings with an ``iso3`` (``None``: international waters)."""
    codes = {getattr(item, "iso3", item) for item in overflight}
    return sorted(str(code) for code in codes if code)


class _RawScript(Element):
    """Script text put in the page as it is.

    branca parses each element's rendered script again as a Jinja template: for megabytes of data
    that costs time (~60 ms for the basemap), and any "{{" in the data would be read as template code.
    """

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs: Any) -> str:
        return self.text


def _add_script(element: MacroElement, kwargs: dict[str, Any]) -> None:
    """Render ``element``'s ``script`` macro once into the page (see :class:`_RawScript`)."""
    script = element._template.module.__dict__["script"]
    element.get_root().script.add_child(_RawScript(script(element, kwargs)), name=element.get_name())


class _Basemap(folium.map.Layer):
    """The embedded Natural Earth countries as vector land and borders, with no network.

    Drawn three times (longitudes -360, 0, +360) so that a route with unwrapped longitudes beyond
    ±180 lies over land drawn at the same longitudes; the data is embedded once. Not interactive,
    in its own pane below every overlay. ``overflight``: ADM0_A3 codes of countries to highlight.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function (map) {
            if (!map.getPane('msn-basemap')) {
                map.createPane('msn-basemap');
                map.getPane('msn-basemap').style.zIndex = 150;
            }
            {{ this.decode_js }}
            var data = {type: 'FeatureCollection', features: {{ this.data_json }}.map(function (c) {
                return {type: 'Feature', properties: {iso3: c[0]}, geometry: {type: 'MultiPolygon',
                    coordinates: c[1].map(function (polygon) {
                        return polygon.map(function (ring) { return decode(ring, {{ this.scale }}); });
                    })}};
            })};
            var flown = {{ this.overflight_json }};
            var renderer = L.svg({pane: 'msn-basemap', padding: 0.5});
            var group = L.layerGroup();
            [-360, 0, 360].forEach(function (shift) {
                group.addLayer(L.geoJSON(data, {
                    pane: 'msn-basemap', renderer: renderer, interactive: false,
                    coordsToLatLng: function (c) { return L.latLng(c[1], c[0] + shift); },
                    style: function (f) {
                        var over = flown.indexOf(f.properties.iso3) >= 0;
                        return {color: '#8d8679', weight: 0.7, fillColor: over ? '#f3d9a4' : '#f2efe6',
                                fillOpacity: 1, interactive: false};
                    }
                }));
            });
            return group;
        })({{ this._parent.get_name() }});
        {%- if this.show %}
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {%- endif %}
        {% endmacro %}
    """)

    def __init__(self, overflight: Iterable[Any] = (), *, show: bool = True) -> None:
        super().__init__(name="Natural Earth (offline)", overlay=False, control=True, show=show)
        self._name = "Basemap"
        self.data_json = _basemap_json()
        self.overflight_json = _script_json(_overflight_codes(overflight))
        self.decode_js = _DECODE_JS
        self.scale = 10**_BASEMAP_DECIMALS

    def render(self, **kwargs: Any) -> None:
        _add_script(self, kwargs)  # the template adds the layer to the map when shown


@functools.lru_cache(maxsize=1)
def _basemap_json() -> str:
    """The embedded countries as ``[[iso3, [[ring, ...], ...]], ...]``, rings as encoded polylines.

    The basemap's coordinates are rounded to 1e-3° (``geodata.countries``), so encoding them at
    that precision loses nothing; the page gets ~4 bytes per vertex instead of ~17.
    """
    from geodata.countries import basemap_geojson

    shapes = []  # per country: its polygons, each a list of rings
    for f in basemap_geojson()["features"]:
        geometry = f["geometry"]
        shapes.append(geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]])
    rings = [ring for polygons in shapes for polygon in polygons for ring in polygon]
    flat = np.array([point for ring in rings for point in ring], dtype=np.float64).reshape(-1, 2)
    lengths = np.array([len(ring) for ring in rings], dtype=np.int64)
    encoded = iter(_encode_lines(np.split(flat, np.cumsum(lengths)[:-1]), _BASEMAP_DECIMALS))
    countries = [
        [f["properties"]["iso3"], [[next(encoded) for _ in polygon] for polygon in polygons]]
        for f, polygons in zip(basemap_geojson()["features"], shapes, strict=True)
    ]
    return _script_json(countries)


class _Group(folium.FeatureGroup):
    """A FeatureGroup (in the layer control like any other) whose variable :class:`_MissionLayers` declares.

    With one folium element per group, a 1,000-sortie map spends ~1 s and ~300 kB on 2,000
    Jinja templates; declared together in one script, each group costs one short line.
    """

    _template = Template("")

    def __init__(self, name: str) -> None:
        super().__init__(name=name)
        self._name = "g"

    def render(self, **kwargs: Any) -> None:
        MacroElement.render(self, **kwargs)  # not Layer.render: _MissionLayers adds it to the map


class _MissionLayers(JSCSSMixin, MacroElement):
    """The mission's features: one ``L.geoJSON`` per kind, each feature added to its group's layer.

    The data is compact (see :func:`encode_polyline` and :class:`_Strings`); the page decodes it
    into GeoJSON FeatureCollections (routes, weapon tracks, markers, rings) and builds popups
    when they open, from HTML strings escaped in Python, times and formatted distances. ``groups``
    are the FeatureGroups (each sortie's, the weapons', the rings') that the records' ``g`` refers
    to. The element's variable holds the timed features for :class:`_MissionClock`.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        {%- for g in this.groups %}
        var {{ g.get_name() }} = L.featureGroup(){% if g.show %}.addTo({{ this._parent.get_name() }}){% endif %};
        {%- endfor %}
        var {{ this.get_name() }} = (function (map) {
            var D = {{ this.data_json }};
            var S = D.s;  // HTML strings, escaped in Python; the code below only joins them with its own tags
            var groups = [{% for g in this.groups %}{{ g.get_name() }}{{ "," if not loop.last }}{% endfor %}];
            var symbols = {{ this.symbols }};
            var WEAPON = '{{ this.weapon_colour }}';
            var KINDS = ['waypoint', 'base', 'refuel', 'launch'];
            var LABELS = ['waypoint', 'base', 'refuelling', 'launch point'];
            {{ this.decode_js }}
            function utc(s) {  // seconds after D.t0 as 'YYYY-MM-DD HH:MM UTC', to the nearest minute
                var d = new Date(D.t0 + s * 1000 + 30000).toISOString();
                return d.slice(0, 10) + ' ' + d.slice(11, 16) + ' UTC';
            }
            function position(c) {
                return c[1].toFixed(4) + ', ' + ((((c[0] + 180) % 360) + 360) % 360 - 180).toFixed(4);
            }
            function popup(title, sub, rows) {
                var html = '<div class="msn-pop"><b>' + title + '</b>';
                if (sub) { html += '<div class="msn-sub">' + sub + '</div>'; }
                html += '<table>';
                rows.forEach(function (r) {
                    if (r[1] !== '' && r[1] !== undefined) {
                        html += '<tr><th>' + r[0] + '</th><td>' + r[1] + '</td></tr>';
                    }
                });
                return html + '</table></div>';
            }
            function feature(type, coordinates, properties) {
                return {type: 'Feature', geometry: {type: type, coordinates: coordinates}, properties: properties};
            }
            var routes = [], tracks = [], markers = [], rings = [];
            D.sorties.forEach(function (o) {
                var c = decode(o.line), last = o.wp.length - 1;
                function waypointPopup(i) {
                    var wp = o.wp[i], rows = [];
                    (wp[5] || [i]).forEach(function (j) {
                        if (j === 0) { rows.push(['Takeoff', utc(o.td[0])]); return; }
                        var leg = o.l[j - 1];
                        rows.push([j < last ? 'Arrival' : 'Landing', utc(o.ta[j])]);
                        rows.push(['Leg ' + j, leg[0] + ' from ' + S[o.wp[j - 1][0]] + ' (' + leg[2] + ')']);
                        rows.push(['Cumulative', leg[1]]);
                        if (j < last && o.td[j] !== o.ta[j]) { rows.push(['Departure', utc(o.td[j])]); }
                    });
                    rows.push(['Events', S[wp[2]]], ['Note', S[wp[3]]], ['Position', position(c[o.w[i]])],
                              ['Source', S[wp[4]]]);
                    return popup(S[wp[0]], S[o.n] + ' · ' + LABELS[wp[1]], rows);
                }
                routes.push(feature('LineString', c, {g: o.g, c: o.c, w: o.w, ta: o.ta, td: o.td,
                    tip: S[o.n] + ': ' + S[o.a] + ', ' + o.d,
                    pop: function () {
                        return popup(S[o.n], S[o.a], [['Takeoff', utc(o.td[0])], ['Landing', utc(o.ta[last])],
                            ['Distance', o.d], ['Flight time', o.f], ['Average speed', o.v],
                            ['Refuellings', String(o.r)], ['Source', S[o.src]]]);
                    }}));
                o.wp.forEach(function (wp, i) {
                    if (wp[1] < 0) { return; }
                    markers.push(feature('Point', c[o.w[i]], {g: o.g, k: KINDS[wp[1]], c: o.c,
                        tip: S[wp[0]] + ' · ' + utc(i ? o.ta[i] : o.td[0]),
                        pop: function () { return waypointPopup(i); }}));
                });
            });
            D.weapons.forEach(function (o) {
                var c = decode(o.line), title = S[o.n] + ' → ' + S[o.tg];
                function rows() {
                    return [['Launcher', S[o.r[0]]], ['From', S[o.r[1]]], ['Launch', utc(o.t[0])],
                            ['Impact', utc(o.t[1])], ['Distance', o.r[2]], ['Flight time', o.r[3]],
                            ['Via', S[o.r[4]]], ['Source', S[o.r[5]]]];
                }
                tracks.push(feature('LineString', c, {g: o.g, t: o.t, tip: title,
                    pop: function () { return popup(title, 'weapon track', rows()); }}));
                markers.push(feature('Point', c[c.length - 1], {g: o.g, k: 'target', c: WEAPON,
                    tip: S[o.tg] + ' · ' + utc(o.t[1]),
                    pop: function () { return popup(S[o.tg], 'target', [['Weapon', S[o.n]]].concat(rows())); }}));
                if (o.lp) {
                    markers.push(feature('Point', c[0], {g: o.g, k: 'launch', c: WEAPON,
                        tip: S[o.r[1]] + ' · ' + utc(o.t[0]),
                        pop: function () {
                            return popup(S[o.r[1]], S[o.r[0]] + ' · launch point', [['Weapon', S[o.n]],
                                ['Launch', utc(o.t[0])], ['Position', position(c[0])], ['Source', S[o.r[5]]]]);
                        }}));
                }
            });
            D.rings.forEach(function (o) {
                rings.push(feature('Polygon', [decode(o.line)], {g: o.g, c: o.c, tip: S[o.tip], pop: S[o.pop]}));
            });
            var areas = (D.areas || []).map(function (o) {
                return feature('MultiPolygon', o.polys.map(function (p) { return p.map(decode); }),
                               {g: o.g, c: o.c, f: o.f, tip: S[o.tip], pop: S[o.pop]});
            });
            (D.findings || []).forEach(function (o) {
                markers.push(feature('Point', o.p, {g: o.g, k: 'finding', c: '{{ this.finding_colour }}',
                                                    tip: S[o.tip], pop: S[o.pop]}));
            });
            function bind(f, layer) {
                var p = f.properties;
                layer.bindTooltip(p.tip, {sticky: f.geometry.type !== 'Point'});
                layer.bindPopup(typeof p.pop === 'function' ? function () { return p.pop(); } : p.pop,
                                {maxWidth: 360});
                groups[p.g].addLayer(layer);
            }
            // thousands of features draw far faster on a canvas (leaflet-textpath arrows need SVG)
            var renderer = {{ "L.canvas({padding: 0.5})" if this.canvas else "undefined" }};
            function add(list, options) {
                options.onEachFeature = bind;
                if (renderer) { options.renderer = renderer; }
                // one GeoJSON layer per kind; its layers go to the groups, not to the map
                L.geoJSON({type: 'FeatureCollection', features: list}, options);
            }
            add(areas, {style: function (f) {
                return {color: f.properties.c, weight: 1, fillColor: f.properties.c, fillOpacity: f.properties.f};
            }});
            add(rings, {style: function (f) {
                return {color: f.properties.c, weight: 1.5, dashArray: '2 4', fillColor: f.properties.c,
                        fillOpacity: 0.04};
            }});
            add(routes, {style: function (f) { return {color: f.properties.c, weight: 3, opacity: 0.9}; }});
            add(tracks, {style: function () { return {color: WEAPON, weight: 2.5, dashArray: '8 6', opacity: 0.95}; }});
            add(markers, {pointToLayer: function (f, latlng) {
                var p = f.properties;
                if (p.k === 'waypoint') {
                    return L.circleMarker(latlng, {radius: 4, color: p.c, weight: 2, fillColor: '#fff',
                                                   fillOpacity: 1, renderer: renderer});
                }
                var size = p.k === 'base' ? 14 : (p.k === 'target' || p.k === 'finding') ? 18 : 16;
                return L.marker(latlng, {icon: L.divIcon({className: 'msn-icon', html: symbols[p.k](p.c),
                    iconSize: [size, size], iconAnchor: [size / 2, size / 2]}), zIndexOffset: 500});
            }});
            // direction arrows along routes and weapon tracks (leaflet-textpath, no icon font)
            function arrows(layer, colour) {
                if (layer.setText && !renderer) {
                    layer.setText('\\u00a0\\u00a0\\u00a0\\u00a0\\u00a0\\u00a0\\u00a0\\u00a0\\u00a0\\u00a0\\u00a0\\u00a0'
                        + '\\u00a0\\u00a0\\u00a0\\u00a0\\u25ba', {repeat: true, offset: 4,
                        attributes: {fill: colour, 'font-size': '12', 'font-family': 'sans-serif'}});
                }
            }
            groups.forEach(function (group) {
                group.eachLayer(function (layer) {
                    if (layer instanceof L.Polyline && !(layer instanceof L.Polygon)) {
                        arrows(layer, layer.options.color);
                    }
                });
            });

            // one clock for every sortie and weapon: positions at each tick, interpolated by distance
            function metres(a, b) {
                var r = Math.PI / 180, dlat = (b[1] - a[1]) * r, dlon = (b[0] - a[0]) * r;
                var h = Math.pow(Math.sin(dlat / 2), 2)
                    + Math.cos(a[1] * r) * Math.cos(b[1] * r) * Math.pow(Math.sin(dlon / 2), 2);
                return 2 * 6371008.8 * Math.asin(Math.min(1, Math.sqrt(h)));
            }
            function vertexTimes(coords, w, ta, td) {
                // time (s) at each vertex: between waypoints, in proportion to distance flown
                var times = new Array(coords.length), cum = [0];
                for (var i = 1; i < coords.length; i++) {
                    cum.push(cum[i - 1] + metres(coords[i - 1], coords[i]));
                }
                for (var k = 0; k + 1 < w.length; k++) {
                    var a = w[k], b = w[k + 1], span = cum[b] - cum[a];
                    for (var v = a; v <= b; v++) {
                        var f = span > 0 ? (cum[v] - cum[a]) / span : 1;
                        times[v] = td[k] + f * (ta[k + 1] - td[k]);
                    }
                }
                return times;
            }
            function track(coords, times, start, end, props) {
                // coordinates at every clock tick from start to end (the vertices' times are increasing)
                var out = [], when = [], v = 0;
                var first = Math.ceil(start / D.step) * D.step;
                for (var t = first; t <= end + 1e-6; t += D.step) {
                    while (v + 1 < coords.length - 1 && times[v + 1] <= t) { v++; }
                    var t1 = times[v], t2 = times[v + 1];
                    var f = t2 > t1 ? Math.min(1, Math.max(0, (t - t1) / (t2 - t1))) : 1;
                    out.push([coords[v][0] + f * (coords[v + 1][0] - coords[v][0]),
                              coords[v][1] + f * (coords[v + 1][1] - coords[v][1])]);
                    when.push(D.t0 + t * 1000);
                }
                if (out.length === 1) { out.push(out[0]); when.push(when[0] + 1); }
                props.times = when;
                return {type: 'Feature', geometry: {type: 'LineString', coordinates: out}, properties: props};
            }
            var timed = [];
            routes.forEach(function (f) {
                var p = f.properties, c = f.geometry.coordinates;
                if (c.length < 2) { return; }
                // a vertex is repeated at each waypoint with its arrival time, so holds and refuelling show
                var coords = [], times = [], vt = vertexTimes(c, p.w, p.ta, p.td), k = 1;
                for (var v = 0; v < c.length; v++) {
                    if (k < p.w.length - 1 && v === p.w[k]) {
                        coords.push(c[v]); times.push(p.ta[k]);
                        k++;
                    }
                    coords.push(c[v]); times.push(vt[v]);
                }
                var t = track(coords, times, p.td[0], p.ta[p.ta.length - 1], {
                    style: {color: p.c, weight: 7, opacity: 0.35},
                    icon: 'circle',
                    iconstyle: {radius: 7, color: '#fff', weight: 2.5, fillColor: p.c, fillOpacity: 1},
                    tooltip: p.tip});
                if (t.geometry.coordinates.length) { timed.push(t); }
            });
            tracks.forEach(function (f) {
                var p = f.properties, c = f.geometry.coordinates, cum = [0];
                if (c.length < 2) { return; }
                for (var i = 1; i < c.length; i++) { cum.push(cum[i - 1] + metres(c[i - 1], c[i])); }
                var total = cum[cum.length - 1] || 1;
                var times = cum.map(function (d) { return p.t[0] + d / total * (p.t[1] - p.t[0]); });
                var t = track(c, times, p.t[0], p.t[1], {
                    style: {color: WEAPON, weight: 4, opacity: 0.6},
                    icon: 'circle', iconstyle: {radius: 4, color: '#fff', weight: 1.5, fillColor: WEAPON,
                                                fillOpacity: 1},
                    tooltip: p.tip});
                if (t.geometry.coordinates.length) { timed.push(t); }
            });
            return {type: 'FeatureCollection', features: timed};
        })({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    default_js: ClassVar[list[tuple[str, str]]] = [
        ("leaflet_textpath", "https://cdn.jsdelivr.net/npm/leaflet-textpath@1.2.3/leaflet.textpath.min.js")
    ]

    def __init__(self, data: dict[str, Any], groups: Sequence[_Group]) -> None:
        super().__init__()
        self._name = "MissionLayers"
        self.data_json = _script_json(data)
        self.canvas = len(data["sorties"]) + len(data["weapons"]) + sum(len(r["wp"]) for r in data["sorties"]) > (
            _SVG_MAX_FEATURES
        )
        self.decode_js = _DECODE_JS
        self.groups = list(groups)
        self.symbols = _SYMBOLS_JS
        self.weapon_colour = WEAPON_COLOUR
        self.finding_colour = FINDING_COLOUR

    def render(self, **kwargs: Any) -> None:
        figure = self.get_root()
        for name, url in self.default_js:
            figure.header.add_child(folium.elements.JavascriptLink(url), name=name)
        _add_script(self, kwargs)


class _MissionClock(folium.plugins.TimestampedGeoJson):
    """TimestampedGeoJson over the timed features that :class:`_MissionLayers` builds in the page.

    Unlike folium's, the clock reads UTC (not the viewer's local time) and logs nothing.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
            L.Control.TimeDimensionUTC = L.Control.TimeDimension.extend({
                _getDisplayDateFormat: function (date) {
                    return moment.utc(date).format("YYYY-MM-DD HH:mm [UTC]");
                }
            });
            {{ this._parent.get_name() }}.timeDimension = L.timeDimension({period: {{ this.period|tojson }}});
            var {{ this.get_name() }}_control = new L.Control.TimeDimensionUTC(
                {{ this.options|tojavascript }});
            {{ this._parent.get_name() }}.addControl({{ this.get_name() }}_control);
            var {{ this.get_name() }} = L.timeDimension.layer.geoJson(
                L.geoJson({{ this.data }}, {
                    pointToLayer: function (f, latlng) {
                        return L.circleMarker(latlng, f.properties.iconstyle);
                    },
                    style: function (f) { return f.properties.style; },
                    onEachFeature: function (f, layer) {
                        if (f.properties.tooltip) { layer.bindTooltip(f.properties.tooltip); }
                    }
                }),
                {updateTimeDimension: true, addlastPoint: true, duration: {{ this.duration }}}
            ).addTo({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, layers: _MissionLayers, step_s: int) -> None:
        super().__init__(
            layers.get_name(),
            period=_iso_duration(step_s),
            auto_play=False,
            loop=True,
            transition_time=100,
            max_speed=20,
            time_slider_drag_update=True,
            date_options="YYYY-MM-DD HH:mm",
            speed_slider=False,
        )
        self.embed = False
        # Leaflet.TimeDimension 1.1 needs neither jQuery, jQuery UI nor highlight.js
        self.default_js = [js for js in self.default_js if not js[0].startswith("jquery")]
        self.default_css = [css for css in self.default_css if css[0] != "highlight.js_css"]


class _Legend(MacroElement):
    """The legend: a Leaflet control holding HTML prepared (and escaped) in Python."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function (map) {
            var legend = L.control({position: 'bottomright'});
            legend.onAdd = function () {
                var div = L.DomUtil.create('div', 'msn-legend');
                div.innerHTML = {{ this.html_json }};
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                return div;
            };
            legend.addTo(map);
        })({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, legend_html: str) -> None:
        super().__init__()
        self._name = "Legend"
        self.html_json = _script_json(legend_html)


_LEGEND_SYMBOLS = {
    "base": '<svg width="14" height="14"><rect x="1.5" y="1.5" width="11" height="11" fill="#888" '
    'stroke="#111" stroke-width="1.5"/></svg>',
    "waypoint": '<svg width="14" height="14"><circle cx="7" cy="7" r="4" fill="#fff" stroke="#555" '
    'stroke-width="2"/></svg>',
    "refuelling": f'<svg width="14" height="14"><path d="M7 1L13 7L7 13L1 7Z" fill="{REFUEL_COLOUR}"/></svg>',
    "launch point": f'<svg width="14" height="14"><path d="M7 1.5L13 12.5H1Z" fill="{WEAPON_COLOUR}"/></svg>',
    "target": f'<svg width="14" height="14"><circle cx="7" cy="7" r="5" fill="#fff" stroke="{WEAPON_COLOUR}" '
    f'stroke-width="2"/><circle cx="7" cy="7" r="2" fill="{WEAPON_COLOUR}"/></svg>',
    "finding": f'<svg width="14" height="14"><path d="M7 1L13.5 12.5H0.5Z" fill="{FINDING_COLOUR}"/></svg>',
}


def _legend_html(
    result: MissionResult, colours: dict[str, str], units: str, rings: bool, findings: bool = False
) -> str:
    mission = result.mission
    parts = [f'<details open><summary class="msn-title">{_text(mission.name)}</summary>']
    sub = [_text(mission.date)] if mission.date else []
    sub.append(f"distances in {UNIT_LABEL[units]}, times UTC")
    parts.append(f'<div class="msn-sub">{" · ".join(sub)}</div>')
    for s in result.sorties[:_LEGEND_SORTIES]:
        parts.append(
            f'<div class="msn-row"><span class="msn-line" style="border-color:{colours[s.sortie.name]}">'
            "</span>"
            f"<span>{_text(s.sortie.name)}: {_text(s.sortie.count)} × {_text(s.sortie.aircraft)}, "
            f"{format_distance(s.distance_m, units)}, {format_duration(s.duration_s)}</span></div>"
        )
    if len(result.sorties) > _LEGEND_SORTIES:
        more = len(result.sorties) - _LEGEND_SORTIES
        parts.append(f'<div class="msn-sub">and {more:,} more sorties (colours repeat)</div>')
    if result.weapons:
        count = sum({id(t.launch): t.count for t in result.weapons}.values())  # a launch's count covers its targets
        parts.append(
            f'<div class="msn-row"><span class="msn-line dashed" style="border-color:{WEAPON_COLOUR}">'
            f"</span><span>weapon tracks ({len(result.weapons)}; {count} weapons)</span></div>"
        )
    if rings:
        parts.append(
            '<div class="msn-row"><span class="msn-line dashed" style="border-color:#666;'
            'border-top-width:1.5px"></span><span>range rings (geodesic)</span></div>'
        )
    shown = {
        "base": bool(result.sorties),
        "waypoint": any(len(s.sortie.route) > 2 for s in result.sorties),
        "refuelling": any(s.refuel_count for s in result.sorties),
        "launch point": bool(result.weapons),
        "target": bool(result.weapons),
        "finding": findings,
    }
    symbols = "".join(
        f'<span class="msn-row" style="margin:0">{svg}{label}</span>'
        for label, svg in _LEGEND_SYMBOLS.items()
        if shown[label]
    )
    parts.append(f'<div class="msn-row" style="flex-wrap:wrap;gap:4px 10px;margin-top:4px">{symbols}</div>')
    if mission.sources:
        items = "".join(f"<li>{_source_html(s)}</li>" for s in mission.sources)
        summary = f"<summary>Sources ({len(mission.sources)})</summary>"
        parts.append(f'<details class="msn-sources">{summary}<ol>{items}</ol></details>')
    return "".join(parts) + "</details>"


def _layer_label(name: str, colour: str, dashed: bool = False) -> str:
    """A layer-control label (inserted as HTML by Leaflet): a colour swatch and the escaped name."""
    style = (
        f"border:2px {'dashed' if dashed else 'solid'} {colour};background:none" if dashed else f"background:{colour}"
    )
    return f'<span class="msn-swatch" style="{style}"></span>{_text(name)}'


def sortie_colours(result: MissionResult) -> dict[str, str]:
    """The colour of each sortie (by name), as the map and its legend use them."""
    return {s.sortie.name: SORTIE_COLOURS[i % len(SORTIE_COLOURS)] for i, s in enumerate(result.sorties)}


def _tile_layer(key: str, show: bool) -> folium.TileLayer:
    import xyzservices.providers as xyz

    name, path = _TILE_PROVIDERS[key]
    provider = xyz
    for part in path.split("."):
        provider = provider[part]
    if provider.requires_token():
        # CARTO's basemaps are served without a key too: drop the key parameter xyzservices adds
        url = re.sub(r"[?&]\w+=\{apikey\}", "", provider.url.replace("{variant}", provider.get("variant", "")))
        return folium.TileLayer(
            url,
            attr=provider.html_attribution,
            name=name,
            overlay=False,
            control=True,
            show=show,
            subdomains=provider.get("subdomains", "abc"),
            max_zoom=provider.get("max_zoom", 18),
        )
    return folium.TileLayer(provider, name=name, overlay=False, control=True, show=show)


def build_map(
    result: MissionResult,
    *,
    units: str = "km",
    tiles: str = "offline",
    rings: bool = False,
    overflight: Iterable[Any] | None = None,
    feasibility: Feasibility | None = None,
    airspace: MissionAirspace | None = None,
    range_rings_at: Iterable[tuple[str, int]] = (),
) -> folium.Map:
    """Draw a computed mission on a Folium map.

    Parameters
    ----------
    result:
        The computed mission (:func:`missions.analysis.compute_mission`).
    units:
        Distances in popups, tooltips and the legend: ``"km"``, ``"nm"`` or ``"mi"``.
    tiles:
        ``"offline"`` (default): the embedded Natural Earth basemap only, no network. ``"osm"``,
        ``"esri"`` or ``"carto"``: that online tile layer is shown, and the offline basemap stays
        available in the layer control.
    rings:
        Draw geodesic range rings: each weapon's range (the launch's own ``range`` if the file
        gives one, else the catalogue's maximum) around its launch point, and half each aircraft's
        unrefuelled range (catalogue maximum) around its base. Weapons and aircraft the catalogue
        lacks get no ring.
    overflight:
        Countries to highlight on the offline basemap: Natural Earth ``ADM0_A3`` codes, or
        crossings with an ``iso3`` attribute (:class:`missions.overflight.Crossing`).
    feasibility:
        :func:`missions.feasibility.assess` of the mission: adds a "Feasibility" layer with each
        weapon's launch basket, the remaining-range ring where a sortie's range runs out, and a
        marker at each located finding (where a tanker must meet the aircraft, an airspace entry
        to avoid, an out-of-reach launch).
    range_rings_at:
        With ``feasibility``: (sortie name, waypoint index) pairs where to draw the geodesic ring of
        the sortie's remaining range on departure.
    airspace:
        :func:`missions.airspace.mission_airspace` of the mission: adds a "Countries overflown"
        layer (shaded, with each passage's distance and entry and exit times in the tooltip) and
        highlights those countries on the basemap.

    Returns
    -------
    folium.Map
        With a FeatureGroup per sortie (per aircraft type beyond ``MAX_SORTIE_LAYERS`` sorties),
        one for weapons if any (and one for rings), a layer control,
        a legend, a time slider, a scale bar, a measuring tool (km and NM), a fullscreen button,
        and its view fitted to the mission.

    Raises
    ------
    ValueError
        For an unknown ``units`` or ``tiles``.
    """
    if units not in UNIT_M:
        raise ValueError(f"units must be one of {sorted(UNIT_M)}, not {units!r}")
    if tiles not in TILES:
        raise ValueError(f"tiles must be one of {list(TILES)}, not {tiles!r}")
    mission = result.mission
    colours = sortie_colours(result)
    lines = [s.line for s in result.sorties] + [t.line for t in result.weapons]
    bounds = _bounds(lines) or [[-60.0, -180.0], [75.0, 180.0]]
    centre = [(bounds[0][0] + bounds[1][0]) / 2, (bounds[0][1] + bounds[1][1]) / 2]

    m = folium.Map(location=centre, zoom_start=3, tiles=None, control_scale=True, world_copy_jump=False)
    # only Leaflet itself: no Bootstrap, jQuery, icon fonts (no marker here uses them)
    m.default_js = [js for js in m.default_js if js[0] == "leaflet"]
    m.default_css = [css for css in m.default_css if css[0] == "leaflet_css"]
    root = m.get_root()
    root.header.add_child(Element(f"<title>{_text(mission.name)}</title>"), name="title")
    root.header.add_child(Element(_CSS), name="mission_css")

    if overflight is None and airspace is not None:
        overflight = [p for route in (*airspace.sorties.values(), *airspace.weapons) for p in route.passages]
    _Basemap(overflight or (), show=tiles == "offline").add_to(m)
    if tiles != "offline":
        _tile_layer(tiles, show=True).add_to(m)

    sortie_groups: dict[str, int] = {}
    groups: list[_Group] = []
    if len(result.sorties) <= MAX_SORTIE_LAYERS:
        for s in result.sorties:
            sortie_groups[s.sortie.name] = len(groups)
            groups.append(_Group(_layer_label(s.sortie.name, colours[s.sortie.name])))
    else:  # a layer control of hundreds of check boxes helps nobody (and Leaflet rebuilds it slowly)
        by_aircraft: dict[str, list[str]] = {}
        for s in result.sorties:
            by_aircraft.setdefault(s.sortie.aircraft, []).append(s.sortie.name)
        for aircraft, names in by_aircraft.items():
            for name in names:
                sortie_groups[name] = len(groups)
            label = f"{aircraft} ({len(names):,} sorties)"
            groups.append(_Group(_layer_label(label, colours[names[0]])))
    weapons_g = len(groups)
    if result.weapons:
        groups.append(_Group(_layer_label("Weapons", WEAPON_COLOUR, dashed=True)))
    rings_g = None
    if rings:
        rings_g = len(groups)
        groups.append(_Group(_layer_label("Range rings", "#666", dashed=True)))
    feasibility_g = airspace_g = None
    if feasibility is not None:
        feasibility_g = len(groups)
        groups.append(_Group(_layer_label("Feasibility", FINDING_COLOUR)))
    if airspace is not None:
        airspace_g = len(groups)
        groups.append(_Group(_layer_label("Countries overflown", OVERFLIGHT_COLOUR)))
    for group in groups:
        group.add_to(m)

    t0 = result.start_time or dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    text = _Strings()
    sorties = [
        _sortie_record(s, sortie_groups[s.sortie.name], colours[s.sortie.name], units, t0, text) for s in result.sorties
    ]
    weapons = _weapon_records(result.weapons, weapons_g, units, t0, set(sortie_groups), text)
    ring_records = _ring_records(result, rings_g, units, colours, text) if rings_g is not None else []
    areas, findings = ([], [])
    if feasibility is not None and feasibility_g is not None:
        areas, findings = _feasibility_records(feasibility, feasibility_g, units, text, range_rings_at)
    if airspace is not None and airspace_g is not None:
        areas = _airspace_records(airspace, airspace_g, units, text) + areas
    if airspace is not None:
        findings += [
            {"g": airspace_g, "p": [round(f.lon_deg, COORD_DECIMALS), round(f.lat_deg, COORD_DECIMALS)],
             "tip": text(_text(f"Airspace to avoid: {f.sortie or ''}")),
             "pop": text(_popup("Airspace to avoid", _text(f.sortie or ""), [("Finding", _text(f.message))]))}
            for f in airspace.findings if f.lat_deg is not None and f.lon_deg is not None
        ]  # fmt: skip
    end = result.end_time or t0
    step_s = _clock_step_s(max((end - t0).total_seconds(), 60.0))
    data = {
        "t0": round(t0.timestamp() * 1000),
        "step": step_s,
        "sorties": sorties,
        "weapons": weapons,
        "rings": ring_records,
        "areas": areas,
        "findings": findings,
        "s": text.table(),
    }
    layers = _MissionLayers(data, groups)
    layers.add_to(m)
    if sorties or weapons:
        _MissionClock(layers, step_s).add_to(m)

    folium.plugins.MeasureControl(
        position="topleft",
        primary_length_unit="kilometers",
        secondary_length_unit="nauticalmiles",
        primary_area_unit="sqkilometers",
        secondary_area_unit="sqnauticalmiles",
        units={
            "nauticalmiles": {"factor": 1.0 / 1852.0, "display": "nautical miles", "decimals": 1},
            "sqkilometers": {"factor": 1e-6, "display": "km²", "decimals": 0},
            "sqnauticalmiles": {"factor": 1.0 / 1852.0**2, "display": "NM²", "decimals": 0},
        },
    ).add_to(m)
    folium.plugins.Fullscreen(position="topleft").add_to(m)
    _Legend(_legend_html(result, colours, units, rings, findings=bool(findings))).add_to(m)
    folium.LayerControl(position="topright", collapsed=len(groups) > 12).add_to(m)
    m.fit_bounds(bounds, padding=(24, 24))
    return m
