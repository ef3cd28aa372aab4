/* The embedded Natural Earth countries as vector land and borders (no network), and their labels. */
(function (MissionMap) {
    'use strict';
    /**
     * The basemap layer: countries drawn at longitudes -360, 0 and +360 in their own pane.
     * @param {L.Map} map
     * @param {Array} countries [[iso3, [[encoded ring, ...], ...]], ...] (see README.md)
     * @param {number} scale 10 ** decimals of the encoded rings
     * @param {string[]} flown ADM0_A3 codes of the countries overflown (shaded)
     * @param {number[]} [shifts] the copies drawn now (default [-360, 0, 360]); the group's
     *     addShifts(shifts) draws others later (the dashboard's first map: the world east and west
     *     of the antimeridian once the mission is on screen)
     */
    MissionMap.basemap = function (map, countries, scale, flown, shifts) {
        if (!map.getPane('msn-basemap')) {
            map.createPane('msn-basemap');
            map.getPane('msn-basemap').style.zIndex = 150;
        }
        var data = {type: 'FeatureCollection', features: countries.map(function (c) {
            return {type: 'Feature', properties: {iso3: c[0]}, geometry: {type: 'MultiPolygon',
                coordinates: c[1].map(function (polygon) {
                    return polygon.map(function (ring) { return MissionMap.decode(ring, scale); });
                })}};
        })};
        var renderer = L.svg({pane: 'msn-basemap', padding: 0.5});
        var group = L.layerGroup();
        group.msnFlown = flown;
        /** Shade other countries (a mounted map's next mission). */
        group.setFlown = function (codes) {
            if (codes.join() === group.msnFlown.join()) { return; }
            group.msnFlown = codes;
            group.eachLayer(function (layer) { layer.setStyle(layer.options.style); });
        };
        var added = [];
        /** Draw the countries again at these longitude shifts (360° multiples; each once). */
        group.addShifts = function (more) {
            more.forEach(function (shift) {
                if (added.indexOf(shift) >= 0) { return; }
                added.push(shift);
                group.addLayer(L.geoJSON(data, {
                    pane: 'msn-basemap', renderer: renderer, interactive: false,
                    coordsToLatLng: function (c) { return L.latLng(c[1], c[0] + shift); },
                    style: function (f) {
                        var over = group.msnFlown.indexOf(f.properties.iso3) >= 0;
                        return {color: '#8d8679', weight: 0.7, fillColor: over ? '#f3d9a4' : '#f2efe6',
                                fillOpacity: 1, interactive: false};
                    }
                }));
            });
        };
        group.addShifts(shifts || [-360, 0, 360]);
        return group;
    };

    /**
     * Place names on the basemap, each shown from its own zoom (countries, seas, capitals).
     * @param {L.Map} map
     * @param {Array} labels [[name, kind, lat, lon, min_zoom], ...]; kind: 'country', 'sea' or 'capital';
     *     names are HTML escaped in Python
     */
    MissionMap.labels = function (map, labels) {
        if (!map.getPane('msn-labels')) {
            map.createPane('msn-labels');
            map.getPane('msn-labels').style.zIndex = 350;  // above overlays, below markers
            map.getPane('msn-labels').style.pointerEvents = 'none';
        }
        var group = L.layerGroup();
        var markers = labels.map(function (l) {
            var icon = L.divIcon({className: 'msn-label msn-label-' + l[1], html: '<span>' + l[0] + '</span>',
                                 iconSize: null});
            var marker = L.marker([l[2], l[3]], {icon: icon, pane: 'msn-labels', interactive: false,
                                                 keyboard: false});
            marker.minZoom = l[4];
            return marker;
        });
        function update() {
            var zoom = map.getZoom();
            markers.forEach(function (m) {
                var wanted = zoom >= m.minZoom;
                if (wanted && !group.hasLayer(m)) { group.addLayer(m); }
                if (!wanted && group.hasLayer(m)) { group.removeLayer(m); }
            });
        }
        map.on('zoomend', update);
        update();
        return group;
    };
})(window.MissionMap = window.MissionMap || {});
