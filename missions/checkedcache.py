"""A disk cache of NumPy arrays that is checked before it is trusted, and heals itself.

A cache file is an ``.npz`` archive (no pickle) holding the arrays plus two entries of its own:

* ``__source__``: the version of the data the arrays were built from (for the country index: the
  SHA-256 of the embedded polygons, the index format and the piece size);
* ``__sha256__``: the SHA-256 of the source and of every array's name, dtype, shape and the CRC-32
  of its bytes (a CRC-32 runs ~5× faster than a SHA-256 of 10 MB here; it catches every burst of
  damage up to 32 bits, and any other with odds of 2⁻³² against).

:func:`load_arrays` returns the arrays only when the file is a regular file of at most
:data:`MAX_CACHE_BYTES`, unpacks cleanly, names the expected source and matches its checksum. A
truncated, bit-flipped, foreign or altered file (codes swapped between countries, say) is reported
as damaged and never used. A path that is not a regular file (a FIFO, a directory, a symlink to
``/dev/zero``) is never opened for reading: it is checked without blocking first (see
:func:`missions.files.read_capped`). :func:`save_arrays` writes a new file beside the old one and
renames it over it, so readers see either the old file or the whole new one.

A cache named by the version of its source gets a new file when that version changes; the writer
then calls :func:`~geodata.diskcache.prune_stale` with the name pattern of its files, which removes
the other versions (and temp files left by a killed writer) unless used within an hour: a successful
load marks a file used, so checkouts of different versions sharing the directory keep their files.

:func:`save_json` and :func:`load_json` do the same for data that JSON holds exactly (the parsed
performance catalogue): one header line with the source and the SHA-256 of the body, then the body.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import json
import logging
import math
import os
import struct
import zipfile
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from geodata.diskcache import cache_dir as cache_dir  # re-exported: every cache's folder
from geodata.diskcache import mark_used, write_atomically
from geodata.diskcache import prune_stale as prune_stale  # re-exported: each cache prunes its old versions

from .errors import MissionFileError
from .files import read_capped

if TYPE_CHECKING:  # numpy is imported by the functions that use it: the JSON caches need none of it (the
    # dashboard's map page and first map are read from them before the core, and numpy, are imported)
    import numpy as np
    from numpy.typing import NDArray

_log = logging.getLogger(__name__)

#: a cache file larger than this is not read (the country index is about 10 MB)
MAX_CACHE_BYTES = 256 * 1024 * 1024
_SOURCE_KEY = "__source__"
_DIGEST_KEY = "__sha256__"
#: what numpy and zipfile raise on a damaged archive (a flipped flag bit reads as "encrypted")
_UNPACK_ERRORS = (
    OSError, ValueError, EOFError, KeyError, RuntimeError, NotImplementedError, MemoryError,
    zipfile.BadZipFile, zlib.error, struct.error,
)  # fmt: skip


@dataclass(frozen=True, kw_only=True)
class Damaged:
    """Why a cache file was not trusted (one phrase, e.g. "its checksum does not match")."""

    reason: str


#: an array saved ``blocked`` is checked by the CRC-32 of each block of this many bytes of it
BLOCK_BYTES = 1 << 16
#: the suffix of the name of a blocked array's table of block CRC-32s
BLOCKS = ".blocks"


def block_crcs(array: NDArray[np.generic]) -> NDArray[np.uint32]:
    """The CRC-32 of each :data:`BLOCK_BYTES` block of an array's bytes (the last one shorter)."""
    import numpy as np

    raw = np.ascontiguousarray(array).reshape(-1).view(np.uint8).data
    return np.array([zlib.crc32(raw[a : a + BLOCK_BYTES]) for a in range(0, len(raw), BLOCK_BYTES)], dtype=np.uint32)


def digest(arrays: Mapping[str, Any], source: str) -> str:
    """SHA-256 (hex) of ``source`` and every array's name, dtype, shape and CRC-32 of its bytes, in name
    order; an array with a table of block CRC-32s (``NAME.blocks``, itself in the digest) counts by
    that table instead (its bytes are checked block by block where they are read)."""
    import numpy as np

    sha = hashlib.sha256(source.encode("utf-8"))
    for name in sorted(arrays):
        array = arrays[name]
        if name + BLOCKS in arrays:
            sha.update(f"\0{name}\0{array.dtype.str}\0{tuple(array.shape)}\0blocks".encode())
            continue
        array = np.ascontiguousarray(array)
        crc = zlib.crc32(array.reshape(-1).view(np.uint8).data)  # the bytes, without a copy
        sha.update(f"\0{name}\0{array.dtype.str}\0{array.shape}\0{crc:08x}".encode())
    return sha.hexdigest()


#: the source the file-version memo (``file-versions.json`` in :func:`cache_dir`) must name
_VERSIONS_SOURCE = "file-versions format:1"
#: entries kept in that memo (the oldest written go first)
_MAX_VERSIONS = 256


@functools.lru_cache(maxsize=4)
def _versions_memo(path: Path) -> dict[str, Any]:
    """The file-version memo at ``path`` (read once per process; empty when missing, stale or damaged)."""
    data = load_json(path, source=_VERSIONS_SOURCE, max_bytes=1024 * 1024)
    if isinstance(data, Damaged) and data.reason != "it was built from other source data":
        _log.warning("note: the file version cache %s was not used (%s); rebuilding it", path, data.reason)
    return data if isinstance(data, dict) else {}


def file_version(path: Path) -> str:
    """The version of a data (or code) file a cache is built from: its size and the CRC-32 of its bytes.

    Computed once and kept in a checked memo (``file-versions.json`` in :func:`cache_dir`) under the
    file's absolute path, size, modification and change times (ns) and inode: while none of them
    changes the file is not read again (as ``make`` and git's index trust them); rewriting, replacing or
    touching it reads it anew. Raises :class:`OSError` when the file cannot be read.
    """
    st = os.stat(path)
    key, stamp = os.path.abspath(path), [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]
    memo_path = cache_dir() / "file-versions.json"
    memo = _versions_memo(memo_path)
    entry = memo.get(key)
    if isinstance(entry, list) and len(entry) == 5 and entry[:4] == stamp and isinstance(entry[4], str):
        return entry[4]
    with open(path, "rb") as f:
        version = f"bytes:{st.st_size} crc32:{zlib.crc32(f.read()):08x}"
    memo.pop(key, None)
    memo[key] = [*stamp, version]
    for old in list(memo)[: max(0, len(memo) - _MAX_VERSIONS)]:
        del memo[old]
    with contextlib.suppress(OSError, ValueError):  # a read-only home: computed again next time
        save_json(memo_path, memo, source=_VERSIONS_SOURCE, durable=False)
    return version


def save_arrays(
    path: Path, arrays: Mapping[str, NDArray[np.generic]], *, source: str, blocked: tuple[str, ...] = ()
) -> None:
    """Write ``arrays`` with their source and checksum to ``path``, atomically (temp file + rename).

    The arrays named in ``blocked`` are checked by blocks (:func:`block_crcs`), so that a reader of
    a few of their rows (:mod:`missions.checkedblocks`) checks only the blocks it reads.
    """
    import numpy as np

    arrays = {**arrays, **{name + BLOCKS: block_crcs(arrays[name]) for name in blocked}}
    payload: dict[str, Any] = {**arrays, _SOURCE_KEY: np.array(source), _DIGEST_KEY: np.array(digest(arrays, source))}
    write_atomically(path, lambda f: np.savez(f, **payload))


def _read(path: Path, max_bytes: int) -> bytes | Damaged | None:
    """The bytes of a cache file; ``None`` if there is none; :class:`Damaged` if it cannot be read safely."""
    if not os.path.lexists(path):
        return None
    try:
        return read_capped(path, max_bytes, what="cache files")
    except MissionFileError as exc:
        return Damaged(reason=exc.message)


class _Reader(io.RawIOBase):
    """A seekable read-only file over a buffer, without copying it (as :class:`io.BytesIO` would)."""

    def __init__(self, buf: bytes) -> None:
        self._view, self._at = memoryview(buf), 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._at, io.SEEK_END: len(self._view)}[whence]
        self._at = max(base + offset, 0)
        return self._at

    def tell(self) -> int:
        return self._at

    def readinto(self, b: Any) -> int:
        chunk = self._view[self._at : self._at + len(b)]
        b[: len(chunk)] = chunk
        self._at += len(chunk)
        return len(chunk)


#: a zip member's local header: signature, versions, flags, method, time, date, CRC, sizes, name and extra lengths
_LOCAL_HEADER = struct.Struct("<4s5H3L2H")


@dataclass(frozen=True, kw_only=True)
class Member:
    """Where one array of an uncompressed ``.npz`` lies in its file, and what it holds."""

    name: str
    offset: int  #: of its first data byte in the file
    dtype: np.dtype[Any]
    shape: tuple[int, ...]
    fortran: bool


def npz_members(file: IO[bytes], read_at: Callable[[int, int], bytes], size: int) -> list[Member] | None:
    """The arrays of an ``.npz`` (``file``, seekable; ``read_at(offset, n)`` gives its bytes there;
    ``size`` bytes long) whose members are stored uncompressed, as :func:`numpy.savez` writes them.
    ``None`` if a member is compressed. Raises on a damaged file (no array runs past its member)."""
    import numpy as np

    with zipfile.ZipFile(file) as archive:  # reads the central directory only
        infos = archive.infolist()
    if any(m.compress_type != zipfile.ZIP_STORED or m.flag_bits & 0x1 for m in infos):
        return None
    members = []
    for info in infos:
        signature, *_, name_len, extra_len = _LOCAL_HEADER.unpack(read_at(info.header_offset, _LOCAL_HEADER.size))
        start = info.header_offset + _LOCAL_HEADER.size + name_len + extra_len
        end = start + info.file_size
        if signature != b"PK\x03\x04" or end > size or info.file_size != info.compress_size:
            raise zipfile.BadZipFile("a member does not fit in the file")
        header = io.BytesIO(read_at(start, min(end - start, 65_536)))
        version = np.lib.format.read_magic(header)
        read_header = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
        shape, fortran, dtype = read_header(header)
        count = math.prod(shape)
        if dtype.hasobject or dtype.itemsize == 0 or count < 0 or start + header.tell() + count * dtype.itemsize > end:
            raise ValueError("an array does not fit in its member")
        name = info.filename.removesuffix(".npy")
        members.append(Member(name=name, offset=start + header.tell(), dtype=dtype, shape=shape, fortran=fortran))
    return members


def _stored_arrays(raw: bytes) -> dict[str, NDArray[np.generic]] | None:
    """The arrays of an ``.npz`` whose members are stored uncompressed (:func:`npz_members`), as views
    of ``raw``: no copy and no CRC pass (the SHA-256 digest checks every byte after). ``None`` if a
    member is compressed (then :func:`numpy.load` reads it). Raises on a damaged file.
    """
    import numpy as np

    members = npz_members(_Reader(raw), lambda offset, n: raw[offset : offset + n], len(raw))  # type: ignore[arg-type]
    if members is None:
        return None
    arrays = {}
    for m in members:
        flat = np.frombuffer(raw, dtype=m.dtype, count=math.prod(m.shape), offset=m.offset)
        arrays[m.name] = flat.reshape(m.shape, order="F" if m.fortran else "C")
    return arrays


def load_arrays(path: Path, *, source: str) -> dict[str, NDArray[np.generic]] | Damaged | None:
    """The arrays in the cache file ``path``; ``None`` if there is none; :class:`Damaged` if untrusted.

    The arrays are read-only views of the file's bytes (an uncompressed ``.npz`` is read without
    copying its members or checking their CRC: the SHA-256 digest checks every byte).
    """
    import numpy as np

    raw = _read(path, MAX_CACHE_BYTES)
    if not isinstance(raw, bytes):
        return raw
    try:
        stored = _stored_arrays(raw)
        if stored is None:
            with np.load(io.BytesIO(raw), allow_pickle=False) as npz:
                stored = {name: npz[name] for name in npz.files}
        arrays = stored
    except Exception as exc:  # untrusted bytes: whatever unpacking them raises (numpy's header parser
        # raises tokenize errors, for one; _UNPACK_ERRORS lists the usual), the file is damaged
        return Damaged(reason=f"it cannot be unpacked ({type(exc).__name__})")
    stored_source = arrays.pop(_SOURCE_KEY, None)
    stored_digest = arrays.pop(_DIGEST_KEY, None)
    if stored_source is None or stored_digest is None:
        return Damaged(reason="it carries no source version or checksum")
    if str(stored_source) != source:
        return Damaged(reason="it was built from other source data")
    if str(stored_digest) != digest(arrays, source):
        return Damaged(reason="its checksum does not match its contents")
    for name in [n for n in arrays if n + BLOCKS in arrays]:  # arrays checked by blocks: all read here
        if not np.array_equal(block_crcs(arrays[name]), arrays[name + BLOCKS]):
            return Damaged(reason="its checksum does not match its contents")
    mark_used(path)
    return arrays


def _json_digest(source: str, body: bytes) -> str:
    return hashlib.sha256(source.encode("utf-8") + b"\0" + body).hexdigest()


def json_exact(data: Any) -> bool:
    """Whether JSON gives ``data`` back exactly (no dates, no non-text keys, no NaN, no tuples).

    >>> json_exact({"a": [1, 2.5, None, True, "x"]}), json_exact({1: "a"}), json_exact({"a": float("nan")})
    (True, False, False)
    """
    try:
        return bool(json.loads(json.dumps(data, allow_nan=False)) == data)
    except (TypeError, ValueError):
        return False


def save_json(path: Path, data: Any, *, source: str, durable: bool = True) -> None:
    """Write ``data`` (see :func:`json_exact`) with its source and checksum to ``path``, atomically."""
    body = json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")
    header = json.dumps({"source": source, "sha256": _json_digest(source, body)}).encode("utf-8")
    write_atomically(path, lambda f: f.write(header + b"\n" + body), durable=durable)


def load_json(path: Path, *, source: str, max_bytes: int = 16 * 1024 * 1024) -> Any | Damaged | None:
    """The data in the JSON cache file ``path``; ``None`` if there is none; :class:`Damaged` if untrusted."""
    raw = _read(path, max_bytes)
    if not isinstance(raw, bytes):
        return raw
    head, newline, body = raw.partition(b"\n")
    try:
        header = json.loads(head) if newline else None
    except ValueError:
        header = None
    if not isinstance(header, dict) or not isinstance(header.get("source"), str):
        return Damaged(reason="it carries no source version or checksum")
    if header["source"] != source:
        return Damaged(reason="it was built from other source data")
    if header.get("sha256") != _json_digest(source, body):
        return Damaged(reason="its checksum does not match its contents")
    try:
        data = json.loads(body)
    except ValueError as exc:  # written by us and checksummed: only a bug gets here
        return Damaged(reason=f"it cannot be read ({type(exc).__name__})")
    mark_used(path)
    return data
