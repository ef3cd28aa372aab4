"""The README's "Where each figure comes from" table names functions that exist (a rename breaks this)."""

from __future__ import annotations

import functools
import importlib
import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def _computed_by() -> list[str]:
    text = README.read_text(encoding="utf-8")
    table = text.split("### Where each figure comes from", 1)[1].split("\n\n", 2)[2].split("\n\n", 1)[0]
    rows = [line.split("|") for line in table.splitlines() if line.startswith("| ") and "---" not in line][1:]
    return [name for row in rows for name in re.findall(r"`([a-z_][A-Za-z_.]*)`", row[2])]


def _resolve(dotted: str) -> object:
    """``module.function`` or ``module.Class.attribute`` under ``missions``: the longest module prefix
    that imports, then attributes."""
    parts = dotted.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        try:
            obj: object = importlib.import_module("missions." + ".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for attr in parts[cut:]:
            obj = getattr(obj, attr)
        return obj
    raise AssertionError(f"{dotted}: no such module under missions")


def test_readme_layout__every_figure_function_exists() -> None:
    names = _computed_by()
    assert len(names) >= 20
    for dotted in names:
        obj = _resolve(dotted)
        assert callable(obj) or isinstance(obj, property | functools.cached_property), dotted
