"""Dashboard benchmark: the server-side cost of a rerun after a waypoint edit (run by hand).

Both timed in the same process with Streamlit's ``AppTest``, after a warm-up run:

- floor: a rerun of an empty page (``AppTest.from_string("")``);
- edit: a rerun of ``app.py`` on the Tu-160 catalogue mission after one waypoint of the bombers is
  moved (a different place each time, so every cache misses: the mission is parsed, computed,
  tabulated and drawn again);
- for reference, a rerun of ``app.py`` that changes nothing (everything comes from the caches).

Goal (issue 4): edit - floor <= 0.3 s. Figures are medians over the repetitions, interleaved.

Usage: ``python benchmarks/bench_app.py [repetitions] [--smoke]`` (``--smoke``: one repetition, and
Streamlit's scan of the installed packages for components done once for both pages, not once each)
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app.py"
TU160 = ROOT / "missions" / "catalog" / "tu160-2015-11-20.yaml"
GOAL_S = 0.3
TIMEOUT_S = 120


def _timed(func: Callable[[], object]) -> float:
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def _editor_key() -> str:
    digest = hashlib.sha256(TU160.read_text(encoding="utf-8").encode("utf-8")).hexdigest()[:12]
    return f"route-{digest}-0-0"  # edit generation 0, sortie 0 (app.sortie_editor)


def _scan_components_once() -> None:
    """Each new ``AppTest`` scans every installed distribution for Streamlit components (~1 s of CPU,
    in the untimed warm-up run): the smoke run's two pages share one scan."""
    import functools

    from streamlit.components.v2 import manifest_scanner

    once = functools.cache(manifest_scanner.scan_component_manifests)
    manifest_scanner.scan_component_manifests = lambda max_workers=None: list(once())


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repetitions", type=int, nargs="?", default=9)
    parser.add_argument("--smoke", action="store_true", help="one repetition: check that it runs")
    args = parser.parse_args(argv)
    repetitions = 1 if args.smoke else args.repetitions
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    if args.smoke:
        _scan_components_once()
    empty = AppTest.from_string("", default_timeout=TIMEOUT_S)
    app = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S)
    empty.run()
    app.run()  # warm-up: imports, the catalogue, the first map
    if app.exception:
        raise SystemExit(f"app.py failed: {app.exception[0].message}")
    key = _editor_key()
    first_total = next(m.value for m in app.metric if m.label == "Total distance")
    floor, edit, unchanged = [], [], []
    for i in range(repetitions):
        floor.append(_timed(empty.run))
        # waypoint 4 ("West of Portugal") moved a little further each time: a new mission every run
        app.session_state[key] = {
            "edited_rows": {4: {"place": f"{38.0 + i / 10:.1f}, -10.5"}},
            "added_rows": [],
            "deleted_rows": [],
        }
        edit.append(_timed(app.run))
        if app.exception or app.error:
            raise SystemExit(f"the edit failed: {[e.value for e in app.error] or app.exception[0].message}")
        unchanged.append(_timed(app.run))
        if not any(m.label == "Total distance" and m.value != first_total for m in app.metric):
            raise SystemExit("the edit did not reach the page (editor key?): nothing was measured")
    distance = next(m.value for m in app.metric if m.label == "Total distance")
    f, e, u = (statistics.median(t) for t in (floor, edit, unchanged))
    print(f"empty page rerun (floor):      {f * 1000:7.1f} ms   (median of {repetitions})")
    print(f"rerun after a waypoint edit:   {e * 1000:7.1f} ms   (Tu-160, last total {distance})")
    print(f"rerun that changes nothing:    {u * 1000:7.1f} ms")
    print(f"edit - floor:                  {(e - f) * 1000:7.1f} ms   (goal <= {GOAL_S * 1000:.0f} ms: "
          f"{'met' if e - f <= GOAL_S else 'NOT met'})")  # fmt: skip
    print(f"unchanged - floor:             {(u - f) * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
