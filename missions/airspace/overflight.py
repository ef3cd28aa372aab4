"""Overflight: the countries and international waters a geodesic leg crosses, in order.

Method
------
Steps 1-4 are in :mod:`.clip`; steps 4 (merge, slivers, gaps) and 5 are here.

1. **Densify** each leg along the WGS84 geodesic with :meth:`pyproj.Geod.inv_intermediate`
   (``NPTS_CEIL``: equal steps of at most ``MAX_STEP_M`` = 10 km, shorter near the poles so the
   straight (lon, lat) chords stay within ``CHORD_TOLERANCE_M`` of the geodesic). Vertex ``k`` lies
   ``k · step`` metres along the leg.
2. **Antimeridian**: longitudes are unwrapped (continuous, so Anadyr → Nome runs 177.5 → 194.6);
   a leg reaching beyond ±180° is also tested shifted by ∓360°, so it meets the countries on both
   sides of the date line (Natural Earth cuts them at ±180°).
3. **Spatial index**: countries are cut into pieces of at most ``MAX_PIECE_VERTICES`` vertices
   (Russia alone has ~40,000), held in a :class:`shapely.STRtree`, and legs into chunks of
   ``CHUNK_SEGMENTS`` segments; one query finds, for every chunk of every leg at once, the pieces
   whose box it meets. A chunk wholly inside a country (prepared ``contains_properly``) is kept
   whole. The others are taken segment by segment: a segment whose box misses the piece's, or
   that the prepared piece does not meet, is dropped; one inside it is kept whole; the few that
   cross its edge are cut in NumPy where they cross the piece's edges, and each stretch between
   cuts is kept if its midpoint is in the piece (no GEOS overlay: a mission of thousands of
   sorties meets its edges hundreds of thousands of times).
4. **Distances**: each clipped stretch's ends, planar positions along the chunk, are converted to
   *geodesic* metres along the leg through
   the vertex they fall between (within a ≤10 km chord the planar and geodesic fractions agree to
   metres). Pieces of one country that touch are merged, stretches shorter than ``SLIVER_M`` are
   absorbed by their neighbour, and the gaps are international waters (``iso3=None``).
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

import itertools
from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from missions.errors import PlaceError
from missions.geodesy import GEOD

from .clip import CHORD_TOLERANCE_M as CHORD_TOLERANCE_M  # re-exported: the method's constants
from .clip import MAX_STEP_M as MAX_STEP_M
from .clip import densify, pieces_band, pieces_in
from .index import CountryIndex, country_index, unique_sorted
from .median import MEDIAN_STEP_M, Overlap, resolve_overlaps

if TYPE_CHECKING:  # geopandas is imported only to index a frame, never on the cached path
    import geopandas as gpd

#: stretches shorter than this (m) are numerical slivers and join their neighbour
SLIVER_M = 1.0
#: the label of a stretch that is in no country
INTERNATIONAL_WATERS = "International waters"

Array = NDArray[np.float64]


class Crossing(NamedTuple):
    """One stretch of a leg inside one country (or in none: ``iso3 is None``).

    Distances are geodesic metres from the start of the leg; points are in degrees (WGS84).
    """

    iso3: str | None  #: Natural Earth ADM0_A3 code; None = international waters / no country
    name: str  #: country name, or "International waters"
    start_m: float  #: distance along the leg where the stretch begins
    end_m: float  #: distance along the leg where it ends
    entry_lat_deg: float
    entry_lon_deg: float
    exit_lat_deg: float
    exit_lon_deg: float

    @property
    def distance_m(self) -> float:
        """Length of the stretch (m)."""
        return self.end_m - self.start_m


def _merge_touching(
    leg: NDArray[np.intp], country: NDArray[np.intp], start: Array, end: Array
) -> tuple[NDArray[np.intp], NDArray[np.intp], Array, Array]:
    """Merge pieces of the same leg and country that touch or overlap (vectorised).

    Returns them sorted by leg, then start.
    """
    if len(leg) == 0:
        return leg, country, start, end
    order = np.lexsort((start, country, leg))
    leg, country, start, end = leg[order], country[order], start[order], end[order]
    group = np.concatenate(([0], np.cumsum((np.diff(leg) != 0) | (np.diff(country) != 0))))
    span = float(end.max()) + 4 * SLIVER_M + 1.0
    reach = np.maximum.accumulate(group * span + end) - group * span  # furthest end so far, per group
    new_run = np.ones(len(leg), dtype=bool)
    new_run[1:] = (group[1:] != group[:-1]) | (start[1:] > reach[:-1] + SLIVER_M)
    first = np.flatnonzero(new_run)
    last = np.append(first[1:], len(leg)) - 1
    leg, country, start, end = leg[first], country[first], start[first], reach[last]
    order = np.lexsort((start, leg))
    return leg[order], country[order], start[order], end[order]


def _finish(items: list[list[float] | Overlap], sliver_m: float) -> list[tuple[int, float, float]]:
    """The runs of :func:`_assign`, overlaps resolved, merged and slivers absorbed."""
    runs: list[list[float]] = []
    for item in items:
        pieces = (
            [[int(c), lo, hi] for c, lo, hi in zip(item.owner, item.edges_m[:-1], item.edges_m[1:], strict=True)]
            if isinstance(item, Overlap)
            else [item]
        )
        for c, lo, hi in pieces:
            if runs and runs[-1][0] == c:
                runs[-1][2] = hi
            else:
                runs.append([c, lo, hi])
    return _absorb_slivers(runs, sliver_m)


def _assign(
    leg_length_m: float,
    starts: Array,
    ends: Array,
    countries: NDArray[np.intp],
    where: tuple[float, float, float, float],
    overlaps: list[Overlap],
) -> list[list[float] | Overlap]:
    """Ordered (country or -1, start, end) runs covering [0, leg_length_m], overlaps to resolve.

    ``starts`` are sorted. Where pieces of different countries overlap by more than ``SLIVER_M``
    (territorial-sea bands), the stretch is sampled and added to ``overlaps``: each sample goes to
    the nearest land (see module), for all legs at once (:func:`.median.resolve_overlaps`, :func:`_finish`).
    """
    if len(starts) < 2 or np.all(starts[1:] >= ends[:-1] - SLIVER_M):  # no overlaps: one walk
        runs_fast: list[list[float]] = []
        at = 0.0
        for c, lo, hi in zip(countries.tolist(), starts.tolist(), ends.tolist(), strict=True):
            lo, hi = max(lo, at), min(hi, leg_length_m)
            if hi <= lo:
                continue
            if lo > at:
                runs_fast.append([-1, at, lo])  # a gap; a sliver one is absorbed below
            runs_fast.append([c, lo, hi])
            at = hi
        if at < leg_length_m:
            runs_fast.append([-1, at, leg_length_m])
        return list(runs_fast)
    cuts = unique_sorted(np.clip(np.concatenate(([0.0, leg_length_m], starts, ends)), 0.0, leg_length_m))
    # which pieces cover each stretch between cuts (at its middle), for all stretches at once
    mids = (cuts[:-1] + cuts[1:]) / 2
    covered = (starts[None, :] <= mids[:, None]) & (ends[None, :] >= mids[:, None])
    n_cover = covered.sum(axis=1)
    single = np.where(n_cover == 1, countries[np.argmax(covered, axis=1)], -1).tolist()
    items: list[list[float] | Overlap] = []
    for k, (a, b) in enumerate(itertools.pairwise(cuts.tolist())):
        if n_cover[k] <= 1:
            items.append([single[k], a, b])
            continue
        cover = sorted(set(countries[covered[k]].tolist()))
        if len(cover) <= 1 or b - a < SLIVER_M:
            items.append([cover[0], a, b])
        else:  # overlapping territorial-sea bands: nearest land, sampled along the stretch
            n = int(min(max(np.ceil((b - a) / MEDIAN_STEP_M), 1), 1000))
            overlap = Overlap(tuple(cover), np.zeros(n), np.zeros(n), np.linspace(a, b, n + 1))
            overlap.origin = where  # its samples are placed by _place_samples, all overlaps at once
            overlaps.append(overlap)
            items.append(overlap)
    return items


def _place_samples(overlaps: list[Overlap]) -> None:
    """Each overlap's samples on the geodesic (the middle of each step), with one ``Geod.fwd`` for all."""
    if not overlaps:
        return
    sizes = [len(o.lat_deg) for o in overlaps]
    origin = np.array([o.origin for o in overlaps], dtype=np.float64)
    lat1, lon1, az = (np.repeat(origin[:, j], sizes) for j in range(3))
    along = np.concatenate([(o.edges_m[:-1] + o.edges_m[1:]) / 2 for o in overlaps])
    lon, lat, _ = GEOD.fwd(lon1, lat1, az, along)
    at = 0
    for o, size in zip(overlaps, sizes, strict=True):
        o.lat_deg, o.lon_deg = np.asarray(lat[at : at + size]), np.asarray(lon[at : at + size])
        at += size


def _absorb_slivers(runs: list[list[float]], sliver_m: float = SLIVER_M) -> list[tuple[int, float, float]]:
    """Absorb runs shorter than ``sliver_m`` into the previous run (or the next, at the start)."""
    merged: list[list[float]] = []
    for run in runs:
        if merged and (run[2] - run[1] < sliver_m or merged[-1][0] == run[0]):
            merged[-1][2] = run[2]
        elif merged and merged[-1][2] - merged[-1][1] < sliver_m:
            merged[-1] = [run[0], merged[-1][1], run[2]]
        else:
            merged.append(list(run))
    out: list[list[float]] = []
    for run in merged:
        if out and out[-1][0] == run[0]:
            out[-1][2] = run[2]
        else:
            out.append(run)
    return [(int(c), float(lo), float(hi)) for c, lo, hi in out]


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
    dens = densify(lat1[moving], lon1[moving], lat2[moving], lon2[moving])
    moving_idx = np.flatnonzero(moving)
    if territorial_sea_nm is None:
        from . import sovereign

        sov, median_nm, sliver_m = sovereign.sovereign_pieces(index), sovereign.NEAREST_LAND_NM, sovereign.SLIVER_M
        leg, country, start, end = pieces_in(
            dens, sov.tree, sov.pieces, sov.piece_country, (sov.whole, sov.piece_country)
        )
    elif territorial_sea_nm > 0:
        median_nm, sliver_m = float(territorial_sea_nm), SLIVER_M
        leg, country, start, end = pieces_band(index, dens, median_nm)
    else:
        median_nm, sliver_m = 0.0, SLIVER_M
        whole = (index.land, index.piece_country)
        leg, country, start, end = pieces_in(dens, index.tree, index.pieces, index.piece_country, whole)
    leg, country, start, end = _merge_touching(leg, country, start, end)
    bounds = np.searchsorted(leg, np.arange(len(moving_idx) + 1))
    items_per_leg = []
    overlaps: list[Overlap] = []
    for k, i in enumerate(moving_idx):
        s = slice(bounds[k], bounds[k + 1])
        where = (lat1[i], lon1[i], az12[i], length[i])
        items_per_leg.append(_assign(float(length[i]), start[s], end[s], country[s], where, overlaps))
    _place_samples(overlaps)
    resolve_overlaps(index, overlaps, median_nm)
    runs_per_leg = [_finish(items, sliver_m) for items in items_per_leg]
    # entry and exit points on the exact geodesic, one fwd call for all
    flat = [(i, c, a, b) for k, i in enumerate(moving_idx) for c, a, b in runs_per_leg[k]]
    out: list[list[Crossing]] = [[] for _ in range(len(lat1))]
    if not flat:
        return out
    li = np.array([f[0] for f in flat], dtype=np.intp)
    dist = np.array([[f[2], f[3]] for f in flat])
    lon, lat, _ = GEOD.fwd(np.repeat(lon1[li], 2), np.repeat(lat1[li], 2), np.repeat(az12[li], 2), dist.ravel())
    lon, lat = np.asarray(lon).reshape(-1, 2), np.asarray(lat).reshape(-1, 2)
    at_end = dist >= length[li][:, None]  # the leg's end point exactly
    lon = np.where(at_end, lon2[li][:, None], lon)
    lat = np.where(at_end, lat2[li][:, None], lat)
    at_start = dist <= 0
    lon = np.where(at_start, lon1[li][:, None], lon)
    lat = np.where(at_start, lat1[li][:, None], lat)
    lon = (lon + 180.0) % 360.0 - 180.0
    for n, (i, c, a, b) in enumerate(flat):
        iso3 = index.iso3[c] if c >= 0 else None
        name = index.name[c] if c >= 0 else INTERNATIONAL_WATERS
        out[i].append(
            Crossing(
                iso3=iso3,
                name=name,
                start_m=a,
                end_m=b,
                entry_lat_deg=float(lat[n, 0]),
                entry_lon_deg=float(lon[n, 0]),
                exit_lat_deg=float(lat[n, 1]),
                exit_lon_deg=float(lon[n, 1]),
            )
        )
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
