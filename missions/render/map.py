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

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import folium
import folium.plugins
from branca.element import Element

from ..analysis import MissionResult
from ..export.kml import ObservedLine
from ..units import M_PER_NM, Units
from .common import (
    _TILE_PROVIDERS,
    COORD_DECIMALS,
    FINDING_COLOUR,
    MAX_SORTIE_LAYERS,
    OVERFLIGHT_COLOUR,
    REFUEL_COLOUR,
    SORTIE_COLOURS,
    TILES,
    WEAPON_COLOUR,
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
    page_of,
)
from .payload import map_payload, sortie_colours
from .records import decode_polyline, encode_polyline

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
    units: Units = "km",
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
    if tiles not in TILES:
        raise ValueError(f"tiles must be one of {list(TILES)}, not {tiles!r}")
    payload = map_payload(
        result, units=units, rings=rings, overflight=overflight, feasibility=feasibility, airspace=airspace,
        range_rings_at=range_rings_at, observed=observed,
    )  # fmt: skip
    bounds = payload.bounds
    centre = [(bounds[0][0] + bounds[1][0]) / 2, (bounds[0][1] + bounds[1][1]) / 2]

    m = folium.Map(location=centre, zoom_start=3, tiles=None, control_scale=True, world_copy_jump=False)
    # only Leaflet itself: no Bootstrap, jQuery, icon fonts (no marker here uses them)
    m.default_js = [js for js in m.default_js if js[0] == "leaflet"]
    m.default_css = [css for css in m.default_css if css[0] == "leaflet_css"]
    root = page_of(m)
    root.header.add_child(Element(f"<title>{_text(result.mission.name)}</title>"), name="title")
    root.header.add_child(Element(_CSS), name="mission_css")
    _MissionScripts().add_to(m)

    _Basemap(payload.flown, show=tiles == "offline").add_to(m)
    if tiles != "offline":
        _tile_layer(tiles, show=True).add_to(m)
    groups = [_Group(g.label, show=g.show) for g in payload.groups]
    for group in groups:
        group.add_to(m)
    layers = _MissionLayers(payload.data, groups, payload.options)
    layers.add_to(m)
    if payload.labelled_groups:
        _WaypointLabels(groups[: payload.labelled_groups]).add_to(m)
    _PlaceLabels(show=tiles == "offline").add_to(m)
    if payload.clock_period is not None:
        _MissionClock(layers, payload.clock_period).add_to(m)
    _measure_control().add_to(m)
    folium.plugins.Fullscreen(position="topleft").add_to(m)
    _Legend(payload.legend_html).add_to(m)
    folium.LayerControl(position="topright", collapsed=payload.collapsed).add_to(m)
    _FitView(bounds).add_to(m)  # last: it measures the controls
    return m


def _measure_control() -> folium.plugins.MeasureControl:
    """The measuring tool, in km and nautical miles."""
    return folium.plugins.MeasureControl(
        position="topleft",
        primary_length_unit="kilometers",
        secondary_length_unit="nauticalmiles",
        primary_area_unit="sqkilometers",
        secondary_area_unit="sqnauticalmiles",
        units={
            "nauticalmiles": {"factor": 1.0 / M_PER_NM, "display": "nautical miles", "decimals": 1},
            "sqkilometers": {"factor": 1e-6, "display": "km²", "decimals": 0},
            "sqnauticalmiles": {"factor": 1.0 / M_PER_NM**2, "display": "NM²", "decimals": 0},
        },
    )
