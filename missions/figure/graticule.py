"""Meridians and parallels, projected with pyproj, and their degree labels on the frame.

Lines are sampled every 0.5° and projected like the routes (so they agree with them exactly);
meridians are labelled where they cross the bottom of the map, parallels where they cross its left
side, skipping a label that would crowd its neighbour. (Cartopy's gridliner would do the same at
several times the cost, projecting and resampling each line itself.)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .draw import Drawing, view_bounds, view_lonlat_box
from .style import GRID

#: candidate spacings between lines (degrees)
_STEPS_DEG = (1.0, 2.0, 5.0, 10.0, 15.0, 20.0, 30.0, 45.0)
#: at most this many lines of each kind
_MAX_LINES = 9


def _step(span_deg: float) -> float:
    return next((s for s in _STEPS_DEG if span_deg / s <= _MAX_LINES), 60.0)


def _degrees(value: float, positive: str, negative: str) -> str:
    value = (value + 180.0) % 360.0 - 180.0 if positive == "E" else value
    if abs(value) < 1e-9 or abs(abs(value) - 180.0) < 1e-9:
        return f"{abs(value):g}°"
    return f"{abs(value):g}°{positive if value > 0 else negative}"


def _crossings(x: np.ndarray, y: np.ndarray, level: float, lo: float, hi: float) -> list[float]:
    """Where a polyline crosses ``y = level`` with the other coordinate within [lo, hi]."""
    d = y - level
    idx = np.flatnonzero((d[:-1] <= 0) != (d[1:] <= 0))
    out = []
    for i in idx:
        t = d[i] / (d[i] - d[i + 1])
        value = x[i] + t * (x[i + 1] - x[i])
        if lo <= value <= hi:
            out.append(float(value))
    return out


def _placeable(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A projected line with the vertices the projection cannot place (inf: the antipode of an
    azimuthal centre, a pole) made NaN, which matplotlib draws as a gap and no crossing uses."""
    ok = np.isfinite(x) & np.isfinite(y)
    return np.where(ok, x, np.nan), np.where(ok, y, np.nan)


def draw_graticule(d: Drawing) -> None:
    ax, p, s = d.axes, d.projection, d.scale
    xmin, xmax, ymin, ymax = view_bounds(d)
    west, south, east, north = view_lonlat_box(p, (xmin, xmax, ymin, ymax), pad=0.0)
    lat_lo, lat_hi = (
        max(south, -89.0 if p.kind == "mercator" else -90.0),
        min(north, 89.0 if p.kind == "mercator" else 90.0),
    )
    lon_step, lat_step = _step(east - west), _step(lat_hi - lat_lo)
    lons = np.arange(np.ceil(west / lon_step) * lon_step, east + 1e-9, lon_step)
    lats = np.arange(np.ceil(lat_lo / lat_step) * lat_step, lat_hi + 1e-9, lat_step)
    lats = lats[np.abs(lats) < 90.0]
    style: dict[str, Any] = {"color": GRID, "linewidth": 0.4 * s, "alpha": 0.7, "zorder": 2}
    label_style: dict[str, Any] = {"fontsize": 7.5 * s, "color": "#555555", "parse_math": False}
    char_px = 7.5 * s * d.figure.dpi / 72.0 * 0.62
    bottom: list[tuple[float, str]] = []
    for lon in lons:
        lat = np.arange(lat_lo, lat_hi + 0.25, 0.5)
        x, y = _placeable(*p.project_line(np.full(lat.size, lon), lat))
        ax.plot(x, y, **style)
        bottom += [(v, _degrees(lon, "E", "W")) for v in _crossings(x, y, ymin, xmin, xmax)]
    left: list[tuple[float, str]] = []
    for lat in lats:
        lon = np.arange(west, east + 0.25, 0.5)
        x, y = _placeable(*p.project_line(lon, np.full(lon.size, lat)))
        ax.plot(x, y, **style)
        left += [(v, _degrees(lat, "N", "S")) for v in _crossings(y, x, xmin, ymin, ymax)]
    px_per_x = ax.bbox.width / (xmax - xmin)
    last = -np.inf
    for value, text in sorted(bottom):
        if (value - last) * px_per_x < (len(text) + 3) * char_px:
            continue
        last = value
        ax.annotate(
            text, xy=(value, 0), xycoords=ax.get_xaxis_transform(), xytext=(0, -3 * s), textcoords="offset points",
            ha="center", va="top", annotation_clip=False, **label_style,
        )  # fmt: skip
    px_per_y = ax.bbox.height / (ymax - ymin)
    last = -np.inf
    for value, text in sorted(left):
        if (value - last) * px_per_y < 3.0 * char_px:
            continue
        last = value
        ax.annotate(
            text, xy=(0, value), xycoords=ax.get_yaxis_transform(), xytext=(-3 * s, 0), textcoords="offset points",
            ha="right", va="center", annotation_clip=False, **label_style,
        )  # fmt: skip
