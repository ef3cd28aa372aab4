"""The basemap's place names: countries, capitals and seas (built by ``build_labels.py``; see PROVENANCE.md).

>>> labels = place_labels()
>>> next(label for label in labels if label.name == "Latvia").kind
'country'
>>> {label.kind for label in labels} == {"country", "capital", "sea"}
True
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Literal, NamedTuple

LABELS_PATH = Path(__file__).with_name("labels.json")

LabelKind = Literal["country", "capital", "sea"]


class PlaceLabel(NamedTuple):
    """A name on the basemap, shown from ``min_zoom`` on."""

    name: str
    kind: LabelKind
    lat_deg: float
    lon_deg: float
    min_zoom: int


@functools.cache
def place_labels() -> tuple[PlaceLabel, ...]:
    """Every label of ``labels.json``."""
    rows = json.loads(LABELS_PATH.read_text(encoding="utf-8"))
    return tuple(PlaceLabel(*row) for row in rows)
