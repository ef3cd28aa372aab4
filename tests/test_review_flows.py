"""Bugs a new user met writing missions from the press (Midnight Hammer 2025, the Syria strikes of
April 2018, Tu-95MS and Tu-22M3 over the Caspian in November 2015, Black Buck 1982). Each test names
the bug it catches."""

from __future__ import annotations

from pathlib import Path

import pytest

from missions.__main__ import main
from missions.draft import draft_mission, draft_yaml
from missions.draft.text import count_before
from missions.errors import MissionError
from missions.parsing import parse_mission
from missions.units import parse_speed

#: a news agency's lead paragraph: the dateline and the take-off in one sentence ending with a full stop
MIDNIGHT_HAMMER = (
    "WASHINGTON, June 22, 2025 - Seven B-2 Spirit stealth bombers took off from Whiteman Air Force Base in "
    "Missouri on Saturday and flew for about 18 hours to Iran, refuelling several times in mid-air. The bombers "
    "dropped fourteen GBU-57 Massive Ordnance Penetrators on Fordow and Natanz shortly after 23:40 GMT. A U.S. "
    "submarine in the Arabian Sea fired more than two dozen Tomahawk cruise missiles at Isfahan. The B-2s then "
    "returned to Whiteman, completing a round trip of some 37 hours, the longest B-2 mission since 2001."
)


def _count(text: str, noun: str) -> int | None:
    return count_before(text, text.rfind(noun))[0]


def test_count_before__a_date_before_the_aircraft_is_no_count() -> None:
    """'MOSCOW, November 17, 2015 - Russian Tu-95MS ...' drafted 17 Tu-95MS (the day of the date)."""
    assert _count("MOSCOW, November 17, 2015 - Russian Tu-95MS", "Tu-95MS") is None
    assert _count("On 14 April 2018, two B-1B", "B-1B") == 2


def test_count_before__a_figure_ending_a_clause_is_no_count() -> None:
    """'a round trip of some 37 hours, the longest B-2 mission' counted 37 B-2s."""
    assert _count("a round trip of some 37 hours, the longest B-2", "B-2") is None
    assert _count("Eighteen Russian Air Force Tu-22M3", "Tu-22M3") == 18  # words between count and name stay
    assert _count("dropped 14 of the 30,000-pound bombs", "bombs") == 14  # a thousands comma is no clause end


def test_count_before__two_dozen_is_twenty_four() -> None:
    """'more than two dozen Tomahawk cruise missiles' drafted a launch of 12 (the dozen alone)."""
    assert _count("fired more than two dozen Tomahawk", "Tomahawk") == 24
    assert _count("a dozen Tu-22M3", "Tu-22M3") == 12


def test_draft__dateline_lead_gives_the_base_the_count_and_the_salvo() -> None:
    """The lead sentence after a dateline was skipped as a headline: the route began at Fordow, ended
    with a 'return to the base of departure' to Fordow, Whiteman was listed as 'not in the place index',
    the B-2s were 'count given several ways (7, 37)' and the Tomahawks 12."""
    draft = draft_mission(MIDNIGHT_HAMMER)
    sortie = draft.data["sorties"][0]
    route = [w["place"] for w in sortie["route"]]
    assert route[0] == route[-1] == "Whiteman Air Force Base"
    assert sortie["count"] == 7 and "several ways" not in sortie.get("notes", "")
    assert draft.data["launches"][0]["count"] == 24
    assert "unplaced" not in draft.data["notes"]
    parse_mission(draft_yaml(draft), file="draft.yaml")


def test_draft_takeoff__a_strike_time_is_marked_for_review() -> None:
    """'dropped ... shortly after 23:40 GMT' became the take-off with no review note (so did the test
    articles' '04:46 GMT the Vulcan released 21 bombs' and 'struck Tripoli shortly after 02:00')."""
    draft = draft_mission(MIDNIGHT_HAMMER)
    sortie = draft.data["sorties"][0]
    assert sortie["takeoff"] == "2025-06-22T23:40:00Z"
    assert "23:40 read as the take-off from a sentence that does not say so" in sortie["notes"]
    said = draft_mission("Two Tu-160 bombers took off from Engels at 03:00 GMT and flew to Olenya. " * 2)
    assert "take-off from a sentence" not in said.data["sorties"][0].get("notes", "")


def test_draft_unplaced__a_place_the_index_knows_is_not_called_missing() -> None:
    """'The jets flew back to Saint-Dizier' (a small town, skipped without a cue) was listed as
    'not in the place index', though every mission file may name it."""
    text = (
        "Rafale jets flew from Istres to strike targets near Homs. The jets fired SCALP missiles at Homs. "
        "The jets flew back to Saint-Dizier after a flight of almost 10 hours."
    )
    notes = draft_mission(text).data["notes"]
    assert "'Saint-Dizier' (the place index reads it as Saint-Dizier (city); not drafted as a route point)" in notes
    assert "not in the place index" not in notes


def test_places_cli__similar_names_say_there_is_no_exact_match(capsys: pytest.CaptureFixture[str]) -> None:
    """`places Barzah` printed Bārah (Sudan) and Basrah under the same header as a match: nothing said
    that no place has that name."""
    assert main(["places", "Barzah", "--limit", "2"]) == 0
    out, err = capsys.readouterr()
    assert "Bārah" in out and err == "note: no place is named 'Barzah'; the most similar names:\n"
    assert main(["places", "Riga", "--limit", "1"]) == 0
    assert capsys.readouterr().err == ""
    assert main(["places", "Tripoli", "--country", "Lebanon", "--limit", "1"]) == 0
    assert capsys.readouterr().err == ""


def test_parse_speed__mach_after_the_figure() -> None:
    """'0.85 Mach' was refused with 'unknown speed unit 'Mach' ...; use km/h, kn, mph, m/s or Mach'."""
    assert parse_speed("0.85 Mach").kmh == pytest.approx(parse_speed("Mach 0.85").kmh)
    assert parse_speed("0.8-0.9 Mach")[:2] == pytest.approx(parse_speed("Mach 0.8-0.9")[:2])
    with pytest.raises(MissionError, match="above Mach 30"):
        parse_speed("40 Mach")


def test_parse_mission__thousands_comma_in_a_flow_mapping_says_to_quote(tmp_path: Path) -> None:
    """{value: nearly 8,000 miles, sortie: X} gave only "unknown field '000 miles' in a claim; known
    fields: ...": YAML ends the value at the comma, and the line must say so."""
    text = (
        "name: t\nclaims:\n  - {value: nearly 8,000 miles, sortie: S}\nsorties:\n  - name: S\n    aircraft: Tu-160\n"
        "    takeoff: 2015-11-20T03:00:00Z\n    speed: 900 km/h\n    route: [XLMO, '60, 30']\n"
    )
    with pytest.raises(MissionError) as info:
        parse_mission(text, file="c.yaml")
    assert "unknown field '000 miles' in a claim; a comma inside { } ends a value: quote" in str(info.value)


def test_resolve__a_country_name_is_no_airfield_and_says_so() -> None:
    """'Russia' resolved to Cape Baranova Ice Base (a closed field at 79° N whose OurAirports keywords
    include 'Russia'), 'Slovenia' to Bovec Airfield, 'Ecuador' to Cotopaxi; 'Syria' suggested Thanhlyin
    (Myanmar). A country's name is no airfield's name, and the line says to name a place in it."""
    from geodata.places import UnknownPlaceError, default_index

    index = default_index()
    for name in ("Russia", "Slovenia", "Ecuador", "Syria"):
        with pytest.raises(UnknownPlaceError, match=f"'{name}' is a country, not a place: name a place in it"):
            index.resolve(name)
    assert index.resolve("Cotopaxi").label == "Cotopaxi International Airport"  # its own name still finds it
    assert index.resolve("Iran").name == "North-western Iran"  # the curated areas over Iran and Iraq stay
    assert index.resolve("Cyprus").kind == "island"


def test_draft_claims__a_distance_west_of_a_place_is_no_claim() -> None:
    """'a military facility near Homs, some 15 miles west of the city' became the Tornados' claim of
    'about 15 miles' for their whole sortie (inconsistent with any route)."""
    text = (
        "Four RAF Tornado GR4 jets flew from RAF Akrotiri and launched eight Storm Shadow missiles at a military "
        "facility near Homs, some 15 miles west of the city. The Tornados returned to Akrotiri after a flight "
        "of about 1,500 km."
    )
    claims = [c["value"] for c in draft_mission(text).data["claims"]]
    assert claims == ["1,500 km"]


def test_draft_claims__a_launch_distance_is_no_claim_of_the_flight() -> None:
    """'launching the missiles from a distance of some 500 km' became the Tu-95MS sortie's claim of
    'about 500 km' for its whole flight."""
    text = (
        "Six Tu-95MS bombers took off from Engels and flew over the Caspian Sea, launching Kh-101 missiles at "
        "Raqqa from a distance of some 500 km. The bombers returned to Engels after flying about 4,000 km."
    )
    claims = [c["value"] for c in draft_mission(text).data["claims"]]
    assert claims == ["4,000 km"]


def test_plan_cli__a_group_without_a_date_names_the_option(capsys: pytest.CaptureFixture[str]) -> None:
    """`plan "Whiteman AFB" Fordow --avoid NATO` said 'give the mission a date': there is no mission
    in `plan`, and the option is --date."""
    assert main(["plan", "Whiteman AFB", "Fordow", "--avoid", "NATO"]) == 2
    err = capsys.readouterr().err
    said = "NATO changes membership over time: give the date whose membership counts (--date YYYY-MM-DD)"
    assert err == f"error: avoid: {said}\n"


def test_plan_cli__long_place_names_keep_the_columns(capsys: pytest.CaptureFixture[str]) -> None:
    """`plan "Whiteman AFB" Fordow` printed 'Fordow Fuel Enrichment Plant' (28 letters) into a
    24-letter column, pushing its coordinates out of line with the others'."""
    assert main(["plan", "Whiteman AFB", "Fordow"]) == 0
    points = capsys.readouterr().out.splitlines()[1:]
    assert [p.split()[-2:] for p in points] == [["38.7303", "-93.5479"], ["34.8847", "50.9958"]]
    assert len({p.index(p.split()[-2]) + len(p.split()[-2]) for p in points}) == 1  # latitudes end in one column


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["report", "missions/catalog/kalibr-caspian-2015-10-07.yaml", "--territorial-sea", "-3"],
         "error: territorial_sea: must be between 0 and 200 nautical miles, not -3"),
        (["map", "missions/catalog/kalibr-caspian-2015-10-07.yaml", "-o", "x.html", "--territorial-sea", "nan"],
         "error: territorial_sea: must be between 0 and 200 nautical miles, not nan"),
        (["plan", "Olenya", "Engels", "--claim", "nan"],
         "error: claim: must be a distance above 0 and at most 100,000 km, not nan"),
        (["track", "tests/data/tracks/observed-northern.csv", "--gap", "nan"],
         "error: python -m missions track: argument --gap: must be above 0 and at most 43,200 minutes, not nan"),
        (["places", "Riga", "--limit", "0"],
         "error: python -m missions places: argument --limit: must be above 0 and at most 1,000 matches, not 0"),
    ],
)  # fmt: skip
def test_cli__out_of_range_numbers_are_one_line(
    argv: list[str], said: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`report --territorial-sea -3` and `map --territorial-sea nan` ended in a ValueError traceback,
    `track --gap nan` (or 1e308) in a ValueError/OverflowError one, `plan --claim nan` printed 'the claimed
    nan km is nan % shorter', and `places Riga --limit 0` said 'no place matches 'Riga''."""
    monkeypatch.chdir(Path(__file__).resolve().parents[1])
    try:
        status = main(argv)
    except SystemExit as stop:  # argparse's own errors
        status = stop.code
    assert status == 2
    assert capsys.readouterr().err == said + "\n"


def test_resolve__an_airfields_keyword_without_its_type_word() -> None:
    """'Wideawake', the name every account of Black Buck gives Ascension's airfield, was an unknown place
    (suggesting 'Delaware' or 'Wind Lake'): OurAirports has it only as the keyword 'Wideawake Airfield'.
    Such a name is added only where no place has it, so no answer moves."""
    from geodata.places import default_index

    index = default_index()
    assert index.resolve("Wideawake").code == "FHAW"
    assert index.resolve("Itazuke").label == "Fukuoka Airport"  # a former name, kept among its keywords
    assert index.resolve("Angel Albino Corzo").label == "Angel Albino Corzo International Airport"  # not an air base


def test_load_mission__a_tab_and_a_latin1_byte_say_what_to_do(tmp_path: Path) -> None:
    """A tab-indented file said only 'found character that cannot start any token' (libyaml's C reader
    leaves the tab out of its message), a Latin-1 'café' only 'not UTF-8 text (byte 9)'."""
    from missions.parsing import load_mission

    tab = tmp_path / "tab.yaml"
    tab.write_text("name: tab\nsorties:\n\t- name: S\n", encoding="utf-8")
    latin = tmp_path / "latin1.yaml"
    latin.write_bytes("name: café\n".encode("latin-1"))
    with pytest.raises(MissionError) as info:
        load_mission(tab)
    assert info.value.one_line().endswith(":3: malformed YAML/JSON: found character that cannot start any token "
                                          "(a tab: YAML indents with spaces)")  # fmt: skip
    with pytest.raises(MissionError) as info:
        load_mission(latin)
    assert info.value.one_line().endswith(
        "latin1.yaml: not UTF-8 text (byte 9 is 0xe9); save the mission file as UTF-8"
    )


def test_draft_places__aircraft_named_together_leave_from_one_base() -> None:
    """'Russian Tu-95MS and Tu-160 strategic bombers took off from Engels airbase ...' gave Engels to the
    Tu-160 alone: the Tu-95MS route began over the Caspian Sea, with no base."""
    text = (
        "Russian Tu-95MS and Tu-160 strategic bombers took off from Engels and fired cruise missiles at Raqqa. "
        "The Tu-95MS bombers flew over the Caspian Sea and Iran before launching Kh-101 missiles."
    )
    routes = {s["aircraft"]: [w["place"] for w in s["route"]] for s in draft_mission(text).data["sorties"]}
    assert routes["Tu-95MS"][:2] == ["Engels-2 air base", "Caspian Sea"]
    assert routes["Tu-160"][:2] == ["Engels-2 air base", "Raqqa"]  # the target stays with the one named last


def test_format_count__one_is_singular() -> None:
    """Count messages said '1 rows dropped', '1 more refuelling(s)', '1 more sorties': every count
    message now reads through one helper."""
    from missions.units import format_count

    assert [format_count(n, "row") for n in (0, 1, 2, 12_345)] == ["0 rows", "1 row", "2 rows", "12,345 rows"]
    assert format_count(1, "vertex", "vertices") == "1 vertex" and format_count(3, "vertex", "vertices") == "3 vertices"


def test_track_cli__one_row_dropped_is_singular(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`python -m missions track` with one bad row printed 'points 2 (1 rows dropped)' and
    'warning: f.csv: 1 rows dropped: ...'."""
    path = tmp_path / "f.csv"
    path.write_text(
        "time,lat,lon\n2015-11-20T04:00:00Z,68.15,33.47\n2015-11-20T04:01:00Z,north,33.2\n"
        "2015-11-20T04:02:00Z,68.27,32.85\n"
    )
    assert main(["track", str(path), "--no-countries"]) == 0
    out, err = capsys.readouterr()
    assert "  points         2 (1 row dropped)\n" in out
    assert err == f"warning: {path}: 1 row dropped: {path}:3: lat 'north' is not a number\n"


def test_combined_errors__one_more_problem_is_singular() -> None:
    """A file with 21 problems ended '... and 1 more problems of the same kind'."""
    from missions.errors import MAX_LINES, CombinedMissionError

    errors = [MissionError(f"unknown place 'P{i}'", file="m.yaml", line=i + 1) for i in range(MAX_LINES + 1)]
    assert CombinedMissionError(errors).lines()[-1] == "... and 1 more problem of the same kind"
    errors.append(MissionError("unknown place 'Q'", file="m.yaml", line=99))
    assert CombinedMissionError(errors).lines()[-1] == "... and 2 more problems of the same kind"


def test_feasibility__one_more_refuelling_is_singular() -> None:
    """The Tu-160's report said 'needs 1 more refuelling(s) with the Il-78M'."""
    from missions.analysis import compute_mission
    from missions.feasibility import assess
    from missions.parsing import load_mission

    catalog = Path(__file__).resolve().parents[1] / "missions" / "catalog"
    messages = [f.message for f in assess(compute_mission(load_mission(catalog / "tu160-2015-11-20.yaml"))).findings]
    assert any(m.startswith("needs 1 more refuelling with the Il-78M") for m in messages)
    assert not any("(s)" in m for m in messages)


#: a round trip Engels–Olenya–Engels (3,961 km, no tanker) with claims in miles and in km
MILES_CLAIMS = """name: Miles claim
sorties:
  - name: S
    aircraft: Tu-160
    takeoff: 2015-11-20T03:00:00Z
    speed: 900 km/h
    route: [Engels Air Base, Olenya Air Base, Engels Air Base]
claims:
  - {quantity: distance, value: "nearly 2,000 miles", sortie: S}
  - {quantity: distance, value: "3,700 km", sortie: S}
  - {quantity: distance, value: "between 2,400 and 2,500 miles", sortie: S}
"""


def test_claim_verdict__a_claim_in_another_unit_reads_as_written_then_in_the_reports_unit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With --units mi every sentence began "the claim (read as 2,268.0–2,330.1 mi)", with no figure of
    the claim's own; with --units km a claim in miles was quoted with only its km interval, so the sentence
    named two units. Each now quotes a claim written in the report's unit, and gives one written in another
    its figure in the report's unit, then the interval the verdict compared (the claim's own interval, read
    from the parsed mission): one unit per sentence, as the issue's "no ' km' with NM chosen" asks."""
    import re

    from missions.units import UNIT_M

    path = tmp_path / "m.yaml"
    path.write_text(MILES_CLAIMS)
    reasons = {}
    for units in ("km", "mi"):
        assert main(["report", str(path), "--units", units, "--no-countries"]) == 0
        out = capsys.readouterr().out
        verdicts = [line.strip() for line in out.splitlines() if re.match(r"  (in)?consistent: ", line)]
        reasons[units] = [line.split(": ", 1)[1] for line in verdicts]
        assert f"average {'900 km/h' if units == 'km' else '559 mph'}, 0 refuellings" in out
    assert reasons["km"][0].startswith("the claim (3,218.7 km; read as 2,896.8–3,218.7 km) is below")
    assert reasons["km"][1].startswith("'3,700 km' (read as 3,650.0–3,750.0 km) is below the computed 3,961.2 km")
    assert reasons["km"][2].startswith("the claim (read as 3,862.4–4,023.4 km) meets")
    assert reasons["mi"][0].startswith("'nearly 2,000 miles' (read as 1,800.0–2,000.0 mi) is below the computed")
    assert reasons["mi"][1].startswith("the claim (2,299.1 mi; read as 2,268.0–2,330.1 mi) is below")
    assert reasons["mi"][2].startswith("'between 2,400 and 2,500 miles' (read as 2,400.0–2,500.0 mi) meets")
    # one meaning: the interval in each sentence is the claim's interval the verdict compares
    claims = parse_mission(MILES_CLAIMS, file="m.yaml").claims
    for units in ("km", "mi"):
        for claim, reason in zip(claims, reasons[units], strict=True):
            read = re.search(r"read as ([\d,.]+)–([\d,.]+)", reason)
            assert read is not None, reason
            shown = [float(x.replace(",", "")) for x in read.groups()]
            assert shown == pytest.approx([v / UNIT_M[units] for v in claim.interval], abs=0.051), reason


def _figures(text: str, unit: str) -> list[float]:
    import re

    return [float(x.replace(",", "")) for x in re.findall(rf"([\d,]+) {unit}\b", text)]


def test_plan_cli__units_reach_every_distance(capsys: pytest.CaptureFixture[str]) -> None:
    """`plan` printed kilometres only, and refused --units ('unrecognized arguments'), while every other
    command that prints distances takes it."""
    from missions.units import M_PER_KM, UNIT_M

    args = ["plan", "Engels Air Base", "Olenya Air Base", "--via", "Kaliningrad", "--claim", "3000"]
    assert main(args) == 0
    km = _figures(capsys.readouterr().out, "km")
    assert len(km) == 4 and km[2] == 3390 and km[3] == 3000  # route, direct, route again, the claim
    for units, label in (("nm", "NM"), ("mi", "mi")):
        assert main([*args, "--units", units]) == 0
        out = capsys.readouterr().out
        assert " km" not in out
        shown = _figures(out, label)
        assert shown == pytest.approx([v * M_PER_KM / UNIT_M[units] for v in km], abs=1.0)
        assert "is 11.5 % shorter" in out  # the comparison is the same in any unit


def test_places_cli__units_for_the_distance_from_near(capsys: pytest.CaptureFixture[str]) -> None:
    """`places --near` printed its distances in km whatever the user read elsewhere; --units was refused."""
    args = ["places", "Tripoli", "--near", "33.9,35.5", "--kind", "city", "--limit", "2"]
    assert main(args) == 0
    km = _figures(capsys.readouterr().out, "km")
    assert main([*args, "--units", "mi"]) == 0
    out = capsys.readouterr().out
    assert " km" not in out and _figures(out, "mi") == pytest.approx([v / 1.609344 for v in km], abs=1.0)
