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
- Untrusted text (every string of the mission file) is escaped in Python (``_text`` and
  ``_linkified`` in :mod:`missions.render.common`) before it is put in any popup, tooltip,
  layer-control label, legend or title; the JavaScript only joins those prepared strings with its
  own markup. Only ``http``/``https`` addresses become links. Braces are escaped too (folium runs
  scripts through Jinja).
- No icon fonts: markers are Leaflet circle markers and small inline SVG symbols. Missions with
  thousands of features are drawn on a canvas (``_SVG_MAX_FEATURES``), without direction arrows.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import folium
import folium.plugins
from branca.element import Element

from ..analysis import MissionResult
from ..export.kml import ObservedLine
from ..findings import STATUS_TEXT
from ..units import UNIT_LABEL, UNIT_M, format_distance, format_duration
from .common import (
    _LEGEND_SORTIES,
    _TILE_PROVIDERS,
    COORD_DECIMALS,
    FINDING_COLOUR,
    MAX_SORTIE_LAYERS,
    OVERFLIGHT_COLOUR,
    REFUEL_COLOUR,
    SORTIE_COLOURS,
    TILES,
    WEAPON_COLOUR,
    _popup,
    _source_html,
    _text,
)
from .elements import (
    _CSS,
    _Basemap,
    _FitView,
    _Group,
    _Legend,
    _MissionClock,
    _MissionLayers,
    _MissionScripts,
    _PlaceLabels,
    _WaypointLabels,
)
from .observed import OBSERVED_COLOUR, observed_records
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
    encode_polyline,
)

if TYPE_CHECKING:
    from ..airspace import MissionAirspace
    from ..feasibility import Feasibility

__all__ = [
    "COORD_DECIMALS",
    "FINDING_COLOUR",
    "MAX_SORTIE_LAYERS",
    "OVERFLIGHT_COLOUR",
    "REFUEL_COLOUR",
    "SORTIE_COLOURS",
    "TILES",
    "WEAPON_COLOUR",
    "build_map",
    "decode_polyline",
    "encode_polyline",
    "sortie_colours",
]


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
    units: str,
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
    observed: Sequence[ObservedLine] = (),
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
    observed:
        Observed tracks (:func:`missions.tracks.observed.observed_lines`): a layer each, drawn
        beside the routes (thinned within 1 km), their coverage gaps dashed, on the same clock.

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
    _MissionScripts().add_to(m)

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
    observed_g = []
    for line in observed:
        observed_g.append(len(groups))
        groups.append(_Group(_layer_label(line.name, OBSERVED_COLOUR)))
    feasibility_g = airspace_g = None
    if feasibility is not None:
        feasibility_g = len(groups)
        groups.append(_Group(_layer_label("Feasibility", FINDING_COLOUR)))
    if airspace is not None:  # large shaded areas: off at first (the basemap tints the countries already)
        airspace_g = len(groups)
        groups.append(_Group(_layer_label("Countries overflown", OVERFLIGHT_COLOUR), show=False))

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
        groups[feasibility_g].show = not _larger_than(areas, bounds, _LARGE_OVERLAY_RATIO)
    for group in groups:
        group.add_to(m)
    if airspace is not None and airspace_g is not None:
        areas = _airspace_records(airspace, airspace_g, units, text) + areas
    if airspace is not None:
        findings += [
            {"group": airspace_g, "position": [round(f.lon_deg, COORD_DECIMALS), round(f.lat_deg, COORD_DECIMALS)],
             "tooltip": text(_text(f"Airspace to avoid: {f.sortie or ''}")),
             "popup": text(_popup("Airspace to avoid", _text(f.sortie or ""), [("Finding", _text(f.message))]))}
            for f in airspace.findings if f.lat_deg is not None and f.lon_deg is not None
            and (feasibility is None or f not in feasibility.findings)  # else drawn with the feasibility layer
        ]  # fmt: skip
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
    layers = _MissionLayers(data, groups)
    layers.add_to(m)
    if sorties or weapons:
        _WaypointLabels(groups[: weapons_g + (1 if result.weapons else 0)]).add_to(m)
    _PlaceLabels(show=tiles == "offline").add_to(m)
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
    statuses = (
        {sf.result.sortie.name: f"feasibility: {STATUS_TEXT[sf.status]}" for sf in feasibility.sorties}
        if feasibility is not None
        else None
    )
    _Legend(_legend_html(result, colours, units, rings, findings=bool(findings), statuses=statuses)).add_to(m)
    folium.LayerControl(position="topright", collapsed=len(groups) > 12).add_to(m)
    _FitView(bounds).add_to(m)  # last: it measures the controls
    return m


#: an overlay whose extent is more than this many times the mission's (in latitude or longitude) starts hidden
_LARGE_OVERLAY_RATIO = 2.0


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
