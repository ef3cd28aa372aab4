"""The place index's members, read without inflating them: an unpacked copy of ``places.zip`` in the cache.

``places.zip`` (5 MB) keeps its 871 members deflated. A lookup used to parse the zip's directory and
inflate every member it touched: the columns (2 MB), a name shard and a block of rows per name,
20–40 ms for a mission's two dozen names. The first use of the committed index writes its members,
unpacked, into one cache file (``places-v1-<version>.bin`` in :func:`~geodata.diskcache.cache_dir`,
about 12 MB, ~0.2 s once); later processes read a member with one ``pread`` and no inflating.

The file is checked before it is trusted, cheaply:

* its version is the SHA-256 of the zip's central directory, which holds every member's name,
  sizes and CRC-32: any change to ``places.zip`` gives another version, without reading its 5 MB;
* its header (the member table) carries its own SHA-256;
* each member is checked against the zip's CRC-32 when it is first read.

A damaged file (truncated, altered, not a regular file) is never used: it is rebuilt from the zip,
atomically, with one ``note:`` line, and the zip serves the rest of the process. Where the cache
cannot be written (a read-only home), the zip is read as before.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import stat
import struct
import threading
import zipfile
import zlib
from pathlib import Path
from typing import IO, Protocol

from .diskcache import cache_dir, mark_used, prune_stale, write_atomically

_log = logging.getLogger(__name__)

#: bump when the file's layout changes
FORMAT = 1
_MAGIC = b"missions-place-store"
#: a header longer than this is not read (the committed index's is ~40 kB)
_MAX_HEADER = 4 * 1024 * 1024
#: the zip's end-of-central-directory record: signature, disk numbers, entry counts, size, offset, comment length
_EOCD = struct.Struct("<4s4H2LH")


class Members(Protocol):
    """What the place index reads: a member's bytes by name (``KeyError`` when there is none)."""

    def read(self, name: str) -> bytes: ...


class DamagedStoreError(Exception):
    """The unpacked file is not what it claims to be (the reason is the message)."""


def zip_version(path: Path) -> str:
    """The SHA-256 of the zip's central directory (every member's name, sizes and CRC-32).

    Reads the end of the file only. A zip whose directory cannot be located this way (a ZIP64 one, a
    long comment) is hashed whole.
    """
    with open(path, "rb") as f:
        size = f.seek(0, os.SEEK_END)
        tail_at = max(0, size - _EOCD.size - 65_535)
        f.seek(tail_at)
        tail = f.read()
        at = tail.rfind(b"PK\x05\x06")
        if at >= 0 and at + _EOCD.size <= len(tail):
            *_, cd_size, cd_offset, _ = _EOCD.unpack_from(tail, at)
            if cd_offset != 0xFFFFFFFF and cd_offset + cd_size <= tail_at + at:
                f.seek(cd_offset)
                return "cd:" + hashlib.sha256(f.read(cd_size)).hexdigest()
        f.seek(0)
        return "file:" + hashlib.file_digest(f, "sha256").hexdigest()


#: the names of the unpacked copies, every version (:func:`_store_path`)
STORE_PATTERN = "places-v*-????????????????.bin"


def _store_path(version: str) -> Path:
    return cache_dir() / f"places-v{FORMAT}-{hashlib.sha256(version.encode()).hexdigest()[:16]}.bin"


def _open_regular(path: Path) -> int:
    """A read-only descriptor of the regular file ``path`` (never blocks on a FIFO or a device)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise DamagedStoreError("it is not a regular file")
    return fd


def _fits(member: object, body_size: int) -> bool:
    """Whether ``member`` is ``[offset, size, crc]`` inside a body of ``body_size`` bytes."""
    return (
        isinstance(member, list)
        and len(member) == 3
        and all(type(v) is int and v >= 0 for v in member)
        and member[0] + member[1] <= body_size
    )


def _header_line(version: str, table: bytes) -> bytes:
    return b"%s %d %d %s\n" % (_MAGIC, FORMAT, len(table), hashlib.sha256(table).hexdigest().encode())


def _write_store(zip_path: Path, path: Path, version: str) -> None:
    """Write every member of the zip, unpacked (each checked against its CRC-32 by :mod:`zipfile`)."""
    with zipfile.ZipFile(zip_path) as archive:
        members: dict[str, list[int]] = {}
        chunks: list[bytes] = []
        offset = 0
        for info in archive.infolist():
            data = archive.read(info)
            members[info.filename] = [offset, len(data), info.CRC]
            chunks.append(data)
            offset += len(data)
    table = json.dumps({"source": version, "members": members}, separators=(",", ":")).encode()

    def write(f: IO[bytes]) -> None:
        f.write(_header_line(version, table))
        f.write(table)
        for chunk in chunks:
            f.write(chunk)

    write_atomically(path, write, durable=False)  # rebuilt from the zip if a crash tears it


class UnpackedMembers:
    """The members of the unpacked file (see the module), falling back to the zip if a member is damaged."""

    def __init__(self, zip_path: Path, path: Path, version: str) -> None:
        self._zip_path, self._path, self._version = zip_path, path, version
        self._fallback: zipfile.ZipFile | None = None
        self._fd = _open_regular(path)
        try:
            self._members, self._body_at = self._read_header(version)
        except BaseException:
            os.close(self._fd)
            raise
        self._checked: set[str] = set()
        self._lock = threading.Lock()  # one rebuild and one notice, whichever thread finds the damage

    def _read_header(self, version: str) -> tuple[dict[str, list[int]], int]:
        first = os.pread(self._fd, 256, 0).split(b"\n", 1)[0]
        parts = first.split(b" ")
        if len(parts) != 4 or parts[0] != _MAGIC or parts[1] != str(FORMAT).encode() or not parts[2].isdigit():
            raise DamagedStoreError("it has no header")
        length = int(parts[2])
        if length > _MAX_HEADER:
            raise DamagedStoreError("its header is too long")
        table = os.pread(self._fd, length, len(first) + 1)
        if hashlib.sha256(table).hexdigest().encode() != parts[3]:
            raise DamagedStoreError("its header does not match its checksum")
        header = json.loads(table)
        if not isinstance(header, dict) or header.get("source") != version:
            raise DamagedStoreError("it was built from other source data")
        members, body_at = header.get("members"), len(first) + 1 + length
        body_size = os.fstat(self._fd).st_size - body_at
        if not isinstance(members, dict) or not all(_fits(m, body_size) for m in members.values()):
            raise DamagedStoreError("its member table does not fit the file")
        return members, body_at

    def read(self, name: str) -> bytes:
        if self._fallback is not None:
            return self._fallback.read(name)
        offset, size, crc = self._members[name]  # KeyError: no such member, as zipfile
        data = os.pread(self._fd, size, self._body_at + offset)
        if name not in self._checked:
            if len(data) != size or zlib.crc32(data) != crc:
                return self._heal(name, "a member does not match its CRC-32")
            self._checked.add(name)
        return data

    def _heal(self, name: str, reason: str) -> bytes:
        """Rebuild the file from the zip (one notice) and read from the zip from now on."""
        with self._lock:
            if self._fallback is None:
                _log.warning("note: the place index cache %s was not used (%s); rebuilding it", self._path, reason)
                with contextlib.suppress(OSError):  # a read-only home: the zip serves
                    _write_store(self._zip_path, self._path, self._version)
                self._fallback = zipfile.ZipFile(self._zip_path)
        return self._fallback.read(name)

    def close(self) -> None:
        os.close(self._fd)


def open_members(zip_path: Path) -> Members:
    """The members of the place index ``zip_path``: from its unpacked copy in the cache (written on
    first use, rebuilt when damaged), or from the zip itself when the cache cannot be written."""
    try:
        version = zip_version(zip_path)
        path = _store_path(version)
    except OSError:
        return zipfile.ZipFile(zip_path)
    reason = None
    if os.path.lexists(path):
        try:
            members = UnpackedMembers(zip_path, path, version)
            mark_used(path)  # in use: another version's writer keeps it (prune_stale)
            prune_stale(path, STORE_PATTERN)  # other versions, unused for an hour (~0.1 ms)
            return members
        except DamagedStoreError as exc:
            reason = str(exc)
        except (OSError, ValueError, KeyError, TypeError) as exc:  # unreadable, or a header that is no table
            reason = f"it cannot be read ({type(exc).__name__})"
        if reason != "it was built from other source data":
            _log.warning("note: the place index cache %s was not used (%s); rebuilding it", path, reason)
    try:
        _write_store(zip_path, path, version)
        prune_stale(path, STORE_PATTERN)  # the copies of other versions (~12 MB each)
        return UnpackedMembers(zip_path, path, version)
    except (OSError, DamagedStoreError):  # a read-only home: the zip serves
        return zipfile.ZipFile(zip_path)
