"""Hostile and huge inputs, as ratios against a baseline timed in the same run (run by hand).

1. Refusing or accepting 5 MB files of hostile shapes (a flat list of 2.6 million items, 300,000
   keys, one 5 MB string, deep nesting, 5 MB of comments, the largest accepted mission): the YAML
   guard (``missions.yamlio.parse_yaml``) in a fresh process, time and peak memory, against the same
   process that only imports it. Goal: <= 1 s and <= 200 MB over the baseline.
2. The largest mission inside the limits (``synthetic_mission_yaml(MAX_SORTIES)``: 300 sorties, 3,000
   points, 4.5 million km of routes): ``validate``, ``report --json``, ``map`` and
   ``export --format geojson`` as fresh processes, time, CPU time and peak memory, against
   ``python -c "import missions.parsing"``; and the dashboard drawing it (Streamlit's AppTest: the
   mission pasted, one full run). Goal: <= 10 s and <= 1 GB each; the dashboard <= 15 s.

Times are wall-clock and CPU (user + system) of the child process: on a shared machine the wall time
grows with the load, the CPU time much less, so both are printed with the load average.

Usage: ``python benchmarks/bench_hardening.py [--smoke] [--skip-big]``
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

from common import ROOT
from synthetic import synthetic_mission_yaml

from missions.parsing import MAX_SORTIES

MB = 1_000_000


def hostile_files(folder: Path, size: int = 5 * 1024 * 1024 - 64) -> dict[str, Path]:
    """The hostile shapes of issue 16, each just under the 5 MB cap."""
    shapes = {
        "flat list [1,1,...]": "sorties: [" + "1," * (size // 2 - 8) + "1]\n",
        "300,000 keys": "\n".join(f"k{i}: {i}" for i in range(300_000)) + "\n",
        "one 5 MB string": "name: " + "x" * (size - 16) + "\n",
        "5 MB of comments": "name: x\n" + "# padding\n" * (size // 10 - 2),
        "nesting 2.6M deep": "[" * (size // 2) + "]" * (size // 2 - 8),
        f"{MAX_SORTIES} sorties (accepted)": synthetic_mission_yaml(MAX_SORTIES),
    }
    paths = {}
    for i, (name, text) in enumerate(shapes.items()):
        paths[name] = folder / f"hostile{i}.yaml"
        paths[name].write_text(text, encoding="utf-8")
    return paths


def run(args: Sequence[str], timeout_s: float = 600) -> tuple[float, float, int, str, float]:
    """Wall time (s), peak resident memory (MB), exit status, last stderr line and CPU time (s) of one process."""
    script = (
        "import resource, subprocess, sys, time\n"
        "start = time.perf_counter()\n"
        "p = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "elapsed = time.perf_counter() - start\n"
        "use = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "last = (p.stderr.strip().splitlines() or [''])[-1][:160]\n"
        "print(f'{elapsed}\\t{use.ru_maxrss}\\t{p.returncode}\\t{use.ru_utime + use.ru_stime}\\t|{last}')\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout_s, check=True
    ).stdout.strip()
    elapsed, rss_kb, code, cpu, last = out.split("\t", 4)
    return float(elapsed), int(rss_kb) * 1024 / MB, int(code), last[1:], float(cpu)


def bench_guard(paths: dict[str, Path]) -> None:
    base = run([sys.executable, "-c", "import missions.yamlio"])
    print(f"baseline (import missions.yamlio): {base[0]:.2f} s (CPU {base[4]:.2f} s), {base[1]:.0f} MB")
    for name, path in paths.items():
        code = "import sys; from missions.yamlio import parse_yaml; from missions.errors import MissionError\n"
        code += "try:\n parse_yaml(open(sys.argv[1], 'rb').read(), file=sys.argv[1])\nexcept MissionError as e:\n"
        code += " print(e.one_line()[-100:], file=sys.stderr); sys.exit(2)"
        t, mem, status, last, cpu = run([sys.executable, "-c", code, str(path)])
        verdict = "accepted" if status == 0 else "refused"
        print(
            f"{name:26s} {path.stat().st_size / MB:4.1f} MB: {verdict} in {t:.2f} s ({t - base[0]:+.2f} s), "
            f"CPU {cpu:.2f} s ({cpu - base[4]:+.2f} s), {mem:.0f} MB ({mem - base[1]:+.0f} MB) {last[-70:]}"
        )


#: the dashboard drawing a mission file: AppTest, the mission pasted, one full run
_APP_SCRIPT = """
import sys, time
from streamlit.testing.v1 import AppTest
at = AppTest.from_file("app.py", default_timeout=600).run()
at.radio(key="source").set_value("Paste").run()
at.text_area(key="paste").set_value(open(sys.argv[1], encoding="utf-8").read())
start = time.perf_counter()
at.run()
assert not at.exception and not at.error, [e.value for e in at.error]
print(f"drawn in {time.perf_counter() - start:.1f} s", file=sys.stderr)
"""


def bench_big(path: Path, folder: Path) -> None:
    base = run([sys.executable, "-c", "import missions.parsing"])
    print(f"baseline (import missions.parsing): {base[0]:.2f} s (CPU {base[4]:.2f} s), {base[1]:.0f} MB")
    m = [sys.executable, "-m", "missions"]
    for name, args in (
        ("validate", [*m, "validate", str(path)]),
        ("report --json", [*m, "report", "--json", str(path)]),
        ("map", [*m, "map", str(path), "-o", str(folder / "big.html")]),
        ("export --format geojson", [*m, "export", str(path), "--format", "geojson", "-o", str(folder / "b.json")]),
        ("dashboard (AppTest)", [sys.executable, "-c", _APP_SCRIPT, str(path)]),
    ):
        t, mem, status, last, cpu = run(args, timeout_s=1800)
        print(
            f"{MAX_SORTIES} sorties, {name:24s}: exit {status} in {t:.1f} s, CPU {cpu:.1f} s "
            f"({t / base[0]:.0f}x baseline), {mem:.0f} MB {last[-40:] if name.startswith('dashboard') else ''}"
        )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="small files, for the test suite")
    parser.add_argument("--skip-big", action="store_true", help="only the 5 MB files")
    args = parser.parse_args(argv)
    print(f"load average {os.getloadavg()[0]:.1f}; {time.strftime('%Y-%m-%d %H:%M')}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if args.smoke:
            path = folder / "small.yaml"
            path.write_text(synthetic_mission_yaml(3, 3), encoding="utf-8")
            bench_guard({"3 sorties": path})
            return
        paths = hostile_files(folder)
        bench_guard(paths)
        if not args.skip_big:
            bench_big(paths[f"{MAX_SORTIES} sorties (accepted)"], folder)


if __name__ == "__main__":
    main()
