"""Weapon reach: a weapon track against the weapon's sourced range, and its launch basket.

A track is in range when its length (launch point → via-points → target) is at most the weapon's
longest sourced range (or the launch's own ``range``); the margin is that range minus the length. The
launch basket (where a launch reaches the target) is the geodesic disc of that radius around the
target, or, with via-points, around the first via-point with the via path's length taken off.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import shapely

from . import geodesy
from .analysis import WeaponTrack
from .errors import CatalogError
from .findings import Finding, FindingKind, Severity
from .model import Point
from .performance import Figure, find_weapon
from .units import M_PER_KM, format_distance

#: a disc wider than this (most of a half-circumference) is drawn at this radius
_MAX_DISC_M = 19_900_000.0


def _disc(centre: Point, radius_m: float, n_vertices: int) -> shapely.Polygon | None:
    """The geodesic disc of ``radius_m`` around ``centre``; None when the radius is not positive."""
    if not radius_m > 0:
        return None
    return geodesy.geodesic_ring(centre.lat_deg, centre.lon_deg, min(radius_m, _MAX_DISC_M), n_vertices)


def _figure_m(figure: Figure | None) -> tuple[float, float, float] | None:
    if figure is None:
        return None
    return figure.min * M_PER_KM, figure.nominal * M_PER_KM, figure.max * M_PER_KM


def _unknown(message: str, sortie: str | None, path: str, line: int | None) -> Finding:
    return Finding(
        severity=Severity.WARNING, kind=FindingKind.UNKNOWN, message=message, sortie=sortie, field=path, line=line
    )


@dataclass(frozen=True, kw_only=True)
class WeaponReach:
    """A weapon track against the weapon's range (NaN when no source gives it)."""

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


def weapon_reach(track: WeaponTrack) -> tuple[WeaponReach, Finding | None]:
    """The track against the launch's own ``range`` or the weapon's catalogue range, with its finding.

    A catalogue weapon released over its target (a track of length 0, a gravity bomb) needs no
    range. A weapon the catalogue lacks has an unknown reach even over its target: nothing says it
    is a bomb rather than a missile fired from elsewhere, so the finding asks for its ``range``.
    """
    if track.launch.range_m is not None:
        reach = WeaponReach(track=track, range_min_m=track.launch.range_m, range_max_m=track.launch.range_m)
    else:
        try:
            weapon = find_weapon(track.weapon)
        except CatalogError as exc:
            hint = f" (did you mean {', '.join(repr(s) for s in exc.suggestions)}?)" if exc.suggestions else ""
            message = f"{exc.message}{hint}; reach unknown: give the launch its own 'range'"
            return WeaponReach(track=track, range_min_m=math.nan, range_max_m=math.nan), _unknown(
                message, track.launcher, f"{track.launch.field}.weapon", track.launch.weapon_line
            )
        if track.released_over_target:
            return WeaponReach(track=track, range_min_m=0.0, range_max_m=0.0), None
        figure = _figure_m(weapon.range_km)
        if figure is None:
            message = f"no source gives the {weapon.name}'s range; reach unknown: give the launch its own 'range'"
            return WeaponReach(track=track, range_min_m=math.nan, range_max_m=math.nan), _unknown(
                message, track.launcher, f"{track.launch.field}.range", track.launch.weapon_line
            )
        reach = WeaponReach(track=track, range_min_m=figure[0], range_max_m=figure[2])
    if reach.in_range:
        return reach, None
    return reach, Finding(
        severity=Severity.ERROR,
        kind=FindingKind.REACH,
        message=(
            f"{track.weapon} from {track.origin.name} to {track.target.name}: "
            f"{format_distance(track.distance_m)} is beyond its range of {format_distance(reach.range_max_m)} "
            f"by {format_distance(-reach.margin_m)}"
        ),
        sortie=track.launcher,
        lat_deg=track.origin.lat_deg,
        lon_deg=track.origin.lon_deg,
        time=track.launch_time,
    )


def untimed_finding(track: WeaponTrack) -> Finding | None:
    """For a weapon with no known speed: its flight time and arrival are unknown; the line names ``speed``.

    A release over the target is timed without a speed (:attr:`WeaponTrack.timed`): no line for it.
    """
    if track.timed:
        return None
    return Finding(
        severity=Severity.WARNING,
        kind=FindingKind.TIMING,
        message=(
            f"{track.weapon} from {track.origin.name} to {track.target.name}: no known speed, so its flight time "
            f"and arrival are unknown (distance {format_distance(track.distance_m)}); give the launch its 'speed'"
        ),
        sortie=track.launcher,
        field=f"{track.launch.field}.speed",
        line=track.launch.weapon_line,
    )
