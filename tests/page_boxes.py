"""Where the map's routes and controls lie on screen: the check, shared by the map and dashboard
browser tests, that no drawn route hides under the legend, the layer list or the time control."""

from __future__ import annotations

from typing import Any

#: the viewports the layout is checked at (CSS pixels)
SIZES = {"desktop": (1440, 900), "phone": (390, 844)}
#: the map's controls, by name, and their CSS selector
CONTROLS = {"legend": ".msn-legend", "layers": ".leaflet-control-layers", "clock": ".leaflet-bar-timecontrol"}
#: rectangles [left, top, right, bottom] of the drawn route and weapon paths and of each control, in
#: page pixels (controls of no size left out); run with ``CONTROLS`` as its argument
BOXES_JS = """(sel) => {
    const box = (e) => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
    const paths = [...document.querySelectorAll('path.msn-route, path.msn-track')].map(box);
    const controls = {};
    for (const [name, s] of Object.entries(sel)) {
        controls[name] = [...document.querySelectorAll(s)].map(box).filter(b => b[2] > b[0] && b[3] > b[1]);
    }
    return {paths, controls};
}"""
#: the same, for ``Locator.evaluate`` (which passes the located element first)
BOXES_IN_ELEMENT_JS = f"(_element, sel) => ({BOXES_JS})(sel)"


def intersects(a: list[float], b: list[float]) -> bool:
    """Whether two rectangles [left, top, right, bottom] overlap (touching edges do not)."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def covered_paths(boxes: dict[str, Any]) -> list[tuple[str, list[float], list[float]]]:
    """(control, path box, control box) for every drawn path whose box meets a control's."""
    return [
        (control, path, rect)
        for control, rects in boxes["controls"].items()
        for rect in rects
        for path in boxes["paths"]
        if intersects(path, rect)
    ]
