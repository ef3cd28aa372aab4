"""A computed mission as GPX 1.1: a route per sortie and per weapon track, observed tracks as ``trk``.

- ``rte`` per sortie: one ``rtept`` per waypoint with its name, its modelled UTC time (arrival),
  and a description (kind, events, leg and cumulative distance, departure, source);
- ``rte`` per weapon track: launch point, via-points and target, timed at the weapon's speed;
- ``trk`` per observed track (:mod:`missions.tracks`), one ``trkseg`` per stretch without a
  coverage gap, each ``trkpt`` with its time (and elevation when known).

Written with lxml, which escapes every text; longitudes in [-180, 180), 7 decimals (≈1 cm).
GPX routes join their points with whatever lines the reading device draws: the geodesic vertices are
in the KML export.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from lxml import etree

from .. import geodesy
from ..analysis import MissionResult, SortieResult, WeaponTrack
from ..units import Units, format_distance, iso_utc
from .kml import ObservedLine, xml_text
from .timed import iso_times, iso_utc_s

GPX_NS = "http://www.topografix.com/GPX/1/1"
_G = f"{{{GPX_NS}}}"
CREATOR = "missions (strike-mission geospatial visualizer)"
COORD_DECIMALS = 7


def _sub(parent: etree._Element, tag: str, text: str | None = None) -> etree._Element:
    el = etree.SubElement(parent, _G + tag)
    if text is not None:
        el.text = xml_text(text)
    return el


def _lon(lon_deg: float) -> float:
    return lon_deg if -180.0 <= lon_deg < 180.0 else (lon_deg + 180.0) % 360.0 - 180.0


def _point(parent: etree._Element, tag: str, lat_deg: float, lon_deg: float) -> etree._Element:
    el = _sub(parent, tag)
    el.set("lat", f"{lat_deg:.{COORD_DECIMALS}f}")
    el.set("lon", f"{_lon(lon_deg):.{COORD_DECIMALS}f}")
    return el


def _sortie_route(gpx: etree._Element, s: SortieResult, units: Units) -> None:
    rte = _sub(gpx, "rte")
    _sub(rte, "name", s.sortie.name)
    _sub(rte, "desc", f"{s.sortie.count} × {s.sortie.aircraft}; {format_distance(s.distance_m, units)}")
    if s.sortie.source:
        _sub(rte, "src", s.sortie.source)
    _sub(rte, "type", "sortie")
    for i, wp in enumerate(s.sortie.route):
        leg = s.legs[i - 1] if i else None
        parts = [
            *(f"refuel from {r.tanker}" for r in wp.refuels),
            *("hold" for _ in wp.holds),
            *(f"launch {ln.count} × {ln.weapon}" for ln in wp.launches),
        ]
        if leg:
            parts.append(
                f"leg {format_distance(leg.distance_m, units)}, cumulative {format_distance(leg.cumulative_m, units)}"
            )
        if s.departure_times[i] != s.arrival_times[i]:
            parts.append(f"departs {iso_utc(s.departure_times[i])}")
        if wp.note:
            parts.append(wp.note)
        pt = _point(rte, "rtept", wp.point.lat_deg, wp.point.lon_deg)
        _sub(pt, "time", iso_utc_s(s.arrival_times[i]))
        _sub(pt, "name", wp.point.name)
        if parts:
            _sub(pt, "desc", "; ".join(parts))
        if wp.point.source:
            _sub(pt, "src", wp.point.source)


def _weapon_route(gpx: etree._Element, t: WeaponTrack, units: Units) -> None:
    rte = _sub(gpx, "rte")
    _sub(rte, "name", f"{t.weapon} → {t.target.name}")
    _sub(rte, "desc", f"{t.count} × {t.weapon} from {t.launcher}; {format_distance(t.distance_m, units)}")
    if t.launch.source:
        _sub(rte, "src", t.launch.source)
    _sub(rte, "type", "weapon")
    points = (t.origin, *t.launch.via, t.target)
    lat = np.array([p.lat_deg for p in points])
    lon = np.array([p.lon_deg for p in points])
    along = np.concatenate(([0.0], np.cumsum(geodesy.leg_distances_m(lat, lon))))
    seconds = t.seconds_after_launch(along)  # None for an untimed weapon (no known speed): no times
    times = [None] * len(points) if seconds is None else iso_times(t.launch_time.timestamp() + seconds)
    for p, when in zip(points, times, strict=True):
        pt = _point(rte, "rtept", p.lat_deg, p.lon_deg)
        if when is not None:
            _sub(pt, "time", when)
        _sub(pt, "name", p.name)


def _observed_track(gpx: etree._Element, track: ObservedLine) -> None:
    trk = _sub(gpx, "trk")
    _sub(trk, "name", track.name)
    if track.description:
        _sub(trk, "desc", track.description)
    _sub(trk, "type", "observed")
    for part in track.parts:
        seg = _sub(trk, "trkseg")
        for lat, lon, when in zip(part.lat_deg.tolist(), part.lon_deg.tolist(), iso_times(part.time_s), strict=True):
            pt = _point(seg, "trkpt", lat, lon)
            _sub(pt, "time", when)


def mission_gpx(result: MissionResult, *, units: Units = "km", observed: Sequence[ObservedLine] = ()) -> bytes:
    """The mission as a GPX 1.1 document (UTF-8 bytes); see the module."""
    mission = result.mission
    gpx = etree.Element(_G + "gpx", nsmap={None: GPX_NS})
    gpx.set("version", "1.1")
    gpx.set("creator", CREATOR)
    meta = _sub(gpx, "metadata")
    _sub(meta, "name", mission.name)
    desc = "; ".join(x for x in (mission.date, mission.description) if x)
    if desc:
        _sub(meta, "desc", desc)
    if result.start_time is not None:
        _sub(meta, "time", iso_utc_s(result.start_time))
    for s in result.sorties:
        _sortie_route(gpx, s, units)
    for t in result.weapons:
        _weapon_route(gpx, t, units)
    for track in observed:
        _observed_track(gpx, track)
    return etree.tostring(gpx, xml_declaration=True, encoding="UTF-8", pretty_print=True)
