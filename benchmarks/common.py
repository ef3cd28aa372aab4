"""Shared by the benchmarks: the best of several timed runs, and the repository on sys.path."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def best_of(func: Callable[[], object], repeat: int = 5) -> float:
    """The shortest wall-clock time of ``repeat`` calls of ``func`` (seconds)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)
