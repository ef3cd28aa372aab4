"""Placing labels without collisions: a greedy placement with bounding-box checks (no matplotlib).

Labels come in priority order; each tries its candidate positions (round a point, or centred on an
area) and takes the first whose box stays inside the frame and overlaps no obstacle and no label
placed before it, preferring positions that cover fewer route vertices. A label that fits nowhere
is left out. All boxes are in display pixels ``(x0, y0, x1, y1)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

Box = tuple[float, float, float, float]

#: offsets round a point, as (dx, dy) in units of (half the gap + half the text), in order of preference
_POINT_CANDIDATES = ((1, 1), (1, -1), (-1, 1), (-1, -1), (1, 0), (-1, 0), (0, 1), (0, -1))


@dataclass(frozen=True, kw_only=True)
class LabelRequest:
    """A label to place: its size in pixels, its anchor, and how it is placed."""

    key: int  #: the caller's index
    width_px: float
    height_px: float
    x_px: float
    y_px: float
    gap_px: float = 0.0  #: distance kept from the anchor (a marker's radius); 0 with ``centred``
    centred: bool = False  #: an area label: centred on the anchor
    #: with ``centred``: may also move by about its own size off the anchor (a sea's name, not a country's)
    movable: bool = False


@dataclass(frozen=True, kw_only=True)
class Placement:
    key: int
    box: Box

    @property
    def centre(self) -> tuple[float, float]:
        return (self.box[0] + self.box[2]) / 2.0, (self.box[1] + self.box[3]) / 2.0


def overlaps(a: Box, b: Box) -> bool:
    """True when two boxes share any area (touching edges do not count)."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _candidates(req: LabelRequest) -> list[Box]:
    w, h = req.width_px, req.height_px
    if req.centred:
        shifts = ((0, 0), (0, 1.3), (0, -1.3), (0.6, 0), (-0.6, 0)) if req.movable else ((0, 0),)
        return [
            (req.x_px + dx * w - w / 2, req.y_px + dy * h - h / 2, req.x_px + dx * w + w / 2, req.y_px + dy * h + h / 2)
            for dx, dy in shifts
        ]
    boxes = []
    for dx, dy in _POINT_CANDIDATES:
        cx = req.x_px + dx * (req.gap_px + w / 2)
        cy = req.y_px + dy * (req.gap_px + h / 2)
        boxes.append((cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2))
    return boxes


def place_labels(
    requests: Sequence[LabelRequest],
    frame: Box,
    obstacles: Sequence[Box] = (),
    avoid_points: np.ndarray | None = None,
    *,
    padding_px: float = 2.0,
) -> list[Placement]:
    """Greedy placement in the order given (highest priority first); see the module docstring.

    ``avoid_points`` (n, 2): pixels (route vertices) that a label should rather not cover.
    """
    placed: list[Box] = list(obstacles)
    points = np.zeros((0, 2)) if avoid_points is None else np.asarray(avoid_points, dtype=np.float64)
    result = []
    for req in requests:
        best: tuple[int, Box] | None = None
        for box in _candidates(req):
            padded = (box[0] - padding_px, box[1] - padding_px, box[2] + padding_px, box[3] + padding_px)
            if box[0] < frame[0] or box[1] < frame[1] or box[2] > frame[2] or box[3] > frame[3]:
                continue
            if any(overlaps(padded, other) for other in placed):
                continue
            covered = 0
            if len(points):
                inside = (points[:, 0] > box[0]) & (points[:, 0] < box[2]) & (points[:, 1] > box[1])
                covered = int(np.count_nonzero(inside & (points[:, 1] < box[3])))
            if best is None or covered < best[0]:
                best = (covered, box)
                if covered == 0:
                    break
        if best is not None:
            placed.append(best[1])
            result.append(Placement(key=req.key, box=best[1]))
    return result
