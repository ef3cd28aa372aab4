"""The architecture, read from every module's imports: the core imports no face library.

``streamlit`` only in ``app.py`` and ``missions/dashboard/``; ``folium``/``branca`` only in
``missions/render/``; ``matplotlib``/``cartopy`` only in ``missions/figure/``; ``geodata/`` nothing
from ``missions``. Imports inside functions count too (a lazy import is still an import).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: library -> the package (under missions/) that alone may import it
FACES = {
    "streamlit": "dashboard",
    "folium": "render",
    "branca": "render",
    "matplotlib": "figure",
    "cartopy": "figure",
}


def imported(path: Path) -> set[str]:
    """The top-level names of every absolute import in a module (relative imports stay in the package)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def _package(path: Path) -> str:
    """The subpackage of ``missions`` a module is in ('' for a module of the core's top level)."""
    parts = path.relative_to(ROOT / "missions").parts
    return parts[0] if len(parts) > 1 else ""


MODULES = sorted((ROOT / "missions").rglob("*.py"))


def test_imported__finds_lazy_and_from_imports(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("import os.path\nfrom . import x\ndef f():\n    from streamlit import components\n")
    assert imported(module) == {"os", "streamlit"}


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_layers__face_libraries_only_in_their_package(path: Path) -> None:
    package = _package(path)
    banned = {lib for lib, home in FACES.items() if home != package}
    assert not imported(path) & banned, f"{path.relative_to(ROOT)} imports {sorted(imported(path) & banned)}"


def test_layers__streamlit_only_in_the_dashboard_package() -> None:
    users = {str(p.relative_to(ROOT)) for p in MODULES if "streamlit" in imported(p)}
    assert users and all(u.startswith("missions/dashboard/") for u in users), users
    assert "streamlit" in imported(ROOT / "app.py")


def test_layers__geodata_imports_nothing_from_missions() -> None:
    for path in sorted((ROOT / "geodata").rglob("*.py")):
        assert "missions" not in imported(path), path
