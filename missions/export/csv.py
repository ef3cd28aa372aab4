"""The legs of a computed mission as CSV: one row per leg, every sortie, in the chosen unit.

Columns: ``sortie, aircraft, leg, from, to, from_lat, from_lon, to_lat, to_lon, distance_<unit>,
cumulative_<unit>, initial_bearing_deg, final_bearing_deg, speed_<unit>, duration_min, departure_utc,
arrival_utc``; the speed is per hour of the distance unit (``speed_kmh``, ``speed_kn`` or ``speed_mph``).
Text cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab or
carriage return) are prefixed with ``'``.
"""

from __future__ import annotations

import csv
import io

from ..analysis import MissionResult
from ..tables import MissionTables, mission_tables
from ..units import S_PER_MIN, Units, check_units, distance_in, iso_utc, speed_in

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(text: str) -> str:
    """Text made inert in spreadsheets (CSV formula injection)."""
    return "'" + text if text.startswith(_FORMULA_START) else text


#: the speed column's unit for each distance unit (km/h, knots, mph), as the text report prints them
SPEED_COLUMN: dict[Units, str] = {"km": "kmh", "nm": "kn", "mi": "mph"}


def legs_csv(result: MissionResult, units: Units = "km", *, tables: MissionTables | None = None) -> str:
    """One row per leg of every sortie (header first), distances in ``units`` (km, nm or mi)."""
    unit = check_units(units)
    tables = tables or mission_tables(result)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            "sortie",
            "aircraft",
            "leg",
            "from",
            "to",
            "from_lat",
            "from_lon",
            "to_lat",
            "to_lon",
            f"distance_{unit}",
            f"cumulative_{unit}",
            "initial_bearing_deg",
            "final_bearing_deg",
            f"speed_{SPEED_COLUMN[unit]}",
            "duration_min",
            "departure_utc",
            "arrival_utc",
        ]
    )
    for leg in tables.legs:
        writer.writerow(
            [
                _cell(leg.sortie),
                _cell(leg.aircraft),
                leg.leg_index + 1,
                _cell(leg.from_name),
                _cell(leg.to_name),
                f"{leg.from_lat_deg:.6f}",
                f"{leg.from_lon_deg:.6f}",
                f"{leg.to_lat_deg:.6f}",
                f"{leg.to_lon_deg:.6f}",
                f"{distance_in(leg.distance_m, unit):.3f}",
                f"{distance_in(leg.cumulative_m, unit):.3f}",
                f"{leg.initial_bearing_deg:.2f}",
                f"{leg.final_bearing_deg:.2f}",
                f"{speed_in(leg.speed_kmh, unit):.1f}",
                f"{leg.duration_s / S_PER_MIN:.2f}",
                iso_utc(leg.start_utc),
                iso_utc(leg.end_utc),
            ]
        )
    return out.getvalue()
