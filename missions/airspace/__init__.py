"""Sovereign airspace: the country index, overflight per leg, territorial-sea bands, passages.

Modules: :mod:`.index` (country polygons under an STRtree, disk cache), :mod:`.overflight` (the
countries a geodesic leg crosses, as :class:`.crossing.Crossing` records), :mod:`.clip` (its
densify-and-clip machinery), :mod:`.bands`
(territorial-sea bands), :mod:`.passages` (a computed mission's passages, times and ``avoid``
findings).

The names below are imported on first use (as :mod:`missions` does): parsing a mission file
imports :mod:`.groups` and :mod:`.mission_plan` only, so a report without countries
(``--no-countries``) never loads the overflight machinery.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .crossing import INTERNATIONAL_WATERS, Crossing
    from .index import NM_M, CountryIndex, check_iso3, country_index, load_index, save_index, subdivide
    from .overflight import (
        avoid_hits,
        leg_crossings,
        legs_crossings,
        route_crossings,
    )
    from .passages import CountryTotal, MissionAirspace, Passage, RouteAirspace, mission_airspace

_LAZY = {
    **dict.fromkeys(
        ("NM_M", "CountryIndex", "check_iso3", "country_index", "load_index", "save_index", "subdivide"), ".index"
    ),
    **dict.fromkeys(("INTERNATIONAL_WATERS", "Crossing"), ".crossing"),
    **dict.fromkeys(("avoid_hits", "leg_crossings", "legs_crossings", "route_crossings"), ".overflight"),
    **dict.fromkeys(("CountryTotal", "MissionAirspace", "Passage", "RouteAirspace", "mission_airspace"), ".passages"),
}

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


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
