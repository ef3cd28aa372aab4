"""Publication figures: a computed mission as a static map (PNG, SVG, PDF) with matplotlib and cartopy.

The only part of the package that imports matplotlib or cartopy, and only when a figure is drawn
(:mod:`.backend`, imported by the modules that draw). Everything is offline: the basemap is the
embedded Natural Earth data (``geodata/``), handed to cartopy as geometries; cartopy's data directory
is an empty folder and its downloaders are removed, so it can never fetch anything.

>>> from missions.analysis import compute_mission
>>> from missions.parsing import load_mission
>>> result = compute_mission(load_mission("missions/catalog/tu22m3-mozdok-2015-11-17.yaml"))
>>> figure_bytes(result, "svg", size="square", units="nm")[:5]
b'<?xml'
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .style import DEFAULT_LAYERS, FORMATS, LAYERS, SIZES

if TYPE_CHECKING:
    from .output import FigureError, draw_figure, figure_bytes, write_figure
    from .projection import PROJECTIONS

#: what is imported on first use: matplotlib and cartopy (~0.5 s) only when a figure is drawn, so that
#: the dashboard's download widgets, which read the formats and layers, import neither
_LAZY = {
    "FigureError": ".output",
    "draw_figure": ".output",
    "figure_bytes": ".output",
    "write_figure": ".output",
    "PROJECTIONS": ".projection",
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_LAZY[name], __name__), name)
    globals()[name] = value
    return value


__all__ = [
    "DEFAULT_LAYERS",
    "FORMATS",
    "LAYERS",
    "PROJECTIONS",
    "SIZES",
    "FigureError",
    "draw_figure",
    "figure_bytes",
    "write_figure",
]
