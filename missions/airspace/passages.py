"""Whose airspace a mission used: the countries and international waters that every sortie leg and
weapon track crosses, with entry and exit points and times, distances, totals and ``avoid`` checks.

Built on :mod:`missions.airspace.overflight` (sovereign airspace by default: land, internal waters and
territorial sea; land only, or a plain coastline band, as options). Times along a leg are interpolated at
the leg's constant speed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from ..analysis import MissionResult, WeaponTrack
from ..errors import MissionError
from ..findings import Finding, FindingKind, Severity
from ..geodesy import GEOD
from ..units import format_distance, format_hm, ms_from_kmh
from .crossing import Crossing
from .crossings_cache import cached_legs_crossings


@dataclass(frozen=True, kw_only=True)
class Passage:
    """A stretch inside one country (``iso3 is None``: international waters), with times."""

    iso3: str | None
    name: str
    distance_m: float
    entry_time: dt.datetime | None  #: None on an untimed weapon track (no known speed)
    exit_time: dt.datetime | None
    entry_lat_deg: float
    entry_lon_deg: float
    exit_lat_deg: float
    exit_lon_deg: float
    leg_index: int  #: the leg it starts on

    @property
    def duration_s(self) -> float | None:
        if self.entry_time is None or self.exit_time is None:
            return None
        return (self.exit_time - self.entry_time).total_seconds()


@dataclass(frozen=True, kw_only=True)
class CountryTotal:
    iso3: str | None
    name: str
    distance_m: float
    duration_s: float | None  #: None on an untimed weapon track


@dataclass(frozen=True, kw_only=True)
class RouteAirspace:
    """The passages of one sortie or weapon track: per leg, merged across legs, and totals."""

    label: str
    legs: tuple[tuple[Passage, ...], ...]
    passages: tuple[Passage, ...]
    totals: tuple[CountryTotal, ...]
    findings: tuple[Finding, ...] = ()

    def countries(self) -> list[str]:
        """ISO codes of the countries crossed, in order, each once."""
        seen: list[str] = []
        for p in self.passages:
            if p.iso3 and p.iso3 not in seen:
                seen.append(p.iso3)
        return seen


@dataclass(frozen=True, kw_only=True)
class MissionAirspace:
    sorties: dict[str, RouteAirspace]
    weapons: tuple[RouteAirspace, ...]  #: aligned with ``MissionResult.weapons``

    @property
    def findings(self) -> tuple[Finding, ...]:
        return tuple(f for r in self.sorties.values() for f in r.findings)


def _timed(
    crossings: list[Crossing], leg_index: int, start: dt.datetime | None, speed_ms: float | None
) -> tuple[Passage, ...]:
    """The crossings of one leg with their times (None for all when the speed or start is unknown)."""

    def at(metres: float) -> dt.datetime | None:
        return None if start is None or speed_ms is None else start + dt.timedelta(seconds=metres / speed_ms)

    return tuple(
        Passage(
            iso3=c.iso3,
            name=c.name,
            distance_m=c.distance_m,
            entry_time=at(c.start_m),
            exit_time=at(c.end_m),
            entry_lat_deg=c.entry_lat_deg,
            entry_lon_deg=c.entry_lon_deg,
            exit_lat_deg=c.exit_lat_deg,
            exit_lon_deg=c.exit_lon_deg,
            leg_index=leg_index,
        )
        for c in crossings
    )


def _merge(legs: tuple[tuple[Passage, ...], ...]) -> tuple[Passage, ...]:
    merged: list[Passage] = []
    for passage in (p for leg in legs for p in leg):
        if merged and merged[-1].iso3 == passage.iso3:
            last = merged[-1]
            merged[-1] = Passage(
                iso3=last.iso3,
                name=last.name,
                distance_m=last.distance_m + passage.distance_m,
                entry_time=last.entry_time,
                exit_time=passage.exit_time,
                entry_lat_deg=last.entry_lat_deg,
                entry_lon_deg=last.entry_lon_deg,
                exit_lat_deg=passage.exit_lat_deg,
                exit_lon_deg=passage.exit_lon_deg,
                leg_index=last.leg_index,
            )
        else:
            merged.append(passage)
    return tuple(merged)


def _sum_or_none(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else a + b


def _totals(passages: tuple[Passage, ...]) -> tuple[CountryTotal, ...]:
    order: dict[str | None, CountryTotal] = {}
    for p in passages:
        prev = order.get(p.iso3)
        order[p.iso3] = CountryTotal(
            iso3=p.iso3,
            name=p.name,
            distance_m=(prev.distance_m if prev else 0.0) + p.distance_m,
            duration_s=_sum_or_none(prev.duration_s if prev else 0.0, p.duration_s),
        )
    return tuple(order.values())


def _track_points(track: WeaponTrack) -> list[tuple[float, float]]:
    return [(p.lat_deg, p.lon_deg) for p in (track.origin, *track.launch.via, track.target)]


def mission_airspace(result: MissionResult, *, territorial_sea_nm: float | None = None) -> MissionAirspace:
    """Overflight of every sortie leg and weapon track of a computed mission, in one vectorised pass.

    ``territorial_sea_nm``: None (default) sovereign airspace, 0 land only, N a coastline band of N nm.
    The crossings of the same legs under the same rule are read from a checked disk cache
    (:mod:`missions.airspace.crossings_cache`).
    """
    starts, ends = [], []
    for s in result.sorties:
        for leg in s.legs:
            starts.append((leg.start.point.lat_deg, leg.start.point.lon_deg))
            ends.append((leg.end.point.lat_deg, leg.end.point.lon_deg))
    for track in result.weapons:
        points = _track_points(track)
        starts += points[:-1]
        ends += points[1:]
    a = np.array(starts, dtype=np.float64).reshape(-1, 2)
    b = np.array(ends, dtype=np.float64).reshape(-1, 2)
    crossings = cached_legs_crossings(a[:, 0], a[:, 1], b[:, 0], b[:, 1], territorial_sea_nm=territorial_sea_nm)
    k = 0
    sorties: dict[str, RouteAirspace] = {}
    for s in result.sorties:
        legs = []
        for leg in s.legs:
            legs.append(_timed(crossings[k], leg.index, leg.start_time, ms_from_kmh(leg.speed_kmh)))
            k += 1
        legs_t = tuple(legs)
        passages = _merge(legs_t)
        findings = _avoid_findings(s.sortie.name, s.sortie.avoid, legs_t, result, s.sortie.line)
        sorties[s.sortie.name] = RouteAirspace(
            label=s.sortie.name, legs=legs_t, passages=passages, totals=_totals(passages), findings=findings
        )
    weapons = []
    for track in result.weapons:
        points = _track_points(track)
        speed_ms = None if track.speed_kmh is None else ms_from_kmh(track.speed_kmh)
        start: dt.datetime | None = track.launch_time if speed_ms is not None else None
        legs = []
        for i in range(len(points) - 1):
            legs.append(_timed(crossings[k], i, start, speed_ms))
            if start is not None and speed_ms is not None:
                start += dt.timedelta(seconds=sum(c.distance_m for c in crossings[k]) / speed_ms)
            k += 1
        legs_t = tuple(legs)
        passages = _merge(legs_t)
        weapons.append(
            RouteAirspace(
                label=f"{track.weapon} → {track.target.name}", legs=legs_t, passages=passages, totals=_totals(passages)
            )
        )
    return MissionAirspace(sorties=sorties, weapons=tuple(weapons))


def in_transit_corridor(p: Passage, samples: int = 8) -> bool:
    """Does the passage lie in a strait's transit corridor (``geodata/straits.yaml``), where aircraft
    have the right of transit passage (UNCLOS Part III)? Its entry, exit and ``samples`` points of
    the geodesic between them must all be in a corridor."""
    import shapely

    from geodata.airspace import transit_corridors

    corridors = transit_corridors()
    west, south, east, north = corridors.bounds
    lats, lons = (p.entry_lat_deg, p.exit_lat_deg), (p.entry_lon_deg, p.exit_lon_deg)
    if not (south <= min(lats) and max(lats) <= north and west <= min(lons) and max(lons) <= east):
        return False
    between = GEOD.npts(lons[0], lats[0], lons[1], lats[1], samples)
    lon = np.array([lons[0], *(q[0] for q in between), lons[1]])
    lat = np.array([lats[0], *(q[1] for q in between), lats[1]])
    return bool(np.all(shapely.contains_xy(corridors, lon, lat)))


def _avoid_findings(
    name: str, avoid: tuple[str, ...], legs: tuple[tuple[Passage, ...], ...], result: MissionResult, line: int | None
) -> tuple[Finding, ...]:
    if not avoid:
        return ()
    from .index import check_iso3  # here: timing cached crossings never loads the country index

    try:
        codes = set(check_iso3(avoid))
    except MissionError as exc:
        raise exc.with_location(file=result.mission.file, line=line, field="avoid") from None
    sortie = result.sortie(name)
    findings = []
    for leg, passages in zip(sortie.legs, legs, strict=True):
        for p in passages:
            if p.iso3 in codes and not in_transit_corridor(p):
                findings.append(
                    Finding(
                        severity=Severity.ERROR,
                        kind=FindingKind.AVOID,
                        message=f"leg {leg.start.point.name} → {leg.end.point.name} enters {p.name} ({p.iso3}), "
                        f"to be avoided, at {p.entry_lat_deg:.2f}, {p.entry_lon_deg:.2f} at "
                        f"{format_hm(p.entry_time)} UTC for {format_distance(p.distance_m)}",
                        sortie=name,
                        leg_index=leg.index,
                        lat_deg=p.entry_lat_deg,
                        lon_deg=p.entry_lon_deg,
                        time=p.entry_time,
                    )
                )
    return tuple(findings)
