"""Planned routes on the map: which stretches of a sortie's line were planned, and the airspace the
planner avoided (a light layer), as page data (no folium here).

A leg is planned when it starts or ends at a turning point chosen by the planner (a ``plan:`` route
item: :attr:`missions.model.Point.planned`), as the report's ``*`` and the JSON's ``planned`` say
(:class:`missions.tables.LegRow`). The avoided airspace is the sovereign airspace of the units the
sorties' planned stretches avoided (:attr:`missions.model.Sortie.planned_avoid`), simplified for
drawing (:func:`missions.airspace.sovereign.avoided_shapes`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..analysis import MissionResult, SortieResult
from .common import _popup, _text
from .records import _area_record, _Strings

#: the avoided airspace's colour and fill opacity (a light wash under the routes)
AVOIDED_COLOUR = "#7d3c98"
AVOIDED_FILL = 0.08


def planned_ranges(s: SortieResult, waypoint_vertex: Sequence[int]) -> list[list[int]]:
    """``[first, last]`` vertex ranges of the sortie's line along its planned legs (merged when they touch)."""
    route = s.sortie.route
    out: list[list[int]] = []
    for k in range(len(route) - 1):
        if not (route[k].point.planned or route[k + 1].point.planned):
            continue
        a, b = int(waypoint_vertex[k]), int(waypoint_vertex[k + 1])
        if out and out[-1][1] == a:
            out[-1][1] = b
        else:
            out.append([a, b])
    return out


def avoided_codes(result: MissionResult) -> tuple[str, ...]:
    """The units any sortie's planned stretches avoided, in order of first mention."""
    codes: dict[str, None] = {}
    for s in result.sorties:
        codes.update(dict.fromkeys(s.sortie.planned_avoid))
    return tuple(codes)


def avoided_records(codes: Sequence[str], g: int, text: _Strings) -> list[dict[str, Any]]:
    """The avoided airspace of ``codes`` as area records of layer ``g`` (one per unit)."""
    from ..airspace.sovereign import avoided_shapes

    records = []
    for iso3, name, geom in avoided_shapes(tuple(codes)):
        title = f"{_text(name)} ({_text(iso3)})"
        tip = f"{title}: airspace avoided by the planned route"
        pop = _popup(
            title, "airspace avoided by the planned route", [("Airspace", "land, internal waters, territorial sea")]
        )
        records.append(_area_record(geom, g, AVOIDED_COLOUR, tip, pop, text, AVOIDED_FILL))
    return records
