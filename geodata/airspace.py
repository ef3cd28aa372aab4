"""Sovereign airspace as the law draws it, from the embedded Natural Earth land polygons.

A state's airspace is the air over its land, its internal waters and its territorial sea
(Chicago Convention art. 1-2; UNCLOS art. 2). Here, per Natural Earth unit:

1. **Internal waters**: bays whose mouth is at most 24 nm wide are closed by a morphological
   closing of the land with a 12 nm disc (``closing(L) = erode(dilate(L, 12 nm), 12 nm)``: every
   opening of the coast narrower than 24 nm is filled, UNCLOS art. 10(4)), plus the historic bays
   and straight baselines of ``CLOSURES`` (e.g. the White Sea), each sourced.
2. **Territorial sea**: the land and internal waters dilated by the state's breadth of territorial
   airspace: 12 nm (UNCLOS art. 3) unless ``TERRITORIAL_AIRSPACE_NM`` names an exception.

Distances are metres on WGS84: the geometry is cut into ``TILE_DEG`` tiles, each projected with a
pyproj azimuthal-equidistant projection centred on its tile (a buffer of a union is the union of
the buffers, so tiles add no error; a closing is computed on the tile plus ``reach`` and clipped
back). Limits: Natural Earth's coastline (1:10m, ~0.5 km) stands for the official low-water
baselines; straight baselines other than those listed are ignored; where two states' seas
overlap the whole band is kept for each (no median line): see the README.
"""

from __future__ import annotations

import functools
import gzip
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray
from pyproj import Transformer
from pyproj.enums import TransformDirection

from .embedded import PLAN_PATH as PLAN_PATH
from .embedded import SOVEREIGN_PATH as SOVEREIGN_PATH
from .embedded import STRAITS_PATH as STRAITS_PATH

NM_M = 1852.0
#: the default breadth of territorial sea (UNCLOS art. 3), nautical miles
DEFAULT_TERRITORIAL_SEA_NM = 12.0
#: bays whose mouth is at most this wide are internal waters (UNCLOS art. 10(4)), nautical miles
BAY_CLOSING_NM = 24.0
TILE_DEG = 10.0


#: breadth of territorial *airspace* where a state claims other than 12 nm, with the source
TERRITORIAL_AIRSPACE_NM: dict[str, tuple[float, str]] = {
    "GRC": (
        10.0,
        "Greece: 10 nm of airspace (Presidential Decree of 6/18 Sep 1931) over a 6 nm territorial sea "
        "(Law 230/1936); US DoD Maritime Claims Reference Manual, Greece",
    ),
    "GIB": (
        3.0,
        "Gibraltar: 3 nm territorial sea (UK, Territorial Sea Act 1987 as applied); US DoD MCRM, United Kingdom",
    ),
    "JOR": (3.0, "Jordan: 3 nm territorial sea; US DoD Maritime Claims Reference Manual, Jordan"),
}


@dataclass(frozen=True, kw_only=True)
class Closure:
    """A historic bay or straight baseline: the water enclosed by ``line`` and the coast around ``seed``."""

    iso3: str
    name: str
    line: tuple[tuple[float, float], ...]  #: (lon, lat) points of the closing line
    seed: tuple[float, float]  #: (lon, lat) of a point of the enclosed water
    bbox: tuple[float, float, float, float]  #: (west, south, east, north) that holds the enclosed water
    source: str


CLOSURES: tuple[Closure, ...] = (
    Closure(
        iso3="RUS",
        name="White Sea",
        line=((39.78, 68.15), (43.30, 68.66)),  # Cape Svyatoy Nos (Kola) - Cape Kanin Nos
        seed=(38.5, 65.8),
        bbox=(31.0, 63.5, 45.0, 68.8),
        source=(
            "historic internal waters closed by the line Cape Svyatoy Nos - Cape Kanin Nos: USSR Council of "
            "Ministers decree of 15 Jan 1985 (straight baselines, Arctic); US DoD Maritime Claims Reference "
            "Manual, Russia (historic waters: White Sea)"
        ),
    ),
)


@functools.lru_cache(maxsize=256)
def _aeqd(lon0: float, lat0: float) -> Transformer:
    return Transformer.from_crs(
        "EPSG:4326", f"+proj=aeqd +lat_0={lat0} +lon_0={lon0} +datum=WGS84 +units=m", always_xy=True
    )


def _project(geom: shapely.Geometry, lon0: float, lat0: float, inverse: bool = False) -> shapely.Geometry:
    t = _aeqd(lon0, lat0)

    def f(xy: np.ndarray) -> np.ndarray:
        if inverse:
            lon, lat = t.transform(xy[:, 0], xy[:, 1], direction=TransformDirection.INVERSE)
            lon = lon0 + (np.asarray(lon) - lon0 + 180.0) % 360.0 - 180.0
            return np.column_stack([lon, lat])
        x, y = t.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geom, f)


def clip_to_world(geom: shapely.Geometry) -> shapely.Geometry:
    """A geometry with longitudes possibly beyond ±180, cut and shifted back into [-180, 180]."""
    west, _, east, _ = geom.bounds
    if west >= -180 and east <= 180:
        return geom
    parts = []
    for shift in (-360.0, 0.0, 360.0):
        moved = shapely.transform(geom, lambda xy, s=shift: xy + np.array([s, 0.0]))
        parts.append(shapely.clip_by_rect(moved, -180.0, -90.0, 180.0, 90.0))
    return shapely.make_valid(shapely.union_all(parts))


def _tiles(geom: shapely.Geometry) -> list[tuple[float, float, float, float]]:
    west, south, east, north = geom.bounds
    out = []
    for x in np.arange(np.floor(west / TILE_DEG) * TILE_DEG, east, TILE_DEG):
        for y in np.arange(np.floor(south / TILE_DEG) * TILE_DEG, north, TILE_DEG):
            out.append((float(x), float(max(y, -90.0)), float(x + TILE_DEG), float(min(y + TILE_DEG, 90.0))))
    return out


def polygons(geom: shapely.Geometry) -> shapely.Geometry:
    """The polygons of ``geom`` (made valid) as one MultiPolygon: lines and points dropped."""
    parts = [p for p in shapely.get_parts(shapely.make_valid(geom)) if p.geom_type == "Polygon" and not p.is_empty]
    return shapely.MultiPolygon(parts) if parts else shapely.MultiPolygon()


def dilate(geom: shapely.Geometry, distance_m: float, quad_segs: int = 4) -> shapely.Geometry:
    """``geom`` grown by ``distance_m`` on WGS84 (tile by tile in local aeqd projections)."""
    pieces = []
    for x0, y0, x1, y1 in _tiles(geom):
        part = shapely.clip_by_rect(geom, x0, y0, x1, y1)
        if part.is_empty:
            continue
        lon0, lat0 = (x0 + x1) / 2, float(np.clip((y0 + y1) / 2, -85.0, 85.0))
        grown = shapely.buffer(_project(part, lon0, lat0), distance_m, quad_segs=quad_segs)
        pieces.append(clip_to_world(polygons(_project(grown, lon0, lat0, inverse=True))))
    return polygons(shapely.union_all([geom, *pieces]))


def close_bays(geom: shapely.Geometry, radius_m: float) -> shapely.Geometry:
    """Morphological closing with a ``radius_m`` disc: openings narrower than 2 · radius are filled."""
    pieces = []
    reach = (
        2.5 * radius_m / 111_000.0 / max(np.cos(np.radians(min(abs(geom.bounds[1]), abs(geom.bounds[3]), 80))), 0.17)
    )
    for x0, y0, x1, y1 in _tiles(geom):
        part = shapely.clip_by_rect(geom, x0 - reach, y0 - reach, x1 + reach, y1 + reach)
        if part.is_empty:
            continue
        lon0, lat0 = (x0 + x1) / 2, float(np.clip((y0 + y1) / 2, -85.0, 85.0))
        local = _project(part, lon0, lat0)
        closed = shapely.buffer(shapely.buffer(local, radius_m, quad_segs=4), -radius_m, quad_segs=4)
        back = clip_to_world(polygons(_project(closed, lon0, lat0, inverse=True)))
        pieces.append(shapely.clip_by_rect(back, x0, y0, x1, y1))
    return polygons(shapely.union_all([geom, *pieces]))


def closure_water(closure: Closure, land: shapely.Geometry) -> shapely.Geometry:
    """The water enclosed by ``closure.line`` and the coast (the face of the bbox holding the seed)."""
    box = shapely.box(*closure.bbox)
    cut = shapely.buffer(shapely.LineString(closure.line), 1e-4)
    free = shapely.difference(box, shapely.union(land, cut))
    seed = shapely.Point(closure.seed)
    for part in shapely.get_parts(free):
        if part.contains(seed):
            return part
    raise ValueError(f"closure {closure.name}: its seed point is not in the enclosed water")


def territorial_airspace_nm(iso3: str, default_nm: float = DEFAULT_TERRITORIAL_SEA_NM) -> float:
    """Breadth of the territorial airspace of unit ``iso3`` (nm): an exception, else ``default_nm``."""
    return TERRITORIAL_AIRSPACE_NM.get(iso3, (default_nm, ""))[0]


def sovereign_airspace(
    iso3: str, land: shapely.Geometry, territorial_sea_nm: float, grow_m: float = 0.0
) -> shapely.Geometry:
    """Land + internal waters (bays ≤ 24 nm, listed closures) + territorial sea (+ ``grow_m``)."""
    inner = close_bays(land, BAY_CLOSING_NM / 2 * NM_M)
    extra = [closure_water(c, land) for c in CLOSURES if c.iso3 == iso3]
    if extra:
        inner = polygons(shapely.union_all([inner, *extra]))
    distance = territorial_sea_nm * NM_M + grow_m
    return dilate(inner, distance) if distance > 0 else inner


def subdivide(geoms: NDArray[np.object_], max_vertices: int) -> tuple[NDArray[np.object_], NDArray[np.intp]]:
    """Cut polygons in halves (across their longer side) until no piece has over ``max_vertices``.

    Returns the pieces and, for each, the index of the geometry it came from.
    """
    parts, owner = shapely.get_parts(geoms, return_index=True)
    done_geoms, done_owner = [], []
    while len(parts):
        small = shapely.get_num_coordinates(parts) <= max_vertices
        done_geoms.append(parts[small])
        done_owner.append(owner[small])
        parts, owner = parts[~small], owner[~small]
        if not len(parts):
            break
        x0, y0, x1, y1 = shapely.bounds(parts).T
        wide = (x1 - x0) >= (y1 - y0)
        xm, ym = (x0 + x1) / 2, (y0 + y1) / 2
        first = shapely.box(x0, y0, np.where(wide, xm, x1), np.where(wide, y1, ym))
        second = shapely.box(np.where(wide, xm, x0), np.where(wide, y0, ym), x1, y1)
        halves = shapely.intersection(np.concatenate([parts, parts]), np.concatenate([first, second]))
        halves, idx = shapely.get_parts(halves, return_index=True)
        polygon = (shapely.get_type_id(halves) == 3) & ~shapely.is_empty(halves)
        parts, owner = halves[polygon], np.concatenate([owner, owner])[idx[polygon]]
    return np.concatenate(done_geoms), np.concatenate(done_owner).astype(np.intp)


@dataclass(frozen=True, kw_only=True)
class PlanUnit:
    """One unit's planning airspace (see ``build_airspace.py``)."""

    iso3: str
    name: str
    territorial_sea_nm: float
    airspace: shapely.Geometry  #: sovereign airspace grown by ~3.5 km, simplified outward
    outline: shapely.Geometry  #: a coarser outline containing it (the planner's turning points)


def write_plan_airspace(
    rows: list[tuple[str, str, float, shapely.Geometry, shapely.Geometry]], path: Path = PLAN_PATH
) -> None:
    """Write the units as one gzip'd file: a JSON header line, then the WKB blobs it indexes.

    Byte-for-byte reproducible (gzip mtime 0, sorted keys); WKB loads ~20× faster than GeoJSON.
    """
    blobs: list[bytes] = []
    units = []
    at = 0
    for iso3, name, ts_nm, geom, outline in rows:
        entry: dict[str, Any] = {"iso3": iso3, "name": name, "territorial_sea_nm": ts_nm}
        for key, g in (("airspace", geom), ("outline", outline)):
            blob = shapely.to_wkb(g)
            entry[key] = [at, len(blob)]
            blobs.append(blob)
            at += len(blob)
        units.append(entry)
    header = json.dumps({"format": 1, "units": units}, sort_keys=True, separators=(",", ":")).encode("utf-8")
    with gzip.GzipFile(path, "wb", mtime=0) as f:
        f.write(header + b"\n" + b"".join(blobs))


def parse_plan_airspace(data: bytes) -> dict[str, PlanUnit]:
    """Units from the bytes of :func:`write_plan_airspace`'s file (decompressed)."""
    head, _, body = data.partition(b"\n")
    header = json.loads(head)
    units = header["units"]
    spans = [u[k] for u in units for k in ("airspace", "outline")]
    geoms = shapely.from_wkb(np.array([body[a : a + n] for a, n in spans], dtype=object))
    return {
        u["iso3"]: PlanUnit(
            iso3=u["iso3"],
            name=u["name"],
            territorial_sea_nm=float(u["territorial_sea_nm"]),
            airspace=geoms[2 * i],
            outline=geoms[2 * i + 1],
        )
        for i, u in enumerate(units)
    }


@functools.lru_cache(maxsize=2)
def load_plan_airspace(path: Path = PLAN_PATH) -> dict[str, PlanUnit]:
    """The embedded planning airspace (cached: do not modify)."""
    with gzip.open(path, "rb") as f:
        return parse_plan_airspace(f.read())


def load_sovereign_airspace() -> dict[str, PlanUnit]:
    """The embedded sovereign airspace for overflight (``airspace_sovereign.wkb.gz``; cached)."""
    return load_plan_airspace(SOVEREIGN_PATH)


@dataclass(frozen=True, kw_only=True)
class Strait:
    """A strait used for international navigation: a transit corridor (see ``straits.yaml``)."""

    name: str
    line: tuple[tuple[float, float], ...]  #: (lon, lat) centre line
    half_width_m: float

    def corridor(self) -> shapely.Geometry:
        """The corridor polygon: the centre line grown by ``half_width_m`` on WGS84."""
        return dilate(shapely.LineString(self.line), self.half_width_m, quad_segs=8)


def parse_straits(data: dict[str, Any]) -> tuple[Strait, ...]:
    """Straits from the parsed ``straits.yaml``."""
    out = []
    for k, s in enumerate(data.get("straits") or []):
        line = tuple((float(p[0]), float(p[1])) for p in s["line"])
        if len(line) < 2 or not s.get("name"):
            raise ValueError(f"straits[{k}]: a name and a line of at least two points")
        out.append(Strait(name=str(s["name"]), line=line, half_width_m=float(s["half_width_km"]) * 1000.0))
    return tuple(out)


@functools.lru_cache(maxsize=1)
def load_straits() -> tuple[Strait, ...]:
    """The embedded straits (cached)."""
    from geodata.groups import read_yaml

    return parse_straits(read_yaml(STRAITS_PATH))


@functools.lru_cache(maxsize=1)
def transit_corridors() -> shapely.Geometry:
    """The union of the embedded straits' transit corridors (cached, prepared)."""
    corridors = shapely.union_all([_corridor(s) for s in load_straits()])
    shapely.prepare(corridors)
    return corridors


@functools.lru_cache(maxsize=64)
def _corridor(strait: Strait) -> shapely.Geometry:
    return strait.corridor()


def corridors_near(bounds: tuple[float, float, float, float]) -> shapely.Geometry:
    """The union of the corridors of the straits whose centre line lies within ``bounds`` (west,
    south, east, north) grown by a degree: each corridor is built only when first needed (a pyproj
    projection each), not all for the first unit avoided."""
    west, south, east, north = bounds
    near = []
    for s in load_straits():
        xs, ys = [p[0] for p in s.line], [p[1] for p in s.line]
        if min(xs) <= east + 1 and max(xs) >= west - 1 and min(ys) <= north + 1 and max(ys) >= south - 1:
            near.append(_corridor(s))
    return shapely.union_all(near) if near else shapely.Polygon()
