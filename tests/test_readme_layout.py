"""The README's "Where each figure comes from" table names functions that exist (a rename breaks this)."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def _computed_by() -> list[str]:
    text = README.read_text(encoding="utf-8")
    table = text.split("### Where each figure comes from", 1)[1].split("\n\n", 2)[2].split("\n\n", 1)[0]
    rows = [line.split("|") for line in table.splitlines() if line.startswith("| ") and "---" not in line][1:]
    return [name for row in rows for name in re.findall(r"`([a-z_.]+)`", row[2])]


def test_readme_layout__every_figure_function_exists() -> None:
    names = _computed_by()
    assert len(names) >= 20
    for dotted in names:
        module, _, attr = dotted.rpartition(".")
        assert callable(getattr(importlib.import_module(f"missions.{module}"), attr)), dotted
