/* The dashboard's mounted map: a Streamlit component (protocol version 1, no build step).
 *
 * The page (missions.render.mounted) loads Leaflet, its plugins, the basemap and the place names once.
 * On every rerun Streamlit sends the component's arguments (a "streamlit:render" message); when the
 * mission's payload (missions.render.payload.MapPayload.page) changed, only the mission is drawn again:
 * its layers, waypoint names, clock, legend and layer list. The view is fitted when the mission's
 * bounds change; otherwise the reader's zoom and pan stay, and so do the layers they showed or hid.
 * With clicks on, a click on the map is sent back ({lat, lng, id}: id is new for every click). The first
 * render may come without a mission (an empty payload: the page was sent ahead of it, so that it loads
 * while the server computes); the map is created and the mission drawn when it comes. It may also come
 * with the mission a previous session opened with (missions.dashboard.first_map; args.early), drawn at
 * once but not reported; the next render brings the mission computed, drawn again only if its digest
 * differs, and reported. Once the
 * first mission is drawn, the page says so ({drawn: digest}): the dashboard sends the rest of the page
 * (editor, tables, downloads) after that, so that nothing competes with the first map. */
(function (MissionMap) {
    'use strict';
    var page = window.MissionMapPage;
    var map = null, basemap = null, basemapShown = false, places = null, countries = null;
    var drawn = null;  // what the current mission added: {key, bounds, groups, labels, waypointLabels, clock, legend, control}
    var clicks = false, clickCount = 0, reported = false;
    var session = Date.now().toString(36) + Math.random().toString(36).slice(2, 8);

    function send(type, fields) {
        var message = {isStreamlitMessage: true, type: type};
        Object.keys(fields || {}).forEach(function (k) { message[k] = fields[k]; });
        window.parent.postMessage(message, '*');
    }

    function create(height) {
        var div = document.getElementById('map');
        if (height) { div.style.height = height + 'px'; }
        map = L.map(div, {center: [30, 20], zoom: 3, crs: L.CRS.EPSG3857, zoomControl: true, preferCanvas: false,
                          worldCopyJump: false});
        L.control.scale().addTo(map);
        // the basemap comes with the first mission (draw): drawn once, at the mission's fitted view
        places = MissionMap.labels(map, page.labels);
        places.addTo(map);
        map.addControl(new L.Control.Measure(page.measure));
        L.control.fullscreen(page.fullscreen).addTo(map);
        map.on('click', function (e) {
            if (!clicks) { return; }
            clickCount += 1;
            var at = e.latlng.wrap();
            send('streamlit:setComponentValue', {value: {lat: at.lat, lng: at.lng, id: session + '-' + clickCount},
                                                 dataType: 'json'});
        });
    }

    function sameBounds(a, b) {
        return !!a && !!b && JSON.stringify(a) === JSON.stringify(b);
    }

    /** Remove what the previous mission added; returns which of its overlays (by label) were shown. */
    function clear() {
        var shown = {};
        if (!drawn) { return shown; }
        drawn.groups.forEach(function (group, i) {
            shown[drawn.labels[i]] = map.hasLayer(group);
            map.removeLayer(group);
        });
        if (drawn.waypointLabels) {
            shown['Waypoint names'] = map.hasLayer(drawn.waypointLabels);
            map.removeLayer(drawn.waypointLabels);
        }
        if (drawn.clock) {
            if (drawn.clock._player) { drawn.clock._player.stop(); }
            map.removeLayer(drawn.clock.msnLayer);
            map.removeControl(drawn.clock);
        }
        map.removeControl(drawn.legend);
        map.removeControl(drawn.control);
        return shown;
    }

    /** Areas that name a basemap country ({basemap: code}: missions.render.records._airspace_records)
     * take its rings from the page's basemap; a code the basemap lacks is left out. */
    function withCountries(data) {
        if (!countries) {
            countries = {};
            page.basemap.forEach(function (c) { countries[c[0]] = c[1]; });
        }
        data.areas = (data.areas || []).filter(function (o) {
            if (!o.basemap) { return true; }
            o.polygons = countries[o.basemap];
            o.scale = page.basemap_scale;
            return !!o.polygons;
        });
        return data;
    }

    /** The copies of the world east and west of the antimeridian (longitudes shifted by 360°) that the
     * view shows, each drawn as soon as the view reaches it (while the reader pans), and kept. Every copy
     * drawn costs each later change of zoom (a new mission's fit) its projection: ~2x the whole redraw
     * with both, and most missions never need them. */
    function worldCopies() {
        var view = map.getBounds(), shown = [];
        if (view.getWest() < -180) { shown.push(-360); }
        if (view.getEast() > 180) { shown.push(360); }
        basemap.addShifts(shown);
    }

    function draw(key, p) {
        var previous = drawn, shown = clear();
        var wanted = function (label, show) { return label in shown ? shown[label] : show; };
        var labels = p.groups.map(function (g) { return g.label; });
        var groups = p.groups.map(function (g) {
            var group = L.featureGroup();
            if (wanted(g.label, g.show)) { group.addTo(map); }
            return group;
        });
        var timed = MissionMap.layers(map, withCountries(p.data), groups, p.options);
        var waypointLabels = null;
        if (p.labelled_groups) {
            waypointLabels = MissionMap.waypointLabels(groups.slice(0, p.labelled_groups));
            if (wanted('Waypoint names', false)) { waypointLabels.addTo(map); }
        }
        var first = !basemapShown;  // the basemap is drawn once, after the first fit
        if (basemap) {
            basemap.setFlown(p.flown);
        } else {
            basemap = MissionMap.basemap(map, page.basemap, page.basemap_scale, p.flown, []);
        }
        var clock = p.clock ? MissionMap.clock(map, timed, {period: p.clock.period, control: p.clock.control,
                                                            duration: undefined}) : null;
        var legend = MissionMap.legend(map, p.legend);
        var overlays = {};
        groups.forEach(function (group, i) { overlays[labels[i]] = group; });
        if (waypointLabels) { overlays['Waypoint names'] = waypointLabels; }
        overlays['Place names'] = places;
        var base = {};
        base[page.basemap_name] = basemap;
        var control = L.control.layers(base, overlays, {position: 'topright', collapsed: p.collapsed,
                                                         autoZIndex: true}).addTo(map);
        drawn = {key: key, bounds: p.bounds, groups: groups, labels: labels, waypointLabels: waypointLabels,
                 clock: clock, legend: legend, control: control};
        // a new mission is fitted; the same mission in other units or with other layers keeps the view
        if (!previous || !sameBounds(previous.bounds, p.bounds)) {
            MissionMap.fitView(map, p.bounds);
        }
        if (first) {  // the world at the mission's view, and from now on its copies as the view nears them
            basemap.addShifts([0]);
            basemap.addTo(map);
            basemapShown = true;
            worldCopies();
            map.on('move', worldCopies);
        }
        document.body.setAttribute('data-drawn', key);  // for tests and benchmarks: this payload is on the map
    }

    // where the page's time goes (read by benchmarks/bench_app_browser.py): ms since the page started
    // loading when its scripts ran, when Streamlit first rendered it (render), spent creating the map,
    // and drawing the last mission (the first draw: with the basemap); when it was first rendered
    // without a mission (ahead: sent before the mission was computed); when the first mission was drawn
    // and when the browser painted it (first_painted_ms: after the next frame); when the last mission was
    // drawn and painted (drawn_at_ms, painted_at_ms: ms since 1970, the clock the page shares with its
    // parent); whether the first render brought a mission (first_with_mission: the session's first map
    // from the server's disk cache, drawn ahead)
    MissionMap.timings = {scripts_ms: performance.now(), render_ms: null, create_ms: null, draw_ms: null,
                          ahead_ms: null, first_drawn_ms: null, first_painted_ms: null, drawn_at_ms: null,
                          painted_at_ms: null, draws: 0, first_with_mission: null};

    /** Run ``then`` once the browser has painted what is on screen now (the next frame, then a task), or
     * after 1 s should no frame come (a page in a background tab gets none). */
    function afterPaint(then) {
        var done = false;
        function once() { if (!done) { done = true; then(); } }
        requestAnimationFrame(function () { setTimeout(once, 0); });
        setTimeout(once, 1000);
    }

    /** The first mission is drawn (or could not be): when, and when the browser painted it. */
    function firstDrawn() {
        if (MissionMap.timings.first_drawn_ms !== null) { return; }
        MissionMap.timings.first_drawn_ms = performance.now();
        afterPaint(function () { MissionMap.timings.first_painted_ms = performance.now(); });
    }

    /** The first mission is on screen (or could not be drawn): say so once, after the browser painted it.
     * Not for a mission drawn early (args.early: the run that sent it is still going; a rerun the report
     * started would stop it while it sends the sidebar's widgets): the next render, the same mission, says so. */
    function reportFirst(args) {
        if (reported || args.early) { return; }
        reported = true;
        afterPaint(function () {
            send('streamlit:setComponentValue', {value: {drawn: args.digest}, dataType: 'json'});
        });
    }

    function render(args) {
        try {
            if (!map) {
                var t0 = performance.now();
                MissionMap.timings.render_ms = t0;
                MissionMap.timings.first_with_mission = !!(args.payload && args.early);
                create(args.height);
                MissionMap.timings.create_ms = performance.now() - t0;
                send('streamlit:setFrameHeight', {height: args.height});
            }
            clicks = !!args.clicks;
            map.getContainer().style.cursor = clicks ? 'crosshair' : '';
            if (!args.payload) {  // sent ahead of its mission (the session's first run): the next run brings it
                MissionMap.timings.ahead_ms = MissionMap.timings.ahead_ms || performance.now();
                if (!basemap) {  // meanwhile, the basemap's countries as layers (drawn with the mission's view)
                    basemap = MissionMap.basemap(map, page.basemap, page.basemap_scale, [], [0]);
                }
                return;
            }
            if (!drawn || drawn.key !== args.digest) {
                var t1 = performance.now();
                draw(args.digest, JSON.parse(args.payload));
                MissionMap.timings.draw_ms = performance.now() - t1;
                MissionMap.timings.drawn_at_ms = performance.timeOrigin + performance.now();
                MissionMap.timings.draws += 1;
                var draws = MissionMap.timings.draws;
                afterPaint(function () {  // on screen: the browser's next frame after this draw
                    if (MissionMap.timings.draws === draws) {
                        MissionMap.timings.painted_at_ms = performance.timeOrigin + performance.now();
                    }
                });
            }
            firstDrawn();
            reportFirst(args);
        } catch (error) {  // drawn, or failed: either way the rest of the page may come
            firstDrawn();
            reportFirst(args);
            throw error;
        }
    }

    window.addEventListener('message', function (event) {
        if (event.source !== window.parent || !event.data || event.data.type !== 'streamlit:render') { return; }
        render(event.data.args);
    });
    MissionMap.mounted = function () { return drawn; };
    send('streamlit:componentReady', {apiVersion: 1});
})(window.MissionMap = window.MissionMap || {});
