"""A checked cache file read in part: its large arrays read and checked block by block when used.

:func:`~missions.checkedcache.load_arrays` reads a whole cache file and checks every byte: ~10 ms for
the country index and sovereign airspace (15 MB), of which a report uses a few hundred kB.
:func:`load_arrays_lazily` reads the file's directory and its small arrays (checked by the file's
SHA-256 digest, as there), and gives each array saved ``blocked`` (see
:func:`~missions.checkedcache.save_arrays`) as a :class:`BlockArray`: its rows are read with
``pread`` (or a seek and a read) when first asked for, a block of :data:`~missions.checkedcache.BLOCK_BYTES` at a time,
and each block is checked against its CRC-32 (in the digest) before use. A block that fails raises
:class:`DamagedBlockError`: the owner of the cache then rebuilds it (with one notice).

The file stays open while its arrays live: a cache replaced meanwhile (written beside and renamed
over) leaves this one's bytes as they were. A file cut short under a reader gives a short read, a
damaged block, never a crash (the file is read, not mapped).
"""

from __future__ import annotations

import math
import os
import stat
import threading
from collections.abc import Collection
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .checkedcache import (
    _DIGEST_KEY,
    _SOURCE_KEY,
    BLOCK_BYTES,
    BLOCKS,
    MAX_CACHE_BYTES,
    Damaged,
    Member,
    digest,
    mark_used,
    npz_members,
)

Ints = NDArray[np.intp]


class DamagedBlockError(ValueError):
    """A block of a cache file's array failed its CRC-32 (or could not be read whole)."""


class _OpenFile:
    """A file descriptor, closed when the last array reading from it goes."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self._lock = threading.Lock()  # where there is no pread: seek and read in one piece

    def read_into(self, view: memoryview, offset: int) -> int:
        """Read ``len(view)`` bytes at ``offset`` into ``view``; how many there were."""
        if hasattr(os, "preadv"):
            return os.preadv(self.fd, [view], offset)
        with self._lock:
            os.lseek(self.fd, offset, os.SEEK_SET)
            data = os.read(self.fd, len(view))
        view[: len(data)] = data
        return len(data)

    def __del__(self) -> None:
        os.close(self.fd)


class BlockArray:
    """A C-ordered array of a cache file, read and checked by blocks when its rows are first used."""

    def __init__(self, file: _OpenFile, member: Member, crcs: NDArray[np.uint32]) -> None:
        if member.fortran and len(member.shape) > 1:
            raise ValueError("a blocked array must be C-ordered")
        self.dtype, self.shape, self.ndim = member.dtype, member.shape, len(member.shape)
        self._file, self._offset = file, member.offset
        self._row_bytes = member.dtype.itemsize * math.prod(member.shape[1:])
        self._nbytes = self._row_bytes * (member.shape[0] if member.shape else 1)
        if len(crcs) != -(-self._nbytes // BLOCK_BYTES):
            raise ValueError("its block table does not fit the array")
        self._crcs = np.asarray(crcs, dtype=np.uint32)
        self._buf = np.empty(self._nbytes, dtype=np.uint8)  # pages never written are never touched
        self._read = np.zeros(len(crcs), dtype=bool)
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return self.shape[0]

    def take(self, rows: Ints) -> NDArray[Any]:
        """The rows ``rows`` (first axis), read and checked first where not yet read."""
        rows = np.asarray(rows, dtype=np.intp)
        if len(rows) and (rows.min() < 0 or rows.max() >= len(self)):
            raise IndexError("rows out of the array")
        start = rows * self._row_bytes
        need = np.zeros(len(self._read), dtype=bool)
        need[start // BLOCK_BYTES] = True
        need[(start + self._row_bytes - 1) // BLOCK_BYTES] = True
        todo = np.flatnonzero(need & ~self._read)
        if len(todo):
            self._load(todo)
        return self._buf.view(self.dtype).reshape(self.shape)[rows]

    def _load(self, blocks: Ints) -> None:
        import zlib

        with self._lock:
            buf = self._buf.data
            for block in blocks[~self._read[blocks]].tolist():
                a, b = block * BLOCK_BYTES, min((block + 1) * BLOCK_BYTES, self._nbytes)
                got = self._file.read_into(buf[a:b], self._offset + a)
                if got != b - a or zlib.crc32(buf[a:b]) != int(self._crcs[block]):
                    raise DamagedBlockError("its checksum does not match its contents")
                self._read[block] = True


def load_arrays_lazily(
    path: Path, *, source: str, lazy: Collection[str]
) -> dict[str, NDArray[Any] | BlockArray] | Damaged | None:
    """The arrays of the cache file ``path`` (see :func:`~missions.checkedcache.load_arrays`), those in
    ``lazy`` that were saved ``blocked`` as :class:`BlockArray` (read when used), the others read now.

    ``None`` if there is no file; :class:`~missions.checkedcache.Damaged` if it is not a regular file,
    cannot be unpacked, names another source or fails its digest.
    """
    if not os.path.lexists(path):
        return None
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        return Damaged(reason=f"cannot read: {exc.strerror or exc}")
    keep = False
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return Damaged(reason="is not a regular file")
        if info.st_size > MAX_CACHE_BYTES:
            return Damaged(reason="it is too large")
        arrays, keep = _arrays(fd, info.st_size, lazy)
    except Exception as exc:  # untrusted bytes: whatever unpacking them raises, the file is damaged
        return Damaged(reason=f"it cannot be unpacked ({type(exc).__name__})")
    finally:
        if not keep:
            os.close(fd)
    stored_source, stored_digest = arrays.pop(_SOURCE_KEY, None), arrays.pop(_DIGEST_KEY, None)
    if not isinstance(stored_source, np.ndarray) or not isinstance(stored_digest, np.ndarray):
        return Damaged(reason="it carries no source version or checksum")
    if str(stored_source) != source:
        return Damaged(reason="it was built from other source data")
    if str(stored_digest) != digest(arrays, source):
        return Damaged(reason="its checksum does not match its contents")
    mark_used(path)
    return arrays


def _arrays(fd: int, size: int, lazy: Collection[str]) -> tuple[dict[str, NDArray[Any] | BlockArray], bool]:
    """The file's arrays (lazy ones as :class:`BlockArray`) and whether one of them keeps ``fd`` open."""

    def read_at(offset: int, n: int) -> bytes:
        if hasattr(os, "pread"):
            data = os.pread(fd, n, offset)
        else:  # no other reader of fd yet
            os.lseek(fd, offset, os.SEEK_SET)
            data = os.read(fd, n)
        if len(data) != n:
            raise EOFError("the file ends early")
        return data

    with os.fdopen(os.dup(fd), "rb") as file:
        members = npz_members(file, read_at, size)
    if members is None:
        raise ValueError("a member is compressed")
    by_name = {m.name: m for m in members}
    arrays: dict[str, NDArray[Any] | BlockArray] = {}
    for m in members:
        if m.name in lazy and m.name + BLOCKS in by_name:
            continue
        raw = read_at(m.offset, m.dtype.itemsize * math.prod(m.shape))
        flat = np.frombuffer(raw, dtype=m.dtype)
        arrays[m.name] = flat.reshape(m.shape, order="F" if m.fortran else "C")
    lazily = [m for m in members if m.name not in arrays]
    if lazily:
        opened = _OpenFile(fd)  # closes fd when its arrays go
        for m in lazily:
            arrays[m.name] = BlockArray(opened, m, np.asarray(arrays[m.name + BLOCKS]))
    return arrays, bool(lazily)
