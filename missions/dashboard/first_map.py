"""A session's first map, drawn before the server has imported the core: the first maps sessions opened with.

A browser's first run sends the map page before the core (numpy, shapely, pyproj, the mission code) is
imported (:func:`missions.dashboard.map.mount_early`). When a session opened with the same URL query
before, under the same code, data and libraries, that page also carries the mission that session
computed first, read from a checked disk cache (:func:`cached_first_map`): the browser draws it as soon
as the map page has loaded, while the server imports the core and computes; the run that follows sends
the payload it computed, and the page draws again only if its digest differs. The map a reader ends
up with is always the one computed in their session; the cache only lets it appear earlier.

What a session shows first depends only on its URL query (``?mission=``, ``?units=``, a shared
``?m=``) and on the code and data that compute it, so an entry is a file named by its query
(:func:`query_key`) and by the version of everything the map is computed from
(:func:`source_version`: every file of the ``missions`` package and of ``geodata``, ``app.py``, the
Python version and the installed distributions). A change to any of them makes new files (the old
ones are pruned an hour after their last use, :func:`~geodata.diskcache.prune_stale`); the
:data:`MAX_QUERIES` last used of a version stay; a damaged file is not used. Each session's first
map computed is written back when it differs from what was drawn early (:func:`remember_first_map`),
so an entry that went wrong is mended by the next session.

This module imports no numpy, Streamlit or core code: it runs before them.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import re
import sys
import zlib
from collections.abc import Mapping, Sequence
from pathlib import Path

from ..checkedcache import Damaged, cache_dir, load_json, prune_stale, save_json

_log = logging.getLogger(__name__)
_ROOT = Path(__file__).resolve().parents[2]
#: what a session's first map is computed from (besides Python and the installed distributions)
INPUTS = ("missions", "geodata", "app.py")
#: bump when the stored form changes
_FORMAT = 2
#: the queries whose first maps are kept per version (the last used: read or written)
MAX_QUERIES = 64
#: a payload longer than this is not kept (a catalogue mission's is 20-60 kB)
MAX_PAYLOAD_CHARS = 1_000_000
_NAME = re.compile(r"first-map-([0-9a-f]{16})-[0-9a-f]{16}\.json")
#: every first-map file in the cache folder, of any version or format (``fnmatch`` patterns)
FILE_PATTERNS = ("first-map-*.json", "first-maps-*.json")


def _input_files(root: Path) -> list[Path]:
    """Every file the first map may be computed from, in a fixed order (compiled bytecode left out)."""
    files: list[Path] = []
    for name in INPUTS:
        path = root / name
        if path.is_file():
            files.append(path)
        for folder, dirs, names in os.walk(path):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            files += [Path(folder, n) for n in sorted(names) if not n.endswith((".pyc", ".pyo"))]
    return files


def _distributions() -> list[str]:
    """The installed distributions, with their versions (``name-1.2.dist-info``), on ``sys.path``."""
    found: set[str] = set()
    for entry in sys.path:
        try:
            found.update(n for n in os.listdir(entry or ".") if n.endswith((".dist-info", ".egg-info")))
        except OSError:  # a zip or a folder that is gone
            continue
    return sorted(found)


@functools.lru_cache(maxsize=1)
def source_version(root: Path = _ROOT) -> str:
    """The version of everything a first map is computed from: SHA-256 over each input file's path, size
    and CRC-32 (~12 MB read, ~10 ms), the Python version and the installed distributions."""
    sha = hashlib.sha256(f"first-maps {_FORMAT} python {sys.version}\0".encode())
    sha.update("\0".join(_distributions()).encode())
    for path in _input_files(root):
        data = path.read_bytes()
        sha.update(f"\0{path.relative_to(root).as_posix()}\0{len(data)}\0{zlib.crc32(data):08x}".encode())
    return sha.hexdigest()


def query_key(query: Mapping[str, Sequence[str]]) -> str:
    """The key of a URL query (every value of every parameter, in any order of parameters).

    >>> query_key({"units": ["nm"], "mission": ["engels-2015-11-17"]}) == query_key(
    ...     {"mission": ["engels-2015-11-17"], "units": ["nm"]})
    True
    """
    text = json.dumps(sorted((k, list(v)) for k, v in query.items()), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _path(query: str, directory: Path | None) -> tuple[Path, str]:
    """The file of ``query``'s first map under this version of the inputs, and that version."""
    source = source_version()
    return (directory or cache_dir()) / f"first-map-{source[:16]}-{query[:16]}.json", source


def cached_first_map(query: str, directory: Path | None = None) -> str | None:
    """The payload JSON of the first map a session opened with ``query`` (:func:`query_key`) computed,
    under this version of the inputs; ``None`` when there is none (or its file is stale or damaged)."""
    try:
        path, source = _path(query, directory)
    except OSError:  # an input file that cannot be read: no first map ahead of the computed one
        return None
    data = load_json(path, source=source, max_bytes=MAX_PAYLOAD_CHARS * 4 + 4096)  # marks the file used
    if isinstance(data, Damaged) and data.reason != "it was built from other source data":
        _log.warning("note: the first-map cache %s was not used (%s)", path, data.reason)
    return data if isinstance(data, str) else None


def remember_first_map(query: str, payload_json: str, directory: Path | None = None) -> None:
    """Keep ``payload_json`` as the first map of ``query``; of this version's first maps, the
    :data:`MAX_QUERIES` last used stay; other versions' go an hour after their last use."""
    if len(payload_json) > MAX_PAYLOAD_CHARS:
        return
    try:
        path, source = _path(query, directory)
        save_json(path, payload_json, source=source, durable=False)  # cheap to recompute: no fsync
        _prune(path, source)
    except OSError as exc:  # a read-only or full disk: the first map is computed each time
        _log.warning("note: the first-map cache could not be written (%s)", exc.strerror or exc)


def _prune(path: Path, source: str) -> None:
    """Remove the first maps of other versions unused for an hour, and this version's beyond the
    :data:`MAX_QUERIES` last used (:func:`~geodata.diskcache.prune_stale`: our own regular files only)."""
    versions: dict[str, list[tuple[float, str]]] = {}
    for entry in os.scandir(path.parent):
        match = _NAME.fullmatch(entry.name)
        if match and entry.is_file(follow_symlinks=False):
            versions.setdefault(match[1], []).append((entry.stat(follow_symlinks=False).st_mtime, entry.name))
    others = [f"first-map-{version}-*.json" for version in versions if version != source[:16]]
    prune_stale(path, *others, "first-maps-????????????????.json")  # (and the one-file form of format 1)
    mine = sorted(versions.get(source[:16], []), reverse=True)  # the last used first
    if len(mine) > MAX_QUERIES:
        prune_stale(path, *(name for _, name in mine[MAX_QUERIES:]), min_age_s=0.0)
