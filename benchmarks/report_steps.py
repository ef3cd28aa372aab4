"""The steps of ``python -m missions report FILE --json``, timed in one process (run by ``bench_core``).

Usage: ``python benchmarks/report_steps.py FILE CACHE_DIR``: prints a JSON object of each step's wall and
CPU seconds (``perf_counter``, ``process_time``): the bare imports (numpy, pyproj, shapely, yaml), our
modules' imports, parsing (with the place lookups), computing, the countries crossed (read from the
results cache in ``CACHE_DIR`` if there, else computed), feasibility and the JSON text.
"""

import sys
import time

marks = [(time.perf_counter(), time.process_time())]


def mark() -> None:
    marks.append((time.perf_counter(), time.process_time()))


import numpy  # noqa: E402, F401
import pyproj  # noqa: E402, F401
import shapely  # noqa: E402, F401
import yaml  # noqa: E402, F401

mark()
import json  # noqa: E402
import os  # noqa: E402

os.environ["MISSIONS_CACHE_DIR"] = sys.argv[2]
sys.path.insert(0, os.getcwd())
import missions.__main__  # noqa: E402, F401
from missions.airspace import mission_airspace  # noqa: E402
from missions.analysis import compute_mission  # noqa: E402
from missions.feasibility import assess  # noqa: E402
from missions.parsing import load_mission  # noqa: E402
from missions.report import to_json  # noqa: E402

mark()
mission = load_mission(sys.argv[1])
mark()
result = compute_mission(mission)
mark()
air = mission_airspace(result)
mark()
feasibility = assess(result, air)
mark()
to_json([result], [feasibility], [air])
mark()
names = ("bare imports", "our imports", "parse (places)", "compute", "countries", "feasibility", "JSON")
print(json.dumps({n: (b[0] - a[0], b[1] - a[1]) for n, a, b in zip(names, marks[:-1], marks[1:], strict=True)}))
