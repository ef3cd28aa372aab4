"""The README's precision and recall tables for ``draft`` ("Measured on 7 articles" and the held-out
articles' "after" columns), recomputed as ``benchmarks/bench_draft.py`` computes them: every count
(true/false/missed) as written, so a change of the drafter moves the README with it."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from missions.draft import draft_mission
from missions.draft.score import drafted_fields, expected_fields, score

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT / "tests" / "data" / "articles"
README = (ROOT / "README.md").read_text(encoding="utf-8")


def readme_table(header: str) -> dict[str, list[str]]:
    """Rows of the README table whose header row starts with ``header``: field -> cells."""
    table = README.split(header, 1)[1].split("\n\n", 1)[0]
    rows = [[c.strip() for c in line.strip("|").split("|")] for line in table.splitlines()[2:]]
    return {row[0]: row[1:] for row in rows}


def measured(folder: Path) -> dict[str, tuple[float, float, int, int, int]]:
    expected = yaml.safe_load((folder / "expected.yaml").read_text(encoding="utf-8"))
    return score(
        (drafted_fields(draft_mission((folder / n).read_text(encoding="utf-8"))), expected_fields(e))
        for n, e in expected.items()
    )


def _cells(result: tuple[float, float, int, int, int]) -> list[str]:
    precision, recall, true, false, missed = result
    return [f"{precision:.2f}", f"{recall:.2f}", f"{true}/{false}/{missed}"]


@pytest.mark.parametrize(
    ("header", "folder", "columns"),
    [
        ("| field | precision | recall | (true/false/missed) |", ARTICLES, slice(0, 3)),
        ("| field (6 held-out articles) |", ARTICLES / "heldout", slice(3, 6)),  # the "after" columns
    ],
    ids=["seven articles", "held-out, after"],
)
def test_readme_draft_scores__tables_as_written(header: str, folder: Path, columns: slice) -> None:
    table = readme_table(header)
    result = measured(folder)
    assert len(table) == 5
    for field, cells in table.items():
        name = field.split(" (")[0]  # "weapons (named in the text)"
        assert cells[columns] == _cells(result[name]), field
