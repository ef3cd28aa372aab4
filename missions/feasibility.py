"""Feasibility: fuel and range along each sortie, weapon reach, rendezvous, uncertainty bands and
verdicts on claims. Pure functions over a computed mission and the performance catalogue.

Method (documented in the README, "Feasibility"):

* **Range budget.** Each sortie starts with its aircraft's unrefuelled range ``R`` (the sortie's
  ``range`` if the file gives one, else the catalogue's; a min–max figure gives three scenarios:
  min, nominal (middle) and max). Flying a leg spends its length; time spent at a waypoint (a hold,
  or the time of a refuelling) spends ``duration × cruise speed``. A refuelling adds the tanker's
  offload converted to range with ``R / internal fuel`` (the file's ``offload``, else the tanker's
  catalogue offload, else the tanks are filled), never beyond ``R`` (full tanks). Fuel in kg is
  ``remaining range × internal fuel / R`` when the fuel is known. No reserve is kept.
* **Findings.** A leg on which the nominal budget runs out is an error, with the deficit, the
  point where the fuel runs out (the last point where a tanker must meet the aircraft) and its time.
  Running out only in the min-range scenario is a warning. A leg flown faster than the aircraft's
  maximum speed is an error.
* **Weapon reach.** A track is in range when its length (launch point → via-points → target) is at
  most the weapon's longest sourced range; the margin is that range minus the length. The launch
  basket (where a launch reaches the target) is the geodesic disc of that radius around the target,
  or, with via-points, around the first via-point with the via path's length taken off.
* **Uncertainty bands.** A waypoint's ``radius`` moves it anywhere in a disc; a leg between discs
  of radii ``r1``, ``r2`` around points ``d`` apart is between ``max(0, d − r1 − r2)`` and
  ``d + r1 + r2`` long (triangle inequality; both attained for a single leg). The band of a route is
  the sum of its legs' bands — an outer bound: no route through the discs is shorter or longer.
  Times: the shortest distance at each leg's highest speed and the longest at its lowest, plus the
  time spent at waypoints.
* **Verdicts.** A claim is ``consistent`` when it lies in the band widened by a tolerance (the
  route between sourced points is a reconstruction: 10 % for ``about``, 2 % for ``exactly``, 5 %
  for bounds such as ``more than``), ``impossible`` when it implies an average speed above the
  aircraft's maximum (or below zero time), else ``inconsistent``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import shapely

from . import geodesy
from .analysis import ClaimResult, JoinResult, MissionResult, SortieResult, WeaponTrack
from .errors import CatalogError, MissionError
from .model import Point
from .performance import Aircraft, Figure, find_aircraft, find_weapon

TOLERANCE = {
    "about": 0.10,
    "exactly": 0.02,
    "more than": 0.05,
    "at least": 0.05,
    "less than": 0.05,
    "at most": 0.05,
}
VERDICTS = ("consistent", "inconsistent", "impossible")


@dataclass(frozen=True)
class Finding:
    """One thing found about a sortie or weapon: ``severity`` is error, warning or info."""

    severity: str
    kind: str
    message: str
    sortie: str | None = None
    leg_index: int | None = None
    lat_deg: float | None = None
    lon_deg: float | None = None
    time: dt.datetime | None = None


@dataclass(frozen=True)
class Band:
    """A min–max interval of a quantity (metres, seconds)."""

    low: float
    high: float

    def widened(self, fraction: float) -> Band:
        return Band(self.low * (1 - fraction), self.high * (1 + fraction))


#: a disc wider than this (most of a half-circumference) is drawn at this radius
_MAX_DISC_M = 19_900_000.0


def _disc(centre: Point, radius_m: float, n_vertices: int) -> shapely.Polygon | None:
    """The geodesic disc of ``radius_m`` around ``centre``; None when the radius is not positive."""
    if not radius_m > 0:
        return None
    return geodesy.geodesic_ring(centre.lat_deg, centre.lon_deg, min(radius_m, _MAX_DISC_M), n_vertices)


@dataclass(frozen=True)
class SortieFeasibility:
    """Range budget, findings and bands of one sortie."""

    result: SortieResult
    aircraft: Aircraft | None
    range_m: tuple[float, float, float]  #: min, nominal, max unrefuelled range
    internal_fuel_kg: float | None
    remaining_arrival_m: np.ndarray  #: nominal remaining range on arrival at each waypoint
    remaining_departure_m: np.ndarray  #: ... on departure (after refuelling)
    findings: tuple[Finding, ...]
    distance_band_m: Band
    duration_band_s: Band
    tanker_point: Finding | None = None  #: where the nominal budget runs out, if it does

    @property
    def ok(self) -> bool:
        return not any(f.severity == "error" for f in self.findings)

    @property
    def fuel_arrival_kg(self) -> np.ndarray | None:
        if self.internal_fuel_kg is None:
            return None
        return np.maximum(self.remaining_arrival_m, 0.0) * self.internal_fuel_kg / self.range_m[1]

    def remaining_range_ring(self, waypoint_index: int, n_vertices: int = 180) -> shapely.Polygon | None:
        """Geodesic ring of the remaining range on departure from a waypoint (None when empty)."""
        point = self.result.sortie.route[waypoint_index].point
        return _disc(point, float(self.remaining_departure_m[waypoint_index]), n_vertices)


@dataclass(frozen=True)
class WeaponReach:
    """A weapon track against the weapon's range."""

    track: WeaponTrack
    range_min_m: float
    range_max_m: float

    @property
    def in_range(self) -> bool:
        return self.track.distance_m <= self.range_max_m

    @property
    def margin_m(self) -> float:
        return self.range_max_m - self.track.distance_m

    def basket(self, n_vertices: int = 180) -> shapely.Polygon | None:
        """Where a launch of this weapon reaches the target (through the same via-points)."""
        via = self.track.launch.via
        if via:
            lats = np.array([p.lat_deg for p in (*via, self.track.target)])
            lons = np.array([p.lon_deg for p in (*via, self.track.target)])
            radius = self.range_max_m - float(geodesy.leg_distances_m(lats, lons).sum())
            centre = via[0]
        else:
            radius, centre = self.range_max_m, self.track.target
        return _disc(centre, radius, n_vertices)


@dataclass(frozen=True)
class ClaimVerdict:
    claim: ClaimResult
    verdict: str
    reason: str
    band: Band


@dataclass(frozen=True)
class RendezvousCheck:
    join: JoinResult
    latest_takeoff: dt.datetime
    fuel_home: bool
    message: str


@dataclass(frozen=True)
class Feasibility:
    """Everything :func:`assess` finds about a mission."""

    sorties: tuple[SortieFeasibility, ...]
    weapons: tuple[WeaponReach, ...]
    rendezvous: tuple[RendezvousCheck, ...]
    verdicts: tuple[ClaimVerdict, ...]
    findings: tuple[Finding, ...] = field(default=())

    def sortie(self, name: str) -> SortieFeasibility:
        return next(s for s in self.sorties if s.result.sortie.name == name)

    def reach_of(self, track: WeaponTrack) -> WeaponReach | None:
        return next((w for w in self.weapons if w.track is track), None)


def _figure_m(figure: Figure | None) -> tuple[float, float, float] | None:
    if figure is None:
        return None
    return figure.min * 1000.0, figure.nominal * 1000.0, figure.max * 1000.0


def _aircraft(result: SortieResult, file: str | None) -> Aircraft | None:
    sortie = result.sortie
    try:
        return find_aircraft(sortie.aircraft)
    except CatalogError as exc:
        if sortie.range_m is not None:
            return None
        raise MissionError(
            f"{exc.message}; give the sortie's own 'range' (and 'fuel') to assess it",
            file=file,
            line=sortie.line,
            field="aircraft",
            suggestions=exc.suggestions,
        ) from None


def _hm(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).strftime("%d %b %H:%M UTC")


def _km(metres: float) -> str:
    return f"{metres / 1000:,.0f} km"


def distance_band_m(result: SortieResult) -> Band:
    """Shortest and longest route through the waypoints' uncertainty discs (outer bound, see module)."""
    d = np.array([leg.distance_m for leg in result.legs])
    radii = np.array([wp.point.radius_m for wp in result.sortie.route])
    slack = radii[:-1] + radii[1:]
    return Band(float(np.maximum(d - slack, 0.0).sum()), float((d + slack).sum()))


def duration_band_s(result: SortieResult) -> Band:
    """Fastest and slowest schedule: band distances at the legs' highest and lowest speeds."""
    sortie = result.sortie
    d = np.array([leg.distance_m for leg in result.legs])
    radii = np.array([wp.point.radius_m for wp in sortie.route])
    slack = radii[:-1] + radii[1:]
    speeds = [wp.speed or sortie.speed for wp in sortie.route[:-1]]
    fast = np.array([s.max_kmh for s in speeds]) / 3.6
    slow = np.array([s.min_kmh for s in speeds]) / 3.6
    dwell = sum(wp.event_duration_s for wp in sortie.route[:-1])
    return Band(float((np.maximum(d - slack, 0.0) / fast).sum() + dwell), float(((d + slack) / slow).sum() + dwell))


def _offload_m(refuel, range_nominal_m: float, fuel_kg: float | None) -> float:
    """Range that a refuelling adds (before the full-tank cap)."""
    offload = refuel.offload_kg
    if offload is None:
        try:
            tanker = find_aircraft(refuel.tanker)
            offload = tanker.offload_kg.nominal if tanker.offload_kg is not None else None
        except CatalogError:
            offload = None
    if offload is None or fuel_kg is None:
        return float("inf")  # unknown offload: the tanks are filled
    return offload * range_nominal_m / fuel_kg


def assess_sortie(result: SortieResult, *, file: str | None = None) -> SortieFeasibility:
    """The range budget of one sortie along its route, with findings and bands."""
    sortie = result.sortie
    aircraft = _aircraft(result, file)
    if sortie.range_m is not None:
        ranges = (sortie.range_m, sortie.range_m, sortie.range_m)
    else:
        ranges = _figure_m(aircraft.unrefuelled_range_km) if aircraft else None
    findings: list[Finding] = []
    n = len(sortie.route)
    if ranges is None:
        findings.append(
            Finding(
                "warning",
                "no-range",
                f"the catalogue gives no range for {sortie.aircraft}; fuel was not checked (give the sortie a 'range')",
                sortie.name,
            )
        )
        nan = np.full(n, np.nan)
        return SortieFeasibility(
            result,
            aircraft,
            (np.nan,) * 3,
            None,
            nan,
            nan,
            tuple(findings),
            distance_band_m(result),
            duration_band_s(result),
        )
    fuel_kg = sortie.fuel_kg or (aircraft.internal_fuel_kg.nominal if aircraft and aircraft.internal_fuel_kg else None)
    cruise_ms = sortie.speed.kmh / 3.6
    scenarios = np.array(ranges, dtype=np.float64)  # min, nominal, max
    arrival = np.zeros((3, n))
    departure = np.zeros((3, n))
    remaining = scenarios.copy()
    tanker_point = None
    for i, wp in enumerate(sortie.route):  # one step per waypoint, the three scenarios at once
        if i > 0:
            leg = result.legs[i - 1]
            start = remaining.copy()
            remaining = remaining - leg.distance_m
            if start[1] >= 0 > remaining[1] and tanker_point is None:
                lat, lon = geodesy.point_along(
                    leg.start.point.lat_deg,
                    leg.start.point.lon_deg,
                    leg.end.point.lat_deg,
                    leg.end.point.lon_deg,
                    start[1],
                )
                when = leg.start_time + dt.timedelta(seconds=float(start[1]) / (leg.speed_kmh / 3.6))
                message = (
                    f"leg {leg.start.point.name} → {leg.end.point.name} exceeds the remaining range by "
                    f"{_km(-remaining[1])}: needs a refuelling before {leg.end.point.name}; a tanker must "
                    f"meet it by {float(lat):.2f}, {float(lon):.2f} ({_hm(when)}), "
                    f"{_km(leg.cumulative_m - leg.distance_m + start[1])} from takeoff"
                )
                tanker_point = Finding("error", "range", message, sortie.name, leg.index, float(lat), float(lon), when)
                findings.append(tanker_point)
            elif start[0] >= 0 > remaining[0] and remaining[1] >= 0:
                findings.append(
                    Finding(
                        "warning",
                        "range",
                        f"leg {leg.start.point.name} → {leg.end.point.name} "
                        f"exceeds the remaining range with the lowest sourced range "
                        f"({_km(ranges[0])}), by {_km(-remaining[0])}",
                        sortie.name,
                        leg.index,
                    )
                )
        arrival[:, i] = remaining
        remaining = remaining - wp.event_duration_s * cruise_ms
        for refuel in wp.refuels:
            remaining = np.minimum(remaining + _offload_m(refuel, ranges[1], fuel_kg), scenarios)
        departure[:, i] = remaining
    max_speed = aircraft.max_speed_kmh.max if aircraft and aircraft.max_speed_kmh else None
    for leg in result.legs:
        if max_speed is not None and leg.speed_kmh > max_speed:
            findings.append(
                Finding(
                    "error",
                    "speed",
                    f"leg {leg.start.point.name} → {leg.end.point.name} is flown at "
                    f"{leg.speed_kmh:,.0f} km/h, above the {sortie.aircraft}'s maximum of "
                    f"{max_speed:,.0f} km/h",
                    sortie.name,
                    leg.index,
                )
            )
    if tanker_point is None and arrival[1, -1] >= 0:
        findings.append(
            Finding(
                "info",
                "range",
                f"lands with about {_km(arrival[1, -1])} of range left (of {_km(ranges[1])})",
                sortie.name,
            )
        )
    return SortieFeasibility(
        result,
        aircraft,
        ranges,
        fuel_kg,
        arrival[1],
        departure[1],
        tuple(findings),
        distance_band_m(result),
        duration_band_s(result),
        tanker_point,
    )


def weapon_reach(track: WeaponTrack, *, file: str | None = None) -> WeaponReach:
    """The track against the launch's own ``range`` or the weapon's catalogue range."""
    if track.launch.range_m is not None:
        return WeaponReach(track, track.launch.range_m, track.launch.range_m)
    try:
        weapon = find_weapon(track.weapon)
    except CatalogError as exc:
        raise MissionError(
            f"{exc.message}; give the launch its own 'range' to check its reach",
            file=file,
            line=track.launch.line,
            field="launch.weapon",
            suggestions=exc.suggestions,
        ) from None
    figure = _figure_m(weapon.range_km)
    if figure is None:
        return WeaponReach(track, float("nan"), float("nan"))
    return WeaponReach(track, figure[0], figure[2])


def _rendezvous(join: JoinResult, result: MissionResult, feas: dict[str, SortieFeasibility]) -> RendezvousCheck:
    mine = result.sortie(join.sortie)
    idx = next(i for i, wp in enumerate(mine.sortie.route) if wp.point == join.at)
    to_join = mine.arrival_times[idx] - mine.takeoff_time
    latest = join.other_time - to_join
    home = feas[join.sortie].ok
    message = (
        f"{join.sortie} must take off by {_hm(latest)} to be at {join.at.name} when {join.other} passes "
        f"({_hm(join.other_time)}); planned {_hm(mine.takeoff_time)}; "
        + ("it has the range to get home" if home else "it does not have the range to get home")
    )
    return RendezvousCheck(join, latest, home, message)


def _verdict(claim: ClaimResult, result: MissionResult, feas: dict[str, SortieFeasibility]) -> ClaimVerdict:
    c = claim.claim
    sf = feas.get(claim.sortie or "")
    if sf is not None:
        dist_band, dur_band = sf.distance_band_m, sf.duration_band_s
        max_speed = sf.aircraft.max_speed_kmh.max if sf.aircraft and sf.aircraft.max_speed_kmh else None
    else:  # weapons only: the band of the weapon tracks
        dists = [w.distance_m for w in result.weapons] or [float("nan")]
        tofs = [w.time_of_flight_s for w in result.weapons] or [float("nan")]
        dist_band, dur_band, max_speed = Band(min(dists), max(dists)), Band(min(tofs), max(tofs)), None
    if c.quantity == "distance":
        band, unit, per = dist_band, "km", 1000.0
    elif c.quantity == "duration":
        band, unit, per = dur_band, "h", 3600.0
    else:
        band = (
            Band(dist_band.low / dur_band.high * 3.6, dist_band.high / dur_band.low * 3.6)
            if dur_band.low
            else Band(0.0, float("inf"))
        )
        unit, per = "km/h", 1.0
    tol = TOLERANCE.get(c.qualifier, 0.0)
    wide = band.widened(tol)
    value = c.value
    if c.qualifier in ("more than", "at least"):
        ok = wide.high >= value
    elif c.qualifier in ("less than", "at most"):
        ok = wide.low <= value
    else:
        ok = wide.low <= value <= wide.high
    shown = f"{band.low / per:,.1f}" if band.low == band.high else f"{band.low / per:,.1f}–{band.high / per:,.1f}"
    claimed = f"{c.qualifier} {value / per:,.1f} {unit}"
    implied = claim.implied_speed_kmh
    if ok:
        return ClaimVerdict(
            claim,
            "consistent",
            f"{claimed} agrees with the computed {shown} {unit} (tolerance {tol:.0%})",
            band,
        )
    # the speed the claim needs, at its most favourable reading
    if max_speed is not None and implied is not None and c.quantity in ("distance", "duration", "speed"):
        needs_faster = (
            (c.quantity == "distance" and c.qualifier not in ("less than", "at most"))
            or (c.quantity == "duration" and c.qualifier not in ("more than", "at least"))
            or c.quantity == "speed"
        )
        if needs_faster and implied > max_speed:
            return ClaimVerdict(
                claim,
                "impossible",
                f"{claimed} implies an average of {implied:,.0f} km/h, above the "
                f"{sf.result.sortie.aircraft}'s maximum of {max_speed:,.0f} km/h",
                band,
            )
    direction = "below" if value < band.low else "above"
    return ClaimVerdict(
        claim,
        "inconsistent",
        f"{claimed} is {direction} the computed {shown} {unit} by more than "
        f"the {tol:.0%} tolerance" + (f"; it implies an average of {implied:,.0f} km/h" if implied else ""),
        band,
    )


def assess(result: MissionResult) -> Feasibility:
    """Assess every sortie, weapon track, rendezvous and claim of a computed mission."""
    file = result.mission.file
    sorties = tuple(assess_sortie(s, file=file) for s in result.sorties)
    by_name = {s.result.sortie.name: s for s in sorties}
    weapons = tuple(weapon_reach(t, file=file) for t in result.weapons)
    findings = [f for s in sorties for f in s.findings]
    for reach in weapons:
        t = reach.track
        if np.isnan(reach.range_max_m):
            findings.append(
                Finding("warning", "reach", f"no sourced range for {t.weapon}: reach not checked", t.launcher)
            )
        elif not reach.in_range:
            findings.append(
                Finding(
                    "error",
                    "reach",
                    f"{t.weapon} from {t.origin.name} to {t.target.name}: "
                    f"{_km(t.distance_m)} is beyond its range of {_km(reach.range_max_m)} by "
                    f"{_km(-reach.margin_m)}",
                    t.launcher,
                    None,
                    t.origin.lat_deg,
                    t.origin.lon_deg,
                    t.launch_time,
                )
            )
    rendezvous = tuple(_rendezvous(j, result, by_name) for j in result.joins)
    verdicts = tuple(_verdict(c, result, by_name) for c in result.claims)
    return Feasibility(sorties, weapons, rendezvous, verdicts, tuple(findings))
