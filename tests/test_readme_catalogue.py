"""The README's catalogue table ("The catalogue": file, mission, computed) against what the code computes.

Each row's first figures (the sorties' distances and the first sortie's flight time, or the weapon
tracks' shortest and longest) are read from the README as written and recomputed from the file, so
that a change of route, speed or catalogue that moves a figure fails until the README says so.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from missions.analysis import compute_mission
from missions.parsing import load_mission
from missions.units import format_duration

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
FIGURES = re.compile(r"^(tracks )?([\d,]+)(?:–([\d,]+))?((?: / [\d,]+)*) km(?:, (\d+ h \d\d min))?")


def catalogue_rows() -> list[tuple[str, str]]:
    table = README.split("| file | mission | computed |", 1)[1].split("\n\n", 1)[0]
    rows = [line.split(" | ") for line in table.splitlines()[1:] if line.startswith("| `")]
    return [(row[0].strip("| `"), row[2].rstrip(" |")) for row in rows]


def _km(text: str) -> int:
    return int(text.replace(",", ""))


def test_readme_catalogue__every_mission_file_has_a_row() -> None:
    files = sorted(p.name for p in (ROOT / "missions" / "catalog").glob("*.yaml"))
    assert sorted(name for name, _ in catalogue_rows()) == files


@pytest.mark.parametrize(("name", "computed"), catalogue_rows(), ids=[n for n, _ in catalogue_rows()])
def test_readme_catalogue__computed_figures_as_written(name: str, computed: str) -> None:
    found = FIGURES.match(computed)
    assert found, f"{name}: no figures at the start of {computed!r}"
    tracks, first, last, more, duration = found.groups()
    result = compute_mission(load_mission(ROOT / "missions" / "catalog" / name))
    if tracks:
        lengths = sorted(round(w.distance_m / 1000) for w in result.weapons)
        assert (lengths[0], lengths[-1]) == (_km(first), _km(last or first)), lengths
        return
    written = [_km(first), *(_km(k) for k in re.findall(r"[\d,]+", more))]
    assert [round(s.distance_m / 1000) for s in result.sorties[: len(written)]] == written
    if duration:
        assert format_duration(result.sorties[0].duration_s) == duration
