import json
import subprocess
import sys
from pathlib import Path

import pytest

from missions.__main__ import main

ROOT = Path(__file__).resolve().parents[1]
TU160 = ROOT / "missions" / "catalog" / "tu160-2015-11-20.yaml"


def test_report__json_keys_and_full_precision(capsys):
    assert main(["report", str(TU160), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["name"].startswith("Tu-160")
    sortie = doc["sorties"][0]
    assert {"name", "aircraft", "distance_km", "duration_h", "legs", "launches"} <= set(sortie)
    leg = sortie["legs"][0]
    assert {"from", "to", "distance_km", "duration_h", "start", "end"} <= set(leg)
    assert leg["start"].endswith("Z")
    assert sortie["distance_km"] == pytest.approx(sum(lg["distance_km"] for lg in sortie["legs"]))
    assert sortie["distance_km"] != round(sortie["distance_km"], 3)  # not rounded
    launch = sortie["launches"][0]
    assert {"weapon", "count", "target", "distance_km", "time_of_flight_h", "impact"} <= set(launch)
    claim = doc["claims"][0]
    assert {"quantity", "claimed", "computed", "unit", "source"} <= set(claim)


def test_report__text_units(capsys):
    assert main(["report", str(TU160), "--units", "nm"]) == 0
    out = capsys.readouterr().out
    assert "dist NM" in out and "Blackjack pair" in out


def test_report__several_files_good_ones_still_reported(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "name: x\nsorties:\n  - name: s\n    aircraft: Tu-160\n    takeoff: 2015-01-01T00:00:00Z\n"
        "    speed: 900 km/h\n    route: [Nowhereville, Raqqa]\n"
    )
    assert main(["report", str(TU160), str(bad), "--json"]) == 2
    captured = capsys.readouterr()
    assert json.loads(captured.out)["name"].startswith("Tu-160")
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1
    assert "bad.yaml:7: sorties[0].route[0]: unknown place 'Nowhereville'" in lines[0]


BAD_INPUTS = [
    ("name: [unclosed\n", "malformed YAML"),
    ("name: x\nsorties: []\n", "at least one sortie"),
    ("nme: x\n", "did you mean 'name'"),
    ("a: &a [1]\nb: *a\n", "aliases"),
]


def test_cli__bad_input_one_line_exit_2_no_traceback(tmp_path):
    """One real process for every kind of bad file: each one line, exit 2, never a traceback."""
    paths = []
    for i, (content, _) in enumerate(BAD_INPUTS):
        paths.append(tmp_path / f"m{i}.yaml")
        paths[-1].write_text(content)
    proc = subprocess.run(
        [sys.executable, "-m", "missions", "validate", *map(str, paths)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == len(BAD_INPUTS)
    for line, path, (_, words) in zip(lines, paths, BAD_INPUTS, strict=True):
        assert path.name in line and words in line


def test_cli__validate_catalogue_ok(capsys):
    files = sorted(str(p) for p in (ROOT / "missions" / "catalog").glob("*.yaml"))
    assert main(["validate", *files]) == 0
    assert capsys.readouterr().out.count(": ok") == len(files)


MINIMAL = (Path(__file__).parent / "data" / "minimal.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("    speed: 900 km/h", "    sped: 900 km/h"),
         "m.yaml:6: sorties[0].sped: unknown field 'sped' in a sortie (did you mean 'speed'?)"),
        (("      - Strait of Gibraltar", "      - Strait of Gibraltor"),
         "m.yaml:9: sorties[0].route[1]: unknown place 'Strait of Gibraltor' (did you mean 'Strait of Gibraltar'"),
        (("      - 68.1517, 33.47", "      - 91.5, 33.47"),
         "m.yaml:8: sorties[0].route[0]: latitude 91.5 in '91.5, 33.47' is outside -90..90"),
        (("      - 68.1517, 33.47", "      - 68.1517, 190"),
         "m.yaml:8: sorties[0].route[0]: longitude 190 in '68.1517, 190' is outside -180..180"),
        (("    speed: 900 km/h", "    speed: -900 km/h"), "m.yaml:6: sorties[0].speed: cannot read speed '-900 km/h'"),
        (("    speed: 900 km/h", "    speed: 0 kn"), "m.yaml:6: sorties[0].speed: speed '0 kn' must be above zero"),
        (("    speed: 900 km/h", "    speed: Mach 31"), "m.yaml:6: sorties[0].speed: speed 'Mach 31' is above Mach 30"),
        (("    takeoff: 2015-11-20T03:00:00Z", "    takeoff: 2015-11-20T03:00:00"),
         "m.yaml:5: sorties[0].takeoff: time '2015-11-20T03:00:00' has no time zone"),
        (("      - Strait of Gibraltar\n      - XLMO\n", ""),
         "m.yaml:7: sorties[0].route: a route needs at least two waypoints, this one has 1"),
        (("    route:\n      - 68.1517, 33.47\n      - Strait of Gibraltar\n      - XLMO\n", "    route: []\n"),
         "m.yaml:7: sorties[0].route: a route needs at least two waypoints, this one has 0"),
        (("  - name: Test sortie", "  - name: [Test"), "m.yaml:4: malformed YAML/JSON"),
        (("name: Minimal example\n", "name: Minimal example\nx: &a [1]\ny: *a\n"),
         "m.yaml:3: YAML aliases (*name) are not allowed"),
    ],
)  # fmt: skip
def test_cli__each_kind_of_bad_input(tmp_path, capsys, change, expected):
    path = tmp_path / "m.yaml"
    path.write_text(MINIMAL.replace(*change))
    assert main(["report", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert err.startswith("error: ") and expected in err.replace(str(tmp_path) + "/", "")


def test_cli__oversized_and_hostile_files(tmp_path, capsys):
    big = tmp_path / "big.yaml"
    big.write_bytes(b"# padding\n" * 600_000)
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(
        "a: &a [x, x, x, x, x, x, x, x, x]\n"
        + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(9))
    )
    assert main(["validate", str(big), str(bomb), str(TU160)]) == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 2
    assert "big.yaml: file is 6.0 MB; mission files are limited to 5 MB" in lines[0]
    assert "bomb.yaml:2: YAML aliases" in lines[1]
    assert "tu160-2015-11-20.yaml: ok" in captured.out


@pytest.mark.parametrize(
    ("argv", "line"),
    [
        (["report", "--untis", "nm", str(TU160)],
         "error: python -m missions report: unrecognized arguments: --untis (did you mean --units?)"),
        (["reprot", str(TU160)],
         "error: python -m missions: argument command: invalid choice: 'reprot' (did you mean 'report'? choose from"),
        (["report", str(TU160), "--units", "miles"],
         "error: python -m missions report: argument --units: invalid choice: 'miles' (did you mean 'mi'? choose"),
        ([], "error: python -m missions: a command is required: report, validate, aircraft, weapons, map, export"),
        (["map", str(TU160)], "error: python -m missions map: the following arguments are required: -o/--output"),
        (["track", "x.csv", "--gap", "abc"], "error: python -m missions track: argument --gap: invalid float value"),
        (["validate", str(TU160), "--zzz"], "error: python -m missions validate: unrecognized arguments: --zzz"),
    ],
)  # fmt: skip
def test_cli__bad_flag_is_one_line_exit_2(argv, line, capsys):
    """A bad flag printed argparse's whole usage block before its error; now one line naming the command
    and the problem, with the closest option, command or choice when one is close; exit status 2."""
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == "" and len(captured.err.splitlines()) == 1 and "usage:" not in captured.err
    assert captured.err.startswith(line), captured.err
    if "--zzz" in argv:
        assert "did you mean" not in captured.err  # nothing close: no guess


def test_cli__help_still_prints_usage(capsys):
    with pytest.raises(SystemExit) as info:
        main(["report", "--help"])
    assert info.value.code == 0 and capsys.readouterr().out.startswith("usage: python -m missions report")
