"""The airspace a route must stay out of, ready for the planner: pieces, an index, turning points.

Built from the embedded planning airspace (``geodata/airspace_plan.wkb.gz``: each unit's land,
internal waters and territorial sea, grown by ~3.5 km and simplified outward, so it contains the
sovereign airspace with a margin of at least ~1.3 km; see ``geodata/build_airspace.py``), for the
units to avoid, minus the transit corridors of the straits (``geodata/straits.yaml``) unless they
are switched off. With a breadth of territorial sea other than the default, the units' airspace is
rebuilt from their land at that breadth (slower: ~0.1-2 s per country).

Turning points ("nodes") are the convex corners of the obstacles, pushed ``NODE_OFFSET_M`` outward
along the corner's bisector so that a geodesic between two neighbouring corners stays clear of
the obstacle (a geodesic bulges poleward of a straight (lon, lat) edge by ``d² tan φ / 8R``: 0.7 km
for a 111 km edge at 70°; edges are cut to at most ``MAX_EDGE_DEG`` first).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import shapely
from numpy.typing import NDArray

from geodata import airspace as geo_airspace

from .index import country_index

#: how far each turning point is pushed out of the obstacle (m)
NODE_OFFSET_M = 1_500.0
#: obstacle edges are cut to at most this length (degrees) before corners are taken
MAX_EDGE_DEG = 1.0
#: obstacle pieces hold at most this many vertices (STRtree)
PIECE_VERTICES = 64
_M_PER_DEG = 111_195.0

Array = NDArray[np.float64]


@dataclass(eq=False, frozen=True, kw_only=True)
class Obstacles:
    """Avoided airspace cut into indexed pieces, and its turning points."""

    codes: tuple[str, ...]
    pieces: NDArray[np.object_]  #: (lon, lat) polygons within [-180, 180]
    piece_code: tuple[str, ...]  #: the unit each piece belongs to ("" when merged across units)
    tree: shapely.STRtree
    node_lat_deg: Array
    node_lon_deg: Array
    node_xyz: Array  #: unit vectors of the nodes, (n, 3)
    prev_xyz: Array  #: unit vectors of each node's neighbours along its ring (bitangent test)
    next_xyz: Array
    vertices: int  #: vertices of the obstacles, after cutting long edges

    def containing(self, lat_deg: float, lon_deg: float) -> str | None:
        """The unit whose (grown) airspace holds the point, or None."""
        point = shapely.Point(lon_deg, lat_deg)
        hits = self.tree.query(point, predicate="intersects")
        return self.piece_code[int(hits[0])] if len(hits) else None


def unit_vectors(lat_deg: Array, lon_deg: Array) -> Array:
    """Points on the unit sphere (geocentric approximation; used only to filter candidate edges)."""
    lat, lon = np.radians(lat_deg), np.radians(lon_deg)
    return np.column_stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)])


@functools.lru_cache(maxsize=4096)
def unit_outline(iso3: str, territorial_sea_nm: float | None) -> shapely.Geometry:
    """One unit's coarse outline, where turning points are taken (contains :func:`unit_airspace`)."""
    if territorial_sea_nm is None:
        return geo_airspace.load_plan_airspace()[iso3].outline
    from geodata.build_airspace import coarse_outline

    return coarse_outline(unit_airspace(iso3, territorial_sea_nm))


@functools.lru_cache(maxsize=4096)
def unit_airspace(iso3: str, territorial_sea_nm: float | None) -> shapely.Geometry:
    """One unit's planning airspace; ``None``: the default breadths (embedded, precomputed)."""
    if territorial_sea_nm is None:
        return geo_airspace.load_plan_airspace()[iso3].airspace
    from geodata.build_airspace import GROW_M, SIMPLIFY_DEG

    index = country_index()
    land = index.land[index.iso3.index(iso3)]
    width = min(territorial_sea_nm, geo_airspace.territorial_airspace_nm(iso3, territorial_sea_nm))
    grown = geo_airspace.sovereign_airspace(iso3, land, width, grow_m=GROW_M)
    return shapely.make_valid(shapely.simplify(grown, SIMPLIFY_DEG))


def _nodes(geom: shapely.Geometry) -> tuple[Array, Array, Array, Array, int]:
    """Convex corners of every ring (pushed outward), with each corner's ring neighbours."""
    geom = shapely.orient_polygons(shapely.segmentize(geom, MAX_EDGE_DEG))  # exteriors CCW, holes CW
    rings = []
    for poly in shapely.get_parts(geom):
        rings.append(shapely.get_coordinates(poly.exterior))
        rings.extend(shapely.get_coordinates(r) for r in poly.interiors)
    lon_l, lat_l, prev_l, next_l, total = [], [], [], [], 0
    for xy in rings:
        xy = xy[:-1]  # closed ring: drop the repeat
        if len(xy) < 3:
            continue
        total += len(xy)
        prev, nxt = np.roll(xy, 1, axis=0), np.roll(xy, -1, axis=0)
        scale = np.cos(np.radians(xy[:, 1]))
        d1 = (xy - prev) * np.column_stack([scale, np.ones_like(scale)])
        d2 = (nxt - xy) * np.column_stack([scale, np.ones_like(scale)])
        cross = d1[:, 0] * d2[:, 1] - d1[:, 1] * d2[:, 0]
        n1 = np.linalg.norm(d1, axis=1)
        n2 = np.linalg.norm(d2, axis=1)
        ok = (n1 > 0) & (n2 > 0)
        # the obstacle lies left of the ring: a corner is convex (a turning point) if the ring turns
        # left, or goes straight (the points added along long edges)
        convex = ok & (cross >= -1e-12 * n1 * n2)
        u1 = d1[convex] / n1[convex, None]
        u2 = d2[convex] / n2[convex, None]
        right = np.column_stack([u1[:, 1], -u1[:, 0]]) + np.column_stack([u2[:, 1], -u2[:, 0]])
        norm = np.linalg.norm(right, axis=1)
        right = right / np.where(norm > 1e-12, norm, 1.0)[:, None]
        half_cos = np.clip(norm / 2, 0.33, 1.0)  # cos of half the turn; the push grows at sharp corners (≤ 3×)
        push_deg = NODE_OFFSET_M / _M_PER_DEG / half_cos
        lat = np.clip(xy[convex, 1] + right[:, 1] * push_deg, -89.999, 89.999)
        lon = xy[convex, 0] + right[:, 0] * push_deg / np.maximum(scale[convex], 1e-3)
        lon_l.append((lon + 180.0) % 360.0 - 180.0)
        lat_l.append(lat)
        prev_l.append(prev[convex])
        next_l.append(nxt[convex])
    if not lon_l:
        empty = np.zeros(0)
        return empty, empty, np.zeros((0, 3)), np.zeros((0, 3)), total
    prev_xy, next_xy = np.concatenate(prev_l), np.concatenate(next_l)
    return (
        np.concatenate(lat_l),
        np.concatenate(lon_l),
        unit_vectors(prev_xy[:, 1], prev_xy[:, 0]),
        unit_vectors(next_xy[:, 1], next_xy[:, 0]),
        total,
    )


class _UnitParts(NamedTuple):
    pieces: NDArray[np.object_]
    lat: Array
    lon: Array
    prev_xyz: Array
    next_xyz: Array
    vertices: int


@functools.lru_cache(maxsize=1024)
def _unit_parts(iso3: str, territorial_sea_nm: float | None, transit: bool) -> _UnitParts:
    """One unit's obstacle pieces and turning points (straits cut out if ``transit``), cached."""
    fine, outline = unit_airspace(iso3, territorial_sea_nm), unit_outline(iso3, territorial_sea_nm)
    if transit:
        corridors = geo_airspace.corridors_near(outline.bounds)
        if fine.intersects(corridors):
            fine = shapely.make_valid(shapely.difference(fine, corridors))
        if outline.intersects(corridors):
            outline = shapely.make_valid(shapely.difference(outline, corridors))
    parts = np.array([p for p in shapely.get_parts(fine) if p.geom_type == "Polygon"], dtype=object)
    pieces = geo_airspace.subdivide(parts, PIECE_VERTICES)[0] if len(parts) else parts
    lat, lon, prev_xyz, next_xyz, total = _nodes(outline)
    return _UnitParts(pieces=pieces, lat=lat, lon=lon, prev_xyz=prev_xyz, next_xyz=next_xyz, vertices=total)


@functools.lru_cache(maxsize=32)
def build_obstacles(
    codes: tuple[str, ...], *, territorial_sea_nm: float | None = None, transit: bool = True
) -> Obstacles:
    """The obstacles for these units (sorted tuple), cached per argument set.

    No union is needed: the pieces of all units go under one STRtree, and the turning points of
    each unit's outline that fall inside another unit's airspace are dropped.
    """
    units = [_unit_parts(c, territorial_sea_nm, transit) for c in codes]
    pieces = np.concatenate([u.pieces for u in units]) if units else np.zeros(0, dtype=object)
    piece_code = tuple(c for c, u in zip(codes, units, strict=True) for _ in range(len(u.pieces)))
    shapely.prepare(pieces)
    tree = shapely.STRtree(pieces)
    lat = np.concatenate([u.lat for u in units]) if units else np.zeros(0)
    lon = np.concatenate([u.lon for u in units]) if units else np.zeros(0)
    prev_xyz = np.concatenate([u.prev_xyz for u in units]) if units else np.zeros((0, 3))
    next_xyz = np.concatenate([u.next_xyz for u in units]) if units else np.zeros((0, 3))
    inside = np.zeros(len(lat), dtype=bool)
    if len(lat) and len(pieces):
        hit, _ = tree.query(shapely.points(lon, lat), predicate="intersects")
        inside[hit] = True
    keep = ~inside
    return Obstacles(
        codes=codes,
        pieces=pieces,
        piece_code=piece_code,
        tree=tree,
        node_lat_deg=lat[keep],
        node_lon_deg=lon[keep],
        node_xyz=unit_vectors(lat[keep], lon[keep]),
        prev_xyz=prev_xyz[keep],
        next_xyz=next_xyz[keep],
        vertices=sum(u.vertices for u in units),
    )
