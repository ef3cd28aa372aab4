"""Cache files read in part (missions/checkedblocks.py): blocks checked as they are read, damage found
where it is, the country index and sovereign airspace rebuilt once, with one notice, when a block fails."""

from __future__ import annotations

import logging
import os
import shutil

import numpy as np
import pytest
import shapely

from missions.airspace import index as airspace_index
from missions.airspace import sovereign as airspace_sovereign
from missions.checkedblocks import BlockArray, DamagedBlockError, load_arrays_lazily
from missions.checkedcache import BLOCK_BYTES, Damaged, load_arrays, npz_members, save_arrays

SOURCE = "test-source v1"


@pytest.fixture
def blocked_file(tmp_path):
    rng = np.random.default_rng(3)
    arrays = {"xy": rng.uniform(-180, 180, (20_000, 2)), "small": np.arange(10), "codes": np.array(["AAA", "BBB"])}
    path = tmp_path / "c.npz"
    save_arrays(path, arrays, source=SOURCE, blocked=("xy",))
    return path, arrays


def _offset_of(path, name: str) -> int:
    with open(path, "rb") as f:
        raw = f.read()
    import io

    members = npz_members(io.BytesIO(raw), lambda o, n: raw[o : o + n], len(raw))
    assert members is not None
    return next(m.offset for m in members if m.name == name)


def _flip(path, at: int) -> None:
    raw = bytearray(path.read_bytes())
    raw[at] ^= 0x40
    path.write_bytes(bytes(raw))


def test_load_arrays_lazily__rows_read_as_used(blocked_file):
    path, arrays = blocked_file
    data = load_arrays_lazily(path, source=SOURCE, lazy=("xy",))
    assert isinstance(data, dict) and isinstance(data["xy"], BlockArray)
    assert np.array_equal(data["small"], arrays["small"]) and list(data["codes"]) == ["AAA", "BBB"]
    rows = np.array([0, 5, 4095, 4096, 19_999])
    assert np.array_equal(data["xy"].take(rows), arrays["xy"][rows])
    assert np.array_equal(data["xy"].take(np.arange(20_000)), arrays["xy"])
    full = load_arrays(path, source=SOURCE)  # the whole file read and checked, as before
    assert isinstance(full, dict) and np.array_equal(full["xy"], arrays["xy"])


def test_load_arrays_lazily__damaged_block_found_where_read(blocked_file):
    """A flipped byte in the third block of a blocked array: the file loads (its directory and small
    arrays are whole), rows of other blocks read, rows of that block raise; a full read refuses it."""
    path, arrays = blocked_file
    _flip(path, _offset_of(path, "xy") + 2 * BLOCK_BYTES + 100)
    data = load_arrays_lazily(path, source=SOURCE, lazy=("xy",))
    assert isinstance(data, dict)
    xy = data["xy"]
    assert isinstance(xy, BlockArray)
    rows_per_block = BLOCK_BYTES // 16
    assert np.array_equal(xy.take(np.arange(2 * rows_per_block)), arrays["xy"][: 2 * rows_per_block])
    with pytest.raises(DamagedBlockError):
        xy.take(np.array([2 * rows_per_block + 10]))
    with pytest.raises(DamagedBlockError):  # and again: a damaged block is never marked read
        xy.take(np.array([2 * rows_per_block]))
    damaged = load_arrays(path, source=SOURCE)
    assert isinstance(damaged, Damaged) and "checksum" in damaged.reason


@pytest.mark.parametrize("name", ["small", "xy.blocks"])
def test_load_arrays_lazily__damaged_small_array_refused_at_once(blocked_file, name):
    path, _ = blocked_file
    _flip(path, _offset_of(path, name) + 3)
    damaged = load_arrays_lazily(path, source=SOURCE, lazy=("xy",))
    assert isinstance(damaged, Damaged) and "checksum" in damaged.reason


def test_load_arrays_lazily__truncated_and_special_files(blocked_file, tmp_path):
    path, _ = blocked_file
    raw = path.read_bytes()
    for cut in (10, len(raw) // 2, len(raw) - 30):
        short = tmp_path / f"short{cut}.npz"
        short.write_bytes(raw[:cut])
        assert isinstance(load_arrays_lazily(short, source=SOURCE, lazy=("xy",)), Damaged)
    assert load_arrays_lazily(tmp_path / "none.npz", source=SOURCE, lazy=("xy",)) is None
    assert isinstance(load_arrays_lazily(tmp_path, source=SOURCE, lazy=("xy",)), Damaged)  # a directory
    other = load_arrays_lazily(path, source="another source", lazy=("xy",))
    assert isinstance(other, Damaged) and "other source" in other.reason


def test_block_array__file_cut_short_after_loading(blocked_file):
    """A file cut short under a reader: a short read, a damaged block (not a crash)."""
    path, _ = blocked_file
    data = load_arrays_lazily(path, source=SOURCE, lazy=("xy",))
    assert isinstance(data, dict)
    with open(path, "r+b") as f:
        f.truncate(_offset_of(path, "xy") + BLOCK_BYTES)
    xy = data["xy"]
    assert isinstance(xy, BlockArray)
    xy.take(np.array([0]))
    with pytest.raises(DamagedBlockError):
        xy.take(np.array([19_999]))


def _copy_caches(tmp_path, monkeypatch) -> None:
    """The session's index and sovereign caches, copied to a cache folder of the test's own."""
    index = airspace_index.country_index()  # built and saved, if this session had not yet
    paths = [
        airspace_index._cache_path(),
        airspace_sovereign._cache_path(airspace_sovereign._cache_source(index) or ""),
    ]
    airspace_sovereign.sovereign_pieces(index)
    for path in paths:
        assert path is not None and path.exists()
        shutil.copyfile(path, tmp_path / path.name)
    monkeypatch.setenv("MISSIONS_CACHE_DIR", str(tmp_path))
    airspace_index._default_index.cache_clear()
    airspace_sovereign.sovereign_pieces.cache_clear()


def test_default_index__damaged_block_rebuilt_once_with_one_notice(tmp_path, monkeypatch, caplog):
    """A byte flipped in the index's piece coordinates passes the load (blocks are checked as read);
    the first query that reads that block rebuilds the cache from the embedded polygons, once, with
    one notice, and the pieces built are those of the undamaged index."""
    _copy_caches(tmp_path, monkeypatch)
    try:
        built = airspace_index._default_index()  # read from the copied cache
        path = airspace_index._cache_path()
        assert path is not None and path.parent == tmp_path
        far = 7000  # a piece whose coordinates lie in a block of their own
        first = int(shapely.get_num_coordinates(np.asarray(built.pieces)[:far]).sum())
        _flip(path, _offset_of(path, "pieces_xy") + first * 16 + 8)
        airspace_index._default_index.cache_clear()
        with caplog.at_level(logging.WARNING, logger="missions.airspace.index"):
            index = airspace_index._default_index()
            assert isinstance(index.pieces, airspace_index.LazyPolygons)
            assert shapely.equals_exact(index.pieces[3], built.pieces[3], tolerance=0.0)  # a whole block
            assert not caplog.records
            got = index.pieces[np.array([far, far + 1])]
            index.land[np.array([5, 6])]  # the land's repair is the same rebuild: no second notice
        assert np.all(shapely.equals_exact(got, np.asarray(built.pieces)[[far, far + 1]], tolerance=0.0))
        notices = [r.getMessage() for r in caplog.records]
        assert len(notices) == 1 and "was not used (its checksum does not match" in notices[0]
        assert "rebuilding it" in notices[0]
        assert isinstance(load_arrays(path, source=index.source or ""), dict)  # rewritten whole
    finally:
        airspace_index._default_index.cache_clear()


def test_sovereign_pieces__damaged_block_rebuilt_once_with_one_notice(tmp_path, monkeypatch, caplog):
    _copy_caches(tmp_path, monkeypatch)
    try:
        index = airspace_index._default_index()
        built = airspace_sovereign.sovereign_pieces(index)
        source = airspace_sovereign._cache_source(index)
        assert source is not None
        path = airspace_sovereign._cache_path(source)
        expected = np.asarray(built.pieces)[:3]  # read before the file is damaged in place
        _flip(path, _offset_of(path, "pieces_xy") + 1000)  # the first pieces' block
        airspace_sovereign.sovereign_pieces.cache_clear()
        with caplog.at_level(logging.WARNING, logger="missions.airspace.sovereign"):
            again = airspace_sovereign.sovereign_pieces(index)
            got = again.pieces[np.array([0, 1, 2])]
            again.pieces[np.array([3, 4])]
        assert np.all(shapely.equals_exact(got, expected, tolerance=0.0))
        notices = [r.getMessage() for r in caplog.records]
        assert len(notices) == 1 and "sovereign airspace cache" in notices[0] and "rebuilding it" in notices[0]
        assert isinstance(load_arrays(path, source=source), dict)
    finally:
        airspace_sovereign.sovereign_pieces.cache_clear()
        airspace_index._default_index.cache_clear()


def test_load_arrays_lazily__without_pread(blocked_file, monkeypatch):
    """Where the system has no pread (Windows), a seek and a read give the same rows, damage found alike."""
    path, arrays = blocked_file
    monkeypatch.delattr(os, "pread")
    monkeypatch.delattr(os, "preadv")
    data = load_arrays_lazily(path, source=SOURCE, lazy=("xy",))
    assert isinstance(data, dict) and isinstance(data["xy"], BlockArray)
    assert np.array_equal(data["xy"].take(np.arange(0, 20_000, 7)), arrays["xy"][::7])
    _flip(path, _offset_of(path, "xy") + 100)
    damaged = load_arrays_lazily(path, source=SOURCE, lazy=("xy",))
    assert isinstance(damaged, dict)
    with pytest.raises(DamagedBlockError):
        damaged["xy"].take(np.array([1]))
