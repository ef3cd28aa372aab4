"""Which range rings a mission gets (``--rings``), read by the map and the KML export alike.

Each weapon's longest range around its launch point (the launch's own ``range`` if the file gives
it, else the catalogue's maximum), once per weapon and point; and half each aircraft type's longest
unrefuelled range around its base, once per type and base. Weapons and aircraft the catalogue lacks,
or whose range no source gives, get no ring.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from .analysis import MissionResult
from .errors import CatalogError
from .model import Point
from .performance import Figure, find_aircraft, find_weapon
from .units import M_PER_KM


class RingKind(enum.Enum):
    """What a ring stands for."""

    WEAPON = "weapon"  #: a weapon's range around its launch point
    AIRCRAFT = "aircraft"  #: half an aircraft type's unrefuelled range around its base


@dataclass(frozen=True, kw_only=True)
class RingChoice:
    """A range ring: around ``centre``, ``radius_m``, and the figure or file value it comes from."""

    kind: RingKind
    name: str  #: the weapon or aircraft type
    centre: Point
    radius_m: float
    figure: Figure | None  #: the catalogue's range (km); None when the mission file gives the range
    file_source: str = ""  #: the source the mission file gives for its own range
    sortie: str | None = None  #: the sortie whose base it is (aircraft rings)


def _key(name: str, point: Point) -> tuple[str, float, float]:
    return name, round(point.lat_deg, 4), round(point.lon_deg, 4)


def ring_choices(result: MissionResult) -> tuple[RingChoice, ...]:
    """The mission's range rings: weapons first (in track order), then the sorties' bases."""
    rings: list[RingChoice] = []
    done: set[tuple[str, float, float]] = set()
    for track in result.weapons:
        key = _key(track.weapon, track.origin)
        if key in done:
            continue
        done.add(key)
        if track.launch.range_m:
            rings.append(
                RingChoice(
                    kind=RingKind.WEAPON,
                    name=track.weapon,
                    centre=track.origin,
                    radius_m=track.launch.range_m,
                    figure=None,
                    file_source=track.launch.source,
                    sortie=track.launcher,
                )
            )
            continue
        try:
            figure = find_weapon(track.weapon).range_km
        except CatalogError:
            continue
        if figure is not None:
            rings.append(
                RingChoice(
                    kind=RingKind.WEAPON,
                    name=track.weapon,
                    centre=track.origin,
                    radius_m=figure.max * M_PER_KM,
                    figure=figure,
                    sortie=track.launcher,
                )
            )
    for s in result.sorties:
        base = s.sortie.route[0].point
        key = _key(s.sortie.aircraft, base)
        if key in done:
            continue
        done.add(key)
        try:
            figure = find_aircraft(s.sortie.aircraft).unrefuelled_range_km
        except CatalogError:
            continue
        if figure is not None:
            rings.append(
                RingChoice(
                    kind=RingKind.AIRCRAFT,
                    name=s.sortie.aircraft,
                    centre=base,
                    radius_m=figure.max * M_PER_KM / 2.0,
                    figure=figure,
                    sortie=s.sortie.name,
                )
            )
    return tuple(rings)
