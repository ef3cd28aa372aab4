"""Core benchmarks, as ratios against baselines timed in the same run (run by hand).

1. Distances of 1,000,000 legs: ``missions.geodesy.leg_distances_m`` vs bare vectorised
   ``pyproj.Geod.inv`` on the same arrays (goal: ratio <= 1.2).
2. ``python -m missions report --json`` of the Tu-160 catalogue mission (with and without the
   overflown countries) vs the bare import time of its dependencies (``python -c "import numpy,
   pyproj, shapely, yaml"``), each the best of 5 fresh processes (goal: ratio <= 1.5); wall time,
   and beside it CPU time (user + system), which the load of a shared machine inflates least. The
   report reads its crossings from the overflight results cache after the warm-up run (a report of
   the same file again); it is also timed with that cache emptied before each run (crossings
   computed, the country index and sovereign airspace loaded from their own caches): the honest
   figure for a first report of a file (the caches of the embedded data are built once, by a first
   run, as after an install).

The reports run with their own cache folder (``$TMPDIR/missions-bench-cache``, kept between runs):
emptying the results cache never touches the user's (``~/.cache/missions`` or ``$MISSIONS_CACHE_DIR``).

Usage: ``python benchmarks/bench_core.py [--smoke]`` (``--smoke``: 1,000 legs, one run each)
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
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


#: the reports' own cache folder (country index, sovereign airspace, place index, results): the
#: benchmark empties its results, never the user's
CACHE_DIR = Path(tempfile.gettempdir()) / "missions-bench-cache"
#: compiled bytecode kept outside the tree, as an installed package has it (this machine's
#: PYTHONDONTWRITEBYTECODE would otherwise compile every module on every run: not what users see)
_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {
    "PYTHONPYCACHEPREFIX": str(Path(tempfile.gettempdir()) / "missions-bench-pycache"),
    "MISSIONS_CACHE_DIR": str(CACHE_DIR),
}


def _run(args: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds (user + system) of one fresh process running ``args``."""
    before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    subprocess.run(args, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, env=_ENV)
    wall, after = time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _best(args: list[str], repeat: int, before: Callable[[], None] = lambda: None) -> tuple[float, float]:
    """The least wall and the least CPU seconds of ``repeat`` runs (CPU time is what the load inflates least);
    ``before`` is called (untimed) before each run."""
    runs = []
    for _ in range(repeat):
        before()
        runs.append(_run(args))
    return min(w for w, _ in runs), min(c for _, c in runs)


def _forget_overflight_results() -> None:
    """Empty the benchmark's overflight results cache (:mod:`missions.airspace.crossings_cache`): the next
    report computes its crossings, loading the country index and the sovereign airspace (from their own caches)."""
    for path in (CACHE_DIR / "overflight").glob("*.json"):
        path.unlink(missing_ok=True)


def bench_report(repeat: int = 5, *, warm_up: bool = True) -> dict[str, tuple[float, float]]:
    """(wall, CPU) seconds of the bare imports, the report, the report with its crossings computed
    (results cache emptied before each run), and the report without countries."""
    tu160 = str(ROOT / "missions" / "catalog" / "tu160-2015-11-20.yaml")
    command = [sys.executable, "-m", "missions", "report", tu160, "--json"]
    bare = [sys.executable, "-c", "import numpy, pyproj, shapely, yaml"]
    if warm_up:  # builds the country index and catalogue caches (and the bytecode) on a first run
        _run(command)
        _run(bare)
    return {
        "imports": _best(bare, repeat),
        "report": _best(command, repeat),
        "computed": _best(command, repeat, before=_forget_overflight_results),
        "plain": _best([*command, "--no-countries"], repeat),
    }


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
    timed = bench_report(repeat, warm_up=not smoke)
    (imports, imports_cpu), (report, report_cpu), (plain, plain_cpu) = timed["imports"], timed["report"], timed["plain"]
    computed, computed_cpu = timed["computed"]
    print(
        f"report of the Tu-160 mission: bare imports {imports:.3f} s; report {report:.3f} s, ratio "
        f"{report / imports:.2f}; report --no-countries {plain:.3f} s, ratio {plain / imports:.2f} (goal <= 1.5); "
        f"report with its crossings computed (results cache emptied) {computed:.3f} s, ratio {computed / imports:.2f}; "
        f"CPU time {imports_cpu:.3f} s, {report_cpu:.3f} s ({report_cpu / imports_cpu:.2f}), "
        f"{plain_cpu:.3f} s ({plain_cpu / imports_cpu:.2f}), {computed_cpu:.3f} s ({computed_cpu / imports_cpu:.2f}); "
        f"load average {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
