"""The legs of a computed mission as CSV: one row per leg, every sortie, in the chosen unit.

Columns: ``sortie, aircraft, leg, from, to, from_lat, from_lon, to_lat, to_lon, distance_<unit>,
cumulative_<unit>, initial_bearing_deg, final_bearing_deg, speed_kmh, duration_min, departure_utc,
arrival_utc``. Text cells that a spreadsheet would run as a formula (starting with ``=``, ``+``,
``-``, ``@``, tab or carriage return) are prefixed with ``'``.
"""

from __future__ import annotations

import csv
import io

from ..analysis import MissionResult
from ..report import iso_utc
from ..units import UNIT_M

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(text: str) -> str:
    """Text made inert in spreadsheets (CSV formula injection)."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def legs_csv(result: MissionResult, units: str = "km") -> str:
    """One row per leg of every sortie (header first), distances in ``units`` (km, nm or mi)."""
    if units not in UNIT_M:
        raise ValueError(f"units must be one of {sorted(UNIT_M)}, not {units!r}")
    per = UNIT_M[units]
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
            f"distance_{units}",
            f"cumulative_{units}",
            "initial_bearing_deg",
            "final_bearing_deg",
            "speed_kmh",
            "duration_min",
            "departure_utc",
            "arrival_utc",
        ]
    )
    for s in result.sorties:
        for leg in s.legs:
            a, b = leg.start.point, leg.end.point
            writer.writerow(
                [
                    _cell(s.sortie.name),
                    _cell(s.sortie.aircraft),
                    leg.index + 1,
                    _cell(a.name),
                    _cell(b.name),
                    f"{a.lat_deg:.6f}",
                    f"{a.lon_deg:.6f}",
                    f"{b.lat_deg:.6f}",
                    f"{b.lon_deg:.6f}",
                    f"{leg.distance_m / per:.3f}",
                    f"{leg.cumulative_m / per:.3f}",
                    f"{leg.initial_bearing_deg:.2f}",
                    f"{leg.final_bearing_deg:.2f}",
                    f"{leg.speed_kmh:.1f}",
                    f"{leg.duration_s / 60.0:.2f}",
                    iso_utc(leg.start_time),
                    iso_utc(leg.end_time),
                ]
            )
    return out.getvalue()
