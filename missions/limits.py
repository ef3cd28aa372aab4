"""The bounds a mission file must keep, so that everything accepted can be computed, drawn and exported.

Unit-level bounds (speeds between :data:`~missions.units.MIN_SPEED_KMH` and Mach 30, durations up
to 30 days, distances up to 100,000 km, masses up to 10,000 t, finite numbers) live with the unit
readers in :mod:`missions.units`; file-level caps (size, nesting, node count, value length) in
:mod:`missions.yamlio`; mission size (sorties, points) in :mod:`missions.parsing`. These are the
rest: calendar years, name lengths, counts, radii, and the span of a sortie's or a weapon's timeline.

With them, every time the analysis makes lies between 1900 and 2200 plus 30 days, far inside
Python's ``datetime`` range (years 1 to 9999).
"""

from __future__ import annotations

import datetime as dt

from .errors import MissionError
from .units import S_PER_DAY

#: times (takeoffs, ship launches) must fall in these calendar years (inclusive)
MIN_YEAR = 1900
MAX_YEAR = 2200
#: names (mission, sortie, aircraft, weapon, place, ...) longer than this are refused before any lookup
MAX_NAME_CHARS = 200
#: aircraft in a sortie, weapons in a launch
MAX_COUNT = 10_000
#: an uncertainty radius beyond half the Earth's circumference means nothing (m)
MAX_RADIUS_M = 20_000_000.0
#: from takeoff to landing of one sortie, from launch to impact of one weapon (s): 30 days
MAX_TIMELINE_S = 30 * S_PER_DAY

#: every sortie's and weapon track's geodesic length, summed (m): the overflight and the map's work grow
#: with it (5,000,000 km: the 300-sortie benchmark mission flies 4.5 million)
MAX_ROUTE_M = 5_000_000_000.0

#: the fields whose text is a name
NAME_KEYS = frozenset(
    {"name", "aircraft", "callsign", "weapon", "platform", "sortie", "tanker", "qualifier", "quantity"}
)


def name_problem(text: str, what: str) -> str | None:
    """Why ``text`` cannot be a name (too long), or ``None``."""
    if len(text) > MAX_NAME_CHARS:
        return f"{what} is {len(text):,} characters long; names are limited to {MAX_NAME_CHARS}"
    return None


def year_problem(when: dt.datetime) -> str | None:
    """Why ``when`` is outside the years a mission may use, or ``None``."""
    if not MIN_YEAR <= when.year <= MAX_YEAR:
        return f"year {when.year} is outside {MIN_YEAR}-{MAX_YEAR}"
    return None


def check_route_length(total_m: float, *, file: str | None, line: int | None) -> None:
    """Refuse a mission whose routes (sorties and weapon tracks) total more than :data:`MAX_ROUTE_M`."""
    if not total_m <= MAX_ROUTE_M:
        raise MissionError(
            f"the sorties and weapon tracks total {total_m / 1000:,.0f} km; a mission may fly at most "
            f"{MAX_ROUTE_M / 1000:,.0f} km in all (split it into several files)",
            file=file,
            line=line,
            field="sorties",
        )


def check_timeline(span_s: float, what: str, *, file: str | None, line: int | None, field: str) -> None:
    """Refuse a sortie or weapon flight lasting more than :data:`MAX_TIMELINE_S` (or not finite)."""
    if not span_s <= MAX_TIMELINE_S:  # also catches NaN
        days = span_s / S_PER_DAY
        raise MissionError(
            f"{what} would last {days:,.0f} days; at most {MAX_TIMELINE_S / S_PER_DAY:.0f} days are allowed "
            "(check its speeds, holds and waypoints)",
            file=file,
            line=line,
            field=field,
        )
