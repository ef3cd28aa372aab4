"""The range rings an export draws (``--rings``): which rings, their radii and sources.

The same choice as the map's (:mod:`missions.render.records`): each weapon's longest range around
its launch point (the launch's own ``range`` if the file gives it, else the catalogue's maximum),
once per weapon and point; and half each aircraft type's longest unrefuelled range around its
base, once per type and base. Weapons and aircraft the catalogue lacks get no ring.
"""

from __future__ import annotations

from dataclasses import dataclass

import shapely

from .. import geodesy
from ..analysis import MissionResult
from ..errors import CatalogError

#: vertices per ring
RING_VERTICES = 180


@dataclass(frozen=True)
class RangeRing:
    """A geodesic ring ``radius_m`` around a point, with what it stands for."""

    label: str
    centre_name: str
    lat_deg: float
    lon_deg: float
    radius_m: float
    source: str
    polygon: shapely.Polygon  #: (lon, lat), longitudes unwrapped around the centre


def _ring(label: str, centre: str, lat: float, lon: float, radius_m: float, source: str) -> RangeRing:
    return RangeRing(
        label=label,
        centre_name=centre,
        lat_deg=lat,
        lon_deg=lon,
        radius_m=radius_m,
        source=source,
        polygon=geodesy.geodesic_ring(lat, lon, radius_m, n_vertices=RING_VERTICES),
    )


def range_rings(result: MissionResult) -> tuple[RangeRing, ...]:
    """Weapon ranges around launch points, half the unrefuelled range around each sortie's base."""
    from ..performance import find_aircraft, find_weapon

    rings: list[RangeRing] = []
    done: set[tuple[str, float, float]] = set()
    for track in result.weapons:
        key = (track.weapon, round(track.origin.lat_deg, 4), round(track.origin.lon_deg, 4))
        if key in done:
            continue
        done.add(key)
        if track.launch.range_m:
            radius_m, source = (
                track.launch.range_m,
                "mission file" + (f": {track.launch.source}" * bool(track.launch.source)),
            )
        else:
            try:
                figure = find_weapon(track.weapon).range_km
            except CatalogError:
                continue
            if figure is None:
                continue
            radius_m, source = figure.max * 1000.0, "; ".join(str(s) for s in figure.sources)
        o = track.origin
        rings.append(_ring(f"{track.weapon} range from {o.name}", o.name, o.lat_deg, o.lon_deg, radius_m, source))
    for s in result.sorties:
        base = s.sortie.route[0].point
        key = (s.sortie.aircraft, round(base.lat_deg, 4), round(base.lon_deg, 4))
        if key in done:
            continue
        done.add(key)
        try:
            aircraft_range = find_aircraft(s.sortie.aircraft).unrefuelled_range_km
        except CatalogError:
            continue
        if aircraft_range is None:
            continue
        rings.append(
            _ring(
                f"{s.sortie.aircraft}: half its unrefuelled range from {base.name}",
                base.name,
                base.lat_deg,
                base.lon_deg,
                aircraft_range.max * 1000.0 / 2.0,
                "; ".join(str(x) for x in aircraft_range.sources),
            )
        )
    return tuple(rings)
