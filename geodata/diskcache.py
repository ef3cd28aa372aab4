"""Where caches live, how a cache file is written, and how old versions go (shared by ``geodata`` and
``missions``).

``geodata`` imports nothing from ``missions``; :mod:`missions.checkedcache` builds its checked caches
on these two functions.
"""

from __future__ import annotations

import contextlib
import fnmatch
import os
import stat
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO


def cache_dir() -> Path:
    """Where caches are kept: ``$MISSIONS_CACHE_DIR``, else ``$XDG_CACHE_HOME/missions`` or ``~/.cache/missions``."""
    root = os.environ.get("MISSIONS_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "missions"
    )
    return Path(root)


def write_atomically(path: Path, write: Callable[[IO[bytes]], object], *, durable: bool = True) -> None:
    """Call ``write(file)`` on a temp file beside ``path``, then rename it over ``path``.

    Readers see either the old file or the whole new one. ``durable``: flushed to the disk before
    the rename (an fsync, 8–20 ms here); a cache that is cheap to recompute skips it (after a crash
    its file may be torn: its checksum then rejects it).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            if durable:
                os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


#: another version's cache file read or written within this time is kept by :func:`prune_stale`
STALE_AFTER_S = 3600.0


def mark_used(path: Path) -> None:
    """Set ``path``'s modification time to now (best effort: a read-only cache stays as it is), so that
    :func:`prune_stale`, run by a checkout of another version, keeps a file in use."""
    with contextlib.suppress(OSError):
        os.utime(path)


def prune_stale(current: Path, *patterns: str, min_age_s: float = STALE_AFTER_S) -> list[Path]:
    """Remove the other versions of the cache file ``current``; return the paths removed.

    A cache named by its source's version gets a new file when the version changes; the old ones
    (tens of MB each) would stay for good. Only our own files go: regular files (never a symlink
    or a directory) of this user in ``current``'s directory, named by one of ``patterns`` (globs
    such as ``country-index-v*.npz``), or temp files a killed writer left (``<such a
    name>.<random>.tmp``), other than ``current`` and not used (read or written) within
    ``min_age_s``. Errors are ignored: pruning is housekeeping.
    """
    removed = []
    now = time.time()
    with contextlib.suppress(OSError):
        for entry in os.scandir(current.parent):
            name = entry.name
            base = name.rsplit(".", 2)[0] if name.endswith(".tmp") and name.count(".") >= 2 else name
            if name == current.name or not any(fnmatch.fnmatchcase(base, p) for p in patterns):
                continue
            with contextlib.suppress(OSError):
                info = entry.stat(follow_symlinks=False)
                if stat.S_ISREG(info.st_mode) and info.st_uid == os.getuid() and now - info.st_mtime >= min_age_s:
                    os.unlink(entry.path)
                    removed.append(Path(entry.path))
    return removed
