"""The limits and error lines the README states, against the code that enforces them.

Each limit is quoted from the README as written and compared with the constant the code refuses by
(the refusals themselves are tested in test_hardening, test_big_missions, test_tracks_readers,
test_draft and test_fuzz): a README figure left behind by a change of limit, or a limit changed without
its README line, fails here. The README's example error lines are reproduced by running the CLI.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from missions import errors, limits, parsing, units, yamlio
from missions.__main__ import build_parser
from missions.airspace.overflight import MAX_STEP_M
from missions.dashboard.view import MAX_SHARE_CHARS
from missions.draft.build import MAX_ARTICLE_BYTES
from missions.figure.draw import MAX_ARROW_SORTIES
from missions.figure.frame import LEGEND_SORTIES
from missions.geodesy import TOLERANCE_M
from missions.render import common as render_common
from missions.tracks import io as tracks_io
from missions.tracks import model as tracks_model
from missions.tracks import tabular

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
FLAT = re.sub(r"\s+", " ", README)  # the README's prose wraps lines anywhere
STREAMLIT = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
MiB = 1024 * 1024
FUZZ = (ROOT / "tests" / "test_fuzz.py").read_text(encoding="utf-8")


def _track_gap_default() -> float:
    action = next(a for a in build_parser()._actions if a.dest == "command")
    return next(a for a in action.choices["track"]._actions if a.dest == "gap").default


def _index_size() -> tuple[int, int, int]:
    """The place index's size in MB, its places and names in thousands, rounded as the README rounds them."""
    path = ROOT / "geodata" / "places.zip"
    with zipfile.ZipFile(path) as index:
        meta = json.loads(index.read("meta.json"))
    return (
        round(path.stat().st_size / 1e6),
        5 * round(meta["rows"] / 5_000),
        10 * round(meta["counts"]["keys"] / 10_000),
    )


#: (the README's words, exactly; the code's value agrees)
LIMITS: list[tuple[str, Callable[[], bool]]] = [
    ("read with a 5 MB cap", lambda: 5 * MiB == yamlio.MAX_FILE_BYTES),
    ("nesting up to 64 levels", lambda: yamlio.MAX_DEPTH == 64),
    ("more than 1,000 unclosed `[` or `{`", lambda: yamlio._MAX_OPEN_BRACKETS == 1_000),
    ("at most 600,000 YAML values", lambda: yamlio.MAX_EVENTS == 600_000),
    ("values up to 100,000 characters", lambda: yamlio.MAX_SCALAR_CHARS == 100_000),
    ("numbers up to 40 characters", lambda: yamlio.MAX_NUMBER_CHARS == 40),
    (
        "speeds from 10 km/h to Mach 30",
        lambda: (
            units.MIN_SPEED_KMH == 10 and pytest.approx(30 * units.SPEED_OF_SOUND_SEA_LEVEL_KMH) == units.MAX_SPEED_KMH
        ),
    ),
    ("Speeds must be at least 10 km/h and at most Mach 30", lambda: units.MIN_SPEED_KMH == 10),
    ("durations (holds, refuellings, claims) up to 30 days", lambda: units.MAX_DURATION_S == 30 * 86_400),
    ("distances (ranges, radii, altitudes) up to 100,000 km", lambda: units.MAX_DISTANCE_M == 100_000_000),
    ("radii up to 20,000 km", lambda: limits.MAX_RADIUS_M == 20_000_000),
    ("masses up to 10,000 t", lambda: units.MAX_MASS_KG == 10_000_000),
    ("counts from 1 to 10,000", lambda: limits.MAX_COUNT == 10_000),
    ("times in the years 1900–2200", lambda: (limits.MIN_YEAR, limits.MAX_YEAR) == (1900, 2200)),
    ("up to 200 characters, refused before any gazetteer lookup", lambda: limits.MAX_NAME_CHARS == 200),
    ("a weapon's flight (launch to impact) up to 30 days", lambda: limits.MAX_TIMELINE_S == 30 * 86_400),
    ("Messages quote at most 60 characters of a value", lambda: errors.MAX_QUOTED_CHARS == 60),
    ("at most 300 sorties and 3,000 points in all", lambda: (parsing.MAX_SORTIES, parsing.MAX_POINTS) == (300, 3_000)),
    ("at most 5,000,000 km of routes in all", lambda: limits.MAX_ROUTE_M == 5_000_000_000),
    ("several unknown places are listed together, at most 20", lambda: errors.MAX_LINES == 20),
    ("Above 40 sorties the layers group by aircraft type", lambda: render_common.MAX_SORTIE_LAYERS == 40),
    ("above 3,000 features the mission draws on a canvas", lambda: render_common._SVG_MAX_FEATURES == 3_000),
    ("more than 10 sorties are summed up in the legend", lambda: LEGEND_SORTIES == 10),
    ("above 40 sorties the routes are drawn thinner", lambda: MAX_ARROW_SORTIES == 40),
    ("up to 6,000 characters", lambda: MAX_SHARE_CHARS == 6_000),
    ("up to the 5 MB of `maxUploadSize`", lambda: STREAMLIT["server"]["maxUploadSize"] == 5),
    ("listens on 127.0.0.1 only", lambda: STREAMLIT["server"]["address"] == "127.0.0.1"),
    ("turns off usage statistics", lambda: STREAMLIT["browser"]["gatherUsageStats"] is False),
    ("more than 20 million positions are refused", lambda: tabular.MAX_POSITIONS == 20_000_000),
    ("in 16 MB blocks", lambda: 16 * MiB == tabular.BLOCK_BYTES),
    ("read element by element (lxml `iterparse`), up to 1 GB", lambda: 1024 * MiB == tracks_io.MAX_XML_BYTES),
    ("the JSON lists the first five under `problems`", lambda: tracks_model.MAX_PROBLEMS == 5),
    ("(no position for more than `--gap` minutes, default 10)", lambda: _track_gap_default() == 10),
    ("binary data, over 1 MB) gives one line and exit status 2", lambda: MAX_ARTICLE_BYTES == 1_000_000),
    ("legs densified along the geodesic (≤ 10 km steps)", lambda: MAX_STEP_M == 10_000),
    ("within 1 km of the true geodesic", lambda: TOLERANCE_M == 1_000),
    ("(`geodata/places.zip`, 5 MB, ~125,000 places and ~360,000 names)", lambda: _index_size() == (5, 125, 360)),
    # the fuzz suite as the README describes it (tests/test_fuzz.py)
    (
        "The suite runs 100 mutated and 100 generated files in-process",
        lambda: all(w in FUZZ for w in ('os.environ.get("FUZZ_N", "100")', "max_examples=100,")),
    ),
    ("plus one real `python -m missions validate` of 4 files", lambda: "for n in range(4):" in FUZZ),
    (
        "every 25th is also mapped and exported (HTML, GeoJSON, CSV, KML, GPX)",
        lambda: "% 25 == 0" in FUZZ and all(f'"--format", "{f}"' in FUZZ for f in ("geojson", "csv", "kml", "gpx")),
    ),
    ("never a traceback, within 10 s of CPU time", lambda: "FILE_LIMIT_S = 10.0" in FUZZ),
]


@pytest.mark.parametrize(("words", "agrees"), LIMITS, ids=[w for w, _ in LIMITS])
def test_readme_limit__as_written_is_the_codes(words: str, agrees: Callable[[], bool]) -> None:
    assert words in FLAT, f"the README no longer says {words!r}"
    assert agrees(), f"the code's limit differs from the README's {words!r}"


#: a file for each of the README's two example error lines (the line numbers are the README's)
BAD = {
    "error: bad.yaml:7: sorties[0].route[0]": (
        "name: Bad\nsorties:\n  - name: s\n    aircraft: Tu-160\n    takeoff: 2015-11-20T03:00:00Z\n"
        "    speed: 900 km/h\n    route: [Olenyaa, Engels]\n"
    ),
    "error: bad.yaml:6: sorties[0].sped": (
        "name: Bad\nsorties:\n  - name: s\n    aircraft: Tu-160\n    takeoff: 2015-11-20T03:00:00Z\n"
        "    sped: 900 km/h\n    route: [Olenya, Engels]\n"
    ),
}


def test_readme_error_lines__reproduced_by_the_cli(tmp_path: Path) -> None:
    """The README's example lines: "exit status 2 and one line on stderr", never a traceback."""
    block = README.split("Bad input never gives a traceback", 1)[1].split("```", 2)[1]
    promised = [line for line in block.splitlines() if line.startswith("error: ")]
    assert [next(p for p in promised if p.startswith(k)) for k in BAD] == promised
    for line in promised:
        folder = tmp_path / str(promised.index(line))
        folder.mkdir()
        (folder / "bad.yaml").write_text(next(v for k, v in BAD.items() if line.startswith(k)), encoding="utf-8")
        done = subprocess.run(
            [sys.executable, "-m", "missions", "report", "bad.yaml"],
            cwd=folder, capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)},
        )  # fmt: skip
        assert done.returncode == 2 and done.stdout == ""
        (got,) = done.stderr.splitlines()  # one line
        pattern = re.escape(line).replace(re.escape("..."), ".+")  # the README shortens the suggestions
        assert re.fullmatch(pattern, got), (got, line)
