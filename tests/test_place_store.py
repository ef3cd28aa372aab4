"""The place index's unpacked copy in the cache (geodata.place_store): same bytes, checked, healed."""

from __future__ import annotations

import logging
import os
import zipfile
from pathlib import Path

import pytest

from geodata import place_store
from geodata.place_format import INDEX_PATH
from geodata.places import PlaceIndex


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


MEMBERS = {"meta.json": b'{"rows": 2}', "keys/05-0.txt": b"paris\nlyons", "rows/0000.tsv": b"x\t1\t2" * 500}


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MISSIONS_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _store_file(cache: Path) -> Path:
    (found,) = cache.glob("places-v*.bin")
    return found


def _damaged_copy(tmp_path: Path, cache: Path) -> tuple[Path, Path, bytes]:
    """A zip of MEMBERS, its unpacked copy in the cache, and that copy's bytes with one bit of the
    last member's body flipped (the header intact: the damage shows only when the member is read)."""
    archive = _zip(tmp_path / "p.zip", MEMBERS)
    place_store.open_members(archive)
    stored = _store_file(cache)
    raw = bytearray(stored.read_bytes())
    raw[raw.rindex(b"x\t1\t2")] ^= 0x20
    stored.write_bytes(bytes(raw))
    return archive, stored, bytes(raw)


def test_open_members__gives_every_member_of_the_zip_unpacked(tmp_path: Path, cache: Path) -> None:
    archive = _zip(tmp_path / "p.zip", MEMBERS)
    members = place_store.open_members(archive)
    assert isinstance(members, place_store.UnpackedMembers)
    assert {name: members.read(name) for name in MEMBERS} == MEMBERS
    with pytest.raises(KeyError):
        members.read("keys/99-0.txt")
    again = place_store.open_members(archive)  # the file written on first use is read back
    assert isinstance(again, place_store.UnpackedMembers)
    assert again.read("rows/0000.tsv") == MEMBERS["rows/0000.tsv"]


def test_zip_version__changes_with_any_member_and_not_otherwise(tmp_path: Path) -> None:
    a = place_store.zip_version(_zip(tmp_path / "a.zip", MEMBERS))
    assert a.startswith("cd:")
    assert place_store.zip_version(_zip(tmp_path / "b.zip", MEMBERS)) == a
    changed = {**MEMBERS, "keys/05-0.txt": b"paris\nlyon!"}
    assert place_store.zip_version(_zip(tmp_path / "c.zip", changed)) != a


def test_open_members__a_changed_zip_gets_its_own_copy(tmp_path: Path, cache: Path) -> None:
    archive = _zip(tmp_path / "p.zip", MEMBERS)
    place_store.open_members(archive).read("meta.json")
    _zip(archive, {**MEMBERS, "meta.json": b'{"rows": 3}'})
    assert place_store.open_members(archive).read("meta.json") == b'{"rows": 3}'
    assert len(list(cache.glob("places-v*.bin"))) == 2


def test_open_members__an_unused_old_copy_goes_when_a_new_one_is_written(tmp_path: Path, cache: Path) -> None:
    """Each version of the index left its ~12 MB copy for good; an old one unused for an hour now goes."""
    archive = _zip(tmp_path / "p.zip", MEMBERS)
    place_store.open_members(archive).read("meta.json")
    old = _store_file(cache)
    os.utime(old, (0, 1e9))
    _zip(archive, {**MEMBERS, "meta.json": b'{"rows": 3}'})
    assert place_store.open_members(archive).read("meta.json") == b'{"rows": 3}'
    assert _store_file(cache) != old and not old.exists()
    stale = cache / "places-v1-0123456789abcdef.bin"  # another version's, found when the copy is only read
    stale.write_bytes(b"x")
    os.utime(stale, (0, 1e9))
    assert isinstance(place_store.open_members(archive), place_store.UnpackedMembers)
    assert not stale.exists()


def test_unpacked_members__a_damaged_member_is_read_from_the_zip_and_the_copy_rebuilt(
    tmp_path: Path, cache: Path, caplog: pytest.LogCaptureFixture
) -> None:
    archive, stored, raw = _damaged_copy(tmp_path, cache)
    members = place_store.open_members(archive)  # the header is intact: the damage shows on reading
    assert members.read("meta.json") == MEMBERS["meta.json"]
    with caplog.at_level(logging.WARNING):
        assert members.read("rows/0000.tsv") == MEMBERS["rows/0000.tsv"]
        assert members.read("keys/05-0.txt") == MEMBERS["keys/05-0.txt"]
    notes = [r.getMessage() for r in caplog.records]
    assert len(notes) == 1 and notes[0].startswith("note: the place index cache") and "CRC-32" in notes[0]
    assert stored.read_bytes() != raw  # rebuilt
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        assert place_store.open_members(archive).read("rows/0000.tsv") == MEMBERS["rows/0000.tsv"]
    assert not caplog.records


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (lambda raw: raw[:-100], "its member table does not fit the file"),  # truncated
        (lambda raw: raw[:30], "its header does not match its checksum"),
        (lambda raw: b"garbage\n" + raw, "it has no header"),
        (lambda raw: raw.replace(b'"members"', b'"memberz"', 1), "checksum"),
        (lambda raw: b"", "it has no header"),
    ],
)
def test_open_members__a_damaged_copy_is_rebuilt_with_one_note(
    tmp_path: Path, cache: Path, caplog: pytest.LogCaptureFixture, damage, reason: str
) -> None:
    archive = _zip(tmp_path / "p.zip", MEMBERS)
    place_store.open_members(archive)
    stored = _store_file(cache)
    stored.write_bytes(damage(stored.read_bytes()))
    with caplog.at_level(logging.WARNING):
        members = place_store.open_members(archive)
        assert {name: members.read(name) for name in MEMBERS} == MEMBERS
    notes = [r.getMessage() for r in caplog.records]
    assert len(notes) == 1 and reason in notes[0], notes
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        members = place_store.open_members(archive)
        assert {name: members.read(name) for name in MEMBERS} == MEMBERS
    assert not caplog.records


def test_open_members__a_fifo_in_its_place_is_not_read(tmp_path: Path, cache: Path) -> None:
    archive = _zip(tmp_path / "p.zip", MEMBERS)
    path = place_store._store_path(place_store.zip_version(archive))
    path.parent.mkdir(parents=True)
    os.mkfifo(path)  # a reader would block forever
    members = place_store.open_members(archive)
    assert members.read("meta.json") == MEMBERS["meta.json"]
    assert path.is_file()  # replaced by a regular file


def test_open_members__a_read_only_cache_reads_the_zip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    archive = _zip(tmp_path / "p.zip", MEMBERS)
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    monkeypatch.setenv("MISSIONS_CACHE_DIR", str(blocked / "cache"))  # cannot be created
    members = place_store.open_members(archive)
    assert isinstance(members, zipfile.ZipFile)
    assert members.read("meta.json") == MEMBERS["meta.json"]


def test_place_index__unpacked_resolves_as_the_zip(cache: Path) -> None:
    zipped, unpacked = PlaceIndex(INDEX_PATH), PlaceIndex(INDEX_PATH, unpacked=True)
    assert isinstance(unpacked._zip, place_store.UnpackedMembers)
    for name in ("Engels", "Olenya", "Tripoli, Lebanon", "Strait of Gibraltar", "Whiteman AFB", "Latakia"):
        assert unpacked.resolve(name) == zipped.resolve(name)
    assert unpacked.suggest("Tripolli") == zipped.suggest("Tripolli")


def test_unpacked_members__threads_finding_the_same_damage_give_one_note(
    tmp_path: Path, cache: Path, caplog: pytest.LogCaptureFixture
) -> None:
    import threading

    archive, _, _ = _damaged_copy(tmp_path, cache)
    members = place_store.open_members(archive)
    got: list[bytes] = []
    with caplog.at_level(logging.WARNING):
        threads = [threading.Thread(target=lambda: got.append(members.read("rows/0000.tsv"))) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert got == [MEMBERS["rows/0000.tsv"]] * 8
    assert len(caplog.records) == 1
