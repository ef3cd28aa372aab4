"""Rules of the code's shape, read from the source: keyword-built frozen dataclasses, geodata apart from missions.

Both walk every ``.py`` file of the packages (vendored assets included), so a new module is covered
the day it is added.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: dataclasses that must stay mutable: builders filled in step by step. Every other one is frozen.
MUTABLE = {
    # the figure being drawn: pixel positions are measured after drawing and stored for label placement
    "missions/figure/draw.py:Drawing",
    # a sortie of a draft being assembled sentence by sentence (its name, escort, route, avoid list)
    "missions/draft/sorties.py:DraftSortie",
    # one place of the gazetteer build, its country and keys filled in as sources are merged
    "geodata/build_places.py:Row",
}


def _sources(*packages: str) -> list[Path]:
    return sorted(p for package in packages for p in (ROOT / package).rglob("*.py"))


@functools.cache
def _trees() -> dict[Path, ast.Module]:
    """Every module of missions and geodata, parsed once per test process (five tests read them all)."""
    return {p: ast.parse(p.read_text(encoding="utf-8"), filename=str(p)) for p in _sources("missions", "geodata")}


def _dataclass_options(decorator: ast.expr) -> dict[str, object] | None:
    """The keyword options of a ``@dataclass`` / ``@dataclasses.dataclass`` decorator (None: not one)."""
    call = decorator if isinstance(decorator, ast.Call) else None
    target = call.func if call is not None else decorator
    name = target.id if isinstance(target, ast.Name) else target.attr if isinstance(target, ast.Attribute) else None
    if name != "dataclass":
        return None
    if call is None:
        return {}
    return {k.arg: ast.literal_eval(k.value) for k in call.keywords if k.arg is not None}


@functools.cache
def _dataclasses() -> dict[str, dict[str, object]]:
    """Every dataclass of missions and geodata as ``"path:Class"`` -> its decorator's options (walked once
    per test process: four tests read them; callers only read the dict)."""
    found = {}
    for path, tree in _trees().items():
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                for decorator in node.decorator_list:
                    options = _dataclass_options(decorator)
                    if options is not None:
                        found[f"{path.relative_to(ROOT).as_posix()}:{node.name}"] = options
    return found


def test_dataclasses__found():
    """The walk sees the dataclasses it is meant to judge (a walk that finds nothing would pass anything)."""
    found = _dataclasses()
    assert len(found) > 80
    assert {"Finding", "Passage", "Place", "Leg"} <= {k.split(":")[1] for k in found}
    assert _dataclass_options(ast.parse("@dataclass\nclass A: pass").body[0].decorator_list[0]) == {}  # type: ignore[attr-defined]


def test_dataclasses__keyword_only():
    """Every dataclass is built by keyword: ``Finding(severity=..., kind=...)``, never eight positions."""
    positional = sorted(k for k, options in _dataclasses().items() if options.get("kw_only") is not True)
    assert positional == []


def test_dataclasses__frozen():
    """Results and records are immutable; only the builders listed in MUTABLE are not."""
    mutable = sorted(k for k, options in _dataclasses().items() if options.get("frozen") is not True)
    assert [k for k in mutable if k not in MUTABLE] == []


def test_dataclasses__allow_lists_current():
    """Every mutable-listed class exists and is still mutable (a stale entry would hide a new one)."""
    found = _dataclasses()
    assert [k for k in MUTABLE if k not in found or found[k].get("frozen") is True] == []


def _positional_named_tuples() -> list[str]:
    """Calls of the packages' NamedTuples with four or more positional arguments, as ``"path:line Class"``."""
    trees = _trees()
    named = {
        node.name
        for tree in trees.values()
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef) and any(isinstance(b, ast.Name) and b.id == "NamedTuple" for b in node.bases)
    }
    found = []
    for path, tree in trees.items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and len(node.args) >= 4:
                f = node.func
                name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else None
                if name in named:
                    found.append(f"{path.relative_to(ROOT).as_posix()}:{node.lineno} {name}")
    return found


def test_named_tuples__built_by_keyword():
    """A named tuple of ours with four or more fields is built by keyword: ``Crossing(iso3=..., ...)``, never
    eight bare positions (small ones such as ``Inverse(distance, bearing, bearing)`` may stay positional)."""
    assert _positional_named_tuples() == []


def _imported_modules(source: str, module: str) -> list[str]:
    """The absolute names of every module that ``source`` (module ``module``) imports, at the top or in functions."""
    package = module.split(".")[:-1]
    names = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            prefix = ".".join([*base, *([node.module] if node.module else [])])
            # ``from x import y``: y may be a module of x or a name in it; both are x's
            names += ([prefix] if node.module else []) + [f"{prefix}.{alias.name}".lstrip(".") for alias in node.names]
    return names


@pytest.mark.parametrize(
    ("source", "imported"),
    [
        ("import missions.units", "missions.units"),
        ("from missions.errors import MissionError", "missions.errors"),
        ("def f():\n    from missions import errors", "missions.errors"),
        ("from . import places", "geodata.places"),
        ("from ..missions import errors", "missions.errors"),
    ],
)
def test_imported_modules__finds(source, imported):
    """The import reader sees top-level, lazy and relative imports (else the next test could not fail)."""
    assert imported in _imported_modules(source, "geodata.probe")


def test_geodata__imports_nothing_from_missions():
    """geodata (data and its loaders, build scripts included) never imports the missions package."""
    sources = _sources("geodata")
    assert len(sources) > 10 and ROOT / "geodata" / "gazetteer.py" in sources
    offending = {
        p.relative_to(ROOT).as_posix(): n
        for p in sources
        for n in _imported_modules(p.read_text(encoding="utf-8"), ".".join(p.relative_to(ROOT).with_suffix("").parts))
        if n == "missions" or n.startswith("missions.")
    }
    assert offending == {}
