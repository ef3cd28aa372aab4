"""Polygons built on demand and found through tiles (missions/airspace/tiles.py) against brute force
over every piece and against an STRtree of all of them: the same pieces, the same crossings."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from missions.airspace import CountryIndex, country_index
from missions.airspace.edgeclip import clip_legs
from missions.airspace.index import pack_polygons
from missions.airspace.overflight import legs_crossings
from missions.airspace.sovereign import SovereignPieces, sovereign_pieces
from missions.airspace.tiles import LazyPolygons, take_polygons
from missions.checkedblocks import BlockArray, load_arrays_lazily
from missions.checkedcache import save_arrays

PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


class Both:
    """The same pieces twice: built in full under an STRtree, and lazy, found through their tiles, their
    coordinates read from a cache file by checked blocks."""

    def __init__(self, geoms: np.ndarray, path: Path) -> None:
        self.full = np.asarray(geoms, dtype=object)
        self.tree = shapely.STRtree(self.full)
        self.bounds = shapely.bounds(self.full)
        self.path = path
        save_arrays(path, pack_polygons(self.full, "p", tiled=True), source="test", blocked=("p_xy",))

    def lazy(self) -> LazyPolygons:
        data = load_arrays_lazily(self.path, source="test", lazy=("p_xy",))
        assert isinstance(data, dict) and isinstance(data["p_xy"], BlockArray)
        return LazyPolygons(data, "p", tiled=True)


@pytest.fixture(scope="module")
def index() -> CountryIndex:
    return country_index()


@pytest.fixture(scope="module")
def sovereign(index: CountryIndex) -> SovereignPieces:
    return sovereign_pieces(index)


@pytest.fixture(scope="module")
def both(sovereign: SovereignPieces, tmp_path_factory: pytest.TempPathFactory) -> Both:
    return Both(np.asarray(sovereign.pieces), tmp_path_factory.mktemp("tiles") / "pieces.npz")


def _read_anew() -> CountryIndex:
    """The default index read anew from its cache file (the ``index`` fixture built it, if need be)."""
    from missions.airspace import index as index_module

    source = index_module._cache_source()
    path = index_module._cache_path(source)
    assert source is not None and path is not None and path.exists()
    fresh = index_module.load_index(path, source=source)
    assert isinstance(fresh, CountryIndex)
    return fresh


def _brute_force(bounds: np.ndarray, boxes: np.ndarray) -> set[tuple[int, int]]:
    q, g = np.nonzero(
        (bounds[None, :, 0] <= boxes[:, None, 2])
        & (bounds[None, :, 2] >= boxes[:, None, 0])
        & (bounds[None, :, 1] <= boxes[:, None, 3])
        & (bounds[None, :, 3] >= boxes[:, None, 1])
    )
    return set(zip(q.tolist(), g.tolist(), strict=True))


boxes = st.lists(
    st.tuples(
        st.floats(-200.0, 200.0),  # west: boxes of legs reaching past ±180°
        st.floats(-90.0, 90.0),  # south
        st.sampled_from([0.0, 0.01, 0.5, 3.0, 25.0, 360.0]),  # width, degrees (360: a chunk by a pole)
        st.sampled_from([0.0, 0.01, 0.5, 3.0, 25.0, 180.0]),  # height
    ),
    min_size=1,
    max_size=12,
)


@PROPERTY
@given(boxes=boxes)
def test_candidates__equal_brute_force_and_strtree(both: Both, boxes: list[tuple[float, float, float, float]]):
    """The pieces whose box meets a query box, found through the tiles, are those a test of every
    piece's box finds, and those an STRtree of all the pieces finds."""
    b = np.array([(w, s, w + dw, min(s + dh, 90.0)) for w, s, dw, dh in boxes])
    lazy = both.lazy()
    q, g = lazy.candidates(b)
    found = set(zip(q.tolist(), g.tolist(), strict=True))
    assert found == _brute_force(both.bounds, b)
    tq, tg = both.tree.query(shapely.box(b[:, 0], b[:, 1], b[:, 2], b[:, 3]))
    assert found == set(zip(tq.tolist(), tg.tolist(), strict=True))
    assert np.array_equal(np.lexsort((g, q)), np.arange(len(q)))  # sorted by box, then piece
    assert lazy.built == 0  # boxes alone build nothing


def test_candidates__at_the_poles_and_the_antimeridian(both: Both):
    """Known corners of the grid: boxes touching ±180° and ±90° exactly (closed boxes, as GEOS's)."""
    b = np.array([[179.5, 50.0, 180.0, 72.0], [-180.0, 50.0, -179.5, 72.0], [-180.0, -90.0, 180.0, -85.0],
                  [-180.0, 85.0, 180.0, 90.0], [180.0, -90.0, 180.0, 90.0], [-185.0, 60.0, -180.0, 70.0]])  # fmt: skip
    q, g = both.lazy().candidates(b)
    assert set(zip(q.tolist(), g.tolist(), strict=True)) == _brute_force(both.bounds, b)
    assert set(q.tolist()) >= {0, 1, 2}  # Russia and the US meet the date line; Antarctica's pieces the pole


@PROPERTY
@given(
    lon=st.lists(st.floats(-180.0, 180.0), min_size=1, max_size=30),
    lat=st.lists(st.floats(-90.0, 90.0), min_size=1, max_size=30),
)
def test_query__points_intersects_equal_strtree(both: Both, lon: list[float], lat: list[float]):
    """Points (random, and vertices of pieces, on their edges) meet the same pieces as by the STRtree."""
    n = min(len(lon), len(lat))
    vertices = shapely.get_coordinates(both.full[:: max(1, len(both.full) // 7)])[::97]
    x = np.concatenate([lon[:n], vertices[:, 0]])
    y = np.concatenate([lat[:n], vertices[:, 1]])
    points = shapely.points(x, y)
    lazy = both.lazy()
    q, g = lazy.query(points, predicate="intersects")
    tq, tg = both.tree.query(points, predicate="intersects")
    assert set(zip(q.tolist(), g.tolist(), strict=True)) == set(zip(tq.tolist(), tg.tolist(), strict=True))
    assert lazy.built <= len(set(g.tolist())) + len(q) * 50  # only candidates' pieces were built
    one = lazy.query(points[-1], predicate="intersects")  # one geometry: piece indices, as STRtree's
    assert set(one.tolist()) == set(both.tree.query(points[-1], predicate="intersects").tolist())


@PROPERTY
@given(ids=st.lists(st.integers(0, 2730), min_size=1, max_size=20))
def test_take_polygons__equal_the_whole_array(both: Both, ids: list[int]):
    """Polygons built alone from the ragged arrays equal the pieces they were packed from, exactly."""
    lazy = both.lazy()
    got = lazy[np.array(ids)]
    assert np.all(shapely.equals_exact(got, both.full[ids], tolerance=0.0))
    assert np.array_equal(shapely.get_type_id(got), shapely.get_type_id(both.full[ids]))
    assert lazy.built == len(set(ids))


def test_take_polygons__multipolygons_and_polygons_mixed():
    """A mixed array (a Polygon beside MultiPolygons, holes) round-trips by subsets."""
    square = shapely.box(0, 0, 1, 1)
    holed = shapely.Polygon([(0, 0), (4, 0), (4, 4), (0, 4)], [[(1, 1), (2, 1), (2, 2), (1, 2)]])
    multi = shapely.MultiPolygon([shapely.box(5, 5, 6, 6), holed])
    geoms = np.array([square, multi, holed, shapely.MultiPolygon([square])], dtype=object)
    kind, xy, offsets = shapely.to_ragged_array(geoms)
    whole = shapely.from_ragged_array(kind, xy, offsets)  # every one a MultiPolygon
    for ids in ([0], [1], [2, 3], [0, 1, 3]):
        got = take_polygons(xy, offsets, kind, np.array(ids))
        assert np.all(shapely.equals_exact(got, whole[ids], tolerance=0.0))
    lazy = LazyPolygons(pack_polygons(geoms, "g", tiled=True), "g", tiled=True)
    assert [g.geom_type for g in lazy] == ["Polygon", "MultiPolygon", "Polygon", "MultiPolygon"]


legs = st.tuples(st.floats(-89.5, 89.5), st.floats(-180.0, 180.0), st.floats(-89.5, 89.5), st.floats(-180.0, 180.0))
#: legs across the antimeridian, over or by the poles, along it
KNOWN_LEGS = np.array([
    (65.0, 170.0, 66.0, -170.0), (-17.0, 178.0, -8.0, -179.0), (70.0, 30.0, 89.5, 100.0),
    (-70.0, 0.0, -89.0, 120.0), (80.0, 179.0, 85.0, -179.0), (64.5, -170.0, 68.0, 178.0),
    (60.0, 180.0, 72.0, 180.0), (51.0, -179.9, 52.0, 179.9), (89.9, 0.0, 89.9, 180.0),
]).T  # fmt: skip


@PROPERTY
@given(random=st.lists(legs, min_size=1, max_size=6))
def test_clip_legs__same_through_tiles(both: Both, random: list[tuple[float, float, float, float]]):
    """Random legs, and legs across the antimeridian and by the poles, are clipped to the same stretches
    of the same pieces through the tiles as through an STRtree of every piece."""
    lat1, lon1, lat2, lon2 = (
        np.concatenate([np.array(v), k]) for v, k in zip(zip(*random, strict=True), KNOWN_LEGS, strict=True)
    )
    full, _ = clip_legs(lat1, lon1, lat2, lon2, both.tree, both.full)
    lazy = both.lazy()
    tiled, _ = clip_legs(lat1, lon1, lat2, lon2, lazy, lazy)
    # the same stretches (a stretch's middle in several pieces: the STRtree lists them in its own order)
    rows = [np.column_stack([r.leg, r.country, r.start_m, r.end_m]) for r in (full, tiled)]
    a, b = (r[np.lexsort(r.T[::-1])] for r in rows)
    assert np.array_equal(a, b)


def test_legs_crossings__same_through_tiles(index: CountryIndex, monkeypatch):
    """The crossings (countries, entry and exit points, metres) of legs across the antimeridian and by
    the poles, under the sovereign and land-only rules, are the same with the cached index (pieces built on demand and
    found through tiles) as with every piece built under STRtrees."""
    from missions.airspace import sovereign as sovereign_module

    index = _read_anew()  # the default index, read from its cache
    assert isinstance(index.pieces, LazyPolygons)
    sovereign = sovereign_pieces(index)
    pieces = np.asarray(index.pieces)
    full = CountryIndex(iso3=index.iso3, name=index.name, land=np.asarray(index.land),
                        piece_country=index.piece_country, pieces=pieces, tree=shapely.STRtree(pieces))  # fmt: skip
    sov = np.asarray(sovereign.pieces)
    full_sov = SovereignPieces(pieces=sov, piece_country=sovereign.piece_country, tree=shapely.STRtree(sov),
                               whole=np.asarray(sovereign.whole))  # fmt: skip
    known = sovereign_module.sovereign_pieces
    monkeypatch.setattr(sovereign_module, "sovereign_pieces", lambda i: full_sov if i is full else known(i))
    for rule in (None, 0.0):  # (the coastline-band rule queries a whole STRtree: `dwithin`)
        a = legs_crossings(*KNOWN_LEGS, countries=full, territorial_sea_nm=rule)
        b = legs_crossings(*KNOWN_LEGS, countries=index, territorial_sea_nm=rule)
        assert a == b
    russia = legs_crossings(65.0, 170.0, 66.0, -170.0)[0]  # Chukotka, over the date line
    assert russia[0].iso3 == "RUS"


def test_lazy_polygons__thread_safe(both: Both):
    """Threads asking for overlapping pieces at once get the same (single) geometry for each."""
    lazy = both.lazy()
    ids = [np.arange(k, 2731, 7) for k in range(8)] * 4
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda i: lazy[i], ids))
    for i, got in zip(ids, results, strict=True):
        assert all(a is b for a, b in zip(got, lazy[i], strict=True))
    assert lazy.built == len(np.unique(np.concatenate(ids)))


def test_lazy_polygons__arrays_that_do_not_fit_are_refused(both: Both):
    """Offsets or a tile table that do not fit the polygons raise ValueError (the cache is then damaged)."""
    packed = pack_polygons(both.full[:50], "p", tiled=True)
    for name, change in (
        ("p_off0", lambda a: a[:-1]),
        ("p_off1", lambda a: a[::-1]),
        ("p_tile_start", lambda a: a[:-1]),
        ("p_tile_geom", lambda a: a + 50),
        ("p_bounds", lambda a: a[:10]),
    ):
        with pytest.raises(ValueError, match="fit"):
            LazyPolygons({**packed, name: change(packed[name])}, "p", tiled=True)


def test_legs_crossings__builds_only_the_pieces_near_the_route(index: CountryIndex):
    """A report of the Tu-160 mission builds a few per cent of the pieces: the cached index, read anew,
    and its sovereign pieces build only those near the legs (all of them: a lookup gone wrong)."""
    from missions.analysis import compute_mission
    from missions.parsing import load_mission

    fresh = _read_anew()
    assert isinstance(fresh.pieces, LazyPolygons)
    result = compute_mission(load_mission("missions/catalog/tu160-2015-11-20.yaml"))
    legs = np.array([(leg.start.point.lat_deg, leg.start.point.lon_deg, leg.end.point.lat_deg,
                      leg.end.point.lon_deg) for s in result.sorties for leg in s.legs]).T  # fmt: skip
    crossings = legs_crossings(*legs, countries=fresh)
    assert crossings == legs_crossings(*legs)  # the same as the shared index gives
    sov = sovereign_pieces(fresh)
    assert isinstance(sov.pieces, LazyPolygons)
    assert 0 < sov.pieces.built < 0.1 * len(sov.pieces)
    assert isinstance(fresh.land, LazyPolygons) and fresh.land.built < 0.1 * len(fresh.land)
    assert fresh.pieces.built < 0.1 * len(fresh.pieces)
