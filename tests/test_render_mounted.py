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


def test_cached_page_files__a_new_process_reads_the_page_without_folium(tmp_path: Path) -> None:
    """The first process builds the page and stores it; the next one reads it back, folium never imported."""
    import json
    import os
    import subprocess
    import sys

    script = (
        "import json, sys\nfrom pathlib import Path\nfrom missions.render.mounted import write_page\n"
        "index = write_page(Path(sys.argv[1]))\n"
        "print(json.dumps({'folium': 'folium' in sys.modules, "
        "'files': sorted(p.name for p in index.parent.iterdir())}))\n"
    )
    env = {**os.environ, "MISSIONS_CACHE_DIR": str(tmp_path / "cache")}
    root = Path(__file__).resolve().parents[1]
    runs = [
        json.loads(subprocess.run([sys.executable, "-c", script, str(tmp_path / name)], env=env, cwd=root,
                                  capture_output=True, text=True, check=True).stdout)
        for name in ("first", "second")
    ]  # fmt: skip
    assert runs[0]["folium"] and not runs[1]["folium"]
    assert runs[0]["files"] == runs[1]["files"] and len(runs[0]["files"]) == 5
    for name in runs[0]["files"]:
        assert (tmp_path / "first" / name).read_bytes() == (tmp_path / "second" / name).read_bytes(), name
    assert len(list((tmp_path / "cache").glob("map-page-*.json"))) == 1


def test_cached_page_files__damaged_cache_rebuilt_with_one_notice(tmp_path: Path, caplog) -> None:
    from missions.render.mounted import cached_page_files, page_files

    built = cached_page_files(tmp_path)
    (path,) = tmp_path.glob("map-page-*.json")
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x20  # one flipped bit in the body: the checksum no longer matches
    path.write_bytes(bytes(data))
    with caplog.at_level("WARNING", logger="missions.render.mounted"):
        again = cached_page_files(tmp_path)
    assert again == built == page_files()
    assert [r.getMessage() for r in caplog.records] == [
        f"note: the map page cache {path} was not used (its checksum does not match its contents); rebuilding it"
    ]
    caplog.clear()
    assert cached_page_files(tmp_path) == built and not caplog.records  # the rebuilt file is trusted again


def test_page_source__changes_with_any_input(tmp_path: Path, monkeypatch) -> None:
    """A changed script, asset, basemap or loader makes the stored page stale (another source version)."""
    from missions.render import mounted

    for name in ("missions/render/a.py", "missions/render/assets/js/b.js", "geodata/countries_basemap.geojson"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("1", encoding="utf-8")
    monkeypatch.setattr(mounted, "_ROOT", tmp_path)
    versions = []
    for name in (None, "missions/render/a.py", "missions/render/assets/js/b.js", "geodata/countries_basemap.geojson"):
        if name is not None:
            (tmp_path / name).write_text(f"changed {name}", encoding="utf-8")
        mounted.page_source.cache_clear()
        versions.append(mounted.page_source())
    mounted.page_source.cache_clear()
    assert len(set(versions)) == 4


_HOLD_PAGE = (
    "import sys\n"
    "from missions.render.mounted import page_dir\n"
    "print(page_dir(), flush=True)\n"
    "sys.stdin.read()\n"  # lives until the test closes its stdin
)


def test_page_dir__a_killed_servers_directory_is_removed_by_the_next_one(tmp_path: Path) -> None:
    """A dashboard server killed (SIGKILL: no atexit) left its ``missions-map-*`` page directory in /tmp
    for good; the next process's :func:`page_dir` now removes those whose process is gone, keeps those of
    live processes, and a process that ends normally removes its own."""
    import os
    import signal
    import subprocess
    import sys
    import time

    from missions.render.mounted import PAGE_DIR_PREFIX, prune_page_dirs

    env = {**os.environ, "TMPDIR": str(tmp_path)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _HOLD_PAGE], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    killed, alive = procs
    try:
        dirs = [Path(p.stdout.readline().strip()) for p in procs]  # type: ignore[union-attr]
        assert all(d.parent == tmp_path and d.name.startswith(PAGE_DIR_PREFIX) for d in dirs), dirs
        assert all((d / "index.html").is_file() for d in dirs)
        killed.send_signal(signal.SIGKILL)
        killed.wait(timeout=30)
        assert dirs[0].is_dir()  # what was left behind before
        foreign = tmp_path / f"{PAGE_DIR_PREFIX}not-a-dir"
        foreign.write_text("x")
        legacy_old, legacy_recent = tmp_path / f"{PAGE_DIR_PREFIX}old", tmp_path / f"{PAGE_DIR_PREFIX}recent"
        for path in (legacy_old, legacy_recent):  # written before the lock: removed after a day
            path.mkdir()
            (path / "index.html").write_text("<html></html>")
        os.utime(legacy_recent, (time.time() - 3600,) * 2)
        for path in (*dirs, foreign, legacy_old):
            os.utime(path, (0, 1e9))  # older than the minute a fresh directory is spared
        assert sorted(prune_page_dirs(tmp_path)) == sorted([dirs[0], legacy_old])
        assert not dirs[0].exists() and dirs[1].is_dir() and foreign.is_file() and legacy_recent.is_dir()
        alive.stdin.close()  # type: ignore[union-attr]
        assert alive.wait(timeout=30) == 0
        assert not dirs[1].exists()  # removed at exit
    finally:
        for p in procs:
            p.kill()
            p.wait()
