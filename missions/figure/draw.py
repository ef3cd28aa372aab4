"""Drawing a computed mission as a static figure: basemap, routes, weapons, markers.

Every geometry is the core's: each sortie's and weapon's densified geodesic line
(:attr:`SortieResult.line`, :attr:`WeaponTrack.line`) is projected vertex by vertex with pyproj
(:class:`~missions.figure.projection.Projection`) and drawn as a polyline in the projected plane, so
the figure shows exactly those vertices and cartopy resamples nothing. Countries are the embedded
Natural Earth polygons, handed to cartopy as Shapely geometries (``add_geometries``): cartopy never
reads or downloads any data of its own (its data directory is pointed at an empty folder and its
downloaders are removed by :mod:`.backend`, imported before anything draws).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, cast

import numpy as np
import shapely

from ..analysis import MissionResult
from ..model import Point
from ..units import Units
from . import backend  # noqa: F401  (matplotlib and cartopy set up before anything draws)
from .projection import Projection, ProjectionKind, choose_projection, fit_bounds
from .style import (
    BORDER,
    DEFAULT_LAYERS,
    LAND,
    MARKER_EDGE,
    REFUEL_COLOUR,
    SEA,
    SIZE,
    SORTIE_COLOURS,
    WEAPON_COLOUR,
    Layer,
    SizeName,
)

if TYPE_CHECKING:
    from cartopy.mpl.geoaxes import GeoAxes
    from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D


#: above this many sorties the routes carry no direction arrows (they would hide the routes, and cost seconds)
MAX_ARROW_SORTIES = 40


@dataclass(frozen=True, kw_only=True)
class FigureOptions:
    """What to draw and how: size, distance unit, projection and layers (see :mod:`.style`)."""

    size: SizeName = "web"
    units: Units = "km"
    projection: ProjectionKind = "auto"
    layers: frozenset[Layer] = DEFAULT_LAYERS


@dataclass(kw_only=True)
class Drawing:
    """A drawn figure and what tests and callers need to know about it."""

    figure: Figure
    axes: GeoAxes
    projection: Projection
    options: FigureOptions
    scale: float  #: font and line scale of the size
    routes: dict[str, Line2D] = field(default_factory=dict)  #: sortie name -> its route line
    weapons: list[Any] = field(default_factory=list)  #: the weapon tracks' line collection
    labels: list[Any] = field(default_factory=list)  #: placed label Text artists
    #: route and weapon vertices in display pixels, for label placement
    line_pixels: np.ndarray = field(default_factory=lambda: np.zeros((0, 2)))
    #: marker positions in display pixels
    marker_pixels: np.ndarray = field(default_factory=lambda: np.zeros((0, 2)))


def renderer(d: Drawing) -> RendererAgg:
    """The Agg renderer the figure is measured with (its canvas is an Agg canvas: see ``draw_figure``)."""
    return cast("FigureCanvasAgg", d.figure.canvas).get_renderer()


def sortie_colours(result: MissionResult) -> dict[str, str]:
    """The colour of each sortie (by name): the same order as the interactive map's."""
    return {s.sortie.name: SORTIE_COLOURS[i % len(SORTIE_COLOURS)] for i, s in enumerate(result.sorties)}


def _bases(result: MissionResult) -> list[tuple[float, float]]:
    """Distinct take-off points (lat, lon); with no sorties, the distinct weapon launch points."""
    points = [s.sortie.route[0].point for s in result.sorties] or [w.origin for w in result.weapons]
    distinct: dict[tuple[float, float], tuple[float, float]] = {}
    for p in points:  # within ~100 m is the same base; the first one's exact position is kept
        distinct.setdefault((round(p.lat_deg, 3), round(p.lon_deg, 3)), (p.lat_deg, p.lon_deg))
    return list(distinct.values())


def mission_lines(result: MissionResult) -> list[shapely.LineString]:
    return [s.line for s in result.sorties] + [w.line for w in result.weapons]


#: views narrower than this (projected metres) draw the fine country polygons, wider ones the basemap's
FINE_VIEW_M = 2_500_000.0


@functools.lru_cache(maxsize=2)
def _countries(detail: str = "basemap") -> tuple[tuple[str, shapely.Geometry], ...]:
    """The embedded countries: (name, geometry in lon/lat).

    ``basemap``: Natural Earth simplified at 0.05° (``geodata/countries_basemap.geojson``);
    ``fine``: simplified at 0.005°, the overflight index's polygons (read from its disk cache).
    """
    if detail == "fine":
        from ..airspace.index import country_index

        index = country_index()
        return tuple(zip(index.name, index.land, strict=True))
    from geodata.countries import basemap_geojson

    return tuple(
        (f["properties"]["name"], shapely.geometry.shape(f["geometry"])) for f in basemap_geojson()["features"]
    )


def view_lonlat_box(
    projection: Projection, bounds: tuple[float, float, float, float], *, pad: float = 0.1
) -> tuple[float, float, float, float]:
    """A (lon, lat) box holding the padded view: ``(west, south, east, north)``, longitudes about lon0.

    Found by unprojecting a grid over the view; a view holding a pole spans every longitude.
    """
    xmin, xmax, ymin, ymax = bounds
    pad_x, pad_y = (xmax - xmin) * pad, (ymax - ymin) * pad
    gx, gy = np.meshgrid(np.linspace(xmin - pad_x, xmax + pad_x, 41), np.linspace(ymin - pad_y, ymax + pad_y, 41))
    lon, lat = projection.unproject(gx.ravel(), gy.ravel())
    ok = np.isfinite(lon) & np.isfinite(lat)
    lon, lat = lon[ok], lat[ok]
    rel = np.mod(lon - projection.lon0_deg + 180.0, 360.0) - 180.0
    south, north = max(float(lat.min()) - 3.0, -90.0), min(float(lat.max()) + 3.0, 90.0)
    if north >= 89.0 or south <= -89.0 or rel.max() - rel.min() > 300.0:
        west, east = -179.5, 179.5  # a pole in view: every longitude (short of the cut opposite lon0)
    else:
        west, east = max(float(rel.min()) - 3.0, -179.5), min(float(rel.max()) + 3.0, 179.5)
    return projection.lon0_deg + west, south, projection.lon0_deg + east, north


def projected_countries(
    projection: Projection, bounds: tuple[float, float, float, float]
) -> dict[str, shapely.Geometry]:
    """The countries in view, projected and clipped: name -> geometry (metres).

    Fine polygons for views narrower than :data:`FINE_VIEW_M`, the basemap's otherwise.

    Countries are first cut in (lon, lat) to the part of the globe the view shows (so nothing that
    wraps round the projection's cut or its antipode is ever projected), then projected with
    pyproj and clipped to the padded view.
    """
    west, south, east, north = view_lonlat_box(projection, bounds)
    countries = _countries("fine" if bounds[1] - bounds[0] < FINE_VIEW_M else "basemap")
    geoms = np.array([g for _, g in countries], dtype=object)
    pieces: list[np.ndarray] = []
    for shift in (-360.0, 0.0, 360.0):
        if east - shift < -180.0 or west - shift > 180.0:
            continue
        clipped = shapely.clip_by_rect(geoms, west - shift, south, east - shift, north)
        if shift:
            clipped = shapely.transform(clipped, lambda c, s=shift: c + np.array([s, 0.0]))
        pieces.append(clipped)
    merged = [
        shapely.union_all([p[i] for p in pieces if not p[i].is_empty]) if sum(not p[i].is_empty for p in pieces) > 1
        else next((p[i] for p in pieces if not p[i].is_empty), None)
        for i in range(len(geoms))
    ]  # fmt: skip

    def fn(coords: np.ndarray) -> np.ndarray:
        lat = np.clip(coords[:, 1], -89.0, 89.0) if projection.kind == "mercator" else coords[:, 1]
        x, y = projection.project(coords[:, 0], lat)
        return np.column_stack([x, y])

    keep = [i for i, g in enumerate(merged) if g is not None and not g.is_empty]
    if not keep:
        return {}
    projected = shapely.transform(np.array([merged[i] for i in keep], dtype=object), fn)
    xmin, xmax, ymin, ymax = bounds
    pad_x, pad_y = (xmax - xmin) * 0.05, (ymax - ymin) * 0.05
    projected = shapely.clip_by_rect(projected, xmin - pad_x, ymin - pad_y, xmax + pad_x, ymax + pad_y)
    out = {}
    for i, g in zip(keep, projected, strict=True):
        if g.is_empty or not np.all(np.isfinite(shapely.get_coordinates(g))):
            continue
        out[countries[i][0]] = g
    return out


def _polygon_path(geoms: Sequence[shapely.Geometry]) -> Any:
    """One compound matplotlib Path of polygons (exteriors counter-clockwise, holes clockwise)."""
    from matplotlib.path import Path

    vertices, codes = [], []
    polygons = shapely.get_parts(shapely.orient_polygons(np.array(geoms, dtype=object)))
    for polygon in polygons:
        if not isinstance(polygon, shapely.Polygon):
            continue
        for ring in (polygon.exterior, *polygon.interiors):
            xy = np.asarray(ring.coords)
            if len(xy) < 3:
                continue
            ring_codes = np.full(len(xy), Path.LINETO, dtype=np.uint8)
            ring_codes[0], ring_codes[-1] = Path.MOVETO, Path.CLOSEPOLY
            vertices.append(xy)
            codes.append(ring_codes)
    if not vertices:
        return None
    return Path(np.concatenate(vertices), np.concatenate(codes))


def cartopy_crs(projection: Projection) -> Any:
    """The cartopy CRS with the same parameters as ``projection.proj4`` (WGS84 ellipsoid)."""
    import cartopy.crs as ccrs

    globe = ccrs.Globe(ellipse="WGS84", datum="WGS84")
    if projection.kind in ("aeqd", "polar"):
        return ccrs.AzimuthalEquidistant(
            central_longitude=projection.lon0_deg, central_latitude=projection.lat0_deg, globe=globe
        )
    if projection.kind == "conic":
        return ccrs.EquidistantConic(
            central_longitude=projection.lon0_deg,
            central_latitude=projection.lat0_deg,
            standard_parallels=projection.parallels_deg,
            globe=globe,
        )
    if projection.kind == "mercator":
        return ccrs.Mercator(central_longitude=projection.lon0_deg, globe=globe)
    return ccrs.PlateCarree(central_longitude=projection.lon0_deg, globe=globe)


def project_line(projection: Projection, line: shapely.LineString) -> tuple[np.ndarray, np.ndarray]:
    """A core line's vertices (lon, lat; longitudes continuous) in projected metres."""
    coords = np.asarray(line.coords, dtype=np.float64)
    return projection.project_line(coords[:, 0], coords[:, 1])


def new_figure(result: MissionResult, options: FigureOptions, top_in: float, bottom_in: float) -> Drawing:
    """The figure, its map axes (between ``top_in`` and ``bottom_in`` of frame) and the fitted view."""
    from matplotlib.figure import Figure

    size = SIZE[options.size]
    fig = Figure(figsize=(size.width_in, size.height_in), dpi=size.dpi)
    fig.patch.set_facecolor("white")
    scale = size.font_scale
    bases = _bases(result)
    projection = choose_projection(mission_lines(result), options.projection, bases=bases)
    side_in = 0.55 * scale if "graticule" in options.layers else 0.25 * scale
    rect = (
        side_in / size.width_in,
        bottom_in / size.height_in,
        1 - 2 * side_in / size.width_in,
        1 - (top_in + bottom_in) / size.height_in,
    )
    crs = cartopy_crs(projection)
    ax = fig.add_axes(rect, projection=crs)
    aspect = (rect[2] * size.width_in) / (rect[3] * size.height_in)
    bounds = fit_bounds(projection.bounds_m, aspect)
    ax.set_xlim(bounds[0], bounds[1])
    ax.set_ylim(bounds[2], bounds[3])
    ax.set_autoscale_on(False)  # the view is the mission's: nothing drawn later may change it
    ax.set_facecolor(SEA)
    ax.spines["geo"].set_linewidth(0.8 * scale)
    ax.spines["geo"].set_edgecolor("#333333")
    return Drawing(figure=fig, axes=ax, projection=projection, options=options, scale=scale)


def view_bounds(d: Drawing) -> tuple[float, float, float, float]:
    (x0, x1), (y0, y1) = d.axes.get_xlim(), d.axes.get_ylim()
    return x0, x1, y0, y1


def draw_countries(d: Drawing) -> dict[str, shapely.Geometry]:
    """Land and borders of the countries in view (one compound path); returns them, projected."""
    from matplotlib.patches import PathPatch

    countries = projected_countries(d.projection, view_bounds(d))
    path = _polygon_path(list(countries.values()))
    if path is not None:
        patch = PathPatch(path, facecolor=LAND, edgecolor=BORDER, linewidth=0.45 * d.scale, zorder=1)
        patch.set_transform(d.axes.transData)
        d.axes.add_artist(patch)  # not add_patch: no data limits to update, the view is fixed
    return countries


def draw_routes(d: Drawing, result: MissionResult, colours: dict[str, str]) -> None:
    """Each sortie's route in its colour; weapon tracks dashed; remember their pixels.

    Up to :data:`MAX_ARROW_SORTIES` sorties each route is a line with a white halo and arrows; beyond,
    all routes are one line collection (thousands of separate lines would take a minute to draw).
    """
    from matplotlib.collections import LineCollection

    ax, pixels = d.axes, []
    if "routes" in d.options.layers:
        many = len(result.sorties) > MAX_ARROW_SORTIES
        segments, segment_colours = [], []
        for s in result.sorties:
            x, y = project_line(d.projection, s.line)
            pixels.append(ax.transData.transform(np.column_stack([x, y])))
            if many:
                segments.append(np.column_stack([x, y]))
                segment_colours.append(colours[s.sortie.name])
                continue
            (line,) = ax.plot(
                x, y, color=colours[s.sortie.name], linewidth=2.2 * d.scale, solid_capstyle="round", zorder=5
            )
            line.set_path_effects(_halo(d.scale))
            d.routes[s.sortie.name] = line
        if segments:
            ax.add_collection(
                LineCollection(segments, colors=segment_colours, linewidths=1.2 * d.scale, zorder=5), autolim=False
            )
    if "weapons" in d.options.layers and result.weapons:
        tracks = [np.column_stack(project_line(d.projection, w.line)) for w in result.weapons]
        weapons = LineCollection(
            tracks, colors=WEAPON_COLOUR, linewidths=1.5 * d.scale, linestyles=[(0, (4, 2.5))], zorder=4
        )
        ax.add_collection(weapons, autolim=False)
        d.weapons.append(weapons)
        pixels += [ax.transData.transform(t) for t in tracks]
    if pixels:
        d.line_pixels = _resample(np.concatenate(pixels), step_px=6.0)
    if "arrows" in d.options.layers and "routes" in d.options.layers and len(d.routes) <= MAX_ARROW_SORTIES:
        for name, line in d.routes.items():
            _arrows(d, line, colours[name])


def _halo(scale: float) -> list[Any]:
    import matplotlib.patheffects as pe

    return [pe.Stroke(linewidth=3.6 * scale, foreground="white", alpha=0.85), pe.Normal()]


def _resample(pixels: np.ndarray, step_px: float) -> np.ndarray:
    """Points every ``step_px`` along consecutive pixel vertices (for 'does a label cover a line')."""
    if len(pixels) < 2:
        return pixels
    seg = np.diff(pixels, axis=0)
    length = np.hypot(seg[:, 0], seg[:, 1])
    n = np.clip(np.ceil(length / step_px).astype(int), 1, 2000)
    n[length > 4000] = 1  # not a real segment (two lines joined in the concatenation)
    idx = np.repeat(np.arange(len(seg)), n)
    t = (np.arange(len(idx)) - np.repeat(np.cumsum(n) - n, n)) / np.repeat(n, n)
    return pixels[idx] + seg[idx] * t[:, None]


def _arrows(d: Drawing, line: Line2D, colour: str) -> None:
    """Arrowheads along a route, pointing the way it is flown, every ~1/7 of its drawn length."""
    from matplotlib.patches import FancyArrowPatch

    xy = np.column_stack(line.get_data())
    px = d.axes.transData.transform(xy)
    seg = np.hypot(*np.diff(px, axis=0).T)
    along = np.concatenate([[0.0], np.cumsum(seg)])
    total = along[-1]
    if total < 40:
        return
    spacing = max(total / 7.0, 110.0 * d.figure.dpi / 100.0)
    for target in np.arange(spacing / 2.0, total, spacing):
        i = int(np.searchsorted(along, target)) - 1
        i = min(max(i, 0), len(seg) - 1)
        if seg[i] == 0:
            continue
        t = (target - along[i]) / seg[i]
        head = px[i] + t * (px[i + 1] - px[i])
        direction = (px[i + 1] - px[i]) / seg[i]
        tail = head - direction * 6.0 * d.scale
        inv = d.axes.transData.inverted()
        arrow = FancyArrowPatch(
            inv.transform(tail),
            inv.transform(head),
            arrowstyle="-|>",
            mutation_scale=19 * d.scale,
            facecolor=colour,
            edgecolor="white",
            linewidth=0.8 * d.scale,
            zorder=6,
            shrinkA=0,
            shrinkB=0,
        )
        d.axes.add_patch(arrow)


MarkerKind = Literal["waypoint", "base", "refuel", "launch", "target"]


@dataclass(frozen=True, kw_only=True)
class Marker:
    """A point marker: where, what kind, and the place's name (for its label)."""

    point: Point
    kind: MarkerKind
    colour: str


#: drawing order and style of each marker kind: (matplotlib marker, size in points, face, edge)
MARKER_STYLE: dict[MarkerKind, tuple[str, float, str, str | None]] = {
    "waypoint": ("o", 4.5, "white", None),
    "base": ("s", 8.0, "#7a7a7a", MARKER_EDGE),
    "refuel": ("D", 7.0, REFUEL_COLOUR, MARKER_EDGE),
    "launch": ("^", 9.0, WEAPON_COLOUR, MARKER_EDGE),
    "target": ("o", 8.5, "white", WEAPON_COLOUR),
}
MARKER_NAMES: dict[MarkerKind, str] = {
    "base": "base",
    "waypoint": "waypoint",
    "refuel": "air refuelling",
    "launch": "weapon launch",
    "target": "target",
}


def mission_markers(result: MissionResult, colours: dict[str, str]) -> list[Marker]:
    """Bases, waypoints, refuellings, launch points and targets, one per place and kind."""
    markers: dict[tuple[str, float, float], Marker] = {}

    def add(point: Point, kind: MarkerKind, colour: str) -> None:
        key = (kind, round(point.lat_deg, 4), round(point.lon_deg, 4))
        markers.setdefault(key, Marker(point=point, kind=kind, colour=colour))

    for s in result.sorties:
        route = s.sortie.route
        for i, wp in enumerate(route):
            kind: MarkerKind = (
                "launch"
                if wp.launches
                else "refuel"
                if wp.refuels
                else "base"
                if i in (0, len(route) - 1)
                else "waypoint"
            )
            add(wp.point, kind, colours[s.sortie.name])
    for w in result.weapons:
        if w.launcher not in colours:  # a ship or ground launch point
            add(w.origin, "launch", WEAPON_COLOUR)
        add(w.target, "target", WEAPON_COLOUR)
    order = list(MARKER_STYLE)
    return sorted(markers.values(), key=lambda m: order.index(m.kind))


def draw_markers(d: Drawing, markers: Sequence[Marker]) -> dict[int, tuple[float, float, float]]:
    """Markers in one scatter per kind; returns each marker's pixel position and radius."""
    positions: dict[int, tuple[float, float, float]] = {}
    if not markers:
        return positions
    lon = np.array([m.point.lon_deg for m in markers])
    lat = np.array([m.point.lat_deg for m in markers])
    if d.projection.kind == "mercator":
        lat = np.clip(lat, -89.0, 89.0)
    x, y = d.projection.project(lon, lat)
    px = d.axes.transData.transform(np.column_stack([x, y]))
    d.marker_pixels = px
    points_to_px = d.figure.dpi / 72.0
    for kind, (symbol, size_pt, face, edge) in MARKER_STYLE.items():
        sel = [i for i, m in enumerate(markers) if m.kind == kind]
        if not sel:
            continue
        size = size_pt * d.scale
        edges = [edge or markers[i].colour for i in sel]
        if "markers" in d.options.layers:
            d.axes.scatter(
                x[sel], y[sel], s=size**2, marker=symbol, facecolor=face, edgecolor=edges,
                linewidth=1.2 * d.scale, zorder=8,
            )  # fmt: skip
            if kind == "target":
                d.axes.scatter(x[sel], y[sel], s=(size * 0.35) ** 2, marker="o", color=WEAPON_COLOUR, zorder=9)
        for i in sel:
            positions[i] = (float(px[i, 0]), float(px[i, 1]), size * points_to_px / 2.0)
    return positions
