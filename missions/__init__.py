"""Strike-mission geospatial visualizer: mission files → geodesic routes, timings, feasibility,
overflight, offline maps.

>>> from missions import load_mission, compute_mission, assess    # doctest: +SKIP
>>> result = compute_mission(load_mission("missions/catalog/tu160-2015-11-20.yaml"))  # doctest: +SKIP

Names are imported on first use, so ``import missions`` stays cheap.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_LAZY = {
    "parse_mission": "missions.parsing",
    "load_mission": "missions.parsing",
    "compute_mission": "missions.analysis",
    "assess": "missions.feasibility",
    "MissionError": "missions.errors",
}
__all__ = ["__version__", *_LAZY]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'missions' has no attribute {name!r}")
