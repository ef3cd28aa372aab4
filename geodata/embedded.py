"""The embedded data files, by path only: importing this module reads nothing and imports nothing heavy.

:mod:`geodata.countries` and :mod:`geodata.airspace` read them; the caches built from them name
their versions (:func:`missions.checkedcache.file_version`) without importing those readers.
"""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).parent

#: Natural Earth admin-0 10m countries (GeoJSON, gzipped): the country index's polygons
FINE_PATH = _HERE / "countries_fine.geojson.gz"
#: the simplified countries the map draws
BASEMAP_PATH = _HERE / "countries_basemap.geojson"
#: each unit's land, internal waters and territorial sea, for planning routes (WKB, gzipped)
PLAN_PATH = _HERE / "airspace_plan.wkb.gz"
#: each unit's sovereign airspace, for overflight (WKB, gzipped)
SOVEREIGN_PATH = _HERE / "airspace_sovereign.wkb.gz"
#: the straits' transit corridors
STRAITS_PATH = _HERE / "straits.yaml"
