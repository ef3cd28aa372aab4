"""Overflight under the sovereign rule (the default): land, internal waters, territorial sea."""

from __future__ import annotations

import json

import pytest
from pyproj import Geod

from missions.airspace import CountryIndex, country_index, leg_crossings, route_crossings
from missions.airspace.passages import Passage, in_transit_corridor
from tests.test_overflight import nearest_land_m

GEOD = Geod(ellps="WGS84")
NM_M = 1852.0


@pytest.fixture(scope="module")
def index() -> CountryIndex:
    return country_index()


def codes(crossings) -> list[str | None]:
    return [c.iso3 for c in crossings]


def test_sovereign__white_sea_is_russian_internal_waters(index: CountryIndex) -> None:
    """Across the White Sea (closed by the line Svyatoy Nos - Kanin Nos): all Russia; land-only
    counts most of it as international waters."""
    leg = (65.0, 36.0, 66.5, 40.0)
    assert codes(leg_crossings(*leg, countries=index)) == ["RUS"]
    land = leg_crossings(*leg, countries=index, territorial_sea_nm=0)
    assert None in codes(land)


def test_sovereign__new_york_harbour_is_american(index: CountryIndex) -> None:
    """From off Rockaway through the Narrows into the Upper Bay: all USA (land-only: water between)."""
    leg = (40.45, -73.8, 40.70, -74.02)
    assert codes(leg_crossings(*leg, countries=index)) == ["USA"]
    assert None in codes(leg_crossings(*leg, countries=index, territorial_sea_nm=0))


def test_sovereign__english_channel_middle_stays_international(index: CountryIndex) -> None:
    """Down the middle of the Channel (Lizard to off Beachy Head): > 12 nm from both coasts."""
    per_leg = route_crossings([49.6, 50.15, 50.25], [-5.0, -2.0, 0.5], countries=index)
    assert [codes(leg) for leg in per_leg] == [[None], [None]]


def test_sovereign__gibraltar_midline_is_split_between_spain_and_morocco(index: CountryIndex) -> None:
    """The Strait is narrower than two territorial seas: no international water in the middle."""
    crossings = leg_crossings(35.95, -6.0, 35.97, -5.3, countries=index)
    assert set(codes(crossings)) == {"ESP", "MAR"}


def test_sovereign__norway_sea_ends_12_nm_off_the_coast(index: CountryIndex) -> None:
    crossings = leg_crossings(70.0, 20.0, 72.5, 20.0, countries=index)
    assert codes(crossings) == ["NOR", None]
    norway = index.land[index.iso3.index("NOR")]
    gap = nearest_land_m(norway, crossings[0].exit_lat_deg, crossings[0].exit_lon_deg)
    assert gap == pytest.approx(12 * NM_M, rel=0.05)


def test_sovereign__greece_claims_10_nm_of_airspace(index: CountryIndex) -> None:
    """South from Crete along 25° E: Greek airspace ends 10 nm (sourced exception) off the coast."""
    crossings = leg_crossings(35.2, 25.0, 34.0, 25.0, countries=index)
    assert codes(crossings) == ["GRC", None]
    greece = index.land[index.iso3.index("GRC")]
    gap = nearest_land_m(greece, crossings[0].exit_lat_deg, crossings[0].exit_lon_deg)
    assert gap == pytest.approx(10 * NM_M, rel=0.05)  # buffer chords (quad_segs=4) and 0.002° simplification


def test_sovereign__bering_strait_across_the_antimeridian(index: CountryIndex) -> None:
    """Chukotka to Alaska: Russia across 180°, the Diomedes' seas, then the USA; the sea band
    reaches past the coast the land-only rule stops at."""
    crossings = leg_crossings(66.5, 179.0, 65.0, -164.0, countries=index)
    assert codes(crossings)[0] == "RUS" and codes(crossings)[-1] == "USA"
    assert crossings[0].entry_lon_deg > 170 and crossings[0].exit_lon_deg < -169.5
    land = leg_crossings(66.5, 179.0, 65.0, -164.0, countries=index, territorial_sea_nm=0)
    assert crossings[0].distance_m > land[0].distance_m


def test_sovereign__over_land_agrees_with_land_only(index: CountryIndex) -> None:
    """Paris to Lyon and the 49th parallel border: the same stretches under both rules."""
    for leg in ((48.8566, 2.3522, 45.7640, 4.8357), (45.0, -100.0, 52.0, -100.0)):
        sovereign = leg_crossings(*leg, countries=index)
        land = leg_crossings(*leg, countries=index, territorial_sea_nm=0)
        assert codes(sovereign) == codes(land)
        for a, b in zip(sovereign, land, strict=True):
            assert a.distance_m == pytest.approx(b.distance_m, abs=600.0)


def _passage(lat1: float, lon1: float, lat2: float, lon2: float) -> Passage:
    import datetime as dt

    t = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    return Passage(
        iso3="ESP",
        name="Spain",
        distance_m=1.0,
        entry_time=t,
        exit_time=t,
        entry_lat_deg=lat1,
        entry_lon_deg=lon1,
        exit_lat_deg=lat2,
        exit_lon_deg=lon2,
        leg_index=0,
    )


def test_in_transit_corridor__strait_middle_yes_coast_no() -> None:
    assert in_transit_corridor(_passage(35.955, -5.60, 35.99, -5.45))
    assert not in_transit_corridor(_passage(36.15, -6.31, 36.0, -6.0))  # off Cape Trafalgar
    assert not in_transit_corridor(_passage(48.0, 2.0, 48.5, 2.5))


def test_report__sovereign_default_land_only_flag(capsys) -> None:
    """``report --json`` counts the White Sea as Russian by default, as water with --land-only."""
    from missions.__main__ import main

    path = "tests/data/white-sea.yaml"
    assert main(["report", path, "--json"]) == 0
    default = json.loads(capsys.readouterr().out)
    assert [c["iso3"] for c in default["sorties"][0]["countries"]] == ["RUS"]
    assert main(["report", path, "--json", "--land-only"]) == 0
    land = json.loads(capsys.readouterr().out)
    assert None in [c["iso3"] for c in land["sorties"][0]["countries"]]
    with pytest.raises(SystemExit) as info:  # one rule at a time: argparse's one line, status 2
        main(["report", path, "--land-only", "--territorial-sea", "12"])
    assert info.value.code == 2
