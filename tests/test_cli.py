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


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("name: [unclosed\n", "malformed YAML"),
        ("name: x\nsorties: []\n", "at least one sortie"),
        ("nme: x\n", "did you mean 'name'"),
        ("a: &a [1]\nb: *a\n", "aliases"),
    ],
)
def test_cli__bad_input_one_line_exit_2_no_traceback(tmp_path, content, words):
    path = tmp_path / "m.yaml"
    path.write_text(content)
    proc = subprocess.run(
        [sys.executable, "-m", "missions", "validate", str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert proc.returncode == 2
    assert words in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert "Traceback" not in proc.stderr


def test_cli__validate_catalogue_ok(capsys):
    files = sorted(str(p) for p in (ROOT / "missions" / "catalog").glob("*.yaml"))
    assert main(["validate", *files]) == 0
    assert capsys.readouterr().out.count(": ok") == len(files)
