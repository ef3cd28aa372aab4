"""Feasibility: fuel and range along each sortie, weapon reach and rendezvous, gathered into one
verdict per sortie. Pure functions over a computed mission and the performance catalogue.

Method (documented in the README, "Feasibility"):

* **Range budget.** Each sortie starts with its aircraft's unrefuelled range ``R`` (the sortie's
  ``range`` if the file gives one, else the catalogue's; a min–max figure gives three scenarios:
  min, nominal (middle) and max). Flying a leg spends its length; time spent at a waypoint (a hold,
  or the time of a refuelling) spends ``duration × cruise speed``. The budget runs to the end of the
  route however far below zero it goes: the report gives the deficit at landing and the first point
  (and time) where the aircraft runs dry.
* **Refuelling.** A refuelling adds the tanker's offload converted to range with
  ``R / internal fuel`` (the file's ``offload``, else the tanker's catalogue offload), never beyond
  ``R`` (full tanks). When the offload cannot be converted (no fuel figure for the aircraft) or is
  unknown (a tanker the catalogue lacks or whose offload no source gives), the refuelling is counted
  as filling the tanks and a warning says so and why.
* **Refuellings needed.** When the nominal budget runs dry, the smallest number of further
  refuellings with the sortie's stated tanker (its offload as above; full tanks when none is stated)
  that lands the aircraft with fuel left, and the latest point and time where each tanker must meet
  it. Refuelling when the tank runs dry wastes no offload against the full-tank cap, so this greedy
  plan needs the fewest refuellings.
* **Findings** (:mod:`missions.findings`): running dry is an error, running dry only with the
  lowest sourced range a warning; a leg faster than the maximum speed, a weapon beyond its range and
  an avoid-list breach (from :mod:`missions.airspace`) are errors. A figure the catalogue lacks is an
  ``unknown`` finding naming the field to give. They make the sortie's one :class:`Status`.
* **Weapon reach.** A track is in range when its length (launch point → via-points → target) is at
  most the weapon's longest sourced range; the margin is that range minus the length. The launch
  basket (where a launch reaches the target) is the geodesic disc of that radius around the target,
  or, with via-points, around the first via-point with the via path's length taken off.

The range budget, the verdicts and the rendezvous are here; refuelling (offload to range, the
refuellings needed) is in :mod:`missions.refuelling`, weapon reach in :mod:`missions.reach`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely

from .analysis import JoinResult, MissionResult, SortieResult, WeaponTrack
from .bands import Band, distance_band_m, duration_band_s
from .errors import CatalogError
from .findings import Finding, FindingKind, Severity, Status, ok_of, status_of
from .performance import Aircraft, find_aircraft
from .reach import WeaponReach, _disc, _figure_m, _unknown, untimed_finding, weapon_reach
from .refuelling import MAX_REFUELS_PLANNED, TankerMeeting, _Gain, _hm, _meeting, _plan, _plan_finding, _refuel_gain
from .units import format_distance, format_speed, ms_from_kmh
from .verdicts import ClaimVerdict, claim_verdict

if TYPE_CHECKING:
    from .airspace import MissionAirspace

__all__ = [
    "MAX_REFUELS_PLANNED",
    "Band",
    "ClaimVerdict",
    "Feasibility",
    "Finding",
    "RendezvousCheck",
    "SortieFeasibility",
    "TankerMeeting",
    "WeaponReach",
    "assess",
    "assess_sortie",
    "untimed_finding",
    "weapon_reach",
]


@dataclass(frozen=True, kw_only=True)
class SortieFeasibility:
    """Range budget, findings, refuellings needed and bands of one sortie."""

    result: SortieResult
    aircraft: Aircraft | None
    range_m: tuple[float, float, float]  #: min, nominal, max unrefuelled range (NaN when unknown)
    internal_fuel_kg: float | None
    remaining_arrival_m: np.ndarray  #: nominal remaining range on arrival at each waypoint (may be < 0)
    remaining_departure_m: np.ndarray  #: ... on departure (after refuelling)
    findings: tuple[Finding, ...]
    distance_band_m: Band
    duration_band_s: Band
    tanker_point: Finding | None = None  #: where the nominal budget first runs dry, if it does
    landing_deficit_m: float = 0.0  #: range missing at landing (0 when it lands with fuel)
    refuels_needed: tuple[TankerMeeting, ...] = ()  #: further refuellings that close the gap
    plan_tanker: str | None = None  #: the tanker the plan assumes (None: each fills the tanks)
    plan_gain_m: float = math.inf  #: range each planned refuelling adds (inf: full tanks)

    @property
    def status(self) -> Status:
        """The one verdict on the sortie, from all its findings (range, speed, avoid, reach, unknown)."""
        return status_of(self.findings)

    @property
    def ok(self) -> bool:
        return self.status is Status.OK

    @property
    def ok_json(self) -> bool | None:
        """``ok`` as JSON gives it: ``None`` when feasibility is unknown."""
        return ok_of(self.findings)

    @property
    def fuel_arrival_kg(self) -> np.ndarray | None:
        if self.internal_fuel_kg is None or not math.isfinite(self.range_m[1]):
            return None
        return np.maximum(self.remaining_arrival_m, 0.0) * self.internal_fuel_kg / self.range_m[1]

    def remaining_range_ring(self, waypoint_index: int, n_vertices: int = 180) -> shapely.Polygon | None:
        """Geodesic ring of the remaining range on departure from a waypoint (None when empty)."""
        point = self.result.sortie.route[waypoint_index].point
        return _disc(point, float(self.remaining_departure_m[waypoint_index]), n_vertices)


@dataclass(frozen=True, kw_only=True)
class RendezvousCheck:
    join: JoinResult
    latest_takeoff: dt.datetime
    fuel_home: bool
    message: str


@dataclass(frozen=True, kw_only=True)
class Feasibility:
    """Everything :func:`assess` finds about a mission."""

    sorties: tuple[SortieFeasibility, ...]
    weapons: tuple[WeaponReach, ...]
    rendezvous: tuple[RendezvousCheck, ...]
    verdicts: tuple[ClaimVerdict, ...]
    findings: tuple[Finding, ...] = field(default=())  #: every finding, the sorties' and the ship launches'
    #: sorties by name and weapon reaches by track, filled on first use
    _index: dict[str, dict[Any, Any]] = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def status(self) -> Status:
        """The mission's verdict: its sorties' and ship launches' findings together."""
        return status_of(self.findings)

    def sortie(self, name: str) -> SortieFeasibility:
        by_name = self._index.get("sorties")
        if by_name is None:  # built once: the report reads every sortie's (thousands in a big mission)
            by_name = self._index["sorties"] = {}
            for s in self.sorties:
                by_name.setdefault(s.result.sortie.name, s)
        return by_name[name]

    def reach_of(self, track: WeaponTrack) -> WeaponReach | None:
        by_track = self._index.get("weapons")
        if by_track is None:
            by_track = self._index["weapons"] = {}
            for w in self.weapons:
                by_track.setdefault(id(w.track), w)
        return by_track.get(id(track))


def _aircraft(result: SortieResult) -> tuple[Aircraft | None, list[Finding]]:
    """The catalogue entry of the sortie's aircraft, or None with a finding naming the figures to give."""
    sortie = result.sortie
    try:
        return find_aircraft(sortie.aircraft), []
    except CatalogError as exc:
        if sortie.range_m is not None:
            return None, []
        hint = f" (did you mean {', '.join(repr(s) for s in exc.suggestions)}?)" if exc.suggestions else ""
        return None, [
            _unknown(
                f"{exc.message}{hint}; feasibility unknown: give the sortie's 'range' (and 'fuel' to use offloads)",
                sortie.name,
                f"{sortie.field}.aircraft",
                sortie.aircraft_line,
            )
        ]


def assess_sortie(result: SortieResult, *, extra: tuple[Finding, ...] = ()) -> SortieFeasibility:
    """The range budget of one sortie along its route, with findings, refuellings needed and bands.

    ``extra`` findings (airspace ``avoid`` breaches, weapon reach) join the sortie's own.
    """
    sortie = result.sortie
    aircraft, findings = _aircraft(result)
    distance_band, duration_band = distance_band_m(result), duration_band_s(result)
    ranges: tuple[float, float, float] | None
    if sortie.range_m is not None:
        ranges = (sortie.range_m, sortie.range_m, sortie.range_m)
    else:
        ranges = _figure_m(aircraft.unrefuelled_range_km) if aircraft else None
    n = len(sortie.route)
    if ranges is None:
        if aircraft is not None:
            findings.append(
                _unknown(
                    f"no source gives the {aircraft.name}'s range; feasibility unknown: give the sortie's 'range'",
                    sortie.name,
                    f"{sortie.field}.range",
                    sortie.line,
                )
            )
        findings += _speed_findings(result, aircraft)
        for wp in sortie.route:  # a tanker the catalogue lacks is still named, with suggestions
            for refuel in wp.refuels:
                _, warning = _refuel_gain(refuel, math.nan, None, sortie.aircraft, wp.point.name)
                if warning is not None and warning.field and warning.field.endswith(".tanker"):
                    findings.append(dataclasses.replace(warning, sortie=sortie.name))
        nan = np.full(n, np.nan)
        return SortieFeasibility(
            result=result,
            aircraft=aircraft,
            range_m=(math.nan,) * 3,
            internal_fuel_kg=None,
            remaining_arrival_m=nan,
            remaining_departure_m=nan,
            findings=(*findings, *extra),
            distance_band_m=distance_band,
            duration_band_s=duration_band,
        )
    fuel_kg = sortie.fuel_kg or (aircraft.internal_fuel_kg.nominal if aircraft and aircraft.internal_fuel_kg else None)
    cruise_ms = ms_from_kmh(sortie.speed.kmh)
    full = np.array(ranges, dtype=np.float64)  # min, nominal, max
    gains: list[list[float]] = []
    stated: _Gain | None = None
    for wp in sortie.route:
        here: list[float] = []
        for refuel in wp.refuels:
            gain, warning = _refuel_gain(refuel, ranges[1], fuel_kg, sortie.aircraft, wp.point.name)
            if warning is not None:
                findings.append(dataclasses.replace(warning, sortie=sortie.name))
            here.append(gain.range_m)
            stated = gain
        gains.append(here)
    arrival = np.zeros((3, n))
    departure = np.zeros((3, n))
    remaining = full.copy()
    tanker_point: Finding | None = None
    low_warned = False
    for i, wp in enumerate(sortie.route):  # one step per waypoint, the three scenarios at once
        if i > 0:
            leg = result.legs[i - 1]
            start = remaining.copy()
            remaining = remaining - leg.distance_m
            if start[1] >= 0 > remaining[1] and tanker_point is None:
                meet = _meeting(leg, float(start[1]))
                tanker_point = Finding(
                    severity=Severity.ERROR,
                    kind=FindingKind.RANGE,
                    message=(
                        f"runs dry on leg {leg.start.point.name} → {leg.end.point.name} at {meet.lat_deg:.2f}, "
                        f"{meet.lon_deg:.2f} ({_hm(meet.time)}), {format_distance(meet.along_m)} from takeoff: "
                        "a tanker must meet it by there"
                    ),
                    sortie=sortie.name,
                    leg_index=leg.index,
                    lat_deg=meet.lat_deg,
                    lon_deg=meet.lon_deg,
                    time=meet.time,
                )
                findings.append(tanker_point)
            elif start[0] >= 0 > remaining[0] and not low_warned:
                low_warned = True
                findings.append(
                    Finding(
                        severity=Severity.WARNING,
                        kind=FindingKind.RANGE,
                        message=(
                            f"with the lowest sourced range ({format_distance(ranges[0])}) it runs dry on leg "
                            f"{leg.start.point.name} → {leg.end.point.name}"
                        ),
                        sortie=sortie.name,
                        leg_index=leg.index,
                    )
                )
        arrival[:, i] = remaining
        remaining = remaining - wp.event_duration_s * cruise_ms
        for g in gains[i]:
            remaining = np.minimum(remaining + g, full)
        departure[:, i] = remaining
    findings += _speed_findings(result, aircraft)
    landing = float(arrival[1, -1])
    last = sortie.route[-1].point.name
    deficit = max(0.0, -landing)
    plan_gain = stated.range_m if stated is not None else math.inf
    plan_tanker = stated.tanker if stated is not None else None
    needed: tuple[TankerMeeting, ...] = ()
    if tanker_point is None and deficit == 0.0:
        findings.append(
            Finding(
                severity=Severity.INFO,
                kind=FindingKind.RANGE,
                message=f"lands with about {format_distance(landing)} of range left (of {format_distance(ranges[1])})",
                sortie=sortie.name,
            )
        )
    else:
        if deficit > 0:
            findings.append(
                Finding(
                    severity=Severity.ERROR,
                    kind=FindingKind.RANGE,
                    message=(
                        f"lands {format_distance(deficit)} short of {last}: "
                        f"the range budget is {format_distance(landing)} at landing"
                    ),
                    sortie=sortie.name,
                    leg_index=len(result.legs) - 1,
                )
            )
        planned = _plan(result, ranges[1], gains, plan_gain, cruise_ms)
        findings.append(_plan_finding(sortie.name, planned, plan_tanker, stated, plan_gain))
        needed = planned or ()
    return SortieFeasibility(
        result=result,
        aircraft=aircraft,
        range_m=ranges,
        internal_fuel_kg=fuel_kg,
        remaining_arrival_m=arrival[1],
        remaining_departure_m=departure[1],
        findings=(*findings, *extra),
        tanker_point=tanker_point,
        landing_deficit_m=deficit,
        refuels_needed=needed,
        plan_tanker=plan_tanker,
        plan_gain_m=plan_gain,
        distance_band_m=distance_band,
        duration_band_s=duration_band,
    )


def _speed_findings(result: SortieResult, aircraft: Aircraft | None) -> list[Finding]:
    max_speed = aircraft.max_speed_kmh.max if aircraft and aircraft.max_speed_kmh else None
    if max_speed is None:
        return []
    return [
        Finding(
            severity=Severity.ERROR,
            kind=FindingKind.SPEED,
            message=(
                f"leg {leg.start.point.name} → {leg.end.point.name} is flown at {format_speed(leg.speed_kmh)}, "
                f"above the {result.sortie.aircraft}'s maximum of {format_speed(max_speed)}"
            ),
            sortie=result.sortie.name,
            leg_index=leg.index,
        )
        for leg in result.legs
        if leg.speed_kmh > max_speed
    ]


def _rendezvous(join: JoinResult, result: MissionResult, feas: dict[str, SortieFeasibility]) -> RendezvousCheck:
    mine = result.sortie(join.sortie)
    idx = next(i for i, wp in enumerate(mine.sortie.route) if wp.point == join.at)
    to_join = mine.arrival_times[idx] - mine.takeoff_time
    latest = join.other_time - to_join
    home = feas[join.sortie].landing_deficit_m == 0.0 and feas[join.sortie].tanker_point is None
    message = (
        f"{join.sortie} must take off by {_hm(latest)} to be at {join.at.name} when {join.other} passes "
        f"({_hm(join.other_time)}); planned {_hm(mine.takeoff_time)}; "
        + ("it has the range to get home" if home else "it does not have the range to get home")
    )
    return RendezvousCheck(join=join, latest_takeoff=latest, fuel_home=home, message=message)


def assess(result: MissionResult, airspace: MissionAirspace | None = None) -> Feasibility:
    """Assess every sortie, weapon track, rendezvous and claim of a computed mission.

    With ``airspace`` (:func:`missions.airspace.mission_airspace` of the same mission), each sortie's
    ``avoid`` breaches count in its verdict, like its range, speed and weapon-reach findings.
    """
    sortie_names = {s.sortie.name for s in result.sorties}
    weapons: list[WeaponReach] = []
    by_launcher: dict[str, list[Finding]] = {}
    for track in result.weapons:
        reach, finding = weapon_reach(track)
        weapons.append(reach)
        for f in (finding, untimed_finding(track)):
            if f is not None:
                by_launcher.setdefault(track.launcher if track.launcher in sortie_names else "", []).append(f)
    sorties = []
    for s in result.sorties:
        name = s.sortie.name
        avoid = airspace.sorties[name].findings if airspace is not None and name in airspace.sorties else ()
        sorties.append(assess_sortie(s, extra=(*avoid, *by_launcher.get(name, ()))))
    by_name = {s.result.sortie.name: s for s in sorties}
    findings = (*(f for s in sorties for f in s.findings), *by_launcher.get("", ()))
    rendezvous = tuple(_rendezvous(j, result, by_name) for j in result.joins)
    verdicts = tuple(claim_verdict(c, result, by_name) for c in result.claims)
    return Feasibility(
        sorties=tuple(sorties), weapons=tuple(weapons), rendezvous=rendezvous, verdicts=verdicts, findings=findings
    )
