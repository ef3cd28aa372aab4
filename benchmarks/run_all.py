"""Run every benchmark, one fresh process each, and print their figures (run by hand).

``python benchmarks/run_all.py`` re-measures every figure of the README's "Measured figures" table;
``--smoke`` runs each benchmark at a tiny size (the test suite does this, so that a refactor cannot
silently break one; smoke figures mean nothing). ``--only core render`` picks benchmarks by name.

Exit status: 0 when every benchmark ran, 1 when any failed (its output says why).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
#: every benchmark, in the order of the README's table
BENCHMARKS = (
    "core",
    "feasibility",
    "render",
    "app",
    "app_browser",
    "overflight",
    "figure",
    "places",
    "planner",
    "hardening",
    "tracks",
    "draft",
)


def run(name: str, smoke: bool) -> int:
    """Run ``bench_<name>.py`` in a fresh interpreter; its exit status."""
    command = [sys.executable, str(HERE / f"bench_{name}.py"), *(["--smoke"] if smoke else [])]
    print(f"== bench_{name}{' (smoke)' if smoke else ''}", flush=True)
    start = time.perf_counter()
    status = subprocess.run(command, cwd=HERE.parent, check=False).returncode
    print(f"== bench_{name}: {'ok' if status == 0 else f'FAILED (exit {status})'} in "
          f"{time.perf_counter() - start:.1f} s\n", flush=True)  # fmt: skip
    return status


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="every benchmark at a tiny size")
    parser.add_argument("--only", nargs="+", choices=BENCHMARKS, default=BENCHMARKS, metavar="NAME")
    args = parser.parse_args(argv)
    failed = [name for name in args.only if run(name, args.smoke) != 0]
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
