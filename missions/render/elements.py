"""The folium elements that put the page data on the map: basemap, mission layers, clock, legend."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from typing import Any, ClassVar

import folium
import folium.plugins
import numpy as np
from branca.element import Element, MacroElement
from folium.elements import JSCSSMixin
from folium.template import Template

from .common import _BASEMAP_DECIMALS, _SVG_MAX_FEATURES, FINDING_COLOUR, REFUEL_COLOUR, WEAPON_COLOUR
from .records import _encode_lines, _iso_duration, _script_json

#: the page's decoder of :func:`encode_polyline` (``scale``: 10 ** decimals)
_DECODE_JS = """function decode(text, scale) {  // an encoded polyline to [lon, lat] pairs
                scale = scale || 1e5;
                var points = [], i = 0, lat = 0, lon = 0;
                function next() {
                    var result = 0, shift = 0, b;
                    do { b = text.charCodeAt(i++) - 63; result |= (b & 31) << shift; shift += 5; } while (b >= 32);
                    return (result & 1) ? ~(result >> 1) : (result >> 1);
                }
                while (i < text.length) { lat += next(); lon += next(); points.push([lon / scale, lat / scale]); }
                return points;
            }"""

_SYMBOLS_JS = (
    """{
  base: function (c) { return '<svg width="14" height="14" viewBox="0 0 14 14">'
    + '<rect x="1.5" y="1.5" width="11" height="11" fill="' + c + '"'
    + ' stroke="#111" stroke-width="1.5"/></svg>'; },
  refuel: function (c) { return '<svg width="16" height="16" viewBox="0 0 16 16">'
    + '<path d="M8 1L15 8L8 15L1 8Z" fill="REFUEL" stroke="#fff" stroke-width="1.5"/></svg>'; },
  launch: function (c) { return '<svg width="16" height="16" viewBox="0 0 16 16"><path d="M8 1.5L15 14.5H1Z"'
    + ' fill="WEAPON" stroke="#fff" stroke-width="1.5"/></svg>'; },
  finding: function (c) { return '<svg width="18" height="18" viewBox="0 0 18 18"><path d="M9 1L17 16H1Z"'
    + ' fill="FINDING" stroke="#fff" stroke-width="1.5"/><path d="M9 6V11M9 13V14.5" stroke="#fff"'
    + ' stroke-width="2"/></svg>'; },
  target: function (c) { return '<svg width="18" height="18" viewBox="0 0 18 18"><circle cx="9" cy="9" r="7"'
    + ' fill="#fff" stroke="WEAPON" stroke-width="2"/><circle cx="9" cy="9" r="3" fill="WEAPON"/>'
    + '<path d="M9 0V4M9 14V18M0 9H4M14 9H18" stroke="WEAPON" stroke-width="1.5"/></svg>'; }
}""".replace("REFUEL", REFUEL_COLOUR)
    .replace("WEAPON", WEAPON_COLOUR)
    .replace("FINDING", FINDING_COLOUR)
)

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
.msn-swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 4px; }
.leaflet-control-layers { font: 13px/1.4 system-ui, sans-serif; }
</style>
"""


def _overflight_codes(overflight: Iterable[Any]) -> list[str]:
    """ADM0_A3 codes from codes, or from crossings with an ``iso3`` (``None``: international waters)."""
    codes = {getattr(item, "iso3", item) for item in overflight}
    return sorted(str(code) for code in codes if code)


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


def _add_script(element: MacroElement, kwargs: dict[str, Any]) -> None:
    """Render ``element``'s ``script`` macro once into the page (see :class:`_RawScript`)."""
    script = element._template.module.__dict__["script"]
    element.get_root().script.add_child(_RawScript(script(element, kwargs)), name=element.get_name())


class _Basemap(folium.map.Layer):
    """The embedded Natural Earth countries as vector land and borders, with no network.

    Drawn three times (longitudes -360, 0, +360) so that a route with unwrapped longitudes beyond
    ±180 lies over land drawn at the same longitudes; the data is embedded once. Not interactive,
    in its own pane below every overlay. ``overflight``: ADM0_A3 codes of countries to highlight.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function (map) {
            if (!map.getPane('msn-basemap')) {
                map.createPane('msn-basemap');
                map.getPane('msn-basemap').style.zIndex = 150;
            }
            {{ this.decode_js }}
            var data = {type: 'FeatureCollection', features: {{ this.data_json }}.map(function (c) {
                return {type: 'Feature', properties: {iso3: c[0]}, geometry: {type: 'MultiPolygon',
                    coordinates: c[1].map(function (polygon) {
                        return polygon.map(function (ring) { return decode(ring, {{ this.scale }}); });
                    })}};
            })};
            var flown = {{ this.overflight_json }};
            var renderer = L.svg({pane: 'msn-basemap', padding: 0.5});
            var group = L.layerGroup();
            [-360, 0, 360].forEach(function (shift) {
                group.addLayer(L.geoJSON(data, {
                    pane: 'msn-basemap', renderer: renderer, interactive: false,
                    coordsToLatLng: function (c) { return L.latLng(c[1], c[0] + shift); },
                    style: function (f) {
                        var over = flown.indexOf(f.properties.iso3) >= 0;
                        return {color: '#8d8679', weight: 0.7, fillColor: over ? '#f3d9a4' : '#f2efe6',
                                fillOpacity: 1, interactive: false};
                    }
                }));
            });
            return group;
        })({{ this._parent.get_name() }});
        {%- if this.show %}
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {%- endif %}
        {% endmacro %}
    """)

    def __init__(self, overflight: Iterable[Any] = (), *, show: bool = True) -> None:
        super().__init__(name="Natural Earth (offline)", overlay=False, control=True, show=show)
        self._name = "Basemap"
        self.data_json = _basemap_json()
        self.overflight_json = _script_json(_overflight_codes(overflight))
        self.decode_js = _DECODE_JS
        self.scale = 10**_BASEMAP_DECIMALS

    def render(self, **kwargs: Any) -> None:
        _add_script(self, kwargs)  # the template adds the layer to the map when shown


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

    def __init__(self, name: str) -> None:
        super().__init__(name=name)
        self._name = "g"

    def render(self, **kwargs: Any) -> None:
        MacroElement.render(self, **kwargs)  # not Layer.render: _MissionLayers adds it to the map


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
        var {{ this.get_name() }} = (function (map) {
            var D = {{ this.data_json }};
            var S = D.s;  // HTML strings, escaped in Python; the code below only joins them with its own tags
            var groups = [{% for g in this.groups %}{{ g.get_name() }}{{ "," if not loop.last }}{% endfor %}];
            var symbols = {{ this.symbols }};
            var WEAPON = '{{ this.weapon_colour }}';
            var KINDS = ['waypoint', 'base', 'refuel', 'launch'];
            var LABELS = ['waypoint', 'base', 'refuelling', 'launch point'];
            {{ this.decode_js }}
            function utc(s) {  // seconds after D.t0 as 'YYYY-MM-DD HH:MM UTC', to the nearest minute
                var d = new Date(D.t0 + s * 1000 + 30000).toISOString();
                return d.slice(0, 10) + ' ' + d.slice(11, 16) + ' UTC';
            }
            function position(c) {
                return c[1].toFixed(4) + ', ' + ((((c[0] + 180) % 360) + 360) % 360 - 180).toFixed(4);
            }
            function popup(title, sub, rows) {
                var html = '<div class="msn-pop"><b>' + title + '</b>';
                if (sub) { html += '<div class="msn-sub">' + sub + '</div>'; }
                html += '<table>';
                rows.forEach(function (r) {
                    if (r[1] !== '' && r[1] !== undefined) {
                        html += '<tr><th>' + r[0] + '</th><td>' + r[1] + '</td></tr>';
                    }
                });
                return html + '</table></div>';
            }
            function feature(type, coordinates, properties) {
                return {type: 'Feature', geometry: {type: type, coordinates: coordinates}, properties: properties};
            }
            var routes = [], tracks = [], markers = [], rings = [];
            D.sorties.forEach(function (o) {
                var c = decode(o.line), last = o.wp.length - 1;
                function waypointPopup(i) {
                    var wp = o.wp[i], rows = [];
                    (wp[5] || [i]).forEach(function (j) {
                        if (j === 0) { rows.push(['Takeoff', utc(o.td[0])]); return; }
                        var leg = o.l[j - 1];
                        rows.push([j < last ? 'Arrival' : 'Landing', utc(o.ta[j])]);
                        rows.push(['Leg ' + j, leg[0] + ' from ' + S[o.wp[j - 1][0]] + ' (' + leg[2] + ')']);
                        rows.push(['Cumulative', leg[1]]);
                        if (j < last && o.td[j] !== o.ta[j]) { rows.push(['Departure', utc(o.td[j])]); }
                    });
                    rows.push(['Events', S[wp[2]]], ['Note', S[wp[3]]], ['Position', position(c[o.w[i]])],
                              ['Source', S[wp[4]]]);
                    return popup(S[wp[0]], S[o.n] + ' · ' + LABELS[wp[1]], rows);
                }
                routes.push(feature('LineString', c, {g: o.g, c: o.c, w: o.w, ta: o.ta, td: o.td,
                    tip: S[o.n] + ': ' + S[o.a] + ', ' + o.d,
                    pop: function () {
                        return popup(S[o.n], S[o.a], [['Takeoff', utc(o.td[0])], ['Landing', utc(o.ta[last])],
                            ['Distance', o.d], ['Flight time', o.f], ['Average speed', o.v],
                            ['Refuellings', String(o.r)], ['Source', S[o.src]]]);
                    }}));
                o.wp.forEach(function (wp, i) {
                    if (wp[1] < 0) { return; }
                    markers.push(feature('Point', c[o.w[i]], {g: o.g, k: KINDS[wp[1]], c: o.c,
                        tip: S[wp[0]] + ' · ' + utc(i ? o.ta[i] : o.td[0]),
                        pop: function () { return waypointPopup(i); }}));
                });
            });
            D.weapons.forEach(function (o) {
                var c = decode(o.line), title = S[o.n] + ' → ' + S[o.tg];
                function rows() {
                    return [['Launcher', S[o.r[0]]], ['From', S[o.r[1]]], ['Launch', utc(o.t[0])],
                            ['Impact', utc(o.t[1])], ['Distance', o.r[2]], ['Flight time', o.r[3]],
                            ['Via', S[o.r[4]]], ['Source', S[o.r[5]]]];
                }
                tracks.push(feature('LineString', c, {g: o.g, t: o.t, tip: title,
                    pop: function () { return popup(title, 'weapon track', rows()); }}));
                markers.push(feature('Point', c[c.length - 1], {g: o.g, k: 'target', c: WEAPON,
                    tip: S[o.tg] + ' · ' + utc(o.t[1]),
                    pop: function () { return popup(S[o.tg], 'target', [['Weapon', S[o.n]]].concat(rows())); }}));
                if (o.lp) {
                    markers.push(feature('Point', c[0], {g: o.g, k: 'launch', c: WEAPON,
                        tip: S[o.r[1]] + ' · ' + utc(o.t[0]),
                        pop: function () {
                            return popup(S[o.r[1]], S[o.r[0]] + ' · launch point', [['Weapon', S[o.n]],
                                ['Launch', utc(o.t[0])], ['Position', position(c[0])], ['Source', S[o.r[5]]]]);
                        }}));
                }
            });
            D.rings.forEach(function (o) {
                rings.push(feature('Polygon', [decode(o.line)], {g: o.g, c: o.c, tip: S[o.tip], pop: S[o.pop]}));
            });
            var areas = (D.areas || []).map(function (o) {
                return feature('MultiPolygon', o.polys.map(function (p) { return p.map(decode); }),
                               {g: o.g, c: o.c, f: o.f, tip: S[o.tip], pop: S[o.pop]});
            });
            (D.findings || []).forEach(function (o) {
                markers.push(feature('Point', o.p, {g: o.g, k: 'finding', c: '{{ this.finding_colour }}',
                                                    tip: S[o.tip], pop: S[o.pop]}));
            });
            function bind(f, layer) {
                var p = f.properties;
                layer.bindTooltip(p.tip, {sticky: f.geometry.type !== 'Point'});
                layer.bindPopup(typeof p.pop === 'function' ? function () { return p.pop(); } : p.pop,
                                {maxWidth: 360});
                groups[p.g].addLayer(layer);
            }
            // thousands of features draw far faster on a canvas (leaflet-textpath arrows need SVG)
            var renderer = {{ "L.canvas({padding: 0.5})" if this.canvas else "undefined" }};
            function add(list, options) {
                options.onEachFeature = bind;
                if (renderer) { options.renderer = renderer; }
                // one GeoJSON layer per kind; its layers go to the groups, not to the map
                L.geoJSON({type: 'FeatureCollection', features: list}, options);
            }
            add(areas, {style: function (f) {
                return {color: f.properties.c, weight: 1, fillColor: f.properties.c, fillOpacity: f.properties.f};
            }});
            add(rings, {style: function (f) {
                return {color: f.properties.c, weight: 1.5, dashArray: '2 4', fillColor: f.properties.c,
                        fillOpacity: 0.04};
            }});
            add(routes, {style: function (f) { return {color: f.properties.c, weight: 3, opacity: 0.9}; }});
            add(tracks, {style: function () { return {color: WEAPON, weight: 2.5, dashArray: '8 6', opacity: 0.95}; }});
            add(markers, {pointToLayer: function (f, latlng) {
                var p = f.properties;
                if (p.k === 'waypoint') {
                    return L.circleMarker(latlng, {radius: 4, color: p.c, weight: 2, fillColor: '#fff',
                                                   fillOpacity: 1, renderer: renderer});
                }
                var size = p.k === 'base' ? 14 : (p.k === 'target' || p.k === 'finding') ? 18 : 16;
                return L.marker(latlng, {icon: L.divIcon({className: 'msn-icon', html: symbols[p.k](p.c),
                    iconSize: [size, size], iconAnchor: [size / 2, size / 2]}), zIndexOffset: 500});
            }});
            // direction arrows along routes and weapon tracks (leaflet-textpath, no icon font)
            function arrows(layer, colour) {
                if (layer.setText && !renderer) {
                    layer.setText('\\u00a0\\u00a0\\u00a0\\u00a0\\u00a0\\u00a0\\u00a0\\u00a0\\u00a0\\u00a0\\u00a0\\u00a0'
                        + '\\u00a0\\u00a0\\u00a0\\u00a0\\u25ba', {repeat: true, offset: 4,
                        attributes: {fill: colour, 'font-size': '12', 'font-family': 'sans-serif'}});
                }
            }
            groups.forEach(function (group) {
                group.eachLayer(function (layer) {
                    if (layer instanceof L.Polyline && !(layer instanceof L.Polygon)) {
                        arrows(layer, layer.options.color);
                    }
                });
            });

            // one clock for every sortie and weapon: positions at each tick, interpolated by distance
            function metres(a, b) {
                var r = Math.PI / 180, dlat = (b[1] - a[1]) * r, dlon = (b[0] - a[0]) * r;
                var h = Math.pow(Math.sin(dlat / 2), 2)
                    + Math.cos(a[1] * r) * Math.cos(b[1] * r) * Math.pow(Math.sin(dlon / 2), 2);
                return 2 * 6371008.8 * Math.asin(Math.min(1, Math.sqrt(h)));
            }
            function vertexTimes(coords, w, ta, td) {
                // time (s) at each vertex: between waypoints, in proportion to distance flown
                var times = new Array(coords.length), cum = [0];
                for (var i = 1; i < coords.length; i++) {
                    cum.push(cum[i - 1] + metres(coords[i - 1], coords[i]));
                }
                for (var k = 0; k + 1 < w.length; k++) {
                    var a = w[k], b = w[k + 1], span = cum[b] - cum[a];
                    for (var v = a; v <= b; v++) {
                        var f = span > 0 ? (cum[v] - cum[a]) / span : 1;
                        times[v] = td[k] + f * (ta[k + 1] - td[k]);
                    }
                }
                return times;
            }
            function track(coords, times, start, end, props) {
                // coordinates at every clock tick from start to end (the vertices' times are increasing)
                var out = [], when = [], v = 0;
                var first = Math.ceil(start / D.step) * D.step;
                for (var t = first; t <= end + 1e-6; t += D.step) {
                    while (v + 1 < coords.length - 1 && times[v + 1] <= t) { v++; }
                    var t1 = times[v], t2 = times[v + 1];
                    var f = t2 > t1 ? Math.min(1, Math.max(0, (t - t1) / (t2 - t1))) : 1;
                    out.push([coords[v][0] + f * (coords[v + 1][0] - coords[v][0]),
                              coords[v][1] + f * (coords[v + 1][1] - coords[v][1])]);
                    when.push(D.t0 + t * 1000);
                }
                if (out.length === 1) { out.push(out[0]); when.push(when[0] + 1); }
                props.times = when;
                return {type: 'Feature', geometry: {type: 'LineString', coordinates: out}, properties: props};
            }
            var timed = [];
            routes.forEach(function (f) {
                var p = f.properties, c = f.geometry.coordinates;
                if (c.length < 2) { return; }
                // a vertex is repeated at each waypoint with its arrival time, so holds and refuelling show
                var coords = [], times = [], vt = vertexTimes(c, p.w, p.ta, p.td), k = 1;
                for (var v = 0; v < c.length; v++) {
                    if (k < p.w.length - 1 && v === p.w[k]) {
                        coords.push(c[v]); times.push(p.ta[k]);
                        k++;
                    }
                    coords.push(c[v]); times.push(vt[v]);
                }
                var t = track(coords, times, p.td[0], p.ta[p.ta.length - 1], {
                    style: {color: p.c, weight: 7, opacity: 0.35},
                    icon: 'circle',
                    iconstyle: {radius: 7, color: '#fff', weight: 2.5, fillColor: p.c, fillOpacity: 1},
                    tooltip: p.tip});
                if (t.geometry.coordinates.length) { timed.push(t); }
            });
            tracks.forEach(function (f) {
                var p = f.properties, c = f.geometry.coordinates, cum = [0];
                if (c.length < 2) { return; }
                for (var i = 1; i < c.length; i++) { cum.push(cum[i - 1] + metres(c[i - 1], c[i])); }
                var total = cum[cum.length - 1] || 1;
                var times = cum.map(function (d) { return p.t[0] + d / total * (p.t[1] - p.t[0]); });
                var t = track(c, times, p.t[0], p.t[1], {
                    style: {color: WEAPON, weight: 4, opacity: 0.6},
                    icon: 'circle', iconstyle: {radius: 4, color: '#fff', weight: 1.5, fillColor: WEAPON,
                                                fillOpacity: 1},
                    tooltip: p.tip});
                if (t.geometry.coordinates.length) { timed.push(t); }
            });
            return {type: 'FeatureCollection', features: timed};
        })({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    default_js: ClassVar[list[tuple[str, str]]] = [
        ("leaflet_textpath", "https://cdn.jsdelivr.net/npm/leaflet-textpath@1.2.3/leaflet.textpath.min.js")
    ]

    def __init__(self, data: dict[str, Any], groups: Sequence[_Group]) -> None:
        super().__init__()
        self._name = "MissionLayers"
        self.data_json = _script_json(data)
        self.canvas = len(data["sorties"]) + len(data["weapons"]) + sum(len(r["wp"]) for r in data["sorties"]) > (
            _SVG_MAX_FEATURES
        )
        self.decode_js = _DECODE_JS
        self.groups = list(groups)
        self.symbols = _SYMBOLS_JS
        self.weapon_colour = WEAPON_COLOUR
        self.finding_colour = FINDING_COLOUR

    def render(self, **kwargs: Any) -> None:
        figure = self.get_root()
        for name, url in self.default_js:
            figure.header.add_child(folium.elements.JavascriptLink(url), name=name)
        _add_script(self, kwargs)


class _MissionClock(folium.plugins.TimestampedGeoJson):
    """TimestampedGeoJson over the timed features that :class:`_MissionLayers` builds in the page.

    Unlike folium's, the clock reads UTC (not the viewer's local time) and logs nothing.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
            L.Control.TimeDimensionUTC = L.Control.TimeDimension.extend({
                _getDisplayDateFormat: function (date) {
                    return moment.utc(date).format("YYYY-MM-DD HH:mm [UTC]");
                }
            });
            {{ this._parent.get_name() }}.timeDimension = L.timeDimension({period: {{ this.period|tojson }}});
            var {{ this.get_name() }}_control = new L.Control.TimeDimensionUTC(
                {{ this.options|tojavascript }});
            {{ this._parent.get_name() }}.addControl({{ this.get_name() }}_control);
            var {{ this.get_name() }} = L.timeDimension.layer.geoJson(
                L.geoJson({{ this.data }}, {
                    pointToLayer: function (f, latlng) {
                        return L.circleMarker(latlng, f.properties.iconstyle);
                    },
                    style: function (f) { return f.properties.style; },
                    onEachFeature: function (f, layer) {
                        if (f.properties.tooltip) { layer.bindTooltip(f.properties.tooltip); }
                    }
                }),
                {updateTimeDimension: true, addlastPoint: true, duration: {{ this.duration }}}
            ).addTo({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, layers: _MissionLayers, step_s: int) -> None:
        super().__init__(
            layers.get_name(),
            period=_iso_duration(step_s),
            auto_play=False,
            loop=True,
            transition_time=100,
            max_speed=20,
            time_slider_drag_update=True,
            date_options="YYYY-MM-DD HH:mm",
            speed_slider=False,
        )
        self.embed = False
        # Leaflet.TimeDimension 1.1 needs neither jQuery, jQuery UI nor highlight.js
        self.default_js = [js for js in self.default_js if not js[0].startswith("jquery")]
        self.default_css = [css for css in self.default_css if css[0] != "highlight.js_css"]


class _Legend(MacroElement):
    """The legend: a Leaflet control holding HTML prepared (and escaped) in Python."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function (map) {
            var legend = L.control({position: 'bottomright'});
            legend.onAdd = function () {
                var div = L.DomUtil.create('div', 'msn-legend');
                div.innerHTML = {{ this.html_json }};
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                return div;
            };
            legend.addTo(map);
        })({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, legend_html: str) -> None:
        super().__init__()
        self._name = "Legend"
        self.html_json = _script_json(legend_html)
