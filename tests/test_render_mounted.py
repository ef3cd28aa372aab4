"""The dashboard's mounted map page (``missions.render.mounted``): written once, offline, complete."""

from __future__ import annotations

import re
from pathlib import Path

from missions.render.mounted import MOUNT_JS, page_config, vendor_urls, write_page
from missions.render.offline import external_urls, supported_urls


def test_write_page__every_file_is_local_and_present(tmp_path: Path) -> None:
    index = write_page(tmp_path / "page")
    html = index.read_text(encoding="utf-8")
    linked = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert len(linked) == 4  # vendor.js, vendor.css, places.js, mission.js
    for name in linked:
        assert (index.parent / name).is_file(), name
        assert not name.startswith(("http:", "https:", "//")), name
    for path in index.parent.iterdir():  # the scripts, stylesheets and data hold no external resource
        assert external_urls(path.read_text(encoding="utf-8")) == [], path.name


def test_write_page__the_same_files_as_the_exported_maps(tmp_path: Path) -> None:
    """Leaflet and the plugins the exported map uses, vendored; the page's own scripts with the glue last."""
    scripts, styles = vendor_urls()
    assert set(scripts + styles) <= supported_urls()
    assert scripts[0].endswith("/leaflet.js") and any("timedimension" in url for url in scripts)
    assert not any("jquery" in url or "bootstrap" in url for url in scripts + styles)
    index = write_page(tmp_path / "page")
    (mission_js,) = index.parent.glob("mission.*.js")
    text = mission_js.read_text(encoding="utf-8")
    assert text.rstrip().endswith(MOUNT_JS.read_text(encoding="utf-8").rstrip())
    assert "MissionMap.fitView = function" in text and "streamlit:componentReady" in text


def test_write_page__names_change_with_content(tmp_path: Path) -> None:
    """Files are named by their content's hash: the browser may cache them, never stale ones."""
    first = sorted(p.name for p in write_page(tmp_path / "a").parent.iterdir())
    second = sorted(p.name for p in write_page(tmp_path / "b").parent.iterdir())
    assert first == second and "index.html" in first


def test_page_config__controls_as_the_exported_map() -> None:
    config = page_config()
    assert config["measure"]["primaryLengthUnit"] == "kilometers"
    assert config["measure"]["units"]["nauticalmiles"]["factor"] == 1 / 1852
    assert config["fullscreen"]["position"] == "topleft"
    assert config["basemap_scale"] == 1000
