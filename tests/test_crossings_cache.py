"""The disk caches of overflight: crossings read back only while legs, rule, data and code match; the
sovereign airspace pieces read back bit for bit; damaged files never trusted."""

from __future__ import annotations

import logging
import os
import pkgutil
from pathlib import Path

import numpy as np
import pytest
import shapely

import missions.airspace
from missions.airspace import crossings_cache, overflight, sovereign
from missions.airspace.index import _default_index
from missions.checkedcache import Damaged, load_arrays, load_json, save_json

# Paris → Lyon; Calais → Dover (two seas overlap: nearest land decides); Gibraltar → Tangier; a standstill
LEGS = [np.array(v) for v in ([48.8566, 51.0, 36.14, 40.0], [2.3522, 1.85, -5.35, 10.0],
                              [45.7640, 51.13, 35.77, 40.0], [4.8357, 1.31, -5.80, 10.0])]  # fmt: skip


@pytest.fixture
def cache(tmp_path, monkeypatch):
    # the process's country index first, from the user's cache: built anew into tmp_path, it would be kept
    # for the process (lru_cache) and later tests would see an index not read from a cache
    _default_index()
    monkeypatch.setenv("MISSIONS_CACHE_DIR", str(tmp_path))
    return tmp_path / "overflight"


@pytest.fixture
def computations(monkeypatch):
    """Count the calls of the real ``legs_crossings``."""
    calls = []
    real = overflight.legs_crossings

    def counted(*args, **kwargs):
        calls.append(kwargs.get("territorial_sea_nm"))
        return real(*args, **kwargs)

    monkeypatch.setattr(overflight, "legs_crossings", counted)
    return calls


def test_cached_legs_crossings__same_as_computed_then_read_back(cache, computations):
    expected = overflight.legs_crossings(*LEGS)
    computations.clear()
    first = crossings_cache.cached_legs_crossings(*LEGS)
    second = crossings_cache.cached_legs_crossings(*LEGS)
    assert first == expected and second == expected
    assert computations == [None]  # computed once, then read
    assert [c.iso3 for c in second[1]][:1] == ["FRA"] and second[3] == []
    assert all(type(v) is float for leg in second for c in leg for v in c[2:])
    assert len(list(cache.glob("crossings-*.json"))) == 1
    # other rules are other results
    assert crossings_cache.cached_legs_crossings(*LEGS, territorial_sea_nm=0.0) == overflight.legs_crossings(
        *LEGS, territorial_sea_nm=0.0
    )
    assert len(list(cache.glob("crossings-*.json"))) == 2


def test_cached_legs_crossings__other_data_or_code_recomputed_silently(cache, computations, monkeypatch, caplog):
    crossings_cache.cached_legs_crossings(*LEGS)
    monkeypatch.setattr(crossings_cache, "_source", lambda: "overflight-results format:1 other data")
    with caplog.at_level(logging.WARNING, logger="missions.airspace.crossings_cache"):
        assert crossings_cache.cached_legs_crossings(*LEGS) == overflight.legs_crossings(*LEGS)
    assert computations.count(None) == 3 and not caplog.records  # stale is not damaged: no notice


@pytest.mark.parametrize("damage", ["figure", "shape", "truncated"])
def test_cached_legs_crossings__damaged_file_recomputed_with_one_notice(cache, computations, caplog, damage):
    expected = crossings_cache.cached_legs_crossings(*LEGS)
    (path,) = cache.glob("crossings-*.json")
    raw = path.read_bytes()
    if damage == "figure":  # a distance altered, the checksum kept
        first = repr(expected[0][0].end_m).encode()
        path.write_bytes(raw.replace(first, b"1.0", 1))
    elif damage == "shape":  # checksummed, from the right source, but not crossings
        save_json(path, [[["FRA", "France", "far", 1.0, 0.0, 0.0, 0.0, 0.0]]] * 4, source=crossings_cache._source())
    else:
        path.write_bytes(raw[: len(raw) // 2])
    with caplog.at_level(logging.WARNING, logger="missions.airspace.crossings_cache"):
        assert crossings_cache.cached_legs_crossings(*LEGS) == expected
    notices = [r.getMessage() for r in caplog.records]
    assert len(notices) == 1 and "was not used" in notices[0] and "\n" not in notices[0]
    assert computations == [None, None]
    source = crossings_cache._source()
    assert crossings_cache._from_json(load_json(path, source=source), 4) == expected  # rewritten whole


def test_cached_legs_crossings__oldest_files_removed(cache, monkeypatch):
    monkeypatch.setattr(crossings_cache, "MAX_FILES", 2)
    for shift in (0.0, 0.1, 0.2):
        crossings_cache.cached_legs_crossings(LEGS[0] + shift, *LEGS[1:])
    assert len(list(cache.glob("crossings-*.json"))) == 2


def test_code_digest__covers_every_module_of_the_package():
    """A module added to ``missions.airspace`` (the overflight split into submodules) is hashed too:
    a change to it makes every stored result stale."""
    root = Path(crossings_cache.__file__).resolve().parents[2]
    hashed = {p for pattern in crossings_cache._CODE_GLOBS for p in root.glob(pattern)}
    package = Path(missions.airspace.__file__).parent
    modules = {package / (m.name.replace(".", "/") + ".py") for m in pkgutil.walk_packages([str(package)])}
    modules = {m if m.exists() else m.with_suffix("") / "__init__.py" for m in modules}
    assert modules and modules <= hashed
    assert Path(overflight.__file__).resolve() in hashed


def test_sovereign_pieces__disk_cache_gives_the_same_pieces(tmp_path, monkeypatch, caplog):
    index = _default_index()  # the process's index, from the user's cache (not built anew into tmp_path and kept)
    monkeypatch.setenv("MISSIONS_CACHE_DIR", str(tmp_path))
    sovereign.sovereign_pieces.cache_clear()
    legacy = tmp_path / "sovereign-pieces-c68fb42693072e3c.npz"  # an older version's file, unused for long
    legacy.write_bytes(b"x")
    os.utime(legacy, (0, 1e9))
    try:
        built = sovereign.sovereign_pieces(index)
        (path,) = tmp_path.glob("sovereign-pieces-*.npz")  # the older version's removed
        sovereign.sovereign_pieces.cache_clear()
        read = sovereign.sovereign_pieces(index)
        assert read is not built and np.array_equal(read.piece_country, built.piece_country)
        for ours, theirs in ((read.pieces, built.pieces), (read.whole, built.whole)):
            assert list(shapely.get_type_id(ours)) == list(shapely.get_type_id(theirs))
            assert all(shapely.equals_exact(ours, theirs, tolerance=0))
            assert all(shapely.is_prepared(ours))
        raw = bytearray(path.read_bytes())
        raw[len(raw) // 2] ^= 0xFF
        path.write_bytes(bytes(raw))
        sovereign.sovereign_pieces.cache_clear()
        with caplog.at_level(logging.WARNING, logger="missions.airspace.sovereign"):
            again = sovereign.sovereign_pieces(index)
            # the coordinates are checked by blocks as they are read: the damage is found on use
            pieces, whole = np.asarray(again.pieces), np.asarray(again.whole)
        notices = [r.getMessage() for r in caplog.records]
        assert len(notices) == 1 and "was not used" in notices[0]
        assert all(shapely.equals_exact(pieces, built.pieces, tolerance=0))
        assert all(shapely.equals_exact(whole, built.whole, tolerance=0))
        assert not isinstance(load_arrays(path, source=sovereign._cache_source(index)), Damaged)
    finally:
        sovereign.sovereign_pieces.cache_clear()


def test_sovereign_pieces__index_of_a_frame_not_cached(tmp_path, monkeypatch):
    index = _default_index()  # the process's index, from the user's cache (not built anew into tmp_path and kept)
    monkeypatch.setenv("MISSIONS_CACHE_DIR", str(tmp_path))
    frame_index = type(index)(iso3=index.iso3, name=index.name, land=index.land, piece_country=index.piece_country,
                              pieces=index.pieces, tree=index.tree)  # fmt: skip
    assert frame_index.source is None
    sovereign.sovereign_pieces(frame_index)
    assert not list(tmp_path.iterdir())
