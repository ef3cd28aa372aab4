"""Reading coordinates written by people: decimal ``lat, lon`` and degrees-minutes-seconds.

Accepted forms (latitude first unless hemispheres say otherwise):

* decimal: ``68.1517, 33.47``, ``68.1517 33.47``, ``-33.9, 151.2``;
* with hemispheres: ``68°09'N 033°28'E``, ``68 09 N 33 28 E``, ``68°09'12"N, 33°28'12"E``,
  ``N68 09 E033 28``, ``68.15N 33.47E``.

Results are ``(lat_deg, lon_deg)``; impossible values (|lat| > 90, |lon| > 180, minutes or seconds
of 60 or more) raise :class:`~missions.errors.PlaceError`.
"""

from __future__ import annotations

import re

from .errors import PlaceError

_NUM = r"[0-9]+(?:\.[0-9]+)?"
_DEC_RE = re.compile(rf"^\s*([+-]?{_NUM})\s*[,;\s]\s*([+-]?{_NUM})\s*$")


_DMS_ALLOWED = re.compile(r"^[0-9.NSEW°º'′’\"″”\s,;/]+$", re.I)
_DMS_TOKEN = re.compile(r"[0-9]+(?:\.[0-9]+)?|[NSEW]", re.I)


def looks_like_coordinates(text: str) -> bool:
    """True when ``text`` is meant as coordinates (starts with a number or a hemisphere and a number)."""
    return bool(re.match(r"^\s*(?:[+-]?[0-9]|[NSEW]\s*[0-9])", text, re.I))


def check_lat_lon(lat_deg: float, lon_deg: float, text: str = "") -> tuple[float, float]:
    """Return ``(lat_deg, lon_deg)`` or raise :class:`PlaceError` when either is out of range."""
    what = f" in {text!r}" if text else ""
    if not -90.0 <= lat_deg <= 90.0:
        raise PlaceError(f"latitude {lat_deg:g}{what} is outside -90..90")
    if not -180.0 <= lon_deg <= 180.0:
        raise PlaceError(f"longitude {lon_deg:g}{what} is outside -180..180")
    return float(lat_deg), float(lon_deg)


def _dms_value(numbers: list[str], hemi: str, text: str) -> float:
    if not 1 <= len(numbers) <= 3:
        raise PlaceError(f"cannot read coordinates {text!r}; give degrees, minutes and seconds for each")
    if any("." in n for n in numbers[:-1]):
        raise PlaceError(f"only the last part of a degrees-minutes-seconds value may have decimals in {text!r}")
    deg, minutes, seconds = ([float(n) for n in numbers] + [0.0, 0.0])[:3]
    if minutes >= 60 or seconds >= 60:
        raise PlaceError(f"minutes and seconds must be below 60 in {text!r}")
    value = deg + minutes / 60.0 + seconds / 3600.0
    return -value if hemi in ("S", "W") else value


def _parse_dms(text: str) -> tuple[float, float]:
    tokens = [t.upper() for t in _DMS_TOKEN.findall(text)] if _DMS_ALLOWED.match(text) else []
    letters = [i for i, t in enumerate(tokens) if t in "NSEW"]
    if len(letters) != 2:
        raise PlaceError(f"cannot read coordinates {text!r}; write '68.1517, 33.47' or '68°09'N 033°28'E'")
    if letters[0] == 0:  # hemispheres lead: N68 09 E033 28
        groups = [tokens[: letters[1]], tokens[letters[1] :]]
        parts = [(g[1:], g[0]) for g in groups]
    elif letters[1] == len(tokens) - 1:  # hemispheres trail: 68 09 N 33 28 E
        groups = [tokens[: letters[0] + 1], tokens[letters[0] + 1 :]]
        parts = [(g[:-1], g[-1]) for g in groups]
    else:
        raise PlaceError(f"cannot read coordinates {text!r}; put each hemisphere letter before or after its value")
    (nums_a, ha), (nums_b, hb) = parts
    if any(t in "NSEW" for t in nums_a + nums_b):
        raise PlaceError(f"cannot read coordinates {text!r}")
    if {ha, hb} in ({"N", "S"}, {"E", "W"}) or ha == hb:
        raise PlaceError(f"both values in {text!r} have the same kind of hemisphere")
    a, b = _dms_value(nums_a, ha, text), _dms_value(nums_b, hb, text)
    if ha in ("E", "W"):
        a, b = b, a
    return check_lat_lon(a, b, text)


def parse_coordinates(text: str) -> tuple[float, float]:
    """Read ``lat, lon`` in decimal degrees or degrees-minutes(-seconds) with hemispheres.

    >>> parse_coordinates("68.1517, 33.47")
    (68.1517, 33.47)
    >>> [round(v, 4) for v in parse_coordinates("68°09'N 033°28'E")]
    [68.15, 33.4667]
    >>> [round(v, 4) for v in parse_coordinates("35 57 N 5 29 W")]
    [35.95, -5.4833]
    """
    match = _DEC_RE.match(text)
    if match:
        return check_lat_lon(float(match[1]), float(match[2]), text)
    return _parse_dms(text)
