"""Fuzzing every input path: whatever the file, exit 0 or one line and exit 2, no traceback, no hang.

Two generators feed the same check (:func:`check_file`):

* a structured Hypothesis strategy (:func:`missions_strategy`) that builds whole mission files, every
  field, with values drawn from hostile pools (extreme numbers, tiny and huge speeds, extreme dates,
  unicode, huge strings, wrong types) as well as sane ones;
* a mutation fuzzer (:func:`mutate`) over the catalogue missions: keys deleted, duplicated and
  swapped, wrong types, extreme numbers, unicode, huge strings, extreme dates, and text-level damage
  (duplicated or dropped lines, cut files, stray tags and anchors).

The CLI runs in-process (``missions.__main__.main``), plus a handful of real subprocess runs. A file
``validate`` accepts must also ``report --json``; every 25th accepted file is also mapped and
exported. ``FUZZ_N`` sets the number of mutated files (default 100; ``FUZZ_N=10000`` for the long
run documented in the README; ``FUZZ_SEED`` picks another sequence of mutations).
"""

from __future__ import annotations

import contextlib
import copy
import io
import os
import random
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from missions.__main__ import main

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = sorted((ROOT / "missions" / "catalog").glob("*.yaml"))
FUZZ_N = int(os.environ.get("FUZZ_N", "100"))
#: the mutation fuzzer's seed (several processes with different seeds share a long run)
FUZZ_SEED = int(os.environ.get("FUZZ_SEED", "16"))
PROGRESS = FUZZ_N > 1000
#: the CPU-time limit for one file through validate and report (CPU time, not wall time: other
#: work may share the machine)
FILE_LIMIT_S = 10.0

HUGE = "x" * 150_000
EXTREME_NUMBERS = [
    0, -1, 1e308, -1e308, 1e-308, 10**40, -(10**40), 2**63, 4.9e-324, 123456789.123456789, True, False,
    "1e400", "-0", "nan", "inf", "1" * 100, "0x" + "f" * 50, ".inf", "-.inf", ".nan",
]  # fmt: skip
EXTREME_QUANTITIES = [
    "0 km/h", "1e-300 km/h", "0.000001 kn", "1e308 km/h", "Mach 1e400", "Mach 30", "Mach 0", "-5 kn", "nan km/h",
    "inf kn", "1e400 h", "P99999999999D", "PT0S", "99999999:00", "0 min", "1e308 km", "1e-308 km", "-1 km",
    "1e400 nm", "1e30 t", "nan t", "10 km/h", "36752 km/h", "29 days", "P30D", "P31D", "30000 km", "20000 km",
    "720 h", "721 h", "1" * 5000 + " km", "900-1e400 km/h", "Mach 0.8-40", "5 km/h",
]  # fmt: skip
EXTREME_DATES = [
    "9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "1900-01-01T00:00:00+14:00", "2200-12-31T23:59:59-12:00",
    "1899-12-31T23:59:59Z", "2201-01-01T00:00:00Z", "2015-02-30T00:00:00Z", "2015-11-20T03:00:00",
    "2015-11-20T25:00:00Z", "2015-11-20", "now", "", "2015-11-20T03:00:00+99:00", "+002015-11-20T00:00:00Z",
]  # fmt: skip
UNICODE = [
    "\u202eevil", "🛩️✈", "e\u0301\u0301\u0301", "\x00nul", "\ufeffbom", "\u200b", "Ｒａｑｑａ", "𝔯𝔞𝔮𝔮𝔞",
    "<script>alert(1)</script>", "'; DROP TABLE", "\\u0000", "%s%n", "${jndi:x}", "..\\..\\etc/passwd",
    "\t\n\r", "a\u0000b" * 50, "ダマスカス", "Ρακκα", "\U0010ffff",
]  # fmt: skip
COORDS = ["91, 0", "0, 181", "-90, -180", "90, 180", "0, 0", "1e400, 0", "68°09'N 033°28'E", "N99 E999", "nan, nan"]
WRONG_TYPES: list[Any] = [None, [], {}, [[]], {"a": {"b": {"c": []}}}, 0, 1.5, True, "", [1, 2, 3], {"place": None}]
TAGS = ["!!float hello", "!!python/object:os.system x", "!!binary aGVsbG8=", "!local x", "!!int 1.5", "!!set {a}",
        "&a [1]", "*a", "!!timestamp 2015-01-01", "!!str", "!!null x", "!!bool maybe"]  # fmt: skip


def _hostile_value(rng: random.Random) -> Any:
    pool = rng.choice([EXTREME_NUMBERS, EXTREME_QUANTITIES, EXTREME_DATES, UNICODE, COORDS, WRONG_TYPES])
    value = rng.choice(pool)
    if rng.random() < 0.05:
        value = HUGE if rng.random() < 0.5 else [copy.deepcopy(value)] * rng.randint(1, 2000)
    return copy.deepcopy(value)


def _containers(data: Any, path: tuple = ()) -> list[tuple[tuple, Any]]:
    """Every mapping and list inside ``data`` (down to 40 levels), with its path."""
    found: list[tuple[tuple, Any]] = []
    if isinstance(data, dict | list) and len(path) < 40:
        found.append((path, data))
        items = data.items() if isinstance(data, dict) else enumerate(data)
        for key, value in items:
            found.extend(_containers(value, (*path, key)))
    return found


def mutate(data: dict[str, Any], rng: random.Random, rounds: int) -> dict[str, Any]:
    """``data`` after ``rounds`` random structural mutations."""
    data = copy.deepcopy(data)
    for _ in range(rounds):
        _, target = rng.choice(_containers(data))
        if isinstance(target, dict) and target:
            key = rng.choice(list(target))
            op = rng.randrange(6)
            if op == 0:
                del target[key]
            elif op == 1:  # the value under another (maybe unknown, maybe huge) key
                new_key = rng.choice([*target, f"{key}x", "name", "speed", "route", HUGE[:300], "🛩"])
                target[new_key] = copy.deepcopy(target[key])
            elif op == 2 and len(target) > 1:  # swap two keys' values
                other = rng.choice(list(target))
                target[key], target[other] = target[other], target[key]
            elif op == 3:
                target[key] = rng.choice(WRONG_TYPES)
            else:
                target[key] = _hostile_value(rng)
        elif isinstance(target, list) and target:
            i = rng.randrange(len(target))
            op = rng.randrange(5)
            if op == 0:
                del target[i]
            elif op == 1:
                target.insert(i, copy.deepcopy(target[i]))  # duplicate
            elif op == 2:
                j = rng.randrange(len(target))
                target[i], target[j] = target[j], target[i]
            elif op == 3:
                target[i] = _hostile_value(rng)
            else:
                target.extend(copy.deepcopy(target[i]) for _ in range(rng.choice([10, 40])))
    return data


def damage_text(text: str, rng: random.Random) -> str:
    """Text-level damage YAML dumping cannot make: duplicated keys, cut files, stray tags and anchors."""
    lines = text.splitlines()
    op = rng.randrange(5)
    i = rng.randrange(len(lines))
    if op == 0:
        lines.insert(i, lines[i])  # a duplicated key (or list item)
    elif op == 1:
        del lines[i]
    elif op == 2:
        return text[: rng.randrange(len(text))]
    elif op == 3 and ":" in lines[i]:
        head, _, _ = lines[i].partition(":")
        lines[i] = f"{head}: {rng.choice(TAGS)}"
    else:
        lines[i] = lines[i] + rng.choice(["\t", " #", " ]", " {", " &x", " *x", "\x85", "\ufeff", " 'x"])
    return "\n".join(lines) + "\n"


def _run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(argv)
    return status, out.getvalue(), err.getvalue()


def check_file(path: Path, *, deep: bool = False) -> int:
    """Validate (and, if accepted, report; with ``deep`` map and export) one file; assert the contract."""
    start = time.process_time()
    status, _, err = _run(["validate", str(path)])
    assert status in (0, 2), (status, err)
    if status == 2:
        lines = err.strip().splitlines()
        # one line per problem found (several unknown places are listed together), at most 21
        assert 1 <= len(lines) <= 21 and all(line.startswith("error: ") for line in lines), lines
        assert all(len(line) < 800 for line in lines), max(map(len, lines))
    else:
        assert "error" not in err, err
        status, out, err = _run(["report", "--json", str(path)])
        assert status == 0 and out.startswith("{"), (status, err)
        if deep:
            for argv in (
                ["map", str(path), "-o", str(path.with_suffix(".html"))],
                ["export", str(path), "--format", "geojson", "-o", str(path.with_suffix(".json"))],
                ["export", str(path), "--format", "csv", "-o", str(path.with_suffix(".csv"))],
                ["export", str(path), "--format", "kml", "-o", str(path.with_suffix(".kml"))],
                ["export", str(path), "--format", "gpx", "-o", str(path.with_suffix(".gpx"))],
            ):
                status, _, err = _run(argv)
                assert status == 0, (argv, err)
    assert time.process_time() - start < FILE_LIMIT_S * (3 if deep else 1)
    return status


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1_000_000)


def _catalogue() -> list[dict[str, Any]]:
    return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in CATALOGUE]


def test_fuzz__mutated_catalogue_missions(tmp_path: Path) -> None:
    rng = random.Random(FUZZ_SEED)
    sources = _catalogue()
    counts = {0: 0, 2: 0}
    accepted = 0
    started = time.perf_counter()
    for n in range(FUZZ_N):
        data = mutate(rng.choice(sources), rng, rounds=rng.choice([1, 1, 2, 3, 8]))
        text = _dump(data)
        if rng.random() < 0.3:
            text = damage_text(text, rng)
        path = tmp_path / f"m{n}.yaml"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            status = check_file(path, deep=(counts[0] % 25 == 0 and accepted == counts[0]))
        except BaseException:
            keep = Path(__file__).with_name("artifacts")
            keep.mkdir(exist_ok=True)
            (keep / f"fuzz-failure-{n}.yaml").write_text(text, encoding="utf-8", errors="surrogatepass")
            raise
        counts[status] += 1
        accepted = counts[0]
        path.unlink()
        if PROGRESS and (n + 1) % 500 == 0:
            print(f"fuzz: {n + 1} files, {counts[0]} accepted, {time.perf_counter() - started:.0f} s", flush=True)
    # the mutations must exercise both outcomes, or the fuzzer tests nothing
    assert counts[0] > FUZZ_N * 0.05 and counts[2] > FUZZ_N * 0.3, counts
    elapsed = time.perf_counter() - started
    print(f"\nfuzz: {FUZZ_N} mutated files in {elapsed:.0f} s, {counts[0]} accepted, {counts[2]} refused")


# --- the structured strategy: whole mission files with hostile values -----------------------------

_text_values = st.one_of(
    st.sampled_from(UNICODE), st.text(max_size=30), st.just(HUGE[:250]), st.sampled_from(["Tu-160", "Kh-101", ""])
)
_any_value = st.one_of(
    st.sampled_from(EXTREME_NUMBERS), st.sampled_from(EXTREME_QUANTITIES), st.sampled_from(EXTREME_DATES),
    st.sampled_from(WRONG_TYPES), _text_values,
    st.floats(allow_nan=False, allow_infinity=False), st.integers(min_value=-(10**30), max_value=10**30),
)  # fmt: skip


def _maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Mostly ``strategy``, sometimes any hostile value."""
    return st.one_of(strategy, strategy, strategy, _any_value)


_place = _maybe(
    st.one_of(
        st.sampled_from(["Raqqa", "Latakia", "XLMO", "Strait of Gibraltar", "Engels", "Nowhereville", *COORDS]),
        st.tuples(st.floats(-90, 90), st.floats(-180, 180)).map(list),
        st.fixed_dictionaries(
            {"lat": st.floats(-90, 90), "lon": st.floats(-180, 180)},
            optional={"radius": _maybe(st.sampled_from(["10 km", "0 km", "1e308 km", "20000 km"]))},
        ),
    )
)
_speed = _maybe(st.sampled_from(["900 km/h", "480 kn", "Mach 0.85", "850-950 km/h", *EXTREME_QUANTITIES]))
_duration = _maybe(st.sampled_from(["20 min", "1 h 30 min", "PT2H", "1:30", *EXTREME_QUANTITIES]))
_launch = st.fixed_dictionaries(
    {
        "weapon": _maybe(st.sampled_from(["Kh-101", "Kh-555", "Kalibr", "Unobtainium"])),
        "targets": st.lists(_place, max_size=3),
    },
    optional={
        "count": _maybe(st.integers(-5, 20_000)),
        "speed": _speed,
        "range": _speed,
        "via": st.lists(_place, max_size=3),
    },
)
_waypoint = st.one_of(
    _place,
    st.fixed_dictionaries(
        {"place": _place},
        optional={
            "speed": _speed, "hold": _duration, "refuel": _maybe(st.fixed_dictionaries({"duration": _duration})),
            "launch": _launch, "join": _maybe(st.sampled_from(["A", "B", "C"])), "note": _text_values,
            "name": _text_values,
        },
    ),
)  # fmt: skip
_sortie = st.fixed_dictionaries(
    {
        "name": _maybe(st.sampled_from(["A", "B", "C"])),
        "aircraft": _maybe(st.sampled_from(["Tu-160", "Tu-95MS", "Tu-22M3", "Su-34", "Zeppelin"])),
        "takeoff": _maybe(st.sampled_from(["2015-11-20T03:00:00Z", *EXTREME_DATES])),
        "speed": _speed,
        "route": _maybe(st.lists(_waypoint, min_size=0, max_size=6)),
    },
    optional={
        "count": _maybe(st.integers(-5, 20_000)),
        "callsign": _text_values,
        "avoid": _maybe(st.lists(st.sampled_from(["FRA", "XXX", "fr", "IRN"]))),
        "fuel": _maybe(st.sampled_from(["100 t", "1e30 t", "0 kg"])),
        "mach_altitude": _maybe(st.sampled_from(["11000 m", "1e308 km", "30 km"])),
    },
)
_claim = st.fixed_dictionaries(
    {"value": _maybe(st.sampled_from(["16000 km", "about 16 h", "more than 900 km/h", *EXTREME_QUANTITIES]))},
    optional={"quantity": _maybe(st.sampled_from(["distance", "duration", "speed", "mass"])),
              "qualifier": _maybe(st.sampled_from(["about", "roughly", "exactly", "perhaps"])),
              "sortie": _maybe(st.sampled_from(["A", "B", "Z"]))},
)  # fmt: skip
missions_strategy = st.fixed_dictionaries(
    {"name": _maybe(_text_values), "sorties": _maybe(st.lists(_sortie, min_size=0, max_size=3))},
    optional={
        "claims": st.lists(_claim, max_size=3),
        "description": _text_values,
        "sources": _maybe(st.lists(_text_values, max_size=2)),
    },
)


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(data=missions_strategy)
def test_fuzz__generated_mission_files(tmp_path_factory: pytest.TempPathFactory, data: dict[str, Any]) -> None:
    path = tmp_path_factory.mktemp("gen") / "m.yaml"
    path.write_text(_dump(data), encoding="utf-8", errors="surrogatepass")
    check_file(path)


def test_fuzz__real_cli_subprocess_runs(tmp_path: Path) -> None:
    """A handful of files through ``python -m missions`` as a user runs it: the same contract."""
    rng = random.Random(1616)
    sources = _catalogue()
    files = []
    for n in range(4):
        text = damage_text(_dump(mutate(rng.choice(sources), rng, rounds=2)), rng) if n else _dump(sources[0])
        files.append(tmp_path / f"s{n}.yaml")
        files[-1].write_text(text, encoding="utf-8")
    # one process for all of them (a user's `validate *.yaml`): each file gets its own lines
    proc = subprocess.run(
        [sys.executable, "-m", "missions", "validate", *map(str, files)],
        capture_output=True, text=True, cwd=ROOT, timeout=240,
    )  # fmt: skip
    assert proc.returncode in (0, 2) and "Traceback" not in proc.stderr, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert all(line.startswith(("error: ", "warning: ")) for line in lines), lines  # warnings: figures to give
    errors = [line for line in lines if line.startswith("error: ")]
    ok = [line for line in proc.stdout.splitlines() if ": ok (" in line]
    assert ok[0].startswith(f"{files[0]}: ok (")  # the catalogue file itself
    for path in files:
        mine = [line for line in errors if line.startswith(f"error: {path}")]
        assert (len(mine) == 0) == any(line.startswith(f"{path}: ok (") for line in ok), (path, mine)
        assert len(mine) <= 21
    assert proc.returncode == (2 if errors else 0)
