"""The nearest-land rule where seas overlap (missions/airspace/median.py), against a brute force."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from pyproj import Transformer

from missions.airspace import CountryIndex, country_index
from missions.airspace.median import nearest_owner

#: a sample closer to one land than to the other by less than this (m) is a tie on the brute force's
#: scale (it measures each land to ~1 m); the rule may give it to either
TIE_M = 20.0

# (south, west, north, east) boxes over straits where two seas overlap, and their two countries
STRAITS = [
    ((35.85, -5.95, 36.05, -5.3), ("ESP", "MAR")),  # Gibraltar
    ((55.55, 12.55, 56.1, 12.8), ("DNK", "SWE")),  # Øresund
    ((36.6, 26.9, 37.8, 27.4), ("GRC", "TUR")),  # Aegean: Kos and Samos against the Turkish coast
    ((65.6, -169.3, 66.0, -168.8), ("RUS", "USA")),  # the Diomedes, by the date line
    ((-16.9, 179.6, -16.0, 180.0), ("FJI", "FJI")),  # across the antimeridian: one country
]


@pytest.fixture(scope="module")
def index() -> CountryIndex:
    return country_index()


def brute_force_m(land: shapely.Geometry, lat_deg: float, lon_deg: float) -> float:
    """Metres from a point to ``land`` in an azimuthal-equidistant projection centred on it (exact
    for the distance from the centre), land across the antimeridian included."""
    if shapely.intersects_xy(land, lon_deg, lat_deg):
        return 0.0
    to_plane = Transformer.from_crs(
        "EPSG:4326", f"+proj=aeqd +lat_0={lat_deg} +lon_0={lon_deg} +datum=WGS84", always_xy=True
    )
    best = np.inf
    for shift in (-360.0, 0.0, 360.0):
        near = shapely.clip_by_rect(land, lon_deg - shift - 3, lat_deg - 1.5, lon_deg - shift + 3, lat_deg + 1.5)
        if near.is_empty:
            continue
        near = shapely.segmentize(near, 0.002)  # edges straight in (lon, lat), followed within ~1 m
        xy = shapely.get_coordinates(near)
        x, y = to_plane.transform(xy[:, 0] + shift, xy[:, 1])
        planar = shapely.set_coordinates(near, np.column_stack([x, y]))
        best = min(best, shapely.distance(planar, shapely.Point(0.0, 0.0)))
    return float(best)


def test_resolve_overlaps__nearest_land_as_brute_force(index: CountryIndex) -> None:
    """Random samples over straits (one batch for all, as a mission gives them): each goes to the
    country whose land a brute-force geodesic measure finds nearer (near-ties excepted)."""
    rng = np.random.default_rng(15)
    lats, lons, covers, expected = [], [], [], []
    for (south, west, north, east), codes in STRAITS:
        cover = sorted({index.iso3.index(code) for code in codes})
        lat = rng.uniform(south, north, 12)
        lon = (rng.uniform(west, east, 12) + 180.0) % 360.0 - 180.0
        lats.append(lat)
        lons.append(lon)
        covers.append(cover)
        distances = np.array(
            [[brute_force_m(index.land[c], la, lo) for c in cover] for la, lo in zip(lat, lon, strict=True)]
        )
        expected.append((cover, distances))
    each = np.arange(12 * len(STRAITS))  # scattered points: each its own overlap (all measured)
    owners = nearest_owner(
        index,
        np.concatenate(lats),
        np.concatenate(lons),
        each,
        np.concatenate([np.array(c, dtype=np.intp) for c in covers for _ in range(12)]),
        np.array([len(c) for c in covers for _ in range(12)], dtype=np.intp),
        np.full(len(each), 1000.0),
        26.0,
    ).reshape(len(STRAITS), 12)
    checked = 0
    for owner_row, (cover, distances) in zip(owners, expected, strict=True):
        for owner, d in zip(owner_row.tolist(), distances, strict=True):
            assert owner in cover
            if len(cover) == 1 or abs(d[0] - d[1]) < TIE_M:
                continue
            assert owner == cover[int(np.argmin(d))], (index.iso3[owner], d)
            checked += 1
    assert checked >= 40


def test_resolve_overlaps__on_land_is_nearest(index: CountryIndex) -> None:
    """A sample on Moroccan land 1.5 km inland from the Ceuta border goes to Morocco: its nearest
    edge of either country is that border (a tie, which goes to the lower number, Spain's), but it is
    on Morocco's land, at distance 0."""
    esp, mar = index.iso3.index("ESP"), index.iso3.index("MAR")
    assert shapely.intersects_xy(index.land[mar], -5.38, 35.865) and esp < mar
    one = np.zeros(1, dtype=np.intp)
    owner = nearest_owner(
        index, np.array([35.865]), np.array([-5.38]), one, np.array([esp, mar]), one + 2, np.ones(1), 26.0
    )
    assert owner.tolist() == [mar]


# legs across straits where two seas overlap, sampled every km as the overlap rule does
SAMPLED = [
    ((35.80, -5.95), (36.10, -5.25), ("ESP", "MAR")),  # Gibraltar, diagonally
    ((55.4, 12.75), (56.2, 12.55), ("DNK", "SWE")),  # down the Øresund
    ((36.5, 27.6), (37.9, 26.6), ("GRC", "TUR")),  # past Kos and Samos
    ((65.4, -169.8), (66.2, -168.2), ("RUS", "USA")),  # between the Diomedes
]


@pytest.mark.parametrize(("start", "end", "codes"), SAMPLED)
def test_nearest_owner__skipping_samples_changes_nothing(index: CountryIndex, start, end, codes) -> None:
    """Samples every km along a leg, as one overlap (most samples between measured ones are not
    measured) and each on its own (all measured): the same owners, and both owners occur."""
    from missions.geodesy import GEOD

    az, _, length = GEOD.inv(start[1], start[0], end[1], end[0])
    along = np.arange(500.0, length, 1000.0)
    lon, lat, _ = GEOD.fwd(np.full(len(along), start[1]), np.full(len(along), start[0]), np.full(len(along), az), along)
    cover = np.array(sorted(index.iso3.index(c) for c in codes), dtype=np.intp)
    n = len(along)
    one = nearest_owner(index, lat, lon, np.zeros(n, dtype=np.intp), cover, np.array([2]), np.array([1000.0]), 26.0)
    each = np.arange(n)
    alone = nearest_owner(index, lat, lon, each, np.tile(cover, n), np.full(n, 2), np.full(n, 1000.0), 26.0)
    assert one.tolist() == alone.tolist()
    assert set(one.tolist()) == set(cover.tolist())
