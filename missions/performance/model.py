"""The performance catalogue's model: sourced figures and the aircraft and weapon entries that hold them.

Each figure is a :class:`Figure`: a ``min``/``max`` interval (equal when the sources agree) and the
sources that give it. A figure that no source gives is ``None``, and the entry's ``notes`` say so.
:func:`normalise_name` (:func:`geodata.names.normalize_name`, the one name folding) is how entry names
and aliases are compared.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass, fields
from typing import TypeVar

from geodata.names import normalize_name


class Role(enum.StrEnum):
    """What an aircraft type is for: the catalogue's ``role`` words."""

    BOMBER = "bomber"
    FIGHTER = "fighter"
    TANKER = "tanker"


class WeaponKind(enum.StrEnum):
    """What a weapon type is: the catalogue's ``kind`` words."""

    AIR_LAUNCHED_CRUISE_MISSILE = "air-launched cruise missile"
    LAND_ATTACK_CRUISE_MISSILE = "land-attack cruise missile"
    AIR_LAUNCHED_ANTI_SHIP_MISSILE = "air-launched anti-ship missile"
    AIR_LAUNCHED_BALLISTIC_MISSILE = "air-launched ballistic missile"
    SHORT_RANGE_BALLISTIC_MISSILE = "short-range ballistic missile"
    GUIDED_PENETRATING_BOMB = "guided penetrating bomb"
    ONE_WAY_ATTACK_DRONE = "one-way attack drone"


ROLES = tuple(r.value for r in Role)
WEAPON_KINDS = tuple(k.value for k in WeaponKind)


_E = TypeVar("_E", bound=enum.StrEnum)


def _word(vocabulary: type[_E], value: str, what: str) -> _E:
    """``value`` as a word of ``vocabulary``; ``ValueError`` naming the words when it is none of them."""
    try:
        return vocabulary(value)
    except ValueError:
        words = ", ".join(v.value for v in vocabulary)
        raise ValueError(f"{what} must be one of {words}, got {value!r}") from None


@dataclass(frozen=True, kw_only=True)
class Source:
    """Where a figure comes from.

    Parameters
    ----------
    title:
        Page title or a short description that identifies it.
    url:
        Address of the page, if known.
    min, max:
        What this source states, in the figure's unit (after any conversion, which ``note`` then
        explains): equal for a single number, different when the source itself gives a range.
    note:
        What the source says exactly, a conversion, or a caveat.
    """

    title: str
    url: str | None = None
    min: float | None = None
    max: float | None = None
    note: str | None = None

    def __post_init__(self) -> None:
        if not self.title.strip():
            raise ValueError("a source needs a title")
        if (self.min is None) != (self.max is None):
            raise ValueError("give both min and max of a source, or neither")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"source min {self.min} is greater than max {self.max}")


@dataclass(frozen=True, kw_only=True)
class Figure:
    """A sourced quantity: ``min`` to ``max`` in the unit its field name carries.

    Parameters
    ----------
    min, max:
        The smallest and largest value the sources give; equal when they agree.
    sources:
        At least one :class:`Source`.
    note:
        Anything the reader must know to use the figure.
    condition:
        What the figure assumes (the load for a range, the altitude for a speed).
    derived:
        How the figure was computed when no source states it; its ``sources`` are then those of
        the inputs.

    Examples
    --------
    >>> f = Figure(min=850.0, max=960.0, sources=(Source(title="a page"),))
    >>> f.value, f.is_range, f.format()
    (905.0, True, '850–960')
    """

    min: float
    max: float
    sources: tuple[Source, ...]
    note: str | None = None
    condition: str | None = None
    derived: str | None = None

    def __post_init__(self) -> None:
        if not (math.isfinite(self.min) and math.isfinite(self.max)):
            raise ValueError(f"figure bounds must be finite, got {self.min!r}, {self.max!r}")
        if self.min > self.max:
            raise ValueError(f"figure min {self.min} is greater than max {self.max}")
        if not self.sources:
            raise ValueError("a figure needs at least one source")

    @property
    def nominal(self) -> float:
        """The midpoint of ``min`` and ``max``."""
        return (self.min + self.max) / 2.0

    @property
    def value(self) -> float:
        """Same as :attr:`nominal`: the midpoint, the single value when the sources agree."""
        return self.nominal

    @property
    def is_range(self) -> bool:
        """True when the sources disagree (``min < max``)."""
        return self.min < self.max

    def format(self, per_unit: float = 1.0, decimals: int = 0) -> str:
        """``'850–960'`` or ``'2,220'``, after dividing by ``per_unit`` (for a change of unit)."""
        lo = f"{self.min / per_unit:,.{decimals}f}"
        hi = f"{self.max / per_unit:,.{decimals}f}"
        return lo if lo == hi else f"{lo}–{hi}"


@dataclass(frozen=True, kw_only=True)
class Aircraft:
    """An aircraft type and what it can do. Figures no source gives are ``None``."""

    name: str
    aliases: tuple[str, ...]
    role: Role
    cruise_speed_kmh: Figure | None
    max_speed_kmh: Figure | None
    max_mach: Figure | None
    unrefuelled_range_km: Figure | None
    combat_radius_km: Figure | None
    internal_fuel_kg: Figure | None
    cruise_burn_kg_per_h: Figure | None
    endurance_h: Figure | None
    offload_kg: Figure | None = None
    offload_distance_km: Figure | None = None
    notes: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "role", _word(Role, self.role, "role"))

    def figures(self) -> dict[str, Figure]:
        """The figures that are known, by field name."""
        return _figures_of(self)


@dataclass(frozen=True, kw_only=True)
class Weapon:
    """A weapon type: its reach and speed. Figures no source gives are ``None``."""

    name: str
    aliases: tuple[str, ...]
    kind: WeaponKind
    launch_platforms: tuple[str, ...]
    range_km: Figure | None
    speed_kmh: Figure | None
    mach: Figure | None
    notes: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", _word(WeaponKind, self.kind, "kind"))

    def figures(self) -> dict[str, Figure]:
        """The figures that are known, by field name."""
        return _figures_of(self)


def _figures_of(entry: Aircraft | Weapon) -> dict[str, Figure]:
    return {f.name: v for f in fields(entry) if isinstance(v := getattr(entry, f.name), Figure)}


AIRCRAFT_FIGURES = tuple(f.name for f in fields(Aircraft) if "Figure" in str(f.type))
WEAPON_FIGURES = tuple(f.name for f in fields(Weapon) if "Figure" in str(f.type))


#: how entry names and aliases are compared: the one name folding, shared with the place index
normalise_name = normalize_name
