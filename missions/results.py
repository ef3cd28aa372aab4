"""The results of computing a mission: legs, sortie and weapon timings, joins and claims.

Small immutable records built by :func:`missions.analysis.compute_mission` (which re-exports them);
the figures derived from their stored values (times per vertex, durations, average speed, claim
ratio) are properties here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import shapely
from numpy.typing import NDArray

from . import geodesy
from .model import Claim, Launch, Mission, Point, Sortie, Waypoint
from .units import average_kmh, ms_from_kmh


@dataclass(frozen=True, kw_only=True)
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


@dataclass(frozen=True, kw_only=True)
class WeaponTrack:
    """One weapon flight: from a launch point to one target (through the launch's via-points).

    A weapon with no known speed (none in the file, none in the catalogue, or a weapon the catalogue
    lacks) is *untimed*: ``speed_kmh`` is None, its distance and track are computed and drawn, and its
    time of flight, vertex times and impact time are None ("unknown" to a reader). A weapon released
    over its target (a track of length 0: a gravity bomb) is timed with or without a speed: its flight
    time is 0 and its impact time the release time (its fall time is not modelled). This is the one
    place weapon timing is decided; every face reads these properties.
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
    def released_over_target(self) -> bool:
        """A track of length 0: released over its target, it needs no range and no speed."""
        return self.distance_m == 0.0

    @property
    def timed(self) -> bool:
        return self.speed_kmh is not None or self.released_over_target

    def seconds_after_launch(self, along_m: NDArray[np.float64]) -> NDArray[np.float64] | None:
        """When the weapon is ``along_m`` metres down its track, in seconds after launch; None when untimed."""
        if self.speed_kmh is not None:
            return np.asarray(along_m, dtype=np.float64) / ms_from_kmh(self.speed_kmh)
        if self.released_over_target:
            return np.zeros_like(along_m, dtype=np.float64)
        return None

    @property
    def time_of_flight_s(self) -> float | None:
        seconds = self.seconds_after_launch(np.array([self.distance_m]))
        return None if seconds is None else float(seconds[0])

    @property
    def vertex_times_s(self) -> NDArray[np.float64] | None:
        """Seconds after launch at which the weapon passes each vertex of :attr:`route` (one speed)."""
        return self.seconds_after_launch(self.route.distance_m)

    @property
    def impact_time(self) -> dt.datetime | None:
        tof_s = self.time_of_flight_s
        return None if tof_s is None else self.launch_time + dt.timedelta(seconds=tof_s)


@dataclass(frozen=True, kw_only=True)
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


@dataclass(frozen=True, kw_only=True)
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


@dataclass(frozen=True, kw_only=True)
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


@dataclass(frozen=True, kw_only=True)
class MissionResult:
    """A computed mission."""

    mission: Mission
    sorties: tuple[SortieResult, ...]
    weapons: tuple[WeaponTrack, ...]  #: every weapon track, from sorties and ship/ground launches
    joins: tuple[JoinResult, ...]
    claims: tuple[ClaimResult, ...]
    #: the sorties by name, built on first use (a big mission asks for thousands)
    _by_name: dict[str, SortieResult] = field(default_factory=dict, init=False, repr=False, compare=False)

    def sortie(self, name: str) -> SortieResult:
        if not self._by_name and self.sorties:
            for result in self.sorties:
                self._by_name.setdefault(result.sortie.name, result)
        return self._by_name[name]

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
