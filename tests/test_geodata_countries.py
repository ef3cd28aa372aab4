"""The embedded Natural Earth country polygons (geodata/countries.py) and their build."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely

from geodata import build_countries
from geodata.countries import BASEMAP_PATH, FINE_PATH, basemap_geojson, load_countries

MB = 1_000_000


@pytest.fixture(scope="module")
def fine() -> gpd.GeoDataFrame:
    return load_countries("fine")


@pytest.fixture(scope="module")
def basemap() -> gpd.GeoDataFrame:
    return load_countries("basemap")


def where(frame: gpd.GeoDataFrame, lat_deg: float, lon_deg: float) -> list[str]:
    return frame.loc[frame.contains(shapely.Point(lon_deg, lat_deg)), "iso3"].tolist()


def test_files__compact_and_committed() -> None:
    assert FINE_PATH.stat().st_size < 3 * MB
    assert BASEMAP_PATH.stat().st_size < 1.2 * MB


@pytest.mark.parametrize("detail", ["fine", "basemap"])
def test_load_countries__columns_crs_and_rows(detail: str) -> None:
    frame = load_countries(detail)
    assert list(frame.columns) == ["iso3", "name", "geometry"]
    assert frame.crs.to_epsg() == 4326
    assert 240 <= len(frame) <= 260
    assert frame["iso3"].is_unique
    assert not frame.geometry.is_empty.any()
    assert set(frame.geom_type) <= {"Polygon", "MultiPolygon"}
    assert frame.geometry.is_valid.all()


def test_load_countries__cached(fine: gpd.GeoDataFrame) -> None:
    assert load_countries() is fine


def test_load_countries__unknown_detail_raises() -> None:
    with pytest.raises(ValueError, match="detail"):
        load_countries("coarse")


@pytest.mark.parametrize(
    ("iso3", "name"),
    [
        ("FRA", "France"),  # ISO_A3 is -99 in Natural Earth
        ("NOR", "Norway"),  # ISO_A3 is -99 in Natural Earth
        ("RUS", "Russia"),
        ("SYR", "Syria"),
        ("IRQ", "Iraq"),
        ("IRN", "Iran"),
        ("ESP", "Spain"),
        ("MAR", "Morocco"),
        ("CUW", "Curaçao"),  # read as UTF-8
        ("PGA", "Spratly Islands"),  # fixed from NAME_EN "Wake Island"
    ],
)
def test_load_countries__adm0_a3_codes_and_names(fine: gpd.GeoDataFrame, iso3: str, name: str) -> None:
    assert fine.set_index("iso3").loc[iso3, "name"] == name


def test_fine__borders_shared_exactly(fine: gpd.GeoDataFrame) -> None:
    """No gaps or overlaps between neighbours: the polygons form a valid coverage."""
    assert shapely.coverage_is_valid(fine.geometry.values)


@pytest.mark.parametrize(
    ("place", "lat_deg", "lon_deg", "expected"),
    [
        ("Paris", 48.8566, 2.3522, ["FRA"]),
        ("Oslo", 59.9139, 10.7522, ["NOR"]),
        ("Damascus", 33.5138, 36.2765, ["SYR"]),
        ("Baghdad", 33.3152, 44.3661, ["IRQ"]),
        ("Tehran", 35.6892, 51.3890, ["IRN"]),
        ("Moscow", 55.7558, 37.6173, ["RUS"]),
        ("Chukotka, inland of Anadyr", 65.0, 176.0, ["RUS"]),
        ("Alaska, Seward Peninsula", 64.9, -165.0, ["USA"]),
        ("mid-Caspian", 42.0, 50.5, []),
        ("south Caspian", 39.0, 51.0, []),
        ("mid-Atlantic", 30.0, -40.0, []),
        ("Strait of Gibraltar midline", 35.96, -5.6, []),
    ],
)
def test_fine__point_in_country(
    fine: gpd.GeoDataFrame, place: str, lat_deg: float, lon_deg: float, expected: list[str]
) -> None:
    assert where(fine, lat_deg, lon_deg) == expected, place


def test_fine__gibraltar_midline_touches_neither_shore(fine: gpd.GeoDataFrame) -> None:
    # straight in (lon, lat) over 63 km: within metres of the geodesic
    midline = shapely.LineString([(-6.0, 35.95), (-5.3, 35.97)])
    shores = fine.set_index("iso3").loc[["ESP", "MAR", "GIB"]]
    assert not shores.intersects(midline).any()
    # and it is no wider than it needs to be: both shores within 0.1° (~10 km) of the line
    assert (shapely.distance(shores.geometry.values[:2], midline) < 0.1).all()


def test_fine__close_to_source(fine: gpd.GeoDataFrame) -> None:
    """The simplified Spain stays within the 0.005° tolerance (+ rounding) of Natural Earth's."""
    source = build_countries.read_source().set_index("iso3")
    spain = fine.set_index("iso3").loc["ESP", "geometry"]
    assert shapely.hausdorff_distance(spain, source.loc["ESP", "geometry"]) < 0.0052


def test_basemap__same_countries_as_fine(fine: gpd.GeoDataFrame, basemap: gpd.GeoDataFrame) -> None:
    assert sorted(basemap["iso3"]) == sorted(fine["iso3"])


def test_basemap__no_polygon_wider_than_180_deg(basemap: gpd.GeoDataFrame) -> None:
    """Leaflet draws a polygon spanning the antimeridian as a band across the map: none may."""
    parts = shapely.get_parts(basemap.geometry.values)
    west, _, east, _ = shapely.bounds(parts).T
    assert np.all(east - west <= 180.0)
    assert np.all((west >= -180.0) & (east <= 180.0))


@pytest.mark.parametrize("iso3", ["RUS", "FJI", "ATA", "USA", "NZL", "KIR"])
def test_basemap__antimeridian_countries_split(basemap: gpd.GeoDataFrame, iso3: str) -> None:
    geom = basemap.set_index("iso3").loc[iso3, "geometry"]
    for part in shapely.get_parts(geom):
        west, _, east, _ = part.bounds
        assert east - west <= 180.0, f"{iso3} part spans {west}..{east}"


def test_basemap_geojson__feature_collection_rounded() -> None:
    data = basemap_geojson()
    assert data is basemap_geojson()
    assert data["type"] == "FeatureCollection"
    assert len(data["features"]) == len(load_countries("basemap"))
    first = data["features"][0]
    assert set(first["properties"]) == {"iso3", "name"}
    ring = first["geometry"]["coordinates"][0]
    ring = ring[0] if first["geometry"]["type"] == "MultiPolygon" else ring
    for lon, lat in ring:
        assert round(lon, 3) == lon and round(lat, 3) == lat


def test_basemap__russia_far_east_on_both_sides(basemap: gpd.GeoDataFrame) -> None:
    """Chukotka is drawn east of 180° and the Wrangel / Bering coast parts west of -180° are cut."""
    russia = basemap.set_index("iso3").loc["RUS", "geometry"]
    west, _, east, _ = russia.bounds
    assert west == pytest.approx(-180.0) and east == pytest.approx(180.0)
