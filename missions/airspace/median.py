"""Where two countries' seas overlap (a strait narrower than both seas): each stretch of a leg goes to
the country whose land is nearer, sampled every ``MEDIAN_STEP_M`` (an approximate median line), for
all the overlapping stretches of all legs at once: one nearest-land search per set of countries.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import shapely
from numpy.typing import NDArray

from missions.geodesy import GEOD

from .index import NM_M, CountryIndex

#: sampling step (m) of the nearest-land rule where territorial-sea bands overlap
MEDIAN_STEP_M = 1_000.0

_LAT_CAP_DEG = 89.99

Array = NDArray[np.float64]


def band_margin_deg(lat_deg: Array, nm: float) -> Array:
    """A planar (lon, lat) distance in degrees never smaller than ``nm`` nautical miles near ``lat_deg``."""
    top = np.minimum(np.abs(lat_deg) + nm / 60.0 * 1.01, _LAT_CAP_DEG)
    return nm * NM_M / 110_000.0 / np.cos(np.radians(top))


class Overlap:
    """A stretch where several countries' seas overlap, sampled: its owners come from one batched
    nearest-land call per set of countries (:func:`resolve_overlaps`)."""

    def __init__(self, cover: tuple[int, ...], lat_deg: Array, lon_deg: Array, edges_m: Array) -> None:
        self.cover, self.lat_deg, self.lon_deg, self.edges_m = cover, lat_deg, lon_deg, edges_m
        self.owner: NDArray[np.intp] = np.full(len(lat_deg), cover[0], dtype=np.intp)
        #: (lat, lon, azimuth, length) of the leg it lies on, while its samples are being placed
        self.origin: tuple[float, float, float, float] | None = None


def resolve_overlaps(index: CountryIndex, overlaps: list[Overlap], nm: float) -> None:
    """Set each overlap's owners: the nearest land among its countries, one call per country set."""
    by_cover: dict[tuple[tuple[int, ...], int], list[Overlap]] = {}
    for o in overlaps:  # per set of countries, and per 10° of latitude (one local scale each)
        by_cover.setdefault((o.cover, int(np.floor(float(np.mean(o.lat_deg)) / 10.0))), []).append(o)
    for (cover, _), group in by_cover.items():
        lat = np.concatenate([o.lat_deg for o in group])
        lon = np.concatenate([o.lon_deg for o in group])
        owner = _nearest_land(index, list(cover), lat, lon, nm)
        at = 0
        for o in group:
            o.owner = owner[at : at + len(o.lat_deg)]
            at += len(o.lat_deg)


def _nearest_land(
    index: CountryIndex, candidates: Sequence[int], lat_deg: Array, lon_deg: Array, nm: float
) -> NDArray[np.intp]:
    """For each point, the candidate country whose land is nearest (geodesic metres).

    Only land within ``nm`` nautical miles is looked at (the points lie in bands of that width).
    """
    owner = np.full(len(lat_deg), candidates[0], dtype=np.intp)
    best = np.full(len(lat_deg), np.inf)
    margin = float(band_margin_deg(np.max(np.abs(lat_deg)), nm)) * 1.05
    # nearest points are found in (lon · cos φ, lat), locally close to metres, then measured on WGS84
    squeeze = np.array([np.cos(np.radians(np.mean(lat_deg))), 1.0])
    near_180 = bool(np.any(np.abs(lon_deg) > 180.0 - 2.0 * margin - 1.0))
    for shift in (0.0, -360.0, 360.0) if near_180 else (0.0,):  # land across the antimeridian
        points = shapely.points(lon_deg + shift, lat_deg)
        qi, pi = index.tree.query(points, predicate="dwithin", distance=margin)
        ok = np.isin(index.piece_country[pi], candidates)
        qi, pi = qi[ok], pi[ok]
        if not len(qi):
            continue
        # each point and each piece is squeezed once, however many pairs it is in
        used, which = np.unique(pi, return_inverse=True)
        line = shapely.shortest_line(
            shapely.transform(points, lambda xy: xy * squeeze)[qi],
            shapely.transform(index.pieces[used], lambda xy: xy * squeeze)[which.ravel()],
        )
        near = (shapely.get_coordinates(line) / squeeze).reshape(-1, 2, 2)
        _, _, dist = GEOD.inv(near[:, 0, 0], near[:, 0, 1], near[:, 1, 0], near[:, 1, 1])
        dist = np.asarray(dist)
        order = np.lexsort((dist, qi))  # by point, nearest first
        _, first = np.unique(qi[order], return_index=True)
        k, d, c = qi[order][first], dist[order][first], index.piece_country[pi][order][first]
        closer = d < best[k]
        best[k[closer]], owner[k[closer]] = d[closer], c[closer]
    return owner
