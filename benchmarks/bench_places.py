"""The world place index: exact lookups, suggestions, and what opening it adds to ``report``.

- Exact lookup: 40 names of every kind through ``PlaceIndex.resolve`` (warm), against a plain dict
  of every normalised name held in memory (the fastest possible lookup, after its own load).
- Suggestions for unknown names: ``PlaceIndex.suggest`` (names of similar length only) against
  rapidfuzz over every name of the index.
- ``report --json --no-countries`` of a mission whose 12 waypoints are world-index names, against the
  same mission with those places written as coordinates (which never opens the index): the
  difference is what the index adds to a report.

Usage: ``python benchmarks/bench_places.py [--smoke]`` (``--smoke``: one run of each, two of the unknown
names, to check it runs)
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy  # noqa: F401 - imported by every report before the index opens
from common import ROOT, best_of

from geodata.names import normalize_name
from geodata.place_format import _SHARDS_PER_LENGTH as _SHARDS
from geodata.places import PlaceIndex

NAMES = [
    "Tripoli", "Tripoli, Lebanon", "Belgrade", "Caracas", "Riga", "Gotland", "North Sea", "RAF Lakenheath",
    "Whiteman AFB", "Ascension", "Stanley, FK", "Fordow", "Barksdale AFB", "Bay of Biscay", "Strait of Hormuz",
    "Mozdok Air Base", "Engels Air Base", "Olenya", "EGUL", "SFAL", "Kiev", "Benghazi", "Minsk", "Murmansk",
    "RAF Fairford", "Andersen AFB", "Diego Garcia", "Incirlik Air Base", "Crete", "Sicily", "Black Sea",
    "Persian Gulf", "Bab-el-Mandeb", "Kola Peninsula", "Crimea", "Natanz", "Pyongyang", "Helsinki", "Vilnius",
    "Kaliningrad",
]  # fmt: skip
UNKNOWN = ["Rigaa", "Olenyaa", "Whitemn AFB", "Nort Sea", "Tripolli", "Gottland", "Belgrad air base", "Fordoww"]
ROUTE = NAMES[:12]


def _mission(route: list[str]) -> str:
    lines = "\n".join(f'      - "{r}"' for r in route)
    return (
        "name: Bench\nsorties:\n  - name: S\n    aircraft: Tu-160\n    takeoff: 2015-11-20T03:00:00Z\n"
        f"    speed: 900 km/h\n    route:\n{lines}\n"
    )


def _report_s(named: Path, plain: Path, repeat: int) -> tuple[float, float]:
    """Best wall-clock time of ``report`` on each file, the two runs interleaved (load drifts alike)."""
    best = {named: float("inf"), plain: float("inf")}
    for _ in range(repeat):
        for path in (plain, named):
            cmd = [sys.executable, "-m", "missions", "report", str(path), "--json", "--no-countries"]
            start = time.perf_counter()
            subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)
            best[path] = min(best[path], time.perf_counter() - start)
    return best[plain], best[named]


_COLD = """
import time, numpy
start, cpu = time.perf_counter(), time.process_time()
from geodata.places import default_index
for name in {route!r}:
    default_index().resolve(name)
print(time.perf_counter() - start, time.process_time() - cpu)
"""


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="one run of each: check that it runs")
    smoke = parser.parse_args(argv).smoke
    repeat = 1 if smoke else 5
    unknown = UNKNOWN[:2] if smoke else UNKNOWN
    start = time.perf_counter()
    index = PlaceIndex()
    index.resolve("Tripoli")
    print(f"open + first lookup (numpy already imported): {(time.perf_counter() - start) * 1000:.1f} ms")
    start = time.perf_counter()
    for name in NAMES:
        index.resolve(name)  # cold: each name's shard member and row block read from the zip
    cold = (time.perf_counter() - start) / len(NAMES)
    print(f"first lookup of each of {len(NAMES)} names (members read): {cold * 1e6:.0f} µs per name")
    ours = best_of(lambda: [index.resolve(n) for n in NAMES], repeat=repeat) / len(NAMES)
    every_key = {key: i for i, key in enumerate(k for s in range(1, 49) for h in range(_SHARDS)
                                              for k in index._shard_keys(f"{s:02d}-{h:x}"))}  # fmt: skip
    base = best_of(lambda: [every_key.get(normalize_name(n)) for n in NAMES], repeat=repeat) / len(NAMES)
    print(f"exact lookup, {len(NAMES)} names: dict of all {len(every_key):,} names {base * 1e6:.1f} µs, "
          f"resolve again {ours * 1e6:.0f} µs per name (ratio {ours / base:.0f}; goal ≤ 1 ms)")  # fmt: skip

    from rapidfuzz import process
    from rapidfuzz.distance import Indel

    everything = list(every_key)
    for name in unknown:
        index.suggest(name)  # warm
    ours = best_of(lambda: [index.suggest(n) for n in unknown], repeat=repeat) / len(unknown)
    base = best_of(
        lambda: [process.extract(normalize_name(n), everything, scorer=Indel.normalized_similarity, limit=12)
                 for n in unknown], repeat=repeat,
    ) / len(unknown)  # fmt: skip
    print(f"suggestions, {len(unknown)} unknown names: rapidfuzz over every name {base * 1000:.1f} ms, "
          f"suggest {ours * 1000:.1f} ms per name (ratio {ours / base:.2f}; goal ≤ 50 ms)")  # fmt: skip

    runs = [
        subprocess.run([sys.executable, "-c", _COLD.format(route=ROUTE)], cwd=ROOT, check=True,
                       capture_output=True, text=True).stdout.split()
        for _ in range(repeat)
    ]  # fmt: skip
    wall, cpu = min(float(r[0]) for r in runs), min(float(r[1]) for r in runs)
    print(f"fresh process: import, open and resolve the 12 names of the report below: {wall * 1000:.0f} ms "
          f"(CPU {cpu * 1000:.0f} ms)")  # fmt: skip
    coordinates = [f"{p.lat_deg}, {p.lon_deg}" for p in (index.resolve(n) for n in ROUTE)]
    with tempfile.TemporaryDirectory() as tmp:
        named, plain = Path(tmp, "named.yaml"), Path(tmp, "plain.yaml")
        named.write_text(_mission(ROUTE), encoding="utf-8")
        plain.write_text(_mission(coordinates), encoding="utf-8")
        base, ours = _report_s(named, plain, repeat=repeat * 2 - 1)
    print(f"report --json --no-countries, 12 waypoints: as coordinates {base:.3f} s, as names {ours:.3f} s: "
          f"the index adds {(ours - base) * 1000:.0f} ms (goal ≤ 100 ms)")  # fmt: skip


if __name__ == "__main__":
    main()
