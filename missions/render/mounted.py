"""The dashboard's map page: Leaflet, its plugins and the basemap loaded once, the mission sent as data.

The exported HTML map (:func:`missions.render.map.build_map`) carries everything in one file. The
dashboard instead keeps one map page mounted (a Streamlit component, :mod:`missions.dashboard.map`)
and sends it only the mission's payload (:func:`missions.render.payload.map_payload`, tens of kB)
on each change; ``assets/js/mount.js`` redraws the mission's layers, legend and clock and keeps
the rest (scripts, basemap, place names, the reader's view and layer choices).

:func:`page_dir` writes that page once per process into a temporary directory (removed at exit; one
left by a killed process is removed by the next one, see :func:`prune_page_dirs`), which Streamlit
serves from 127.0.0.1 (``/component/<name>/...``): ``index.html`` (never cached) and scripts and
stylesheets named by their content's hash (cached by the browser):

- ``vendor.<hash>.js`` / ``.css``: the vendored Leaflet and plugins the exported maps use (the same
  files, :func:`missions.render.offline.asset_text`; stylesheets with their images inlined);
- ``mission.<hash>.js``: ``assets/js`` (the exported maps' own scripts) and ``mount.js``;
- ``places.<hash>.js``: the embedded basemap, the place names and the controls' options.

Building the page needs folium (for the exported maps' script list and control options), the
vendored assets and the basemap: ~1 s of a fresh process, before the first map can load. The built
page is therefore kept in a checked disk cache (:func:`missions.checkedcache.save_json`: one file
holding every file of the page, with its source version and SHA-256), and a new process only writes
it out again (a few milliseconds, folium never imported). The source version is the SHA-256 of
everything the page is built from (:func:`page_source`: this package's code and assets, the basemap
and place names and their loaders, the folium and branca versions); a change to any of them makes
the stored page stale, and a damaged file is rebuilt with one notice.

Nothing here touches the network; the page requests nothing beyond the server it came from.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import hashlib
import logging
import os
import shutil
import stat
import tempfile
import time
from pathlib import Path
from typing import Any

from ..checkedcache import Damaged, cache_dir, load_json, prune_stale, save_json

_log = logging.getLogger(__name__)
_ROOT = Path(__file__).resolve().parents[2]
#: the component's glue (the Streamlit component protocol, version 1), after the map's own scripts
MOUNT_JS = Path(__file__).with_name("assets") / "js" / "mount.js"
#: the layer-list name of the basemap, as in the exported maps
BASEMAP_NAME = "Natural Earth (offline)"
#: what the page is built from (besides the folium and branca versions): bump _FORMAT when the
#: stored form changes
_INPUT_GLOBS = (
    "missions/render/*.py", "missions/render/assets/**/*", "missions/checkedcache.py",
    "geodata/countries.py", "geodata/countries_basemap.geojson", "geodata/labels.py", "geodata/labels.json",
)  # fmt: skip
_FORMAT = 1
#: the stored page is about 0.75 MB
MAX_PAGE_BYTES = 32 * 1024 * 1024


def _camelized(options: dict[str, Any]) -> dict[str, Any]:
    """folium's snake_case options as Leaflet's camelCase (as folium's templates write them)."""
    from folium.utilities import camelize

    return {camelize(k): v for k, v in options.items()}


def vendor_urls() -> tuple[list[str], list[str]]:
    """The CDN URLs (scripts, stylesheets) of what the exported maps load, in their order."""
    import folium
    import folium.plugins

    from .elements import _MissionClock, _MissionLayers
    from .map import _measure_control

    m = folium.Map(tiles=None)
    elements: list[Any] = [
        m,
        _MissionLayers({"sorties": [], "weapons": []}, [], {"canvas": False}),
        _MissionClock(_MissionLayers({"sorties": [], "weapons": []}, [], {"canvas": False}), "PT1M"),
        _measure_control(),
        folium.plugins.Fullscreen(position="topleft"),
    ]
    scripts: dict[str, None] = {}  # ordered sets
    styles: dict[str, None] = {}
    for element in elements:
        # the map itself: only Leaflet (as build_map keeps it: no jQuery, Bootstrap, icon fonts)
        scripts.update((url, None) for name, url in element.default_js if element is not m or name == "leaflet")
        styles.update((url, None) for name, url in element.default_css if element is not m or name == "leaflet_css")
    return list(scripts), list(styles)


def page_config() -> dict[str, Any]:
    """The controls' options (the exported maps' own, from the same folium elements)."""
    import folium.plugins

    from .common import _BASEMAP_DECIMALS
    from .map import _measure_control

    return {
        "measure": _camelized(_measure_control().options),
        "fullscreen": _camelized(folium.plugins.Fullscreen(position="topleft").options),
        "basemap_name": BASEMAP_NAME,
        "basemap_scale": 10**_BASEMAP_DECIMALS,
    }


def _named(stem: str, suffix: str, text: str) -> str:
    """``stem.<hash>.suffix``: a file name that changes with the file's content (browser caching)."""
    return f"{stem}.{hashlib.sha256(text.encode('utf-8')).hexdigest()[:12]}.{suffix}"


def page_files() -> dict[str, str]:
    """The map page's files by name: ``index.html`` and the scripts and stylesheets it loads (uses folium)."""
    from .elements import _CSS, _basemap_json, _labels_json, mission_js
    from .offline import asset_text
    from .records import _script_json

    scripts, styles = vendor_urls()
    vendor_js = "\n;\n".join(asset_text(url) for url in scripts)
    vendor_css = "\n".join(asset_text(url) for url in styles)
    own_js = mission_js() + "\n" + MOUNT_JS.read_text(encoding="utf-8")
    places_js = (
        f"window.MissionMapPage = {_script_json(page_config())};\n"
        f"window.MissionMapPage.basemap = {_basemap_json()};\n"
        f"window.MissionMapPage.labels = {_labels_json()};\n"
    )
    names = [_named("vendor", "css", vendor_css), _named("vendor", "js", vendor_js),
             _named("places", "js", places_js), _named("mission", "js", own_js)]  # fmt: skip
    style = _CSS.replace("<style>", "<style>\nhtml, body, #map { height: 100%; width: 100%; margin: 0; padding: 0; }")
    index = (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>Mission map</title>\n'
        f'<link rel="stylesheet" href="{names[0]}">\n{style}\n'
        f'<script src="{names[1]}"></script>\n<script src="{names[2]}"></script>\n'
        f'<script src="{names[3]}"></script>\n'
        '</head><body><div id="map"></div></body></html>\n'
    )
    return dict(zip(names, (vendor_css, vendor_js, places_js, own_js), strict=True)) | {"index.html": index}


@functools.lru_cache(maxsize=1)
def page_source() -> str:
    """The version of everything the page is built from: SHA-256 of the inputs' bytes and library versions."""
    from importlib.metadata import version

    sha = hashlib.sha256(f"page {_FORMAT} folium {version('folium')} branca {version('branca')}".encode())
    for pattern in _INPUT_GLOBS:
        for path in sorted(_ROOT.glob(pattern)):
            if path.is_file():
                sha.update(b"\0" + path.relative_to(_ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    return sha.hexdigest()


def cached_page_files(directory: Path | None = None) -> dict[str, str]:
    """The page's files, from the checked disk cache in ``directory`` (default: :func:`cache_dir`) when
    it holds this version of the page, else built (:func:`page_files`) and stored there."""
    source = page_source()
    path = (directory or cache_dir()) / f"map-page-{source[:16]}.json"
    stored = load_json(path, source=source, max_bytes=MAX_PAGE_BYTES)
    if isinstance(stored, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in stored.items()):
        return stored
    if stored is not None:
        reason = stored.reason if isinstance(stored, Damaged) else "it does not hold a page"
        _log.warning("note: the map page cache %s was not used (%s); rebuilding it", path, reason)
    files = page_files()
    try:
        save_json(path, files, source=source)
        prune_stale(path, "map-page-????????????????.json")  # the pages of other versions
    except OSError as exc:  # a read-only or full disk: the page still works, built again next time
        _log.warning("note: the map page cache %s could not be written (%s)", path, exc.strerror or exc)
    return files


def write_page(directory: Path) -> Path:
    """Write the map page into ``directory`` (created if need be); return ``index.html``'s path."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in cached_page_files().items():
        (directory / name).write_text(text, encoding="utf-8")
    return directory / "index.html"


#: the page directories' prefix in the temp directory; each holds a lock its process keeps while it lives
PAGE_DIR_PREFIX = "missions-map-"
_LOCK_NAME = ".owner.lock"
#: a page directory younger than this is never pruned (its process may be about to take its lock)
_PRUNE_MIN_AGE_S = 60.0
_held_locks: list[int] = []  # the open, locked files of this process's page directories


def _hold(directory: Path) -> None:
    """Take the lock of ``directory`` for the rest of this process (the kernel drops it when the process
    ends, however it ends: a killed server's directory is then found unlocked by :func:`prune_page_dirs`)."""
    import fcntl

    fd = os.open(directory / _LOCK_NAME, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    _held_locks.append(fd)


def prune_page_dirs(root: Path | None = None) -> list[Path]:
    """Remove the page directories of processes that are gone; return them.

    Only our own directories are touched: ``missions-map-*`` directories (not symlinks) in ``root``
    (default: the temp directory) owned by this user, older than a minute, whose lock no live process
    holds (a directory written before the lock existed counts as gone after a day).
    """
    import fcntl

    root = Path(root or tempfile.gettempdir())
    removed = []
    for path in root.glob(PAGE_DIR_PREFIX + "*"):
        try:
            info = path.lstat()
        except OSError:
            continue
        age_s = time.time() - info.st_mtime
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or age_s < _PRUNE_MIN_AGE_S:
            continue
        try:
            fd = os.open(path / _LOCK_NAME, os.O_RDWR | os.O_NOFOLLOW)
        except FileNotFoundError:
            if age_s > 86_400:  # written before the lock existed
                shutil.rmtree(path, ignore_errors=True)
                removed.append(path)
            continue
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # held: its process lives
            os.close(fd)
            continue
        shutil.rmtree(path, ignore_errors=True)  # removed while holding its lock
        os.close(fd)
        removed.append(path)
    return removed


@functools.lru_cache(maxsize=1)
def page_dir() -> Path:
    """The map page's directory for this process (written on first use, removed at exit; the
    directories of killed processes are removed first, :func:`prune_page_dirs`)."""
    with contextlib.suppress(OSError, ImportError):  # no fcntl (Windows): only the removal at exit
        prune_page_dirs()
    directory = Path(tempfile.mkdtemp(prefix=PAGE_DIR_PREFIX))
    atexit.register(shutil.rmtree, directory, ignore_errors=True)
    with contextlib.suppress(OSError, ImportError):
        _hold(directory)
    write_page(directory)
    return directory
