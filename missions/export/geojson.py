"""A computed mission as an RFC 7946 GeoJSON FeatureCollection.

Coordinates are (lon, lat) in WGS84 with longitudes in [-180, 180]: routes and weapon tracks are
the core's densified geodesic lines cut at the antimeridian (:func:`missions.geodesy.split_antimeridian`),
so a trans-Pacific route is a ``MultiLineString`` (RFC 7946 §3.1.9). Coordinates are rounded to
6 decimals (≈0.1 m, RFC 7946 §11.2). Times are ISO 8601 UTC; distances are in metres
(``*_m``), durations in seconds (``*_s``).

Features, told apart by the ``kind`` property:

- ``route``: one per sortie (``sortie``, ``aircraft``, ``count``, ``takeoff``, ``landing``,
  ``distance_m``, ``duration_s``, ``refuels``, ``source``);
- ``waypoint``: one per waypoint (``sortie``, ``index``, ``name``, ``written``, ``arrival``,
  ``departure``, ``leg_distance_m``, ``cumulative_m``, ``events``, ``note``, ``source``);
- ``weapon``: one per weapon track (``weapon``, ``count``, ``launcher``, ``from``, ``target``,
  ``launch``, ``impact``, ``distance_m``, ``time_of_flight_s``, ``source``).

The collection carries the mission's ``name``, ``date`` and ``sources`` in a foreign member
``mission`` (RFC 7946 §6.1).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely

from ..analysis import MissionResult, SortieResult, WeaponTrack
from ..geodesy import split_antimeridian
from ..units import iso_utc, iso_utc_or_none

#: decimals of a degree kept in coordinates (1e-6° ≈ 0.11 m)
COORD_DECIMALS = 6


def _wrap_lon(lon_deg: float) -> float:
    """A longitude in [-180, 180) (180 stays 180)."""
    return lon_deg if -180.0 <= lon_deg <= 180.0 else (lon_deg + 180.0) % 360.0 - 180.0


def _position(lat_deg: float, lon_deg: float) -> list[float]:
    return [round(_wrap_lon(lon_deg), COORD_DECIMALS), round(lat_deg, COORD_DECIMALS)]


def _line_geometry(line: shapely.LineString) -> dict[str, Any]:
    """A LineString, or a MultiLineString when the line crosses the antimeridian."""
    geom = split_antimeridian(line)
    parts = list(geom.geoms) if isinstance(geom, shapely.MultiLineString) else [geom]
    coords = [np.round(np.asarray(p.coords)[:, :2], COORD_DECIMALS).tolist() for p in parts]
    if len(coords) == 1:
        return {"type": "LineString", "coordinates": coords[0]}
    return {"type": "MultiLineString", "coordinates": coords}


def _feature(geometry: dict[str, Any], **properties: Any) -> dict[str, Any]:
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def _sortie_features(s: SortieResult) -> list[dict[str, Any]]:
    sortie = s.sortie
    features = [
        _feature(
            _line_geometry(s.line),
            kind="route",
            sortie=sortie.name,
            aircraft=sortie.aircraft,
            count=sortie.count,
            takeoff=iso_utc(s.takeoff_time),
            landing=iso_utc(s.landing_time),
            distance_m=s.distance_m,
            duration_s=s.duration_s,
            refuels=s.refuel_count,
            source=sortie.source,
        )
    ]
    for i, wp in enumerate(sortie.route):
        leg = s.legs[i - 1] if i else None
        events = (
            [f"refuel ({r.tanker})" for r in wp.refuels]
            + ["hold"] * len(wp.holds)
            + [f"join {j.sortie}" for j in wp.joins]
            + [f"launch {ln.weapon}" for ln in wp.launches]
        )
        features.append(
            _feature(
                {"type": "Point", "coordinates": _position(wp.point.lat_deg, wp.point.lon_deg)},
                kind="waypoint",
                sortie=sortie.name,
                index=i,
                name=wp.point.name,
                written=wp.point.label,
                arrival=iso_utc(s.arrival_times[i]),
                departure=iso_utc(s.departure_times[i]),
                leg_distance_m=leg.distance_m if leg else 0.0,
                cumulative_m=leg.cumulative_m if leg else 0.0,
                events=events,
                note=wp.note,
                source=wp.point.source,
            )
        )
    return features


def _weapon_feature(t: WeaponTrack) -> dict[str, Any]:
    return _feature(
        _line_geometry(t.line),
        kind="weapon",
        weapon=t.weapon,
        count=t.count,
        launcher=t.launcher,
        **{"from": t.origin.name},
        target=t.target.name,
        via=[p.name for p in t.launch.via],
        launch=iso_utc(t.launch_time),
        impact=iso_utc_or_none(t.impact_time),  # null (with time_of_flight_s) for an untimed weapon
        distance_m=t.distance_m,
        time_of_flight_s=t.time_of_flight_s,
        source=t.launch.source,
    )


def mission_geojson(result: MissionResult) -> dict[str, Any]:
    """The mission as an RFC 7946 FeatureCollection (a JSON-ready dict; see the module)."""
    mission = result.mission
    features = [f for s in result.sorties for f in _sortie_features(s)]
    features += [_weapon_feature(t) for t in result.weapons]
    return {
        "type": "FeatureCollection",
        "mission": {
            "name": mission.name,
            "date": mission.date,
            "description": mission.description,
            "sources": [{"title": s.title, "url": s.url} for s in mission.sources],
        },
        "features": features,
    }
