"""Claims as the press writes them: ``"nearly 1,500 km"``, ``"36–37 h"``, ``"two hours"``, ``"Mach 2"``.

:func:`parse_claim_text` reads one claimed figure into a :class:`ClaimValue`: its quantity
(distance in metres, duration in seconds or speed in km/h), the written value, the qualifier, and
the interval ``[low, high]`` that the claim asserts the true value lies in. The verdicts
(:mod:`missions.verdicts`) compare that interval, widened by :data:`RECONSTRUCTION_TOLERANCE`, with
the computed band.

How each qualifier sets the interval (``v`` the written figure; the canonical word in brackets):

* no qualifier, ``16,000 km`` (rounded): ``v ± half the rounding unit`` (16,000 → ±500; 16.5 h → ±0.05 h);
* exactly, precisely (exactly): ``[v, v]``;
* about, around, roughly, approximately, some, circa, ~ (about): ``[0.9 v, 1.1 v]``;
* nearly, almost, just under, close to (nearly): ``[0.9 v, v]``;
* over, more than, above, in excess of, upwards of (more than); at least, no less than (at least):
  ``[v, ∞)``;
* less than, under, below (less than); up to, at most, no more than (at most): ``[0, v]``;
* ``36–37 h``, ``9,000 to 10,000 km``, ``between 9,000 and 10,000 km``, ``one or two hours``
  (between): ``[a, b]``; a qualifier before a range applies to both ends (``about 36–37 h``).

The rounding unit of a bare figure is the place of its last non-zero digit (``16,000`` → 1,000;
``9,500`` → 100; ``16`` → 1) or of its last decimal (``16.5`` → 0.1); written numbers (``two``) round
to 1. In a compound duration (``16 h 20 min``) the last part sets it (20 min → ±5 min).

Figures: thousands separated by commas, spaces, no-break or thin spaces (``11 000``, ``11 000``);
a decimal point, or a decimal comma when not followed by exactly three digits (``1,5 h``); written
numbers (``two hours``, ``sixteen thousand km``, ``one and a half hours``, ``half an hour``) through
``text2num``. Units: km (kilometres), m, nautical miles (NM, nmi), miles and statute miles (mi);
hours (h, hrs), minutes (min), seconds, days; km/h (kph), knots (kn, kt), mph, m/s, Mach (converted
at 11,000 m, :func:`missions.units.speed_of_sound_kmh`). Words after the unit (``"flying time"``)
are ignored.

Examples
--------
>>> c = parse_claim_text("nearly 1,500 km")
>>> c.quantity, c.qualifier, c.value, c.low, c.high
(<Quantity.DISTANCE: 'distance'>, <Qualifier.NEARLY: 'nearly'>, 1500000.0, 1350000.0, 1500000.0)
>>> c = parse_claim_text("16,000 km")
>>> c.qualifier, c.low, c.high
(<Qualifier.ROUNDED: 'rounded'>, 15500000.0, 16500000.0)
>>> parse_claim_text("36–37 h").low / 3600, parse_claim_text("two hours").value / 3600
(36.0, 2.0)
"""

from __future__ import annotations

import enum
import math
import re
from dataclasses import dataclass

from .errors import UnitError
from .units import (
    KMH_PER_KN,
    KMH_PER_MPH,
    KMH_PER_MS,
    M_PER_KM,
    M_PER_MI,
    M_PER_NM,
    S_PER_H,
    S_PER_MIN,
    speed_of_sound_kmh,
)

__all__ = [
    "QUALIFIER_WORDS",
    "RECONSTRUCTION_TOLERANCE",
    "ClaimValue",
    "Qualifier",
    "Quantity",
    "parse_claim_text",
]

#: every interval is widened by this fraction before it is compared with the computed band: the
#: route between sourced points is a reconstruction
RECONSTRUCTION_TOLERANCE = 0.02
#: "about" spans ±10 %, "nearly" the 10 % below the figure
ABOUT_FRACTION = 0.10


class Quantity(enum.StrEnum):
    """What a claim is about, and its SI unit: distance (m), duration (s), speed (km/h)."""

    DISTANCE = "distance"
    DURATION = "duration"
    SPEED = "speed"

    @property
    def si_unit(self) -> str:
        """The unit a value of this quantity is kept in: ``m``, ``s`` or ``km/h``."""
        return {"distance": "m", "duration": "s", "speed": "km/h"}[self.value]


class Qualifier(enum.StrEnum):
    """How a figure is qualified (the canonical word)."""

    ROUNDED = "rounded"  #: no qualifier: a rounded figure
    EXACTLY = "exactly"
    ABOUT = "about"
    NEARLY = "nearly"
    MORE_THAN = "more than"
    AT_LEAST = "at least"
    LESS_THAN = "less than"
    AT_MOST = "at most"
    BETWEEN = "between"  #: a range, "36–37 h"


#: the words and signs a claim may lead with, by the qualifier they mean
QUALIFIER_WORDS: dict[str, Qualifier] = {
    "exactly": Qualifier.EXACTLY, "precisely": Qualifier.EXACTLY,
    "about": Qualifier.ABOUT, "around": Qualifier.ABOUT, "roughly": Qualifier.ABOUT,
    "approximately": Qualifier.ABOUT, "approx.": Qualifier.ABOUT, "approx": Qualifier.ABOUT,
    "some": Qualifier.ABOUT, "circa": Qualifier.ABOUT, "ca.": Qualifier.ABOUT, "~": Qualifier.ABOUT,
    "nearly": Qualifier.NEARLY, "almost": Qualifier.NEARLY, "just under": Qualifier.NEARLY,
    "close to": Qualifier.NEARLY,
    "over": Qualifier.MORE_THAN, "more than": Qualifier.MORE_THAN, "above": Qualifier.MORE_THAN,
    "in excess of": Qualifier.MORE_THAN, "upwards of": Qualifier.MORE_THAN, ">": Qualifier.MORE_THAN,
    "at least": Qualifier.AT_LEAST, "no less than": Qualifier.AT_LEAST, "a minimum of": Qualifier.AT_LEAST,
    "≥": Qualifier.AT_LEAST, ">=": Qualifier.AT_LEAST,
    "less than": Qualifier.LESS_THAN, "under": Qualifier.LESS_THAN, "below": Qualifier.LESS_THAN,
    "fewer than": Qualifier.LESS_THAN, "<": Qualifier.LESS_THAN,
    "up to": Qualifier.AT_MOST, "at most": Qualifier.AT_MOST, "no more than": Qualifier.AT_MOST,
    "a maximum of": Qualifier.AT_MOST, "≤": Qualifier.AT_MOST, "<=": Qualifier.AT_MOST,
    "rounded": Qualifier.ROUNDED, "between": Qualifier.BETWEEN,
}  # fmt: skip

#: units: written form → (quantity, SI amount in one of them); Mach is handled apart
_UNITS: dict[str, tuple[Quantity, float]] = {
    **dict.fromkeys(
        ("km", "kms", "kilometre", "kilometres", "kilometer", "kilometers", "-km", "-kilometre", "-kilometer"),
        (Quantity.DISTANCE, M_PER_KM),
    ),
    **dict.fromkeys(("m", "metre", "metres", "meter", "meters"), (Quantity.DISTANCE, 1.0)),
    **dict.fromkeys(
        ("nm", "nmi", "nautical mile", "nautical miles", "nautical-mile"), (Quantity.DISTANCE, M_PER_NM)
    ),
    **dict.fromkeys(
        ("mi", "mile", "miles", "statute mile", "statute miles", "land miles", "-mile"), (Quantity.DISTANCE, M_PER_MI)
    ),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours", "-hour"), (Quantity.DURATION, S_PER_H)),
    **dict.fromkeys(("min", "mins", "minute", "minutes", "-minute"), (Quantity.DURATION, S_PER_MIN)),
    **dict.fromkeys(("s", "sec", "secs", "second", "seconds"), (Quantity.DURATION, 1.0)),
    **dict.fromkeys(("day", "days", "-day"), (Quantity.DURATION, 24 * S_PER_H)),
    **dict.fromkeys(
        ("km/h", "kmh", "kph", "km/hr", "kmph", "kilometres per hour", "kilometers per hour"), (Quantity.SPEED, 1.0)
    ),
    **dict.fromkeys(("kn", "kt", "kts", "knot", "knots"), (Quantity.SPEED, KMH_PER_KN)),
    **dict.fromkeys(("mph", "mi/h", "miles per hour"), (Quantity.SPEED, KMH_PER_MPH)),
    **dict.fromkeys(("m/s", "mps"), (Quantity.SPEED, KMH_PER_MS)),
}  # fmt: skip
UNIT_WORDS = tuple(sorted(_UNITS, key=len, reverse=True))

_SPACES = "\u00a0\u2009\u202f\u2007 "
_NUMBER = re.compile(rf"(?P<num>\d{{1,3}}(?:[,{_SPACES}]\d{{3}})+(?:\.\d+)?(?!\d)|\d+(?:[.,]\d+)?)")
_UNIT_RE = re.compile(r"\s*(?P<unit>" + "|".join(re.escape(u) for u in UNIT_WORDS) + r")(?![a-z])", re.IGNORECASE)
_MACH_RE = re.compile(r"\s*mach\s*", re.IGNORECASE)
_RANGE_SEP = re.compile(r"\s*(?:-|–|—|to|and|or)\s*", re.IGNORECASE)


@dataclass(frozen=True, kw_only=True)
class ClaimValue:
    """A claimed figure: ``value`` as written and the interval ``[low, high]`` it asserts (SI units:
    metres, seconds or km/h; ``high`` may be infinite)."""

    quantity: Quantity
    value: float
    qualifier: Qualifier
    low: float
    high: float
    rounding: float = 0.0  #: the rounding unit of a bare figure (SI units), 0 otherwise
    text: str = ""
    #: one of the units the figure is written in, in SI units (1,609.344 for miles, 3,600 for hours;
    #: the first unit of a compound duration); None for Mach, which is no fixed speed
    written_unit_si: float | None = None

    def __post_init__(self) -> None:
        if not 0.0 <= self.low <= self.value <= self.high:
            raise ValueError(f"claim interval {self.low}–{self.high} does not hold {self.value}")

    def widened(self, fraction: float = RECONSTRUCTION_TOLERANCE) -> tuple[float, float]:
        """The interval widened by ``fraction`` on each side."""
        return self.low * (1 - fraction), self.high * (1 + fraction)


def _written_numbers(text: str) -> str:
    """Written numbers as digits: ``two hours`` → ``2 hours``; ``one and a half`` → ``1.5``."""
    from text_to_num import alpha2digit  # pure Python, imported only when a claim needs it

    text = re.sub(r"\bhalf an? hour\b", "0.5 hours", text, flags=re.IGNORECASE)
    text = re.sub(r"\ban?\s+(hundred|thousand|million|dozen)\b", r"one \1", text, flags=re.IGNORECASE)
    text = alpha2digit(text, "en", threshold=0)
    text = re.sub(r"\ban? (hour|day|minute)\b", r"1 \1", text, flags=re.IGNORECASE)
    return re.sub(r"(\d+) and a half\b", lambda m: f"{int(m.group(1)) + 0.5:g}", text, flags=re.IGNORECASE)


def _number(raw: str) -> tuple[float, float]:
    """The number written as ``raw`` and its rounding unit (place of the last non-zero digit)."""
    if "," in raw and not re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", raw):
        raw = raw.replace(",", ".")  # a decimal comma: "1,5"
    digits = re.sub(rf"[,{_SPACES}]", "", raw)
    value = float(digits)
    if "." in digits:
        return value, 10.0 ** -len(digits.split(".")[1])
    stripped = digits.rstrip("0")
    return value, 10.0 ** (len(digits) - len(stripped)) if stripped else 1.0


def _leading_qualifier(text: str) -> tuple[Qualifier | None, str]:
    low = text.lower()
    for word in sorted(QUALIFIER_WORDS, key=len, reverse=True):
        if low.startswith(word) and (not word[-1].isalpha() or not low[len(word) : len(word) + 1].isalpha()):
            return QUALIFIER_WORDS[word], text[len(word) :].strip()
    return None, text


class _Reader:
    """A cursor over the claim text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def match(self, pattern: re.Pattern[str]) -> re.Match[str] | None:
        m = pattern.match(self.text, self.pos)
        if m:
            self.pos = m.end()
        return m

    def skip_spaces(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos] in _SPACES + "\t":
            self.pos += 1

    @property
    def rest(self) -> str:
        return self.text[self.pos :].strip()


def _unit(reader: _Reader) -> tuple[Quantity, float] | None:
    m = reader.match(_UNIT_RE)
    return _UNITS[m.group("unit").lower()] if m else None


def _fail(text: str, why: str) -> UnitError:
    return UnitError(
        f"cannot read the claim {text!r}: {why}; write e.g. 'nearly 1,500 km', '36–37 h', 'more than 16 hours', "
        "'3,380 nautical miles', 'Mach 2'"
    )


def _mach(reader: _Reader, text: str) -> tuple[float, float, float, float]:
    """``Mach a[–b]`` as km/h: (low, high, value, rounding)."""
    a = reader.match(_NUMBER)
    if a is None:
        raise _fail(text, "no number after 'Mach'")
    lo, unit = _number(a.group("num"))
    hi = lo
    save = reader.pos
    if reader.match(_RANGE_SEP):
        reader.match(_MACH_RE)
        b = reader.match(_NUMBER)
        if b is None:
            reader.pos = save
        else:
            hi = _number(b.group("num"))[0]
    c = speed_of_sound_kmh()
    return lo * c, hi * c, (lo + hi) / 2 * c, unit * c


def parse_claim_text(text: str, *, qualifier: str | None = None) -> ClaimValue:
    """Read one claimed figure as the press writes it (see the module for the forms and the intervals).

    Parameters
    ----------
    text:
        The claim, e.g. ``"nearly 1,500 km"``, ``"36–37 h"``, ``"two hours"``, ``"Mach 2"``.
    qualifier:
        A qualifier given apart (a mission file's ``qualifier`` field); the text's own wins.

    Raises
    ------
    UnitError
        The text holds no figure with a unit this module reads.
    """
    original = " ".join(str(text).split())
    if not original:
        raise _fail(original, "it is empty")
    written, body = _leading_qualifier(original)
    if qualifier is not None and written is None:
        key = qualifier.strip().lower()
        if key not in QUALIFIER_WORDS:
            import difflib

            close = difflib.get_close_matches(key, list(QUALIFIER_WORDS), n=3)
            raise UnitError(
                f"unknown qualifier {qualifier!r}; use one of {', '.join(q.value for q in Qualifier)}",
                suggestions=close,
            )
        written = QUALIFIER_WORDS[key]
    body = _written_numbers(body)
    reader = _Reader(body)
    if reader.match(_MACH_RE):
        low, high, value, rounding = _mach(reader, original)
        return _make(Quantity.SPEED, value, low, high, rounding, written, original, ranged=low < high, per=None)
    first = reader.match(_NUMBER)
    if first is None:
        raise _fail(original, "no number")
    a, a_round = _number(first.group("num"))
    unit = _unit(reader)
    save = reader.pos
    b = unit_b = None
    sep = reader.match(_RANGE_SEP)
    if sep is not None and (sep.group(0).strip().lower() != "and" or written is Qualifier.BETWEEN):
        second = reader.match(_NUMBER)
        if second is not None:
            b, b_round = _number(second.group("num"))
            unit_b = _unit(reader)
            if unit is not None and unit_b is not None and unit_b != unit:  # "16 h 20 min": not a range
                b = None
    if b is None:
        reader.pos = save
    else:
        unit = unit_b or unit
        if unit is None:
            raise _fail(original, "no unit after the range")
        quantity, per = unit
        lo, hi = sorted((a * per, b * per))
        return _make(quantity, (lo + hi) / 2, lo, hi, b_round * per, written, original, ranged=True, per=per)
    if unit is None:
        word = re.match(r"\s*([^\d\s]+)", body[first.end() :])
        import difflib

        close = difflib.get_close_matches(word.group(1).lower(), UNIT_WORDS, n=3) if word else []
        raise UnitError(
            f"cannot read the claim {original!r}: "
            + (f"unknown unit {word.group(1)!r}" if word else "no unit")
            + "; use km, nautical miles (NM), miles, hours, minutes, days, km/h, knots, mph or Mach",
            suggestions=close,
        )
    quantity, per = unit
    total, rounding = a * per, a_round * per
    while True:  # compound durations: "16 h 20 min", "1 day and 4 hours"
        save = reader.pos
        reader.match(re.compile(r"\s*(?:and|,)?\s*", re.IGNORECASE))
        more = reader.match(_NUMBER)
        part = _unit(reader) if more else None
        if more is None or part is None or part[0] is not quantity or quantity is not Quantity.DURATION:
            reader.pos = save
            break
        n, n_round = _number(more.group("num"))
        total += n * part[1]
        rounding = n_round * part[1]
    return _make(quantity, total, total, total, rounding, written, original, ranged=False, per=per)


def _make(
    quantity: Quantity,
    value: float,
    low: float,
    high: float,
    rounding: float,
    written: Qualifier | None,
    text: str,
    *,
    ranged: bool,
    per: float | None,
) -> ClaimValue:
    if not (math.isfinite(value) and value >= 0):
        raise _fail(text, "the figure is not a finite non-negative number")
    qualifier = written or (Qualifier.BETWEEN if ranged else Qualifier.ROUNDED)
    if qualifier is Qualifier.BETWEEN and not ranged:
        qualifier = Qualifier.ROUNDED
    if ranged and qualifier in (Qualifier.ROUNDED, Qualifier.EXACTLY):
        qualifier = Qualifier.BETWEEN
    if qualifier is Qualifier.ROUNDED:
        low, high = max(0.0, value - rounding / 2), value + rounding / 2
    elif qualifier is Qualifier.ABOUT:
        low, high = low * (1 - ABOUT_FRACTION), high * (1 + ABOUT_FRACTION)
    elif qualifier is Qualifier.NEARLY:
        low, high = low * (1 - ABOUT_FRACTION), high
    elif qualifier in (Qualifier.MORE_THAN, Qualifier.AT_LEAST):
        high = math.inf
    elif qualifier in (Qualifier.LESS_THAN, Qualifier.AT_MOST):
        low = 0.0
    return ClaimValue(
        quantity=quantity,
        value=value,
        qualifier=qualifier,
        low=low,
        high=high,
        rounding=rounding if qualifier is Qualifier.ROUNDED else 0.0,
        text=text,
        written_unit_si=per,
    )
