"""The first maps sessions opened with, kept on disk (``missions.dashboard.first_map``)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from missions.dashboard import first_map
from missions.dashboard.first_map import (
    FILE_PATTERNS,
    MAX_PAYLOAD_CHARS,
    MAX_QUERIES,
    cached_first_map,
    query_key,
    remember_first_map,
    source_version,
)

TU160 = query_key({"mission": ["tu160-2015-11-20"], "units": ["nm"]})


def test_first_map__read_back_by_its_query_only(tmp_path: Path) -> None:
    assert cached_first_map(TU160, tmp_path) is None  # nothing kept yet
    remember_first_map(TU160, '{"data": 1}', tmp_path)
    assert cached_first_map(TU160, tmp_path) == '{"data": 1}'
    assert cached_first_map(query_key({"mission": ["tu160-2015-11-20"]}), tmp_path) is None  # another query
    assert cached_first_map(query_key({"units": ["nm"], "mission": ["tu160-2015-11-20"]}), tmp_path) == '{"data": 1}'
    remember_first_map(TU160, '{"data": 2}', tmp_path)  # mended: the last one written counts
    assert cached_first_map(TU160, tmp_path) == '{"data": 2}'


def test_first_map__file_patterns_name_every_file_kept(tmp_path: Path) -> None:
    """``FILE_PATTERNS`` match every first map written (``bench_app_browser --first-map-cache cold`` copies
    the caches without them: with the one-file-per-query names it copied them all, and its "cold" first
    map was drawn from the disk)."""
    import fnmatch

    for i in range(3):
        remember_first_map(query_key({"mission": [f"m{i}"]}), "{}", tmp_path)
    (tmp_path / "page-cache.bin").write_bytes(b"")  # another cache's file
    names = sorted(p.name for p in tmp_path.iterdir())
    kept = [n for n in names if any(fnmatch.fnmatch(n, pattern) for pattern in FILE_PATTERNS)]
    assert len(kept) == 3 and kept == [n for n in names if n.startswith("first-map")]


def test_query_key__every_value_counts() -> None:
    assert query_key({"units": ["nm"]}) != query_key({"units": ["km"]})
    assert query_key({"m": ["a", "b"]}) != query_key({"m": ["b", "a"]}) != query_key({"m": ["a"]})
    assert query_key({}) != query_key({"mission": [""]})


def test_first_map__keeps_the_last_used_queries_and_no_huge_payload(tmp_path: Path) -> None:
    keys = [query_key({"mission": [str(i)]}) for i in range(MAX_QUERIES + 1)]
    for i, key in enumerate(keys[:MAX_QUERIES]):
        remember_first_map(key, f'{{"n": {i}}}', tmp_path)
        os.utime(next(tmp_path.glob(f"first-map-*-{key[:16]}.json")), (1000.0 + i, 1000.0 + i))  # written in turn
    assert cached_first_map(keys[0], tmp_path) == '{"n": 0}'  # read: the last used now
    remember_first_map(keys[MAX_QUERIES], "{}", tmp_path)
    assert cached_first_map(keys[1], tmp_path) is None  # the least recently used went
    assert [cached_first_map(k, tmp_path) for k in (keys[0], keys[2], keys[MAX_QUERIES])] == [
        '{"n": 0}',
        '{"n": 2}',
        "{}",
    ]
    assert len(list(tmp_path.glob("first-map-*.json"))) == MAX_QUERIES
    remember_first_map(TU160, "x" * (MAX_PAYLOAD_CHARS + 1), tmp_path)
    assert cached_first_map(TU160, tmp_path) is None


def test_first_map__a_damaged_file_is_not_used(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    remember_first_map(TU160, '{"data": "Engels"}', tmp_path)
    (path,) = tmp_path.glob("first-map-*.json")
    path.write_bytes(path.read_bytes().replace(b"Engels", b"Engelz"))
    assert cached_first_map(TU160, tmp_path) is None
    assert "not used (its checksum does not match its contents)" in caplog.text


def test_first_map__another_version_of_the_inputs_reads_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    remember_first_map(TU160, '{"data": 1}', tmp_path)
    monkeypatch.setattr(first_map, "source_version", lambda: "f" * 64)  # the code or data changed
    assert cached_first_map(TU160, tmp_path) is None
    remember_first_map(TU160, '{"data": 2}', tmp_path)  # its own file; the other version's stays an hour
    assert len(list(tmp_path.glob("first-map-*.json"))) == 2
    for path in tmp_path.glob("first-map-*.json"):
        os.utime(path, (1000.0, 1000.0))  # unused for long
    remember_first_map(TU160, '{"data": 3}', tmp_path)
    assert len(list(tmp_path.glob("first-map-*.json"))) == 1  # the other version's went


def _tree(root: Path) -> dict[str, Path]:
    files = {
        "code": root / "missions" / "analysis.py",
        "catalogue": root / "missions" / "catalog" / "tu160.yaml",
        "data": root / "geodata" / "places.zip",
        "page": root / "app.py",
        "bytecode": root / "missions" / "__pycache__" / "analysis.cpython-311.pyc",
        "outside": root / "tests" / "test_x.py",
    }
    for path in files.values():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"original")
    return files


def test_source_version__follows_every_input_file(tmp_path: Path) -> None:
    """A change to the package's code, its catalogue, the embedded data or ``app.py`` is a new version
    (the first maps kept are not used); compiled bytecode and files outside the inputs are not read."""
    files = _tree(tmp_path)
    version = source_version.__wrapped__(tmp_path)
    assert version == source_version.__wrapped__(tmp_path) and len(version) == 64
    for name, path in files.items():
        path.write_bytes(b"changed!")  # the same size: the content counts, not only the size
        changed = source_version.__wrapped__(tmp_path) != version
        assert changed == (name not in ("bytecode", "outside")), name
        path.write_bytes(b"original")
    (tmp_path / "geodata" / "new.json").write_bytes(b"{}")
    assert source_version.__wrapped__(tmp_path) != version
