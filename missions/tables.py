"""The one tabular core: legs, waypoints, weapon tracks, passages, claims and findings as typed rows.

:func:`mission_tables` flattens a computed mission (and, when given, its feasibility and overflight)
into tuples of small frozen records whose field names carry their unit (``distance_m``,
``duration_s``, ``speed_kmh``, ``*_deg``) and whose times are timezone-aware ``datetime`` in UTC.
Every face reads these rows and converts only at its edge, with :mod:`missions.units`:

* the text report and the JSON report (:mod:`missions.report`),
* the CSV export (:mod:`missions.export.csv`),
* the dashboard's tables (:mod:`missions.dashboard.frames`: ``pandas.DataFrame(rows)``).

No face parses another face's output (no JSON -> DataFrame -> ISO round trip), and no figure is
computed here: the rows copy what :mod:`missions.analysis`, :mod:`missions.feasibility` and
:mod:`missions.airspace` computed. :func:`~missions.units.text_table` is the one
plain-text table renderer.

Examples
--------
>>> from missions.analysis import compute_mission
>>> from missions.parsing import parse_mission
>>> text = '''
... name: Along the equator
... sorties:
...   - {name: A, aircraft: Tu-160, takeoff: 2015-11-20T00:00:00Z, speed: 900 km/h, route: ["0, 0", "0, 10"]}
... '''
>>> tables = mission_tables(compute_mission(parse_mission(text)))
>>> leg = tables.legs[0]
>>> round(leg.distance_m), leg.speed_kmh, round(leg.duration_s)
(1113195, 900.0, 4453)
>>> from missions.units import text_table
>>> print("\\n".join(text_table(["from", "to"], [[leg.from_name, leg.to_name]], right=set())))
from  to
----  -----
0, 0  0, 10
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .analysis import ClaimResult, MissionResult, WeaponTrack
from .claims import Qualifier, Quantity

if TYPE_CHECKING:
    from .airspace import MissionAirspace, Passage, RouteAirspace
    from .feasibility import ClaimVerdict, Feasibility
    from .findings import Finding
    from .model import Waypoint
    from .verdicts import Verdict

#: the unit a claim's ``claimed_si``/``computed_si`` values are in, by quantity
CLAIM_SI_UNIT: dict[str, str] = {q.value: q.si_unit for q in Quantity}


@dataclass(frozen=True, kw_only=True)
class PassageRow:
    """A stretch of a route inside one country (``iso3`` None: international waters)."""

    route: str  #: the sortie's name, or ``weapon → target`` for a weapon track
    leg_index: int  #: the leg it starts on (0-based)
    iso3: str | None
    name: str
    distance_m: float
    entry_utc: dt.datetime | None  #: None on an untimed weapon track (no known speed)
    exit_utc: dt.datetime | None
    entry_lat_deg: float
    entry_lon_deg: float
    exit_lat_deg: float
    exit_lon_deg: float

    @property
    def duration_s(self) -> float | None:
        if self.entry_utc is None or self.exit_utc is None:
            return None
        return (self.exit_utc - self.entry_utc).total_seconds()


@dataclass(frozen=True, kw_only=True)
class CountryTotalRow:
    """Distance and time in one country (or international waters), summed over a route."""

    route: str
    iso3: str | None
    name: str
    distance_m: float
    duration_s: float | None  #: None on an untimed weapon track


@dataclass(frozen=True, kw_only=True)
class LegRow:
    """One leg of a sortie."""

    sortie: str
    aircraft: str
    leg_index: int  #: 0-based
    from_name: str
    to_name: str
    from_lat_deg: float
    from_lon_deg: float
    to_lat_deg: float
    to_lon_deg: float
    distance_m: float
    cumulative_m: float  #: flown at the end of the leg
    initial_bearing_deg: float
    final_bearing_deg: float
    speed_kmh: float
    duration_s: float
    start_utc: dt.datetime  #: departure (after the start waypoint's refuelling and holds)
    end_utc: dt.datetime  #: arrival
    findings: tuple[Finding, ...] = ()  #: errors and warnings on this leg (with feasibility)
    passages: tuple[PassageRow, ...] | None = None  #: countries crossed (with overflight)
    planned: bool = False  #: starts or ends at a planned turning point (a ``plan:`` route item)


@dataclass(frozen=True, kw_only=True)
class WaypointRow:
    """One waypoint of a sortie, with its arrival and departure."""

    sortie: str
    index: int
    name: str
    written: str  #: as the file wrote it
    lat_deg: float
    lon_deg: float
    arrival_utc: dt.datetime
    departure_utc: dt.datetime
    events: tuple[str, ...]
    source: str
    planned: bool = False  #: a turning point chosen by the planner (a ``plan:`` route item)


@dataclass(frozen=True, kw_only=True)
class WeaponRow:
    """One weapon track (launch point → via-points → target), with its reach when assessed."""

    launcher: str  #: the sortie's name, or the ship/ground platform
    from_sortie: bool  #: launched from an aircraft sortie (else a ship or ground launch)
    weapon: str
    count: int
    from_name: str
    from_lat_deg: float
    from_lon_deg: float
    target: str
    target_lat_deg: float
    target_lon_deg: float
    via: tuple[str, ...]
    distance_m: float
    speed_kmh: float | None  #: None: no known speed (untimed: flight time and impact unknown)
    time_of_flight_s: float | None
    launch_utc: dt.datetime
    impact_utc: dt.datetime | None
    source: str
    in_range: bool | None = None  #: None: not assessed, or the weapon's range is unknown
    range_max_m: float | None = None
    margin_m: float | None = None  #: range left at the target (negative: short)
    passages: tuple[PassageRow, ...] | None = None  #: countries crossed (with overflight)
    country_totals: tuple[CountryTotalRow, ...] | None = None


@dataclass(frozen=True, kw_only=True)
class ClaimRow:
    """A claim beside the computed value; values in SI-like units per :data:`CLAIM_SI_UNIT`."""

    quantity: Quantity
    text: str
    qualifier: Qualifier
    sortie: str | None
    claimed_si: float  #: metres, seconds or km/h
    computed_si: float
    ratio: float
    difference_si: float
    implied_speed_kmh: float | None
    source: str
    verdict: Verdict | None = None
    reason: str | None = None
    band_si: tuple[float, float] | None = None
    #: what the claim asserts, ``(low, high)`` (:meth:`missions.model.Claim.interval`; high may be infinite)
    claimed_interval_si: tuple[float, float] | None = None


@dataclass(frozen=True, kw_only=True)
class JoinRow:
    sortie: str
    other: str
    at: str
    time_utc: dt.datetime
    other_time_utc: dt.datetime
    time_gap_s: float
    distance_gap_m: float


@dataclass(frozen=True, kw_only=True)
class MissionTables:
    """Every table of a computed mission (see the module docstring)."""

    result: MissionResult
    legs: tuple[LegRow, ...]
    waypoints: tuple[WaypointRow, ...]
    weapons: tuple[WeaponRow, ...]  #: aligned with ``result.weapons``
    joins: tuple[JoinRow, ...]
    claims: tuple[ClaimRow, ...]
    findings: tuple[Finding, ...]  #: feasibility and airspace findings, errors first
    passages: tuple[PassageRow, ...]  #: per sortie then per weapon track, merged across legs
    country_totals: tuple[CountryTotalRow, ...]
    #: rows grouped by sortie or route, filled on first use (see :meth:`_by_key`)
    _groups: dict[tuple[str, str], dict[str, tuple[Any, ...]]] = dataclasses.field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def sortie_legs(self, sortie: str) -> tuple[LegRow, ...]:
        return self._by_key("legs", "sortie").get(sortie, ())

    def sortie_waypoints(self, sortie: str) -> tuple[WaypointRow, ...]:
        return self._by_key("waypoints", "sortie").get(sortie, ())

    def route_passages(self, route: str) -> tuple[PassageRow, ...]:
        return self._by_key("passages", "route").get(route, ())

    def route_totals(self, route: str) -> tuple[CountryTotalRow, ...]:
        return self._by_key("country_totals", "route").get(route, ())

    def sortie_weapons(self, sortie: str) -> tuple[WeaponRow, ...]:
        """The weapon tracks launched from a sortie (ship and ground launches are not)."""
        return self._by_key("weapons", "launcher", from_sortie=True).get(sortie, ())

    def _by_key(self, table: str, key: str, *, from_sortie: bool = False) -> dict[str, tuple[Any, ...]]:
        """The rows of ``table`` grouped by their field ``key``, in order (``from_sortie``: weapon rows
        launched from a sortie only). Built once per table, so that reading every sortie's rows stays
        linear in the mission's size."""
        groups = self._groups.get((table, key))
        if groups is None:
            grouped: dict[str, list[Any]] = {}
            for row in getattr(self, table):
                if not from_sortie or row.from_sortie:
                    grouped.setdefault(getattr(row, key), []).append(row)
            groups = self._groups[(table, key)] = {k: tuple(v) for k, v in grouped.items()}
        return groups


def waypoint_events(waypoint: Waypoint) -> tuple[str, ...]:
    """What happens at a waypoint, in words: ``refuel (Il-78M)``, ``hold``, ``join B``, ``launch 8 × Kh-101``."""
    return (
        *(f"refuel ({r.tanker})" for r in waypoint.refuels),
        *("hold" for _ in waypoint.holds),
        *(f"join {j.sortie}" for j in waypoint.joins),
        *(f"launch {ln.count} × {ln.weapon}" for ln in waypoint.launches),
    )


def _passage_rows(route: str, passages: Iterable[Passage]) -> tuple[PassageRow, ...]:
    return tuple(
        PassageRow(
            route=route,
            leg_index=p.leg_index,
            iso3=p.iso3,
            name=p.name,
            distance_m=p.distance_m,
            entry_utc=p.entry_time,
            exit_utc=p.exit_time,
            entry_lat_deg=p.entry_lat_deg,
            entry_lon_deg=p.entry_lon_deg,
            exit_lat_deg=p.exit_lat_deg,
            exit_lon_deg=p.exit_lon_deg,
        )
        for p in passages
    )


def _totals_rows(route: RouteAirspace) -> tuple[CountryTotalRow, ...]:
    return tuple(
        CountryTotalRow(route=route.label, iso3=t.iso3, name=t.name, distance_m=t.distance_m, duration_s=t.duration_s)
        for t in route.totals
    )


def _weapon_row(
    track: WeaponTrack, from_sortie: bool, feas: Feasibility | None, air: RouteAirspace | None
) -> WeaponRow:
    reach = feas.reach_of(track) if feas is not None else None
    known = reach is not None and math.isfinite(reach.range_max_m)
    return WeaponRow(
        launcher=track.launcher,
        from_sortie=from_sortie,
        weapon=track.weapon,
        count=track.count,
        from_name=track.origin.name,
        from_lat_deg=track.origin.lat_deg,
        from_lon_deg=track.origin.lon_deg,
        target=track.target.name,
        target_lat_deg=track.target.lat_deg,
        target_lon_deg=track.target.lon_deg,
        via=tuple(p.name for p in track.launch.via),
        distance_m=track.distance_m,
        speed_kmh=track.speed_kmh,
        time_of_flight_s=track.time_of_flight_s,
        launch_utc=track.launch_time,
        impact_utc=track.impact_time,
        source=track.launch.source,
        in_range=reach.in_range if reach is not None and known else None,
        range_max_m=reach.range_max_m if reach is not None and known else None,
        margin_m=reach.margin_m if reach is not None and known else None,
        passages=_passage_rows(air.label, air.passages) if air is not None else None,
        country_totals=_totals_rows(air) if air is not None else None,
    )


def _claim_row(c: ClaimResult, verdict: ClaimVerdict | None) -> ClaimRow:
    return ClaimRow(
        quantity=c.claim.quantity,
        text=c.claim.text,
        qualifier=c.claim.qualifier,
        sortie=c.sortie,
        claimed_si=c.claim.value,
        computed_si=c.computed,
        ratio=c.ratio,
        difference_si=c.difference,
        implied_speed_kmh=c.implied_speed_kmh,
        source=c.claim.source,
        verdict=verdict.verdict if verdict else None,
        reason=verdict.reason if verdict else None,
        band_si=(verdict.band.low, verdict.band.high) if verdict else None,
        claimed_interval_si=c.claim.interval,
    )


_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def _all_findings(feas: Feasibility | None, airspace: MissionAirspace | None) -> tuple[Finding, ...]:
    """The feasibility findings and the airspace ``avoid`` hits not already among them (``assess``
    given the airspace counts them in each sortie's verdict)."""
    own = feas.findings if feas else ()
    seen = set(own)
    return (*own, *(f for f in (airspace.findings if airspace is not None else ()) if f not in seen))


def sorted_findings(feas: Feasibility | None, airspace: MissionAirspace | None = None) -> tuple[Finding, ...]:
    """The findings of the feasibility checks and airspace ``avoid`` hits: errors, warnings, then info."""
    found = _all_findings(feas, airspace)
    return tuple(sorted(found, key=lambda f: _SEVERITY_ORDER.get(str(f.severity), 3)))


def mission_tables(
    result: MissionResult, feas: Feasibility | None = None, airspace: MissionAirspace | None = None
) -> MissionTables:
    """The tables of a computed mission, with feasibility and overflight when given."""
    on_leg: dict[tuple[str, int], list[Finding]] = {}
    for f in _all_findings(feas, airspace):
        if f.leg_index is not None and f.sortie is not None and f.severity in ("error", "warning"):
            on_leg.setdefault((f.sortie, f.leg_index), []).append(f)
    legs: list[LegRow] = []
    waypoints: list[WaypointRow] = []
    passages: list[PassageRow] = []
    totals: list[CountryTotalRow] = []
    for s in result.sorties:
        sortie = s.sortie
        route_air = airspace.sorties.get(sortie.name) if airspace is not None else None
        legs_air = route_air.legs if route_air is not None else (None,) * len(s.legs)
        for leg, leg_passages in zip(s.legs, legs_air, strict=True):
            a, b = leg.start.point, leg.end.point
            legs.append(
                LegRow(
                    sortie=sortie.name,
                    aircraft=sortie.aircraft,
                    leg_index=leg.index,
                    from_name=a.name,
                    to_name=b.name,
                    from_lat_deg=a.lat_deg,
                    from_lon_deg=a.lon_deg,
                    to_lat_deg=b.lat_deg,
                    to_lon_deg=b.lon_deg,
                    distance_m=leg.distance_m,
                    cumulative_m=leg.cumulative_m,
                    initial_bearing_deg=leg.initial_bearing_deg,
                    final_bearing_deg=leg.final_bearing_deg,
                    speed_kmh=leg.speed_kmh,
                    duration_s=leg.duration_s,
                    start_utc=leg.start_time,
                    end_utc=leg.end_time,
                    findings=tuple(on_leg.get((sortie.name, leg.index), ())),
                    passages=_passage_rows(sortie.name, leg_passages) if leg_passages is not None else None,
                    planned=a.planned or b.planned,
                )
            )
        waypoints += [
            WaypointRow(
                sortie=sortie.name,
                index=i,
                name=wp.point.name,
                written=wp.point.label,
                lat_deg=wp.point.lat_deg,
                lon_deg=wp.point.lon_deg,
                arrival_utc=arr,
                departure_utc=dep,
                events=waypoint_events(wp),
                source=wp.point.source,
                planned=wp.point.planned,
            )
            for i, (wp, arr, dep) in enumerate(zip(sortie.route, s.arrival_times, s.departure_times, strict=True))
        ]
        if route_air is not None:
            passages += _passage_rows(sortie.name, route_air.passages)
            totals += _totals_rows(route_air)
    sortie_names = {s.sortie.name for s in result.sorties}
    weapons_air = airspace.weapons if airspace is not None else (None,) * len(result.weapons)
    weapons = tuple(
        _weapon_row(t, t.launcher in sortie_names, feas, air)
        for t, air in zip(result.weapons, weapons_air, strict=True)
    )
    for air in weapons_air:
        if air is not None:
            passages += _passage_rows(air.label, air.passages)
            totals += _totals_rows(air)
    verdicts: Sequence[ClaimVerdict | None] = feas.verdicts if feas else (None,) * len(result.claims)
    return MissionTables(
        result=result,
        legs=tuple(legs),
        waypoints=tuple(waypoints),
        weapons=weapons,
        joins=tuple(
            JoinRow(
                sortie=j.sortie,
                other=j.other,
                at=j.at.name,
                time_utc=j.time,
                other_time_utc=j.other_time,
                time_gap_s=j.time_gap_s,
                distance_gap_m=j.distance_gap_m,
            )
            for j in result.joins
        ),
        claims=tuple(_claim_row(c, v) for c, v in zip(result.claims, verdicts, strict=True)),
        findings=sorted_findings(feas, airspace),
        passages=tuple(passages),
        country_totals=tuple(totals),
    )


def as_records(rows: Iterable[Any], *, skip: Sequence[str] = ()) -> list[dict[str, Any]]:
    """Rows as plain dicts (one level: nested rows are kept as they are), for ``pandas.DataFrame``."""
    return [{f.name: getattr(row, f.name) for f in dataclasses.fields(row) if f.name not in skip} for row in rows]
