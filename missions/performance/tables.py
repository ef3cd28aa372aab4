"""The performance catalogue as plain-text tables (``python -m missions aircraft`` and ``weapons``)."""

from __future__ import annotations

import difflib
from collections.abc import Mapping

from missions.errors import UnitError
from missions.units import UNIT_KM, UNIT_LABEL, UNIT_SPEED_LABEL, UNITS, Units, text_table

from .loader import load_aircraft_catalog, load_weapons_catalog
from .model import Aircraft, Figure, Weapon

# Display units for the tables (the one vocabulary of missions.units: km, nm, mi): distance unit,
# speed unit, and km per distance unit.
TABLE_UNITS: Mapping[str, tuple[str, str, float]] = {
    units: (UNIT_LABEL[units], UNIT_SPEED_LABEL[units], UNIT_KM[units]) for units in UNITS
}

_MISSING = "—"


def _table_units(units: str) -> tuple[str, str, float]:
    if units not in TABLE_UNITS:
        raise UnitError(
            f"unknown table units {units!r}; use one of {', '.join(TABLE_UNITS)}",
            suggestions=difflib.get_close_matches(units, list(TABLE_UNITS), n=1),
        )
    return TABLE_UNITS[units]


def _cell(figure: Figure | None, per_unit: float = 1.0, decimals: int = 0) -> str:
    if figure is None:
        return _MISSING
    return figure.format(per_unit, decimals) + ("*" if figure.derived else "")


def _render(headers: list[str], rows: list[list[str]], right_from: int) -> str:
    return "\n".join(text_table(headers, rows, right=set(range(right_from, len(headers)))))


def format_aircraft_table(units: Units = "km", catalog: Mapping[str, Aircraft] | None = None) -> str:
    """The aircraft catalogue as a plain-text table (``python -m missions aircraft``).

    Parameters
    ----------
    units:
        ``"km"`` (km, km/h), ``"nm"`` (NM, kn) or ``"mi"`` (mi, mph) for distances and speeds.
        Fuel is always in kg, burn in kg/h, endurance in hours.
    catalog:
        The catalogue to show (default: the packaged one).

    Where sources disagree a cell shows ``min–max``; ``*`` marks a derived figure and ``—`` one no
    source gives. Tanker offloads follow the table.
    """
    dist, speed, per = _table_units(units)
    aircraft = load_aircraft_catalog() if catalog is None else catalog
    headers = [
        "name",
        "role",
        f"cruise {speed}",
        f"max speed {speed}",
        "max Mach",
        f"range {dist}",
        f"radius {dist}",
        "fuel kg",
        "burn kg/h",
        "endurance h",
    ]
    rows = [
        [
            a.name,
            a.role,
            _cell(a.cruise_speed_kmh, per),
            _cell(a.max_speed_kmh, per),
            _cell(a.max_mach, decimals=2),
            _cell(a.unrefuelled_range_km, per),
            _cell(a.combat_radius_km, per),
            _cell(a.internal_fuel_kg),
            _cell(a.cruise_burn_kg_per_h),
            _cell(a.endurance_h, decimals=1),
        ]
        for a in aircraft.values()
    ]
    text = _render(headers, rows, right_from=2)
    offloads = [
        f"  {a.name}: {_cell(a.offload_kg)} kg"
        + (f" at {_cell(a.offload_distance_km, per)} {dist}" if a.offload_distance_km else "")
        for a in aircraft.values()
        if a.offload_kg is not None
    ]
    footer = [f"* derived from other figures; {_MISSING} no source found; range is unrefuelled."]
    if offloads:
        footer += ["Tanker offload:", *offloads]
    return text + "\n\n" + "\n".join(footer)


def format_weapons_table(units: Units = "km", catalog: Mapping[str, Weapon] | None = None) -> str:
    """The weapons catalogue as a plain-text table (``python -m missions weapons``).

    Parameters
    ----------
    units:
        ``"km"`` (km, km/h), ``"nm"`` (NM, kn) or ``"mi"`` (mi, mph).
    catalog:
        The catalogue to show (default: the packaged one).
    """
    dist, speed, per = _table_units(units)
    weapons = load_weapons_catalog() if catalog is None else catalog
    headers = ["name", "kind", "launched from", f"range {dist}", f"speed {speed}", "Mach"]
    rows = [
        [
            w.name,
            w.kind,
            ", ".join(w.launch_platforms) or _MISSING,
            _cell(w.range_km, per),
            _cell(w.speed_kmh, per),
            _cell(w.mach, decimals=2),
        ]
        for w in weapons.values()
    ]
    footer = f"* derived from other figures; {_MISSING} no source found."
    return _render(headers, rows, right_from=3) + "\n\n" + footer
