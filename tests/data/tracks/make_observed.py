"""Writes observed-northern.csv (OpenSky state-vector columns) for tests/data/observed-mission.yaml.

RFF7082 flies the modelled route every 60 s with 150 m of noise, 20 km to the right of it from
18:40 to 18:50 UTC, with no position from 18:15 to 18:28 UTC (over the Barents Sea
waypoint); RFF9999 (another aircraft) is interleaved and must be filtered out.
Run from the repository: PYTHONPATH=. python tests/data/tracks/make_observed.py
"""

from pathlib import Path

import numpy as np

from missions import geodesy
from missions.analysis import compute_mission
from missions.parsing import load_mission
from missions.tracks.synthetic import modelled_positions

HERE = Path(__file__).parent
result = compute_mission(load_mission(HERE.parent / "observed-mission.yaml"))
s = result.sorties[0]
t0 = s.takeoff_time.timestamp()
time_s = np.arange(t0, s.landing_time.timestamp() + 1, 60.0)
lat, lon, heading = modelled_positions(s, time_s)
rng = np.random.default_rng(7)
lat, lon = geodesy.destination(lat, lon, rng.uniform(0, 360, lat.size), np.abs(rng.normal(0, 150, lat.size)))
off = (time_s >= t0 + 40 * 60) & (time_s <= t0 + 50 * 60)
lat[off], lon[off] = geodesy.destination(lat[off], lon[off], heading[off] + 90.0, 20_000.0)
keep = ~((time_s > t0 + 15 * 60) & (time_s < t0 + 28 * 60))
HEADER = (
    "time,icao24,lat,lon,velocity,heading,vertrate,callsign,onground,alert,spi,squawk,"
    "baroaltitude,geoaltitude,lastposupdate,lastcontact,hour"
)
FLAGS = "False,False,False"
rows = [HEADER]
for t, y, x, h in zip(time_s[keep], lat[keep], lon[keep], heading[keep], strict=True):
    hour = int(t // 3600 * 3600)
    times = f"{t:.1f},{t + 0.4:.1f},{hour}"
    rows.append(f"{int(t)},152003,{y:.5f},{x:.5f},250.0,{h:.1f},0.0,RFF7082 ,{FLAGS},7000,11000.0,11050.0,{times}")
    rows.append(f"{int(t)},4ca7b3,{y - 3:.5f},{x:.5f},230.0,90.0,0.0,RFF9999 ,{FLAGS},2000,9000.0,9040.0,{times}")
(HERE / "observed-northern.csv").write_text("\n".join(rows) + "\n")
