"""The places the CLI reads and prints: `places`, one error line per unknown name, round trips."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from geodata.places import default_index
from missions.__main__ import main
from missions.analysis import compute_mission
from missions.errors import CombinedMissionError
from missions.parsing import parse_mission

ROOT = Path(__file__).resolve().parents[1]

#: names of the issue's historic missions, as articles give them
ARTICLE_NAMES = [
    "Tripoli", "Tripoli, Lebanon", "Belgrade", "Caracas", "Riga", "Gotland", "North Sea", "RAF Lakenheath",
    "Whiteman AFB", "Ascension", "Stanley, FK", "Fordow", "Barksdale Afb Airport", "Bay of Biscay",
    "Strait of Hormuz", "Mozdok Air Base", "Engels Air Base", "Olenya Air Base", "EGUL", "SFAL", "Kiev",
]  # fmt: skip


def _mission(route: list[str]) -> str:
    lines = "\n".join(f"      - {json.dumps(name)}" for name in route)
    return (
        "name: Places\nsorties:\n  - name: S\n    aircraft: Tu-160\n    takeoff: 2015-11-20T03:00:00Z\n"
        f"    speed: 900 km/h\n    route:\n{lines}\n"
    )


def test_report__every_printed_place_name_round_trips() -> None:
    """The names the report prints (each waypoint's name) read back as the same points."""
    first = compute_mission(parse_mission(_mission(ARTICLE_NAMES), file="a.yaml"))
    printed = [wp.point.name for wp in first.mission.sorties[0].route]
    assert (
        "Tripoli, Libya" in printed and "Whiteman Air Force Base" in printed and "Barksdale Air Force Base" in printed
    )
    again = parse_mission(_mission(printed), file="b.yaml")
    for name, wp_a, wp_b in zip(printed, first.mission.sorties[0].route, again.sorties[0].route, strict=True):
        assert (wp_b.point.lat_deg, wp_b.point.lon_deg) == (wp_a.point.lat_deg, wp_a.point.lon_deg), name
        assert wp_b.point.name == name


def test_parse_mission__every_unknown_place_is_one_error() -> None:
    text = _mission(["Rigaa", "North Sea", "Olenyaa", "Gottland"])
    with pytest.raises(CombinedMissionError) as info:
        parse_mission(text, file="bad.yaml")
    errors = info.value.errors
    assert [e.line for e in errors] == [8, 10, 11]
    assert [e.field for e in errors] == ["sorties[0].route[0]", "sorties[0].route[2]", "sorties[0].route[3]"]
    assert [e.suggestions[0] for e in errors] == ["Riga", "Olenya air base", "Gotland"]


def test_parse_mission__unknown_places_reported_with_a_later_problem() -> None:
    text = _mission(["Rigaa", "Riga"]) + "claims:\n  - value: lots\n"
    with pytest.raises(CombinedMissionError) as info:
        parse_mission(text, file="bad.yaml")
    assert len(info.value.errors) == 2 and "unknown place 'Rigaa'" in info.value.errors[0].message
    assert info.value.errors[1].field == "claims[0].value"


def test_validate__one_line_per_unknown_name_exit_2(tmp_path, capsys) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(_mission(["Rigaa", "Olenyaa", "Whitemn AFB"]), encoding="utf-8")
    assert main(["validate", str(bad)]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 3
    assert (
        lines[0]
        == f"error: {bad}:8: sorties[0].route[0]: unknown place 'Rigaa' (did you mean 'Riga', "
        + (lines[0].split("did you mean 'Riga', ", 1)[1])
    )
    assert "did you mean 'Olenya air base'" in lines[1]
    assert "did you mean 'Whiteman Air Force Base'" in lines[2]


def test_places__command_as_the_readme_writes_it() -> None:
    """The README's `places` example, run as written, prints what the README shows."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("$ python -m missions places ", 1)[1].split("```", 1)[0].splitlines()
    args, shown = block[0].split(), block[1:]
    out = subprocess.run(
        [sys.executable, "-m", "missions", "places", *args], capture_output=True, text=True, cwd=ROOT, check=True
    ).stdout
    assert out.splitlines() == [line for line in shown if line]
    assert shown[1].startswith("Tripoli, Lebanon") and "67 km" in shown[1]


def test_places__kind_filter_and_json(capsys) -> None:
    assert main(["places", "Lakenheath", "--kind", "airport", "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found[0]["label"] == "RAF Lakenheath" and found[0]["kind"] == "airbase" and found[0]["country"] == "GB"
    assert abs(found[0]["lat"] - 52.4093) < 0.01


def test_places__every_printed_name_is_accepted(capsys) -> None:
    assert main(["places", "Stanley", "--limit", "8", "--json"]) == 0
    for found in json.loads(capsys.readouterr().out):
        assert default_index().resolve(found["label"]).lat_deg == found["lat"]


def test_places__nothing_found_is_exit_2(capsys) -> None:
    assert main(["places", "qqqqqqqqqqqqqxz"]) == 2
    assert capsys.readouterr().err.startswith("error: no place matches")


def test_places__bad_near_or_country_is_one_line(capsys) -> None:
    assert main(["places", "Riga", "--near", "95,10"]) == 2
    assert "latitude 95" in capsys.readouterr().err
    assert main(["places", "Riga", "--country", "Atlantis"]) == 2
    assert "unknown country 'Atlantis'" in capsys.readouterr().err


def test_report__says_which_place_an_ambiguous_name_chose(tmp_path, capsys) -> None:
    path = tmp_path / "raid.yaml"
    path.write_text(_mission(["RAF Lakenheath", "Tripoli", "Whiteman AFB"]), encoding="utf-8")
    assert main(["report", str(path), "--no-countries"]) == 0
    out = capsys.readouterr().out
    assert "Tripoli, Libya" in out and "RAF Lakenheath" in out and "Whiteman Air Force Base" in out


def test_report__bad_places_and_claim_one_line_each_exit_2(tmp_path, capsys) -> None:
    """Nothing can be computed: each unknown place and the unreadable claim get one line naming
    file:line and the field path, with suggestions for the places; exit status 2; no traceback."""
    bad = tmp_path / "bad.yaml"
    bad.write_text(_mission(["Rigaa", "Gotland", "Whitemn AFB"]) + 'claims:\n  - value: "about 16000 klicks"\n')
    assert main(["report", str(bad)]) == 2
    out, err = capsys.readouterr()
    lines = err.strip().splitlines()
    assert out == "" and len(lines) == 3 and "Traceback" not in err
    assert lines[0].startswith(f"error: {bad}:8: sorties[0].route[0]: unknown place 'Rigaa' (did you mean 'Riga'")
    assert lines[1].startswith(f"error: {bad}:10: sorties[0].route[2]: unknown place 'Whitemn AFB'")
    assert "did you mean 'Whiteman Air Force Base'" in lines[1]
    assert lines[2].startswith(f"error: {bad}:12: claims[0].value: cannot read the claim 'about 16000 klicks'")


def test_places_cli__every_kind_offered_finds_a_place(capsys: pytest.CaptureFixture[str]) -> None:
    """`places --kind` offered heliport and balloonport, which the index leaves out: choosing one could
    only print "error: no place matches". The kinds offered are read from the index's metadata, and
    each of them (the groups too) finds a place of its own through the command."""
    import numpy as np

    from geodata.places import KIND_GROUPS, KINDS
    from missions.places import KIND_CHOICES

    index = default_index()
    offered = list(KIND_CHOICES)
    assert "heliport" not in offered and "balloonport" not in offered
    assert {"airport", "airfield", "sea", "water", "city", "strait", "ship"} <= set(offered)
    kind_col = index._columns["kind"]
    for name in offered:
        wanted = KIND_GROUPS.get(name, (name,))
        rows = np.flatnonzero(np.isin(kind_col, [KINDS.index(k) for k in wanted]))
        assert rows.size, name  # the index holds it
        place = index.place(int(rows[0]))
        assert main(["places", place.label, "--kind", name, "--limit", "1", "--json"]) == 0, name
        (found,) = json.loads(capsys.readouterr().out)
        assert found["kind"] in wanted and found["name"] == place.label, (name, found)
    with pytest.raises(SystemExit) as info:
        main(["places", "Heathrow", "--kind", "heliport"])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("error: python -m missions places: argument --kind: invalid choice: 'heliport'")
    assert err.count("\n") == 1
