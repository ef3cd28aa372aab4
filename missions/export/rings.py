"""The range rings an export draws (``--rings``): which rings, their radii and sources.

The choice is the map's, :func:`missions.rings.ring_choices`: each weapon's longest range around
its launch point, half each aircraft type's longest unrefuelled range around its base.
"""

from __future__ import annotations

from dataclasses import dataclass

import shapely

from .. import geodesy
from ..analysis import MissionResult
from ..rings import RingKind, ring_choices

#: vertices per ring
RING_VERTICES = 180


@dataclass(frozen=True, kw_only=True)
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
    rings: list[RangeRing] = []
    for c in ring_choices(result):
        o = c.centre
        if c.kind is RingKind.WEAPON:
            label = f"{c.name} range from {o.name}"
        else:
            label = f"{c.name}: half its unrefuelled range from {o.name}"
        if c.figure is None:
            source = "mission file" + (f": {c.file_source}" if c.file_source else "")
        else:
            source = "; ".join(str(x) for x in c.figure.sources)
        rings.append(_ring(label, o.name, o.lat_deg, o.lon_deg, c.radius_m, source))
    return tuple(rings)
