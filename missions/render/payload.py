"""The map's content as data, without folium: groups, page data, legend, view, clock.

:func:`map_payload` is the one place that decides what a mission's map shows. Two faces read it:

- :func:`missions.render.map.build_map` turns it into a standalone Folium page (the HTML export);
- the dashboard's mounted map (``assets/js/mount.js``, :mod:`missions.dashboard.map`) receives it as
  JSON on every change and redraws only the mission, keeping Leaflet, the basemap and the view.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..analysis import MissionResult
from ..findings import STATUS_TEXT
from ..units import UNIT_LABEL, Units, check_units, format_count, format_distance, format_duration, iso_duration
from .common import (
    _LEGEND_SORTIES,
    _SVG_MAX_FEATURES,
    COORD_DECIMALS,
    FINDING_COLOUR,
    MAX_SORTIE_LAYERS,
    OVERFLIGHT_COLOUR,
    REFUEL_COLOUR,
    SORTIE_COLOURS,
    WEAPON_COLOUR,
    _popup,
    _source_html,
    _text,
)
from .observed import OBSERVED_COLOUR, observed_records
from .planned import AVOIDED_COLOUR, avoided_codes, avoided_records, planned_ranges
from .records import (
    _airspace_records,
    _bounds,
    _clock_step_s,
    _feasibility_records,
    _ring_records,
    _sortie_record,
    _Strings,
    _weapon_records,
    decode_polyline,
)

if TYPE_CHECKING:
    from ..airspace import MissionAirspace
    from ..export.kml import ObservedLine
    from ..feasibility import Feasibility

#: the time control's options (Leaflet.TimeDimension's, as folium's TimestampedGeoJson spells them)
CLOCK_CONTROL: dict[str, Any] = {
    "position": "bottomleft",
    "minSpeed": 0.1,
    "maxSpeed": 20,
    "autoPlay": False,
    "loopButton": False,
    "timeSliderDragUpdate": True,
    "speedSlider": False,
    "playerOptions": {"transitionTime": 100, "loop": True, "startOver": True},
}
#: the layer list starts collapsed beyond this many layers
_COLLAPSED_LAYERS = 12
#: an overlay whose extent is more than this many times the mission's (in latitude or longitude) starts hidden
_LARGE_OVERLAY_RATIO = 2.0


@dataclass(frozen=True, kw_only=True)
class LayerGroup:
    """One overlay of the layer list: its label (HTML, escaped) and whether it starts shown."""

    label: str
    show: bool = True


@dataclass(frozen=True, kw_only=True)
class MapPayload:
    """Everything a mission adds to a map (the basemap, place names and controls are the page's own).

    ``data`` is the page data of ``assets/js/README.md``; records refer to ``groups`` by index.
    """

    #: the page data (routes, weapons, markers, rings, areas, findings, observed tracks, strings)
    data: dict[str, Any]
    #: the overlays, in the order of the layer list
    groups: tuple[LayerGroup, ...]
    #: markers of the first ``labelled_groups`` groups (sorties, weapons) are named by the waypoint-names layer
    labelled_groups: int
    #: ``{"canvas": bool, "colours": {...}}`` for ``MissionMap.layers``
    options: dict[str, Any]
    #: the legend's HTML (escaped)
    legend_html: str
    #: ``[[south, west], [north, east]]`` in degrees, longitudes unwrapped
    bounds: list[list[float]]
    #: Natural Earth ADM0_A3 codes of the countries overflown (shaded on the basemap)
    flown: tuple[str, ...]
    #: the clock tick as an ISO 8601 duration; None when there is nothing to play
    clock_period: str | None
    #: whether the layer list starts collapsed
    collapsed: bool

    def page(self) -> dict[str, Any]:
        """The payload as the mounted map reads it (``assets/js/mount.js``)."""
        return {
            "data": self.data,
            "groups": [{"label": g.label, "show": g.show} for g in self.groups],
            "labelled_groups": self.labelled_groups,
            "options": self.options,
            "legend": self.legend_html,
            "bounds": self.bounds,
            "flown": list(self.flown),
            "clock": None if self.clock_period is None else {"period": self.clock_period, "control": CLOCK_CONTROL},
            "collapsed": self.collapsed,
        }

    def page_json(self) -> str:
        """:meth:`page` as compact JSON."""
        return json.dumps(self.page(), separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def overflight_codes(overflight: Iterable[Any]) -> tuple[str, ...]:
    """ADM0_A3 codes from codes, or from crossings with an ``iso3`` (``None``: international waters)."""
    codes = {getattr(item, "iso3", item) for item in overflight}
    return tuple(sorted(str(code) for code in codes if code))


def use_canvas(data: dict[str, Any]) -> bool:
    """Whether the mission has so many features that it is drawn on a canvas (without arrows)."""
    markers = sum(len(r["waypoint_vertex"]) for r in data["sorties"])
    return len(data["sorties"]) + len(data["weapons"]) + markers > _SVG_MAX_FEATURES


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
    result: MissionResult,
    colours: dict[str, str],
    units: Units,
    rings: bool,
    findings: bool = False,
    statuses: dict[str, str] | None = None,
) -> str:
    """The legend; ``statuses`` (sortie name → feasibility verdict text) adds each sortie's one verdict."""
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
            f"{format_distance(s.distance_m, units)}, {format_duration(s.duration_s)}"
            + (f" — {_text(statuses[s.sortie.name])}" if statuses and s.sortie.name in statuses else "")
            + "</span></div>"
        )
    if len(result.sorties) > _LEGEND_SORTIES:
        more = len(result.sorties) - _LEGEND_SORTIES
        parts.append(f'<div class="msn-sub">and {format_count(more, "more sortie")} (colours repeat)</div>')
    if result.weapons:
        count = sum({id(t.launch): t.count for t in result.weapons}.values())  # a launch's count covers its targets
        parts.append(
            f'<div class="msn-row"><span class="msn-line dashed" style="border-color:{WEAPON_COLOUR}">'
            f"</span><span>weapon tracks ({len(result.weapons)}; {format_count(count, 'weapon')})</span></div>"
        )
    if any(w.point.planned for s in result.sorties for w in s.sortie.route):
        parts.append(
            '<div class="msn-row"><span class="msn-line dashed" style="border-color:#555"></span>'
            "<span>planned legs (the shortest permitted route)</span></div>"
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


def map_payload(
    result: MissionResult,
    *,
    units: Units = "km",
    rings: bool = False,
    overflight: Iterable[Any] | None = None,
    feasibility: Feasibility | None = None,
    airspace: MissionAirspace | None = None,
    range_rings_at: Iterable[tuple[str, int]] = (),
    observed: Sequence[ObservedLine] = (),
    basemap_countries: bool = False,
) -> MapPayload:
    """What a mission adds to a map; the arguments are :func:`missions.render.map.build_map`'s.

    ``basemap_countries``: the overflown countries named by their codes, for a page that holds the
    basemap's shapes (the dashboard's mounted map: ``assets/js/mount.js``), not drawn as polygons.

    Raises
    ------
    ValueError
        For an unknown ``units``.
    """
    unit = check_units(units)  # ValueError for an unknown unit
    colours = sortie_colours(result)
    lines = [s.line for s in result.sorties] + [t.line for t in result.weapons]
    bounds = _bounds(lines) or [[-60.0, -180.0], [75.0, 180.0]]

    sortie_groups: dict[str, int] = {}
    groups: list[LayerGroup] = []
    if len(result.sorties) <= MAX_SORTIE_LAYERS:
        for s in result.sorties:
            sortie_groups[s.sortie.name] = len(groups)
            groups.append(LayerGroup(label=_layer_label(s.sortie.name, colours[s.sortie.name])))
    else:  # a layer control of hundreds of check boxes helps nobody (and Leaflet rebuilds it slowly)
        by_aircraft: dict[str, list[str]] = {}
        for s in result.sorties:
            by_aircraft.setdefault(s.sortie.aircraft, []).append(s.sortie.name)
        for aircraft, names in by_aircraft.items():
            for name in names:
                sortie_groups[name] = len(groups)
            label = f"{aircraft} ({format_count(len(names), 'sortie')})"
            groups.append(LayerGroup(label=_layer_label(label, colours[names[0]])))
    weapons_g = len(groups)
    if result.weapons:
        groups.append(LayerGroup(label=_layer_label("Weapons", WEAPON_COLOUR, dashed=True)))
    rings_g = None
    if rings:
        rings_g = len(groups)
        groups.append(LayerGroup(label=_layer_label("Range rings", "#666", dashed=True)))
    observed_g = []
    for line in observed:
        observed_g.append(len(groups))
        groups.append(LayerGroup(label=_layer_label(line.name, OBSERVED_COLOUR)))
    feasibility_g = airspace_g = None
    if feasibility is not None:
        feasibility_g = len(groups)
        groups.append(LayerGroup(label=_layer_label("Feasibility", FINDING_COLOUR)))
    if airspace is not None:  # large shaded areas: off at first (the basemap tints the countries already)
        airspace_g = len(groups)
        groups.append(LayerGroup(label=_layer_label("Countries overflown", OVERFLIGHT_COLOUR), show=False))
    avoided = avoided_codes(result)
    avoided_g = None
    if avoided:  # the airspace the planned stretches avoided: a light wash, shown
        avoided_g = len(groups)
        groups.append(LayerGroup(label=_layer_label("Airspace avoided by the planned route", AVOIDED_COLOUR)))

    t0 = result.start_time or dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    text = _Strings()
    sorties = [
        _sortie_record(s, sortie_groups[s.sortie.name], colours[s.sortie.name], units, t0, text) for s in result.sorties
    ]
    for record, s in zip(sorties, result.sorties, strict=True):
        ranges = planned_ranges(s, record["waypoint_vertex"])
        if ranges:
            record["planned"] = ranges  # vertex ranges of the planned legs (drawn dashed)
    weapons = _weapon_records(result.weapons, weapons_g, units, t0, set(sortie_groups), text)
    ring_records = _ring_records(result, rings_g, unit, colours, text) if rings_g is not None else []
    areas: list[dict[str, Any]] = []
    findings: list[dict[str, Any]] = []
    if feasibility is not None and feasibility_g is not None:
        areas, findings = _feasibility_records(feasibility, feasibility_g, units, text, range_rings_at)
        groups[feasibility_g] = LayerGroup(
            label=groups[feasibility_g].label, show=not _larger_than(areas, bounds, _LARGE_OVERLAY_RATIO)
        )
    if airspace is not None and airspace_g is not None:
        areas = _airspace_records(airspace, airspace_g, units, text, basemap_countries) + areas
        findings += [
            {"group": airspace_g, "position": [round(f.lon_deg, COORD_DECIMALS), round(f.lat_deg, COORD_DECIMALS)],
             "tooltip": text(_text(f"Airspace to avoid: {f.sortie or ''}")),
             "popup": text(_popup("Airspace to avoid", _text(f.sortie or ""), [("Finding", _text(f.message))]))}
            for f in airspace.findings if f.lat_deg is not None and f.lon_deg is not None
            and (feasibility is None or f not in feasibility.findings)  # else drawn with the feasibility layer
        ]  # fmt: skip
    if avoided_g is not None:
        areas = avoided_records(avoided, avoided_g, text) + areas
    end = result.end_time or t0
    step_s = _clock_step_s(max((end - t0).total_seconds(), 60.0))
    data = {
        "t0_ms": round(t0.timestamp() * 1000),
        "step_s": step_s,
        "sorties": sorties,
        "weapons": weapons,
        "rings": ring_records,
        "areas": areas,
        "findings": findings,
        "observed": observed_records(observed, observed_g, t0, text),
        "strings": text.table(),
    }
    if overflight is None and airspace is not None:
        overflight = [p for route in (*airspace.sorties.values(), *airspace.weapons) for p in route.passages]
    statuses = (
        {sf.result.sortie.name: f"feasibility: {STATUS_TEXT[sf.status]}" for sf in feasibility.sorties}
        if feasibility is not None
        else None
    )
    colour_options = {"weapon": WEAPON_COLOUR, "refuel": REFUEL_COLOUR, "finding": FINDING_COLOUR}
    return MapPayload(
        data=data,
        groups=tuple(groups),
        labelled_groups=(weapons_g + (1 if result.weapons else 0)) if (sorties or weapons) else 0,
        options={"canvas": use_canvas(data), "colours": colour_options},
        legend_html=_legend_html(result, colours, unit, rings, findings=bool(findings), statuses=statuses),
        bounds=bounds,
        flown=overflight_codes(overflight or ()),
        clock_period=iso_duration(step_s) if (sorties or weapons) else None,
        collapsed=len(groups) > _COLLAPSED_LAYERS,
    )


def _larger_than(areas: list[dict[str, Any]], bounds: list[list[float]], ratio: float) -> bool:
    """Whether the areas' outer rings span more than ``ratio`` times ``bounds`` in latitude or longitude."""
    rings = [decode_polyline(polygon[0]) for area in areas for polygon in area["polygons"]]
    if not rings:
        return False
    lons = [lon for ring in rings for lon, _ in ring]
    lats = [lat for ring in rings for _, lat in ring]
    lat_span = max(bounds[1][0] - bounds[0][0], 1.0)
    lon_span = max(bounds[1][1] - bounds[0][1], 1.0)
    return max(lats) - min(lats) > ratio * lat_span or max(lons) - min(lons) > ratio * lon_span
