"""The world place index (geodata.places): known answers, ambiguity, pins, suggestions, round trips."""

from __future__ import annotations

import random

import pytest
from pyproj import Geod

from geodata.places import KINDS, PlaceIndex, UnknownPlaceError, default_index

GEOD = Geod(ellps="WGS84")


@pytest.fixture(scope="module")
def index() -> PlaceIndex:
    return default_index()


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    return GEOD.inv(a[1], a[0], b[1], b[0])[2] / 1000.0


# (query, kind, country alpha-2 or "", lat, lon, tolerance km, source of the reference coordinates)
KNOWN = [
    # capitals and cities (en.wikipedia infobox coordinates)
    ("Tripoli", "city", "LY", 32.8872, 13.1913, 10, "en.wikipedia Tripoli, Libya 32°53′14″N 13°11′29″E"),
    ("Tripoli, LY", "city", "LY", 32.8872, 13.1913, 10, "same"),
    ("Tripoli, Libya", "city", "LY", 32.8872, 13.1913, 10, "same"),
    ("Tripoli, Lebanon", "city", "LB", 34.4367, 35.8497, 10, "en.wikipedia Tripoli, Lebanon 34°26′N 35°51′E"),
    ("Tripoli, LBN", "city", "LB", 34.4367, 35.8497, 10, "same, alpha-3 pin"),
    ("Belgrade", "city", "RS", 44.8167, 20.4667, 10, "en.wikipedia Belgrade 44°49′N 20°28′E"),
    ("Caracas", "city", "VE", 10.5, -66.9167, 15, "en.wikipedia Caracas 10°30′N 66°55′W"),
    ("Riga", "city", "LV", 56.9489, 24.1064, 10, "en.wikipedia Riga 56°56′56″N 24°6′23″E"),
    ("Kiev", "city", "UA", 50.45, 30.5236, 10, "en.wikipedia Kyiv 50°27′N 30°31′E (alternative name)"),
    ("Benghazi", "city", "LY", 32.1167, 20.0667, 10, "en.wikipedia Benghazi 32°07′N 20°04′E"),
    ("Minsk", "city", "BY", 53.9, 27.5667, 10, "en.wikipedia Minsk 53°54′N 27°34′E"),
    ("Vilnius", "city", "LT", 54.6872, 25.2797, 10, "en.wikipedia Vilnius 54°41′N 25°17′E"),
    ("Helsinki", "city", "FI", 60.1699, 24.9384, 10, "en.wikipedia Helsinki 60°10′N 24°56′E"),
    ("Kaliningrad", "city", "RU", 54.7104, 20.4522, 10, "en.wikipedia Kaliningrad 54°43′N 20°31′E"),
    ("Murmansk", "city", "RU", 68.9585, 33.0827, 10, "en.wikipedia Murmansk 68°58′N 33°05′E"),
    ("Pyongyang", "city", "KP", 39.0392, 125.7625, 10, "en.wikipedia Pyongyang 39°01′N 125°44′E"),
    # GeoNames spells it with 'Ð' (U+00D0); the one name folding spells that out as 'd', so the Vietnamese
    # city (258,000 people) wins over Dalat, Malaysia (21,100)
    ("Da Lat", "city", "VN", 11.9417, 108.4383, 10, "en.wikipedia Da Lat 11°56′30″N 108°26′18″E"),
    ("Đà Lạt", "city", "VN", 11.9417, 108.4383, 10, "same, in Vietnamese"),
    ("Stanley, FK", "city", "FK", -51.6921, -57.8589, 5, "en.wikipedia Stanley, Falkland Islands 51°41′S 57°51′W"),
    ("Stanley, Falkland Islands", "city", "FK", -51.6921, -57.8589, 5, "same"),
    # air bases and airports (en.wikipedia infobox coordinates)
    ("RAF Lakenheath", "airbase", "GB", 52.4093, 0.5610, 2, "en.wikipedia RAF Lakenheath 52°24′33″N 0°33′40″E"),
    ("Whiteman AFB", "airbase", "US", 38.7303, -93.5479, 2, "en.wikipedia Whiteman AFB 38°43′49″N 93°32′54″W"),
    ("Whiteman Air Force Base", "airbase", "US", 38.7303, -93.5479, 2, "same"),
    ("Barksdale AFB", "airbase", "US", 32.5018, -93.6627, 2, "en.wikipedia Barksdale AFB 32°30′07″N 93°39′46″W"),
    ("KBAD", "airbase", "US", 32.5018, -93.6627, 2, "same, by ICAO"),
    ("Andersen AFB", "airbase", "GU", 13.5840, 144.9300, 3, "en.wikipedia Andersen AFB 13°35′02″N 144°55′48″E"),
    ("RAF Fairford", "airbase", "GB", 51.6822, -1.7900, 2, "en.wikipedia RAF Fairford 51°40′56″N 1°47′24″W"),
    (
        "RAF Upper Heyford",
        "closed_airfield",
        "GB",
        51.9375,
        -1.2489,
        3,
        "en.wikipedia RAF Upper Heyford 51°56′N 1°15′W",
    ),
    ("RAF Ascension Island", "airbase", "SH", -7.9696, -14.3937, 3, "en.wikipedia RAF Ascension Island 7°58′S 14°24′W"),
    ("Wideawake Airfield", "airbase", "SH", -7.9696, -14.3937, 3, "same, OurAirports keyword"),
    ("Incirlik Air Base", "airbase", "TR", 37.0021, 35.4259, 3, "en.wikipedia Incirlik Air Base 37°00′08″N 35°25′33″E"),
    (
        "Port Stanley Airport",
        "airport",
        "FK",
        -51.6857,
        -57.7776,
        3,
        "en.wikipedia Stanley Airport 51°41′09″S 57°46′39″W",
    ),
    ("SFAL", "airport", "FK", -51.6857, -57.7776, 3, "same, by ICAO"),
    ("Stanley Airport, FK", "airport", "FK", -51.6857, -57.7776, 3, "same, airportsdata's name pinned"),
    ("Mitiga International Airport", "airbase", "LY", 32.8942, 13.2760, 3, "en.wikipedia Mitiga 32°53′39″N 13°16′34″E"),
    ("Wheelus Air Force Base", "airbase", "LY", 32.8942, 13.2760, 3, "same: Mitiga was Wheelus AB (keyword)"),
    ("Olenya Air Base", "airbase", "RU", 68.1517, 33.4700, 1, "curated: en.wikipedia Olenya (air base)"),
    ("Mozdok Air Base", "airbase", "RU", 43.7875, 44.6031, 1, "curated: fr.wikipedia Base aérienne de Mozdok"),
    ("Engels Air Base", "airbase", "RU", 51.4811, 46.2106, 1, "curated: de.wikipedia Engels-2"),
    # an airfield's short name: a large airport or an air base before a town of under 100,000 people
    # (README "Which place a name picks"; tests/test_places_prominence.py)
    (
        "Heathrow",
        "airport",
        "GB",
        51.4775,
        -0.4614,
        3,
        "en.wikipedia Heathrow Airport 51°28′39″N 0°27′41″W (EGLL); not Heathrow, Florida (5,900 people)",
    ),
    (
        "Gatwick",
        "airport",
        "GB",
        51.1481,
        -0.1903,
        3,
        "en.wikipedia Gatwick Airport 51°08′53″N 0°11′25″W (EGKK): 'London Gatwick Airport' without its city",
    ),
    (
        "Ramstein",
        "airbase",
        "DE",
        49.4367,
        7.6006,
        3,
        "en.wikipedia Ramstein Air Base 49°26′12″N 7°36′02″E (ETAR); the town is Ramstein-Miesenbach",
    ),
    (
        "Mildenhall",
        "airbase",
        "GB",
        52.3619,
        0.4864,
        3,
        "en.wikipedia RAF Mildenhall 52°21′43″N 0°29′11″E (EGUN), the raid's tanker base; town 14,400 people",
    ),
    (
        "Kadena",
        "airbase",
        "JP",
        26.3558,
        127.7675,
        3,
        "en.wikipedia Kadena Air Base 26°21′21″N 127°46′03″E (RODN, a large airport); town 13,700 people",
    ),
    (
        "Aviano",
        "airbase",
        "IT",
        46.0319,
        12.5967,
        3,
        "en.wikipedia Aviano Air Base 46°01′55″N 12°35′48″E (LIPA), the 1999 strikes' base; town 8,220 people",
    ),
    (
        "Schiphol",
        "airport",
        "NL",
        52.3081,
        4.7642,
        3,
        "en.wikipedia Amsterdam Airport Schiphol 52°18′29″N 4°45′51″E (EHAM): its name without its city",
    ),
    # seas, gulfs, straits (en.wikipedia; representative points, wide tolerances)
    ("North Sea", "sea", "", 56.0, 3.0, 150, "en.wikipedia North Sea 56°N 3°E"),
    ("Baltic Sea", "sea", "", 58.0, 20.0, 300, "en.wikipedia Baltic Sea 58°N 20°E"),
    ("Black Sea", "sea", "", 44.0, 35.0, 200, "en.wikipedia Black Sea 44°N 35°E"),
    ("Bay of Biscay", "gulf", "", 45.5, -4.0, 150, "en.wikipedia Bay of Biscay 45°30′N 4°W"),
    ("Persian Gulf", "gulf", "", 26.0, 52.0, 200, "en.wikipedia Persian Gulf 26°N 52°E"),
    ("Strait of Hormuz", "strait", "", 26.5667, 56.25, 30, "en.wikipedia Strait of Hormuz 26°34′N 56°15′E"),
    ("Hormuz", "strait", "", 26.5667, 56.25, 30, "same, alias"),
    ("Bab-el-Mandeb", "strait", "", 12.5833, 43.3333, 30, "en.wikipedia Bab-el-Mandeb 12°35′N 43°20′E"),
    ("Strait of Gibraltar", "chokepoint", "", 35.967, -5.483, 10, "curated: en.wikipedia 35°58′N 5°29′W"),
    ("English Channel", "strait", "", 50.2, -1.0, 200, "en.wikipedia English Channel 50°N 1°W area"),
    # islands and regions
    ("Gotland", "island", "SE", 57.5, 18.55, 30, "en.wikipedia Gotland 57°30′N 18°33′E"),
    ("Ascension", "island", "SH", -7.9333, -14.3667, 15, "en.wikipedia Ascension Island 7°56′S 14°22′W"),
    ("Ascension Island", "island", "SH", -7.9333, -14.3667, 15, "same"),
    ("Falkland Islands", "island", "FK", -51.75, -59.0, 100, "en.wikipedia Falkland Islands 51°45′S 59°W"),
    ("Sicily", "island", "IT", 37.6, 14.0, 60, "en.wikipedia Sicily 37°36′N 14°00′E"),
    ("Crete", "island", "GR", 35.21, 24.91, 60, "en.wikipedia Crete 35°13′N 24°55′E"),
    ("Bornholm", "island", "DK", 55.1, 14.9, 20, "en.wikipedia Bornholm 55°08′N 14°55′E"),
    ("Diego Garcia", "island", "IO", -7.3133, 72.4111, 10, "en.wikipedia Diego Garcia 7°18′48″S 72°24′40″E"),
    ("Crimea", "region", "", 45.3, 34.4, 100, "en.wikipedia Crimea 45°18′N 34°24′E"),
    ("Kola Peninsula", "region", "RU", 67.5, 36.0, 150, "en.wikipedia Kola Peninsula 67°N 36°E area"),
    # sites
    ("Fordow", "site", "IR", 34.8847, 50.9958, 5, "en.wikipedia Fordow Fuel Enrichment Plant 34°53′N 50°59′E"),
    ("Natanz", "site", "IR", 33.7233, 51.7267, 5, "en.wikipedia Natanz Nuclear Facility 33°43′24″N 51°43′36″E"),
]


@pytest.mark.parametrize(("query", "kind", "country", "lat", "lon", "tol_km", "ref"), KNOWN, ids=[k[0] for k in KNOWN])
def test_resolve__known_answers(index, query, kind, country, lat, lon, tol_km, ref) -> None:
    place = index.resolve(query)
    assert place.kind == kind
    assert place.country_code == country
    assert _km((place.lat_deg, place.lon_deg), (lat, lon)) <= tol_km, ref


def test_resolve__known_answers_cover_every_kind_of_the_issue() -> None:
    kinds = {k[1] for k in KNOWN}
    assert {
        "city",
        "airbase",
        "airport",
        "closed_airfield",
        "sea",
        "gulf",
        "strait",
        "island",
        "region",
        "site",
    } <= kinds
    assert len(KNOWN) >= 40


def test_resolve__ambiguous_name_says_which_it_chose(index) -> None:
    # the label printed in reports names the country when others share the name
    assert index.resolve("Tripoli").label == "Tripoli, Libya"
    assert index.resolve("Tripoli, Lebanon").label == "Tripoli, Lebanon"
    assert index.resolve("Belgrade").label == "Belgrade, Serbia"
    # a unique name stays as it is
    assert index.resolve("Whiteman AFB").label == "Whiteman Air Force Base"


def test_resolve__display_names_read_as_people_write_them(index) -> None:
    # airportsdata calls it "Barksdale Afb Airport"; the index shows OurAirports' name
    assert index.resolve("Barksdale Afb Airport").name == "Barksdale Air Force Base"
    assert index.resolve("KBAD").name == "Barksdale Air Force Base"


def test_resolve__air_base_before_a_smaller_field_of_the_same_town(index) -> None:
    # "Lakenheath" is the stem of RAF Lakenheath; no town of that name is in the index (under 5,000 people)
    assert index.resolve("Lakenheath").name == "RAF Lakenheath"


def test_resolve__curated_places_come_first(index) -> None:
    assert index.resolve("XLMO").name == "Olenya air base"  # curated, not OurAirports' copy
    assert index.resolve("ULAK").name == "Severomorsk-1 naval air base"
    assert index.resolve("Moscow").source.startswith("en.wikipedia")


def test_resolve__near_pin_picks_the_nearest(index) -> None:
    place = index.resolve("Stanley (-51.7, -57.85)")
    assert place.country_code == "FK"


def test_resolve__unknown_name_suggests_from_the_whole_index(index) -> None:
    with pytest.raises(UnknownPlaceError) as info:
        index.resolve("Rigaa")
    assert info.value.suggestions[0] == "Riga"
    with pytest.raises(UnknownPlaceError) as info:
        index.resolve("Olenyaa")
    assert info.value.suggestions[0] == "Olenya air base"
    with pytest.raises(UnknownPlaceError) as info:
        index.resolve("Nort Sea")
    assert info.value.suggestions[0] == "North Sea"
    assert len(info.value.suggestions) <= 3


def test_resolve__country_pin_that_matches_nothing_is_unknown(index) -> None:
    with pytest.raises(UnknownPlaceError):
        index.resolve("Tripoli, Norway")


@pytest.mark.parametrize("query", ["", "   ", "---", "x" * 5000])
def test_resolve__empty_or_huge_name_fails_fast(index, query) -> None:
    with pytest.raises(UnknownPlaceError) as info:
        index.resolve(query)
    assert len(str(info.value)) < 200


def test_search__filters_by_kind_and_country(index) -> None:
    assert {p.kind for p in index.search("Tripoli", kind="airport", fuzzy=False)} <= {
        "airbase",
        "airport",
        "heliport",
        "seaplane_base",
        "balloonport",
        "closed_airfield",
    }
    found = index.search("Tripoli", country="LB", fuzzy=False)
    assert found and {p.country_code for p in found} == {"LB"}
    with pytest.raises(ValueError, match="unknown kind"):
        index.search("Tripoli", kind="castle")


def test_search__near_orders_by_distance(index) -> None:
    near_beirut = index.search("Tripoli", near=(33.89, 35.50), fuzzy=False)
    assert near_beirut[0].country_code == "LB"


def test_find_in_text__finds_names_in_an_article(index) -> None:
    text = "The B-52s took off from RAF Fairford, crossed the North Sea and struck targets near Tripoli."
    names = [p.name for _, _, p in index.find_in_text(text)]
    assert names[:3] == ["RAF Fairford", "North Sea", "Tripoli"]


def test_place__every_label_round_trips(index) -> None:
    """Every name the tool prints resolves to the same place: all curated places and a random sample."""
    rng = random.Random(9)
    rows = list(range(400)) + rng.sample(range(len(index)), 1500)
    for row in rows:
        place = index.place(row)
        assert index.resolve(place.label).row == row, place.label
        assert place.kind in KINDS


def test_index__fresh_for_its_curated_inputs(index) -> None:
    """The committed index was built from the curated YAML files as they are (else: python -m geodata.build_places)."""
    import hashlib

    from geodata.build_places import FEATURES_PATH
    from geodata.gazetteer import GAZETTEER_PATH

    hashes = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (GAZETTEER_PATH, FEATURES_PATH)}
    assert index.meta["inputs_sha256"] == hashes


def test_index__sources_and_size(index) -> None:
    counts = index.meta["counts"]
    assert counts["ourairports"] > 50_000 and counts["geonames"] > 60_000 and counts["curated"] > 250
    assert index.meta["versions"]["ourairports"] == "1.1.0.20221011"
    assert "OurAirports" in index.resolve("EGUL").source and "2022" in index.resolve("EGUL").source
    assert "GeoNames" in index.resolve("Riga").source and "CC BY 4.0" in index.resolve("Riga").source


@pytest.mark.parametrize(
    ("entry", "inside", "problem"),
    [
        ({"name": "S", "kind": "sea", "lat": 1, "lon": 2}, [], None),
        ({"name": "S", "kind": "strait", "lat": 1, "lon": 2}, ["ESP"], "not in water"),
        ({"name": "I", "kind": "island", "country": "SWE", "lat": 1, "lon": 2}, ["SWE"], None),
        ({"name": "I", "kind": "island", "country": "SWE", "lat": 1, "lon": 2}, [], "in water, not on land"),
        ({"name": "I", "kind": "island", "country": "SWE", "lat": 1, "lon": 2}, ["DNK"], "not in SWE"),
        ({"name": "R", "kind": "region", "lat": 1, "lon": 2}, ["UKR"], None),
        ({"name": "B", "kind": "strait", "lat": 1, "lon": 2, "check": "none"}, ["TUR"], None),
    ],
)
def test_feature_problem__seas_in_water_islands_on_their_land(entry, inside, problem) -> None:
    from geodata.build_places import feature_problem

    found = feature_problem(entry, inside)
    assert (found is None) if problem is None else (problem in found)


def test_features__every_point_where_its_kind_says() -> None:
    """features.yaml against the embedded Natural Earth polygons, as the build checks it."""
    import shapely
    import yaml

    from geodata.build_places import FEATURES_PATH, feature_problem
    from geodata.countries import load_countries

    frame = load_countries("fine")
    tree = shapely.STRtree(frame.geometry.values)
    features = yaml.safe_load(FEATURES_PATH.read_text(encoding="utf-8"))["features"]
    problems = []
    for entry in features:
        hits = tree.query(shapely.Point(entry["lon"], entry["lat"]), predicate="intersects")
        if (problem := feature_problem(entry, [str(frame.iso3.iloc[i]) for i in hits])) is not None:
            problems.append(problem)
    assert problems == []
    assert sum(e.get("check") == "none" for e in features) <= len(features) // 6


@pytest.mark.parametrize(
    ("query", "name", "field"),
    [
        ("LHR", "London Heathrow Airport", "IATA code"),
        ("LKZ", "RAF Lakenheath", "IATA code"),
        ("MHZ", "RAF Mildenhall", "IATA code"),
        ("YEE", "Huronia Airport", "local code (no IATA code)"),
        ("SZL", "Whiteman Air Force Base", "IATA and local code"),
        ("Knob Noster", "Whiteman Air Force Base", "municipality (a town of under 5,000, not in GeoNames' list)"),
        ("Olenegorsk", "Olenya air base", "OurAirports keyword, joined to the curated row"),
        ("RU-4464", "Olenya air base", "OurAirports ident"),
        ("Wheelus Air Force Base", "Mitiga International Airport", "OurAirports keyword (former name)"),
    ],
)
def test_resolve__airfields_by_every_code_and_name_of_the_issue(index, query, name, field) -> None:
    """Airfields are found by ICAO (known answers above), IATA, local code, ident, municipality and
    keywords (alternative names), as the issue lists them."""
    assert index.resolve(query).name == name, field


def test_provenance__an_entry_for_every_source_of_the_index(index) -> None:
    """geodata/PROVENANCE.md has a row for each source the index was built from, at the version built."""
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / "geodata" / "PROVENANCE.md").read_text(encoding="utf-8")
    section = text[text.index("## World place index") :]
    rows = [line for line in section.splitlines() if line.startswith("| ")]
    for source, version in index.meta["versions"].items():
        assert any(f"{source}=={version}" in row for row in rows), (source, version)
    for curated in ("gazetteer.yaml", "features.yaml"):
        assert any(f"`{curated}`" in row for row in rows), curated
    assert set(index.meta["counts"]) - {"keys"} == {"ourairports", "airportsdata", "geonames", "curated"}
