"""Reading files that may be hostile: regular files only, with a byte cap, never blocking.

The size on disk is never trusted: ``/dev/zero`` and ``/dev/urandom`` report 0 bytes and never end,
a FIFO blocks its reader until a writer comes, and a file can grow between ``stat`` and ``read``.
:func:`read_capped` opens without blocking (``O_NONBLOCK``), checks on the open descriptor that it
is a regular file (so a symlink to a device or a FIFO is refused, not read), and reads at most
``max_bytes + 1`` bytes, so anything longer is refused after reading no more than that.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .errors import MissionFileError
from .units import format_megabytes

_KIND = {
    stat.S_IFDIR: "a directory",
    stat.S_IFIFO: "a FIFO (named pipe)",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
}


def _refuse(message: str, label: str) -> MissionFileError:
    return MissionFileError(message, file=label)


def _too_large(size: int, max_bytes: int, what: str) -> str:
    return f"file is {format_megabytes(size, 1)}; {what} are limited to {format_megabytes(max_bytes, 0)}"


def read_capped(path: str | Path, max_bytes: int, *, label: str | None = None, what: str = "files") -> bytes:
    """The bytes of the regular file ``path``, at most ``max_bytes`` of them.

    ``what`` names the kind of file in the size message ("mission files are limited to 5 MB").
    Raises :class:`MissionFileError` (naming ``label`` or the path) when the file is missing, is
    not a regular file (directory, FIFO, device, socket, or a symlink to one), cannot be read, or
    holds more than ``max_bytes`` bytes. Never blocks and never reads more than ``max_bytes + 1``.
    """
    label = label if label is not None else str(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise _refuse("no such file", label) from None
    except IsADirectoryError:
        raise _refuse("is a directory, not a file", label) from None
    except OSError as exc:
        raise _refuse(f"cannot read: {exc.strerror or exc}", label) from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = _KIND.get(stat.S_IFMT(mode), "not a regular file")
            raise _refuse(f"is {kind}, not a regular file; give a file", label)
        size = os.fstat(fd).st_size
        if size > max_bytes:
            raise _refuse(_too_large(size, max_bytes, what), label)
        chunks: list[bytes] = []
        remaining = max_bytes + 1
        # the first read asks for the whole file (and a byte more, to see a file that grew): one
        # copy, where 1 MB chunks and their join cost two (~10 ms for a 10 MB cache file)
        step = min(remaining, size + 1)
        while remaining > 0:
            chunk = os.read(fd, step)
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
            step = min(remaining, 1 << 20)
    except OSError as exc:
        raise _refuse(f"cannot read: {exc.strerror or exc}", label) from None
    finally:
        os.close(fd)
    data = chunks[0] if len(chunks) == 1 else b"".join(chunks)
    if len(data) > max_bytes:
        raise _refuse(_too_large(len(data), max_bytes, what), label)
    return data
