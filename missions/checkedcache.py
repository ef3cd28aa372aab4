"""A disk cache of NumPy arrays that is checked before it is trusted, and heals itself.

A cache file is an ``.npz`` archive (no pickle) holding the arrays plus two entries of its own:

* ``__source__``: the version of the data the arrays were built from (for the country index: the
  SHA-256 of the embedded polygons, the index format and the piece size);
* ``__sha256__``: the SHA-256 of every array's name, dtype, shape and bytes, and of the source.

:func:`load_arrays` returns the arrays only when the file is a regular file of at most
:data:`MAX_CACHE_BYTES`, unpacks cleanly, names the expected source and matches its checksum. A
truncated, bit-flipped, foreign or altered file (codes swapped between countries, say) is reported
as damaged and never used. A path that is not a regular file (a FIFO, a directory, a symlink to
``/dev/zero``) is never opened for reading: it is checked without blocking first (see
:func:`missions.files.read_capped`). :func:`save_arrays` writes a new file beside the old one and
renames it over it, so readers see either the old file or the whole new one.
"""

from __future__ import annotations

import hashlib
import io
import os
import struct
import tempfile
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .errors import MissionFileError
from .files import read_capped

#: a cache file larger than this is not read (the country index is about 10 MB)
MAX_CACHE_BYTES = 256 * 1024 * 1024
_SOURCE_KEY = "__source__"
_DIGEST_KEY = "__sha256__"
#: what numpy and zipfile raise on a damaged archive (a flipped flag bit reads as "encrypted")
_UNPACK_ERRORS = (
    OSError, ValueError, EOFError, KeyError, RuntimeError, NotImplementedError, MemoryError,
    zipfile.BadZipFile, zlib.error, struct.error,
)  # fmt: skip


@dataclass(frozen=True)
class Damaged:
    """Why a cache file was not trusted (one phrase, e.g. "its checksum does not match")."""

    reason: str


def digest(arrays: Mapping[str, NDArray[np.generic]], source: str) -> str:
    """SHA-256 (hex) of ``source`` and every array's name, dtype, shape and bytes, in name order."""
    sha = hashlib.sha256(source.encode("utf-8"))
    for name in sorted(arrays):
        array = np.ascontiguousarray(arrays[name])
        sha.update(f"\0{name}\0{array.dtype.str}\0{array.shape}\0".encode())
        sha.update(array.tobytes())
    return sha.hexdigest()


def save_arrays(path: Path, arrays: Mapping[str, NDArray[np.generic]], *, source: str) -> None:
    """Write ``arrays`` with their source and checksum to ``path``, atomically (temp file + rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            payload: dict[str, Any] = {
                **arrays,
                _SOURCE_KEY: np.array(source),
                _DIGEST_KEY: np.array(digest(arrays, source)),
            }
            np.savez(f, **payload)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load_arrays(path: Path, *, source: str) -> dict[str, NDArray[np.generic]] | Damaged | None:
    """The arrays in the cache file ``path``; ``None`` if there is none; :class:`Damaged` if untrusted."""
    if not os.path.lexists(path):
        return None
    try:
        raw = read_capped(path, MAX_CACHE_BYTES, what="cache files")
    except MissionFileError as exc:
        return Damaged(exc.message)
    try:
        with np.load(io.BytesIO(raw), allow_pickle=False) as npz:
            arrays = {name: npz[name] for name in npz.files}
    except _UNPACK_ERRORS as exc:
        return Damaged(f"it cannot be unpacked ({type(exc).__name__})")
    stored_source = arrays.pop(_SOURCE_KEY, None)
    stored_digest = arrays.pop(_DIGEST_KEY, None)
    if stored_source is None or stored_digest is None:
        return Damaged("it carries no source version or checksum")
    if str(stored_source) != source:
        return Damaged("it was built from other source data")
    if str(stored_digest) != digest(arrays, source):
        return Damaged("its checksum does not match its contents")
    return arrays
