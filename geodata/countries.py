"""Embedded Natural Earth admin-0 country polygons (public domain), read offline.

Two builds of the same source (see ``PROVENANCE.md`` and ``build_countries.py``):

- ``"fine"`` (``countries_fine.geojson.gz``): for overflight analysis; shared borders simplified
  at 0.005° (≈500 m) with topology kept, coordinates rounded to 1e-4° (≈11 m).
- ``"basemap"`` (``countries_basemap.geojson``): for drawing; simplified at 0.05°, coordinates
  rounded to 1e-3°, no polygon wider than 180° of longitude (safe to hand to Leaflet as is).

Both have one row per Natural Earth admin-0 unit (250) with ``iso3`` (Natural Earth ``ADM0_A3``,
which equals ISO 3166-1 alpha-3 for sovereign states, and has codes such as ``KOS`` or ``SAH``
where ISO has none) and ``name`` (English), in EPSG:4326 (lon, lat).
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import TYPE_CHECKING

from .embedded import BASEMAP_PATH as BASEMAP_PATH
from .embedded import FINE_PATH as FINE_PATH

if TYPE_CHECKING:  # geopandas (~0.5 s to import) is imported where a frame is read
    import geopandas as gpd

_PATHS = {"fine": FINE_PATH, "basemap": BASEMAP_PATH}


def read_countries(path: Path) -> gpd.GeoDataFrame:
    """Read one embedded countries file (``.geojson`` or ``.geojson.gz``) as ``iso3, name, geometry``."""
    import geopandas as gpd

    source = f"/vsigzip/{path}" if path.suffix == ".gz" else str(path)
    frame = gpd.read_file(source, engine="pyogrio")
    frame = frame[["iso3", "name", "geometry"]].set_crs("EPSG:4326", allow_override=True)
    return frame


def load_countries(detail: str = "fine") -> gpd.GeoDataFrame:
    """The country polygons at ``detail`` ``"fine"`` (analysis) or ``"basemap"`` (drawing).

    Cached: every call returns the same frame, so do not modify it (copy it first).

    >>> countries = load_countries()
    >>> countries.crs.to_epsg(), list(countries.columns)
    (4326, ['iso3', 'name', 'geometry'])
    >>> countries.set_index("iso3").loc["NOR", "name"]
    'Norway'
    """
    if detail not in _PATHS:
        raise ValueError(f"detail must be one of {sorted(_PATHS)}, not {detail!r}")
    return _load_cached(detail)


@functools.lru_cache(maxsize=len(_PATHS))
def _load_cached(detail: str) -> gpd.GeoDataFrame:
    return read_countries(_PATHS[detail])


@functools.lru_cache(maxsize=1)
def basemap_geojson() -> dict:
    """The basemap as a GeoJSON FeatureCollection (properties ``iso3`` and ``name``).

    Cached: every call returns the same dict, so do not modify it.
    """
    return json.loads(BASEMAP_PATH.read_text(encoding="utf-8"))
