"""Where the model puts a sortie's aircraft at given times: for synthetic observed tracks (tests, benchmarks).

Positions are exact points on each leg's geodesic (``Geod.fwd`` from the leg's start at the
leg's speed); during a refuelling or hold the aircraft is at the waypoint.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from .. import geodesy
from ..analysis import SortieResult
from ..units import ms_from_kmh

Array = NDArray[np.float64]


def modelled_positions(s: SortieResult, time_s: Array) -> tuple[Array, Array, Array]:
    """``(lat, lon, heading)`` of the modelled aircraft at each epoch second (NaN outside the flight)."""
    time_s = np.asarray(time_s, dtype=np.float64)
    route = s.sortie.route
    lat, lon, heading = (np.full(time_s.size, np.nan) for _ in range(3))
    dep = np.array([t.timestamp() for t in s.departure_times])
    arr = np.array([t.timestamp() for t in s.arrival_times])
    for i, leg in enumerate(s.legs):
        on = (time_s >= dep[i]) & (time_s <= arr[i + 1])
        a = route[i].point
        d = (time_s[on] - dep[i]) * ms_from_kmh(leg.speed_kmh)
        n = int(on.sum())
        fwd_lon, fwd_lat, back = geodesy.GEOD.fwd(
            np.full(n, a.lon_deg), np.full(n, a.lat_deg), np.full(n, leg.initial_bearing_deg), d
        )
        lat[on], lon[on] = np.asarray(fwd_lat), np.asarray(fwd_lon)
        heading[on] = (np.asarray(back) + 180.0) % 360.0
    for i in range(1, len(route) - 1):
        on = (time_s > arr[i]) & (time_s < dep[i])
        lat[on], lon[on] = route[i].point.lat_deg, route[i].point.lon_deg
        heading[on] = s.legs[i].initial_bearing_deg
    return lat, lon, heading
