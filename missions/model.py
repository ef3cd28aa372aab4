"""The mission model: immutable values read from a mission file.

Coordinates are ``lat_deg``/``lon_deg`` (people's order); times are timezone-aware ``datetime``
in UTC; speeds are :class:`~missions.units.Speed` (km/h, possibly a range); durations in seconds;
distances in metres.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from dataclasses import field as dataclass_field

from .claims import Qualifier, Quantity
from .units import Speed


@dataclass(frozen=True, kw_only=True)
class Source:
    """Where a figure comes from: a title (or a short citation) and an optional http(s) address."""

    title: str
    url: str | None = None

    def __str__(self) -> str:
        return f"{self.title} <{self.url}>" if self.url else self.title


@dataclass(frozen=True, kw_only=True)
class Point:
    """A resolved place: what was written (``label``), its display ``name``, and where it is."""

    label: str
    name: str
    lat_deg: float
    lon_deg: float
    source: str = ""
    radius_m: float = 0.0  #: uncertainty radius around the point (0 = exact)
    line: int | None = None  #: line in the mission file
    planned: bool = False  #: a turning point chosen by the planner (a ``plan:`` route item)


@dataclass(frozen=True, kw_only=True)
class Refuel:
    """Air-to-air refuelling at a waypoint; ``duration_s`` is spent there, ``offload_kg`` is given."""

    tanker: str = "tanker"
    duration_s: float = 0.0
    offload_kg: float | None = None
    source: str = ""
    #: its field path in the file, e.g. ``sorties[0].route[3].refuel``, and the line of its ``tanker``
    field: str = dataclass_field(default="refuel", compare=False)
    line: int | None = dataclass_field(default=None, compare=False)


@dataclass(frozen=True, kw_only=True)
class Hold:
    """A hold (orbit) at a waypoint."""

    duration_s: float
    source: str = ""


@dataclass(frozen=True, kw_only=True)
class Join:
    """The sortie meets another sortie (by name) at this waypoint."""

    sortie: str
    source: str = ""


@dataclass(frozen=True, kw_only=True)
class Launch:
    """Weapons launched at a point towards one or more targets, through optional via-points.

    ``speed``/``range_m`` given in the file override the performance catalogue. For a launch from a
    ship or the ground (a mission-level launch) ``platform``, ``origin`` and ``time`` are set.
    """

    weapon: str
    count: int
    targets: tuple[Point, ...]
    via: tuple[Point, ...] = ()
    speed: Speed | None = None
    range_m: float | None = None
    source: str = ""
    platform: str | None = None
    origin: Point | None = None
    time: dt.datetime | None = None
    line: int | None = None
    #: its field path in the file, e.g. ``sorties[0].route[4].launch``, and the line of its ``weapon``
    field: str = dataclass_field(default="launch", compare=False)
    weapon_line: int | None = dataclass_field(default=None, compare=False)


@dataclass(frozen=True, kw_only=True)
class Waypoint:
    """A point on a sortie's route with what happens there; ``speed`` applies to the leg leaving it."""

    point: Point
    speed: Speed | None = None
    refuels: tuple[Refuel, ...] = ()
    holds: tuple[Hold, ...] = ()
    joins: tuple[Join, ...] = ()
    launches: tuple[Launch, ...] = ()
    note: str = ""

    @property
    def event_duration_s(self) -> float:
        """Time spent at the waypoint: refuelling and holds, one after another."""
        return sum(r.duration_s for r in self.refuels) + sum(h.duration_s for h in self.holds)


@dataclass(frozen=True, kw_only=True)
class TrackRef:
    """An observed track a sortie names (``track:``): a file, relative to the mission file, and a filter."""

    file: str
    callsign: str | None = None
    icao24: str | None = None
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    gap_s: float = 600.0  #: coverage gaps: no position for longer than this
    source: str = ""
    line: int | None = None


@dataclass(frozen=True, kw_only=True)
class Sortie:
    """One or more aircraft of one type flying one route."""

    name: str
    aircraft: str
    takeoff: dt.datetime
    speed: Speed
    route: tuple[Waypoint, ...]
    count: int = 1
    callsign: str = ""
    source: str = ""
    avoid: tuple[str, ...] = ()
    fuel_kg: float | None = None  #: takeoff fuel, if the file gives it
    range_m: float | None = None  #: unrefuelled range, if the file gives it (else the catalogue's)
    line: int | None = None
    track: TrackRef | None = None  #: the observed track to compare with, if the file names one
    #: the ADM0_A3 units its planned stretches (``plan:``) avoided, for the map's avoided-airspace layer
    planned_avoid: tuple[str, ...] = ()
    #: its field path in the file, e.g. ``sorties[0]``, and the line of its ``aircraft``
    field: str = dataclass_field(default="sortie", compare=False)
    aircraft_line: int | None = dataclass_field(default=None, compare=False)


@dataclass(frozen=True, kw_only=True)
class Claim:
    """A claimed figure: ``quantity`` is distance (m), duration (s) or speed (km/h).

    ``low`` and ``high`` bound what the claim asserts (see :mod:`missions.claims`); by default the
    value itself.
    """

    quantity: Quantity
    value: float
    text: str
    qualifier: Qualifier = Qualifier.EXACTLY
    sortie: str | None = None
    source: str = ""
    line: int | None = None
    low: float | None = None
    high: float | None = None
    #: one of the units ``text`` is written in, in the quantity's SI unit (1,609.344 m for miles);
    #: None when unknown or no fixed unit (Mach)
    written_unit_si: float | None = None

    def __post_init__(self) -> None:  # the enumerations, also when given their words ("distance", "about")
        object.__setattr__(self, "quantity", Quantity(self.quantity))
        object.__setattr__(self, "qualifier", Qualifier(self.qualifier))

    @property
    def interval(self) -> tuple[float, float]:
        """``(low, high)`` in the quantity's unit; ``high`` may be infinite."""
        return (self.value if self.low is None else self.low, self.value if self.high is None else self.high)

    @property
    def unit(self) -> str:
        return self.quantity.si_unit


@dataclass(frozen=True, kw_only=True)
class Mission:
    """A whole mission file."""

    name: str
    sorties: tuple[Sortie, ...] = ()
    launches: tuple[Launch, ...] = ()
    claims: tuple[Claim, ...] = ()
    sources: tuple[Source, ...] = ()
    date: str = ""
    description: str = ""
    file: str | None = None
    extra: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
