import pytest

from geodata.gazetteer import default_gazetteer, normalize_name
from missions.errors import PlaceError


@pytest.fixture(scope="module")
def gaz():
    return default_gazetteer()


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("Olenya", "Olenya air base"),
        ("olenegorsk", "Olenya air base"),
        ("XLMO", "Olenya air base"),
        ("xlmo", "Olenya air base"),
        ("ULAK", "Severomorsk-1 naval air base"),
        ("Khmeimim", "Hmeimim air base"),
        ("  HMEIMIM  ", "Hmeimim air base"),
        ("Ar-Raqqah", "Raqqa"),
        ("Strait of  Gibraltar", "Strait of Gibraltar"),
        ("Khméimim", "Hmeimim air base"),
    ],
)
def test_lookup__names_aliases_codes(gaz, query, name):
    assert gaz.lookup(query).name == name


def test_lookup__icao_through_airportsdata(gaz):
    heathrow = gaz.lookup("EGLL")
    assert heathrow.lat_deg == pytest.approx(51.47, abs=0.01)
    assert heathrow.source == "airportsdata EGLL"


def test_lookup__ulak_is_not_olenya(gaz):
    assert gaz.lookup("ULAK").lat_deg == pytest.approx(69.03, abs=0.01)
    assert gaz.lookup("XLMO").lat_deg == pytest.approx(68.15, abs=0.01)


def test_lookup__unknown_suggests_three(gaz):
    with pytest.raises(PlaceError) as info:
        gaz.lookup("Olenyaa base")
    assert info.value.suggestions[0] == "Olenya air base"
    assert len(info.value.suggestions) == 3
    assert "did you mean 'Olenya air base'" in str(info.value)


def test_gazetteer__every_place_sourced(gaz):
    for place in gaz.places:
        assert place.source.strip(), place.name
        assert -90 <= place.lat_deg <= 90 and -180 <= place.lon_deg <= 180


def test_normalize_name__folds():
    assert normalize_name("Ar-Raqqah") == normalize_name("ar raqqah") == "arraqqah"
