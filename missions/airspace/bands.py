"""Territorial-sea bands: each index piece plus the sea within a width of it (approximate).

The band is a buffer of the Natural Earth coastline, computed run of coast by run of coast in a
WGS84 azimuthal-equidistant projection (pyproj ``aeqd``) centred near each run, then cut back to
[-180, 180] and stripped of other countries' land. See :mod:`missions.airspace.overflight`.
"""

from __future__ import annotations

import functools

import numpy as np
import shapely
from numpy.typing import NDArray
from pyproj import Transformer

from geodata.airspace import clip_to_world

from .index import CountryIndex

Array = NDArray[np.float64]
#: projection centres are rounded to this grid (degrees); runs of coast span at most ~10°
_CENTRE_STEP_DEG = 2.0

# ---------------------------------------------------------------------------------------------
# territorial-sea bands (approximate; see module docstring)


@functools.lru_cache(maxsize=512)
def _aeqd(lon0_deg: float, lat0_deg: float) -> Transformer:
    """WGS84 (lon, lat) -> azimuthal equidistant metres centred on (lon0, lat0), both directions."""
    return Transformer.from_crs(
        "EPSG:4326", f"+proj=aeqd +lat_0={lat0_deg} +lon_0={lon0_deg} +datum=WGS84 +units=m", always_xy=True
    )


def _centre(chunk: Array) -> tuple[float, float]:
    """The projection centre of a run of coast: its mean, rounded to ``_CENTRE_STEP_DEG`` (so that
    neighbouring runs share one transformer; the run lies within a few degrees of it)."""
    lon0 = float(np.round(np.mean(chunk[:, 0]) / _CENTRE_STEP_DEG) * _CENTRE_STEP_DEG)
    lat0 = float(np.clip(np.round(np.mean(chunk[:, 1]) / _CENTRE_STEP_DEG) * _CENTRE_STEP_DEG, -89.0, 89.0))
    return lon0, lat0


def _to_plane(lon0: float, lat0: float, xy: Array) -> Array:
    x, y = _aeqd(lon0, lat0).transform(xy[:, 0], xy[:, 1])
    return np.column_stack([x, y])


def _to_lonlat(lon0: float, lat0: float, xy: Array) -> Array:
    """Inverse of :func:`_to_plane`; longitudes continuous around ``lon0`` (may leave ±180)."""
    from pyproj.enums import TransformDirection

    lon, lat = _aeqd(lon0, lat0).transform(xy[:, 0], xy[:, 1], direction=TransformDirection.INVERSE)
    lon = lon0 + (np.asarray(lon) - lon0 + 180.0) % 360.0 - 180.0
    return np.column_stack([lon, lat])


def _coast_chunks(geom: shapely.Geometry, max_vertices: int = 100) -> list[Array]:
    """The polygon's boundary as vertex arrays, without the artificial edges along ±180° and the
    poles, cut into chunks of at most ``max_vertices`` vertices and 0.1° segments."""
    chunks: list[Array] = []
    rings = shapely.get_parts(shapely.segmentize(shapely.boundary(geom), 0.1))
    for ring in rings:
        xy = shapely.get_coordinates(ring)
        on_cut = (np.abs(np.abs(xy[:, 0]) - 180.0) < 1e-9) | (np.abs(xy[:, 1]) > 89.9)
        artificial = on_cut[:-1] & on_cut[1:]
        # split at artificial segments
        breaks = np.flatnonzero(artificial)
        starts = np.concatenate(([0], breaks + 1))
        stops = np.concatenate((breaks + 1, [len(xy)]))
        for a, b in zip(starts, stops, strict=True):
            run = xy[a:b]
            for k in range(0, max(len(run) - 1, 1), max_vertices - 1):
                piece = run[k : k + max_vertices]
                if len(piece) >= 2:
                    chunks.append(piece)
    return chunks


def band_piece(index: CountryIndex, piece: int, width_m: float) -> shapely.Geometry:
    """Index piece ``piece`` plus the sea within ``width_m`` of it, minus other countries' land.

    The union over a country's pieces is its land plus its territorial-sea band (the buffer of a
    union is the union of the buffers); cutting the country into pieces only adds edges inside
    its own land, whose buffers stay within the band.
    """
    geom = index.pieces[piece]
    country = index.piece_country[piece]
    buffers = [geom]
    for chunk in _coast_chunks(geom):
        lon0, lat0 = _centre(chunk)
        local = shapely.linestrings(_to_plane(lon0, lat0, chunk))
        ring = shapely.buffer(local, width_m, quad_segs=8)
        back = shapely.transform(ring, lambda xy, lo=lon0, la=lat0: _to_lonlat(lo, la, xy))
        buffers.append(clip_to_world(shapely.make_valid(back)))
    band = shapely.union_all(buffers)
    near = index.tree.query(band, predicate="intersects")
    others = near[index.piece_country[near] != country]
    if len(others):
        band = shapely.difference(band, shapely.union_all(index.pieces[others]))
    parts = [p for p in shapely.get_parts(band) if p.geom_type == "Polygon" and not p.is_empty]
    return shapely.multipolygons(parts) if parts else shapely.Polygon()
