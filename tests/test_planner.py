"""The route planner (missions/airspace/planner.py, obstacles.py, plan.py) and its airspace data."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest
import shapely
from pyproj import Geod

from geodata.airspace import load_straits
from geodata.countries import load_countries
from missions.airspace import legs_crossings
from missions.airspace.groups import resolve_avoid
from missions.airspace.obstacles import build_obstacles, unit_airspace
from missions.airspace.plan import PlannedRoute, plan_route
from missions.airspace.planner import edges_clear, plan_leg
from missions.errors import PlaceError

GEOD = Geod(ellps="WGS84")
NM_M = 1852.0
NOV_2015 = dt.date(2015, 11, 20)
LONDON, TRIPOLI = "51.5, -0.12", "32.9, 13.2"
JUNE_2021 = dt.date(2021, 6, 1)


def route_arrays(route: PlannedRoute) -> tuple[np.ndarray, np.ndarray]:
    return np.array([p.lat_deg for p in route.points]), np.array([p.lon_deg for p in route.points])


def nearest_land_m(land: shapely.Geometry, lat_deg: float, lon_deg: float) -> float:
    coast = shapely.clip_by_rect(land.boundary, lon_deg - 2, lat_deg - 1.5, lon_deg + 2, lat_deg + 1.5)
    xy = shapely.get_coordinates(shapely.segmentize(coast, 0.002))
    n = len(xy)
    return float(GEOD.inv(np.full(n, lon_deg), np.full(n, lat_deg), xy[:, 0], xy[:, 1])[2].min())


# ---- the data: sovereign airspace, straits ---------------------------------------------------


def test_straits__corridors_stay_off_all_land() -> None:
    land = load_countries("fine")
    tree = shapely.STRtree(land.geometry.values)
    for strait in load_straits():
        assert len(tree.query(strait.corridor(), predicate="intersects")) == 0, strait.name


@pytest.mark.parametrize(
    ("iso3", "lat", "lon", "what"),
    [
        ("RUS", 65.8, 38.5, "the White Sea (historic bay, closed Svyatoy Nos - Kanin Nos)"),
        ("RUS", 66.3, 37.0, "the White Sea's Kandalaksha arm"),
        ("USA", 40.65, -74.05, "New York harbour (Upper Bay)"),
        ("USA", 37.5, -76.1, "Chesapeake Bay (mouth < 24 nm)"),
    ],
)
def test_sovereign_airspace__internal_waters_are_the_states(iso3: str, lat: float, lon: float, what: str) -> None:
    assert unit_airspace(iso3, None).contains(shapely.Point(lon, lat)), what


@pytest.mark.parametrize(("iso3", "lat", "lon", "limit_nm"), [("GRC", 34.95, 24.9, 10.0), ("ITA", 36.6, 15.0, 12.0)])
def test_sovereign_airspace__breadth_per_country(iso3: str, lat: float, lon: float, limit_nm: float) -> None:
    """South from Crete (Greece: 10 nm of airspace) and Sicily (12 nm): in within the breadth, out
    beyond it plus the planning margin (grown 3.5 km, simplified at ≤ 2.2 km)."""
    land = load_countries("fine").set_index("iso3").loc[iso3, "geometry"]
    airspace = unit_airspace(iso3, None)
    seen_in = seen_out = 0
    for step in np.arange(0.0, 0.6, 0.01):
        d_nm = nearest_land_m(land, lat - step, lon) / NM_M
        inside = airspace.contains(shapely.Point(lon, lat - step))
        if d_nm <= limit_nm - 0.3:
            assert inside, (lat - step, d_nm)
            seen_in += 1
        elif d_nm >= limit_nm + 3.2:
            assert not inside, (lat - step, d_nm)
            seen_out += 1
    assert seen_in and seen_out


# ---- the planner ---------------------------------------------------------------------------


def test_plan_route__nothing_avoided_is_the_direct_geodesic() -> None:
    route = plan_route("Olenya", "Eastern Mediterranean")
    assert [p.planned for p in route.points] == [False, False]
    assert route.distance_m == pytest.approx(route.direct_m) and route.excess == 0.0


def assert_stays_out(route: PlannedRoute) -> None:
    """The overflight report's sovereign airspace (the default rule), ≤ 10 km steps: no avoided
    country entered outside a transit corridor."""
    lat, lon = route_arrays(route)
    crossings = legs_crossings(lat[:-1], lon[:-1], lat[1:], lon[1:])
    corridors = shapely.union_all([s.corridor() for s in load_straits()]) if route.transit else shapely.Polygon()
    for leg in crossings:
        for c in leg:
            if c.iso3 in route.avoid.codes:
                mid = shapely.Point(c.entry_lon_deg, c.entry_lat_deg), shapely.Point(c.exit_lon_deg, c.exit_lat_deg)
                assert all(corridors.dwithin(p, 0.01) for p in mid), c


def test_plan_route__britain_to_libya_avoiding_the_eu_goes_through_gibraltar() -> None:
    """After Brexit, the EU closes every way across Europe: round Iberia, through the Strait."""
    route = plan_route(LONDON, TRIPOLI, avoid="EU", day=JUNE_2021)
    lat, lon = route_arrays(route)
    crossing = np.flatnonzero((lon[:-1] < -5.5) & (lon[1:] >= -5.5))
    assert len(crossing) == 1
    k = crossing[0]
    lat_at = np.interp(-5.5, [lon[k], lon[k + 1]], [lat[k], lat[k + 1]])
    assert 35.0 < lat_at < 36.2  # between Morocco and Spain
    assert 3_900_000 < route.distance_m < 4_300_000
    assert_stays_out(route)


def test_plan_route__britain_to_libya_avoiding_france_and_spain_goes_east_of_france() -> None:
    """Only FRA and ESP: the shortest way is over Belgium, Germany, Switzerland and Italy (+8.0 %)."""
    route = plan_route(LONDON, TRIPOLI, avoid="FRA,ESP")
    _, lon = route_arrays(route)
    assert lon.min() > -1.0 and route.excess < 0.12
    assert_stays_out(route)


def test_plan_route__tu160_olenya_to_eastern_med_avoiding_nato_and_neutrals_goes_west_of_britain() -> None:
    """NATO of November 2015 plus Sweden and Finland, via Gibraltar: round Norway, west of Great
    Britain (over Ireland, not NATO), down Portugal's coast, through the Strait."""
    route = plan_route(
        "Olenya", "Eastern Mediterranean", via=["Strait of Gibraltar"], avoid="NATO,SWE,FIN", day=NOV_2015
    )
    lat, lon = route_arrays(route)
    at_55 = [
        np.interp(55.0, lat[k : k + 2][::-1], lon[k : k + 2][::-1])
        for k in range(len(lat) - 1)
        if min(lat[k], lat[k + 1]) < 55 < max(lat[k], lat[k + 1])
    ]
    assert at_55 and max(at_55) < -6.0  # west of Great Britain at 55° N
    assert lat.max() > 71.0  # round the North Cape
    assert 8_500_000 < route.distance_m < 9_300_000


def test_plan_route__olenya_to_eastern_med_avoiding_only_nato_goes_over_russia_and_iran() -> None:
    route = plan_route("Olenya", "Eastern Mediterranean", avoid="NATO", day=NOV_2015)
    _, lon = route_arrays(route)
    assert lon.max() > 44.0 and route.distance_m < 4_800_000


def test_plan_route__transpacific_avoiding_the_usa_crosses_the_antimeridian() -> None:
    """Vladivostok to Vancouver: the geodesic crosses the Aleutians; the route passes south of them."""
    route = plan_route("43.1, 131.9", "49.3, -123.1", avoid="USA")
    lat, lon = route_arrays(route)
    assert np.any(np.abs(np.diff(lon)) > 180.0)  # a leg across ±180°
    assert np.any(lat[1:-1] < 53.0)
    assert route.excess < 0.05
    assert all(edges_clear(build_obstacles(route.avoid.codes), lat[:-1], lon[:-1], lat[1:], lon[1:]))


def test_plan_leg__is_locally_taut() -> None:
    """Moving any turning point 20 km in any direction, staying legal, does not shorten the route
    (by more than the outline's slack, 0.05 %)."""
    route = plan_route(LONDON, TRIPOLI, avoid="EU", day=JUNE_2021)
    obstacles = build_obstacles(route.avoid.codes)
    lat, lon = route_arrays(route)
    for k in np.flatnonzero([p.planned for p in route.points]):
        for az in range(0, 360, 45):
            lo, la, _ = GEOD.fwd(lon[k], lat[k], az, 20_000.0)
            lat2, lon2 = lat.copy(), lon.copy()
            lat2[k], lon2[k] = la, lo
            if obstacles.containing(la, lo) is not None:
                continue
            if not all(
                edges_clear(obstacles, lat2[k - 1 : k + 1], lon2[k - 1 : k + 1], lat2[k : k + 2], lon2[k : k + 2])
            ):
                continue
            length = GEOD.line_length(lon2, lat2)
            assert length >= route.distance_m * (1 - 5e-4), (k, az)


def grid_shortest_m(
    codes: tuple[str, ...], pairs: list[tuple[int, int]], box: tuple[float, float, float, float], step: float
) -> tuple[np.ndarray, np.ndarray, list[float]]:
    """Brute force: a (lon, lat) grid with 16 neighbours; an edge counts if its straight segment
    enters no obstacle; Dijkstra (scipy) on geodesic lengths."""
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import dijkstra

    obstacles = build_obstacles(codes)
    west, south, east, north = box
    lons = np.arange(west, east + 1e-9, step)
    lats = np.arange(south, north + 1e-9, step)
    gx, gy = np.meshgrid(lons, lats)
    ny, nx = gx.shape
    free = np.ones(gx.size, dtype=bool)
    hit, _ = obstacles.tree.query(shapely.points(gx.ravel(), gy.ravel()), predicate="intersects")
    free[hit] = False
    rows, cols = [], []
    for dx, dy in [(1, 0), (0, 1), (1, 1), (1, -1), (1, 2), (2, 1), (1, -2), (2, -1)]:
        iy, ix = np.mgrid[0:ny, 0:nx]
        jy, jx = iy + dy, ix + dx
        ok = (jy >= 0) & (jy < ny) & (jx < nx)
        a = (iy * nx + ix)[ok]
        b = (jy * nx + jx)[ok]
        rows.append(a)
        cols.append(b)
    a, b = np.concatenate(rows), np.concatenate(cols)
    keep = free[a] & free[b]
    a, b = a[keep], b[keep]
    segs = shapely.linestrings(
        np.stack(
            [np.column_stack([gx.ravel()[a], gy.ravel()[a]]), np.column_stack([gx.ravel()[b], gy.ravel()[b]])], axis=1
        )
    )
    blocked, _ = obstacles.tree.query(segs, predicate="intersects")
    ok = np.ones(len(a), dtype=bool)
    ok[blocked] = False
    a, b = a[ok], b[ok]
    w = GEOD.inv(gx.ravel()[a], gy.ravel()[a], gx.ravel()[b], gy.ravel()[b])[2]
    graph = csr_matrix(
        (np.concatenate([w, w]), (np.concatenate([a, b]), np.concatenate([b, a]))), shape=(gx.size, gx.size)
    )
    out = []
    for s, t in pairs:
        out.append(float(dijkstra(graph, indices=s)[t]))
    return gx.ravel(), gy.ravel(), out


def test_plan_leg__no_longer_than_a_brute_force_grid_on_20_random_pairs() -> None:
    """Western Mediterranean, avoiding France, Italy, Spain and Tunisia (islands, narrows): the
    planner is never more than 1 % longer than a 0.1° grid search with 16 neighbours."""
    codes = resolve_avoid("FRA,ITA,ESP,TUN", None).codes
    box = (1.0, 36.5, 16.0, 44.0)
    obstacles = build_obstacles(codes)
    rng = np.random.default_rng(10)
    lons = np.arange(box[0], box[2] + 1e-9, 0.1)
    lats = np.arange(box[1], box[3] + 1e-9, 0.1)
    nx = len(lons)
    pairs: list[tuple[int, int]] = []
    while len(pairs) < 20:
        i, j = rng.integers(0, nx * len(lats), size=2)
        pts = [(lats[i // nx], lons[i % nx]), (lats[j // nx], lons[j % nx])]
        if (
            all(obstacles.containing(la, lo) is None for la, lo in pts)
            and GEOD.inv(pts[0][1], pts[0][0], pts[1][1], pts[1][0])[2] > 300_000
        ):
            pairs.append((int(i), int(j)))
    gx, gy, grid = grid_shortest_m(codes, pairs, box, 0.1)
    compared = 0
    for (i, j), best in zip(pairs, grid, strict=True):
        leg = plan_leg(obstacles, gy[i], gx[i], gy[j], gx[j])
        if np.isfinite(best):
            assert leg.distance_m <= best * 1.01, (gy[i], gx[i], gy[j], gx[j], leg.distance_m, best)
            compared += 1
    assert compared >= 15  # the grid (confined to its box) finds a way for most pairs


# ---- bad input ------------------------------------------------------------------------------


def test_plan_route__start_inside_avoided_airspace_names_it() -> None:
    with pytest.raises(PlaceError) as err:
        plan_route("Olenya", "Eastern Mediterranean", avoid="RUS")
    assert err.value.one_line().startswith("from: Olenya air base (68.1517, 33.4700) lies in avoided airspace (RUS)")


def test_plan_route__no_permitted_route() -> None:
    """Bern, Switzerland, walled in by the EU (2021) and Liechtenstein."""
    with pytest.raises(PlaceError) as err:
        plan_route("46.95, 7.45", LONDON, avoid="EU,LIE", day=JUNE_2021)
    assert "no permitted route" in err.value.one_line() and err.value.field == "to"


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """``python -m missions plan ARGS`` through the CLI's ``main``, in this process (the README's plan
    commands, as written under ``unshare -n``, are run by ``test_readme_commands``): status, stdout, stderr."""
    from missions.__main__ import main

    capsys.readouterr()
    try:
        status = main(["plan", *args])
    except SystemExit as exc:  # argparse's errors
        status = int(exc.code or 0)
    out, err = capsys.readouterr()
    return status, out, err


def test_cli_plan__as_the_readme_writes_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "planned.yaml"
    status, stdout, stderr = run_cli(
        capsys, LONDON, TRIPOLI, "--avoid", "EU", "--date", "2021-06-01", "-o", str(out), "--claim", "5000"
    )
    assert status == 0, stderr
    assert stdout.startswith("shortest route avoiding EU (2021-06-01): 4,")
    assert "the claimed 5,000 km is" in stdout
    from missions.parsing import parse_mission

    text = out.read_text()
    mission = parse_mission(
        "name: t\nsorties:\n  - name: s\n    aircraft: Tu-160\n    takeoff: 2021-06-01T00:00:00Z\n    speed: 900 km/h\n"
        + "\n".join("    " + line for line in text.splitlines())
    )
    assert [w.point.name for w in mission.sorties[0].route][1] == "planned 1"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["Olenya", "Eastern Mediterranean", "--avoid", "NATTO", "--date", "2015-11-20"],
            "avoid: unknown country code or group 'NATTO'",
        ),
        (
            ["Olenya", "Eastern Mediterranean", "--avoid", "EU", "--date", "1980-01-01"],
            "avoid: EU did not exist on 1980-01-01",
        ),
        (
            ["Olenya", "Eastern Mediterranean", "--avoid", "NATO", "--date", "2015-11-20", "--via", "Paris"],
            "via[0]: Paris",
        ),
        # Lesotho, walled in by South Africa (Bern walled in by the EU is test_plan_route__no_permitted_route)
        ([LONDON, "-29.6, 28.3", "--avoid", "ZAF"], "to: no permitted route"),
        (["Olenya", "Nowhere-at-all"], "to: unknown place"),
    ],
)
def test_cli_plan__bad_input_one_line_exit_2(args: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, stderr = run_cli(capsys, *args)
    assert status == 2
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], stderr


def test_plan_route__no_transit_closes_the_strait_of_gibraltar() -> None:
    with pytest.raises(PlaceError) as err:
        plan_route(
            "Olenya",
            "Eastern Mediterranean",
            via=["Strait of Gibraltar"],
            avoid="NATO,MAR",
            day=NOV_2015,
            transit=False,
        )
    assert err.value.field == "via[0]" and err.value.message.endswith(
        ("in avoided airspace (ESP)", "in avoided airspace (MAR)")
    )


def test_unit_airspace__territorial_sea_option_narrows_the_band() -> None:
    """6 nm south of Sicily's coast at 14.5° E: Italian at 12 nm (default), not at --territorial-sea 3."""
    land = load_countries("fine").set_index("iso3").loc["ITA", "geometry"]
    lat = 36.68
    while nearest_land_m(land, lat, 14.5) < 6 * NM_M:
        lat -= 0.01
    point = shapely.Point(14.5, lat)
    assert unit_airspace("ITA", None).contains(point)
    assert not unit_airspace("ITA", 3.0).contains(point)
