"""Every benchmark runs (at a tiny size): a refactor cannot silently break one.

Each runs as ``python benchmarks/run_all.py --smoke --only NAME``, the command the README gives for
re-measuring, in its own process; the figures of a smoke run mean nothing and are not checked, only
that the benchmark ran to the end and printed its last line.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from run_all import BENCHMARKS  # noqa: E402

#: a line each benchmark prints last (or near the end): it ran to the end
LAST_LINE = {
    "core": "steps in one process, ms, crossings cached",
    "feasibility": "feasibility and bands",
    "render": "ours: ≤ 1 km from the geodesic",
    "app": "unchanged - floor:",
    "app_browser": "goals: each change",
    "overflight": "legs only",
    "figure": "catalogue batch",
    "places": "the index adds",
    "planner": "random pairs avoiding 40 random countries",
    "hardening": "3 sorties",
    "tracks": "export 5 sorties: KMZ",
    "draft": "claims ",
}


def test_run_all__lists_every_benchmark_file() -> None:
    files = {p.stem.removeprefix("bench_") for p in (ROOT / "benchmarks").glob("bench_*.py")}
    assert files == set(BENCHMARKS) == set(LAST_LINE)


@pytest.mark.parametrize(
    "name", [pytest.param(n, marks=pytest.mark.browser) if n == "app_browser" else n for n in BENCHMARKS]
)
def test_benchmark__runs_at_a_tiny_size(name: str, tmp_path: Path) -> None:
    env = dict(os.environ)
    if name == "core":  # it empties a results cache: its own, never the user's
        user_cache = tmp_path / "user-cache"
        kept = user_cache / "overflight" / "crossings-0123456789abcdef0123456789abcdef.json"
        kept.parent.mkdir(parents=True)
        kept.write_text("a result of the user's")
        env["MISSIONS_CACHE_DIR"] = str(user_cache)
    done = subprocess.run(
        [sys.executable, "benchmarks/run_all.py", "--smoke", "--only", name],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert LAST_LINE[name] in done.stdout
    assert f"== bench_{name}: ok" in done.stdout
    if name == "core":
        assert kept.read_text() == "a result of the user's"
