"""Core benchmarks, as ratios against baselines timed in the same run (run by hand).

1. Distances of 1,000,000 legs: ``missions.geodesy.leg_distances_m`` vs bare vectorised
   ``pyproj.Geod.inv`` on the same arrays (goal: ratio <= 1.2).
2. ``python -m missions report --json`` of the Tu-160 catalogue mission (with and without the
   overflown countries) vs the bare import time of its dependencies (``python -c "import numpy,
   pyproj, shapely, yaml"``), each the best of 5 fresh processes (goal: ratio <= 1.5).

Usage: ``python benchmarks/bench_core.py [--smoke]`` (``--smoke``: 1,000 legs, one run each)
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from common import ROOT, best_of
from pyproj import Geod

from missions import geodesy


def bench_distances(n_legs: int = 1_000_000, repeat: int = 5) -> tuple[float, float]:
    rng = np.random.default_rng(42)
    lat = rng.uniform(-89, 89, n_legs + 1)
    lon = rng.uniform(-180, 180, n_legs + 1)
    geod = Geod(ellps="WGS84")
    bare = best_of(lambda: geod.inv(lon[:-1], lat[:-1], lon[1:], lat[1:]), repeat)
    ours = best_of(lambda: geodesy.leg_distances_m(lat, lon), repeat)
    return bare, ours


#: compiled bytecode kept outside the tree, as an installed package has it (this machine's
#: PYTHONDONTWRITEBYTECODE would otherwise compile every module on every run: not what users see)
_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {
    "PYTHONPYCACHEPREFIX": str(Path(tempfile.gettempdir()) / "missions-bench-pycache")
}


def _run(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, env=_ENV)
    return time.perf_counter() - start


def bench_report(repeat: int = 5, *, warm_up: bool = True) -> tuple[float, float, float]:
    tu160 = str(ROOT / "missions" / "catalog" / "tu160-2015-11-20.yaml")
    command = [sys.executable, "-m", "missions", "report", tu160, "--json"]
    if warm_up:  # builds the country index and catalogue caches (and the bytecode) on a first run
        _run(command)
        _run([sys.executable, "-c", "import numpy, pyproj, shapely, yaml"])
    imports = best_of(lambda: _run([sys.executable, "-c", "import numpy, pyproj, shapely, yaml"]), repeat)
    report = best_of(lambda: _run(command), repeat)
    plain = best_of(lambda: _run([*command, "--no-countries"]), repeat)
    return imports, report, plain


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes: check that it runs")
    smoke = parser.parse_args(argv).smoke
    n_legs, repeat = (1_000, 1) if smoke else (1_000_000, 5)
    bare, ours = bench_distances(n_legs, repeat)
    print(
        f"distances, {n_legs:,} legs: bare Geod.inv {bare:.3f} s, leg_distances_m {ours:.3f} s, "
        f"ratio {ours / bare:.2f} (goal <= 1.2); {ours / n_legs * 1e9:.0f} ns per leg"
    )
    imports, report, plain = bench_report(repeat, warm_up=not smoke)
    print(
        f"report of the Tu-160 mission: bare imports {imports:.3f} s; report {report:.3f} s, ratio "
        f"{report / imports:.2f}; report --no-countries {plain:.3f} s, ratio {plain / imports:.2f} (goal <= 1.5)"
    )


if __name__ == "__main__":
    main()
