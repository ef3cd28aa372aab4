"""Computing a mission: legs, timings, weapon tracks and claims, as small immutable results.

``compute_mission(mission)`` is pure: the model in, a :class:`MissionResult` out. Distances are
geodesic on WGS84 (:mod:`missions.geodesy`); every sortie flies its legs at the leg's speed (the
waypoint's ``speed`` if given, else the sortie's; a range counts as its middle value), and spends
each waypoint's refuelling and hold durations there, one after the other. Weapons leave when the
aircraft reaches the launch point and fly their track (launch point → via-points → target) at the
weapon's speed: the launch's own ``speed`` if given, else the performance catalogue's.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import shapely
from numpy.typing import NDArray

from . import geodesy
from .errors import CatalogError, MissionError
from .limits import check_timeline
from .model import Claim, Launch, Mission, Point, Sortie, Waypoint
from .units import Speed, average_kmh, ms_from_kmh, speed_of_sound_kmh

WeaponSpeedLookup = Callable[[str], Speed | None]


@dataclass(frozen=True)
class Leg:
    """One leg of a sortie's route."""

    index: int
    start: Waypoint
    end: Waypoint
    distance_m: float
    initial_bearing_deg: float
    final_bearing_deg: float
    speed_kmh: float
    start_time: dt.datetime  #: departure from ``start`` (after its refuelling/holds)
    end_time: dt.datetime  #: arrival at ``end``
    cumulative_m: float  #: distance flown at the end of the leg

    @property
    def duration_s(self) -> float:
        return (self.end_time - self.start_time).total_seconds()


@dataclass(frozen=True)
class WeaponTrack:
    """One weapon flight: from a launch point to one target (through the launch's via-points).

    A weapon with no known speed (none in the file, none in the catalogue, or a weapon the catalogue
    lacks) is *untimed*: ``speed_kmh`` is None, its distance and track are computed and drawn, and its
    time of flight, vertex times and impact time are None ("unknown" to a reader).
    """

    launch: Launch
    weapon: str
    count: int
    launcher: str  #: the sortie's name, or the ship/ground platform
    origin: Point
    target: Point
    launch_time: dt.datetime
    distance_m: float
    speed_kmh: float | None  #: None: no known speed (an untimed track)
    line: shapely.LineString  #: densified geodesic track in (lon, lat), longitudes unwrapped
    route: geodesy.Densified  #: the same vertices, with leg index (0: launch → first via) and distance

    @property
    def timed(self) -> bool:
        return self.speed_kmh is not None

    @property
    def time_of_flight_s(self) -> float | None:
        return None if self.speed_kmh is None else self.distance_m / ms_from_kmh(self.speed_kmh)

    @property
    def vertex_times_s(self) -> NDArray[np.float64] | None:
        """Seconds after launch at which the weapon passes each vertex of :attr:`route` (one speed)."""
        return None if self.speed_kmh is None else self.route.distance_m / ms_from_kmh(self.speed_kmh)

    @property
    def impact_time(self) -> dt.datetime | None:
        tof_s = self.time_of_flight_s
        return None if tof_s is None else self.launch_time + dt.timedelta(seconds=tof_s)


@dataclass(frozen=True)
class JoinResult:
    """A rendezvous: when this sortie is at the join point and when the other one passes nearest."""

    sortie: str
    other: str
    at: Point
    time: dt.datetime
    other_time: dt.datetime
    distance_gap_m: float  #: from the join point to the other sortie's nearest waypoint

    @property
    def time_gap_s(self) -> float:
        return (self.time - self.other_time).total_seconds()


@dataclass(frozen=True)
class SortieResult:
    """A sortie with its legs, times and weapon tracks.

    The densified route is kept with every vertex's leg and distance (:attr:`route`); from it, in
    NumPy, :attr:`waypoint_vertices` (which vertex each waypoint is) and :attr:`vertex_times_s`
    (when the aircraft passes each vertex): what a map needs to place and animate the aircraft
    without any geodesy of its own.
    """

    sortie: Sortie
    legs: tuple[Leg, ...]
    arrival_times: tuple[dt.datetime, ...]  #: at each waypoint
    departure_times: tuple[dt.datetime, ...]  #: from each waypoint (after refuelling/holds)
    line: shapely.LineString  #: the whole route, densified, (lon, lat), longitudes unwrapped
    weapons: tuple[WeaponTrack, ...]
    #: the vertices of :attr:`line` with, for each, its leg (0-based) and the distance flown from takeoff;
    #: each leg starts on its waypoint's vertex, the last vertex is the last waypoint
    route: geodesy.Densified

    @cached_property
    def waypoint_vertices(self) -> NDArray[np.int64]:
        """Index in :attr:`route` of each waypoint's vertex (non-decreasing; one per waypoint)."""
        n_legs = len(self.legs)
        starts = np.searchsorted(self.route.leg_index, np.arange(n_legs), side="left")
        return np.append(starts, self.route.leg_index.size - 1).astype(np.int64)

    @cached_property
    def vertex_times_s(self) -> NDArray[np.float64]:
        """Seconds after takeoff at which the aircraft passes each vertex of :attr:`route`.

        A vertex ``d`` metres into leg ``i`` is passed at ``departure_i + d / speed_i``; a waypoint's
        vertex carries its *departure* (after refuelling and holds), the last vertex the landing.
        See :meth:`waypoint_times_s` for the arrivals.
        """
        leg = self.route.leg_index
        if not self.legs:
            return np.zeros(leg.size)
        t0 = self.takeoff_time
        departure_s = np.array([(t - t0).total_seconds() for t in self.departure_times])
        speed_ms = ms_from_kmh(np.array([lg.speed_kmh for lg in self.legs]))
        leg_start_m = np.array([lg.cumulative_m - lg.distance_m for lg in self.legs])
        times = departure_s[leg] + (self.route.distance_m - leg_start_m[leg]) / speed_ms[leg]
        times[-1] = (self.landing_time - t0).total_seconds()
        return times

    def waypoint_times_s(self) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Seconds after takeoff of the arrival at and the departure from each waypoint."""
        t0 = self.takeoff_time
        return (
            np.array([(t - t0).total_seconds() for t in self.arrival_times]),
            np.array([(t - t0).total_seconds() for t in self.departure_times]),
        )

    @property
    def distance_m(self) -> float:
        return float(sum(leg.distance_m for leg in self.legs))

    @property
    def takeoff_time(self) -> dt.datetime:
        return self.sortie.takeoff

    @property
    def landing_time(self) -> dt.datetime:
        return self.arrival_times[-1]

    @property
    def duration_s(self) -> float:
        """Takeoff to the last waypoint, events included."""
        return (self.landing_time - self.takeoff_time).total_seconds()

    @property
    def average_speed_kmh(self) -> float:
        """Distance over time from takeoff to landing (refuelling and holds included)."""
        return average_kmh(self.distance_m, self.duration_s)

    @property
    def refuel_count(self) -> int:
        return sum(len(wp.refuels) for wp in self.sortie.route)


@dataclass(frozen=True)
class ClaimResult:
    """A claim beside the computed value (same unit as :attr:`Claim.unit`)."""

    claim: Claim
    sortie: str | None
    computed: float
    implied_speed_kmh: float | None  #: the average speed the claim implies with the computed other quantity

    @property
    def ratio(self) -> float:
        return self.computed / self.claim.value if self.claim.value else float("inf")

    @property
    def difference(self) -> float:
        return self.computed - self.claim.value


@dataclass(frozen=True)
class MissionResult:
    """A computed mission."""

    mission: Mission
    sorties: tuple[SortieResult, ...]
    weapons: tuple[WeaponTrack, ...]  #: every weapon track, from sorties and ship/ground launches
    joins: tuple[JoinResult, ...]
    claims: tuple[ClaimResult, ...]

    def sortie(self, name: str) -> SortieResult:
        for result in self.sorties:
            if result.sortie.name == name:
                return result
        raise KeyError(name)

    @property
    def distance_m(self) -> float:
        return float(sum(s.distance_m for s in self.sorties))

    @property
    def start_time(self) -> dt.datetime | None:
        times = [s.takeoff_time for s in self.sorties] + [w.launch_time for w in self.weapons]
        return min(times) if times else None

    @property
    def end_time(self) -> dt.datetime | None:
        times = [s.landing_time for s in self.sorties] + [w.impact_time or w.launch_time for w in self.weapons]
        return max(times) if times else None


def _catalog_weapon_speed(name: str) -> Speed | None:
    """The weapon's speed from the performance catalogue (a Mach figure converted at 11 km).

    None when the catalogue has no speed for it or lacks the weapon (feasibility says which figure to give).
    """
    from .performance import find_weapon  # the catalogue is read only when a launch needs it

    try:
        weapon = find_weapon(name)
    except CatalogError:
        return None
    if weapon.speed_kmh is not None:
        low, high = weapon.speed_kmh.min, weapon.speed_kmh.max
    elif weapon.mach is not None:
        low, high = (weapon.mach.min * speed_of_sound_kmh(), weapon.mach.max * speed_of_sound_kmh())
    else:
        return None
    return Speed(float(low), float(high), f"{low:,.0f}-{high:,.0f} km/h ({weapon.name}, catalogue)")


def _weapon_tracks(
    launch: Launch,
    launcher: str,
    origin: Point,
    when: dt.datetime,
    lookup: WeaponSpeedLookup,
    file: str | None,
    tolerance_m: float,
) -> list[WeaponTrack]:
    speed = launch.speed
    if speed is None:
        try:
            speed = lookup(launch.weapon)
        except MissionError as exc:
            raise exc.with_location(file=file, line=launch.weapon_line, field=f"{launch.field}.weapon") from None
    tracks = []
    for target in launch.targets:
        points = (origin, *launch.via, target)
        lats = np.array([p.lat_deg for p in points])
        lons = np.array([p.lon_deg for p in points])
        distance_m = float(geodesy.leg_distances_m(lats, lons).sum())
        if speed is not None:
            check_timeline(
                distance_m / ms_from_kmh(speed.kmh),
                f"the flight of the {launch.weapon} to {target.name}",
                file=file,
                line=launch.weapon_line or launch.line,
                field=launch.field,
            )
        route = geodesy.densify_route(lats, lons, tolerance_m)
        tracks.append(
            WeaponTrack(
                launch=launch,
                weapon=launch.weapon,
                count=launch.count,
                launcher=launcher,
                origin=origin,
                target=target,
                launch_time=when,
                distance_m=distance_m,
                speed_kmh=None if speed is None else speed.kmh,
                line=geodesy.densified_line(route),
                route=route,
            )
        )
    return tracks


def compute_sortie(
    sortie: Sortie,
    *,
    weapon_speed: WeaponSpeedLookup = _catalog_weapon_speed,
    file: str | None = None,
    tolerance_m: float = geodesy.TOLERANCE_M,
) -> SortieResult:
    """Legs, times and weapon tracks of one sortie."""
    route = sortie.route
    lats = np.array([wp.point.lat_deg for wp in route])
    lons = np.array([wp.point.lon_deg for wp in route])
    inv = geodesy.inverse(lats[:-1], lons[:-1], lats[1:], lons[1:])
    speeds_kmh = np.array([(wp.speed or sortie.speed).kmh for wp in route[:-1]])
    leg_s = inv.distance_m / ms_from_kmh(speeds_kmh)
    dwell_s = np.array([wp.event_duration_s for wp in route])
    # departure_i = takeoff + sum(legs before i) + sum(dwell up to and including i)
    arrival_s = np.concatenate(([0.0], np.cumsum(leg_s))) + np.concatenate(([0.0], np.cumsum(dwell_s[:-1])))
    departure_s = arrival_s + dwell_s
    check_timeline(float(departure_s[-1]), f"sortie {sortie.name!r}", file=file, line=sortie.line, field=sortie.field)
    t0 = sortie.takeoff
    arrivals = tuple(t0 + dt.timedelta(seconds=float(s)) for s in arrival_s)
    departures = tuple(t0 + dt.timedelta(seconds=float(s)) for s in departure_s)
    cumulative = np.cumsum(inv.distance_m)
    legs = tuple(
        Leg(
            index=i,
            start=route[i],
            end=route[i + 1],
            distance_m=float(inv.distance_m[i]),
            initial_bearing_deg=float(inv.initial_bearing_deg[i]),
            final_bearing_deg=float(inv.final_bearing_deg[i]),
            speed_kmh=float(speeds_kmh[i]),
            start_time=departures[i],
            end_time=arrivals[i + 1],
            cumulative_m=float(cumulative[i]),
        )
        for i in range(len(route) - 1)
    )
    weapons = [
        track
        for i, wp in enumerate(route)
        for launch in wp.launches
        for track in _weapon_tracks(launch, sortie.name, wp.point, arrivals[i], weapon_speed, file, tolerance_m)
    ]
    route_vertices = geodesy.densify_route(lats, lons, tolerance_m)
    return SortieResult(
        sortie=sortie,
        legs=legs,
        arrival_times=arrivals,
        departure_times=departures,
        line=geodesy.densified_line(route_vertices),
        weapons=tuple(weapons),
        route=route_vertices,
    )


def _joins(results: tuple[SortieResult, ...]) -> tuple[JoinResult, ...]:
    by_name = {r.sortie.name: r for r in results}
    joins = []
    for result in results:
        for i, wp in enumerate(result.sortie.route):
            for join in wp.joins:
                other = by_name[join.sortie]
                o_lat = np.array([w.point.lat_deg for w in other.sortie.route])
                o_lon = np.array([w.point.lon_deg for w in other.sortie.route])
                gaps = geodesy.inverse(wp.point.lat_deg, wp.point.lon_deg, o_lat, o_lon).distance_m
                j = int(np.argmin(gaps))
                joins.append(
                    JoinResult(
                        sortie=result.sortie.name,
                        other=other.sortie.name,
                        at=wp.point,
                        time=result.arrival_times[i],
                        other_time=other.arrival_times[j],
                        distance_gap_m=float(gaps[j]),
                    )
                )
    return tuple(joins)


def _claim_result(claim: Claim, sorties: tuple[SortieResult, ...], weapons: tuple[WeaponTrack, ...]) -> ClaimResult:
    """Set a claim beside the named sortie (default: the first); with no sorties, the weapon tracks.

    A mission of ship or ground launches only compares distance and duration claims with the mean
    weapon track distance and time of flight.
    """
    target = next((r for r in sorties if r.sortie.name == claim.sortie), sorties[0] if sorties else None)
    if target is None:
        if not weapons:
            return ClaimResult(claim=claim, sortie=None, computed=float("nan"), implied_speed_kmh=None)
        distance_m = float(np.mean([w.distance_m for w in weapons]))
        tofs = [t for t in (w.time_of_flight_s for w in weapons) if t is not None]
        duration_s = float(np.mean(tofs)) if len(tofs) == len(weapons) else math.nan  # an untimed weapon: unknown
        subject = "weapons"
    else:
        distance_m, duration_s, subject = target.distance_m, target.duration_s, target.sortie.name
    if claim.quantity == "distance":
        computed = distance_m
        implied = average_kmh(claim.value, duration_s) if duration_s > 0 else None
    elif claim.quantity == "duration":
        computed = duration_s
        implied = average_kmh(distance_m, claim.value) if claim.value > 0 else None
    else:
        computed = average_kmh(distance_m, duration_s) if duration_s > 0 else float("nan")
        implied = claim.value
    return ClaimResult(claim=claim, sortie=subject, computed=float(computed), implied_speed_kmh=implied)


def compute_mission(
    mission: Mission,
    *,
    weapon_speed: WeaponSpeedLookup = _catalog_weapon_speed,
    tolerance_m: float = geodesy.TOLERANCE_M,
) -> MissionResult:
    """Compute every sortie, weapon track, rendezvous and claim of a mission."""
    sorties = tuple(
        compute_sortie(s, weapon_speed=weapon_speed, file=mission.file, tolerance_m=tolerance_m)
        for s in mission.sorties
    )
    ship_tracks = [
        track
        for launch in mission.launches
        if launch.origin is not None and launch.time is not None
        for track in _weapon_tracks(
            launch,
            launch.platform or "launcher",
            launch.origin,
            launch.time,
            weapon_speed,
            mission.file,
            tolerance_m,
        )
    ]
    weapons = tuple(t for s in sorties for t in s.weapons) + tuple(ship_tracks)
    return MissionResult(
        mission=mission,
        sorties=sorties,
        weapons=weapons,
        joins=_joins(sorties),
        claims=tuple(_claim_result(c, sorties, weapons) for c in mission.claims),
    )
