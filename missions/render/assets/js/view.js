/* The map's controls and view: the legend, the layer list, and a view that leaves room for them.
 * Narrow maps (under NARROW_PX) start with the legend and layer list collapsed; whatever the user
 * opens or closes is remembered (localStorage) and restored when the page is drawn again. */
(function (MissionMap) {
    'use strict';
    var NARROW_PX = 640;
    var MARGIN_PX = 10;

    function remembered(key) {
        try { return window.localStorage.getItem('msn-' + key); } catch (e) { return null; }
    }
    function remember(key, value) {
        try { window.localStorage.setItem('msn-' + key, value); } catch (e) { /* storage refused */ }
    }
    MissionMap.isNarrow = function (map) { return map.getSize().x < NARROW_PX; };

    /**
     * The legend: a control holding HTML prepared (and escaped) in Python, in a <details> element.
     * @param {L.Map} map
     * @param {string} html the legend's content (``<details><summary>...``)
     */
    MissionMap.legend = function (map, html) {
        var legend = L.control({position: 'bottomright'});
        legend.onAdd = function () {
            var div = L.DomUtil.create('div', 'msn-legend');
            div.innerHTML = html;
            var details = div.querySelector('details');
            if (details) {
                var state = remembered('legend');
                details.open = state === null ? !MissionMap.isNarrow(map) : state === 'open';
                details.addEventListener('toggle', function () {
                    remember('legend', details.open ? 'open' : 'closed');
                });
            }
            L.DomEvent.disableClickPropagation(div);
            L.DomEvent.disableScrollPropagation(div);
            return div;
        };
        legend.addTo(map);
        return legend;
    };

    // every layer control: collapsed on narrow maps; the user's expand/collapse is remembered
    L.Control.Layers.addInitHook(function () {
        var control = this, expand = this.expand, collapse = this.collapse;
        MissionMap.layerControl = control;
        this.expand = function () { remember('layers', 'open'); return expand.apply(control, arguments); };
        this.collapse = function () { remember('layers', 'closed'); return collapse.apply(control, arguments); };
        var onAdd = this.onAdd;
        this.onAdd = function (map) {
            var state = remembered('layers');
            control.options.collapsed = state === null ? (control.options.collapsed || MissionMap.isNarrow(map))
                : state !== 'open';
            return onAdd.apply(control, arguments);
        };
    });

    /** The rectangle (relative to the map) of every control, with the side it is anchored on. */
    function controlBoxes(map) {
        var origin = map.getContainer().getBoundingClientRect(), boxes = [];
        ['top', 'bottom'].forEach(function (v) {
            ['left', 'right'].forEach(function (h) {
                var corner = map._controlCorners[v + h];
                Array.prototype.forEach.call(corner ? corner.children : [], function (el) {
                    var r = el.getBoundingClientRect();
                    if (r.width === 0 || r.height === 0) { return; }
                    boxes.push({v: v, h: h, left: r.left - origin.left, right: r.right - origin.left,
                                top: r.top - origin.top, bottom: r.bottom - origin.top});
                });
            });
        });
        return boxes;
    }

    /**
     * Fit ``bounds`` so that nothing drawn lies under a control: each control is kept out either by
     * a horizontal padding (its side) or a vertical one (top or bottom); of every combination the
     * one that shows the mission largest is used.
     * @param {L.Map} map
     * @param {Array} bounds [[south, west], [north, east]]
     */
    MissionMap.fitView = function (map, bounds) {
        MissionMap.map = map;
        map.msnBounds = bounds;  // a mounted map fits new missions: the watch below fits the latest
        map.msnMoved = false;
        if (!map.msnFitWatch) {
            // the page may lay the map out again (an iframe sized late, fonts arriving): fit again on
            // every resize until the reader moves the map themselves
            map.msnFitWatch = true;
            var container = map.getContainer();
            ['mousedown', 'wheel', 'touchstart', 'keydown'].forEach(function (type) {
                container.addEventListener(type, function () { map.msnMoved = true; },
                                           {passive: true, capture: true});
            });
            var refit = function () { if (!map.msnMoved) { MissionMap.fitView(map, map.msnBounds); } };
            map.on('resize', refit);
            if (document.fonts && document.fonts.ready) { document.fonts.ready.then(refit); }
        }
        var size = map.getSize(), boxes = controlBoxes(map);
        var b = L.latLngBounds(bounds);
        if (size.x <= 2 * MARGIN_PX || size.y <= 2 * MARGIN_PX) {
            // not laid out yet (an iframe still hidden or sized 0 while a rerun swaps it): Leaflet would
            // compute a NaN zoom from a padding larger than the map; hold a valid view, and the resize
            // watch above fits the mission once the map has a size
            if (!map._loaded) { map.setView(b.getCenter(), 1, {animate: false}); }
            return null;
        }
        var sw = map.project(b.getSouthWest(), 0), ne = map.project(b.getNorthEast(), 0);
        var width = Math.max(Math.abs(ne.x - sw.x), 1e-9), height = Math.max(Math.abs(sw.y - ne.y), 1e-9);
        var best = null;
        for (var mask = 0; mask < (1 << boxes.length); mask++) {
            var pad = {left: MARGIN_PX, right: MARGIN_PX, top: MARGIN_PX, bottom: MARGIN_PX};
            boxes.forEach(function (box, i) {
                if (mask & (1 << i)) {  // keep it out horizontally
                    if (box.h === 'left') { pad.left = Math.max(pad.left, box.right + MARGIN_PX); }
                    else { pad.right = Math.max(pad.right, size.x - box.left + MARGIN_PX); }
                } else if (box.v === 'top') {
                    pad.top = Math.max(pad.top, box.bottom + MARGIN_PX);
                } else {
                    pad.bottom = Math.max(pad.bottom, size.y - box.top + MARGIN_PX);
                }
            });
            var w = size.x - pad.left - pad.right, h = size.y - pad.top - pad.bottom;
            if (w <= 0 || h <= 0) { continue; }
            var scale = Math.min(w / width, h / height);
            if (best === null || scale > best.scale) { best = {scale: scale, pad: pad}; }
        }
        var pad = best ? best.pad : {left: MARGIN_PX, right: MARGIN_PX, top: MARGIN_PX, bottom: MARGIN_PX};
        map.fitBounds(b, {paddingTopLeft: [pad.left, pad.top], paddingBottomRight: [pad.right, pad.bottom],
                          animate: false});
        MissionMap.fitted = {bounds: bounds, padding: pad};
        map.getContainer().setAttribute('data-fitted', '1');  // for tests and benchmarks: the map is drawn
        return pad;
    };
})(window.MissionMap = window.MissionMap || {});
