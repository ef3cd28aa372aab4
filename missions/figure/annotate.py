"""Labels on the map: the mission's named places, seas and country names, placed without overlaps.

Priority decides who gets room: bases, targets, launch and refuelling points, then the other named
waypoints, then seas, then countries (largest visible area first). Sizes are measured with the
figure's renderer; placement is :func:`missions.figure.labels.place_labels`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely

from ..coords import looks_like_coordinates
from .draw import Drawing, Marker
from .draw import renderer as get_renderer
from .labels import Box, LabelRequest, place_labels
from .style import COUNTRY_TEXT, FONT, PLACE_TEXT, SEA_TEXT

#: room kept round every label (pixels)
_PADDING_PX = 2.0
#: marker kinds in label priority order
_PRIORITY = ("base", "target", "launch", "refuel", "waypoint")


@dataclass(frozen=True, kw_only=True)
class _Label:
    text: str
    props: dict[str, Any]
    x_px: float
    y_px: float
    gap_px: float
    centred: bool


def _is_named(marker: Marker) -> bool:
    name = marker.point.name.strip()
    return bool(name) and not looks_like_coordinates(name)


def _place_labels(
    d: Drawing, markers: Sequence[Marker], positions: dict[int, tuple[float, float, float]]
) -> list[_Label]:
    s = d.scale
    out, seen = [], set()
    for kind in _PRIORITY:
        for i, m in enumerate(markers):
            if m.kind != kind or i not in positions or not _is_named(m):
                continue
            if m.point.name in seen:
                continue
            seen.add(m.point.name)
            x, y, r = positions[i]
            # clear of every marker drawn at this spot (a launch point on its target), by 2 points
            r = max(rr for xx, yy, rr in positions.values() if abs(xx - x) < 1.5 and abs(yy - y) < 1.5)
            r += 2.0 * s * d.figure.dpi / 72.0 + _PADDING_PX
            weight = "bold" if kind in ("base", "target") else "normal"
            props = {"fontsize": 9.0 * s, "fontweight": weight, "color": PLACE_TEXT}
            out.append(_Label(text=m.point.name, props=props, x_px=x, y_px=y, gap_px=r, centred=False))
    return out


def _sea_labels(d: Drawing, exclude: set[str]) -> list[_Label]:
    from geodata.places import default_index

    seas = [p for p in default_index().curated_places("sea") if p.kind == "sea" and p.name not in exclude]
    if not seas:
        return []
    x, y = d.projection.project(np.array([p.lon_deg for p in seas]), np.array([p.lat_deg for p in seas]))
    px = d.axes.transData.transform(np.column_stack([x, y]))
    props = {"fontsize": 9.0 * d.scale, "fontstyle": "italic", "color": SEA_TEXT}
    return [
        _Label(text=p.name, props=props, x_px=float(px[i, 0]), y_px=float(px[i, 1]), gap_px=0.0, centred=True)
        for i, p in enumerate(seas)
        if np.all(np.isfinite(px[i]))
    ]


def _country_labels(d: Drawing, countries: Mapping[str, shapely.Geometry]) -> list[_Label]:
    """Country names at the pole of inaccessibility of their largest visible part, big ones first."""
    from shapely.ops import polylabel

    (x0, x1), (y0, y1) = d.axes.get_xlim(), d.axes.get_ylim()
    candidates = []
    for name, projected in countries.items():
        visible = shapely.clip_by_rect(projected, x0, y0, x1, y1)
        if not visible.is_valid:
            visible = shapely.make_valid(visible)
        parts = [g for g in getattr(visible, "geoms", [visible]) if isinstance(g, shapely.Polygon) and g.area > 0]
        if not parts:
            continue
        part = max(parts, key=lambda g: g.area)
        candidates.append((part.area, name, part))
    candidates.sort(key=lambda c: -c[0])
    props = {"fontsize": 8.0 * d.scale, "color": COUNTRY_TEXT}
    labels = []
    font_px = 8.0 * d.scale * d.figure.dpi / 72.0
    px_per_m = d.axes.bbox.width / (x1 - x0)
    for area, name, part in candidates[:60]:
        bx0, by0, bx1, by1 = part.bounds  # a name that cannot fit its country's box is not measured
        if (bx1 - bx0) * px_per_m < 0.6 * font_px * len(name) or (by1 - by0) * px_per_m < 1.3 * font_px:
            continue
        point = polylabel(part, tolerance=max(np.sqrt(area) / 50.0, 1.0))
        px = d.axes.transData.transform([[point.x, point.y]])[0]
        labels.append(
            _Label(
                text=name.upper(),
                props=props | {"_part": part},
                x_px=float(px[0]),
                y_px=float(px[1]),
                gap_px=0.0,
                centred=True,
            )
        )
    return labels


def _fits_country(d: Drawing, label: _Label, box: Box) -> bool:
    """An area label must lie (mostly) inside its country's visible part."""
    part = label.props.get("_part")
    if part is None:
        return True
    inv = d.axes.transData.inverted()
    (bx0, by0), (bx1, by1) = inv.transform([[box[0], box[1]], [box[2], box[3]]])
    rect = shapely.box(min(bx0, bx1), min(by0, by1), max(bx0, bx1), max(by0, by1))
    return rect.intersection(part).area >= 0.85 * rect.area


def draw_labels(
    d: Drawing,
    markers: Sequence[Marker],
    positions: dict[int, tuple[float, float, float]],
    countries: Mapping[str, shapely.Geometry],
    obstacles: Sequence[Box],
) -> None:
    """Measure, place and draw every label; the placed Text artists go to ``d.labels``."""
    layers = d.options.layers
    wanted: list[_Label] = []
    if "places" in layers:
        wanted += _place_labels(d, markers, positions)
    if "seas" in layers:
        wanted += _sea_labels(d, {m.point.name for m in markers})
    if "country-names" in layers and "countries" in layers:
        wanted += _country_labels(d, countries)
    if not wanted:
        return
    renderer = get_renderer(d)
    texts, requests = [], []
    (x0, x1), (y0, y1) = d.axes.get_xlim(), d.axes.get_ylim()
    for k, label in enumerate(wanted):
        props = {key: v for key, v in label.props.items() if not key.startswith("_")}
        text = d.axes.text(
            (x0 + x1) / 2, (y0 + y1) / 2, label.text, ha="center", va="center", fontfamily=FONT,
            parse_math=False, zorder=10, **props,
        )  # fmt: skip
        box = text.get_window_extent(renderer)
        texts.append(text)
        requests.append(
            LabelRequest(
                key=k, width_px=box.width, height_px=box.height, x_px=label.x_px, y_px=label.y_px,
                gap_px=label.gap_px, centred=label.centred, movable=label.centred and "_part" not in label.props,
            )
        )  # fmt: skip
    bbox = d.axes.get_window_extent(renderer)
    inset = 3.0 * d.scale
    frame = (bbox.x0 + inset, bbox.y0 + inset, bbox.x1 - inset, bbox.y1 - inset)
    marker_boxes = [(x - r, y - r, x + r, y + r) for x, y, r in positions.values()] if "markers" in layers else []
    # countries must fit their country: filter them first, then place everything together
    keep = [
        r
        for r in requests
        if not wanted[r.key].centred
        or "_part" not in wanted[r.key].props
        or _fits_country(d, wanted[r.key], _centred_box(r))
    ]
    placed = place_labels(keep, frame, [*obstacles, *marker_boxes], d.line_pixels, padding_px=_PADDING_PX)
    placed_keys = {p.key for p in placed}
    for p in placed:
        text = texts[p.key]
        cx, cy = p.centre
        text.set_position(tuple(d.axes.transData.inverted().transform([[cx, cy]])[0]))
        d.labels.append(text)
    for k, text in enumerate(texts):
        if k not in placed_keys:
            text.remove()


def _centred_box(r: LabelRequest) -> Box:
    return (r.x_px - r.width_px / 2, r.y_px - r.height_px / 2, r.x_px + r.width_px / 2, r.y_px + r.height_px / 2)
