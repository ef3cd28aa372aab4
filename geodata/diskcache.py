"""Where caches live, and how a cache file is written (shared by ``geodata`` and ``missions``).

``geodata`` imports nothing from ``missions``; :mod:`missions.checkedcache` builds its checked caches
on these two functions.
"""

from __future__ import annotations

import os
import tempfile
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
