"""What an observed track shows: points, time span, geodesic distance flown, coverage gaps, countries.

- **Distance flown**: the sum of the geodesic distances (WGS84, :mod:`missions.geodesy`) between
  consecutive positions; the part of it that spans coverage gaps (where the path is unknown, so the
  geodesic is a lower bound) is given apart.
- **Coverage gaps**: consecutive positions more than ``gap_s`` apart (default
  :data:`DEFAULT_GAP_S`, 10 minutes).
- **Thinning** (for drawing and for the countries): within each stretch without a gap, the track
  is simplified so that the thinned line stays within ``THIN_TOLERANCE_M`` (1 km) of every
  position (Douglas–Peucker in degrees with a tolerance of 0.9 km of latitude: a degree of
  longitude is never longer than one of latitude, so no position is more than ~1 km off).
- **Countries**: the overflight code (:func:`missions.airspace.overflight.legs_crossings`) on the
  thinned legs, none across a gap; stretches in order with entry and exit times interpolated
  along each leg.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

import numpy as np
import shapely
from numpy.typing import NDArray

from .. import geodesy
from .model import Track

#: positions further apart in time than this are a coverage gap (s)
DEFAULT_GAP_S = 600.0
#: a thinned track stays within this of every observed position (m)
THIN_TOLERANCE_M = 1_000.0
#: metres in a degree of latitude, at its shortest (the equator): used to turn metres into degrees
_M_PER_DEG_LAT_MIN = 110_574.0


@dataclass(frozen=True, kw_only=True)
class Gap:
    """A stretch with no position for longer than the gap threshold."""

    after_index: int  #: the last position before the gap
    start: dt.datetime
    end: dt.datetime
    start_lat_deg: float
    start_lon_deg: float
    end_lat_deg: float
    end_lon_deg: float
    distance_m: float  #: geodesic distance between the positions either side

    @property
    def duration_s(self) -> float:
        return (self.end - self.start).total_seconds()


@dataclass(frozen=True, kw_only=True)
class CountryStretch:
    """The observed track inside one country (or international waters: ``iso3`` None)."""

    iso3: str | None
    name: str
    entry: dt.datetime
    exit: dt.datetime
    distance_m: float


@dataclass(frozen=True, kw_only=True)
class TrackSummary:
    """A summary of one observed track."""

    track: Track
    points: int
    start: dt.datetime
    end: dt.datetime
    distance_m: float  #: geodesic, between consecutive positions, gaps included
    gap_distance_m: float  #: the part of ``distance_m`` across coverage gaps
    gap_threshold_s: float
    gaps: tuple[Gap, ...]
    countries: tuple[CountryStretch, ...] | None  #: None when not computed

    @property
    def duration_s(self) -> float:
        return (self.end - self.start).total_seconds()

    @property
    def covered_s(self) -> float:
        """Time with coverage: the span less the gaps."""
        return self.duration_s - sum(g.duration_s for g in self.gaps)

    @property
    def countries_crossed(self) -> tuple[str, ...] | None:
        """ISO codes of the countries crossed, in order, each once (a country entered again, or
        international waters between two stretches, adds a stretch, not a country); None when not computed."""
        if self.countries is None:
            return None
        return tuple(dict.fromkeys(c.iso3 for c in self.countries if c.iso3))


def _utc(seconds: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(float(seconds), tz=dt.UTC)


def step_distances_m(track: Track) -> NDArray[np.float64]:
    """Geodesic distances between consecutive positions (n-1 of them)."""
    return geodesy.leg_distances_m(track.lat_deg, track.lon_deg)


def gap_indices(time_s: NDArray[np.float64], gap_s: float = DEFAULT_GAP_S) -> NDArray[np.intp]:
    """Indices ``i`` with ``time[i+1] - time[i] > gap_s``."""
    return np.flatnonzero(np.diff(time_s) > gap_s)


def find_gaps(
    track: Track, gap_s: float = DEFAULT_GAP_S, steps_m: NDArray[np.float64] | None = None
) -> tuple[Gap, ...]:
    """The coverage gaps of a track, in time order."""
    steps = step_distances_m(track) if steps_m is None else steps_m
    t, lat, lon = track.time_s, track.lat_deg, track.lon_deg
    return tuple(
        Gap(
            after_index=int(i),
            start=_utc(t[i]),
            end=_utc(t[i + 1]),
            start_lat_deg=float(lat[i]),
            start_lon_deg=float(lon[i]),
            end_lat_deg=float(lat[i + 1]),
            end_lon_deg=float(lon[i + 1]),
            distance_m=float(steps[i]),
        )
        for i in gap_indices(t, gap_s)
    )


def thin_indices(
    lat_deg: NDArray[np.float64], lon_deg: NDArray[np.float64], tolerance_m: float = THIN_TOLERANCE_M
) -> NDArray[np.intp]:
    """Indices of the positions kept so that the thinned line is within ``tolerance_m`` of all.

    Longitudes are unwrapped first (a track across the antimeridian stays one line). The first and
    last positions are always kept.
    """
    n = lat_deg.size
    if n <= 2:
        return np.arange(n)
    lon = geodesy.unwrap_lon(lon_deg)
    line = shapely.LineString(np.column_stack([lon, lat_deg]))
    tol_deg = 0.9 * tolerance_m / _M_PER_DEG_LAT_MIN
    kept = np.asarray(shapely.simplify(line, tol_deg, preserve_topology=False).coords)
    if len(kept) < 2:
        return np.array([0, n - 1])
    keys = lon + 1j * lat_deg
    mask = np.isin(keys, kept[:, 0] + 1j * kept[:, 1])
    mask[0] = mask[-1] = True
    return np.flatnonzero(mask)


def part_slices(track: Track, gap_s: float = DEFAULT_GAP_S) -> list[slice]:
    """The stretches without a coverage gap, as slices of the track's rows."""
    cuts = gap_indices(track.time_s, gap_s) + 1
    bounds = [0, *cuts.tolist(), len(track)]
    return [slice(a, b) for a, b in itertools.pairwise(bounds)]


def thinned(track: Track, gap_s: float = DEFAULT_GAP_S) -> list[NDArray[np.intp]]:
    """For each stretch without a gap, the indices of its thinned positions (within 1 km)."""
    return [s.start + thin_indices(track.lat_deg[s], track.lon_deg[s]) for s in part_slices(track, gap_s)]


def _countries(track: Track, parts: list[NDArray[np.intp]]) -> tuple[CountryStretch, ...]:
    from ..airspace.overflight import legs_crossings

    a = np.concatenate([p[:-1] for p in parts]) if parts else np.zeros(0, dtype=np.intp)
    b = np.concatenate([p[1:] for p in parts]) if parts else np.zeros(0, dtype=np.intp)
    if a.size == 0:
        return ()
    lat, lon, t = track.lat_deg, track.lon_deg, track.time_s
    lengths = geodesy.inverse(lat[a], lon[a], lat[b], lon[b]).distance_m
    stretches: list[CountryStretch] = []
    for k, crossings in enumerate(legs_crossings(lat[a], lon[a], lat[b], lon[b])):
        for c in crossings:
            frac = (np.array([c.start_m, c.end_m]) / lengths[k]) if lengths[k] > 0 else np.zeros(2)
            entry, exit_ = t[a[k]] + frac * (t[b[k]] - t[a[k]])
            last = stretches[-1] if stretches else None
            if last is not None and last.iso3 == c.iso3 and abs(last.exit.timestamp() - entry) < 1.0:
                stretches[-1] = CountryStretch(iso3=c.iso3, name=c.name, entry=last.entry, exit=_utc(exit_),
                                               distance_m=last.distance_m + c.distance_m)  # fmt: skip
            else:
                stretches.append(CountryStretch(iso3=c.iso3, name=c.name, entry=_utc(entry), exit=_utc(exit_),
                                                distance_m=c.distance_m))  # fmt: skip
    return tuple(stretches)


def summarise(track: Track, *, gap_s: float = DEFAULT_GAP_S, countries: bool = True) -> TrackSummary:
    """Points, span, distance flown, gaps and (optionally) countries of a track (see module)."""
    steps = step_distances_m(track)
    gaps = find_gaps(track, gap_s, steps)
    return TrackSummary(
        track=track,
        points=len(track),
        start=track.start,
        end=track.end,
        distance_m=float(steps.sum()),
        gap_distance_m=float(sum(g.distance_m for g in gaps)),
        gap_threshold_s=gap_s,
        gaps=gaps,
        countries=_countries(track, thinned(track, gap_s)) if countries else None,
    )
