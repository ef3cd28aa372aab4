/* The mission's features: routes, weapon tracks, markers, rings and areas, from the page data.
 * Every string in data.strings is HTML escaped in Python; this code only joins them with its own tags.
 * Every time and distance is computed in Python: this code formats nothing but clock times and
 * interpolates positions between vertex times it is given (no geodesy here). */
(function (MissionMap) {
    'use strict';
    var KINDS = ['waypoint', 'base', 'refuel', 'launch'];
    var LABELS = ['waypoint', 'base', 'refuelling', 'launch point'];

    /** Small inline SVG symbols (no icon font): kind -> function (colour) -> SVG markup. */
    function symbols(colours) {
        return {
            base: function (c) {
                return '<svg width="14" height="14" viewBox="0 0 14 14"><rect x="1.5" y="1.5" width="11" height="11"'
                    + ' fill="' + c + '" stroke="#111" stroke-width="1.5"/></svg>';
            },
            refuel: function () {
                return '<svg width="16" height="16" viewBox="0 0 16 16"><path d="M8 1L15 8L8 15L1 8Z" fill="'
                    + colours.refuel + '" stroke="#fff" stroke-width="1.5"/></svg>';
            },
            launch: function () {
                return '<svg width="16" height="16" viewBox="0 0 16 16"><path d="M8 1.5L15 14.5H1Z" fill="'
                    + colours.weapon + '" stroke="#fff" stroke-width="1.5"/></svg>';
            },
            finding: function () {
                return '<svg width="18" height="18" viewBox="0 0 18 18"><path d="M9 1L17 16H1Z" fill="'
                    + colours.finding + '" stroke="#fff" stroke-width="1.5"/><path d="M9 6V11M9 13V14.5"'
                    + ' stroke="#fff" stroke-width="2"/></svg>';
            },
            target: function () {
                var w = colours.weapon;
                return '<svg width="18" height="18" viewBox="0 0 18 18"><circle cx="9" cy="9" r="7" fill="#fff"'
                    + ' stroke="' + w + '" stroke-width="2"/><circle cx="9" cy="9" r="3" fill="' + w + '"/>'
                    + '<path d="M9 0V4M9 14V18M0 9H4M14 9H18" stroke="' + w + '" stroke-width="1.5"/></svg>';
            }
        };
    }

    function popup(title, sub, rows) {
        var html = '<div class="msn-pop"><b>' + title + '</b>';
        if (sub) { html += '<div class="msn-sub">' + sub + '</div>'; }
        html += '<table>';
        rows.forEach(function (r) {
            if (r[1] !== '' && r[1] !== undefined) { html += '<tr><th>' + r[0] + '</th><td>' + r[1] + '</td></tr>'; }
        });
        return html + '</table></div>';
    }

    /** One direction arrow: 16 spaces and a triangle, repeated along a line. */
    var ARROW = new Array(17).join('\u00a0') + '\u25ba';

    /** The drawn length of a line in screen pixels: its clipped, simplified parts as the SVG path has them. */
    function drawnLength(layer) {
        var total = 0;
        (layer._parts || []).forEach(function (part) {
            for (var i = 1; i < part.length; i++) { total += part[i].distanceTo(part[i - 1]); }
        });
        return total;
    }

    /**
     * Direction arrows along ``layer`` (leaflet-textpath), as textpath's ``repeat`` draws them, with the
     * arrow's width measured once per map and the line's length taken from its drawn parts: textpath
     * measures both in the page for every line at every redraw (each zoom), which forces the browser to
     * lay the SVG out again once per line. A map not laid out yet measures 0 and draws none.
     * @param {L.Polyline} layer
     * @param {Object} attributes the arrows' SVG text attributes (fill, font)
     */
    function arrows(layer, attributes) {
        layer._textRedraw = function () {  // textpath calls it whenever the line is drawn again
            var map = this._map;
            if (!map || !this._path) { return; }
            if (!map.msnArrowPx) {
                var svg = map._renderer._container, probe = L.SVG.create('text');
                Object.keys(attributes).forEach(function (name) { probe.setAttribute(name, attributes[name]); });
                probe.appendChild(document.createTextNode(ARROW));
                svg.appendChild(probe);
                map.msnArrowPx = probe.getComputedTextLength();
                svg.removeChild(probe);
            }
            var count = map.msnArrowPx > 0 ? Math.ceil(drawnLength(this) / map.msnArrowPx) : 0;
            this.setText(null);
            if (count > 1) { this.setText(new Array(count).join(ARROW), {offset: 4, attributes: attributes}); }
        };
        layer._textRedraw();
    }

    function feature(type, coordinates, properties) {
        return {type: 'Feature', geometry: {type: type, coordinates: coordinates}, properties: properties};
    }

    /**
     * Add the mission's features to their groups; returns the timed features for MissionMap.clock.
     * @param {L.Map} map
     * @param {Object} data the page data (README.md)
     * @param {L.FeatureGroup[]} groups the layers that records' ``group`` indices refer to
     * @param {Object} options {canvas: bool, colours: {weapon, refuel, finding}}
     */
    MissionMap.layers = function (map, data, groups, options) {
        var S = data.strings, colours = options.colours, svg = symbols(colours);
        function utc(s) {  // seconds after t0 as 'YYYY-MM-DD HH:MM UTC', to the nearest minute; null: unknown
            if (s === null || s === undefined) { return 'unknown'; }
            var d = new Date(data.t0_ms + s * 1000 + 30000).toISOString();
            return d.slice(0, 10) + ' ' + d.slice(11, 16) + ' UTC';
        }
        function position(c) {
            return c[1].toFixed(4) + ', ' + ((((c[0] + 180) % 360) + 360) % 360 - 180).toFixed(4);
        }
        var routes = [], tracks = [], markers = [], rings = [], planned = [];
        data.sorties.forEach(function (o) {
            var c = MissionMap.decode(o.line), wp = o.waypoints, last = wp.name.length - 1;
            function waypointPopup(i) {
                var rows = [];
                (wp.visits[String(i)] || [i]).forEach(function (j) {
                    if (j === 0) { rows.push(['Takeoff', utc(o.departure_s[0])]); return; }
                    rows.push([j < last ? 'Arrival' : 'Landing', utc(o.arrival_s[j])]);
                    rows.push(['Leg ' + j, o.legs.distance[j - 1] + ' from ' + S[wp.name[j - 1]]
                        + ' (' + o.legs.duration[j - 1] + ')']);
                    rows.push(['Cumulative', o.legs.cumulative[j - 1]]);
                    if (j < last && o.departure_s[j] !== o.arrival_s[j]) {
                        rows.push(['Departure', utc(o.departure_s[j])]);
                    }
                });
                rows.push(['Events', S[wp.events[i]]], ['Note', S[wp.note[i]]],
                          ['Position', position(c[o.waypoint_vertex[i]])], ['Source', S[wp.source[i]]]);
                return popup(S[wp.name[i]], S[o.name] + ' · ' + LABELS[wp.kind[i]], rows);
            }
            routes.push(feature('LineString', c, {group: o.group, colour: o.colour, record: o,
                tooltip: S[o.name] + ': ' + S[o.aircraft] + ', ' + o.distance,
                popup: function () {
                    return popup(S[o.name], S[o.aircraft], [['Takeoff', utc(o.departure_s[0])],
                        ['Landing', utc(o.arrival_s[last])], ['Distance', o.distance], ['Flight time', o.flight_time],
                        ['Average speed', o.average_speed], ['Refuellings', String(o.refuels)],
                        ['Source', S[o.source]]]);
                }, className: 'msn-route'}));
            (o.planned || []).forEach(function (r) {  // planned legs: a white dash over the route's colour
                planned.push(feature('LineString', c.slice(r[0], r[1] + 1), {group: o.group, colour: o.colour,
                    tooltip: S[o.name] + ': planned legs (the shortest permitted route)',
                    popup: S[o.name] + ': planned legs (the shortest permitted route)', className: 'msn-planned'}));
            });
            wp.name.forEach(function (name, i) {
                if (wp.kind[i] < 0) { return; }
                markers.push(feature('Point', c[o.waypoint_vertex[i]], {group: o.group, kind: KINDS[wp.kind[i]],
                    colour: o.colour, label: S[name],
                    tooltip: S[name] + ' · ' + utc(i ? o.arrival_s[i] : o.departure_s[0]),
                    popup: function () { return waypointPopup(i); }}));
            });
        });
        data.weapons.forEach(function (o) {
            var c = MissionMap.decode(o.line), title = S[o.name] + ' → ' + S[o.target];
            function rows() {
                return [['Launcher', S[o.launcher]], ['From', S[o.origin]], ['Launch', utc(o.launch_s)],
                        ['Impact', utc(o.impact_s)], ['Distance', o.distance], ['Flight time', o.flight_time],
                        ['Via', S[o.via]], ['Source', S[o.source]]];
            }
            tracks.push(feature('LineString', c, {group: o.group, record: o, tooltip: title, className: 'msn-track',
                popup: function () { return popup(title, 'weapon track', rows()); }}));
            markers.push(feature('Point', c[c.length - 1], {group: o.group, kind: 'target', colour: colours.weapon,
                label: S[o.target], tooltip: S[o.target] + ' · ' + utc(o.impact_s),
                popup: function () { return popup(S[o.target], 'target', [['Weapon', S[o.name]]].concat(rows())); }}));
            if (o.launch_point) {
                markers.push(feature('Point', c[0], {group: o.group, kind: 'launch', colour: colours.weapon,
                    label: S[o.origin], tooltip: S[o.origin] + ' · ' + utc(o.launch_s),
                    popup: function () {
                        return popup(S[o.origin], S[o.launcher] + ' · launch point', [['Weapon', S[o.name]],
                            ['Launch', utc(o.launch_s)], ['Position', position(c[0])], ['Source', S[o.source]]]);
                    }}));
            }
        });
        data.rings.forEach(function (o) {
            rings.push(feature('Polygon', [MissionMap.decode(o.line)], {group: o.group, colour: o.colour,
                tooltip: S[o.tooltip], popup: S[o.popup]}));
        });
        var areas = (data.areas || []).map(function (o) {
            return feature('MultiPolygon', o.polygons.map(function (p) { return p.map(function (r) {
                return MissionMap.decode(r, o.scale);  // o.scale: a basemap country's (mount.js)
            }); }), {group: o.group, colour: o.colour, fill: o.fill, tooltip: S[o.tooltip], popup: S[o.popup]});
        });
        (data.findings || []).forEach(function (o) {
            markers.push(feature('Point', o.position, {group: o.group, kind: 'finding', colour: colours.finding,
                tooltip: S[o.tooltip], popup: S[o.popup]}));
        });
        // observed tracks (missions.render.observed): stretches solid, coverage gaps dashed
        var observed = [], gaps = [];
        (data.observed || []).forEach(function (o) {
            o.parts.forEach(function (line, k) {
                observed.push(feature('LineString', MissionMap.decode(line), {group: o.group, colour: o.colour,
                    record: o, part: k, tooltip: S[o.tooltip], popup: S[o.popup]}));
            });
            o.gaps.forEach(function (line, k) {
                gaps.push(feature('LineString', MissionMap.decode(line), {group: o.group, colour: o.colour,
                    tooltip: S[o.gap_tooltip[k]], popup: S[o.popup]}));
            });
        });
        function bind(f, layer) {
            var p = f.properties;
            layer.bindTooltip(p.tooltip, {sticky: f.geometry.type !== 'Point'});
            layer.bindPopup(typeof p.popup === 'function' ? function () { return p.popup(); } : p.popup,
                            {maxWidth: 360});
            groups[p.group].addLayer(layer);
        }
        // thousands of features draw far faster on a canvas (leaflet-textpath arrows need SVG)
        var renderer = options.canvas ? L.canvas({padding: 0.5}) : undefined;
        function add(list, layerOptions) {
            layerOptions.onEachFeature = bind;
            if (renderer) { layerOptions.renderer = renderer; }
            // one GeoJSON layer per kind; its layers go to the groups, not to the map
            L.geoJSON({type: 'FeatureCollection', features: list}, layerOptions);
        }
        add(areas, {style: function (f) {
            var p = f.properties;
            return {color: p.colour, weight: 1, opacity: 0.6, fillColor: p.colour, fillOpacity: p.fill};
        }});
        add(rings, {style: function (f) {
            return {color: f.properties.colour, weight: 1.5, dashArray: '2 4', fillColor: f.properties.colour,
                    fillOpacity: 0.03};
        }});
        add(routes, {style: function (f) {
            return {color: f.properties.colour, weight: 3, opacity: 0.9, className: 'msn-route'};
        }});
        add(planned, {style: function () {
            return {color: '#fff', weight: 1.5, dashArray: '6 8', opacity: 0.95, className: 'msn-planned'};
        }});
        add(tracks, {style: function () {
            return {color: colours.weapon, weight: 2.5, dashArray: '8 6', opacity: 0.95, className: 'msn-track'};
        }});
        add(observed, {style: function (f) {
            return {color: f.properties.colour, weight: 2, opacity: 0.85, className: 'msn-observed'};
        }});
        add(gaps, {style: function (f) {
            return {color: f.properties.colour, weight: 2, opacity: 0.7, dashArray: '3 7', className: 'msn-observed-gap'};
        }});
        add(markers, {pointToLayer: function (f, latlng) {
            var p = f.properties, marker;
            if (p.kind === 'waypoint') {
                marker = L.circleMarker(latlng, {radius: 4, color: p.colour, weight: 2, fillColor: '#fff',
                                                 fillOpacity: 1, renderer: renderer});
            } else {
                var size = p.kind === 'base' ? 14 : (p.kind === 'target' || p.kind === 'finding') ? 18 : 16;
                marker = L.marker(latlng, {icon: L.divIcon({className: 'msn-icon', html: svg[p.kind](p.colour),
                    iconSize: [size, size], iconAnchor: [size / 2, size / 2]}), zIndexOffset: 500});
            }
            marker.msnLabel = p.label;
            return marker;
        }});
        // direction arrows along routes and weapon tracks (leaflet-textpath, no icon font); a map with
        // no size yet (a hidden or 0×0 frame) measures the arrow text as 0 px wide, and textpath's repeat
        // then fails with 'Invalid array length': the arrows wait for the map's first resize
        var addArrows = function () {
            groups.forEach(function (group) {
                group.eachLayer(function (layer) {
                    if (layer instanceof L.Polyline && !(layer instanceof L.Polygon) && layer.setText && !renderer
                        && layer.options.className !== 'msn-planned') {
                        arrows(layer, {fill: layer.options.color, 'font-size': '12', 'font-family': 'sans-serif'});
                    }
                });
            });
        };
        var laidOut = function () { var size = map.getSize(); return size.x > 0 && size.y > 0; };
        if (laidOut()) {
            addArrows();
        } else {
            var onResize = function () { if (laidOut()) { map.off('resize', onResize); addArrows(); } };
            map.on('resize', onResize);
        }
        var timed = MissionMap.timedFeatures(data, routes, tracks, colours);
        MissionMap.observedTimed(data, observed, timed);
        return timed;
    };

    /**
     * Waypoint names as permanent labels on a layer of their own (off by default).
     * @param {L.FeatureGroup[]} groups the mission's groups, whose markers carry ``msnLabel``
     */
    MissionMap.waypointLabels = function (groups) {
        var layer = L.layerGroup(), seen = {};
        groups.forEach(function (group) {
            group.eachLayer(function (marker) {
                if (!marker.msnLabel || !marker.getLatLng) { return; }
                var at = marker.getLatLng(), key = marker.msnLabel + at.lat.toFixed(3) + at.lng.toFixed(3);
                if (seen[key]) { return; }
                seen[key] = true;
                layer.addLayer(L.marker(at, {interactive: false, keyboard: false, icon: L.divIcon({
                    className: 'msn-wp-label', html: marker.msnLabel, iconSize: null, iconAnchor: [-9, 8]})}));
            });
        });
        return layer;
    };
})(window.MissionMap = window.MissionMap || {});
