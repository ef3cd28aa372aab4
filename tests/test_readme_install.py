"""The README's "install the package (`pip install .`) for a `missions` command that works anywhere".

The package is built the way ``pip install .`` builds it (setuptools, from ``pyproject.toml``: its
package list and package data) into a scratch folder, and must hold every data file the repository
tracks under ``missions/`` and ``geodata/``; then ``python -m missions report`` runs on that build
alone, from a folder outside the repository, with no network. (The embedded airspace,
``geodata/*.wkb.gz``, was once left out of the package data: every report of an installed copy ended
in a traceback.)
"""

from __future__ import annotations

import ast
import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("missions", "geodata")


def tracked_data_files() -> list[str]:
    """Files git tracks in the packages that are not Python source (data the code opens at run time)."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: the tracked files are unknown")
    listed = subprocess.run(
        ["git", "ls-files", *PACKAGES], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    return sorted(path for path in listed if not path.endswith(".py"))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The packages as setuptools builds them for an install (build_py), in a scratch folder."""
    pytest.importorskip("setuptools")
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "requirements.txt"):
        shutil.copy(ROOT / name, source / name)
    for package in PACKAGES:
        (source / package).symlink_to(ROOT / package)
    out = tmp_path_factory.mktemp("build")
    subprocess.run(
        [sys.executable, "-c", "from setuptools import setup; setup()", "-q", "build_py", "--build-lib", str(out)],
        cwd=source, capture_output=True, text=True, check=True, timeout=300,
    )  # fmt: skip
    return out


def test_readme_install__build_backend_is_the_one_built_with() -> None:
    """pyproject.toml asked for setuptools>=68 while the suite built the package (fixture ``built``) with
    the 65.5 that Python 3.11 brings: the floor named a version nothing had tried. It now names one the
    suite builds with, so ``pip install --no-build-isolation .`` (offline, with ``wheel``) is not refused
    for a setuptools that works. (``pip install .`` fetches a current setuptools for its build anyway.)"""
    import tomllib

    from packaging.requirements import Requirement

    requires = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["build-system"]["requires"]
    (setuptools,) = [Requirement(r) for r in requires if Requirement(r).name == "setuptools"]
    installed = importlib.metadata.version("setuptools")
    assert setuptools.specifier.contains(installed), f"setuptools {installed} does not meet {setuptools}"


def test_readme_install__package_holds_every_tracked_data_file(built: Path) -> None:
    missing = [path for path in tracked_data_files() if not (built / path).is_file()]
    assert not missing, f"data files the installed package lacks (pyproject.toml package-data): {missing}"


def test_readme_install__report_runs_anywhere_offline(built: Path, tmp_path: Path) -> None:
    if shutil.which("unshare") is None or subprocess.run(["unshare", "-n", "true"]).returncode != 0:
        pytest.skip("`unshare -n` is unavailable (needs root or user namespaces)")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copy(ROOT / "missions" / "catalog" / "tu160-2015-11-20.yaml", elsewhere / "tu160.yaml")
    env = {**os.environ, "PYTHONPATH": str(built), "MISSIONS_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run(
        ["unshare", "-n", sys.executable, "-m", "missions", "report", "tu160.yaml"],
        cwd=elsewhere, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert "Total: 14,581 km in 16 h 37 min" in done.stdout and "Syria (SYR): 534 km" in done.stdout


def _requirements(name: str) -> set[str]:
    lines = (ROOT / name).read_text(encoding="utf-8").splitlines()
    pins = [line.split("==")[0].strip() for line in lines if "==" in line and not line.startswith("#")]
    return {re.sub(r"[-_.]+", "-", pin).lower() for pin in pins}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    names |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.level == 0 and n.module}
    return {name.split(".")[0] for name in names}


def test_readme_install__first_command_installs_every_runtime_import() -> None:
    """`pip install -r requirements.txt && streamlit run app.py` on a fresh machine: every third-party module
    the app, the CLI and the data loaders import comes from requirements.txt; the data builds
    (``build_*.py``, ``fetch_assets.py``) may use requirements-dev.txt's sources."""
    runtime, dev = _requirements("requirements.txt"), _requirements("requirements-dev.txt")
    distributions = importlib.metadata.packages_distributions()
    files = [ROOT / "app.py", *(p for package in PACKAGES for p in (ROOT / package).rglob("*.py"))]
    missing = []
    for path in files:
        allowed = runtime | dev if path.name.startswith(("build_", "fetch_")) else runtime
        for module in _imports(path) - set(sys.stdlib_module_names) - {*PACKAGES}:
            provided = {re.sub(r"[-_.]+", "-", d).lower() for d in distributions.get(module, [module])}
            if not provided & allowed:
                missing.append(f"{path.relative_to(ROOT)}: {module}")
    assert not missing, missing
