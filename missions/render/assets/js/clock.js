/* One clock for every sortie and weapon (Leaflet.TimeDimension), read in UTC.
 * Positions at each tick are interpolated linearly between vertices whose times Python computed
 * (missions.render.records: geodesic distance along each leg, at the leg's speed). */
(function (MissionMap) {
    'use strict';
    /** Coordinates at every clock tick from start to end (the vertices' times are increasing). */
    function track(data, coords, times, start, end, props) {
        var out = [], when = [], v = 0, step = data.step_s;
        for (var t = Math.ceil(start / step) * step; t <= end + 1e-6; t += step) {
            while (v + 1 < coords.length - 1 && times[v + 1] <= t) { v++; }
            var t1 = times[v], t2 = times[v + 1];
            var f = t2 > t1 ? Math.min(1, Math.max(0, (t - t1) / (t2 - t1))) : 1;
            out.push([coords[v][0] + f * (coords[v + 1][0] - coords[v][0]),
                      coords[v][1] + f * (coords[v + 1][1] - coords[v][1])]);
            when.push(data.t0_ms + t * 1000);
        }
        if (out.length === 1) { out.push(out[0]); when.push(when[0] + 1); }
        props.times = when;
        return {type: 'Feature', geometry: {type: 'LineString', coordinates: out}, properties: props};
    }

    /** The timed features (one per sortie and weapon track) from the routes and tracks of MissionMap.layers. */
    MissionMap.timedFeatures = function (data, routes, tracks, colours) {
        var timed = [];
        routes.forEach(function (f) {
            var p = f.properties, o = p.record, c = f.geometry.coordinates;
            if (c.length < 2) { return; }
            // a waypoint's vertex is repeated with its arrival time, so holds and refuelling show
            var vt = MissionMap.decodeTimes(o.vertex_time), coords = [], times = [], k = 1;
            var w = o.waypoint_vertex;
            for (var v = 0; v < c.length; v++) {
                if (k < w.length - 1 && v === w[k]) {
                    coords.push(c[v]); times.push(o.arrival_s[k]);
                    k++;
                }
                coords.push(c[v]); times.push(vt[v]);
            }
            var t = track(data, coords, times, o.departure_s[0], o.arrival_s[o.arrival_s.length - 1], {
                style: {color: p.colour, weight: 7, opacity: 0.35},
                iconstyle: {radius: 7, color: '#fff', weight: 2.5, fillColor: p.colour, fillOpacity: 1},
                tooltip: p.tooltip});
            if (t.geometry.coordinates.length) { timed.push(t); }
        });
        tracks.forEach(function (f) {
            var p = f.properties, o = p.record, c = f.geometry.coordinates;
            if (c.length < 2 || o.vertex_time === null) { return; }  // untimed (no known speed): not animated
            var t = track(data, c, MissionMap.decodeTimes(o.vertex_time), o.launch_s, o.impact_s, {
                style: {color: colours.weapon, weight: 4, opacity: 0.6},
                iconstyle: {radius: 4, color: '#fff', weight: 1.5, fillColor: colours.weapon, fillOpacity: 1},
                tooltip: p.tooltip});
            if (t.geometry.coordinates.length) { timed.push(t); }
        });
        return {type: 'FeatureCollection', features: timed};
    };

    /**
     * Observed tracks on the same clock, one marker each: it moves along each stretch and, in a
     * coverage gap, stays at the last position seen until the next stretch begins (no path is invented).
     */
    MissionMap.observedTimed = function (data, observed, timed) {
        var byRecord = [];
        observed.forEach(function (f) {
            var p = f.properties, o = p.record;
            if (byRecord.indexOf(o) < 0) { byRecord.push(o); }
        });
        byRecord.forEach(function (o) {
            var coords = [], times = [];
            o.parts.forEach(function (line, k) {
                var c = MissionMap.decode(line), t = MissionMap.decodeTimes(o.part_time[k]);
                if (coords.length && t.length) {  // hold at the last position seen until this stretch starts
                    coords.push(coords[coords.length - 1]);
                    times.push(Math.max(times[times.length - 1], t[0] - 1));
                }
                coords = coords.concat(c);
                times = times.concat(t);
            });
            if (coords.length < 2) { return; }
            var f = track(data, coords, times, times[0], times[times.length - 1], {
                style: {color: o.colour, weight: 5, opacity: 0.3},
                iconstyle: {radius: 5, color: '#fff', weight: 2, fillColor: o.colour, fillOpacity: 1},
                tooltip: data.strings[o.tooltip]});
            if (f.geometry.coordinates.length) { timed.features.push(f); }
        });
    };

    /**
     * The time slider and its layer: every sortie and weapon on one UTC clock.
     * @param {L.Map} map
     * @param {Object} timed MissionMap.layers' result
     * @param {Object} options {period: ISO 8601 duration of a tick, control: TimeDimension control options,
     *                          duration: ISO 8601 duration of the trail}
     */
    MissionMap.clock = function (map, timed, options) {
        var Control = L.Control.TimeDimension.extend({
            _getDisplayDateFormat: function (date) {
                return moment.utc(date).format('YYYY-MM-DD HH:mm [UTC]');
            }
        });
        map.timeDimension = L.timeDimension({period: options.period});
        MissionMap.timeDimension = map.timeDimension;
        var control = new Control(options.control);
        map.addControl(control);
        var layer = L.timeDimension.layer.geoJson(L.geoJson(timed, {
            pointToLayer: function (f, latlng) { return L.circleMarker(latlng, f.properties.iconstyle); },
            style: function (f) { return f.properties.style; },
            onEachFeature: function (f, l) { if (f.properties.tooltip) { l.bindTooltip(f.properties.tooltip); } }
        }), {updateTimeDimension: true, addlastPoint: true, duration: options.duration});
        layer.addTo(map);
        control.msnLayer = layer;  // the mounted map removes both when the mission changes
        return control;
    };
})(window.MissionMap = window.MissionMap || {});
