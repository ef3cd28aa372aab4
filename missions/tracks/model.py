"""Observed tracks: one typed table of positions, whatever the source format.

A :class:`Track` holds columns as NumPy arrays of equal length, sorted by time: ``time_s`` (UTC,
seconds since the Unix epoch), ``lat_deg``, ``lon_deg`` (in [-180, 180]), ``altitude_m`` (NaN where
the source gives none), ``callsign`` and ``icao24`` (empty strings where the source gives none;
callsigns stripped and upper-case, ICAO 24-bit addresses lower-case hex). ``dropped_rows`` counts
the rows or elements of the file that were unusable and ``problems`` names the first few of them.
A position repeated with the same time (OpenSky repeats the last position until a new one comes) is
kept once.

A track is one aircraft's: positions of several aircraft flying at the same time (a file of a whole
formation or area, with no filter choosing one) would be merged by time into a zigzag between them,
so they are refused with one line naming the aircraft and how to choose one (:func:`make_track`).
An aircraft is its ICAO 24-bit address, else its callsign; aircraft one after another (a callsign
changed on the ground, two legs in one GPX file) make one track.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from ..errors import MissionError
from ..units import format_count

if TYPE_CHECKING:
    import pandas as pd

Array = NDArray[np.float64]
#: at most this many problems are kept by name (the count covers them all)
MAX_PROBLEMS = 5
#: two aircraft whose positions overlap in time by more than this are flying at the same time
AT_ONCE_S = 60.0
#: at most this many aircraft are named when several fly at once
MAX_NAMED = 4


class TrackError(MissionError):
    """An observed-track file that cannot be used: unknown format, no usable positions, bad filter."""


class TrackFormat(Enum):
    """The source formats the readers know."""

    OPENSKY = "opensky"  #: OpenSky state vectors (CSV or Parquet)
    FR24 = "fr24"  #: FlightRadar24 per-flight CSV export
    CSV = "csv"  #: a CSV with named columns (time, latitude, longitude, ...)
    GPX = "gpx"  #: GPX tracks, routes and waypoints
    KML = "kml"  #: KML or KMZ: gx:Track, LineStrings and Points with times


@dataclass(frozen=True, kw_only=True)
class TrackFilter:
    """Which positions of a file make the track (all when every field is None)."""

    callsign: str | None = None  #: compared stripped and case-insensitively
    icao24: str | None = None  #: compared lower-case
    start: dt.datetime | None = None  #: inclusive, aware
    end: dt.datetime | None = None  #: inclusive, aware

    def __post_init__(self) -> None:
        for name in ("start", "end"):
            when = getattr(self, name)
            if when is not None and when.tzinfo is None:
                raise TrackError(f"the filter's {name} time {when.isoformat()} has no time zone; add Z or +hh:mm")
        if self.start is not None and self.end is not None and self.end < self.start:
            raise TrackError(f"the filter's end {self.end.isoformat()} is before its start {self.start.isoformat()}")

    @property
    def is_empty(self) -> bool:
        return self.callsign is None and self.icao24 is None and self.start is None and self.end is None

    def describe(self) -> str:
        parts = []
        if self.callsign:
            parts.append(f"callsign {self.callsign}")
        if self.icao24:
            parts.append(f"icao24 {self.icao24}")
        if self.start:
            parts.append(f"from {self.start.isoformat()}")
        if self.end:
            parts.append(f"to {self.end.isoformat()}")
        return ", ".join(parts)


@dataclass(frozen=True, eq=False, kw_only=True)
class Track:
    """Positions of one observed track (see the module); build with :func:`make_track`."""

    file: str
    format: TrackFormat
    time_s: Array
    lat_deg: Array
    lon_deg: Array
    altitude_m: Array
    callsign: NDArray[np.object_]
    icao24: NDArray[np.object_]
    dropped_rows: int = 0
    problems: tuple[str, ...] = ()
    filter: TrackFilter = field(default_factory=TrackFilter)

    def __len__(self) -> int:
        return int(self.time_s.size)

    @property
    def start(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(float(self.time_s[0]), tz=dt.UTC)

    @property
    def end(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(float(self.time_s[-1]), tz=dt.UTC)

    @property
    def dropped_text(self) -> str:
        """``3 rows dropped: f.csv:2: ...`` (the count and the first problem; empty when none was dropped)."""
        if not self.dropped_rows:
            return ""
        first = f": {self.problems[0]}" if self.problems else ""
        return f"{format_count(self.dropped_rows, 'row')} dropped{first}"

    @property
    def name(self) -> str:
        """The callsign(s) or ICAO address(es) seen, else the file name."""
        for column in (self.callsign, self.icao24):
            seen = sorted({c for c in column[: min(len(column), 100_000)] if c})
            if seen:
                return "/".join(seen[:3]) + ("…" if len(seen) > 3 else "")
        return self.file.rsplit("/", 1)[-1]

    def to_frame(self) -> pd.DataFrame:
        """The table as pandas: ``time`` as ``datetime64[ns, UTC]`` and the other columns."""
        import pandas as pd  # only here: reading and comparing tracks needs no pandas

        return pd.DataFrame(
            {
                "time": pd.to_datetime(self.time_s, unit="s", utc=True),
                "lat_deg": self.lat_deg,
                "lon_deg": self.lon_deg,
                "altitude_m": self.altitude_m,
                "callsign": self.callsign,
                "icao24": self.icao24,
            }
        )


def _strings(values: object, n: int) -> NDArray[np.object_]:
    if values is None:
        return np.full(n, "", dtype=object)
    return np.asarray(values, dtype=object)


def make_track(
    *,
    file: str,
    format: TrackFormat,
    time_s: Array,
    lat_deg: Array,
    lon_deg: Array,
    altitude_m: Array | None = None,
    callsign: object = None,
    icao24: object = None,
    dropped_rows: int = 0,
    problems: tuple[str, ...] = (),
    filter: TrackFilter | None = None,
) -> Track:
    """A :class:`Track` from columns: rows without a finite time or a valid position are dropped
    (and counted), the rest sorted by time (stable) with longitudes wrapped to [-180, 180].

    Raises
    ------
    TrackError
        When no usable position is left.
    """
    time_s = np.asarray(time_s, dtype=np.float64)
    lat = np.asarray(lat_deg, dtype=np.float64)
    lon = np.asarray(lon_deg, dtype=np.float64)
    n = time_s.size
    alt = np.full(n, np.nan) if altitude_m is None else np.asarray(altitude_m, dtype=np.float64)
    calls, icaos = _strings(callsign, n), _strings(icao24, n)
    good = np.isfinite(time_s) & np.isfinite(lat) & np.isfinite(lon) & (np.abs(lat) <= 90.0) & (np.abs(lon) <= 540.0)
    bad = int(n - np.count_nonzero(good))
    if bad:
        time_s, lat, lon, alt = (a[good] for a in (time_s, lat, lon, alt))
        calls, icaos = calls[good], icaos[good]
    order = np.argsort(time_s, kind="stable")
    if order.size and np.any(order[1:] < order[:-1]):
        time_s, lat, lon, alt = (a[order] for a in (time_s, lat, lon, alt))
        calls, icaos = calls[order], icaos[order]
    lon = np.where(np.abs(lon) <= 180.0, lon, (lon + 180.0) % 360.0 - 180.0)
    if time_s.size > 1:  # the same report twice (OpenSky repeats a position until the next one)
        repeat = np.concatenate(([False], (time_s[1:] == time_s[:-1]) & (lat[1:] == lat[:-1]) & (lon[1:] == lon[:-1])))
        repeat[1:] &= icaos[1:] == icaos[:-1]
        if repeat.any():
            keep = ~repeat
            time_s, lat, lon, alt = (a[keep] for a in (time_s, lat, lon, alt))
            calls, icaos = calls[keep], icaos[keep]
    track = Track(
        file=file,
        format=format,
        time_s=time_s,
        lat_deg=lat,
        lon_deg=lon,
        altitude_m=alt,
        callsign=calls,
        icao24=icaos,
        dropped_rows=dropped_rows + bad,
        problems=problems[:MAX_PROBLEMS],
        filter=filter or TrackFilter(),
    )
    what = f" matching {track.filter.describe()}" if not track.filter.is_empty else ""
    if not len(track):
        first = f" ({problems[0]})" if problems else ""
        raise TrackError(f"no usable positions{what} in {format.value} track{first}", file=file)
    aircraft, named = aircraft_at_once(time_s, calls, icaos)
    if aircraft:
        listed = ", ".join(f"{name} ({format_count(count, 'position')})" for name, count in named)
        more = f" and {aircraft - len(named)} more" if aircraft > len(named) else ""
        raise TrackError(
            f"{aircraft} aircraft fly at the same time in this {format.value} track{what}: {listed}{more}; "
            "a track is one aircraft's: choose one by its callsign or ICAO 24-bit address",
            file=file,
        )
    return track


def aircraft_at_once(
    time_s: Array, callsign: NDArray[np.object_], icao24: NDArray[np.object_]
) -> tuple[int, list[tuple[str, int]]]:
    """How many aircraft of a time-sorted table fly at the same time (their spans overlap by more than
    :data:`AT_ONCE_S`; 0 when none do) and the :data:`MAX_NAMED` with most positions: (name, positions).

    An aircraft is its ICAO address, else its callsign; it is named by its first callsign and its
    address ("RFF7082 icao24 152003"). Rows with neither belong to no aircraft. Worked on runs of rows
    of one aircraft, so a file of one aircraft costs one comparison per row.
    """
    has_icao = icao24.astype(bool)
    ident = icao24 if has_icao.all() else np.where(has_icao, icao24, callsign)
    run_start = np.flatnonzero(np.concatenate(([True], ident[1:] != ident[:-1])))
    run_end = np.append(run_start[1:], ident.size) - 1
    known = ident[run_start].astype(bool)
    run_start, run_end = run_start[known], run_end[known]
    codes: dict[str, int] = {}  # the aircraft in order of appearance (a dict: no sort of the strings)
    inverse = np.fromiter((codes.setdefault(a, len(codes)) for a in ident[run_start]), np.intp, run_start.size)
    if len(codes) < 2:
        return 0, []
    counts = np.bincount(inverse, weights=run_end - run_start + 1).astype(np.int64)
    start_s = np.full(len(codes), np.inf)
    end_s = np.full(len(codes), -np.inf)
    np.minimum.at(start_s, inverse, time_s[run_start])
    np.maximum.at(end_s, inverse, time_s[run_end])
    order = np.argsort(start_s, kind="stable")
    latest_end_s = np.maximum.accumulate(end_s[order])
    if not np.any(start_s[order][1:] < latest_end_s[:-1] - AT_ONCE_S):
        return 0, []
    names, shown = list(codes), []
    for k in np.argsort(-counts, kind="stable")[:MAX_NAMED]:
        rows = ident == names[k]
        calls = callsign[rows]
        seen = calls[calls.astype(bool)]
        call = str(seen[0]) if seen.size else ""
        address = f"icao24 {names[k]}" if has_icao[rows].any() else ""
        shown.append((" ".join(part for part in (call, address) if part), int(counts[k])))
    return len(codes), shown
