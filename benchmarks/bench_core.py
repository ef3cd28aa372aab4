"""Core benchmarks, as ratios against baselines timed in the same run (run by hand).

1. Distances of 1,000,000 legs: ``missions.geodesy.leg_distances_m`` vs bare vectorised
   ``pyproj.Geod.inv`` on the same arrays (goal: ratio <= 1.2).
2. ``python -m missions report --json`` of the Tu-160 catalogue mission vs the bare import time of
   its dependencies (``python -c "import numpy, pyproj, shapely, yaml"``), each the best of 5 fresh
   processes, run interleaved (goal: ratio <= 1.5): wall time, and beside it CPU time (user +
   system, all threads), which the load of a shared machine inflates least. Three reports: a first
   report of the file (the results cache emptied before each run: crossings computed, the country
   index and sovereign airspace read from their own caches, which a first run builds once, as after
   an install): the honest figure; the same file again (crossings read from their checked cache);
   and ``--no-countries``. Then the steps of a report timed in one process
   (``benchmarks/report_steps.py``; perf_counter and process_time, least of 5): imports, parsing
   with the place lookups, computing, the countries, feasibility, JSON.

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


TU160 = str(ROOT / "missions" / "catalog" / "tu160-2015-11-20.yaml")
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


def _forget_overflight_results() -> None:
    """Empty the benchmark's overflight results cache (:mod:`missions.airspace.crossings_cache`): the next
    report computes its crossings, loading the country index and the sovereign airspace (from their own caches)."""
    for path in (CACHE_DIR / "overflight").glob("*.json"):
        path.unlink(missing_ok=True)


def _interleaved(runs: dict[str, tuple[list[str], Callable[[], None]]], repeat: int) -> dict[str, tuple[float, float]]:
    """The least wall and the least CPU seconds of each command over ``repeat`` rounds, one run of each
    per round (interleaved, so a change of load touches all alike); each command's ``before`` is
    called (untimed) before its run. CPU time is what the load inflates least."""
    timed: dict[str, list[tuple[float, float]]] = {name: [] for name in runs}
    for _ in range(repeat):
        for name, (args, before) in runs.items():
            before()
            timed[name].append(_run(args))
    return {name: (min(w for w, _ in t), min(c for _, c in t)) for name, t in timed.items()}


def bench_report(repeat: int = 5, *, warm_up: bool = True) -> dict[str, tuple[float, float]]:
    """(wall, CPU) seconds of the bare imports, the report with its crossings computed (results cache
    emptied before each run: a first report of the file), the report again (crossings read from their
    cache) and the report without countries."""
    command = [sys.executable, "-m", "missions", "report", TU160, "--json"]
    bare = [sys.executable, "-c", "import numpy, pyproj, shapely, yaml"]
    if warm_up:  # builds the country index and catalogue caches (and the bytecode) on a first run
        _run(command)
        _run(bare)
    nothing = lambda: None  # noqa: E731
    return _interleaved(
        {
            "imports": (bare, nothing),
            "computed": (command, _forget_overflight_results),
            "report": (command, nothing),
            "plain": ([*command, "--no-countries"], nothing),
        },
        repeat,
    )


def bench_phases(repeat: int = 5, *, computed: bool) -> dict[str, tuple[float, float]]:
    """Wall and CPU seconds of each step of the report in one process (:mod:`report_steps`), the least
    of each over ``repeat`` fresh processes."""
    import json

    args = [sys.executable, str(Path(__file__).with_name("report_steps.py")), TU160, str(CACHE_DIR)]
    runs = []
    for _ in range(repeat):
        if computed:
            _forget_overflight_results()
        done = subprocess.run(args, cwd=ROOT, check=True, capture_output=True, text=True, env=_ENV)
        runs.append(json.loads(done.stdout))
    return {name: (min(r[name][0] for r in runs), min(r[name][1] for r in runs)) for name in runs[0]}


def _ratios(timed: dict[str, tuple[float, float]], name: str) -> str:
    (wall, cpu), (bare_wall, bare_cpu) = timed[name], timed["imports"]
    return f"{wall:.3f} s, ratio {wall / bare_wall:.2f} (CPU {cpu:.3f} s, {cpu / bare_cpu:.2f})"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes: check that it runs")
    args = parser.parse_args(argv)
    n_legs, repeat = (1_000, 1) if args.smoke else (1_000_000, 5)
    bare, ours = bench_distances(n_legs, repeat)
    print(
        f"distances, {n_legs:,} legs: bare Geod.inv {bare:.3f} s, leg_distances_m {ours:.3f} s, "
        f"ratio {ours / bare:.2f} (goal <= 1.2); {ours / n_legs * 1e9:.0f} ns per leg"
    )
    load_before = os.getloadavg()[0]
    timed = bench_report(repeat, warm_up=not args.smoke)
    imports, imports_cpu = timed["imports"]
    print(
        f"report of the Tu-160 mission (goal <= 1.5): bare imports {imports:.3f} s (CPU {imports_cpu:.3f} s); "
        f"a first report of the file (crossings computed; results cache emptied) {_ratios(timed, 'computed')}; "
        f"the same file again (crossings read from their cache) {_ratios(timed, 'report')}; "
        f"--no-countries {_ratios(timed, 'plain')}; load average {load_before:.1f} -> {os.getloadavg()[0]:.1f}"
    )
    for computed in (True, False):
        steps = bench_phases(repeat, computed=computed)
        text = ", ".join(f"{name} {1000 * wall:.0f} (CPU {1000 * cpu:.0f})" for name, (wall, cpu) in steps.items())
        print(f"  steps in one process, ms, {'crossings computed' if computed else 'crossings cached'}: {text}")


if __name__ == "__main__":
    main()
