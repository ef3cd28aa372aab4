"""Tests for missions.performance: the sourced catalogue, its parser, lookup and tables."""

from __future__ import annotations

import doctest
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from missions import performance
from missions.errors import CatalogError, MissionFileError, UnitError
from missions.performance import (
    Aircraft,
    Figure,
    Source,
    Weapon,
    find_aircraft,
    find_weapon,
    format_aircraft_table,
    format_weapons_table,
    load_aircraft_catalog,
    load_weapons_catalog,
    normalise_name,
    parse_aircraft_catalog,
    parse_figure,
    parse_weapons_catalog,
)

AIRCRAFT = load_aircraft_catalog()
WEAPONS = load_weapons_catalog()

REQUIRED_AIRCRAFT = [
    "Tu-160",
    "Tu-95MS",
    "Tu-22M3",
    "Su-30SM",
    "Su-34",
    "Su-24M",
    "Il-78M",
    "B-52H",
    "B-1B",
    "B-2A",
    "KC-135R",
    "F-111F",
    "Rafale M",
    "Vulcan B.2",
]
REQUIRED_WEAPONS = [
    "Kalibr 3M-14",
    "Kh-101",
    "Kh-555",
    "Kh-55",
    "Kh-22",
    "Tomahawk",
    "AGM-86C",
    "SCALP/Storm Shadow",
]


def _having(*names: str) -> list[object]:
    """Aircraft that have every one of the named figures, as test parameters."""
    return [pytest.param(a, id=a.name) for a in AIRCRAFT.values() if all(getattr(a, n) is not None for n in names)]


# Loose factor for "endurance is about range / cruise speed": ranges and endurances are quoted
# for different loads and reserves, so only a factor of two either way is required.
ENDURANCE_FACTOR = 2.0


def _figure(lo: float, hi: float | None = None) -> dict[str, object]:
    hi = lo if hi is None else hi
    return {"min": lo, "max": hi, "sources": [{"title": "a page"}]}


def _aircraft_data(**overrides: object) -> dict[str, object]:
    entry: dict[str, object] = {"role": "bomber", "aliases": ["Big One"], "max_speed_kmh": _figure(900)}
    entry.update(overrides)
    return {"aircraft": {"Test-1": entry}}


# --- the packaged catalogue -----------------------------------------------------------------


def test_catalog__every_required_aircraft_is_present() -> None:
    assert set(REQUIRED_AIRCRAFT) <= set(AIRCRAFT)


def test_catalog__every_required_weapon_is_present() -> None:
    assert set(REQUIRED_WEAPONS) <= set(WEAPONS)


#: the types issue 9 names, spelt as the issue spells them
ISSUE_STRIKE_AIRCRAFT = [
    "Tu-160",
    "Tu-95MS",
    "Tu-22M3",
    "Su-24M",
    "Su-34",
    "Su-30SM",
    "MiG-31K",
    "B-52H",
    "B-1B",
    "B-2A",
    "F-111F",
    "F-15E",
    "F-16C",
    "F-35A",
    "Tornado GR4",
    "Rafale",
    "Typhoon",
    "Vulcan B.2",
]
ISSUE_TANKERS = ["Il-78M", "KC-135R", "KC-10A", "KC-46A", "A330 MRTT", "Victor K2"]
ISSUE_WEAPONS = [
    "Kh-55",
    "Kh-555",
    "Kh-101",
    "Kalibr 3M14",
    "Kinzhal",
    "Iskander-M",
    "Tomahawk",
    "AGM-86B",
    "AGM-86C",
    "JASSM-ER",
    "Storm Shadow",
    "SCALP",
    "Shahed-136",
    "GBU-57",
]


def test_catalog__every_type_the_issue_names_is_found_by_that_name() -> None:
    strike = {name: find_aircraft(name) for name in ISSUE_STRIKE_AIRCRAFT}
    assert {a.role for a in strike.values()} <= {"bomber", "fighter"}
    assert len({a.name for a in strike.values()}) == len(ISSUE_STRIKE_AIRCRAFT)
    tankers = [find_aircraft(name) for name in ISSUE_TANKERS]
    assert [t.role for t in tankers] == ["tanker"] * len(ISSUE_TANKERS)
    weapons = {name: find_weapon(name).name for name in ISSUE_WEAPONS}
    assert weapons["Storm Shadow"] == weapons["SCALP"] and len(set(weapons.values())) == len(ISSUE_WEAPONS) - 1


def test_catalog__entries_are_parsed_into_model_types() -> None:
    assert all(isinstance(a, Aircraft) for a in AIRCRAFT.values())
    assert all(isinstance(w, Weapon) for w in WEAPONS.values())
    assert all(a.role in performance.ROLES for a in AIRCRAFT.values())


def test_catalog__loader_is_cached() -> None:
    assert load_aircraft_catalog() is load_aircraft_catalog()
    assert load_weapons_catalog(performance.WEAPONS_CATALOG_PATH) is load_weapons_catalog()


def _violations(check: Callable[[str, Figure], str | None]) -> list[str]:
    """``entry.figure: problem`` for every figure of both catalogues that ``check`` finds wrong."""
    found = []
    for catalog in (AIRCRAFT, WEAPONS):
        for entry in catalog.values():
            for name, figure in entry.figures().items():
                problem = check(name, figure)
                if problem:
                    found.append(f"{entry.name}.{name}: {problem}")
    return found


def test_catalog__every_figure_lies_within_what_its_sources_say() -> None:
    """The catalogue's min–max is the span of its sources: no source outside it, and a spread that
    no derivation explains is reached at both ends by the sources' own values."""

    def check(name: str, figure: Figure) -> str | None:
        stated = [s for s in figure.sources if s.min is not None and s.max is not None]
        outside = [s.title for s in stated if not figure.min <= s.min <= s.max <= figure.max]  # type: ignore[operator]
        if outside:
            return f"sources outside {figure.format()}: {outside}"
        if figure.is_range and not figure.derived:
            if not stated:
                return "a min–max spread with no source values"
            if (min(s.min for s in stated), max(s.max for s in stated)) != (figure.min, figure.max):  # type: ignore[type-var]
                return f"sources do not reach both ends of {figure.format()}"
        if not figure.min <= figure.nominal <= figure.max or figure.min < 0:
            return f"nominal {figure.nominal} outside {figure.format()} or negative"
        return None

    assert _violations(check) == []


def test_catalog__every_source_is_cited() -> None:
    """Each source names a page or publication that a reader can find: an http(s) address, or a
    title long enough to identify it; a derived figure says how it was derived."""

    def check(name: str, figure: Figure) -> str | None:
        for source in figure.sources:
            if source.url is not None and not source.url.startswith(("https://", "http://")):
                return f"source {source.title!r} has no web address: {source.url!r}"
            if source.url is None and len(source.title.split()) < 3:
                return f"source {source.title!r} cannot be found from its title alone"
        if figure.derived is not None and len(figure.derived) <= 20:
            return f"derived figure does not say how: {figure.derived!r}"
        return None

    assert _violations(check) == []


#: one sourced known value per figure (/work/shared/reference/facts.md, "Performance figures"):
#: the catalogue's min–max must contain it
KNOWN_VALUES = [
    ("Tu-160", "unrefuelled_range_km", 12_300.0),  # Tupolev, via dnaindia
    ("Tu-160", "max_speed_kmh", 2_230.0),  # vesti.ru
    ("Tu-160", "max_mach", 2.05),
    ("Tu-95MS", "max_speed_kmh", 925.0),  # RIA
    ("Tu-95MS", "unrefuelled_range_km", 15_000.0),  # RIA
    ("Tu-22M3", "cruise_speed_kmh", 930.0),  # militaryupdate.net
    ("Tu-22M3", "combat_radius_km", 1_850.0),
    ("Tu-22M3", "unrefuelled_range_km", 3_700.0),
    ("Su-30SM", "unrefuelled_range_km", 1_500.0),  # TASS
    ("Su-30SM", "endurance_h", 3.5),  # TASS
    ("Su-34", "unrefuelled_range_km", 4_000.0),  # Sukhoi
    ("Su-34", "combat_radius_km", 1_100.0),
    ("Il-78M", "offload_kg", 40_000.0),  # AIN: ~40 t at 3,000 km
    ("Il-78M", "offload_distance_km", 3_000.0),
]
KNOWN_WEAPON_VALUES = [
    ("Kalibr 3M-14", "range_km", 1_500.0),  # TASS
    ("Kalibr 3M-14", "range_km", 2_500.0),  # RT
    ("Kh-101", "range_km", 4_500.0),  # gazeta.ru
    ("Kh-555", "range_km", 2_000.0),  # gagadget
    ("Kh-555", "speed_kmh", 720.0),  # rid.it (Kh-55 parent)
]


@pytest.mark.parametrize(
    ("catalog", "name", "figure", "value"),
    [("aircraft", *k) for k in KNOWN_VALUES] + [("weapons", *k) for k in KNOWN_WEAPON_VALUES],
)
def test_catalog__figure_contains_its_sourced_known_value(catalog: str, name: str, figure: str, value: float) -> None:
    entry = (AIRCRAFT if catalog == "aircraft" else WEAPONS)[name]
    known = getattr(entry, figure)
    assert known is not None, f"{name} lacks {figure}"
    assert known.min <= value <= known.max


def test_catalog__every_missing_figure_is_explained_in_notes() -> None:
    for entry in [*AIRCRAFT.values(), *WEAPONS.values()]:
        names = performance.AIRCRAFT_FIGURES if isinstance(entry, Aircraft) else performance.WEAPON_FIGURES
        missing = [n for n in names if getattr(entry, n) is None and not n.startswith("offload")]
        if missing:
            assert entry.notes, f"{entry.name} lacks {missing} but has no notes"


@pytest.mark.parametrize("aircraft", _having("cruise_speed_kmh", "max_speed_kmh"))
def test_aircraft__cruise_speed_is_below_max_speed(aircraft: Aircraft) -> None:
    cruise, top = aircraft.cruise_speed_kmh, aircraft.max_speed_kmh
    assert cruise is not None and top is not None
    assert cruise.min < top.max
    assert cruise.max <= top.max


@pytest.mark.parametrize("aircraft", _having("unrefuelled_range_km", "combat_radius_km"))
def test_aircraft__range_exceeds_combat_radius(aircraft: Aircraft) -> None:
    rng, radius = aircraft.unrefuelled_range_km, aircraft.combat_radius_km
    assert rng is not None and radius is not None
    assert rng.max > radius.max
    assert rng.value > radius.value


@pytest.mark.parametrize("aircraft", _having("unrefuelled_range_km", "cruise_speed_kmh", "endurance_h"))
def test_aircraft__endurance_is_about_range_over_cruise_speed(aircraft: Aircraft) -> None:
    rng, cruise, endurance = (
        aircraft.unrefuelled_range_km,
        aircraft.cruise_speed_kmh,
        aircraft.endurance_h,
    )
    assert rng is not None and cruise is not None and endurance is not None
    shortest_h, longest_h = rng.min / cruise.max, rng.max / cruise.min
    assert shortest_h <= endurance.max * ENDURANCE_FACTOR
    assert longest_h >= endurance.min / ENDURANCE_FACTOR


@pytest.mark.parametrize("aircraft", _having("internal_fuel_kg", "cruise_burn_kg_per_h", "endurance_h"))
def test_aircraft__burn_times_endurance_is_about_the_fuel(aircraft: Aircraft) -> None:
    fuel, burn, endurance = aircraft.internal_fuel_kg, aircraft.cruise_burn_kg_per_h, aircraft.endurance_h
    assert fuel is not None and burn is not None and endurance is not None
    assert burn.min * endurance.min <= fuel.max * 1.01
    assert burn.max * endurance.max >= fuel.min * 0.99


@pytest.mark.parametrize("aircraft", _having("max_mach", "max_speed_kmh"))
def test_aircraft__max_mach_agrees_with_max_speed(aircraft: Aircraft) -> None:
    # Mach 1 lies between 1,062 km/h (at altitude, -56.5 °C) and 1,225 km/h (sea level, 15 °C).
    mach, top = aircraft.max_mach, aircraft.max_speed_kmh
    assert mach is not None and top is not None
    assert mach.min * 1062 * 0.9 <= top.max
    assert top.min <= mach.max * 1225 * 1.1


def test_aircraft__plausibility_checks_cover_the_main_types() -> None:
    # The checks above must not pass by having nothing to check.
    assert len(_having("cruise_speed_kmh", "max_speed_kmh")) >= 6
    assert len(_having("unrefuelled_range_km", "combat_radius_km")) >= 5
    assert _having("unrefuelled_range_km", "cruise_speed_kmh", "endurance_h")


def test_aircraft__tankers_and_only_tankers_have_an_offload() -> None:
    for aircraft in AIRCRAFT.values():
        if aircraft.role != "tanker":
            assert aircraft.offload_kg is None, aircraft.name
        elif aircraft.offload_kg is None:  # no source gives it: the notes say so and what to give
            assert aircraft.notes and "offload" in aircraft.notes, aircraft.name
        if aircraft.offload_kg is not None and aircraft.internal_fuel_kg is not None:
            assert aircraft.offload_kg.max < aircraft.internal_fuel_kg.max


def test_aircraft__il78m_offloads_40_t_at_3000_km() -> None:
    il78 = find_aircraft("Il-78M")
    assert il78.offload_kg is not None and il78.offload_kg.value == pytest.approx(40_000)
    assert il78.offload_distance_km is not None
    assert il78.offload_distance_km.value == pytest.approx(3_000)


def test_aircraft__tu160_figures_match_the_reference_facts() -> None:
    # facts.md: Mach 2.05, 2,200-2,230 km/h; unrefuelled range 12,300 km (Tupolev) among others.
    tu160 = find_aircraft("Tu-160")
    assert tu160.max_mach is not None and tu160.max_mach.value == pytest.approx(2.05)
    assert tu160.max_speed_kmh is not None
    assert 2200 <= tu160.max_speed_kmh.min <= tu160.max_speed_kmh.max <= 2230
    assert tu160.unrefuelled_range_km is not None
    assert tu160.unrefuelled_range_km.min <= 12_300 <= tu160.unrefuelled_range_km.max
    assert tu160.unrefuelled_range_km.condition


def test_aircraft__tu160_derived_burn_is_fuel_over_endurance() -> None:
    tu160 = find_aircraft("Tu-160")
    fuel, burn, endurance = tu160.internal_fuel_kg, tu160.cruise_burn_kg_per_h, tu160.endurance_h
    assert fuel is not None and burn is not None and endurance is not None
    assert burn.derived
    assert burn.min == pytest.approx(fuel.min / endurance.max, abs=1)
    assert burn.max == pytest.approx(fuel.max / endurance.min, abs=1)


def test_weapon__kalibr_reaches_1500_km_but_not_2700_km() -> None:
    kalibr = find_weapon("Kalibr")
    assert kalibr.range_km is not None
    assert kalibr.range_km.min <= 1_500 <= kalibr.range_km.max < 2_700


# --- lookup ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["Tu-160", "tu 160", "TU-160", "tu160", " Tu 160 ", "Blackjack", "BLACK JACK", "Tú-160", "tu-160m"],
)
def test_find_aircraft__by_name_alias_case_and_spacing(name: str) -> None:
    assert find_aircraft(name).name == "Tu-160"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Bear-H", "Tu-95MS"),
        ("backfire c", "Tu-22M3"),
        ("Flanker-H", "Su-30SM"),
        ("vulcan b2", "Vulcan B.2"),
        ("rafale-m", "Rafale M"),
        ("kc 135", "KC-135R"),
    ],
)
def test_find_aircraft__by_other_aliases(name: str, expected: str) -> None:
    assert find_aircraft(name).name == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("kalibr", "Kalibr 3M-14"),
        ("3m-14", "Kalibr 3M-14"),
        ("3M14", "Kalibr 3M-14"),
        ("SS-N-30A", "Kalibr 3M-14"),
        ("AS-15 Kent", "Kh-55"),
        ("kh-55sm", "Kh-55"),
        ("KH 555", "Kh-555"),
        ("Tomahawk Block IV", "Tomahawk"),
        ("storm shadow", "SCALP/Storm Shadow"),
        ("Scalp-EG", "SCALP/Storm Shadow"),
        ("calcm", "AGM-86C"),
    ],
)
def test_find_weapon__by_name_alias_case_and_spacing(name: str, expected: str) -> None:
    assert find_weapon(name).name == expected


def test_find_aircraft__unknown_name_suggests_the_closest() -> None:
    with pytest.raises(CatalogError) as info:
        find_aircraft("Tu-161")
    assert info.value.suggestions[0] == "Tu-160"
    assert len(info.value.suggestions) <= 3
    assert "Tu-161" in str(info.value)
    assert "did you mean 'Tu-160'" in info.value.one_line()


def test_find_weapon__unknown_name_suggests_the_closest() -> None:
    with pytest.raises(CatalogError) as info:
        find_weapon("Kh-102")
    assert "Kh-101" in info.value.suggestions
    assert len(info.value.suggestions) <= 3


def test_find_aircraft__nothing_close_gives_no_suggestions() -> None:
    with pytest.raises(CatalogError) as info:
        find_aircraft("zeppelin")
    assert info.value.suggestions == ()


def test_find_aircraft__in_a_given_catalog() -> None:
    catalog = parse_aircraft_catalog(_aircraft_data())
    assert find_aircraft("big one", catalog).name == "Test-1"
    with pytest.raises(CatalogError):
        find_aircraft("Tu-160", catalog)


# --- the normaliser --------------------------------------------------------------------------


@given(st.text())
def test_normalise_name__is_idempotent(text: str) -> None:
    once = normalise_name(text)
    assert normalise_name(once) == once


@given(st.text())
def test_normalise_name__ignores_case(text: str) -> None:
    assert normalise_name(text.upper()) == normalise_name(text.lower()) == normalise_name(text)


@given(st.text(), st.text(alphabet=" -_\t", max_size=5), st.text())
def test_normalise_name__ignores_spaces_and_hyphens(left: str, gap: str, right: str) -> None:
    assert normalise_name(left + gap + right) == normalise_name(left + right)


@given(st.text())
def test_normalise_name__keeps_only_lowercase_letters_and_digits(text: str) -> None:
    assert all(c.isalnum() for c in normalise_name(text))


@pytest.mark.parametrize(("raw", "expected"), [("Tú-160", "tu160"), ("Ту-160", "ту160"), ("B.2", "b2")])
def test_normalise_name__known_answers(raw: str, expected: str) -> None:
    assert normalise_name(raw) == expected


# --- the model -------------------------------------------------------------------------------


def test_figure__value_and_nominal_are_the_midpoint() -> None:
    figure = Figure(min=850.0, max=960.0, sources=(Source(title="a page"),))
    assert figure.value == figure.nominal == pytest.approx(905.0)
    assert figure.is_range
    assert figure.format() == "850–960"
    assert Figure(min=2.05, max=2.05, sources=(Source(title="p"),)).format(decimals=2) == "2.05"


@pytest.mark.parametrize(
    ("lo", "hi", "sources"),
    [(2.0, 1.0, (Source(title="p"),)), (1.0, 2.0, ()), (float("nan"), 1.0, (Source(title="p"),))],
)
def test_figure__rejects_impossible_values(lo: float, hi: float, sources: tuple[Source, ...]) -> None:
    with pytest.raises(ValueError):
        Figure(min=lo, max=hi, sources=sources)


# --- parser errors ---------------------------------------------------------------------------


def test_parse_figure__value_or_min_max() -> None:
    assert parse_figure(None) is None
    single = parse_figure({"value": 5, "sources": [{"title": "t", "url": "https://x"}]})
    assert single is not None and (single.min, single.max) == (5.0, 5.0)
    assert single.sources[0].url == "https://x"


@pytest.mark.parametrize(
    ("figure", "field"),
    [
        ({"min": 2, "max": 1, "sources": [{"title": "t"}]}, "aircraft.Test-1.max_speed_kmh.min"),
        ({"value": 1}, "aircraft.Test-1.max_speed_kmh.sources"),
        ({"value": 1, "sources": []}, "aircraft.Test-1.max_speed_kmh.sources"),
        ({"value": 1, "sources": [{"url": "u"}]}, "aircraft.Test-1.max_speed_kmh.sources[0].title"),
        ({"value": "fast", "sources": [{"title": "t"}]}, "aircraft.Test-1.max_speed_kmh.value"),
        ({"value": True, "sources": [{"title": "t"}]}, "aircraft.Test-1.max_speed_kmh.value"),
        ({"value": -1, "sources": [{"title": "t"}]}, "aircraft.Test-1.max_speed_kmh.value"),
        ({"sources": [{"title": "t"}]}, "aircraft.Test-1.max_speed_kmh"),
        ({"value": 1, "min": 1, "max": 2, "sources": [{"title": "t"}]}, "aircraft.Test-1.max_speed_kmh"),
        (
            {"min": 1, "max": 2, "sources": [{"title": "t", "value": 3}]},
            "aircraft.Test-1.max_speed_kmh.sources[0].value",
        ),
        ({"value": 1, "sources": [{"title": "t"}], "unit": "kn"}, "aircraft.Test-1.max_speed_kmh.unit"),
    ],
)
def test_parse_aircraft_catalog__bad_figure_names_its_field(figure: object, field: str) -> None:
    with pytest.raises(CatalogError) as info:
        parse_aircraft_catalog(_aircraft_data(max_speed_kmh=figure), "a.yaml")
    assert info.value.field == field
    assert info.value.file == "a.yaml"


def test_parse_aircraft_catalog__misspelt_field_is_suggested() -> None:
    with pytest.raises(CatalogError) as info:
        parse_aircraft_catalog(_aircraft_data(cruise_speed_kph=_figure(800)))
    assert info.value.field == "aircraft.Test-1.cruise_speed_kph"
    assert "cruise_speed_kmh" in info.value.suggestions


def test_parse_aircraft_catalog__unknown_role_is_rejected() -> None:
    with pytest.raises(CatalogError) as info:
        parse_aircraft_catalog(_aircraft_data(role="bommber"))
    assert info.value.field == "aircraft.Test-1.role"
    assert info.value.suggestions == ("bomber",)


def test_parse_aircraft_catalog__alias_naming_two_entries_is_rejected() -> None:
    data = _aircraft_data()
    data["aircraft"]["Test-2"] = {"role": "fighter", "aliases": ["big-one"]}  # type: ignore[index]
    with pytest.raises(CatalogError, match="names both"):
        parse_aircraft_catalog(data)


@pytest.mark.parametrize("data", [None, {}, {"aircraft": {}}, {"aircraft": []}, {"planes": {}}])
def test_parse_aircraft_catalog__empty_or_wrong_top_level_is_rejected(data: object) -> None:
    with pytest.raises(CatalogError):
        parse_aircraft_catalog(data)


def test_parse_weapons_catalog__minimal_entry() -> None:
    data = {"weapons": {"W-1": {"kind": "air-launched cruise missile", "range_km": _figure(100, 200)}}}
    weapon = parse_weapons_catalog(data)["W-1"]
    assert weapon.range_km is not None and weapon.range_km.value == pytest.approx(150)
    assert weapon.speed_kmh is None and weapon.launch_platforms == ()


def test_parse_catalog__words_become_enumerations() -> None:
    """role and kind are read into Role and WeaponKind; the text table prints the catalogue's own words."""
    assert all(isinstance(a.role, performance.Role) for a in AIRCRAFT.values())
    assert all(isinstance(w.kind, performance.WeaponKind) for w in WEAPONS.values())
    assert AIRCRAFT["Tu-160"].role is performance.Role.BOMBER
    assert "air-launched cruise missile" in format_weapons_table(catalog={"Kh-101": WEAPONS["Kh-101"]})


def test_parse_weapons_catalog__unknown_kind_is_rejected() -> None:
    with pytest.raises(CatalogError) as info:
        parse_weapons_catalog({"weapons": {"W-1": {"kind": "air-launched cruise missle", "range_km": _figure(100)}}})
    assert info.value.field == "weapons.W-1.kind"
    assert info.value.suggestions == ("air-launched cruise missile",)
    assert "kind must be one of air-launched cruise missile, " in str(info.value)


def test_weapon__unknown_kind_is_a_value_error() -> None:
    weapon = WEAPONS["Kh-101"]
    with pytest.raises(ValueError, match="kind must be one of"):
        Weapon(**{**{f: getattr(weapon, f) for f in weapon.__dataclass_fields__}, "kind": "rock"})


def test_parse_weapons_catalog__missing_kind_is_rejected() -> None:
    with pytest.raises(CatalogError) as info:
        parse_weapons_catalog({"weapons": {"W-1": {"range_km": _figure(100)}}})
    assert info.value.field == "weapons.W-1.kind"


# --- loaders ---------------------------------------------------------------------------------


def test_load_aircraft_catalog__error_carries_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "aircraft.yaml"
    path.write_text(
        "aircraft:\n"
        "  Test-1:\n"
        "    role: bomber\n"
        "    max_speed_kmh:\n"
        "      min: 900\n"
        "      max: 800\n"
        "      sources: [{title: a page}]\n",
        encoding="utf-8",
    )
    with pytest.raises(CatalogError) as info:
        load_aircraft_catalog(path)
    assert info.value.file == str(path.resolve())
    assert info.value.line == 5
    assert info.value.one_line().startswith(f"{path.resolve()}:5: aircraft.Test-1.max_speed_kmh.min:")


def test_load_weapons_catalog__invalid_yaml_is_a_file_error(tmp_path: Path) -> None:
    path = tmp_path / "weapons.yaml"
    path.write_text("weapons:\n  W-1: [unclosed\n", encoding="utf-8")
    with pytest.raises(MissionFileError) as info:
        load_weapons_catalog(path)
    assert info.value.line is not None


def test_load_aircraft_catalog__missing_file_is_a_file_error(tmp_path: Path) -> None:
    with pytest.raises(MissionFileError):
        load_aircraft_catalog(tmp_path / "nope.yaml")


# --- tables ----------------------------------------------------------------------------------


def test_format_aircraft_table__lists_every_aircraft_with_ranges() -> None:
    text = format_aircraft_table()
    for name in REQUIRED_AIRCRAFT:
        assert name in text
    header = text.splitlines()[0]
    for column in ["name", "role", "cruise", "max speed", "range", "radius", "fuel", "burn", "endurance"]:
        assert column in header
    assert "2,220–2,230" in text  # Tu-160 maximum speed, where sources disagree
    assert "8,667–11,400*" in text  # Tu-160 derived burn is marked
    assert "Il-78M: 40,000 kg at 3,000 km" in text


def test_format_aircraft_table__converts_units() -> None:
    text = format_aircraft_table(units="nm")
    assert "max speed kn" in text and "range NM" in text
    assert "1,199–1,204" in text  # Tu-160: 2,220-2,230 km/h in knots


def test_format_weapons_table__lists_every_weapon() -> None:
    text = format_weapons_table()
    for name in REQUIRED_WEAPONS:
        assert name in text
    assert "1,400–2,600" in text  # Kalibr range
    assert "range km" in text.splitlines()[0]
    assert "range mi" in format_weapons_table("mi").splitlines()[0]


@pytest.mark.parametrize("formatter", [format_aircraft_table, format_weapons_table])
def test_format_table__unknown_units_raise(formatter: object) -> None:
    with pytest.raises(UnitError) as info:
        formatter(units="kms")  # type: ignore[operator]
    assert info.value.suggestions == ("km",)


def test_format_weapons_table__custom_catalog() -> None:
    data = {"weapons": {"W-1": {"kind": "air-launched cruise missile", "range_km": _figure(100, 200)}}}
    text = format_weapons_table(catalog=parse_weapons_catalog(data))
    assert "W-1" in text and "100–200" in text and "Tomahawk" not in text


# --- docstring examples ----------------------------------------------------------------------


def test_performance__docstring_examples_run() -> None:
    result = doctest.testmod(performance)
    assert result.attempted > 0
    assert result.failed == 0


def test_readme__missing_figure_table_lists_exactly_the_catalogue_entries_without_it() -> None:
    """The README's table of figures a mission can give names, for each, the catalogue entries that
    lack it; a figure filled or emptied in the YAML must be reflected there."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    rows = {}
    for line in readme.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[1].startswith(("sortie `", "refuel `", "launch `")):
            rows[cells[0]] = {n.strip() for n in cells[3].split("(")[0].split(",") if n.strip()}
    expected = {
        "aircraft range": {n for n, a in AIRCRAFT.items() if a.unrefuelled_range_km is None},
        "aircraft fuel": {n for n, a in AIRCRAFT.items() if a.internal_fuel_kg is None},
        "tanker offload": {n for n, a in AIRCRAFT.items() if a.role == "tanker" and a.offload_kg is None},
        "weapon range": {n for n, w in WEAPONS.items() if w.range_km is None},
        "weapon speed": {n for n, w in WEAPONS.items() if w.speed_kmh is None and w.mach is None},
    }
    assert rows == expected
