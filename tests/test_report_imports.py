"""What ``report`` imports: only what it uses (its cost is measured against the bare imports, bench_core)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from missions.checkedcache import cache_dir

ROOT = Path(__file__).resolve().parents[1]
TU160 = "missions/catalog/tu160-2015-11-20.yaml"

#: never needed by a report: drawing, tables of frames, other formats
HEAVY = (
    "matplotlib", "cartopy", "folium", "pandas", "pyarrow", "streamlit", "geopandas", "ruamel", "rapidfuzz", "lxml",
)  # fmt: skip
#: the overflight machinery: loaded only when crossings are computed
OVERFLIGHT = (
    "missions.airspace.overflight",
    "missions.airspace.index",
    "missions.airspace.clip",
    "missions.airspace.sovereign",
    "geodata.airspace",
)

_SCRIPT = """
import contextlib, io, json, sys
from missions.__main__ import main
with contextlib.redirect_stdout(io.StringIO()):
    status = main(sys.argv[1:])
print(json.dumps([status, sorted(sys.modules)]))
"""


def _modules(*args: str, cache: Path | None = None) -> set[str]:
    env = {**os.environ, "MISSIONS_CACHE_DIR": str(cache)} if cache is not None else None
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT, "report", TU160, "--json", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    status, modules = json.loads(done.stdout.splitlines()[-1])
    assert status == 0, done.stderr
    return set(modules)


def _loaded(modules: set[str], names: tuple[str, ...]) -> list[str]:
    return [n for n in names if any(m == n or m.startswith(n + ".") for m in modules)]


def test_report__without_countries_loads_no_overflight_code() -> None:
    modules = _modules("--no-countries")
    assert _loaded(modules, HEAVY) == []
    assert _loaded(modules, OVERFLIGHT) == []


def test_report__crossings_read_from_their_cache_load_no_overflight_code(tmp_path: Path) -> None:
    # its own results folder (other processes sharing the user's may prune it), beside links to the
    # built caches of the embedded data (built here if there are none)
    for built in cache_dir().glob("*"):
        if built.is_file():
            (tmp_path / built.name).symlink_to(built)
    _modules(cache=tmp_path)  # computes the crossings
    modules = _modules(cache=tmp_path)
    assert "missions.airspace.passages" in modules
    assert _loaded(modules, HEAVY) == []
    assert _loaded(modules, OVERFLIGHT) == []


def test_report__crossings_computed_load_no_airspace_builders(tmp_path: Path) -> None:
    """A first report of a file (crossings computed, the index and sovereign pieces read from their
    caches) loads the overflight code, but not the builders of the embedded airspace
    (``geodata.airspace``, its pyproj transformers) nor of the index (geopandas)."""
    for built in cache_dir().glob("*"):
        if built.is_file():
            (tmp_path / built.name).symlink_to(built)
    _modules(cache=tmp_path)  # the caches of the embedded data built here if there were none
    for result in (tmp_path / "overflight").glob("*.json"):
        result.unlink()
    modules = _modules(cache=tmp_path)
    assert "missions.airspace.overflight" in modules and "missions.airspace.tiles" in modules
    assert _loaded(modules, HEAVY) == []
    assert _loaded(modules, ("geodata.airspace",)) == []
