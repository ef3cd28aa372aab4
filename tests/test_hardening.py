"""Every hostile input of issue 16, reproduced: one line and exit status 2, never a traceback or a hang.

The CLI runs in-process here (``missions.__main__.main``); ``test_fuzz.py`` adds generated files and
a few real subprocess runs. Times are not asserted (benchmarks measure them); generous ceilings
catch a hang.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from missions.__main__ import main
from missions.errors import MissionError
from missions.files import read_capped
from missions.limits import MAX_NAME_CHARS
from missions.parsing import load_mission, parse_mission
from missions.yamlio import MAX_EVENTS, MAX_FILE_BYTES, parse_yaml

TEMPLATE = """name: Hostile
sorties:
  - name: s
    aircraft: Tu-160
    takeoff: {takeoff}
    speed: {speed}
    route:
      - 68.1517, 33.47
      - place: 40, 20
        {extra}
      - 30, 30
"""


def mission_text(takeoff: str = "2015-11-20T03:00:00Z", speed: str = "900 km/h", extra: str = "note: n") -> str:
    return TEMPLATE.format(takeoff=takeoff, speed=speed, extra=extra)


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def assert_one_line_exit_2(status: int, err: str, *words: str) -> str:
    lines = err.strip().splitlines()
    assert status == 2, err
    assert len(lines) == 1, lines
    assert "Traceback" not in err
    assert len(lines[0]) < 700
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (mission_text(takeoff="9999-12-31T23:00:00Z"), ("sorties[0].takeoff", "year 9999 is outside 1900-2200")),
        (mission_text(takeoff="0001-01-01T00:00:00Z"), ("year 1 is outside",)),
        (mission_text(takeoff="1899-12-31T23:00:00Z"), ("year 1899",)),
        (mission_text(speed="0.000001 kn"), ("sorties[0].speed", "below 10 km/h")),
        (mission_text(speed="1e-300 km/h"), ("below 10 km/h",)),
        (mission_text(speed="Mach 1e400"), ("above Mach 30",)),
        (mission_text(extra="hold: 1e400 h"), ("route[1].hold", "above 30 days")),
        (mission_text(extra="hold: P99999999999D"), ("above 30 days",)),
        (mission_text(extra="hold: 99999999999:00"), ("cannot read duration",)),
        (mission_text(extra="radius: 1e308 km"), ("route[1].radius", "above 100,000 km")),
        (mission_text(extra="radius: 30000 km"), ("route[1].radius", "half the way round the Earth")),
        (mission_text(extra="refuel: {duration: 20 min, offload: 1e300 t}"), ("offload", "10,000 t")),
        (mission_text(extra="note: !!float hello"), (":10:", "'hello' is tagged !!float but is not a number")),
        (mission_text(extra="note: !!python/object:os.system x"), ("YAML tag '!!python/object:os.system'",)),
        (mission_text(extra="note: !local x"), ("YAML tag '!local'",)),
        (mission_text(extra="note: !!binary aGVsbG8="), ("YAML tag '!!binary'",)),
        (mission_text(extra="note: .inf"), ("not a finite number",)),
        (mission_text(extra="note: 1.0e+400"), ("not a finite number",)),
        (mission_text() + "---\nname: y\n", ("more than one YAML document",)),
        (
            mission_text().replace("    aircraft: Tu-160\n", f"    aircraft: Tu-160\n    count: {'9' * 4301}\n"),
            ("a number written with 4,301 characters",),
        ),
        (
            mission_text()
            .replace("count", "")
            .replace("    aircraft: Tu-160\n", "    aircraft: Tu-160\n    count: 10001\n"),
            ("count must be a whole number from 1 to 10,000",),
        ),
        (
            mission_text().replace("aircraft: Tu-160", "aircraft: " + "B" * (MAX_NAME_CHARS + 1)),
            ("sorties[0].aircraft", "names are limited to 200"),
        ),
        (mission_text().replace("name: s", "name: " + "é" * 5000), ("sorties[0].name", "5,000 characters")),
        (mission_text(extra="join: " + "x" * 300), ("names are limited to 200",)),
    ],
)
def test_cli__hostile_values_one_line_exit_2(tmp_path, capsys, text, words):
    path = tmp_path / "m.yaml"
    path.write_text(text, encoding="utf-8")
    for command in (["validate"], ["report", "--json"], ["report", "--no-countries"]):
        status, out, err = run_cli(capsys, *command, str(path))
        assert_one_line_exit_2(status, err, "m.yaml", *words)
        assert out == ""
    status, _, err = run_cli(capsys, "export", str(path), "--format", "geojson", "-o", str(tmp_path / "o.json"))
    assert_one_line_exit_2(status, err, *words)
    status, _, err = run_cli(capsys, "map", str(path), "-o", str(tmp_path / "o.html"), "--no-countries")
    assert_one_line_exit_2(status, err, *words)


def test_cli__year_2200_accepted_with_times_past_it(tmp_path, capsys):
    path = tmp_path / "m.yaml"
    path.write_text(mission_text(takeoff="2200-12-31T23:00:00Z", extra="hold: P29D"), encoding="utf-8")
    status, out, err = run_cli(capsys, "report", "--json", "--no-countries", str(path))
    assert status == 0, err
    assert '"2201-01-' in out


def test_cli__sortie_longer_than_30_days_refused_by_validate_too(tmp_path, capsys):
    # every speed and every hold is inside its bounds, but 19,900 km at 10 km/h take 83 days
    path = tmp_path / "m.yaml"
    path.write_text(
        "name: Slow\nsorties:\n  - name: crawl\n    aircraft: Tu-160\n    takeoff: 2015-11-20T03:00:00Z\n"
        "    speed: 10 km/h\n    route: ['0, 0', '0, 179']\n",
        encoding="utf-8",
    )
    for command in (["validate"], ["report", "--no-countries"]):
        status, _, err = run_cli(capsys, *command, str(path))
        assert_one_line_exit_2(status, err, "m.yaml:3: sorties[0]: sortie 'crawl' would last 83 days")


def test_cli__weapon_flight_longer_than_30_days_refused(tmp_path, capsys):
    path = tmp_path / "m.yaml"
    path.write_text(
        mission_text(extra="launch: {weapon: Kh-101, speed: 10 km/h, targets: ['-40, -170']}"), encoding="utf-8"
    )
    status, _, err = run_cli(capsys, "validate", str(path))
    assert_one_line_exit_2(status, err, "route[1].launch", "the flight of the Kh-101", "would last")


def _in_thread(func, timeout_s: float = 10.0):
    result: list[object] = []

    def target() -> None:
        try:
            result.append(func())
        except MissionError as exc:
            result.append(exc)

    worker = threading.Thread(target=target, daemon=True)
    worker.start()
    worker.join(timeout_s)
    assert not worker.is_alive(), "blocked"
    return result[0]


@pytest.mark.parametrize("kind", ["zero", "urandom", "fifo", "directory", "missing"])
def test_load_mission__special_files_refused_without_blocking_or_reading(tmp_path, kind):
    path = tmp_path / "m.yaml"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "directory":
        path.mkdir()
    elif kind != "missing":
        path.symlink_to(f"/dev/{kind}")
    error = _in_thread(lambda: load_mission(path))
    assert isinstance(error, MissionError)
    expected = {"missing": "no such file", "directory": "directory", "fifo": "FIFO"}.get(kind, "character device")
    assert expected in error.one_line() and "m.yaml" in error.one_line()


def test_read_capped__never_reads_past_the_cap(tmp_path):
    path = tmp_path / "f"
    path.write_bytes(b"x" * 101)
    assert read_capped(path, 101) == b"x" * 101
    with pytest.raises(MissionError, match="limited to"):
        read_capped(path, 100)


def test_cli__dev_zero_and_fifo_exit_2(tmp_path, capsys):
    zero = tmp_path / "zero.yaml"
    zero.symlink_to("/dev/zero")
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    status, _, err = run_cli(capsys, "validate", str(zero), str(fifo))
    assert status == 2
    lines = err.strip().splitlines()
    assert len(lines) == 2 and "zero.yaml: is a character device" in lines[0] and "fifo.yaml: is a FIFO" in lines[1]


def test_parse_mission__1mb_place_name_refused_before_lookup():
    # refused by its length (the message says so), so did-you-mean never sees it (it took 44 s)
    with pytest.raises(MissionError) as info:
        parse_mission(mission_text(extra="name: x").replace("40, 20", "a" * 1_000_000), file="m.yaml")
    assert "1,000,000 characters" in info.value.one_line() and len(info.value.one_line()) < 200


def test_parse_mission__long_unknown_place_refused_before_lookup():
    with pytest.raises(MissionError) as info:
        parse_mission(mission_text().replace("40, 20", "Nowhere " * 1000), file="m.yaml")
    line = info.value.one_line()
    assert "names are limited to 200" in line and "did you mean" not in line and len(line) < 200


def test_parse_yaml__5mb_flat_list_refused_by_count():
    text = "sorties: [" + "1," * (MAX_FILE_BYTES // 2 - 20) + "1]"
    assert len(text) < MAX_FILE_BYTES
    # refused by the event count, before any Python object is built (it cost 30 s and 947 MB);
    # the time and memory are measured by benchmarks/bench_hardening.py
    with pytest.raises(MissionError, match=f"limited to {MAX_EVENTS:,}"):
        parse_yaml(text, file="flat.yaml")


def test_parse_yaml__5mb_of_nesting_refused_before_libyaml():
    # libyaml checks every open flow level at every token: 2.6 million nested [ took hours in C
    text = "a: 1\nb: " + "[" * (MAX_FILE_BYTES // 2 - 16) + "]" * (MAX_FILE_BYTES // 2 - 16)
    start = time.process_time()
    with pytest.raises(MissionError, match=r"unclosed \[ or \{; nesting is limited to 64 levels") as info:
        parse_yaml(text, file="deep.yaml")
    assert time.process_time() - start < 5.0  # a fraction of a second; generous for a loaded machine
    assert info.value.line == 2 and info.value.file == "deep.yaml"


def test_parse_yaml__brackets_of_a_real_mission_not_counted_as_nesting():
    text = "a: [" + "[1, 2], " * 3000 + "]\nb: {c: [x, y]}\n"  # 6,000 brackets, never more than 2 open
    assert parse_yaml(text)["b"] == {"c": ["x", "y"]}


def test_parse_yaml__300k_keys_refused_by_count():
    text = "\n".join(f"k{i}: {i}" for i in range(300_000))
    with pytest.raises(MissionError, match="YAML values, keys and collections"):
        parse_yaml(text, file="keys.yaml")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("a: &x 1\nb: *x\n", "aliases"),
        ("a: 1\na: 2\n", "key 'a' appears twice"),
        ("? [1]\n: 2\n", "mapping key must be plain text"),
        ("a: !!int 1.5\n", "tagged !!int"),
        ("a: !!bool maybe\n", "tagged !!bool"),
        ("a: !!null x\n", "tagged !!null"),
        ("a: !!timestamp 2015-01-01\n", "YAML tag '!!timestamp'"),
        ("a: !!set {x}\n", "YAML tag '!!set'"),
        ("a: -.inf\n", "finite"),
        ("a: .nan\n", "finite"),
        ("[" * 65 + "]" * 65, "nesting deeper than 64"),
        ("a: " + "x" * 100_001 + "\n", "values are limited to 100,000"),
    ],
)
def test_parse_yaml__refusals(text, words):
    with pytest.raises(MissionError) as info:
        parse_yaml(text, file="f.yaml")
    assert words in info.value.one_line()
    assert info.value.one_line().startswith("f.yaml")


def test_parse_yaml__plain_data_and_lines():
    data = parse_yaml(
        "a: 1\nb:\n  - 0x1F\n  - 1:30\n  - 2015-01-01T00:00:00Z\n  - yes\n  - ~\n  - !!str 12\n  - 1_000\n"
    )
    assert data == {"a": 1, "b": [31, "1:30", "2015-01-01T00:00:00Z", True, None, "12", 1000]}
    assert data.line_of("b") == 2 and data["b"].line_of(2) == 5


def test_catalogue__still_valid(capsys):
    files = sorted(str(p) for p in (Path(__file__).parents[1] / "missions" / "catalog").glob("*.yaml"))
    status, out, _ = run_cli(capsys, "validate", *files)
    assert status == 0 and out.count(": ok") == len(files)
