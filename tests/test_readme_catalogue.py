"""The README's catalogue table ("The catalogue": file, mission, computed) against what the code computes.

Each row's figures (the sorties' distances and the first sortie's flight time, or the weapon
tracks' shortest and longest; the deficit at landing without tankers and the refuellings then needed,
the range left at landing, the launch times) are read from the README as written and recomputed, so
that a change of route, speed or catalogue that moves a figure fails until the README says so.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_catalog_history import _without_tankers

from missions.analysis import compute_mission
from missions.feasibility import assess
from missions.parsing import load_mission
from missions.units import format_duration, format_hm

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
    mission = load_mission(ROOT / "missions" / "catalog" / name)
    result = compute_mission(mission)
    if tracks:
        lengths = sorted(round(w.distance_m / 1000) for w in result.weapons)
        assert (lengths[0], lengths[-1]) == (_km(first), _km(last or first)), lengths
        return
    written = [_km(first), *(_km(k) for k in re.findall(r"[\d,]+", more))]
    assert [round(s.distance_m / 1000) for s in result.sorties[: len(written)]] == written
    if duration:
        assert format_duration(result.sorties[0].duration_s) == duration
    if short := re.search(
        r"without tankers lands ([\d,]+) km short(?:, (\d+) full-tank refuellings needed)?", computed
    ):
        dry = assess(compute_mission(_without_tankers(mission))).sorties[0]
        assert f"{dry.landing_deficit_m / 1000:,.0f}" == short.group(1)
        assert short.group(2) is None or len(dry.refuels_needed) == int(short.group(2))
    if left := re.search(r"lands with ([\d,]+) km of nominal range left", computed):
        assert f"{assess(result).sorties[0].remaining_arrival_m[-1] / 1000:,.0f}" == left.group(1)
    if launches := re.search(r"launches (\d\d:\d\d)–(\d\d:\d\d) UTC", computed):
        times = sorted(format_hm(w.launch_time)[-5:] for w in result.weapons)
        assert (times[0], times[-1]) == launches.groups()
