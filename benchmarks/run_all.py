"""Run every benchmark, one fresh process each, and print their figures as one table (run by hand).

``python benchmarks/run_all.py`` re-measures every figure of the README's "Measured figures" table
and ends with a Markdown table: one row per figure line a benchmark printed, with the load average
before and after it (figures taken under load are not a quiet machine's). ``--out FILE`` also writes
that table to FILE. ``--smoke`` runs each benchmark at a tiny size (the test suite does this, so that
a refactor cannot silently break one; smoke figures mean nothing). ``--only core render`` picks
benchmarks by name; ``--list`` prints each with the wall time it takes on a quiet 2-core machine.

Exit status: 0 when every benchmark ran, 1 when any failed (its output says why).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
#: every benchmark, in the order of the README's table, with its wall time in seconds on a quiet 2-core
#: machine (measured 1 Dec 2026, 00:06-00:11 UTC; several times that under load)
BENCHMARKS = {
    "core": 26,
    "feasibility": 5,
    "render": 40,
    "app": 6,
    "app_browser": 27,
    "overflight": 42,
    "figure": 21,
    "places": 9,
    "planner": 3,
    "hardening": 17,
    "tracks": 25,
    "draft": 3,
}


@dataclass(frozen=True)
class Run:
    """One benchmark's run: its exit status, wall time, load averages and the lines it printed."""

    name: str
    status: int
    wall_s: float
    load_before: float
    load_after: float
    lines: tuple[str, ...]


def run(name: str, smoke: bool) -> Run:
    """Run ``bench_<name>.py`` in a fresh interpreter, echoing its output; what it printed."""
    command = [sys.executable, str(HERE / f"bench_{name}.py"), *(["--smoke"] if smoke else [])]
    print(f"== bench_{name}{' (smoke)' if smoke else ''}", flush=True)
    load_before, start = os.getloadavg()[0], time.perf_counter()
    with subprocess.Popen(command, cwd=HERE.parent, stdout=subprocess.PIPE, text=True, bufsize=1) as proc:
        assert proc.stdout is not None
        lines = []
        for line in proc.stdout:
            print(line, end="", flush=True)
            lines.append(line.rstrip())
    wall_s = time.perf_counter() - start
    status = proc.returncode
    print(f"== bench_{name}: {'ok' if status == 0 else f'FAILED (exit {status})'} in {wall_s:.1f} s\n", flush=True)
    return Run(name, status, wall_s, load_before, os.getloadavg()[0], tuple(line for line in lines if line.strip()))


def table(runs: Sequence[Run]) -> str:
    """A Markdown table: one row per figure line, the benchmark's status, wall time and load."""
    rows = ["| benchmark | figure (as printed) | load average before → after | wall |", "|---|---|---|---|"]
    for r in runs:
        where = f"{r.load_before:.1f} → {r.load_after:.1f}"
        status = f"{r.wall_s:.0f} s" if r.status == 0 else f"FAILED (exit {r.status})"
        for i, line in enumerate(r.lines or ("(no output)",)):
            figure = line.replace("|", "\\|")
            cells = (f"`bench_{r.name}`", figure, where, status) if i == 0 else ("", figure, "", "")
            rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="every benchmark at a tiny size")
    parser.add_argument("--only", nargs="+", choices=list(BENCHMARKS), default=list(BENCHMARKS), metavar="NAME")
    parser.add_argument("--out", metavar="FILE", help="also write the table of figures to FILE (Markdown)")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and their quiet wall times")
    args = parser.parse_args(argv)
    if args.list:
        for name in args.only:
            print(f"bench_{name}: about {BENCHMARKS[name]} s on a quiet 2-core machine")
        total_s = sum(BENCHMARKS[n] for n in args.only)
        print(f"total: about {total_s // 60} min {total_s % 60:02d} s")
        return 0
    started = time.strftime("%Y-%m-%d %H:%M")
    runs = [run(name, args.smoke) for name in args.only]
    summary = (
        f"Figures of `python benchmarks/run_all.py{' --smoke' if args.smoke else ''}`, {started}, "
        f"{os.cpu_count()} cores, Python {sys.version.split()[0]}"
        f"{' (smoke sizes: the figures mean nothing)' if args.smoke else ''}:\n\n{table(runs)}\n"
    )
    print(summary)
    if args.out:
        Path(args.out).write_text(summary, encoding="utf-8")
    failed = [r.name for r in runs if r.status != 0]
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
