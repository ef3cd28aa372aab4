"""The frame of a figure: title and subtitle, legend, scale bar, credits line and claims box.

Every mission string is drawn with ``parse_math=False`` (or escaped with :func:`.style.plain` where
matplotlib makes the text), so ``$`` and backslashes show as written. Figures in the claims box are
the core's (:class:`~missions.analysis.ClaimResult`) and the verdicts the feasibility module's
(:class:`~missions.feasibility.ClaimVerdict`): nothing is recomputed here.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import geodesy
from ..analysis import MissionResult
from ..claims import Qualifier, Quantity
from ..tables import ClaimRow, mission_tables
from ..units import UNIT_LABEL, UNIT_M, Units, format_count, format_distance, format_duration, format_speed
from .draw import MARKER_NAMES, MARKER_STYLE, Drawing, Marker
from .draw import renderer as get_renderer
from .labels import Box
from .style import FONT, VERDICT_COLOUR, WEAPON_COLOUR, plain

if TYPE_CHECKING:
    from ..feasibility import Feasibility

TITLE_PT, SUBTITLE_PT, CREDITS_PT, LEGEND_PT = 19.0, 11.5, 7.5, 9.0
#: sorties named in the legend; the rest are counted
LEGEND_SORTIES = 10
#: claims shown in the box
BOX_CLAIMS = 8
#: projection names in the credits line
PROJECTION_NAMES = {
    "aeqd": "azimuthal equidistant",
    "polar": "polar azimuthal equidistant",
    "conic": "equidistant conic",
    "mercator": "Mercator",
    "plate-carree": "plate carrée",
}


def frame_heights_in(scale: float, graticule: bool) -> tuple[float, float]:
    """Room above the map (title, subtitle) and below it (tick labels, credits), in inches."""
    top = (TITLE_PT + SUBTITLE_PT + 22.0) * scale / 72.0
    bottom = (2 * CREDITS_PT * 1.35 + 12.0 + (12.0 if graticule else 0.0)) * scale / 72.0
    return top, bottom


def _fit(text: str, width_px: float, props: dict[str, Any], renderer: Any, fig: Any) -> str:
    """``text``, shortened with an ellipsis until it is at most ``width_px`` wide."""
    probe = fig.text(0, 0, text, parse_math=False, **props)
    try:
        if probe.get_window_extent(renderer).width <= width_px:
            return text
        lo, hi = 0, len(text)
        while lo < hi:
            mid = (lo + hi + 1) // 2
            probe.set_text(text[:mid].rstrip() + "…")
            if probe.get_window_extent(renderer).width <= width_px:
                lo = mid
            else:
                hi = mid - 1
        return text[:lo].rstrip() + "…"
    finally:
        probe.remove()


def subtitle(result: MissionResult, units: Units) -> str:
    """Date, aircraft and weapons, and the unit: ``2015-11-20 · 2 × Tu-160, 4 × Su-30SM · ...``."""
    mission = result.mission
    parts = [mission.date] if mission.date else []
    aircraft: Counter[str] = Counter()
    for s in result.sorties:
        aircraft[s.sortie.aircraft] += s.sortie.count
    if aircraft:
        parts.append(", ".join(f"{n} × {name}" for name, n in aircraft.items()))
    weapons: Counter[str] = Counter()
    for launch in {id(w.launch): w.launch for w in result.weapons}.values():
        weapons[launch.weapon] += launch.count
    if weapons:
        parts.append(", ".join(f"{n} × {name}" for name, n in weapons.items()))
    parts.append(f"distances in {UNIT_LABEL[units]}, geodesic (WGS84); times UTC")
    return " · ".join(parts)


def draw_title(d: Drawing, result: MissionResult) -> None:
    fig, s = d.figure, d.scale
    renderer = get_renderer(d)
    left = d.axes.get_position().x0
    width_px = fig.bbox.width * (1 - 2 * left)
    top = 1 - 10.0 * s / 72.0 / fig.get_figheight()
    props: dict[str, Any] = {"fontsize": TITLE_PT * s, "fontweight": "bold", "fontfamily": FONT, "color": "#111111"}
    fig.text(left, top, _fit(result.mission.name, width_px, props, renderer, fig), va="top", parse_math=False, **props)
    sub_y = top - (TITLE_PT + 7.0) * s / 72.0 / fig.get_figheight()
    props = {"fontsize": SUBTITLE_PT * s, "fontfamily": FONT, "color": "#444444"}
    text = _fit(subtitle(result, d.options.units), width_px, props, renderer, fig)
    fig.text(left, sub_y, text, va="top", parse_math=False, **props)


def credits_text(result: MissionResult, d: Drawing) -> str:
    sources = [src.title for src in result.mission.sources]
    p = d.projection
    lat = f"{abs(p.lat0_deg):.1f}° {'N' if p.lat0_deg >= 0 else 'S'}"
    centre = f"{lat}, {abs(p.lon0_deg):.1f}° {'E' if p.lon0_deg >= 0 else 'W'}"
    projection = f"{PROJECTION_NAMES[p.kind]} projection centred on {centre}"
    if p.kind == "conic":
        projection += f", standard parallels {p.parallels_deg[0]:.1f}° and {p.parallels_deg[1]:.1f}°"
    head = ("Sources: " + "; ".join(sources) + ". ") if sources else ""
    return f"{head}Basemap: Natural Earth (public domain). Routes: geodesics on WGS84; {projection}."


def draw_credits(d: Drawing, result: MissionResult) -> None:
    """The credits line (two lines at most, the sources shortened with an ellipsis if need be)."""
    import textwrap

    fig, s = d.figure, d.scale
    renderer = get_renderer(d)
    left = d.axes.get_position().x0
    width_px = fig.bbox.width * (1 - 2 * left)
    props: dict[str, Any] = {"fontsize": CREDITS_PT * s, "fontfamily": FONT, "color": "#555555"}
    text = credits_text(result, d)
    probe = fig.text(0, 0, "x" * 100, parse_math=False, **props)
    chars = max(40, int(100 * width_px / probe.get_window_extent(renderer).width))
    for _ in range(8):  # narrower until every line fits (characters differ in width)
        lines = textwrap.wrap(text, chars)
        probe.set_text(max(lines, key=len))
        if probe.get_window_extent(renderer).width <= width_px:
            break
        chars = int(chars * 0.95)
    probe.remove()
    if len(lines) > 2:
        lines = [lines[0], _fit(" ".join(lines[1:]), width_px, props, renderer, fig)]
    y = 6.0 * s / 72.0 / fig.get_figheight()
    fig.text(left, y, "\n".join(lines), va="bottom", linespacing=1.3, parse_math=False, **props)


_CORNERS = ("upper right", "upper left", "lower left", "lower right")


#: a marker under a box counts as much as this many route pixels
_MARKER_WEIGHT = 200


def _inside(points: np.ndarray, box: Box) -> int:
    if len(points) == 0:
        return 0
    inside = (points[:, 0] > box[0]) & (points[:, 0] < box[2]) & (points[:, 1] > box[1]) & (points[:, 1] < box[3])
    return int(np.count_nonzero(inside))


def _crowding(d: Drawing, box: Box) -> int:
    """How much of the mission a box in a corner would hide: route pixels, and markers above all."""
    return _inside(d.line_pixels, box) + _MARKER_WEIGHT * _inside(d.marker_pixels, box)


def _bbox(artist: Any, renderer: Any) -> Box:
    b = artist.get_window_extent(renderer)
    return (b.x0, b.y0, b.x1, b.y1)


def _best_corner(d: Drawing, make: Any, taken: Sequence[Box]) -> tuple[Any, Box] | None:
    """Place an artist (``make(corner)``) in the corner where it covers fewest route pixels.

    The artist is made and measured once, in the first corner; its box in the other corners follows
    from the same margins (every corner is anchored with the same border padding).
    """
    from .labels import overlaps

    renderer = get_renderer(d)
    first = make(_CORNERS[0])
    x0, y0, x1, y1 = _bbox(first, renderer)
    frame = d.axes.get_window_extent(renderer)
    w, h, mx, my = x1 - x0, y1 - y0, frame.x1 - x1, frame.y1 - y1
    boxes = {
        "upper right": (x0, y0, x1, y1),
        "upper left": (frame.x0 + mx, y0, frame.x0 + mx + w, y1),
        "lower left": (frame.x0 + mx, frame.y0 + my, frame.x0 + mx + w, frame.y0 + my + h),
        "lower right": (x0, frame.y0 + my, x1, frame.y0 + my + h),
    }
    best = None
    for corner in _CORNERS:
        box = boxes[corner]
        if any(overlaps(box, t) for t in taken):
            continue
        score = _crowding(d, box)
        if best is None or score < best[0]:
            best = (score, corner, box)
    if best is None:
        first.remove()
        return None
    if best[1] == _CORNERS[0]:
        return first, best[2]
    first.remove()
    return make(best[1]), best[2]


def legend_entries(
    d: Drawing, result: MissionResult, colours: dict[str, str], markers: Sequence[Marker]
) -> tuple[list[Any], list[str]]:
    from matplotlib.lines import Line2D

    s, units = d.scale, d.options.units
    handles, labels = [], []
    if "routes" in d.options.layers:
        for sr in result.sorties[:LEGEND_SORTIES]:
            handles.append(Line2D([], [], color=colours[sr.sortie.name], linewidth=2.2 * s))
            labels.append(
                plain(
                    f"{sr.sortie.name}: {sr.sortie.count} × {sr.sortie.aircraft}, "
                    f"{format_distance(sr.distance_m, units)}, {format_duration(sr.duration_s)}"
                )
            )
        if len(result.sorties) > LEGEND_SORTIES:
            handles.append(Line2D([], [], color="#999999", linewidth=2.2 * s))
            labels.append(format_count(len(result.sorties) - LEGEND_SORTIES, "more sortie"))
    if "weapons" in d.options.layers and any(w.distance_m > 0 for w in result.weapons):
        lengths = [w.distance_m for w in result.weapons]
        names = ", ".join(dict.fromkeys(w.weapon for w in result.weapons))
        span = format_distance(min(lengths), units)
        if max(lengths) - min(lengths) > 0.5 * UNIT_M[units]:
            span = f"{min(lengths) / UNIT_M[units]:,.0f}–{format_distance(max(lengths), units)}"
        handles.append(Line2D([], [], color=WEAPON_COLOUR, linewidth=1.5 * s, linestyle=(0, (4, 2.5))))
        labels.append(plain(f"weapon tracks ({names}): {span}"))
    if "markers" in d.options.layers:
        for kind in dict.fromkeys(m.kind for m in markers):
            if kind == "waypoint":
                continue
            symbol, size, face, edge = MARKER_STYLE[kind]
            handles.append(
                Line2D([], [], linestyle="none", marker=symbol, markersize=size * s, markerfacecolor=face,
                       markeredgecolor=edge or "#555555", markeredgewidth=1.2 * s)
            )  # fmt: skip
            labels.append(MARKER_NAMES[kind])
    return handles, labels


def draw_legend(
    d: Drawing, result: MissionResult, colours: dict[str, str], markers: Sequence[Marker], taken: list[Box]
) -> None:
    handles, labels = legend_entries(d, result, colours, markers)
    if not handles:
        return

    def make(corner: str) -> Any:
        legend = d.axes.legend(
            handles, labels, loc=corner, fontsize=LEGEND_PT * d.scale, frameon=True, framealpha=0.92,
            facecolor="white", edgecolor="#888888", borderpad=0.6, handlelength=2.4,
            prop={"family": FONT, "size": LEGEND_PT * d.scale},
        )  # fmt: skip
        legend.set_zorder(20)
        for text in legend.get_texts():
            text.set_parse_math(False)
            text.set_text(text.get_text().replace(r"\$", "$"))
        return legend

    placed = _best_corner(d, make, taken)
    if placed:
        taken.append(placed[1])


def _nice_length(target: float) -> float:
    """1, 2 or 5 × 10^k, at most ``target``."""
    power = 10 ** math.floor(math.log10(target))
    return max(m * power for m in (1, 2, 5) if m * power <= target)


def scale_bar_length_m(d: Drawing) -> tuple[float, float]:
    """A round bar length (in the chosen unit, in metres) and the metres per projected unit at the view's centre.

    The scale is measured, not assumed: the geodesic length between two projected points 1 % of
    the view apart about the centre, along the map's x axis.
    """
    (x0, x1), (y0, y1) = d.axes.get_xlim(), d.axes.get_ylim()
    cx, cy, dx = (x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) / 100.0
    lon, lat = d.projection.unproject(np.array([cx - dx / 2, cx + dx / 2]), np.array([cy, cy]))
    metres = float(geodesy.inverse(lat[0], lon[0], lat[1], lon[1]).distance_m)
    per_unit = metres / dx
    unit_m = UNIT_M[d.options.units]
    target = (x1 - x0) * per_unit / 5.0 / unit_m
    return _nice_length(target) * unit_m, per_unit


def _boxed(d: Drawing, corner: str, child: Any, *, pad: float, alpha: float, edge: str) -> Any:
    """``child`` in a white box anchored in a corner of the map, above everything drawn on it."""
    from matplotlib.offsetbox import AnchoredOffsetbox

    anchored = AnchoredOffsetbox(loc=corner, child=child, pad=pad, borderpad=0.8, frameon=True)
    anchored.patch.set_facecolor("white")
    anchored.patch.set_alpha(alpha)
    anchored.patch.set_edgecolor(edge)
    anchored.set_zorder(20)
    d.axes.add_artist(anchored)
    return anchored


def draw_scale_bar(d: Drawing, taken: list[Box]) -> None:
    """A two-segment bar ``0 — L/2 — L unit`` in the least crowded free corner."""
    from matplotlib.offsetbox import AuxTransformBox, TextArea, VPacker
    from matplotlib.patches import Rectangle

    length_m, per_unit = scale_bar_length_m(d)
    unit_m, label = UNIT_M[d.options.units], UNIT_LABEL[d.options.units]
    length = length_m / per_unit  # in projected units
    s = d.scale
    value = length_m / unit_m

    def make(corner: str) -> Any:
        bar = AuxTransformBox(d.axes.transData)
        height = (d.axes.get_ylim()[1] - d.axes.get_ylim()[0]) * 0.006
        for k in range(4):
            bar.add_artist(
                Rectangle((k * length / 4, 0), length / 4, height, facecolor="#222222" if k % 2 == 0 else "white",
                          edgecolor="#222222", linewidth=0.6 * s)
            )  # fmt: skip
        text = TextArea(
            f"{value:,.0f} {label}",
            textprops={"fontsize": 8.5 * s, "fontfamily": FONT, "color": "#222222", "parse_math": False},
        )
        box = VPacker(children=[text, bar], align="center", pad=0, sep=3 * s)
        return _boxed(d, corner, box, pad=0.5, alpha=0.85, edge="none")

    placed = _best_corner(d, make, taken)
    if placed:
        taken.append(placed[1])


def claim_row(claim: ClaimRow, units: Units) -> tuple[str, str]:
    """``('about 16,000 km', '14,581 km')``: a claim and the computed figure, in the chosen unit."""
    q, value, computed = claim.quantity, claim.claimed_si, claim.computed_si
    if q is Quantity.DISTANCE:
        show = lambda v: format_distance(v, units)  # noqa: E731
    elif q is Quantity.DURATION:
        show = format_duration
    else:
        show = lambda v: format_speed(v, units)  # noqa: E731
    qualifier = "" if claim.qualifier is Qualifier.EXACTLY else f"{claim.qualifier} "
    return qualifier + show(value), (show(computed) if math.isfinite(computed) else "—")


def draw_claims(d: Drawing, result: MissionResult, feasibility: Feasibility | None, taken: list[Box]) -> None:
    """A box listing each claim, the computed figure and the verdict (coloured)."""
    from matplotlib.offsetbox import HPacker, TextArea, VPacker

    claims = mission_tables(result, feasibility).claims
    if not claims:
        return
    s = d.scale
    base = {"fontsize": 8.5 * s, "fontfamily": FONT, "color": "#222222", "parse_math": False}

    def make(corner: str) -> Any:
        columns: list[list[Any]] = [[], [], [], []]
        heads = ("claim", "source", "computed", "verdict")
        for col, head in zip(columns, heads, strict=True):
            col.append(TextArea(head, textprops=base | {"fontweight": "bold"}))
        for claim in claims[:BOX_CLAIMS]:
            claimed, computed = claim_row(claim, d.options.units)
            source = claim.source if len(claim.source) <= 34 else claim.source[:33] + "…"
            verdict = claim.verdict or ""
            columns[0].append(TextArea(claimed, textprops=base))
            columns[1].append(TextArea(source, textprops=base | {"color": "#555555"}))
            columns[2].append(TextArea(computed, textprops=base))
            columns[3].append(
                TextArea(
                    verdict, textprops=base | {"color": VERDICT_COLOUR.get(verdict, "#222222"), "fontweight": "bold"}
                )
            )
        if len(claims) > BOX_CLAIMS:
            columns[0].append(TextArea(f"+{len(claims) - BOX_CLAIMS} more", textprops=base))
            for col in columns[1:]:
                col.append(TextArea(" ", textprops=base))
        packed = HPacker(
            children=[VPacker(children=col, align="left", pad=0, sep=2.5 * s) for col in columns],
            align="top", pad=0, sep=9 * s,
        )  # fmt: skip
        title = TextArea(
            "Claims against the computed route", textprops=base | {"fontsize": 9.5 * s, "fontweight": "bold"}
        )
        box = VPacker(children=[title, packed], align="left", pad=0, sep=4 * s)
        return _boxed(d, corner, box, pad=0.6, alpha=0.93, edge="#888888")

    placed = _best_corner(d, make, taken)
    if placed:
        taken.append(placed[1])
