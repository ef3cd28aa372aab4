"""Sovereign airspace: the country index, overflight per leg, territorial-sea bands, passages.

Modules: :mod:`.index` (country polygons under an STRtree, disk cache), :mod:`.overflight` (the
countries a geodesic leg crosses), :mod:`.clip` (its densify-and-clip machinery), :mod:`.bands`
(territorial-sea bands), :mod:`.passages` (a computed mission's passages, times and ``avoid``
findings).
"""

from .index import NM_M, CountryIndex, check_iso3, country_index, load_index, save_index, subdivide
from .overflight import (
    INTERNATIONAL_WATERS,
    Crossing,
    avoid_hits,
    leg_crossings,
    legs_crossings,
    route_crossings,
)
from .passages import CountryTotal, MissionAirspace, Passage, RouteAirspace, mission_airspace

__all__ = [
    "INTERNATIONAL_WATERS",
    "NM_M",
    "CountryIndex",
    "CountryTotal",
    "Crossing",
    "MissionAirspace",
    "Passage",
    "RouteAirspace",
    "avoid_hits",
    "check_iso3",
    "country_index",
    "leg_crossings",
    "legs_crossings",
    "load_index",
    "mission_airspace",
    "route_crossings",
    "save_index",
    "subdivide",
]
