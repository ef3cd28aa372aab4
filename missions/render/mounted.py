"""The dashboard's map page: Leaflet, its plugins and the basemap loaded once, the mission sent as data.

The exported HTML map (:func:`missions.render.map.build_map`) carries everything in one file. The
dashboard instead keeps one map page mounted (a Streamlit component, :mod:`missions.dashboard.map`)
and sends it only the mission's payload (:func:`missions.render.payload.map_payload`, tens of kB)
on each change; ``assets/js/mount.js`` redraws the mission's layers, legend and clock and keeps
the rest (scripts, basemap, place names, the reader's view and layer choices).

:func:`page_dir` writes that page once per process into a temporary directory, which Streamlit
serves from 127.0.0.1 (``/component/<name>/...``): ``index.html`` (never cached) and scripts and
stylesheets named by their content's hash (cached by the browser):

- ``vendor.<hash>.js`` / ``.css``: the vendored Leaflet and plugins the exported maps use (the same
  files, :func:`missions.render.offline.asset_text`; stylesheets with their images inlined);
- ``mission.<hash>.js``: ``assets/js`` (the exported maps' own scripts) and ``mount.js``;
- ``places.<hash>.js``: the embedded basemap, the place names and the controls' options.

Nothing here touches the network; the page requests nothing beyond the server it came from.
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import shutil
import tempfile
from pathlib import Path
from typing import Any

import folium
import folium.plugins
from folium.utilities import camelize

from .common import _BASEMAP_DECIMALS
from .elements import _CSS, JS_DIR, _basemap_json, _labels_json, _MissionClock, _MissionLayers, mission_js
from .offline import asset_text
from .records import _script_json

#: the component's glue (the Streamlit component protocol, version 1), after the map's own scripts
MOUNT_JS = JS_DIR / "mount.js"
#: the layer-list name of the basemap, as in the exported maps
BASEMAP_NAME = "Natural Earth (offline)"


def _camelized(options: dict[str, Any]) -> dict[str, Any]:
    """folium's snake_case options as Leaflet's camelCase (as folium's templates write them)."""
    return {camelize(k): v for k, v in options.items()}


def vendor_urls() -> tuple[list[str], list[str]]:
    """The CDN URLs (scripts, stylesheets) of what the exported maps load, in their order."""
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
    from .map import _measure_control

    return {
        "measure": _camelized(_measure_control().options),
        "fullscreen": _camelized(folium.plugins.Fullscreen(position="topleft").options),
        "basemap_name": BASEMAP_NAME,
        "basemap_scale": 10**_BASEMAP_DECIMALS,
    }


def _named(directory: Path, stem: str, suffix: str, text: str) -> str:
    """Write ``text`` as ``stem.<hash>.suffix`` in ``directory``; return the file name."""
    data = text.encode("utf-8")
    name = f"{stem}.{hashlib.sha256(data).hexdigest()[:12]}.{suffix}"
    (directory / name).write_bytes(data)
    return name


def write_page(directory: Path) -> Path:
    """Write the map page into ``directory`` (created if need be); return ``index.html``'s path."""
    directory.mkdir(parents=True, exist_ok=True)
    scripts, styles = vendor_urls()
    vendor_js = _named(directory, "vendor", "js", "\n;\n".join(asset_text(url) for url in scripts))
    vendor_css = _named(directory, "vendor", "css", "\n".join(asset_text(url) for url in styles))
    own_js = _named(directory, "mission", "js", mission_js() + "\n" + MOUNT_JS.read_text(encoding="utf-8"))
    places = (
        f"window.MissionMapPage = {_script_json(page_config())};\n"
        f"window.MissionMapPage.basemap = {_basemap_json()};\n"
        f"window.MissionMapPage.labels = {_labels_json()};\n"
    )
    places_js = _named(directory, "places", "js", places)
    style = _CSS.replace("<style>", "<style>\nhtml, body, #map { height: 100%; width: 100%; margin: 0; padding: 0; }")
    index = directory / "index.html"
    index.write_text(
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>Mission map</title>\n'
        f'<link rel="stylesheet" href="{vendor_css}">\n{style}\n'
        f'<script src="{vendor_js}"></script>\n<script src="{places_js}"></script>\n'
        f'<script src="{own_js}"></script>\n'
        '</head><body><div id="map"></div></body></html>\n',
        encoding="utf-8",
    )
    return index


@functools.lru_cache(maxsize=1)
def page_dir() -> Path:
    """The map page's directory for this process (written on first use, removed at exit)."""
    directory = Path(tempfile.mkdtemp(prefix="missions-map-"))
    atexit.register(shutil.rmtree, directory, ignore_errors=True)
    write_page(directory)
    return directory
