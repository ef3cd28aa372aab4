"""Strike-mission geospatial visualizer: mission files → geodesic routes, timings, feasibility,
overflight, offline maps.

>>> from missions import assess, compute_mission, parse_mission
>>> text = '''
... name: Demo
... sorties:
...   - {name: A, aircraft: Tu-22M3, takeoff: 2015-11-17T00:00:00Z, speed: 930 km/h, route: [Mozdok, Raqqa, Mozdok]}
... '''
>>> result = compute_mission(parse_mission(text))
>>> round(result.sorties[0].distance_m / 1000)
1984
>>> assess(result).sorties[0].ok
True

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
