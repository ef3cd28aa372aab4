"""An observed track set against a sortie's modelled route: deviation, time offsets, distance, gaps, claims.

Method
------
1. **Route**: the sortie's legs densified along the WGS84 geodesic every ≤ ``ROUTE_STEP_M`` (2 km)
   with the core's densifier (:func:`missions.geodesy.densify_legs`); each vertex knows its
   distance along the route. Over a 2 km chord the straight 3-D segment departs from the
   ellipsoid by < 0.1 m.
2. **Nearest segment**: route vertices and observed positions in Earth-centred (ECEF) coordinates
   on WGS84; each position's nearest segment is the one whose 3-D chord passes nearest (the foot
   of the perpendicular on the chord). Where the route passes the same place twice (a return to
   base), segments within ``AMBIGUITY_M`` of the nearest but more than ``BRANCH_M`` apart along the
   route are told apart by time: the pass whose distance along the route is closest to where the
   model puts the aircraft at that moment, then the nearest segment of that pass. The search
   (:mod:`missions.tracks.nearest`: positions binned into 1 km cubes, a k-d tree per cube, then
   the candidate segments the rule can reach) gives the same segment as trying every one.
3. **Cross-track deviation**: the *geodesic* distance (:func:`missions.geodesy.inverse`) from the
   position to its foot (the foot on the chord brought to the ellipsoid along its normal: within a
   millimetre of the segment's geodesic). Max (where, when, on which leg), mean, and the stretches
   off the route by more than ``OFF_ROUTE_M``.
4. **Time offsets**: a waypoint is passed where the observed distance along the route crosses the
   waypoint's (between two consecutive positions of one gap-free stretch, interpolated in time),
   within ``PASS_RADIUS_M`` of the route; the offset is observed minus modelled (arrival; takeoff
   for the first waypoint). At the first and last waypoints, a track starting or ending within
   ``END_WINDOW_M`` of them is extrapolated at its local speed along the route.
5. **Distance and gaps**: :mod:`missions.tracks.summary` (geodesic distance between positions;
   coverage gaps over ``gap_s``).
6. **Claims**: each claim about this sortie set against the observed distance, duration (first to
   last position) and average speed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .. import geodesy
from ..analysis import ClaimResult, SortieResult
from ..export.timed import sortie_timed_line
from ..units import average_kmh
from .model import Track
from .nearest import RouteSegments, nearest_segments
from .summary import DEFAULT_GAP_S, Gap, TrackSummary, part_slices, summarise

Array = NDArray[np.float64]
#: route vertex spacing for the comparison (m)
ROUTE_STEP_M = 2_000.0
#: candidate segments this close to the nearest one are told apart by time (m)
AMBIGUITY_M = 5_000.0
#: candidates closer than this along the route are one pass of the route, not two (m)
BRANCH_M = 50_000.0
#: a waypoint counts as passed when the track crosses it within this of the route (m)
PASS_RADIUS_M = 50_000.0
#: a track starting or ending this close (along the route) to the first or last waypoint is extrapolated (m)
END_WINDOW_M = 30_000.0
#: positions further than this from the route form off-route stretches (m)
OFF_ROUTE_M = 10_000.0


@dataclass(frozen=True, kw_only=True)
class Projection:
    """Each observed position on the route: cross-track distance, distance along, leg."""

    cross_track_m: Array
    along_m: Array
    leg_index: NDArray[np.intp]


@dataclass(frozen=True, kw_only=True)
class WaypointPass:
    """When the observed track passed a waypoint, against the modelled time."""

    index: int
    name: str
    modelled: dt.datetime
    observed: dt.datetime | None  #: None: the track does not pass it (gap, outside coverage, too far)
    cross_track_m: float | None

    @property
    def offset_s(self) -> float | None:
        """Observed minus modelled (s)."""
        return None if self.observed is None else (self.observed - self.modelled).total_seconds()


@dataclass(frozen=True, kw_only=True)
class OffRoute:
    """A stretch of consecutive positions more than ``OFF_ROUTE_M`` from the route."""

    start: dt.datetime
    end: dt.datetime
    max_m: float
    lat_deg: float  #: where the stretch is furthest off
    lon_deg: float
    leg_index: int


@dataclass(frozen=True, kw_only=True)
class ClaimCheck:
    """A claim beside the modelled and observed figures (claim's unit: m, s or km/h)."""

    claim: ClaimResult
    observed: float

    @property
    def ratio(self) -> float:
        """Observed over claimed."""
        return self.observed / self.claim.claim.value if self.claim.claim.value else float("inf")


@dataclass(frozen=True, kw_only=True)
class Comparison:
    """A sortie's route against its observed track (see the module for the method)."""

    sortie: str
    summary: TrackSummary
    projection: Projection
    max_deviation_m: float
    max_index: int  #: the observed position furthest from the route
    mean_deviation_m: float
    off_route: tuple[OffRoute, ...]
    passes: tuple[WaypointPass, ...]
    route_distance_m: float
    covered_route_m: float  #: the distance along the route between the first and last positions' feet
    claims: tuple[ClaimCheck, ...]

    @property
    def gaps(self) -> tuple[Gap, ...]:
        return self.summary.gaps

    @property
    def observed_distance_m(self) -> float:
        return self.summary.distance_m

    @property
    def max_time(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(float(self.summary.track.time_s[self.max_index]), tz=dt.UTC)

    @property
    def max_along_m(self) -> float:
        return float(self.projection.along_m[self.max_index])


def ecef(lat_deg: Array, lon_deg: Array) -> Array:
    """(n, 3) Earth-centred coordinates on the WGS84 ellipsoid (height 0), metres."""
    a, f = geodesy.GEOD.a, geodesy.GEOD.f
    e2 = f * (2.0 - f)
    lat, lon = np.radians(lat_deg), np.radians(lon_deg)
    sin_lat = np.sin(lat)
    n = a / np.sqrt(1.0 - e2 * sin_lat**2)
    return np.column_stack([n * np.cos(lat) * np.cos(lon), n * np.cos(lat) * np.sin(lon), n * (1.0 - e2) * sin_lat])


def geodetic(xyz: Array) -> tuple[Array, Array]:
    """Latitude and longitude (degrees) of Earth-centred points at or near the WGS84 ellipsoid.

    Bowring's formula (1976), one step: for points within a few kilometres of the surface (the
    feet on 2 km route chords lie < 0.1 m below it) the latitude is exact to well under a millimetre.
    """
    a, f = geodesy.GEOD.a, geodesy.GEOD.f
    b = a * (1.0 - f)
    e2, ep2 = f * (2.0 - f), (a * a - b * b) / (b * b)
    x, y, z = xyz[:, 0], xyz[:, 1], xyz[:, 2]
    p = np.hypot(x, y)
    theta = np.arctan2(z * a, p * b)
    lat = np.arctan2(z + ep2 * b * np.sin(theta) ** 3, p - e2 * a * np.cos(theta) ** 3)
    return np.degrees(lat), np.degrees(np.arctan2(y, x))


@dataclass(frozen=True, kw_only=True)
class _Route:
    lat: Array
    lon: Array
    xyz: Array
    along: Array  #: distance along the route at each vertex
    leg: NDArray[np.intp]  #: the leg of the segment starting at each vertex
    seg_len: Array
    same_leg: NDArray[np.bool_]  #: vertex i and i+1 are on one leg (a real segment)


def _route(s: SortieResult) -> _Route:
    pts = s.sortie.route
    lat = np.array([wp.point.lat_deg for wp in pts])
    lon = np.array([wp.point.lon_deg for wp in pts])
    d = geodesy.densify_legs(lat[:-1], lon[:-1], lat[1:], lon[1:], max_step_m=ROUTE_STEP_M)
    leg_start = np.concatenate(([0.0], np.cumsum([leg.distance_m for leg in s.legs])))
    along = leg_start[d.leg_index] + d.distance_m
    inv = geodesy.inverse(d.lat_deg[:-1], d.lon_deg[:-1], d.lat_deg[1:], d.lon_deg[1:])
    same = np.append(d.leg_index[:-1] == d.leg_index[1:], False)
    return _Route(
        lat=d.lat_deg,
        lon=d.lon_deg,
        xyz=ecef(d.lat_deg, d.lon_deg),
        along=along,
        leg=d.leg_index.astype(np.intp),
        seg_len=np.append(np.where(same[:-1], inv.distance_m, 0.0), 0.0),
        same_leg=same,
    )


def project(s: SortieResult, track: Track) -> Projection:
    """Each position's nearest point on the sortie's route (see the module, steps 1-3)."""
    r = _route(s)
    timed = sortie_timed_line(s)
    timed_along = np.concatenate(([0.0], np.cumsum(geodesy.leg_distances_m(timed.lat_deg, timed.lon_deg))))
    expected = np.interp(track.time_s, timed.time_s, timed_along)
    lat, lon = track.lat_deg, track.lon_deg
    segments = RouteSegments(xyz=r.xyz, valid=r.same_leg, along_m=r.along, length_m=r.seg_len)
    near = nearest_segments(segments, ecef(lat, lon), expected, ambiguity_m=AMBIGUITY_M, branch_m=BRANCH_M)
    seg = near.segment
    a = r.xyz[seg]
    foot_lat, foot_lon = geodetic(a + near.fraction[:, None] * (r.xyz[seg + 1] - a))
    cross = geodesy.inverse(lat, lon, foot_lat, foot_lon).distance_m
    return Projection(cross_track_m=cross, along_m=near.along_m, leg_index=r.leg[seg])


def _passes(s: SortieResult, track: Track, proj: Projection, gap_s: float) -> tuple[WaypointPass, ...]:
    route = s.sortie.route
    marks = np.concatenate(([0.0], np.cumsum([leg.distance_m for leg in s.legs])))
    modelled = [s.departure_times[0], *s.arrival_times[1:]]
    t, along, cross = track.time_s, proj.along_m, proj.cross_track_m
    close = cross <= PASS_RADIUS_M
    pair_ok = np.zeros(max(len(track) - 1, 0), dtype=bool)
    for sl in part_slices(track, gap_s):
        pair_ok[sl.start : max(sl.stop - 1, sl.start)] = True
    pair_ok &= close[:-1] & close[1:] & (along[1:] > along[:-1])
    out = []
    for i, wp in enumerate(route):
        mark, want = marks[i], modelled[i].timestamp()
        hits = np.flatnonzero(pair_ok & (along[:-1] <= mark) & (along[1:] >= mark))
        when: float | None = None
        where: float | None = None
        if hits.size:
            k = hits[np.argmin(np.abs(t[hits] - want))]
            frac = (mark - along[k]) / (along[k + 1] - along[k])
            when = float(t[k] + frac * (t[k + 1] - t[k]))
            where = float(cross[k] + frac * (cross[k + 1] - cross[k]))
        elif i in (0, len(route) - 1) and len(track) >= 2:
            # the track starts (ends) just after (before) the first (last) waypoint: extrapolate
            k = 0 if i == 0 else len(track) - 2
            end = k if i == 0 else k + 1
            if pair_ok[k] and abs(along[end] - mark) <= END_WINDOW_M:
                speed = (along[k + 1] - along[k]) / (t[k + 1] - t[k])
                when = float(t[end] + (mark - along[end]) / speed)
                where = float(cross[end])
        out.append(
            WaypointPass(
                index=i,
                name=wp.point.name,
                modelled=modelled[i],
                observed=None if when is None else dt.datetime.fromtimestamp(when, tz=dt.UTC),
                cross_track_m=where,
            )
        )
    return tuple(out)


def _off_route(track: Track, proj: Projection, gap_s: float) -> tuple[OffRoute, ...]:
    off = proj.cross_track_m > OFF_ROUTE_M
    out = []
    for sl in part_slices(track, gap_s):
        flags = off[sl]
        edges = np.flatnonzero(np.diff(np.concatenate(([0], flags.astype(np.int8), [0]))))
        for a, b in zip(edges[::2], edges[1::2], strict=True):
            lo, hi = sl.start + a, sl.start + b
            k = lo + int(np.argmax(proj.cross_track_m[lo:hi]))
            out.append(
                OffRoute(
                    start=dt.datetime.fromtimestamp(float(track.time_s[lo]), tz=dt.UTC),
                    end=dt.datetime.fromtimestamp(float(track.time_s[hi - 1]), tz=dt.UTC),
                    max_m=float(proj.cross_track_m[k]),
                    lat_deg=float(track.lat_deg[k]),
                    lon_deg=float(track.lon_deg[k]),
                    leg_index=int(proj.leg_index[k]),
                )
            )
    return tuple(out)


def _claims(s: SortieResult, summary: TrackSummary, claims: tuple[ClaimResult, ...]) -> tuple[ClaimCheck, ...]:
    duration_s = summary.duration_s
    observed = {
        "distance": summary.distance_m,
        "duration": duration_s,
        "speed": average_kmh(summary.distance_m, duration_s) if duration_s > 0 else float("nan"),
    }
    return tuple(ClaimCheck(claim=c, observed=observed[c.claim.quantity]) for c in claims if c.sortie == s.sortie.name)


def compare_sortie(
    s: SortieResult,
    track: Track,
    *,
    claims: tuple[ClaimResult, ...] = (),
    gap_s: float = DEFAULT_GAP_S,
    countries: bool = False,
) -> Comparison:
    """The observed ``track`` against the sortie's modelled route and times (see the module)."""
    summary = summarise(track, gap_s=gap_s, countries=countries)
    proj = project(s, track)
    k = int(np.argmax(proj.cross_track_m))
    return Comparison(
        sortie=s.sortie.name,
        summary=summary,
        projection=proj,
        max_deviation_m=float(proj.cross_track_m[k]),
        max_index=k,
        mean_deviation_m=float(proj.cross_track_m.mean()),
        off_route=_off_route(track, proj, gap_s),
        passes=_passes(s, track, proj, gap_s),
        route_distance_m=s.distance_m,
        covered_route_m=float(proj.along_m.max() - proj.along_m.min()),
        claims=_claims(s, summary, claims),
    )
