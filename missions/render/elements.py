"""The folium elements that put the page data on the map: basemap, mission layers, clock, legend."""

from __future__ import annotations

import base64
import functools
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import folium
import folium.plugins
import numpy as np
from branca.element import Element, Figure, MacroElement
from folium.elements import JSCSSMixin
from folium.template import Template

from .common import _BASEMAP_DECIMALS, _text
from .payload import CLOCK_CONTROL
from .records import _encode_lines, _script_json

#: the page's scripts (``assets/js``), in the order they are loaded; ``README.md`` there documents the data
JS_FILES = ("polyline.js", "basemap.js", "layers.js", "clock.js", "view.js")
JS_DIR = Path(__file__).with_name("assets") / "js"


@functools.lru_cache(maxsize=1)
def mission_js() -> str:
    """The page's own JavaScript: the files of ``assets/js`` joined in order."""
    return "\n".join((JS_DIR / name).read_text(encoding="utf-8") for name in JS_FILES)


@functools.lru_cache(maxsize=1)
def _mission_js_uri() -> str:
    return "data:text/javascript;base64," + base64.b64encode(mission_js().encode("utf-8")).decode("ascii")


class _MissionScripts(JSCSSMixin, MacroElement):
    """Loads the page's own JavaScript (a ``data:`` URI, inlined in the exported HTML file)."""

    _template = Template("")

    def __init__(self) -> None:
        super().__init__()
        self._name = "MissionScripts"
        self.default_js = [("missions_map", _mission_js_uri())]


_CSS = """
<style>
.leaflet-container { background: #b9d3e6 !important; }
.msn-icon { background: none !important; border: none !important; }
.leaflet-interactive:focus { outline: none; }
.leaflet-tooltip { font: 12px/1.3 system-ui, sans-serif; }
.msn-pop { font: 12px/1.35 system-ui, sans-serif; }
.msn-pop .msn-sub { color: #555; margin-bottom: 4px; }
.msn-pop table { border-collapse: collapse; }
.msn-pop th { text-align: left; font-weight: 600; padding: 1px 8px 1px 0; vertical-align: top;
  white-space: nowrap; }
.msn-pop td { padding: 1px 0; vertical-align: top; max-width: 320px; overflow-wrap: anywhere; }
.msn-legend { background: rgba(255,255,255,0.93); padding: 8px 10px; border-radius: 6px;
  box-shadow: 0 1px 5px rgba(0,0,0,0.35); font: 12px/1.4 system-ui, sans-serif; max-width: 300px;
  max-height: 60vh; overflow: auto; }
.msn-legend .msn-title { font-weight: 700; font-size: 13px; margin-bottom: 2px; cursor: pointer; }
.msn-legend .msn-sub { color: #555; margin-bottom: 6px; }
.msn-legend .msn-row { display: flex; align-items: center; gap: 6px; margin: 2px 0; }
.msn-legend .msn-line { display: inline-block; width: 22px; height: 0; border-top: 3px solid; flex: none; }
.msn-legend .msn-line.dashed { border-top-style: dashed; }
.msn-legend svg { flex: none; }
.msn-legend details { margin-top: 6px; } .msn-legend ol { margin: 2px 0 0 0; padding-left: 18px; }
.msn-wp-label { background: none !important; border: none !important; white-space: nowrap;
  font: 600 11px/1 system-ui, sans-serif; color: #222;
  text-shadow: 0 0 2px #fff, 0 0 2px #fff, 0 0 3px #fff; }
.msn-label { background: none !important; border: none !important; white-space: nowrap; width: 0; height: 0;
  color: #6b6357; font: 11px/1.1 system-ui, sans-serif; text-shadow: 0 0 2px #f2efe6, 0 0 2px #f2efe6; }
.msn-label span { display: inline-block; transform: translate(-50%, -50%); }
.msn-label-country { text-transform: uppercase; letter-spacing: 0.06em; font-size: 10px; }
.msn-label-sea { color: #3f6f92; font-style: italic; text-shadow: 0 0 2px #b9d3e6, 0 0 2px #b9d3e6; }
.msn-label-capital { color: #333; font-size: 10px; }
.msn-swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 4px; }
.leaflet-control-layers { font: 13px/1.4 system-ui, sans-serif; }
</style>
"""


class _RawScript(Element):
    """Script text put in the page as it is.

    branca parses each element's rendered script again as a Jinja template: for megabytes of data
    that costs time (~60 ms for the basemap), and any "{{" in the data would be read as template code.
    """

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs: Any) -> str:
        return self.text


def page_of(element: Element) -> Figure:
    """The page (branca ``Figure``) that ``element`` is on; ``TypeError`` when it is on none."""
    root = element.get_root()
    if not isinstance(root, Figure):
        raise TypeError(f"{element.get_name()} is not on a page (its root is a {type(root).__name__})")
    return root


def _add_script(element: MacroElement, kwargs: dict[str, Any]) -> None:
    """Render ``element``'s ``script`` macro once into the page (see :class:`_RawScript`)."""
    script = element._template.module.__dict__["script"]
    page_of(element).script.add_child(_RawScript(script(element, kwargs)), name=element.get_name())


class _Basemap(folium.map.Layer):
    """The embedded Natural Earth countries as vector land and borders, with no network.

    Drawn three times (longitudes -360, 0, +360) so that a route with unwrapped longitudes beyond
    ±180 lies over land drawn at the same longitudes; the data is embedded once. Not interactive,
    in its own pane below every overlay. ``flown``: ADM0_A3 codes of countries to highlight
    (:func:`missions.render.payload.overflight_codes`).
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = MissionMap.basemap({{ this._parent.get_name() }}, {{ this.data_json }},
            {{ this.scale }}, {{ this.overflight_json }});
        {%- if this.show %}
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {%- endif %}
        {% endmacro %}
    """)

    def __init__(self, flown: Sequence[str] = (), *, show: bool = True) -> None:
        super().__init__(name="Natural Earth (offline)", overlay=False, control=True, show=show)
        self._name = "Basemap"
        self.data_json = _basemap_json()
        self.overflight_json = _script_json(list(flown))
        self.scale = 10**_BASEMAP_DECIMALS

    def render(self, **kwargs: Any) -> str:
        _add_script(self, kwargs)  # the template adds the layer to the map when shown
        return ""  # the element writes no HTML of its own (branca ignores a child's returned text)


@functools.lru_cache(maxsize=1)
def _basemap_json() -> str:
    """The embedded countries as ``[[iso3, [[ring, ...], ...]], ...]``, rings as encoded polylines.

    The basemap's coordinates are rounded to 1e-3° (``geodata.countries``), so encoding them at
    that precision loses nothing; the page gets ~4 bytes per vertex instead of ~17.
    """
    from geodata.countries import basemap_geojson

    shapes = []  # per country: its polygons, each a list of rings
    for f in basemap_geojson()["features"]:
        geometry = f["geometry"]
        shapes.append(geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]])
    rings = [ring for polygons in shapes for polygon in polygons for ring in polygon]
    flat = np.array([point for ring in rings for point in ring], dtype=np.float64).reshape(-1, 2)
    lengths = np.array([len(ring) for ring in rings], dtype=np.int64)
    encoded = iter(_encode_lines(np.split(flat, np.cumsum(lengths)[:-1]), _BASEMAP_DECIMALS))
    countries = [
        [f["properties"]["iso3"], [[next(encoded) for _ in polygon] for polygon in polygons]]
        for f, polygons in zip(basemap_geojson()["features"], shapes, strict=True)
    ]
    return _script_json(countries)


class _Group(folium.FeatureGroup):
    """A FeatureGroup (in the layer control like any other) whose variable :class:`_MissionLayers` declares.

    With one folium element per group, a 1,000-sortie map spends ~1 s and ~300 kB on 2,000
    Jinja templates; declared together in one script, each group costs one short line.
    """

    _template = Template("")

    def __init__(self, name: str, *, show: bool = True) -> None:
        super().__init__(name=name, show=show)
        self._name = "g"

    def render(self, **kwargs: Any) -> str:
        MacroElement.render(self, **kwargs)  # not Layer.render: _MissionLayers adds it to the map
        return ""  # the element writes no HTML of its own (branca ignores a child's returned text)


class _MissionLayers(JSCSSMixin, MacroElement):
    """The mission's features: one ``L.geoJSON`` per kind, each feature added to its group's layer.

    The data is compact (see :func:`encode_polyline` and :class:`_Strings`); the page decodes it
    into GeoJSON FeatureCollections (routes, weapon tracks, markers, rings) and builds popups
    when they open, from HTML strings escaped in Python, times and formatted distances. ``groups``
    are the FeatureGroups (each sortie's, the weapons', the rings') that the records' ``g`` refers
    to. The element's variable holds the timed features for :class:`_MissionClock`.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        {%- for g in this.groups %}
        var {{ g.get_name() }} = L.featureGroup(){% if g.show %}.addTo({{ this._parent.get_name() }}){% endif %};
        {%- endfor %}
        var {{ this.get_name() }} = MissionMap.layers({{ this._parent.get_name() }}, {{ this.data_json }},
            [{% for g in this.groups %}{{ g.get_name() }}{{ "," if not loop.last }}{% endfor %}],
            {{ this.options_json }});
        {% endmacro %}
    """)

    default_js: list[tuple[str, str]] = [  # noqa: RUF012 (folium declares it an instance variable)
        ("leaflet_textpath", "https://cdn.jsdelivr.net/npm/leaflet-textpath@1.2.3/leaflet.textpath.min.js")
    ]

    def __init__(self, data: dict[str, Any], groups: Sequence[_Group], options: dict[str, Any]) -> None:
        super().__init__()
        self._name = "MissionLayers"
        self.data_json = _script_json(data)
        self.canvas = bool(options["canvas"])
        self.groups = list(groups)
        self.options_json = _script_json(options)

    def render(self, **kwargs: Any) -> str:
        figure = page_of(self)
        for name, url in self.default_js:
            figure.header.add_child(folium.elements.JavascriptLink(url), name=name)
        _add_script(self, kwargs)
        return ""  # the element writes no HTML of its own (branca ignores a child's returned text)


class _MissionClock(folium.plugins.TimestampedGeoJson):
    """TimestampedGeoJson over the timed features that :class:`_MissionLayers` builds in the page.

    Unlike folium's, the clock reads UTC (not the viewer's local time) and logs nothing.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = MissionMap.clock({{ this._parent.get_name() }}, {{ this.data }},
            {period: {{ this.period|tojson }}, control: {{ this.control_json }},
             duration: {{ this.duration }}});
        {% endmacro %}
    """)

    def __init__(self, layers: _MissionLayers, period: str) -> None:
        super().__init__(layers.get_name(), period=period)  # the control's options: CLOCK_CONTROL
        self.embed = False
        self.control_json = _script_json(CLOCK_CONTROL)  # the same options as the dashboard's mounted map
        # Leaflet.TimeDimension 1.1 needs neither jQuery, jQuery UI nor highlight.js
        self.default_js = [js for js in self.default_js if not js[0].startswith("jquery")]
        self.default_css = [css for css in self.default_css if css[0] != "highlight.js_css"]


class _Legend(MacroElement):
    """The legend: a Leaflet control holding HTML prepared (and escaped) in Python."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        MissionMap.legend({{ this._parent.get_name() }}, {{ this.html_json }});
        {% endmacro %}
    """)

    def __init__(self, legend_html: str) -> None:
        super().__init__()
        self._name = "Legend"
        self.html_json = _script_json(legend_html)


class _FitView(MacroElement):
    """The view fitted to the mission once every control is on the map, leaving room for them."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        MissionMap.fitView({{ this._parent.get_name() }}, {{ this.bounds_json }});
        {% endmacro %}
    """)

    def __init__(self, bounds: list[list[float]]) -> None:
        super().__init__()
        self._name = "FitView"
        self.bounds_json = _script_json(bounds)


class _WaypointLabels(folium.map.Layer):
    """An overlay (off by default) naming every marker of the mission's groups on the map."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = MissionMap.waypointLabels([{% for g in this.groups %}{{ g.get_name() }}
            {{- "," if not loop.last }}{% endfor %}]);
        {%- if this.show %}
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {%- endif %}
        {% endmacro %}
    """)

    def __init__(self, groups: Sequence[_Group], *, show: bool = False) -> None:
        super().__init__(name="Waypoint names", overlay=True, control=True, show=show)
        self._name = "WaypointLabels"
        self.groups = list(groups)


class _PlaceLabels(folium.map.Layer):
    """Country, capital and sea names on the basemap (``geodata/labels.json``), each from its own zoom."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = MissionMap.labels({{ this._parent.get_name() }}, {{ this.labels_json }});
        {%- if this.show %}
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {%- endif %}
        {% endmacro %}
    """)

    def __init__(self, *, show: bool = True) -> None:
        super().__init__(name="Place names", overlay=True, control=True, show=show)
        self._name = "PlaceLabels"
        self.labels_json = _labels_json()

    def render(self, **kwargs: Any) -> str:
        _add_script(self, kwargs)
        return ""  # the element writes no HTML of its own (branca ignores a child's returned text)


@functools.lru_cache(maxsize=1)
def _labels_json() -> str:
    """The place names as ``[[escaped name, kind, lat, lon, min zoom], ...]``."""
    from geodata.labels import place_labels

    return _script_json([[_text(p.name), p.kind, p.lat_deg, p.lon_deg, p.min_zoom] for p in place_labels()])
