"""Overflight benchmark: 1,000 random legs, ours vs a naive ``geopandas.overlay``, in one run.

Both sides start from the same loaded country polygons (Natural Earth 10m, the fine build) and
the same leg end points, and both densify the legs along the geodesic with the same ≤10 km steps.

- **ours**: :func:`missions.overflight.legs_crossings` — countries cut into ≤128-vertex pieces
  under an STRtree, legs cut into 16-segment chunks, containment shortcut, then ordered stretches
  with entry/exit points and geodesic distances, international waters included. The index is
  built once, before timing (as in the app, where it is cached); its build time is printed too.
- **naive**: ``geopandas.overlay(legs, countries, how="intersection")`` on whole countries and
  whole legs (split at the antimeridian), then ``Geod.geometry_length`` per piece. geopandas
  queries its own STRtree of whole-country boxes against whole-leg boxes, which filters little
  for long legs; there is no subdivision. It only gives a length per (leg, country) — no order,
  no entry/exit, no international waters — so the ratio understates the difference.

The per-(leg, country) distances of both are compared (they must agree within 0.5 %). Each side's
CPU time (``time.process_time``) is printed beside its wall time: on a shared, loaded machine a
half-second wall time swings with the load, the CPU time much less.

Both count the same airspace: by default the sovereign airspace (land, internal waters,
territorial sea: ``geodata/airspace_sovereign.wkb.gz``, the overflight report's default rule; the
naive side overlays each unit's pieces merged into one polygon, merged before timing); with
``--land-only`` the Natural Earth land polygons.

Usage: ``python benchmarks/bench_overflight.py [--legs 1000] [--seed 6] [--land-only] [--smoke]``
(``--smoke``: 10 legs, the countries of a small region (:data:`SMOKE_REGION`) instead of the world's,
and a 3-sortie synthetic mission: checks that it runs)
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from pyproj import Geod
from pyproj.enums import GeodIntermediateFlag

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geodata.countries import load_countries  # noqa: E402
from missions.airspace import index as overflight_index  # noqa: E402
from missions.airspace import overflight  # noqa: E402

GEOD = Geod(ellps="WGS84")
#: the smoke run indexes only the countries whose boxes meet this (south, west, north, east) box (22
#: countries, ~900 pieces, against the world's 8,444): the same code, a fraction of the index's build
SMOKE_REGION = (30.0, 25.0, 45.0, 45.0)


def random_legs(n: int, rng: np.random.Generator, region: tuple[float, float, float, float] | None):
    """``n`` legs with end points uniform on the sphere, or in a (south, west, north, east) box."""
    if region is None:
        lat = np.degrees(np.arcsin(rng.uniform(-1, 1, (2, n))))
        lon = rng.uniform(-180, 180, (2, n))
    else:
        south, west, north, east = region
        lat = np.degrees(np.arcsin(rng.uniform(np.sin(np.radians(south)), np.sin(np.radians(north)), (2, n))))
        lon = rng.uniform(west, east, (2, n))
    return lat[0], lon[0], lat[1], lon[1]


def naive(countries: gpd.GeoDataFrame, lat1, lon1, lat2, lon2) -> dict[tuple[int, str], float]:
    """Geodesic metres per (leg, iso3) by a plain overlay of whole legs with whole countries."""
    lines = []
    for i in range(len(lat1)):
        r = GEOD.inv_intermediate(
            lon1[i],
            lat1[i],
            lon2[i],
            lat2[i],
            del_s=overflight.MAX_STEP_M,
            initial_idx=0,
            terminus_idx=0,
            flags=GeodIntermediateFlag.NPTS_CEIL,
            return_back_azimuth=True,
        )
        lon = np.unwrap(np.frombuffer(r.lons, dtype=np.float64)[: r.npts], period=360.0)
        line = shapely.LineString(np.column_stack([lon, np.frombuffer(r.lats, dtype=np.float64)[: r.npts]]))
        pieces = [
            shapely.clip_by_rect(shapely.transform(line, lambda xy, s=s: xy + np.array([s, 0.0])), -180, -90, 180, 90)
            for s in (-360.0, 0.0, 360.0)
        ]
        lines.append(shapely.union_all([p for p in pieces if not p.is_empty]))
    legs = gpd.GeoDataFrame({"leg": np.arange(len(lines))}, geometry=lines, crs="EPSG:4326")
    pieces = gpd.overlay(legs, countries, how="intersection", keep_geom_type=True)
    lengths = [GEOD.geometry_length(g) for g in pieces.geometry]
    out: dict[tuple[int, str], float] = {}
    for leg, iso3, length in zip(pieces["leg"], pieces["iso3"], lengths, strict=True):
        out[(int(leg), str(iso3))] = out.get((int(leg), str(iso3)), 0.0) + length
    return out


#: the rule timed: None is sovereign airspace (the default), 0.0 land only (``--land-only``)
RULE: list[float | None] = [None]


def sovereign_frame(countries: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Each unit's sovereign airspace as one polygon, for the naive side (merged once, not timed)."""
    from geodata.airspace import load_sovereign_airspace

    units = load_sovereign_airspace()
    geoms = [shapely.union_all(shapely.get_parts(units[c].airspace)) for c in countries["iso3"]]
    return gpd.GeoDataFrame({"iso3": list(countries["iso3"])}, geometry=geoms, crs="EPSG:4326")


def ours(index: overflight_index.CountryIndex, lat1, lon1, lat2, lon2) -> dict[tuple[int, str], float]:
    out: dict[tuple[int, str], float] = {}
    crossings_per_leg = overflight.legs_crossings(lat1, lon1, lat2, lon2, countries=index, territorial_sea_nm=RULE[0])
    for leg, crossings in enumerate(crossings_per_leg):
        for c in crossings:
            if c.iso3 is not None:
                out[(leg, c.iso3)] = out.get((leg, c.iso3), 0.0) + c.distance_m
    return out


def compare(a: dict[tuple[int, str], float], b: dict[tuple[int, str], float]) -> tuple[int, float]:
    """Number of (leg, country) keys that differ by more than 0.5 % (or 1 km), and the total."""
    bad = 0
    for key in set(a) | set(b):
        x, y = a.get(key, 0.0), b.get(key, 0.0)
        if abs(x - y) > max(0.005 * max(x, y), 1_000.0):
            bad += 1
    return bad, sum(a.values())


def run(name: str, countries, index, legs) -> None:
    n_vertices = sum(
        int(np.ceil(d / overflight.MAX_STEP_M)) + 1 for d in GEOD.inv(legs[1], legs[0], legs[3], legs[2])[2]
    )
    t0, c0 = time.perf_counter(), time.process_time()
    mine = ours(index, *legs)
    t1, c1 = time.perf_counter(), time.process_time()
    theirs = naive(countries, *legs)
    t2, c2 = time.perf_counter(), time.process_time()
    bad, total = compare(mine, theirs)
    print(f"{name}: {len(legs[0]):,} legs, ~{n_vertices:,} densified vertices, {total / 1e6:,.1f} Mm over land")
    print(f"  ours (indexed pieces):     {t1 - t0:8.3f} s   (CPU {c1 - c0:.3f} s)")
    print(f"  naive geopandas.overlay:   {t2 - t1:8.3f} s   (CPU {c2 - c1:.3f} s)")
    print(f"  ratio naive / ours:        {(t2 - t1) / (t1 - t0):8.1f} x   (CPU {(c2 - c1) / (c1 - c0):.1f} x)")
    print(f"  (leg, country) lengths differing by > 0.5 %: {bad}")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--legs", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--smoke", action="store_true", help="tiny sizes: check that it runs")
    parser.add_argument("--land-only", action="store_true", help="time the land-only rule (default: sovereign)")
    args = parser.parse_args(argv)
    RULE[0] = 0.0 if args.land_only else None
    if args.smoke:
        args.legs = 10
    t = time.perf_counter()
    countries = load_countries("fine")
    if args.smoke:
        south, west, north, east = SMOKE_REGION
        countries = countries.cx[west:east, south:north]
    t_load = time.perf_counter() - t
    t = time.perf_counter()
    index = overflight_index.CountryIndex.from_frame(countries)
    t_index = time.perf_counter() - t
    print(f"load fine countries: {t_load:.3f} s; build index ({len(index.pieces):,} pieces): {t_index:.3f} s")
    if RULE[0] is None:
        from missions.airspace.sovereign import sovereign_pieces

        t = time.perf_counter()
        pieces = sovereign_pieces(index)
        print(f"sovereign airspace ({len(pieces.pieces):,} pieces) loaded: {time.perf_counter() - t:.3f} s")
        countries = sovereign_frame(countries)
    else:
        print("rule: land only")
    rng = np.random.default_rng(args.seed)
    run("global (end points uniform on the sphere)", countries, index, random_legs(args.legs, rng, None))
    europe_middle_east = (20.0, -20.0, 70.0, 70.0)
    run("regional (Europe / Middle East box)", countries, index, random_legs(args.legs, rng, europe_middle_east))
    missions_overflight(countries, index, 3 if args.smoke else 1000)


def _mission_legs(results) -> list[np.ndarray]:
    """Every sortie leg and weapon track leg of computed missions, as (lat1, lon1, lat2, lon2) arrays."""
    rows = [
        (leg.start.point.lat_deg, leg.start.point.lon_deg, leg.end.point.lat_deg, leg.end.point.lon_deg)
        for r in results
        for s in r.sorties
        for leg in s.legs
    ]
    for r in results:
        for t in r.weapons:
            points = [(p.lat_deg, p.lon_deg) for p in (t.origin, *t.launch.via, t.target)]
            rows += [(*a, *b) for a, b in itertools.pairwise(points) if a != b]
    return list(np.array(rows, dtype=np.float64).T)


def missions_overflight(countries, index, sorties: int = 1000) -> None:
    """The catalogue with mission_airspace (times, merging, avoid) and a synthetic mission."""
    from synthetic import beyond_limits, synthetic_mission_yaml

    from missions.airspace import crossings_cache, mission_airspace
    from missions.analysis import compute_mission
    from missions.parsing import load_mission, parse_mission

    # time the computation: the crossings of a mission computed before would otherwise be read back
    # from the results cache (missions.airspace.crossings_cache); without a source version it is bypassed
    crossings_cache._source = lambda: None

    catalogue = [compute_mission(load_mission(p)) for p in sorted((ROOT / "missions" / "catalog").glob("*.yaml"))]
    loaded = overflight_index._default_index()  # loaded (from the disk cache) before timing, like the data
    if RULE[0] is None:
        from missions.airspace.sovereign import sovereign_pieces

        sovereign_pieces(loaded)
    t0 = time.perf_counter()
    for result in catalogue:
        mission_airspace(result, territorial_sea_nm=RULE[0])
    t1 = time.perf_counter()
    print(
        f"catalogue ({len(catalogue)} missions, mission_airspace): {t1 - t0:.3f} s "
        "after the data is loaded (goal < 1 s)"
    )
    with beyond_limits():  # 1,000 sorties: more than a user's file may hold
        synthetic = compute_mission(parse_mission(synthetic_mission_yaml(sorties)))
    t0 = time.perf_counter()
    mission_airspace(synthetic, territorial_sea_nm=RULE[0])
    t1 = time.perf_counter()
    print(f"synthetic {sorties:,}-sortie mission, mission_airspace: {t1 - t0:.3f} s")
    run(f"synthetic {sorties:,}-sortie mission, legs only", countries, index, _mission_legs([synthetic]))


if __name__ == "__main__":
    main()
