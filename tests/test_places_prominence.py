"""Which place an airfield's short name picks (issue 9 follow-up: "Heathrow" was Heathrow, Florida).

The rule (README "Which place a name picks", ``geodata.build_places._promote_short_names``): the short
name of a large airport or a medium or large air base ("Heathrow", "Gatwick", "Mildenhall") ranks as
its own name, by prominence on the same scale as population, unless a curated place, a capital or a
town of 100,000 people or more has that name or alternative name. Before, a town's own name always
beat an airfield's short name, whatever their sizes, and "Gatwick" and "Schiphol" were unknown.
"""

from __future__ import annotations

import functools
import itertools
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geodata.build_places import _PROMINENT_AIRFIELD_SCORE, _TOWN_KEEPS_ITS_NAME_POPULATION, Row, _promote_short_names
from geodata.names import normalize_name
from geodata.place_format import _LONGEST_SHARDED, _SHARDS_PER_LENGTH, KIND_GROUPS, KINDS, PlaceKind, Tier
from geodata.places import default_index, distance_m
from missions.__main__ import main
from missions.analysis import compute_mission
from missions.feasibility import assess
from missions.parsing import parse_mission
from missions.report import to_text

AIRFIELD_KINDS = frozenset(KIND_GROUPS["airfield"])


@pytest.mark.parametrize(
    ("name", "kind", "country", "why"),
    [
        ("Manchester", "city", "GB", "Manchester Airport (large) is named after the city of 569,000 people"),
        ("Orlando", "city", "US", "Orlando International (large) against a city of 335,000"),
        ("Frankfurt", "city", "DE", "Frankfurt Airport (an air base by its keywords) against a city's other name"),
        ("Narita", "city", "JP", "Narita International (large) against a city of 133,000"),
        ("Osan", "city", "KR", "Osan Air Base against a city of 239,000"),
        ("Riga", "city", "LV", "Riga International Airport (large) against the capital"),
        ("Paris", "city", "FR", "curated"),
        ("Diego Garcia", "island", "IO", "curated island; the airfield is 0.4 km from its point"),
    ],
)
def test_resolve__a_prominent_place_keeps_its_name(name, kind, country, why):
    place = default_index().resolve(name)
    assert (place.kind, place.country_code) == (kind, country), why


def _row(name: str, kind: PlaceKind, score: float, *, source: str = "geonames", capital: bool = False) -> Row:
    row = Row(name=name, lat_deg=0.0, lon_deg=0.0, kind=kind, country="", score=score, source=source, ref="",
              capital=capital)  # fmt: skip
    row.add(name, Tier.CURATED if source == "curated" else Tier.NAME)
    return row


def _base(short: str, score: float = _PROMINENT_AIRFIELD_SCORE) -> Row:
    row = _row(f"{short} Air Base", "airbase", score, source="ourairports")
    row.add(short, Tier.WEAK)
    row.short_names.append(normalize_name(short))
    return row


@pytest.mark.parametrize(
    ("town", "ranked_as_own"),
    [
        (_row("Smallton", "city", _TOWN_KEEPS_ITS_NAME_POPULATION - 1), True),
        (_row("Smallton", "city", _TOWN_KEEPS_ITS_NAME_POPULATION), False),
        (_row("Smallton", "city", 2_000, capital=True), False),
        (_row("Smallton", "island", 1e8, source="curated"), False),
    ],
    ids=["town-99999", "town-100000", "small-capital", "curated"],
)
def test_promote_short_names__towns_of_100000_capitals_and_curated_places_keep_their_name(town, ranked_as_own):
    base = _base("Smallton")
    assert _promote_short_names([town, base]) == int(ranked_as_own)
    assert base.keys["smallton"] == (Tier.NAME if ranked_as_own else Tier.WEAK)


def test_promote_short_names__an_alternative_name_of_a_large_town_is_kept():
    town = _row("Frankfurt am Main", "city", 650_000)
    town.add("Frankfurt", Tier.ALTERNATE)
    base = _base("Frankfurt")
    assert _promote_short_names([town, base]) == 0 and base.keys["frankfurt"] == Tier.WEAK


@pytest.mark.parametrize(
    ("town_country", "alternative", "ranked_as_own"),
    [
        ("CN", "Changi", True),  # Zhangye, China, is also called Changi in GeoNames: a foreign, unrelated name
        ("SG", "Changi", False),  # a town of the airfield's own country keeps its alternative name
        ("CN", "Changi Town", False),  # the alternative is a form of the town's own name
    ],
    ids=["foreign-unrelated", "same-country", "form-of-own-name"],
)
def test_promote_short_names__a_foreign_towns_unrelated_alternative_name_does_not_keep_it(
    town_country, alternative, ranked_as_own
):
    town = _row("Changi Town" if "Town" in alternative else "Zhangye", "city", 507_000)
    town.country = town_country
    town.add("Changi", Tier.ALTERNATE)
    base = _base("Changi", score=500_000)
    base.country = "SG"
    assert _promote_short_names([town, base]) == int(ranked_as_own)
    assert base.keys["changi"] == (Tier.NAME if ranked_as_own else Tier.WEAK)


@functools.cache
def _decided_names() -> tuple[str, ...]:
    """Every name the rule decided: a town has it, and an airfield's short name wins over the town.

    (Not the names that are an airfield's own name: "Gorki" and "Yamburg", small Russian fields, win over
    Nizhny Novgorod's and Kingisepp's other names by the earlier rule that an own name comes first.)
    """
    index = default_index()
    kind, score = index._columns["kind"], index._columns["score"]
    city = KINDS.index("city")
    names: list[str] = []
    for length in range(1, _LONGEST_SHARDED + 1):
        for s in range(_SHARDS_PER_LENGTH):
            keys = index._shard_keys(f"{length:02d}-{s:x}")
            entries = index._shard_entries(f"{length:02d}-{s:x}").tolist() if keys else []
            for key, group in itertools.groupby(zip(keys, entries, strict=True), key=lambda ke: ke[0]):
                found = [(e & 3, e >> 2) for _, e in group]
                if not any(t <= Tier.ALTERNATE and kind[r] == city for t, r in found):
                    continue
                tier, row = min(found, key=lambda tr: (tr[0], -float(score[tr[1]]), tr[1]))  # as the lookup ranks
                airfield = KINDS[int(kind[row])] in AIRFIELD_KINDS and tier == Tier.NAME
                prominent = float(score[row]) >= _PROMINENT_AIRFIELD_SCORE  # only these have short names ranked so
                if airfield and prominent and normalize_name(index.place(row).name) != key:  # not its own name
                    names.append(key)
    return tuple(names)


README = Path(__file__).resolve().parents[1] / "README.md"


def test_decided_names__as_many_as_the_readme_says_and_the_known_ones():
    names = _decided_names()
    assert {"heathrow", "mildenhall", "kadena", "aviano", "dover", "minot", "moron"} <= set(names)
    readme = " ".join(README.read_text("utf-8").split())
    promised = re.search(r"(\d[\d,]*) names of towns pick an airfield by its short name", readme)
    assert promised is not None and len(names) == int(promised[1].replace(",", ""))


@pytest.mark.parametrize(
    ("name", "label", "kind", "people"),
    [
        ("Heathrow", "London Heathrow Airport", "airport", None),
        ("Heathrow, US", "Heathrow, United States", "city", 5_900),
        ("Dover", "Dover Air Force Base", "airbase", None),
        ("Dover, GB", "Dover, United Kingdom", "city", 41_700),
        ("Minot", "Minot Air Force Base, United States", "airbase", None),
        ("Moron", "Moron Air Base", "airbase", None),
        ("Manchester", "Manchester, United Kingdom", "city", 569_000),
        ("Orlando", "Orlando", "city", 335_000),
        ("Narita", "Narita", "city", 133_000),
        ("Osan", "Osan", "city", 239_000),
        ("Frankfurt", "Frankfurt am Main", "city", 650_000),
        ("Changi", "Singapore Changi Airport", "airbase", None),
        ("Gangshan", "Gangshan Air Force Base", "airbase", None),
        ("Guam", "Guam", "island", None),
    ],
)
def test_resolve__the_readme_examples_as_written(name, label, kind, people):
    place = default_index().resolve(name)
    assert (place.label, place.kind) == (label, kind)
    if people is not None:
        assert place.prominence == pytest.approx(people, rel=0.01)
    assert f"`{name.split(',')[0]}`" in " ".join(README.read_text(encoding="utf-8").split())  # named so in the README


def test_places_cli__a_town_that_lost_its_name_is_still_listed(capsys):
    """``places Dover --kind city``, as the README writes it: Dover, England first, as the name to write."""
    assert main(["places", "Dover", "--kind", "city"]) == 0
    first = capsys.readouterr().out.splitlines()[1]
    assert first.startswith("Dover, United Kingdom ")
    assert default_index().resolve("Dover, United Kingdom").kind == "city"


def test_resolve__guam_stays_the_island_andersen_22_km_away():
    index = default_index()
    guam, andersen = index.resolve("Guam"), index.resolve("Andersen AFB")
    assert andersen.code == "PGUA" and index.resolve("FJDG").name == "Diego Garcia Naval Support Facility"
    apart_m = distance_m((guam.lat_deg, guam.lon_deg), (andersen.lat_deg, andersen.lon_deg))
    assert apart_m == pytest.approx(22_000, abs=500)


@settings(max_examples=12)
@given(key=st.deferred(lambda: st.sampled_from(_decided_names())))
def test_report__a_short_name_prints_the_airfield_it_chose(key):
    """For any name the rule gave an airfield over a town: the airfield is larger than every town of
    that name in its country and every town abroad whose own name it is, none of them a city of
    100,000 (a larger town abroad may only have it as an unrelated alternative name: Zhangye, China,
    "Changi"); the report prints the airfield's own name (never the bare short name), which reads back
    as the same place; and each town it beat is still reachable by the name the tool prints for it."""
    index = default_index()
    place = index.resolve(key)
    towns = index.search(key, kind="city", fuzzy=False)
    bound = min(_TOWN_KEEPS_ITS_NAME_POPULATION, place.prominence)
    assert towns and all(
        t.prominence < bound or (t.country_code != place.country_code and key not in normalize_name(t.name))
        for t in towns
    )
    assert normalize_name(place.label) != key and index.resolve(place.label).row == place.row
    for town in towns:
        assert index.resolve(town.label).row == town.row, town.label
    mission = parse_mission(
        "name: m\nsorties:\n  - name: a\n    aircraft: F-111F\n    takeoff: 1986-04-14T17:36:00Z\n"
        f"    speed: 800 km/h\n    route: ['{key}', '51.6822, -1.79']\n",
        file="m.yaml",
    )
    result = compute_mission(mission)
    text = to_text(result, "km", assess(result))
    (leg,) = [line for line in text.splitlines() if line.startswith("1  ")]
    assert leg[3:].startswith(place.label), (key, leg)  # the legs table's "from" column
    assert result.sorties[0].sortie.route[0].point.name == place.label  # the JSON, map and exports read this
