"""Overflight (missions/overflight.py): known answers, properties, the avoid flag, territorial seas."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyproj import Geod

from missions.airspace import (
    INTERNATIONAL_WATERS,
    CountryIndex,
    Crossing,
    avoid_hits,
    check_iso3,
    country_index,
    leg_crossings,
    legs_crossings,
    route_crossings,
)
from missions.errors import PlaceError

GEOD = Geod(ellps="WGS84")
REL_TOL = 1e-3  # 0.1 % of the leg
LAND = 0.0  # the land-only rule (the default is sovereign airspace: tests/test_overflight_sovereign.py)

PARIS = (48.8566, 2.3522)
LYON = (45.7640, 4.8357)
# Strait of Gibraltar, west to east down the middle: ~4.5 km from each shore at the narrows
GIBRALTAR_WEST = (35.95, -6.0)
GIBRALTAR_EAST = (35.97, -5.3)
# inland Chukotka (west of the antimeridian) to the Seward Peninsula, Alaska
CHUKOTKA = (66.5, 179.0)
ALASKA = (65.0, -164.0)
# the brief's example: both towns sit on Natural Earth's coastline, in the water
ANADYR = (64.73, 177.5)
NOME = (64.50, -165.4)


@pytest.fixture(scope="module")
def index() -> CountryIndex:
    return country_index()


def leg_length_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    return float(GEOD.inv(a[1], a[0], b[1], b[0])[2])


def codes(crossings: list[Crossing]) -> list[str | None]:
    return [c.iso3 for c in crossings]


def nearest_land_m(land: shapely.Geometry, lat_deg: float, lon_deg: float) -> float:
    """Geodesic distance to the nearest point of ``land``'s boundary within 1°, sampled every ~50 m."""
    coast = shapely.clip_by_rect(land.boundary, lon_deg - 2, lat_deg - 1, lon_deg + 2, lat_deg + 1)
    xy = shapely.get_coordinates(shapely.segmentize(coast, 0.0005))
    n = len(xy)
    return float(GEOD.inv(np.full(n, lon_deg), np.full(n, lat_deg), xy[:, 0], xy[:, 1])[2].min())


def assert_same(a: list[Crossing], b: list[Crossing]) -> None:
    """Same countries, distances within a millimetre, points within ~1e-9°."""
    assert codes(a) == codes(b)
    for x, y in zip(a, b, strict=True):
        assert x[2:] == pytest.approx(y[2:], abs=1e-3)


def assert_covers_leg(crossings: list[Crossing], length_m: float) -> None:
    """Ordered, contiguous, non-overlapping, no repeats, summing to the leg within 0.1 %."""
    assert crossings
    assert crossings[0].start_m == pytest.approx(0.0, abs=1e-6)
    assert crossings[-1].end_m == pytest.approx(length_m, rel=REL_TOL)
    assert sum(c.distance_m for c in crossings) == pytest.approx(length_m, rel=REL_TOL)
    for before, after in itertools.pairwise(crossings):
        assert before.end_m == pytest.approx(after.start_m, abs=1e-6)
        assert before.iso3 != after.iso3
    assert all(c.distance_m > 0 for c in crossings)


def test_leg_crossings__wholly_inside_one_country(index: CountryIndex) -> None:
    crossings = leg_crossings(*PARIS, *LYON, countries=index)
    assert codes(crossings) == ["FRA"]
    (france,) = crossings
    assert france.name == "France"
    assert france.distance_m == pytest.approx(leg_length_m(PARIS, LYON), rel=REL_TOL)
    assert (france.entry_lat_deg, france.entry_lon_deg) == pytest.approx(PARIS)
    assert (france.exit_lat_deg, france.exit_lon_deg) == pytest.approx(LYON)


def test_leg_crossings__one_border_at_known_point(index: CountryIndex) -> None:
    """Due north along 100° W from 45° N to 52° N: USA then Canada, across the 49th parallel."""
    crossings = leg_crossings(45.0, -100.0, 52.0, -100.0, countries=index)
    assert codes(crossings) == ["USA", "CAN"]
    usa, canada = crossings
    # within 1 km of the 49th parallel (Natural Earth draws it at 48.9927° N here)
    miss_m = GEOD.inv(-100.0, 49.0, usa.exit_lon_deg, usa.exit_lat_deg)[2]
    assert miss_m < 1_000.0
    assert (canada.entry_lat_deg, canada.entry_lon_deg) == (usa.exit_lat_deg, usa.exit_lon_deg)
    # the distance to the border is the geodesic distance to the border point
    assert usa.distance_m == pytest.approx(GEOD.inv(-100.0, 45.0, -100.0, usa.exit_lat_deg)[2], abs=5.0)
    assert_covers_leg(crossings, leg_length_m((45.0, -100.0), (52.0, -100.0)))


def test_leg_crossings__gibraltar_midline_touches_neither_shore(index: CountryIndex) -> None:
    crossings = leg_crossings(*GIBRALTAR_WEST, *GIBRALTAR_EAST, countries=index, territorial_sea_nm=LAND)
    assert codes(crossings) == [None]
    assert crossings[0].name == INTERNATIONAL_WATERS
    assert_covers_leg(crossings, leg_length_m(GIBRALTAR_WEST, GIBRALTAR_EAST))


def test_leg_crossings__gibraltar_shore_to_shore(index: CountryIndex) -> None:
    """Tarifa (Spain) to Point Cires (Morocco) across the narrows: Spain, sea, Morocco."""
    crossings = leg_crossings(36.03, -5.62, 35.89, -5.47, countries=index, territorial_sea_nm=LAND)
    assert codes(crossings) == ["ESP", None, "MAR"]


def test_leg_crossings__across_the_antimeridian(index: CountryIndex) -> None:
    crossings = leg_crossings(*CHUKOTKA, *ALASKA, countries=index, territorial_sea_nm=LAND)
    assert codes(crossings) == ["RUS", None, "USA"]
    russia, sea, usa = crossings
    # Russia is one stretch although Natural Earth cuts it at 180°: the leg crosses the date line in it
    assert russia.entry_lon_deg > 170 and russia.exit_lon_deg < -165
    # the Bering Strait: from Chukotka's east coast (~170.5° W) to the Seward Peninsula (~167.8° W)
    assert -171.0 < sea.entry_lon_deg < -169.5 and -168.5 < sea.exit_lon_deg < -167.0
    assert usa.exit_lat_deg == pytest.approx(ALASKA[0]) and usa.exit_lon_deg == pytest.approx(ALASKA[1])
    assert_covers_leg(crossings, leg_length_m(CHUKOTKA, ALASKA))


def test_leg_crossings__anadyr_to_nome_over_the_date_line_at_sea(index: CountryIndex) -> None:
    crossings = leg_crossings(*ANADYR, *NOME, countries=index, territorial_sea_nm=LAND)
    assert set(codes(crossings)) <= {"RUS", None, "USA"}
    assert "RUS" in codes(crossings)
    assert_covers_leg(crossings, leg_length_m(ANADYR, NOME))
    # the stretch that spans 180° is international waters (the Gulf of Anadyr)
    (spanning,) = [c for c in crossings if c.entry_lon_deg > 0 > c.exit_lon_deg]
    assert spanning.iso3 is None


def test_leg_crossings__same_answer_with_a_plain_frame(index: CountryIndex) -> None:
    from geodata.countries import load_countries

    # the two countries of the leg (indexing the other 248 would add ~1.5 s and nothing the leg meets)
    frame = load_countries()
    plain = leg_crossings(45.0, -100.0, 52.0, -100.0, countries=frame[frame["iso3"].isin(["USA", "CAN"])])
    assert_same(plain, leg_crossings(45.0, -100.0, 52.0, -100.0, countries=index))


def test_leg_crossings__zero_length_leg_is_empty(index: CountryIndex) -> None:
    assert leg_crossings(*PARIS, *PARIS, countries=index) == []


def test_leg_crossings__bad_latitude_raises(index: CountryIndex) -> None:
    with pytest.raises(PlaceError, match="latitudes within"):
        leg_crossings(95.0, 0.0, 10.0, 0.0, countries=index)


def test_route_crossings__one_list_per_leg(index: CountryIndex) -> None:
    lats, lons = [PARIS[0], LYON[0], 45.0], [PARIS[1], LYON[1], -100.0]
    per_leg = route_crossings(lats, lons, countries=index)
    assert len(per_leg) == 2
    assert_same(per_leg[0], leg_crossings(*PARIS, *LYON, countries=index))
    assert_same(per_leg[1], leg_crossings(*LYON, 45.0, -100.0, countries=index))
    assert codes(per_leg[1])[0] == "FRA" and codes(per_leg[1])[-1] == "USA"
    assert route_crossings([PARIS[0]], [PARIS[1]], countries=index) == []


def test_avoid_hits__flags_entered_countries(index: CountryIndex) -> None:
    crossings = leg_crossings(*CHUKOTKA, *ALASKA, countries=index)
    hits = avoid_hits(crossings, {"usa", "FRA"})
    assert [h.iso3 for h in hits] == ["USA"]
    assert hits[0].start_m > 0 and hits[0].entry_lon_deg < -165
    assert avoid_hits(crossings, set()) == []
    assert avoid_hits(leg_crossings(*PARIS, *LYON, countries=index), ["FRA"])[0].iso3 == "FRA"


def test_check_iso3__unknown_code_suggests(index: CountryIndex) -> None:
    assert check_iso3(["fra", " NOR"], index) == ("FRA", "NOR")
    with pytest.raises(PlaceError, match="FRX") as info:
        check_iso3(["FRX"], index)
    assert "FRA" in info.value.suggestions


def test_territorial_sea__dover_strait_split_between_gbr_and_fra(index: CountryIndex) -> None:
    """18 nm wide: with 12 nm bands there is no international water; the split is mid-strait."""
    dover, calais = (51.13, 1.31), (50.95, 1.85)
    land = leg_crossings(*dover, *calais, countries=index, territorial_sea_nm=LAND)
    assert codes(land) == ["GBR", None, "FRA"]
    sea = leg_crossings(*dover, *calais, countries=index, territorial_sea_nm=12)
    assert codes(sea) == ["GBR", "FRA"]
    middle = (land[1].start_m + land[1].end_m) / 2
    assert abs(sea[0].end_m - middle) < 0.1 * land[1].distance_m
    assert_covers_leg(sea, leg_length_m(dover, calais))


def test_territorial_sea__band_is_12_nm_wide(index: CountryIndex) -> None:
    """Across the Caspian from Baku: the Azerbaijani band ends 12 nm (22.2 km) from its nearest land."""
    baku, turkmenbashi = (40.4, 49.9), (40.0, 53.0)
    sea = leg_crossings(*baku, *turkmenbashi, countries=index, territorial_sea_nm=12)
    assert codes(sea) == ["AZE", None, "TKM"]
    azerbaijan = index.land[index.iso3.index("AZE")]
    assert nearest_land_m(azerbaijan, sea[0].exit_lat_deg, sea[0].exit_lon_deg) == pytest.approx(12 * 1852.0, rel=0.01)
    assert_covers_leg(sea, leg_length_m(baku, turkmenbashi))


def test_territorial_sea__band_width_at_high_latitude(index: CountryIndex) -> None:
    """North from Finnmark along 20° E: the Norwegian band ends 12 nm from Norway."""
    sea = leg_crossings(70.0, 20.0, 72.5, 20.0, countries=index, territorial_sea_nm=12)
    assert codes(sea) == ["NOR", None]
    norway = index.land[index.iso3.index("NOR")]
    assert nearest_land_m(norway, sea[0].exit_lat_deg, sea[0].exit_lon_deg) == pytest.approx(12 * 1852.0, rel=0.01)


def test_territorial_sea__negative_width_raises(index: CountryIndex) -> None:
    with pytest.raises(ValueError, match="territorial_sea_nm"):
        leg_crossings(*PARIS, *LYON, countries=index, territorial_sea_nm=-1)


latitudes = st.floats(-89.0, 89.0, allow_nan=False)
longitudes = st.floats(-180.0, 180.0, allow_nan=False)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lat1=latitudes, lon1=longitudes, lat2=latitudes, lon2=longitudes)
def test_leg_crossings__property_distances_sum_to_leg(
    index: CountryIndex, lat1: float, lon1: float, lat2: float, lon2: float
) -> None:
    length = leg_length_m((lat1, lon1), (lat2, lon2))
    crossings = leg_crossings(lat1, lon1, lat2, lon2, countries=index)
    if length == 0:
        assert crossings == []
        return
    assert_covers_leg(crossings, length)
    assert all(-180 <= c.entry_lon_deg <= 180 and -90 <= c.entry_lat_deg <= 90 for c in crossings)


def test_legs_crossings__vectorised_equals_one_by_one(index: CountryIndex) -> None:
    rng = np.random.default_rng(6)
    lat1, lat2 = rng.uniform(-60, 70, (2, 8))
    lon1, lon2 = rng.uniform(-180, 180, (2, 8))
    together = legs_crossings(lat1, lon1, lat2, lon2, countries=index)
    for k in range(8):
        assert_same(together[k], leg_crossings(lat1[k], lon1[k], lat2[k], lon2[k], countries=index))
