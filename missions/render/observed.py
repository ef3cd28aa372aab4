"""Observed tracks on the map: page-data records (``observed[]``) drawn by ``assets/js/layers.js``.

Each observed track (thinned within 1 km, split at its coverage gaps: see
:func:`missions.tracks.observed.observed_lines`) gives one record: its stretches as encoded
polylines with a time per vertex (seconds after ``t0``, for the clock), and each coverage gap as a
two-vertex line that the page draws dashed. Strings are HTML escaped here.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from ..units import format_count, format_duration, format_hm
from .common import COORD_DECIMALS, _popup, _text
from .records import _encode_times, _Strings, encode_polyline

if TYPE_CHECKING:  # the type only: the KML writer is not needed to draw
    from ..export.kml import ObservedLine

#: the colour of observed tracks (routes are coloured per sortie; weapons are red)
OBSERVED_COLOUR = "#111111"


def _utc(seconds: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(float(seconds), tz=dt.UTC)


def observed_records(
    lines: Sequence[ObservedLine], groups: Sequence[int], t0: dt.datetime, text: _Strings
) -> list[dict[str, Any]]:
    """One record per observed track, in the group given for it."""
    records = []
    t0_s = t0.timestamp()
    for line, g in zip(lines, groups, strict=True):
        parts = [p for p in line.parts if p.lat_deg.size]
        coords = [
            np.round(np.column_stack([np.unwrap(p.lon_deg, period=360.0), p.lat_deg]), COORD_DECIMALS) for p in parts
        ]
        gaps, gap_tips = [], []
        for a, b in itertools.pairwise(parts):
            gaps.append(encode_polyline([[a.lon_deg[-1], a.lat_deg[-1]], [b.lon_deg[0], b.lat_deg[0]]]))
            start, end = a.time_s[-1], b.time_s[0]
            gap_tips.append(text(_text(
                f"{line.name}: no position {format_hm(_utc(start))} – {format_hm(_utc(end))} UTC "
                f"({format_duration(end - start)})")))  # fmt: skip
        points = sum(p.lat_deg.size for p in parts)
        records.append(
            {
                "group": g,
                "colour": OBSERVED_COLOUR,
                "parts": [encode_polyline(c) for c in coords],
                "part_time": [_encode_times(np.round(p.time_s - t0_s)) for p in parts],
                "gaps": gaps,
                "gap_tooltip": gap_tips,
                "tooltip": text(_text(line.name)),
                "popup": text(
                    _popup(
                        _text(line.name),
                        "observed track",
                        [
                            ("Source", _text(line.description)),
                            ("Drawn", f"{format_count(points, 'position')} (within 1 km)"),
                            ("Coverage gaps", str(len(gaps))),
                        ],
                    )
                ),
            }
        )
    return records
