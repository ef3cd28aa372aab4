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
import itertools
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import NamedTuple

import numpy as np
import shapely
from numpy.typing import NDArray

from . import geodesy
from .claims import Quantity
from .errors import CatalogError, MissionError
from .limits import check_route_length, check_timeline
from .model import Claim, Launch, Mission, Point, Sortie
from .results import ClaimResult, JoinResult, Leg, MissionResult, SortieResult, WeaponTrack
from .units import Speed, average_kmh, ms_from_kmh, speed_of_sound_kmh

__all__ = [
    "ClaimResult",
    "JoinResult",
    "Leg",
    "MissionResult",
    "SortieResult",
    "WeaponSpeedLookup",
    "WeaponTrack",
    "compute_mission",
    "compute_sortie",
]

WeaponSpeedLookup = Callable[[str], Speed | None]


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


class _PendingTrack(NamedTuple):
    """A weapon track whose timing is known, before its route is densified (with every other route)."""

    launch: Launch
    launcher: str
    origin: Point
    target: Point
    when: dt.datetime
    distance_m: float
    speed_kmh: float | None  #: None: no known speed (an untimed track)
    lats: NDArray[np.float64]
    lons: NDArray[np.float64]


def _track_points(origin: Point, launch: Launch) -> list[tuple[NDArray[np.float64], NDArray[np.float64]]]:
    """The (lat, lon) arrays of each target's track: launch point, via-points, target."""
    out = []
    for target in launch.targets:
        points = (origin, *launch.via, target)
        out.append((np.array([p.lat_deg for p in points]), np.array([p.lon_deg for p in points])))
    return out


def _pending_tracks(
    launch: Launch,
    launcher: str,
    origin: Point,
    when: dt.datetime,
    lookup: WeaponSpeedLookup,
    file: str | None,
    distances_m: Iterable[float],
) -> list[_PendingTrack]:
    """The launch's tracks (one per target, ``distances_m`` their lengths), speed found and flight checked."""
    speed = launch.speed
    if speed is None:
        try:
            speed = lookup(launch.weapon)
        except MissionError as exc:
            raise exc.with_location(file=file, line=launch.weapon_line, field=f"{launch.field}.weapon") from None
    tracks = []
    for target, (lats, lons), distance_m in zip(
        launch.targets, _track_points(origin, launch), distances_m, strict=True
    ):
        if speed is not None:  # an untimed weapon (no known speed) has no flight to check
            check_timeline(
                distance_m / ms_from_kmh(speed.kmh),
                f"the flight of the {launch.weapon} to {target.name}",
                file=file,
                line=launch.weapon_line or launch.line,
                field=launch.field,
            )
        speed_kmh = None if speed is None else speed.kmh
        tracks.append(
            _PendingTrack(
                launch=launch,
                launcher=launcher,
                origin=origin,
                target=target,
                when=when,
                distance_m=distance_m,
                speed_kmh=speed_kmh,
                lats=lats,
                lons=lons,
            )
        )
    return tracks


class _Timeline(NamedTuple):
    """A sortie's legs and times, before its route is densified."""

    legs: tuple[Leg, ...]
    arrivals: tuple[dt.datetime, ...]
    departures: tuple[dt.datetime, ...]
    tracks: list[_PendingTrack]


def _timeline(
    sortie: Sortie,
    inv: geodesy.Inverse,
    lookup: WeaponSpeedLookup,
    file: str | None,
    track_distances_m: Iterator[float],
) -> _Timeline:
    """Legs, times and pending weapon tracks of one sortie (``inv``: its legs' geodesics)."""
    route = sortie.route
    speeds_kmh = np.array([(wp.speed or sortie.speed).kmh for wp in route[:-1]])
    leg_s = inv.distance_m / ms_from_kmh(speeds_kmh)
    dwell_s = np.array([wp.event_duration_s for wp in route])
    # departure_i = takeoff + sum(legs before i) + sum(dwell up to and including i)
    arrival_s = np.concatenate(([0.0], np.cumsum(leg_s))) + np.concatenate(([0.0], np.cumsum(dwell_s[:-1])))
    departure_s = arrival_s + dwell_s
    check_timeline(float(departure_s[-1]), f"sortie {sortie.name!r}", file=file, line=sortie.line, field=sortie.field)
    t0 = sortie.takeoff
    arrivals = tuple(t0 + dt.timedelta(seconds=s) for s in arrival_s.tolist())
    departures = tuple(t0 + dt.timedelta(seconds=s) for s in departure_s.tolist())
    cumulative = np.cumsum(inv.distance_m).tolist()
    distance, initial, final = inv.distance_m.tolist(), inv.initial_bearing_deg.tolist(), inv.final_bearing_deg.tolist()
    speeds = speeds_kmh.tolist()
    legs = tuple(
        Leg(
            index=i,
            start=route[i],
            end=route[i + 1],
            distance_m=distance[i],
            initial_bearing_deg=initial[i],
            final_bearing_deg=final[i],
            speed_kmh=speeds[i],
            start_time=departures[i],
            end_time=arrivals[i + 1],
            cumulative_m=cumulative[i],
        )
        for i in range(len(route) - 1)
    )
    tracks = [
        track
        for i, wp in enumerate(route)
        for launch in wp.launches
        for track in _pending_tracks(
            launch,
            sortie.name,
            wp.point,
            arrivals[i],
            lookup,
            file,
            itertools.islice(track_distances_m, len(launch.targets)),
        )
    ]
    return _Timeline(legs=legs, arrivals=arrivals, departures=departures, tracks=tracks)


def _track_distances_m(origins_launches: Sequence[tuple[Point, Launch]]) -> list[float]:
    """The length of every target's track of these launches, in order: one geodesic call for all."""
    tracks = [pts for origin, launch in origins_launches for pts in _track_points(origin, launch)]
    if not tracks:
        return []
    lats = np.concatenate([lat for lat, _ in tracks])
    lons = np.concatenate([lon for _, lon in tracks])
    first = np.cumsum([0] + [len(lat) for lat, _ in tracks[:-1]])
    legs = geodesy.inverse(lats[:-1], lons[:-1], lats[1:], lons[1:]).distance_m
    last = np.append(first[1:], len(lats)) - 1  # each track's legs: first .. last - 1
    return [float(legs[a:b].sum()) for a, b in zip(first.tolist(), last.tolist(), strict=True)]


def _weapon_track(pending: _PendingTrack, route: geodesy.Densified, line: shapely.LineString) -> WeaponTrack:
    return WeaponTrack(
        launch=pending.launch,
        weapon=pending.launch.weapon,
        count=pending.launch.count,
        launcher=pending.launcher,
        origin=pending.origin,
        target=pending.target,
        launch_time=pending.when,
        distance_m=pending.distance_m,
        speed_kmh=pending.speed_kmh,
        line=line,
        route=route,
    )


def _lines(routes: Sequence[geodesy.Densified]) -> list[shapely.LineString]:
    """:func:`geodesy.densified_line` of every route, in one vectorised call."""
    if not routes:
        return []
    coords = [np.column_stack([r.lon_deg, r.lat_deg]) for r in routes]
    coords = [np.vstack([c, c]) if len(c) == 1 else c for c in coords]  # a lone point doubled
    index = np.repeat(np.arange(len(coords)), [len(c) for c in coords])
    return list(shapely.linestrings(np.concatenate(coords), indices=index))


def _compute_sorties(
    sorties: Sequence[Sortie],
    launches: Sequence[Launch],
    lookup: WeaponSpeedLookup,
    file: str | None,
    tolerance_m: float,
) -> tuple[tuple[SortieResult, ...], tuple[WeaponTrack, ...]]:
    """Every sortie's legs, times and weapon tracks, and the ship/ground launches' tracks.

    Batched: one geodesic call for every leg, one for every weapon track's legs, one densification of
    every route; errors are raised in the order the sorties come (each sortie, then its weapons).
    """
    points = [
        (np.array([wp.point.lat_deg for wp in s.route]), np.array([wp.point.lon_deg for wp in s.route]))
        for s in sorties
    ]
    lat1, lon1, lat2, lon2 = (
        np.concatenate([pts[c][ends] for pts in points]) if points else np.zeros(0)
        for ends in (slice(None, -1), slice(1, None))
        for c in (0, 1)
    )
    inv = geodesy.inverse(lat1, lon1, lat2, lon2)
    first_leg = np.concatenate(([0], np.cumsum([len(s.route) - 1 for s in sorties]))).tolist()
    ship = [launch for launch in launches if launch.origin is not None and launch.time is not None]
    track_lengths_m = _track_distances_m(
        [(wp.point, launch) for s in sorties for wp in s.route for launch in wp.launches]
        + [(launch.origin, launch) for launch in ship]  # type: ignore[misc]
    )
    check_route_length(float(inv.distance_m.sum()) + sum(track_lengths_m), file=file, line=None)
    track_distances = iter(track_lengths_m)
    timelines = [
        _timeline(s, geodesy.Inverse(*(a[first_leg[k] : first_leg[k + 1]] for a in inv)), lookup, file, track_distances)
        for k, s in enumerate(sorties)
    ]
    ship_tracks = [
        track
        for launch in ship
        for track in _pending_tracks(
            launch,
            launch.platform or "launcher",
            launch.origin,  # type: ignore[arg-type]
            launch.time,  # type: ignore[arg-type]
            lookup,
            file,
            itertools.islice(track_distances, len(launch.targets)),
        )
    ]
    pending = [t for tl in timelines for t in tl.tracks] + ship_tracks
    routes = geodesy.densify_routes([*points, *((t.lats, t.lons) for t in pending)], tolerance_m)
    lines = _lines(routes)
    tracks = [
        _weapon_track(t, r, ln) for t, r, ln in zip(pending, routes[len(sorties) :], lines[len(sorties) :], strict=True)
    ]
    results, k = [], 0
    for s, tl, route, line in zip(sorties, timelines, routes, lines, strict=False):
        n = len(tl.tracks)
        results.append(
            SortieResult(
                sortie=s,
                legs=tl.legs,
                arrival_times=tl.arrivals,
                departure_times=tl.departures,
                line=line,
                weapons=tuple(tracks[k : k + n]),
                route=route,
            )
        )
        k += n
    return tuple(results), tuple(tracks)


def compute_sortie(
    sortie: Sortie,
    *,
    weapon_speed: WeaponSpeedLookup = _catalog_weapon_speed,
    file: str | None = None,
    tolerance_m: float = geodesy.TOLERANCE_M,
) -> SortieResult:
    """Legs, times and weapon tracks of one sortie."""
    return _compute_sorties([sortie], [], weapon_speed, file, tolerance_m)[0][0]


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
    if claim.quantity is Quantity.DISTANCE:
        computed = distance_m
        implied = average_kmh(claim.value, duration_s) if duration_s > 0 else None
    elif claim.quantity is Quantity.DURATION:
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
    sorties, weapons = _compute_sorties(
        mission.sorties, mission.launches, _memoised(weapon_speed), mission.file, tolerance_m
    )
    return MissionResult(
        mission=mission,
        sorties=sorties,
        weapons=weapons,
        joins=_joins(sorties),
        claims=tuple(_claim_result(c, sorties, weapons) for c in mission.claims),
    )


def _memoised(lookup: WeaponSpeedLookup) -> WeaponSpeedLookup:
    """``lookup`` asked once per weapon name (a mission of thousands of launches of one weapon)."""
    found: dict[str, Speed | None] = {}

    def cached(name: str) -> Speed | None:
        if name not in found:
            found[name] = lookup(name)
        return found[name]

    return cached
