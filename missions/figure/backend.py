"""matplotlib and cartopy set up for figures written to files, offline: imported before either draws.

Every module of the package that draws imports this one first (:mod:`.draw`, :mod:`.output`), so
the settings hold whichever entry point is used; the package itself imports neither library until a
figure is drawn.
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
EMPTY_DATA_DIR = os.path.join(tempfile.gettempdir(), "missions-cartopy-empty")
os.makedirs(EMPTY_DATA_DIR, exist_ok=True)
cartopy.config["data_dir"] = EMPTY_DATA_DIR
cartopy.config["pre_existing_data_dir"] = EMPTY_DATA_DIR
cartopy.config["downloaders"] = {}
