/* The page's decoder of missions.render.records.encode_polyline (Google's encoded polyline).
 * Part of missions/render/assets/js: see README.md there for the page data these scripts read. */
(function (MissionMap) {
    'use strict';
    /**
     * An encoded polyline to [x, y] pairs: [lon, lat] for lines, [time_s, 0] for vertex times.
     * @param {string} text the encoded polyline
     * @param {number} [scale] 10 ** decimals (1e5 by default; 1 for whole seconds)
     */
    MissionMap.decode = function (text, scale) {
        scale = scale || 1e5;
        var points = [], i = 0, lat = 0, lon = 0;
        function next() {
            var result = 0, shift = 0, b;
            do {
                b = text.charCodeAt(i++) - 63;
                result |= (b & 31) << shift;
                shift += 5;
            } while (b >= 32);
            return (result & 1) ? ~(result >> 1) : (result >> 1);
        }
        while (i < text.length) {
            lat += next();
            lon += next();
            points.push([lon / scale, lat / scale]);
        }
        return points;
    };
    /** Vertex times (s after t0) of an encoded ``vertex_time``. */
    MissionMap.decodeTimes = function (text) {
        return MissionMap.decode(text, 1).map(function (p) { return p[0]; });
    };
})(window.MissionMap = window.MissionMap || {});
