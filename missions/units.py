"""Reading and converting speeds, distances and durations.

Speeds are held in km/h, distances in metres, durations in seconds. Text forms accepted:

* speed: ``900 km/h``, ``900 kmh``, ``480 kn`` (``kt``, ``kts``, ``knots``), ``560 mph``,
  ``250 m/s``, ``Mach 0.85`` (``M0.85``), and ranges ``850-950 km/h`` or ``Mach 0.8-0.9``;
* distance: ``150 km``, ``80 nm`` (``NM``, ``nmi``), ``50 mi``, ``2000 m``;
* duration: ``30 min``, ``1 h 30 min``, ``1.5 h``, ``2h15m``, ``90 s``, ISO 8601 ``PT1H30M``,
  and ``h:mm`` (``1:30``).

Mach numbers are converted with the speed of sound of the ICAO Standard Atmosphere at an altitude
(default 11,000 m, the tropopause, where long-range jets cruise: 295.07 m/s = 1,062.3 km/h). Below
11 km the temperature falls 6.5 K per km from 288.15 K; from 11 km to 20 km it is 216.65 K.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Literal, NamedTuple, get_args, overload

from .errors import UnitError

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

#: metres in one nautical mile (international, exact)
M_PER_NM = 1852.0
#: metres in one statute mile (international, exact)
M_PER_MI = 1609.344
#: metres in one kilometre
M_PER_KM = 1000.0
#: kilograms in one tonne
KG_PER_T = 1000.0
#: kilograms in one pound (international avoirdupois, exact)
KG_PER_LB = 0.45359237
#: bytes in one megabyte (decimal, as file sizes are printed)
BYTES_PER_MB = 1_000_000.0
#: seconds in one minute
S_PER_MIN = 60.0
#: seconds in one hour
S_PER_H = 3600.0
#: seconds in one day
S_PER_DAY = 86_400.0
#: km/h in one m/s (3.6)
KMH_PER_MS = S_PER_H / M_PER_KM
#: km/h in one knot
KMH_PER_KN = M_PER_NM / M_PER_KM
#: km/h in one mph
KMH_PER_MPH = M_PER_MI / M_PER_KM

#: ICAO standard atmosphere: ratio of specific heats and specific gas constant of dry air (J/(kg K))
_GAMMA_AIR = 1.4
_R_AIR = 287.05287
#: default altitude at which Mach numbers are converted (m)
MACH_ALTITUDE_M = 11_000.0
#: speed of sound at sea level, ISA (km/h): sqrt(1.4 * 287.05287 * 288.15) m/s * 3.6
SPEED_OF_SOUND_SEA_LEVEL_KMH = math.sqrt(_GAMMA_AIR * _R_AIR * 288.15) * KMH_PER_MS
#: speeds above Mach 30 at sea level are refused as absurd (km/h)
MAX_SPEED_KMH = 30 * SPEED_OF_SOUND_SEA_LEVEL_KMH
#: speeds below this are refused: slower than any aircraft or missile, and they would push the
#: times of a long route out of any calendar (km/h)
MIN_SPEED_KMH = 10.0
#: distances beyond this (two and a half times round the Earth) are refused (m)
MAX_DISTANCE_M = 100_000_000.0
#: durations beyond this (a hold, a refuelling, a claimed duration) are refused (s): 30 days
MAX_DURATION_S = 30 * S_PER_DAY
#: masses beyond this (10,000 t) are refused (kg)
MAX_MASS_KG = 10_000_000.0
#: a speed, distance, duration or mass written with more characters than this is refused unread
MAX_QUANTITY_CHARS = 80

#: the distance units a user can choose (one vocabulary: ``nm`` is the nautical mile everywhere);
#: speeds follow: km/h, knots, mph
Units = Literal["km", "nm", "mi"]
UNITS: tuple[Units, ...] = get_args(Units)
UNIT_M: dict[Units, float] = {"km": M_PER_KM, "nm": M_PER_NM, "mi": M_PER_MI}
UNIT_LABEL: dict[Units, str] = {"km": "km", "nm": "NM", "mi": "mi"}
#: kilometres in one unit (to show a figure kept in km in the chosen unit)
UNIT_KM: dict[Units, float] = {"km": 1.0, "nm": M_PER_NM / M_PER_KM, "mi": M_PER_MI / M_PER_KM}
UNIT_SPEED_LABEL: dict[Units, str] = {"km": "km/h", "nm": "kn", "mi": "mph"}


#: the unit in which sentences (findings, verdict reasons) write distances and speeds; see message_units
_MESSAGE_UNITS: ContextVar[Units] = ContextVar("message_units", default="km")


@contextmanager
def message_units(units: Units) -> Iterator[None]:
    """Inside this block, :func:`format_distance` and :func:`format_speed` called without ``units``
    write ``units``: the sentences that the checks compose (findings, claim reasons, avoid hits) then
    speak the user's unit, without every check taking a ``units`` argument. Figures are unchanged.

    >>> with message_units("nm"):
    ...     format_distance(1852.0), format_speed(1852.0)
    ('1 NM', '1,000 kn')
    >>> format_distance(1852.0)
    '2 km'
    """
    token = _MESSAGE_UNITS.set(check_units(units))
    try:
        yield
    finally:
        _MESSAGE_UNITS.reset(token)


def current_message_units() -> Units:
    """The unit that sentences are written in now (:func:`message_units`; km outside any block)."""
    return _MESSAGE_UNITS.get()


def check_units(units: str) -> Units:
    """``units`` if it is one of :data:`UNITS`, else :class:`ValueError`.

    >>> check_units("nm")
    'nm'
    """
    if units not in UNIT_M:
        raise ValueError(f"units must be one of {sorted(UNIT_M)}, not {units!r}")
    return units


def km(distance_m: float) -> float:
    """Metres to kilometres."""
    return distance_m / M_PER_KM


def hours(duration_s: float) -> float:
    """Seconds to hours."""
    return duration_s / S_PER_H


def hours_or_none(duration_s: float | None) -> float | None:
    """Seconds to hours; None (JSON ``null``) for a duration that cannot be computed."""
    return None if duration_s is None else duration_s / S_PER_H


@overload
def ms_from_kmh(speed_kmh: float) -> float: ...
@overload
def ms_from_kmh(speed_kmh: NDArray[np.float64]) -> NDArray[np.float64]: ...
def ms_from_kmh(speed_kmh: float | NDArray[np.float64]) -> float | NDArray[np.float64]:
    """km/h to m/s, for a number or a NumPy array."""
    return speed_kmh / KMH_PER_MS


def average_kmh(distance_m: float, duration_s: float) -> float:
    """The average speed of ``distance_m`` flown in ``duration_s``, in km/h (0 for no time).

    >>> average_kmh(900_000.0, 3600.0)
    900.0
    """
    return distance_m / duration_s * KMH_PER_MS if duration_s > 0 else 0.0


def distance_in(distance_m: float, units: Units) -> float:
    """A distance in metres expressed in ``units`` (km, NM or mi).

    >>> distance_in(1852.0, "nm")
    1.0
    """
    return distance_m / UNIT_M[units]


def speed_in(speed_kmh: float, units: Units) -> float:
    """A speed in km/h expressed per hour of the distance unit (km/h, kn or mph).

    >>> round(speed_in(1852.0, "nm"))
    1000
    """
    return speed_kmh * M_PER_KM / UNIT_M[units]


def format_speed(speed_kmh: float, units: Units | None = None) -> str:
    """``900 km/h``, ``486 kn`` or ``559 mph`` (``units`` None: the :func:`message_units`, else km).

    >>> format_speed(900.0, "nm")
    '486 kn'
    """
    units = units or _MESSAGE_UNITS.get()
    return f"{speed_in(speed_kmh, units):,.0f} {UNIT_SPEED_LABEL[units]}"


def iso_utc(when: dt.datetime) -> str:
    """``2015-11-20T03:00:00Z`` (fractions of a second kept when present): the one ISO form.

    >>> iso_utc(dt.datetime(2015, 11, 20, 6, 0, tzinfo=dt.timezone(dt.timedelta(hours=3))))
    '2015-11-20T03:00:00Z'
    """
    return when.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def iso_utc_or_none(when: dt.datetime | None) -> str | None:
    """:func:`iso_utc`, or None (JSON ``null``) for a time that cannot be computed (an untimed weapon's impact)."""
    return None if when is None else iso_utc(when)


def format_hm(when: dt.datetime | None) -> str:
    """``20 Nov 03:00``: a UTC time rounded to the nearest minute (the one short time form).

    >>> format_hm(dt.datetime(2015, 11, 20, 2, 59, 31, tzinfo=dt.UTC))
    '20 Nov 03:00'
    >>> format_hm(None)  # a time that cannot be computed (an untimed weapon's impact)
    'unknown'
    """
    if when is None:
        return UNKNOWN_TEXT
    return (when.astimezone(dt.UTC) + dt.timedelta(seconds=30)).strftime("%d %b %H:%M")


def speed_of_sound_kmh(altitude_m: float = MACH_ALTITUDE_M) -> float:
    """Speed of sound in the ICAO Standard Atmosphere at ``altitude_m`` (0 to 20,000 m), in km/h.

    >>> round(speed_of_sound_kmh(0.0))
    1225
    >>> round(speed_of_sound_kmh(11_000.0), 1)
    1062.3
    """
    if not 0.0 <= altitude_m <= 20_000.0:
        raise UnitError(f"altitude {altitude_m:g} m is outside 0-20,000 m, where Mach can be converted")
    temperature_k = 288.15 - 0.0065 * min(altitude_m, 11_000.0)
    return math.sqrt(_GAMMA_AIR * _R_AIR * temperature_k) * KMH_PER_MS


class Speed(NamedTuple):
    """A speed, possibly a range, in km/h; ``text`` keeps what was written."""

    min_kmh: float
    max_kmh: float
    text: str

    @property
    def kmh(self) -> float:
        """The nominal speed: the middle of the range."""
        return (self.min_kmh + self.max_kmh) / 2.0


_NUM = r"(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?"
_SPEED_UNITS = {
    "km/h": 1.0, "kmh": 1.0, "kph": 1.0, "km/hr": 1.0, "kmph": 1.0,
    "kn": KMH_PER_KN, "kt": KMH_PER_KN, "kts": KMH_PER_KN, "knot": KMH_PER_KN, "knots": KMH_PER_KN,
    "mph": KMH_PER_MPH, "mi/h": KMH_PER_MPH,
    "m/s": KMH_PER_MS, "mps": KMH_PER_MS,
}  # fmt: skip
_RANGE_SEP = r"\s*(?:-|–|—|to|\.\.)\s*"
_SPEED_RE = re.compile(rf"^\s*(?P<a>{_NUM})(?:{_RANGE_SEP}(?P<b>{_NUM}))?\s*(?P<unit>[a-z/]+)\s*$", re.I)
_MACH_RE = re.compile(rf"^\s*(?:mach|m)\s*(?P<a>{_NUM})(?:{_RANGE_SEP}(?:mach|m)?\s*(?P<b>{_NUM}))?\s*$", re.I)
#: Mach written after the figure, as some reports do: ``0.85 Mach``, ``0.8-0.9 Mach``
_MACH_AFTER_RE = re.compile(rf"^\s*(?P<a>{_NUM})(?:{_RANGE_SEP}(?P<b>{_NUM}))?\s*mach\s*$", re.I)


def _quantity_text(value: object, what: str) -> str:
    """``value`` as stripped text, refused when it is too long to be a quantity."""
    text = str(value).strip()
    if len(text) > MAX_QUANTITY_CHARS:
        raise UnitError(f"{what} {text[:20]!r}... is {len(text):,} characters long; write e.g. a number and a unit")
    return text


def _bounded(value: float, text: str, what: str, high: float, high_text: str) -> float:
    """``value``, refused when it is not finite or above ``high``."""
    if not math.isfinite(value) or value > high:
        raise UnitError(f"{what} {text!r} is above {high_text}, the limit for a mission file")
    return value


def parse_speed(value: object, *, mach_altitude_m: float = MACH_ALTITUDE_M) -> Speed:
    """Read a speed such as ``900 km/h``, ``480 kn``, ``Mach 0.85`` or ``850-950 km/h``.

    >>> parse_speed("480 kn").kmh
    888.96
    >>> parse_speed("850-950 km/h")[:2]
    (850.0, 950.0)
    """
    text = _quantity_text(value, "speed")
    if isinstance(value, (bool, int | float)):
        raise UnitError(f"speed {text!r} has no unit; write e.g. '{text} km/h', '{text} kn' or 'Mach 0.85'")
    match = _MACH_RE.match(text) or _MACH_AFTER_RE.match(text)
    if match:
        if float(match["b"] or match["a"]) > 30:
            raise UnitError(f"speed {text!r} is above Mach 30: not an aircraft or missile speed")
        factor = speed_of_sound_kmh(mach_altitude_m)
    else:
        match = _SPEED_RE.match(text)
        if not match:
            raise UnitError(f"cannot read speed {text!r}; write e.g. '900 km/h', '480 kn', '560 mph' or 'Mach 0.85'")
        unit = match["unit"].lower()
        if unit not in _SPEED_UNITS:
            raise UnitError(f"unknown speed unit {match['unit']!r} in {text!r}; use km/h, kn, mph, m/s or Mach")
        factor = _SPEED_UNITS[unit]
    low = float(match["a"]) * factor
    high = float(match["b"]) * factor if match["b"] else low
    if low > high:
        raise UnitError(f"speed range {text!r} runs backwards; write the lower speed first")
    if low <= 0:
        raise UnitError(f"speed {text!r} must be above zero")
    if low < MIN_SPEED_KMH:
        raise UnitError(f"speed {text!r} is below {MIN_SPEED_KMH:g} km/h: not an aircraft or missile speed")
    if not math.isfinite(high) or high > MAX_SPEED_KMH:
        raise UnitError(
            f"speed {text!r} is above Mach 30 ({MAX_SPEED_KMH:,.0f} km/h): not an aircraft or missile speed"
        )
    return Speed(low, high, text)


_DIST_UNITS = {"km": M_PER_KM, "m": 1.0, "nm": M_PER_NM, "nmi": M_PER_NM, "mi": M_PER_MI, "miles": M_PER_MI}
#: a number and a unit word: ``150 km``, ``40 t``
_AMOUNT_RE = re.compile(rf"^\s*(?P<a>{_NUM})\s*(?P<unit>[a-z]+)\s*$", re.I)


def _parse_amount(
    value: object, what: str, units: Mapping[str, float], examples: str, maximum: float, maximum_text: str
) -> float:
    """A number and a unit word of ``units`` (name -> SI factor) as SI, at most ``maximum``."""
    text = _quantity_text(value, what)
    match = _AMOUNT_RE.match(text)
    if not match or match["unit"].lower() not in units:
        raise UnitError(f"cannot read {what} {text!r}; write e.g. {examples}")
    return _bounded(float(match["a"]) * units[match["unit"].lower()], text, what, maximum, maximum_text)


def parse_distance_m(value: object) -> float:
    """Read a distance such as ``150 km``, ``80 nm`` or ``50 mi``; returns metres.

    >>> parse_distance_m("80 nm")
    148160.0
    """
    maximum_text = f"{MAX_DISTANCE_M / M_PER_KM:,.0f} km"
    return _parse_amount(value, "distance", _DIST_UNITS, "'150 km', '80 nm' or '50 mi'", MAX_DISTANCE_M, maximum_text)


_DUR_PART = re.compile(rf"({_NUM})\s*(h|hr|hrs|hours?|min|mins|minutes?|m|s|sec|secs|seconds?)(?![a-z])", re.I)
_ISO_DUR = re.compile(
    r"^P(?:(?P<d>\d+(?:\.\d+)?)D)?(?:T(?:(?P<h>\d+(?:\.\d+)?)H)?(?:(?P<m>\d+(?:\.\d+)?)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?$",
    re.I,
)
_HMM = re.compile(r"^\s*(\d{1,6}):([0-5]\d)(?::([0-5]\d))?\s*$")


def parse_duration_s(value: object) -> float:
    """Read a duration such as ``30 min``, ``1 h 30 min``, ``PT1H30M`` or ``1:30``; returns seconds.

    >>> parse_duration_s("1 h 30 min"), parse_duration_s("PT45M"), parse_duration_s("2:15")
    (5400.0, 2700.0, 8100.0)
    """
    text = _quantity_text(value, "duration")
    if isinstance(value, (bool, int | float)):
        raise UnitError(f"duration {text!r} has no unit; write e.g. '{text} min' or '{text} h'")
    limit = f"{MAX_DURATION_S / S_PER_DAY:.0f} days"
    iso = _ISO_DUR.match(text)
    if iso and any(iso.groupdict().values()):
        d, h, m, s = (float(iso[k] or 0) for k in "dhms")
        return _bounded(((d * 24 + h) * 60 + m) * 60 + s, text, "duration", MAX_DURATION_S, limit)
    hmm = _HMM.match(text)
    if hmm:
        hmm_s = int(hmm[1]) * S_PER_H + int(hmm[2]) * S_PER_MIN + int(hmm[3] or 0)
        return _bounded(hmm_s, text, "duration", MAX_DURATION_S, limit)
    total = 0.0
    rest = text
    for number, unit in _DUR_PART.findall(text):
        u = unit.lower()
        total += float(number) * (S_PER_H if u.startswith("h") else S_PER_MIN if u.startswith("m") else 1.0)
    rest = _DUR_PART.sub("", text).replace(",", "").replace("and", "").strip()
    if rest or not _DUR_PART.search(text):
        raise UnitError(f"cannot read duration {text!r}; write e.g. '30 min', '1 h 30 min' or 'PT1H30M'")
    return _bounded(total, text, "duration", MAX_DURATION_S, limit)


def format_distance(distance_m: float, units: Units | None = None, *, decimals: int = 0, sign: bool = False) -> str:
    """``12,345 km`` in the chosen unit (``km``, ``nm`` or ``mi``; None: the :func:`message_units`,
    else km); ``sign``: ``+12 km``/``-3 km``.

    >>> format_distance(148_160.0, "nm"), format_distance(-2000.0, sign=True)
    ('80 NM', '-2 km')
    """
    units = units or _MESSAGE_UNITS.get()
    return f"{distance_m / UNIT_M[units]:{'+' if sign else ''},.{decimals}f} {UNIT_LABEL[units]}"


def format_count(count: int, noun: str, plural: str | None = None) -> str:
    """A count and its noun, singular for one: ``1 row``, ``3,201 rows`` (``plural`` when not noun + s).

    >>> format_count(1, "row"), format_count(3201, "row"), format_count(2, "vertex", "vertices")
    ('1 row', '3,201 rows', '2 vertices')
    """
    return f"{count:,} {noun if count == 1 else plural or noun + 's'}"


def format_megabytes(size_bytes: float, decimals: int = 2) -> str:
    """A file size in (decimal) megabytes: ``0.75 MB``.

    >>> format_megabytes(752_301), format_megabytes(5 * 1024 * 1024, decimals=0)
    ('0.75 MB', '5 MB')
    """
    return f"{size_bytes / BYTES_PER_MB:,.{decimals}f} MB"


def iso_duration(duration_s: int) -> str:
    """A whole number of minutes as an ISO 8601 duration: ``PT1H30M``, ``PT5M``, ``PT2H``.

    >>> iso_duration(5400), iso_duration(300), iso_duration(7200)
    ('PT1H30M', 'PT5M', 'PT2H')
    """
    hours, rest = divmod(int(duration_s), int(S_PER_H))
    minutes = rest // int(S_PER_MIN)
    return "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes or not hours else "")


#: what every face prints for a figure that cannot be computed (an untimed weapon's flight time and arrival)
UNKNOWN_TEXT = "unknown"


def format_duration(duration_s: float | None) -> str:
    """``16 h 20 min`` (rounded to the minute); ``unknown`` for None (an untimed weapon's flight time)."""
    if duration_s is None:
        return UNKNOWN_TEXT
    minutes = round(duration_s / S_PER_MIN)
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"


_MASS_UNITS = {"kg": 1.0, "t": KG_PER_T, "tonnes": KG_PER_T, "tons": KG_PER_T, "lb": KG_PER_LB, "lbs": KG_PER_LB}


def parse_mass_kg(value: object) -> float:
    """Read a mass such as ``40 t``, ``40000 kg`` or ``90000 lb``; returns kilograms.

    >>> parse_mass_kg("40 t")
    40000.0
    """
    maximum_text = f"{MAX_MASS_KG / 1000:,.0f} t"
    return _parse_amount(value, "mass", _MASS_UNITS, "'40 t', '40000 kg' or '90000 lb'", MAX_MASS_KG, maximum_text)


def text_table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: set[int]) -> list[str]:
    """A plain-text table: the header, a rule and the rows; columns in ``right`` aligned right.

    Trailing spaces are stripped from every line.
    """
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]

    def fmt(cells: Sequence[str]) -> str:
        return "  ".join(
            c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        )

    return [line.rstrip() for line in [fmt(headers), "  ".join("-" * w for w in widths), *(fmt(r) for r in rows)]]
