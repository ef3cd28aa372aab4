"""Map rendering benchmark: our map page against naive folium, in one run (run by hand).

For the Tu-160 catalogue mission and a synthetic 1,000-sortie mission (``synthetic.py``):

- **ours**: :func:`missions.export.html.map_html` (build the map, render it, inline every asset):
  the core's adaptively densified geodesics (≤1 km from the geodesic), coordinates rounded to
  5 decimals, one GeoJSON layer per kind of feature, markers with popups, time slider, basemap;
- **naive**: folium as one would first write it: one ``folium.PolyLine`` per leg and per weapon
  track, a vertex every 10 km along the geodesic (``Geod.inv_intermediate``), unrounded, on the
  same offline basemap (a ``folium.GeoJson``), assets inlined the same way.

Reported: time (best of 3 for the Tu-160, one run for the 1,000 sorties), HTML bytes, drawn
vertices of the mission (route and weapon-track vertices; markers counted apart), bytes per drawn
vertex for the whole page and for the mission alone (page minus the same map with no sorties or
weapons), and the naive/ours ratios. Goals (issue 3): ≤ 25 bytes of HTML per drawn vertex, and
naive ≥ 2× larger and slower.

Usage: ``python benchmarks/bench_render.py [--smoke]`` (``--smoke``: one run of a 3-sortie synthetic
mission only, the Tu-160 skipped (the same functions draw both); checks that the benchmark runs, its
figures mean nothing)
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import re
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple

from pyproj import Geod

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import folium  # noqa: E402
from synthetic import beyond_limits, synthetic_mission_yaml  # noqa: E402

from missions.analysis import MissionResult, compute_mission  # noqa: E402
from missions.export.html import map_html  # noqa: E402
from missions.parsing import load_mission, parse_mission  # noqa: E402
from missions.render import elements as render_elements  # noqa: E402
from missions.render import map as render_map  # noqa: E402
from missions.render.common import COORD_DECIMALS  # noqa: E402
from missions.render.offline import inline_assets, supported_urls  # noqa: E402
from missions.render.records import decode_polyline  # noqa: E402

GEOD = Geod(ellps="WGS84")
NAIVE_STEP_M = 10_000.0
TU160 = ROOT / "missions" / "catalog" / "tu160-2015-11-20.yaml"


class Run(NamedTuple):
    seconds: float
    page_bytes: int
    empty_bytes: int  #: the same map with no sorties or weapons
    line_vertices: int
    markers: int

    @property
    def mission_bytes(self) -> int:
        return self.page_bytes - self.empty_bytes

    @property
    def bytes_per_vertex(self) -> float:
        return self.page_bytes / self.line_vertices

    @property
    def mission_bytes_per_vertex(self) -> float:
        return self.mission_bytes / self.line_vertices

    @property
    def mission_bytes_per_drawn(self) -> float:
        """Per drawn vertex, markers included (a marker is one drawn point)."""
        return self.mission_bytes / (self.line_vertices + self.markers)


def best_of(func: Callable[[], str], repeat: int) -> tuple[float, str]:
    best, out = float("inf"), ""
    for _ in range(repeat):
        start = time.perf_counter()
        out = func()
        best = min(best, time.perf_counter() - start)
    return best, out


def _empty(result: MissionResult) -> MissionResult:
    return dataclasses.replace(result, sorties=(), weapons=(), joins=())


# --------------------------------------------------------------------------------------------
# Ours
# --------------------------------------------------------------------------------------------


def ours(result: MissionResult, repeat: int) -> Run:
    def page_cold() -> str:
        render_elements._basemap_json.cache_clear()  # no head start: the basemap is encoded in every run
        return map_html(result)

    seconds, page = best_of(page_cold, repeat)
    m = render_map.build_map(result)
    (layers,) = [c for c in m._children.values() if isinstance(c, render_elements._MissionLayers)]
    data = json.loads(layers.data_json)  # the embedded data, as the page reads it
    lines = [r["line"] for kind in ("sorties", "weapons") for r in data[kind]]
    vertices = sum(len(decode_polyline(line)) for line in lines)
    markers = sum(kind >= 0 for r in data["sorties"] for kind in r["waypoints"]["kind"]) + sum(
        1 + r.get("launch_point", 0) for r in data["weapons"]
    )
    empty = len(map_html(_empty(result)).encode("utf-8"))
    return Run(seconds, len(page.encode("utf-8")), empty, vertices, markers)


# --------------------------------------------------------------------------------------------
# Naive folium
# --------------------------------------------------------------------------------------------


def _naive_leg(lat1: float, lon1: float, lat2: float, lon2: float) -> list[list[float]]:
    """(lat, lon) every 10 km along the geodesic, unrounded, longitudes as pyproj gives them."""
    npts = max(int(GEOD.inv(lon1, lat1, lon2, lat2)[2] // NAIVE_STEP_M), 0)
    inner = GEOD.npts(lon1, lat1, lon2, lat2, npts) if npts else []
    return [[lat1, lon1], *([lat, lon] for lon, lat in inner), [lat2, lon2]]


def naive_map(result: MissionResult) -> tuple[folium.Map, int, int]:
    from geodata.countries import basemap_geojson

    m = folium.Map(tiles=None, control_scale=True)
    folium.GeoJson(basemap_geojson(), name="Countries").add_to(m)
    vertices = markers = 0
    for s in result.sorties:
        group = folium.FeatureGroup(name=s.sortie.name).add_to(m)
        for leg in s.legs:
            a, b = leg.start.point, leg.end.point
            points = _naive_leg(a.lat_deg, a.lon_deg, b.lat_deg, b.lon_deg)
            vertices += len(points)
            folium.PolyLine(points, color="blue", weight=3, tooltip=f"{a.name} → {b.name}").add_to(group)
        for wp in s.sortie.route:
            folium.CircleMarker([wp.point.lat_deg, wp.point.lon_deg], radius=4, tooltip=wp.point.name).add_to(group)
            markers += 1
    weapons = folium.FeatureGroup(name="Weapons").add_to(m)
    for t in result.weapons:
        points = [t.origin, *t.launch.via, t.target]
        for a, b in itertools.pairwise(points):
            line = _naive_leg(a.lat_deg, a.lon_deg, b.lat_deg, b.lon_deg)
            vertices += len(line)
            folium.PolyLine(line, color="red", dash_array="6 6", tooltip=t.weapon).add_to(weapons)
        folium.CircleMarker([t.target.lat_deg, t.target.lon_deg], radius=5, color="red", tooltip=t.target.name).add_to(
            weapons
        )
        markers += 1
    folium.LayerControl().add_to(m)
    return m, vertices, markers


_LINK_TAG = re.compile(r'<(?:script[^>]*\bsrc|link[^>]*\bhref)="(?P<url>https?:[^"]+)"[^>]*>(?:</script>)?')


def _offline_page(m: folium.Map) -> str:
    """The naive page with its assets inlined; links to assets the product does not vendor (folium's
    Bootstrap, Font Awesome, awesome-markers: nothing this map draws needs them) are dropped first."""
    known = supported_urls()
    html = _LINK_TAG.sub(lambda t: t[0] if t["url"] in known else "", m.get_root().render())
    return inline_assets(html)


def naive(result: MissionResult, repeat: int) -> Run:
    def page() -> str:
        return _offline_page(naive_map(result)[0])

    seconds, html = best_of(page, repeat)
    _, vertices, markers = naive_map(result)
    empty = len(_offline_page(naive_map(_empty(result))[0]).encode("utf-8"))
    return Run(seconds, len(html.encode("utf-8")), empty, vertices, markers)


# --------------------------------------------------------------------------------------------


def _rings(geometry: dict) -> list[list]:
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    return [ring for polygon in polygons for ring in polygon]


def report(label: str, a: Run, b: Run) -> None:
    print(f"\n{label}")
    print(
        f"  {'':6} {'time s':>7} {'page MB':>8} {'mission MB':>11} {'vertices':>10} {'markers':>8} "
        f"{'page B/vertex':>14} {'mission B/vertex':>17} {'mission B/drawn':>16}"
    )
    for name, r in (("ours", a), ("naive", b)):
        print(
            f"  {name:6} {r.seconds:7.2f} {r.page_bytes / 1e6:8.2f} {r.mission_bytes / 1e6:11.2f} "
            f"{r.line_vertices:10,} {r.markers:8,} {r.bytes_per_vertex:14.1f} {r.mission_bytes_per_vertex:17.1f} "
            f"{r.mission_bytes_per_drawn:16.1f}"
        )
    print(
        f"  naive/ours: time {b.seconds / a.seconds:.1f}x, page bytes {b.page_bytes / a.page_bytes:.1f}x, "
        f"mission bytes {b.mission_bytes / a.mission_bytes:.1f}x, vertices {b.line_vertices / a.line_vertices:.1f}x"
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes: check that it runs")
    smoke = parser.parse_args(argv).smoke
    repeat, sorties = (1, 3) if smoke else (3, 1000)
    if not smoke:  # the smoke run draws the synthetic mission only: the same ours/naive/report code
        tu160 = compute_mission(load_mission(TU160))
        report(f"Tu-160 catalogue mission (best of {repeat})", ours(tu160, repeat), naive(tu160, repeat))
    start = time.perf_counter()
    with beyond_limits():  # 1,000 sorties: more than a user's file may hold
        big = compute_mission(parse_mission(synthetic_mission_yaml(sorties), file="synthetic.yaml"))
    print(f"\n(synthetic {sorties:,}-sortie mission computed in {time.perf_counter() - start:.2f} s, not counted)")
    report(f"Synthetic {sorties:,}-sortie mission (one run)", ours(big, 1), naive(big, 1))
    from geodata.countries import basemap_geojson

    basemap = sum(len(ring) for f in basemap_geojson()["features"] for ring in _rings(f["geometry"]))
    print(f"\nThe basemap (in both pages, and in 'page' but not 'mission' figures) draws {basemap:,} vertices.")
    print("mission = page minus the same page with no sorties and no weapons; drawn = line vertices + markers.")
    deviation = COORD_DECIMALS
    print(
        f"\nours: ≤ 1 km from the geodesic (missions.geodesy.TOLERANCE_M), coordinates to 1e-{deviation}°;"
        f" naive: a vertex every {NAIVE_STEP_M / 1000:.0f} km, full float precision."
    )


if __name__ == "__main__":
    main()
