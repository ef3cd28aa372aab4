"""Geodesy on the WGS84 ellipsoid through :class:`pyproj.Geod` (Karney's algorithms).

Arrays in, arrays out: every function here works on NumPy arrays of any length without a Python
loop per point. Inputs are in people's order (``lat_deg``, ``lon_deg``); Shapely geometries are
built in GeoJSON's (lon, lat) order.

Drawing: a web map (Leaflet, Web Mercator) joins consecutive vertices with straight lines on the
Mercator plane, i.e. rhumb lines. :func:`densify_route` places vertices along each geodesic so that
those rhumb-line chords stay within ``tolerance_m`` (default 1 km) of the true geodesic, using no
more vertices than that needs: relative to a rhumb line, a geodesic turns at the rate
``sin(azimuth) * tan(latitude) / R`` (meridian convergence), so a chord of length ``d`` deviates
from it by about ``d² · tan(φmax) / (8 R)`` where ``φmax`` is the highest latitude the leg reaches
(its vertex, if the leg passes it); exactly, the rate is ``c sin φ / cos² φ`` with ``c`` Clairaut's
constant (:func:`curvature_bound`), zero on a meridian. The spacing is ``d = sqrt(8 R tol / (R·rate))``
(aiming at 80 % of the tolerance, a margin for the approximation), capped at ``MAX_SPACING_M``.
Longitudes of a densified route are unwrapped (continuous, possibly beyond ±180)
so a trans-Pacific route draws as one line; :func:`split_antimeridian` cuts it back into
[-180, 180] pieces for GeoJSON (RFC 7946).
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from typing import NamedTuple

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray
from pyproj import Geod

#: the WGS84 ellipsoid
GEOD = Geod(ellps="WGS84")
#: mean radius used only to choose vertex spacing (m), not for any result
_R_SPACING_M = 6_371_008.8
#: largest vertex spacing of a densified line (m): keeps long legs smooth at low latitudes
MAX_SPACING_M = 500_000.0
#: largest vertex spacing on legs that go beyond 85° of latitude (m)
POLAR_SPACING_M = 50_000.0
#: default drawing tolerance: the drawn line stays within this of the geodesic (m)
TOLERANCE_M = 1_000.0
#: the sagitta estimate is approximate (sphere, local rate): spacing aims at 80 % of the tolerance
_SAFETY = 0.8
#: highest latitude used for spacing (a leg through the pole is spaced as at 89.9°)
_LAT_CAP_DEG = 89.9

Array = NDArray[np.float64]


class Plane(Enum):
    """The plane in which a densified line's straight chords are drawn or clipped."""

    MERCATOR = "mercator"  #: web maps (Leaflet): chords are rhumb lines
    PLATE_CARREE = "plate_carree"  #: Shapely in (lon, lat) degrees: chords are straight in degrees


class DensifiedLegs(NamedTuple):
    """Independent legs densified into one set of arrays (see :func:`densify_legs`)."""

    lat_deg: Array
    lon_deg: Array  #: unwrapped within each leg, starting at the leg's start as given
    leg_index: NDArray[np.int64]  #: the leg of each vertex
    distance_m: Array  #: geodesic distance from the start of the vertex's leg
    offsets: NDArray[np.int64]  #: first vertex of each leg; ``offsets[-1]`` is the vertex count


class Inverse(NamedTuple):
    """Results of the inverse problem, one per pair: metres and degrees (bearings 0–360, true north)."""

    distance_m: Array
    initial_bearing_deg: Array
    final_bearing_deg: Array


class Densified(NamedTuple):
    """A densified route: vertices (lat, continuous lon), the leg each vertex starts, distance along."""

    lat_deg: Array
    lon_deg: Array  #: unwrapped: continuous across the antimeridian, may leave [-180, 180]
    leg_index: NDArray[np.int64]  #: for each vertex, the leg it lies on (the last vertex: the last leg)
    distance_m: Array  #: cumulative geodesic distance from the first vertex


def _arrays(*values: ArrayLike) -> list[Array]:
    return [np.asarray(v, dtype=np.float64) for v in np.broadcast_arrays(*values)]


def inverse(lat1_deg: ArrayLike, lon1_deg: ArrayLike, lat2_deg: ArrayLike, lon2_deg: ArrayLike) -> Inverse:
    """Geodesic distance and initial/final bearings between point pairs (vectorised).

    >>> r = inverse(68.1517, 33.47, 35.967, -5.483)   # Olenya to the Strait of Gibraltar
    >>> round(float(r.distance_m) / 1000, 1)
    4320.0
    """
    lat1, lon1, lat2, lon2 = _arrays(lat1_deg, lon1_deg, lat2_deg, lon2_deg)
    az12, az21, dist = GEOD.inv(lon1, lat1, lon2, lat2)
    az12, az21, dist = (np.asarray(a, dtype=np.float64) for a in (az12, az21, dist))
    final = np.mod(az21 + 180.0, 360.0)
    return Inverse(dist, np.mod(az12, 360.0), final)


def leg_distances_m(lat_deg: ArrayLike, lon_deg: ArrayLike) -> Array:
    """Distances of the legs between consecutive points (n points → n-1 legs), in metres."""
    lat, lon = _arrays(lat_deg, lon_deg)
    if lat.size < 2:
        return np.zeros(0)
    return inverse(lat[:-1], lon[:-1], lat[1:], lon[1:]).distance_m


def curvature_bound(
    lat1: Array,
    lat2: Array,
    initial_bearing_deg: Array,
    final_bearing_deg: Array,
    plane: Plane = Plane.MERCATOR,
) -> tuple[Array, Array]:
    """Largest ``R ·`` (turn rate of each geodesic leg relative to a straight chord of ``plane``).

    The leg's highest |latitude| ``φm`` is its vertex (where ``cos φv = c``, Clairaut's constant
    ``c = |sin α1 cos β1|``, β1 the reduced latitude) if the leg passes it (the heading turns
    between northward and southward, ``cos α1 · cos α2 < 0``), else an endpoint.

    - Mercator: the rate relative to a rhumb line is ``c · sin φ / cos² φ``, largest at ``φm``; a
      meridian leg has ``c = 0``: it is a rhumb line.
    - Plate carrée: a straight chord in (lon, lat) bulges from the geodesic by at most about
      ``d² · tan φm / (8 R)``: the rate bound is ``tan φm``, whatever the heading.

    Returns ``(R · rate, φm in degrees)``.
    """
    f = GEOD.f
    beta1 = np.arctan((1 - f) * np.tan(np.radians(np.clip(lat1, -_LAT_CAP_DEG, _LAT_CAP_DEG))))
    clairaut = np.abs(np.sin(np.radians(initial_bearing_deg)) * np.cos(beta1))
    lat_v = np.degrees(np.arccos(np.clip(clairaut, 0.0, 1.0)))
    passes = np.cos(np.radians(initial_bearing_deg)) * np.cos(np.radians(final_bearing_deg)) < 0
    ends = np.maximum(np.abs(lat1), np.abs(lat2))
    phi = np.radians(np.minimum(np.where(passes, np.maximum(lat_v, ends), ends), _LAT_CAP_DEG))
    if plane is Plane.PLATE_CARREE:
        return np.tan(phi), np.degrees(phi)
    return clairaut * np.sin(phi) / np.cos(phi) ** 2, np.degrees(phi)


def vertex_spacing_m(
    curvature: ArrayLike,
    max_lat_deg: ArrayLike,
    tolerance_m: float = TOLERANCE_M,
    max_step_m: float = MAX_SPACING_M,
    plane: Plane = Plane.MERCATOR,
) -> Array:
    """Vertex spacing that keeps chords within ``tolerance_m`` of the geodesic (see module).

    ``curvature`` is :func:`curvature_bound`'s first result; the spacing is capped at
    ``max_step_m``. On the Mercator plane, above 85° (where Web Mercator stops) the spacing is at
    most ``POLAR_SPACING_M`` so that a route over a pole stays drawable.
    """
    curvature = np.asarray(curvature, dtype=np.float64)
    with np.errstate(divide="ignore", over="ignore"):
        spacing = np.sqrt(8.0 * _R_SPACING_M * _SAFETY * tolerance_m / curvature)
    spacing = np.minimum(spacing, max_step_m)
    if plane is Plane.MERCATOR:
        spacing = np.where(np.asarray(max_lat_deg) > 85.0, np.minimum(spacing, POLAR_SPACING_M), spacing)
    return spacing


def leg_steps(
    lat1: Array, lon1: Array, lat2: Array, lon2: Array, *, tolerance_m: float, max_step_m: float, plane: Plane
) -> tuple[Inverse, NDArray[np.int64], Array]:
    """Each leg's inverse solution, its number of equal steps as :func:`densify_legs` cuts it, and
    the curvature bound of :func:`curvature_bound` (``R ·`` rate, for chords of ``plane``)."""
    inv = inverse(lat1, lon1, lat2, lon2)
    curvature, max_lat = curvature_bound(lat1, lat2, inv.initial_bearing_deg, inv.final_bearing_deg, plane)
    spacing = vertex_spacing_m(curvature, max_lat, tolerance_m, max_step_m, plane)
    n_seg = np.maximum(np.ceil(inv.distance_m / spacing).astype(np.int64), 1)
    return inv, n_seg, curvature


def chord_bulge_m(chord_m: ArrayLike, curvature: ArrayLike) -> Array:
    """How far (about) a straight chord of ``chord_m`` strays from the geodesic it spans, given
    :func:`curvature_bound`'s first result: ``d² · curvature / (8 R)`` (the inverse of
    :func:`vertex_spacing_m`, without its safety margin)."""
    return np.asarray(chord_m, dtype=np.float64) ** 2 * np.asarray(curvature, dtype=np.float64) / (8.0 * _R_SPACING_M)


def densify_legs(
    lat1_deg: ArrayLike,
    lon1_deg: ArrayLike,
    lat2_deg: ArrayLike,
    lon2_deg: ArrayLike,
    *,
    tolerance_m: float = TOLERANCE_M,
    max_step_m: float = MAX_SPACING_M,
    plane: Plane = Plane.MERCATOR,
) -> DensifiedLegs:
    """The one densifier: vertices along each geodesic leg, equally spaced within the leg.

    Each leg gets ``n = ceil(length / spacing)`` equal steps (at least one, so two vertices, both
    ends included) with the spacing of :func:`vertex_spacing_m` for ``plane``: chords straight
    on ``plane`` stay within ``tolerance_m`` of the geodesic, and no step exceeds ``max_step_m``.
    Fully vectorised: one ``Geod.inv`` over the legs and one ``Geod.fwd`` over all vertices.

    >>> d = densify_legs([0.0, 60.0], [0.0, 10.0], [0.0, 60.0], [1.0, 20.0], max_step_m=50_000.0)
    >>> d.offsets.tolist(), round(float(d.distance_m[d.offsets[1] - 1]) / 1000, 1)
    ([0, 4, 17], 111.3)
    """
    lat1, lon1, lat2, lon2 = (np.atleast_1d(a) for a in _arrays(lat1_deg, lon1_deg, lat2_deg, lon2_deg))
    inv, n_seg, _ = leg_steps(lat1, lon1, lat2, lon2, tolerance_m=tolerance_m, max_step_m=max_step_m, plane=plane)
    n_vert = n_seg + 1
    offsets = np.concatenate(([0], np.cumsum(n_vert))).astype(np.int64)
    leg = np.repeat(np.arange(n_seg.size, dtype=np.int64), n_vert)
    k = np.arange(leg.size) - offsets[:-1][leg]
    along = inv.distance_m[leg] * k / n_seg[leg]
    fwd_lon, fwd_lat, _ = GEOD.fwd(lon1[leg], lat1[leg], inv.initial_bearing_deg[leg], along)
    lat = np.asarray(fwd_lat, dtype=np.float64)
    lon = np.asarray(fwd_lon, dtype=np.float64)
    first, last = offsets[:-1], offsets[1:] - 1
    lat[first], lon[first], lat[last], lon[last] = lat1, lon1, lat2, lon2  # the ends exactly
    along[last] = inv.distance_m
    # unwrap within each leg, from its start as given: steps wrapped to [-180, 180), none across legs
    step = (np.diff(lon) + 180.0) % 360.0 - 180.0
    step = np.concatenate(([0.0], step))
    step[first] = 0.0
    lon = np.cumsum(step)
    lon += (lon1 - lon[first])[leg]
    return DensifiedLegs(lat_deg=lat, lon_deg=lon, leg_index=leg, distance_m=along, offsets=offsets)


def unwrap_lon(lon_deg: ArrayLike) -> Array:
    """Longitudes made continuous (no jump over 180°), starting in [-180, 180]."""
    lon = np.asarray(lon_deg, dtype=np.float64)
    return np.unwrap(lon, period=360.0) if lon.size else lon


class Chunks(NamedTuple):
    """Runs of consecutive vertices of densified legs (see :func:`chunk_legs`)."""

    vertex: NDArray[np.int64]  #: the vertices of every chunk, chunk after chunk
    chunk: NDArray[np.int64]  #: for each entry of ``vertex``, its chunk
    leg: NDArray[np.int64]  #: for each chunk, its leg
    first: NDArray[np.int64]  #: for each chunk, its first vertex


def chunk_legs(offsets: ArrayLike, segments: int) -> Chunks:
    """Cut densified legs (``offsets`` as in :class:`DensifiedLegs`) into runs of at most
    ``segments`` segments; consecutive runs of a leg share a vertex. Short boxes for an STRtree.

    >>> c = chunk_legs([0, 5, 7], 2)
    >>> c.vertex.tolist(), c.leg.tolist()
    ([0, 1, 2, 2, 3, 4, 5, 6], [0, 0, 1])
    """
    offsets = np.asarray(offsets, dtype=np.int64)
    counts = np.diff(offsets)
    n_chunks = np.maximum(np.ceil((counts - 1) / segments).astype(np.int64), 1)
    leg = np.repeat(np.arange(len(counts), dtype=np.int64), n_chunks)
    rank = np.arange(len(leg)) - np.repeat(np.cumsum(n_chunks) - n_chunks, n_chunks)
    first = offsets[:-1][leg] + rank * segments
    last = np.minimum(first + segments, offsets[:-1][leg] + counts[leg] - 1)
    size = last - first + 1
    vertex = np.repeat(first, size) + (np.arange(size.sum()) - np.repeat(np.cumsum(size) - size, size))
    return Chunks(vertex=vertex, chunk=np.repeat(np.arange(len(size), dtype=np.int64), size), leg=leg, first=first)


def densify_route(lat_deg: ArrayLike, lon_deg: ArrayLike, tolerance_m: float = TOLERANCE_M) -> Densified:
    """Vertices along the geodesics joining consecutive points, for drawing on the Mercator plane.

    :func:`densify_legs` on consecutive pairs, each leg's end vertex dropped (it starts the next
    leg). Zero-length legs give a single repeated vertex; near-antipodal legs follow Karney's geodesic.
    """
    return densify_routes([(lat_deg, lon_deg)], tolerance_m)[0]


def densify_routes(routes: Sequence[tuple[ArrayLike, ArrayLike]], tolerance_m: float = TOLERANCE_M) -> list[Densified]:
    """:func:`densify_route` of many routes (``(lat_deg, lon_deg)`` each) with one :func:`densify_legs`
    call for all their legs: a mission of thousands of sorties and weapon tracks is one vectorised
    pass, not thousands of small ones.
    """
    points = [_arrays(lat, lon) for lat, lon in routes]
    out: list[Densified] = []
    for lat, lon in points:  # placeholders for the routes of two points or more, filled below
        if lat.size == 0:
            empty = np.zeros(0)
            out.append(Densified(lat_deg=empty, lon_deg=empty, leg_index=np.zeros(0, dtype=np.int64), distance_m=empty))
        else:
            out.append(
                Densified(
                    lat_deg=lat.copy(),
                    lon_deg=unwrap_lon(lon),
                    leg_index=np.zeros(1, dtype=np.int64),
                    distance_m=np.zeros(1),
                )
            )
    multi = [i for i, (lat, _) in enumerate(points) if lat.size >= 2]
    if not multi:
        return out
    lat1, lon1, lat2, lon2 = (
        np.concatenate([points[i][coord][ends] for i in multi])
        for ends in (slice(None, -1), slice(1, None))  # each leg's start, then its end
        for coord in (0, 1)
    )
    d = densify_legs(lat1, lon1, lat2, lon2, tolerance_m=tolerance_m, plane=Plane.MERCATOR)
    first_leg = np.concatenate(([0], np.cumsum([points[i][0].size - 1 for i in multi])))
    for k, i in enumerate(multi):
        a, b = int(first_leg[k]), int(first_leg[k + 1])
        v0, v1 = int(d.offsets[a]), int(d.offsets[b])
        out[i] = _joined_legs(
            d.lat_deg[v0:v1], d.lon_deg[v0:v1], d.leg_index[v0:v1] - a, d.distance_m[v0:v1], d.offsets[a : b + 1] - v0
        )
    return out


def _joined_legs(
    lat: Array, lon: Array, leg: NDArray[np.int64], along_m: Array, offsets: NDArray[np.int64]
) -> Densified:
    """One route from its densified legs: each leg's end vertex but the last dropped, distances cumulated."""
    keep = np.ones(lat.size, dtype=bool)
    keep[offsets[1:-1] - 1] = False  # each leg's end but the last
    lengths = along_m[offsets[1:] - 1]
    cumulative = np.concatenate(([0.0], np.cumsum(lengths)))
    distance = cumulative[leg] + along_m
    return Densified(lat_deg=lat[keep], lon_deg=unwrap_lon(lon[keep]), leg_index=leg[keep], distance_m=distance[keep])


def route_line(lat_deg: ArrayLike, lon_deg: ArrayLike, tolerance_m: float = TOLERANCE_M) -> shapely.LineString:
    """The densified route as a Shapely ``LineString`` in (lon, lat), longitudes unwrapped."""
    return densified_line(densify_route(lat_deg, lon_deg, tolerance_m))


def densified_line(d: Densified) -> shapely.LineString:
    """A :func:`densify_route` result as a Shapely ``LineString`` in (lon, lat) (a lone point doubled)."""
    coords = np.column_stack([d.lon_deg, d.lat_deg])
    if len(coords) == 1:
        coords = np.vstack([coords, coords])
    return shapely.LineString(coords)


def split_antimeridian(line: shapely.LineString) -> shapely.LineString | shapely.MultiLineString:
    """Cut a line with unwrapped longitudes into pieces inside [-180, 180] (RFC 7946 §3.1.9).

    Crossing points are interpolated on the straight segment in (lon, lat), which is within the
    densification tolerance of the geodesic.
    """
    coords = np.asarray(line.coords, dtype=np.float64)
    if coords.size == 0:
        return line
    lon, lat = coords[:, 0], coords[:, 1]
    shift = np.floor((lon + 180.0) / 360.0)  # which 360° band each vertex is in
    if np.all(shift == shift[0]):
        return shapely.LineString(np.column_stack([lon - 360.0 * shift[0], lat]))
    pieces: list[list[tuple[float, float]]] = [[]]
    for i in range(len(lon)):  # runs once per crossing band change; routes cross a handful of times
        if i > 0 and shift[i] != shift[i - 1]:
            step = 1.0 if shift[i] > shift[i - 1] else -1.0
            boundary = 360.0 * max(shift[i], shift[i - 1]) - 180.0
            t = (boundary - lon[i - 1]) / (lon[i] - lon[i - 1])
            lat_x = lat[i - 1] + t * (lat[i] - lat[i - 1])
            pieces[-1].append((boundary - 360.0 * shift[i - 1], lat_x))
            pieces.append([(boundary - 360.0 * shift[i - 1] - 360.0 * step, lat_x)])
        pieces[-1].append((lon[i] - 360.0 * shift[i], lat[i]))
    parts = [shapely.LineString(p) for p in pieces if len(p) >= 2]
    return shapely.MultiLineString(parts) if len(parts) > 1 else parts[0]


def point_along(
    lat1_deg: ArrayLike, lon1_deg: ArrayLike, lat2_deg: ArrayLike, lon2_deg: ArrayLike, distance_m: ArrayLike
) -> tuple[Array, Array]:
    """The point ``distance_m`` along the geodesic from point 1 towards point 2: ``(lat, lon)``."""
    lat1, lon1, lat2, lon2, dist = _arrays(lat1_deg, lon1_deg, lat2_deg, lon2_deg, distance_m)
    inv = inverse(lat1, lon1, lat2, lon2)
    lon, lat, _ = GEOD.fwd(lon1, lat1, inv.initial_bearing_deg, dist)
    return np.asarray(lat, dtype=np.float64), np.asarray(lon, dtype=np.float64)


def destination(
    lat_deg: ArrayLike, lon_deg: ArrayLike, bearing_deg: ArrayLike, distance_m: ArrayLike
) -> tuple[Array, Array]:
    """The point reached from (lat, lon) going ``distance_m`` on a geodesic at ``bearing_deg``."""
    lat, lon, az, dist = _arrays(lat_deg, lon_deg, bearing_deg, distance_m)
    out_lon, out_lat, _ = GEOD.fwd(lon, lat, az, dist)
    return np.asarray(out_lat, dtype=np.float64), np.asarray(out_lon, dtype=np.float64)


def geodesic_ring(lat_deg: float, lon_deg: float, radius_m: float, n_vertices: int = 360) -> shapely.Polygon:
    """The set of points ``radius_m`` from a centre, as a (lon, lat) polygon (never a planar circle).

    Longitudes are unwrapped around the centre. A ring that encloses a pole is closed along that
    pole's latitude (±90), so the polygon covers the cap around the pole.
    """
    if radius_m <= 0:
        raise ValueError("radius_m must be positive")
    azimuths = np.linspace(0.0, 360.0, n_vertices, endpoint=False)
    lat, lon = destination(
        np.full(n_vertices, lat_deg), np.full(n_vertices, lon_deg), azimuths, np.full(n_vertices, radius_m)
    )
    lon = unwrap_lon(np.append(lon, lon[0]))
    lat = np.append(lat, lat[0])
    turned = lon[-1] - lon[0]
    # place the ring's longitudes within [centre - 180, centre + 180] as far as they go
    lon = lon - 360.0 * np.floor((lon.min() - (lon_deg - 180.0)) / 360.0)
    if abs(turned) > 180.0:  # the ring goes round a pole: close it along the pole
        pole = 90.0 if lat_deg >= 0 else -90.0
        coords = np.column_stack([lon, lat]).tolist()
        coords += [[lon[-1], pole], [lon[0], pole]]
        return shapely.Polygon(coords)
    return shapely.Polygon(np.column_stack([lon, lat]))
