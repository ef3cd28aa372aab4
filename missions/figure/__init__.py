"""Publication figures: a computed mission as a static map (PNG, SVG, PDF) with matplotlib and cartopy.

The only part of the package that imports matplotlib or cartopy. Everything is offline: the
basemap is the embedded Natural Earth data (``geodata/``), handed to cartopy as geometries; cartopy's
data directory is an empty folder and its downloaders are removed, so it can never fetch anything.

>>> from missions.analysis import compute_mission
>>> from missions.parsing import load_mission
>>> result = compute_mission(load_mission("missions/catalog/tu22m3-mozdok-2015-11-17.yaml"))
>>> figure_bytes(result, "svg", size="square", units="nm")[:5]
b'<?xml'
"""

from __future__ import annotations

import os
import tempfile

import cartopy
import matplotlib

matplotlib.use("agg")  # never a window; must come before anything imports pyplot
matplotlib.rcParams["svg.fonttype"] = "none"  # SVG text stays text (searchable, editable)
matplotlib.rcParams["pdf.fonttype"] = 42  # TrueType in PDF: text stays selectable
matplotlib.rcParams["text.usetex"] = False

#: cartopy must never download: an empty data directory and no downloaders at all
_EMPTY_DATA_DIR = os.path.join(tempfile.gettempdir(), "missions-cartopy-empty")
os.makedirs(_EMPTY_DATA_DIR, exist_ok=True)
cartopy.config["data_dir"] = _EMPTY_DATA_DIR
cartopy.config["pre_existing_data_dir"] = _EMPTY_DATA_DIR
cartopy.config["downloaders"] = {}

from .output import FigureError, draw_figure, figure_bytes, write_figure  # noqa: E402
from .projection import PROJECTIONS  # noqa: E402
from .style import DEFAULT_LAYERS, FORMATS, LAYERS, SIZES  # noqa: E402

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
