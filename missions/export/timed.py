"""Drawn lines with a UTC time at every vertex: what Google Earth's time slider and GPX need.

A sortie's vertices are the core's densified geodesic (:func:`missions.geodesy.densify_route`, the
same vertices as :attr:`~missions.analysis.SortieResult.line`). A vertex ``d`` metres along leg ``i``
is passed at ``departure_i + d / speed_i``; a waypoint with refuelling or holds appears twice, at its
arrival and at its departure, so the aircraft waits there. A weapon flies its densified track at its
one speed from the launch time. Times are seconds since the Unix epoch (float64).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ..analysis import SortieResult, WeaponTrack

Array = NDArray[np.float64]


@dataclass(frozen=True, kw_only=True)
class TimedLine:
    """Vertices in people's order with their times; longitudes continuous (may leave ±180)."""

    lat_deg: Array
    lon_deg: Array
    time_s: Array  #: seconds since 1970-01-01T00:00:00Z, non-decreasing


def epoch_s(when: dt.datetime) -> float:
    """Seconds since the Unix epoch of an aware datetime."""
    return when.timestamp()


def iso_times(time_s: Array) -> list[str]:
    """``2015-11-20T03:00:00Z`` for each epoch second (rounded to the second)."""
    stamps = np.round(np.asarray(time_s, dtype=np.float64)).astype("int64").astype("datetime64[s]")
    return [t + "Z" for t in np.datetime_as_string(stamps, unit="s").tolist()]


def iso_utc_s(when: dt.datetime) -> str:
    """One time as :func:`iso_times` writes it (to the second, ``Z``)."""
    return iso_times(np.array([epoch_s(when)]))[0]


def sortie_timed_line(s: SortieResult) -> TimedLine:
    """The sortie's drawn vertices with the time the modelled aircraft passes each (see module).

    The vertices and their times are the core's (:attr:`~missions.analysis.SortieResult.route`,
    :attr:`~missions.analysis.SortieResult.vertex_times_s`).
    """
    d = s.route
    times = epoch_s(s.takeoff_time) + s.vertex_times_s
    arrival_s, departure_s = s.waypoint_times_s()
    lat, lon = d.lat_deg, d.lon_deg
    # waypoints 1..n-2 that hold the aircraft: one more vertex at the arrival, before the departure
    dwell = [i for i in range(1, len(s.legs)) if departure_s[i] > arrival_s[i]]
    if dwell:
        at = s.waypoint_vertices[dwell]
        lat, lon = np.insert(lat, at, lat[at]), np.insert(lon, at, lon[at])
        times = np.insert(times, at, epoch_s(s.takeoff_time) + arrival_s[dwell])
    return TimedLine(lat_deg=lat, lon_deg=lon, time_s=times)


def weapon_timed_line(t: WeaponTrack) -> TimedLine | None:
    """The weapon's drawn track from its launch time at its speed; None for an untimed weapon (no known speed)."""
    vertex_times_s = t.vertex_times_s
    if vertex_times_s is None:
        return None
    return TimedLine(lat_deg=t.route.lat_deg, lon_deg=t.route.lon_deg, time_s=epoch_s(t.launch_time) + vertex_times_s)
