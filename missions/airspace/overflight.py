"""Overflight: the countries and international waters a geodesic leg crosses, in order.

Method
------
Steps 1-4 are in :mod:`.edgeclip` (sovereign and land-only rules; :mod:`.clip` for the band rule),
step 4's merge, gaps and slivers in :mod:`.stretches` (vectorised over all legs), the nearest-land
rule in :mod:`.median`; step 5 is here.

1. **Densify** each leg along the WGS84 geodesic (:func:`missions.geodesy.densify_legs`: equal steps
   of at most ``MAX_STEP_M`` = 10 km, shorter near the poles so the straight (lon, lat) chords stay
   within ``CHORD_TOLERANCE_M`` of the geodesic). Vertex ``k`` lies ``k · step`` metres along the leg.
2. **Antimeridian**: longitudes are unwrapped (continuous, so Anadyr → Nome runs 177.5 → 194.6);
   a leg reaching beyond ±180° also meets the pieces one turn over, so it meets the countries on
   both sides of the date line (Natural Earth cuts them at ±180°).
3. **Spatial index**: countries' airspace is cut into pieces of at most ``MAX_PIECE_VERTICES``
   vertices (Russia alone has ~40,000), held in a :class:`shapely.STRtree`; legs are taken
   ``CHUNK_SEGMENTS`` steps at a time, and a chunk's box (widened by how far its polyline can bulge
   from the chord between its ends) finds the pieces, then the pieces' edges, near it. Only chunks
   that meet an edge get their inner vertices; their segments are cut in NumPy where they cross
   those edges, and one point-in-polygon query of each stretch's middle gives the pieces holding it
   (no GEOS overlay and no geometry per segment: a mission of thousands of sorties meets its edges
   hundreds of thousands of times).
4. **Distances**: each cut, a planar position within a segment, is converted to *geodesic* metres
   along the leg through the segment's ends (within a ≤10 km chord the planar and geodesic
   fractions agree to metres). Pieces of one country that touch are merged, stretches shorter than
   ``SLIVER_M`` are absorbed by their neighbour, and the gaps are international waters (``iso3=None``).
5. Entry and exit points are put on the exact geodesic (:meth:`pyproj.Geod.fwd`).

Airspace rule (``territorial_sea_nm``)
--------------------------------------
- ``None`` (the default): **sovereign airspace** as the law draws it (:mod:`.sovereign`): land,
  internal waters (bays ≤ 24 nm, historic bays such as the White Sea) and the territorial sea
  (12 nm, or the state's sourced breadth).
- ``0``: land only, as Natural Earth draws the coastline; everything else is international waters.
- ``N`` > 0: land plus an **approximate** band of N nautical miles off the Natural Earth coastline
  (no bays closed; buffered piece by piece in spherical azimuthal-equidistant projections centred on
  each run of coast; never over another country's land), built lazily and cached on the index.

Where two countries' seas overlap (straits narrower than two seas), each stretch of the leg goes to
the country whose land is nearer, sampled every ``MEDIAN_STEP_M`` (an approximate median line).

>>> legs = leg_crossings(48.8566, 2.3522, 45.7640, 4.8357)  # Paris to Lyon
>>> [(c.iso3, round(c.distance_m / 1000)) for c in legs]
[('FRA', 392)]
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray

from missions.errors import PlaceError
from missions.geodesy import GEOD

from .clip import CHORD_TOLERANCE_M as CHORD_TOLERANCE_M  # re-exported: the method's constants
from .clip import MAX_STEP_M as MAX_STEP_M
from .clip import densify, pieces_band
from .crossing import INTERNATIONAL_WATERS as INTERNATIONAL_WATERS  # re-exported
from .crossing import Crossing as Crossing
from .edgeclip import clip_legs
from .index import CountryIndex, country_index
from .median import nearest_owner
from .stretches import Runs, assign, merge_touching

if TYPE_CHECKING:  # geopandas is imported only to index a frame, never on the cached path
    import geopandas as gpd

#: stretches shorter than this (m) are numerical slivers and join their neighbour
SLIVER_M = 1.0
Array = NDArray[np.float64]


def _as_arrays(*values: ArrayLike) -> list[Array]:
    return [np.atleast_1d(np.asarray(v, dtype=np.float64)) for v in np.broadcast_arrays(*values)]


def legs_crossings(
    lat1_deg: ArrayLike,
    lon1_deg: ArrayLike,
    lat2_deg: ArrayLike,
    lon2_deg: ArrayLike,
    *,
    countries: gpd.GeoDataFrame | CountryIndex | None = None,
    territorial_sea_nm: float | None = None,
) -> list[list[Crossing]]:
    """Crossings of many independent legs (arrays of start and end points), one list per leg.

    Vectorised: one densification pass, one index query and one clip for all legs. A zero-length
    leg gives an empty list. ``territorial_sea_nm``: the airspace rule (see module; None: sovereign).
    """
    lat1, lon1, lat2, lon2 = _as_arrays(lat1_deg, lon1_deg, lat2_deg, lon2_deg)
    if len(lat1) == 0:
        return []
    if np.any(np.abs(np.concatenate([lat1, lat2])) > 90) or not np.all(np.isfinite([lat1, lon1, lat2, lon2])):
        raise PlaceError("coordinates must be finite numbers and latitudes within [-90, 90] degrees")
    if territorial_sea_nm is not None and (not np.isfinite(territorial_sea_nm) or territorial_sea_nm < 0):
        raise ValueError(f"territorial_sea_nm must be finite and >= 0, not {territorial_sea_nm}")
    index = country_index(countries)
    az12, _az21, length = (
        np.asarray(v, dtype=np.float64) for v in GEOD.inv(lon1, lat1, lon2, lat2, return_back_azimuth=True)
    )
    moving = length > 0
    if not moving.any():
        return [[] for _ in range(len(lat1))]
    moving_idx = np.flatnonzero(moving)
    m_lat1, m_lon1, m_lat2, m_lon2 = lat1[moving], lon1[moving], lat2[moving], lon2[moving]
    if territorial_sea_nm is None:
        from . import sovereign

        sov, median_nm, sliver_m = sovereign.sovereign_pieces(index), sovereign.NEAREST_LAND_NM, sovereign.SLIVER_M
        inside, _ = clip_legs(m_lat1, m_lon1, m_lat2, m_lon2, sov.tree, sov.pieces)
        leg, country, start, end = inside.leg, sov.piece_country[inside.country], inside.start_m, inside.end_m
    elif territorial_sea_nm > 0:
        median_nm, sliver_m = float(territorial_sea_nm), SLIVER_M
        dens = densify(m_lat1, m_lon1, m_lat2, m_lon2)
        leg, country, start, end = pieces_band(index, dens, median_nm)
    else:
        median_nm, sliver_m = 0.0, SLIVER_M
        inside, _ = clip_legs(m_lat1, m_lon1, m_lat2, m_lon2, index.tree, index.pieces)
        leg, country, start, end = inside.leg, index.piece_country[inside.country], inside.start_m, inside.end_m
    pieces = merge_touching(Runs(leg=leg, country=country, start_m=start, end_m=end), SLIVER_M)
    m_az12 = az12[moving]

    def place(on_leg: NDArray[np.intp], along_m: Array) -> tuple[Array, Array]:
        lon, lat, _ = GEOD.fwd(m_lon1[on_leg], m_lat1[on_leg], m_az12[on_leg], along_m)
        return np.asarray(lat), np.asarray(lon)

    def owners(
        lat: Array,
        lon: Array,
        overlap_of: NDArray[np.intp],
        cover: NDArray[np.intp],
        n_cover: NDArray[np.intp],
        step_m: Array,
    ) -> NDArray[np.intp]:
        return nearest_owner(index, lat, lon, overlap_of, cover, n_cover, step_m, median_nm)

    runs = assign(pieces, length[moving], sliver_m, place, owners)
    # entry and exit points on the exact geodesic, one fwd call for all
    out: list[list[Crossing]] = [[] for _ in range(len(lat1))]
    if not len(runs.leg):
        return out
    li = moving_idx[runs.leg]
    dist = np.column_stack([runs.start_m, runs.end_m])
    lon, lat, _ = GEOD.fwd(np.repeat(lon1[li], 2), np.repeat(lat1[li], 2), np.repeat(az12[li], 2), dist.ravel())
    lon, lat = np.asarray(lon).reshape(-1, 2), np.asarray(lat).reshape(-1, 2)
    at_end = dist >= length[li][:, None]  # the leg's end point exactly
    lon = np.where(at_end, lon2[li][:, None], lon)
    lat = np.where(at_end, lat2[li][:, None], lat)
    at_start = dist <= 0
    lon = np.where(at_start, lon1[li][:, None], lon)
    lat = np.where(at_start, lat1[li][:, None], lat)
    lon = (lon + 180.0) % 360.0 - 180.0
    iso3 = [*index.iso3, None]  # country -1: none
    name = [*index.name, INTERNATIONAL_WATERS]
    columns = (runs.country.tolist(), runs.start_m.tolist(), runs.end_m.tolist(),
               lat[:, 0].tolist(), lon[:, 0].tolist(), lat[:, 1].tolist(), lon[:, 1].tolist())  # fmt: skip
    made = [
        Crossing(
            iso3=iso3[c],
            name=name[c],
            start_m=a,
            end_m=b,
            entry_lat_deg=lat_in,
            entry_lon_deg=lon_in,
            exit_lat_deg=lat_out,
            exit_lon_deg=lon_out,
        )
        for c, a, b, lat_in, lon_in, lat_out, lon_out in zip(*columns, strict=True)
    ]
    # runs are sorted by leg: each leg's crossings are one slice
    bounds = np.searchsorted(runs.leg, np.arange(len(moving_idx) + 1)).tolist()
    for k, i in enumerate(moving_idx.tolist()):
        out[i] = made[bounds[k] : bounds[k + 1]]
    return out


def leg_crossings(
    lat1_deg: float,
    lon1_deg: float,
    lat2_deg: float,
    lon2_deg: float,
    *,
    countries: gpd.GeoDataFrame | CountryIndex | None = None,
    territorial_sea_nm: float | None = None,
) -> list[Crossing]:
    """The ordered stretches of the geodesic leg from point 1 to point 2, by country.

    Parameters
    ----------
    lat1_deg, lon1_deg, lat2_deg, lon2_deg:
        Start and end of the leg, degrees WGS84.
    countries:
        Country polygons (a frame with ``iso3``, ``name``, geometry) or a prebuilt
        :class:`CountryIndex`; None: the embedded Natural Earth 10m polygons.
    territorial_sea_nm:
        None (default): sovereign airspace; 0: land only; N: land and an N nm coastline band (see module).

    A frame is indexed on every call (~1.5 s); build a :class:`CountryIndex` once with
    :func:`country_index` to reuse it. The default index is built once and cached.

    Returns
    -------
    Crossings in order along the leg, covering it without gaps or overlaps: consecutive items
    share ``end_m``/``start_m``, the first starts at 0 and the last ends at the leg's length.
    International waters have ``iso3=None``.

    >>> [(c.iso3, c.name) for c in leg_crossings(45.0, -100.0, 52.0, -100.0)]
    [('USA', 'United States of America'), ('CAN', 'Canada')]
    """
    return legs_crossings(
        lat1_deg, lon1_deg, lat2_deg, lon2_deg, countries=countries, territorial_sea_nm=territorial_sea_nm
    )[0]


def route_crossings(
    lats_deg: ArrayLike,
    lons_deg: ArrayLike,
    *,
    countries: gpd.GeoDataFrame | CountryIndex | None = None,
    territorial_sea_nm: float | None = None,
) -> list[list[Crossing]]:
    """Crossings of each leg of a route through the points (n points → n-1 lists).

    Distances restart at 0 on each leg.
    """
    lat, lon = _as_arrays(lats_deg, lons_deg)
    if len(lat) < 2:
        return []
    return legs_crossings(
        lat[:-1], lon[:-1], lat[1:], lon[1:], countries=countries, territorial_sea_nm=territorial_sea_nm
    )


def avoid_hits(crossings: Iterable[Crossing], avoid_iso3: Iterable[str]) -> list[Crossing]:
    """The crossings that enter a country to avoid (codes compared case-insensitively).

    >>> legs = leg_crossings(45.0, -100.0, 52.0, -100.0)
    >>> [c.iso3 for c in avoid_hits(legs, {"can", "FRA"})]
    ['CAN']
    """
    avoid = {code.strip().upper() for code in avoid_iso3}
    return [c for c in crossings if c.iso3 is not None and c.iso3.upper() in avoid]
