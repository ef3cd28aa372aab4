"""The checked disk cache: damaged, truncated, foreign, altered or special cache files are never trusted."""

from __future__ import annotations

import json
import logging
import os
import threading
import zipfile
import zlib

import numpy as np
import pytest

from geodata.diskcache import STALE_AFTER_S
from missions import checkedcache
from missions.airspace import index as airspace_index
from missions.checkedcache import (
    Damaged,
    digest,
    file_version,
    load_arrays,
    load_json,
    prune_stale,
    save_arrays,
    save_json,
)

SOURCE = "test-data sha256:abc index-format:1"


@pytest.fixture
def cache_file(tmp_path):
    path = tmp_path / "c.npz"
    arrays = {"iso3": np.array(["FRA", "DEU", "ESP"]), "owner": np.arange(3, dtype=np.intp)}
    save_arrays(path, arrays, source=SOURCE)
    return path


def test_load_arrays__round_trip(cache_file):
    data = load_arrays(cache_file, source=SOURCE)
    assert isinstance(data, dict)
    assert list(data["iso3"]) == ["FRA", "DEU", "ESP"]
    assert load_arrays(cache_file.with_name("none.npz"), source=SOURCE) is None


def test_load_arrays__truncated(cache_file):
    raw = cache_file.read_bytes()
    for size in (0, 10, len(raw) // 2, len(raw) - 1):
        cache_file.write_bytes(raw[:size])
        assert isinstance(load_arrays(cache_file, source=SOURCE), Damaged), size


def test_load_arrays__every_flipped_byte_detected_or_harmless(cache_file):
    raw = bytearray(cache_file.read_bytes())
    for pos in range(0, len(raw), 5):
        flipped = bytearray(raw)
        flipped[pos] ^= 0x41
        cache_file.write_bytes(bytes(flipped))
        result = load_arrays(cache_file, source=SOURCE)
        # a flip in zip padding or an unused header field may leave the arrays intact: then they
        # must be exactly the saved ones
        if not isinstance(result, Damaged):
            assert list(result["iso3"]) == ["FRA", "DEU", "ESP"], pos
            assert list(result["owner"]) == [0, 1, 2], pos


def test_load_arrays__swapped_codes_detected(cache_file):
    with zipfile.ZipFile(cache_file) as z, np.load(cache_file) as npz:
        members = {name: npz[name] for name in npz.files}
        assert "__sha256__.npy" in z.namelist()
    members["iso3"] = np.array(["DEU", "FRA", "ESP"])  # same size, same dtype, codes swapped
    np.savez(cache_file, **members)
    damaged = load_arrays(cache_file, source=SOURCE)
    assert damaged == Damaged(reason="its checksum does not match its contents")


def test_load_arrays__foreign_cache_detected(cache_file, tmp_path):
    assert load_arrays(cache_file, source="other data") == Damaged(reason="it was built from other source data")
    plain = tmp_path / "plain.npz"
    np.savez(plain, iso3=np.array(["FRA"]))
    assert load_arrays(plain, source=SOURCE) == Damaged(reason="it carries no source version or checksum")


def test_digest__changes_with_dtype_shape_and_source():
    a = {"x": np.arange(4, dtype=np.int64)}
    assert digest(a, "s") != digest({"x": np.arange(4, dtype=np.int32)}, "s")
    assert digest(a, "s") != digest({"x": np.arange(4, dtype=np.int64).reshape(2, 2)}, "s")
    assert digest(a, "s") != digest(a, "t")


@pytest.mark.parametrize("kind", ["fifo", "zero", "urandom", "directory"])
def test_load_arrays__special_paths_refused_without_blocking(tmp_path, kind):
    path = tmp_path / "c.npz"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "directory":
        path.mkdir()
    else:
        path.symlink_to(f"/dev/{kind}")
    result: list[object] = []
    worker = threading.Thread(target=lambda: result.append(load_arrays(path, source=SOURCE)), daemon=True)
    worker.start()
    worker.join(timeout=5)
    assert not worker.is_alive(), "load_arrays blocked"
    assert isinstance(result[0], Damaged) and "not a regular file" in result[0].reason


def test_default_index__damaged_cache_rebuilt_once_with_one_notice(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("MISSIONS_CACHE_DIR", str(tmp_path))
    airspace_index._default_index.cache_clear()
    path = airspace_index._cache_path()
    assert path is not None and path.parent == tmp_path
    path.write_bytes(b"PK\x03\x04 truncated")
    # other versions' files (the v1 index was ~10-30 MB each) were never removed; now they go when a
    # new one is written, unless used within the last hour (another checkout may be using it)
    old_v1 = tmp_path / "country-index-v1-128-a262f9c82d2e1a68.npz"
    recent_v1 = tmp_path / "country-index-v1-128-e64d6241c9472a6c.npz"
    left_tmp = tmp_path / "country-index-v1-128-a262f9c82d2e1a68.npz.k3j2x9_q.tmp"
    for stale in (old_v1, recent_v1, left_tmp):
        stale.write_bytes(b"x")
    for stale in (old_v1, left_tmp):
        os.utime(stale, (0, 1e9))
    try:
        with caplog.at_level(logging.WARNING, logger="missions.airspace.index"):
            index = airspace_index._default_index()
            airspace_index._default_index()  # cached in the process: no second notice
        notices = [r.getMessage() for r in caplog.records]
        assert len(notices) == 1 and "was not used" in notices[0] and "rebuilding" in notices[0]
        assert "\n" not in notices[0]
        fra = index.iso3.index("FRA")
        # the rebuilt cache is whole and trusted: loading it gives the same countries
        source = airspace_index._cache_source()
        reloaded = airspace_index.load_index(path, source=source)
        assert isinstance(reloaded, airspace_index.CountryIndex)
        assert reloaded.iso3 == index.iso3 and reloaded.iso3.index("FRA") == fra
        assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
        assert not old_v1.exists() and recent_v1.exists()
        # a cache that is read, not written, prunes too (a user whose current file exists already)
        os.utime(recent_v1, (0, 1e9))
        airspace_index._default_index.cache_clear()
        assert airspace_index._default_index().iso3 == index.iso3  # read back from the cache
        assert not recent_v1.exists() and path.exists()
    finally:
        airspace_index._default_index.cache_clear()


def test_prune_stale__only_other_versions_of_our_own_files(tmp_path):
    """The versions of a cache other than the current one go once unused for an hour; nothing else does:
    not the current file, not other names, not symlinks or directories, not a file read recently."""
    current = tmp_path / "idx-v2-bbbb.npz"
    save_arrays(current, {"a": np.arange(3)}, source=SOURCE)
    old, used = tmp_path / "idx-v1-aaaa.npz", tmp_path / "idx-v1-cccc.npz"
    save_arrays(old, {"a": np.arange(3)}, source=SOURCE)
    save_arrays(used, {"a": np.arange(3)}, source=SOURCE)
    torn = tmp_path / "idx-v2-bbbb.npz.a1b2c3d4.tmp"  # a killed writer's temp file
    other = tmp_path / "other-v1-aaaa.npz"
    target = tmp_path / "target.bin"
    for path in (torn, other, target):
        path.write_bytes(b"x")
    link = tmp_path / "idx-v0-link.npz"
    link.symlink_to(target)
    folder = tmp_path / "idx-v0-dir.npz"
    folder.mkdir()
    long_ago = (0, 1e9)
    for path in (current, old, used, torn, other, target, folder):
        os.utime(path, long_ago)
    os.utime(link, long_ago, follow_symlinks=False)
    assert isinstance(load_arrays(used, source=SOURCE), dict)  # a checkout of that version still reads it
    removed = prune_stale(current, "idx-v*-????.npz")
    assert sorted(removed) == sorted([old, torn])
    assert current.exists() and used.exists() and other.exists() and target.exists()
    assert link.is_symlink() and folder.is_dir()
    os.utime(used, (0, 1e9 + STALE_AFTER_S))
    assert prune_stale(current, "idx-v*-????.npz") == [used]


def test_save_index__round_trip_is_exact(tmp_path):
    """The cached index gives back the very geometries: a Polygon stays a Polygon beside a MultiPolygon,
    holes, ring order and every coordinate bit kept."""
    import shapely

    holed = shapely.Polygon([(0, 0), (10, 0), (10, 10), (0, 10)], [[(2, 2), (2, 4), (4, 4), (4, 2)]])
    islands = shapely.MultiPolygon([shapely.box(20, 0, 21, 1), shapely.box(22.1, 0.3, 23.7, 1.9)])
    land = np.array([holed, islands], dtype=object)
    pieces, owner = airspace_index.subdivide(land, 16)
    index = airspace_index.CountryIndex(
        iso3=("AAA", "BBB"), name=("A", "B"), land=land, piece_country=owner, pieces=pieces,
        tree=shapely.STRtree(pieces),
    )  # fmt: skip
    path = tmp_path / "index.npz"
    airspace_index.save_index(index, path, source=SOURCE)
    back = airspace_index.load_index(path, source=SOURCE)
    assert isinstance(back, airspace_index.CountryIndex)
    assert back.iso3 == index.iso3 and back.name == index.name
    assert np.array_equal(back.piece_country, owner)
    for ours, theirs in ((back.land, land), (back.pieces, pieces)):
        assert list(shapely.get_type_id(ours)) == list(shapely.get_type_id(theirs))
        assert all(shapely.equals_exact(ours, theirs, tolerance=0))


def test_load_json__round_trip_and_damage(tmp_path):
    path = tmp_path / "c.json"
    data = {"aircraft": {"Tu-160": {"range_km": {"value": 12300, "min": 10500.5}, "aliases": ["Blackjack"]}}}
    save_json(path, data, source=SOURCE)
    assert load_json(path, source=SOURCE) == data
    assert load_json(tmp_path / "none.json", source=SOURCE) is None
    assert load_json(path, source="other data") == Damaged(reason="it was built from other source data")
    raw = path.read_bytes()
    path.write_bytes(raw.replace(b"12300", b"12800"))  # a figure altered, the checksum kept
    assert load_json(path, source=SOURCE) == Damaged(reason="its checksum does not match its contents")
    for size in (0, 10, len(raw) // 2, len(raw) - 1):
        path.write_bytes(raw[:size])
        assert isinstance(load_json(path, source=SOURCE), Damaged), size


def test_catalogue__parsed_yaml_cache_used_only_while_text_and_contents_match(tmp_path, monkeypatch, caplog):
    from missions.performance import loader

    monkeypatch.setenv("MISSIONS_CACHE_DIR", str(tmp_path))
    path = loader.WEAPONS_CATALOG_PATH
    text = path.read_text(encoding="utf-8")
    expected = loader.yaml.load(text, Loader=loader.yaml.SafeLoader)
    stale = [tmp_path / "catalogue-weapons.json", tmp_path / "catalogue-weapons-bf3ae4932a7cb086.json"]
    kept = tmp_path / "catalogue-aircraft-97b6c21593c4941f.json"  # another catalogue's
    for path_ in (*stale, kept):
        path_.write_text("{}")
        os.utime(path_, (0, 1e9))
    assert loader._parsed_yaml(text, path) == expected  # parsed, and cached (older versions removed)
    assert not any(p.exists() for p in stale) and kept.exists()
    (cache,) = tmp_path.glob("catalogue-weapons-*.json")
    assert load_json(cache, source=json.loads(cache.read_bytes().split(b"\n")[0])["source"]) == expected
    header, body = cache.read_bytes().split(b"\n", 1)
    cache.write_bytes(header + b"\n" + body.replace(b'"Kh-101"', b'"Kh-102"'))  # altered: never trusted
    with caplog.at_level(logging.WARNING, logger="missions.performance.loader"):
        assert loader._parsed_yaml(text, path) == expected
    notices = [r.getMessage() for r in caplog.records]
    assert len(notices) == 1 and "was not used (its checksum does not match its contents)" in notices[0]
    assert b'"Kh-102"' not in cache.read_bytes()  # and rewritten
    edited = text.replace("Kh-101", "Kh-101X")  # a changed catalogue text: another cache, never the old one
    assert loader._parsed_yaml(edited, path) == loader.yaml.load(edited, Loader=loader.yaml.SafeLoader)
    assert len(list(tmp_path.glob("catalogue-weapons-*.json"))) == 2
    # a catalogue elsewhere (a user's file) is parsed, never cached
    other = tmp_path / "mine" / "weapons.yaml"
    other.parent.mkdir()
    other.write_text(text, encoding="utf-8")
    for old in tmp_path.glob("catalogue-*.json"):
        old.unlink()
    assert loader._parsed_yaml(text, other) == expected and not list(tmp_path.glob("catalogue-*.json"))


def test_load_arrays__compressed_archive_read_too(tmp_path):
    """A cache written compressed (not by save_arrays) is read by numpy and checked the same way;
    the uncompressed ones save_arrays writes are read as views of the file, without a copy."""
    arrays = {"iso3": np.array(["FRA", "DEU"]), "xy": np.arange(6.0).reshape(3, 2), "f": np.ones((2, 3), order="F")}
    plain, packed = tmp_path / "plain.npz", tmp_path / "packed.npz"
    save_arrays(plain, arrays, source=SOURCE)
    extra = {"__source__": np.array(SOURCE), "__sha256__": np.array(digest(arrays, SOURCE))}
    np.savez_compressed(packed, **arrays, **extra)
    for path in (plain, packed):
        back = load_arrays(path, source=SOURCE)
        assert isinstance(back, dict) and set(back) == set(arrays), path
        for name, array in arrays.items():
            assert back[name].dtype == array.dtype and np.array_equal(back[name], array), (path, name)
    assert not load_arrays(plain, source=SOURCE)["xy"].flags.owndata  # a view of the file's bytes


def test_file_version__follows_the_bytes_of_the_file(tmp_path, monkeypatch):
    monkeypatch.setenv("MISSIONS_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "data.bin"
    path.write_bytes(b"abcdef" * 1000)
    first = file_version(path)
    assert first == file_version(path) == f"bytes:6000 crc32:{zlib.crc32(b'abcdef' * 1000):08x}"
    path.write_bytes(b"abcdeg" + b"abcdef" * 999)  # same size, one byte changed
    assert file_version(path) != first
    path.write_bytes(b"abcdef" * 1000)
    assert file_version(path) == first
    with pytest.raises(OSError):
        file_version(tmp_path / "none.bin")


def test_file_version__kept_across_processes_until_the_file_changes(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("MISSIONS_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "data.bin"
    path.write_bytes(b"x" * 100)
    first = file_version(path)
    memo = tmp_path / "cache" / "file-versions.json"
    assert str(path) in memo.read_text()
    checkedcache._versions_memo.cache_clear()  # as a new process
    real_open = open
    monkeypatch.setattr("builtins.open", lambda *a, **k: pytest.fail(f"read again: {a[0]}"))
    assert file_version(path) == first  # from the memo: the file is not read
    monkeypatch.setattr("builtins.open", real_open)
    stat = path.stat()
    path.write_bytes(b"y" * 100)  # same size; its times put back: the change time still moves
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    checkedcache._versions_memo.cache_clear()
    assert file_version(path) != first
    memo.write_bytes(memo.read_bytes()[:-5])  # a damaged memo: one note, then rebuilt
    checkedcache._versions_memo.cache_clear()
    with caplog.at_level(logging.WARNING):
        assert file_version(path) == f"bytes:100 crc32:{zlib.crc32(b'y' * 100):08x}"
    (note,) = [r.getMessage() for r in caplog.records]
    assert note.startswith(f"note: the file version cache {memo} was not used (")
    checkedcache._versions_memo.cache_clear()
    assert json.loads(memo.read_bytes().split(b"\n", 1)[1])[str(path)][4] == file_version(path)
