"""Vendor the browser assets that the product's maps link (folium 0.20.0's CDN URLs), for offline maps.

Only what ``missions.render`` draws is vendored: Leaflet, leaflet-textpath, Leaflet.TimeDimension
(with moment, iso8601-js-period and its Glyphicons font), leaflet-measure and leaflet.fullscreen.

Run by hand (needs the npm client and the npm registry; nothing at run time does)::

    python missions/render/assets/fetch_assets.py

It downloads each npm package below with ``npm pack``, copies the files that folium links (and the
fonts and images their stylesheets refer to) into this directory, copies the few files that are on
no npm package at the linked version from ``folium-offline`` (pinned in requirements.txt), then
writes ``manifest.json`` (CDN URL -> vendored file, with sha256) and ``SOURCES.md``.

To support another folium plugin offline: add its URLs to ``NPM_FILES`` (or ``FOLIUM_OFFLINE_FILES``),
rerun, and commit the new files together with the regenerated manifest.
"""

from __future__ import annotations

import base64
import hashlib
import json
import posixpath
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

ASSETS_DIR = Path(__file__).resolve().parent
REPO_ROOT = ASSETS_DIR.parents[2]
FOLIUM_VERSION = "0.20.0"
FOLIUM_OFFLINE_VERSION = "0.20.0.2"

JSDELIVR = "https://cdn.jsdelivr.net"
CDNJS = "https://cdnjs.cloudflare.com/ajax/libs"


@dataclass(frozen=True, kw_only=True)
class NpmPackage:
    name: str
    version: str
    license: str
    used_by: str

    @property
    def directory(self) -> str:
        """Folder under ``assets/`` (scope dropped: ``@fortawesome/x`` -> ``npm/x@v``)."""
        return f"npm/{self.name.rsplit('/', 1)[-1]}@{self.version}"


PACKAGES = {
    p.name: p
    for p in (
        NpmPackage(name="leaflet", version="1.9.3", license="BSD-2-Clause", used_by="folium.Map"),
        NpmPackage(name="leaflet.fullscreen", version="3.0.0", license="MIT", used_by="plugins.Fullscreen"),
        NpmPackage(name="leaflet-measure", version="2.1.7", license="MIT", used_by="plugins.MeasureControl"),
        NpmPackage(name="leaflet-timedimension", version="1.1.1", license="MIT", used_by="plugins.TimestampedGeoJson"),
        NpmPackage(
            name="iso8601-js-period", version="0.2.1", license="Apache-2.0", used_by="plugins.TimestampedGeoJson"
        ),
        NpmPackage(name="moment", version="2.18.1", license="MIT", used_by="plugins.TimestampedGeoJson"),
        NpmPackage(name="leaflet-textpath", version="1.2.3", license="MIT", used_by="plugins.PolyLineTextPath"),
    )
}

# (URLs folium links, npm package, file in the package). Where folium links a ``.min`` file that
# jsDelivr minifies on the fly, the package's unminified file is vendored (same code).
NPM_FILES: list[tuple[tuple[str, ...], str, str]] = [
    (
        (f"{JSDELIVR}/npm/leaflet.fullscreen@3.0.0/Control.FullScreen.min.js",),
        "leaflet.fullscreen",
        "Control.FullScreen.js",
    ),
    (
        (f"{JSDELIVR}/npm/leaflet.fullscreen@3.0.0/Control.FullScreen.css",),
        "leaflet.fullscreen",
        "Control.FullScreen.css",
    ),
    (
        (f"{JSDELIVR}/gh/ljagis/leaflet-measure@2.1.7/dist/leaflet-measure.min.js",),
        "leaflet-measure",
        "dist/leaflet-measure.min.js",
    ),
    (
        (f"{JSDELIVR}/gh/ljagis/leaflet-measure@2.1.7/dist/leaflet-measure.min.css",),
        "leaflet-measure",
        "dist/leaflet-measure.css",
    ),
    (
        (f"{JSDELIVR}/npm/leaflet-timedimension@1.1.1/dist/leaflet.timedimension.min.js",),
        "leaflet-timedimension",
        "dist/leaflet.timedimension.min.js",
    ),
    (
        (f"{JSDELIVR}/npm/leaflet-timedimension@1.1.1/dist/leaflet.timedimension.control.css",),
        "leaflet-timedimension",
        "dist/leaflet.timedimension.control.min.css",
    ),
    (
        (f"{JSDELIVR}/npm/iso8601-js-period@0.2.1/iso8601.min.js",),
        "iso8601-js-period",
        "iso8601.js",
    ),
    (
        (f"{JSDELIVR}/npm/leaflet-textpath@1.2.3/leaflet.textpath.min.js",),
        "leaflet-textpath",
        "leaflet.textpath.js",
    ),
]

# Files no stylesheet refers to but the run time needs: Leaflet's default marker icon (see offline.py).
NPM_EXTRA_FILES: list[tuple[str, str]] = [
    ("leaflet", "dist/images/marker-icon.png"),
    ("leaflet", "dist/images/marker-icon-2x.png"),
    ("leaflet", "dist/images/marker-shadow.png"),
]

# Files on no npm package at the version folium links: copied from folium-offline's table of the
# CDN files (offlinefolium.elements._res), which holds them as served. (URL, upstream, license)
FOLIUM_OFFLINE_FILES: list[tuple[str, str, str]] = []  # none: the product draws nothing they served

# The Glyphicons font that leaflet.timedimension.control.css links (protocol-relative, from the
# Bootstrap 3.0.0 CDN) is the WOFF embedded in Bootstrap 3.0.0's bootstrap-glyphicons.css above.
GLYPHICONS_CSS_URL = "https://netdna.bootstrapcdn.com/bootstrap/3.0.0/css/bootstrap-glyphicons.css"
GLYPHICONS_WOFF_URL = "https://netdna.bootstrapcdn.com/bootstrap/3.0.0/fonts/glyphicons-halflings-regular.woff"


def url_to_path(url: str) -> str:
    """Vendored path of a file copied from folium-offline: ``folium-offline/<host>/<path>``."""
    host_path = re.sub(r"^https?://", "", url)
    return "folium-offline/" + host_path


def npm_pack(package: NpmPackage, workdir: Path) -> tarfile.TarFile:
    """Download ``name@version`` from the npm registry with ``npm pack`` and open the tarball."""
    out = subprocess.run(
        ["npm", "pack", "--silent", f"{package.name}@{package.version}", "--pack-destination", str(workdir)],
        check=True,
        capture_output=True,
        text=True,
    )
    tgz = workdir / out.stdout.strip().splitlines()[-1]
    return tarfile.open(tgz, "r:gz")


def read_member(tar: tarfile.TarFile, path: str) -> bytes:
    member = tar.extractfile("package/" + path)
    if member is None:
        raise FileNotFoundError(f"{path} not in {tar.name!r}")
    return member.read()


def license_members(tar: tarfile.TarFile) -> list[str]:
    return sorted(
        name.removeprefix("package/")
        for name in tar.getnames()
        if re.fullmatch(r"package/(LICEN[CS]E|MIT-LICEN[CS]E|COPYING)[^/]*", name, flags=re.IGNORECASE)
    )


def write(rel_path: str, data: bytes, files: dict[str, dict[str, object]], **meta: object) -> None:
    target = ASSETS_DIR / rel_path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    files[rel_path] = {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data), **meta}


def main() -> int:
    sys.path.insert(0, str(REPO_ROOT))
    from offlinefolium.elements import _res  # folium-offline, pinned in requirements.txt

    from missions.render import offline  # the rules used at run time

    for old in ("npm", "folium-offline"):
        shutil.rmtree(ASSETS_DIR / old, ignore_errors=True)
    urls: dict[str, str] = {}
    files: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        tars = {name: npm_pack(pkg, Path(tmp)) for name, pkg in PACKAGES.items()}
        for name, tar in tars.items():
            pkg = PACKAGES[name]
            for lic in license_members(tar):
                meta = {"source": f"npm {name}@{pkg.version}", "license": pkg.license, "role": "license"}
                write(f"{pkg.directory}/{lic}", read_member(tar, lic), files, **meta)
        for aliases, name, path in NPM_FILES:
            pkg, tar = PACKAGES[name], tars[name]
            data = read_member(tar, path)
            rel = f"{pkg.directory}/{path}"
            meta = {"source": f"npm {name}@{pkg.version}", "license": pkg.license}
            write(rel, data, files, **meta)
            for url in aliases:
                urls[url] = rel
            if path.endswith(".css"):
                for ref in offline.css_file_references(data.decode("utf-8")):
                    if ref.startswith(("http:", "https:", "//")):
                        continue  # resolved through the manifest, checked below
                    dep = posixpath.normpath(posixpath.join(posixpath.dirname(path), ref))
                    write(f"{pkg.directory}/{dep}", read_member(tar, dep), files, **meta)
        for name, path in NPM_EXTRA_FILES:
            pkg = PACKAGES[name]
            meta = {"source": f"npm {name}@{pkg.version}", "license": pkg.license}
            write(f"{pkg.directory}/{path}", read_member(tars[name], path), files, **meta)
    for url, upstream, license_ in FOLIUM_OFFLINE_FILES:
        rel = url_to_path(url)
        meta = {"source": f"folium-offline=={FOLIUM_OFFLINE_VERSION}: {upstream}", "license": license_}
        write(rel, _res[url].encode("utf-8"), files, **meta)
        urls[url] = rel
    woff = re.search(r"url\('?data:application/font-woff;base64,([A-Za-z0-9+/=]+)'?\)", _res[GLYPHICONS_CSS_URL])
    if woff is None:
        raise RuntimeError("no embedded WOFF in bootstrap-glyphicons.css")
    rel = url_to_path(GLYPHICONS_WOFF_URL)
    write(
        rel,
        base64.b64decode(woff.group(1)),
        files,
        source=f"folium-offline=={FOLIUM_OFFLINE_VERSION}: WOFF in Bootstrap 3.0.0 bootstrap-glyphicons.css",
        license="Apache-2.0 (Bootstrap 3.0.0; Glyphicons Halflings as licensed with Bootstrap)",
    )
    urls[GLYPHICONS_WOFF_URL] = rel

    manifest = {
        "comment": "Generated by fetch_assets.py; do not edit. CDN URL as folium links it -> vendored file",
        "folium": FOLIUM_VERSION,
        "urls": dict(sorted(urls.items())),
        "files": dict(sorted(files.items())),
    }
    (ASSETS_DIR / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    (ASSETS_DIR / "SOURCES.md").write_text(sources_markdown(urls, files), encoding="utf-8")

    # Every script and stylesheet must now resolve offline (raises on any unknown or missing reference).
    offline.load_manifest.cache_clear()
    offline.asset_text.cache_clear()
    for url, rel in urls.items():
        if rel.endswith((".js", ".css")):
            offline.asset_text(url)
    total = sum(int(str(f["bytes"])) for f in files.values())
    print(f"{len(urls)} URLs, {len(files)} files, {total:,} bytes in {ASSETS_DIR}")
    return 0


def sources_markdown(urls: dict[str, str], files: dict[str, dict[str, object]]) -> str:
    by_file: dict[str, list[str]] = {}
    for url, rel in urls.items():
        by_file.setdefault(rel, []).append(url)
    lines = [
        "# Vendored browser assets",
        "",
        f"Generated by `fetch_assets.py` (run by hand) for folium {FOLIUM_VERSION}. Each file is byte for",
        "byte as published in the npm package named, except those marked folium-offline, copied from",
        f"`offlinefolium.elements._res` of the PyPI package folium-offline=={FOLIUM_OFFLINE_VERSION} (MIT),",
        "which holds the CDN files as served. `manifest.json` maps each CDN URL that folium links to its",
        "file here, with sha256. At run time `missions.render.offline` inlines them and turns the fonts and",
        "images that stylesheets refer to into data: URIs.",
        "",
        "## Packages",
        "",
        "| package | version | license | used by |",
        "| --- | --- | --- | --- |",
    ]
    for pkg in PACKAGES.values():
        lines.append(f"| npm `{pkg.name}` | {pkg.version} | {pkg.license} | {pkg.used_by} |")
    lines.append(f"| PyPI `folium-offline` | {FOLIUM_OFFLINE_VERSION} | MIT (files: see below) | see below |")
    lines += [
        "",
        "iso8601-js-period ships no license file; its package.json declares Apache-2.0.",
        "The Glyphicons WOFF is the one embedded in Bootstrap 3.0.0's bootstrap-glyphicons.css, stored as a",
        "file because leaflet.timedimension.control.css links it from the Bootstrap 3.0.0 CDN.",
    ]
    lines += [
        "",
        "## Files",
        "",
        "| file | bytes | source | license | CDN URLs served |",
        "| --- | --- | --- | --- | --- |",
    ]
    for rel, meta in files.items():
        served = "<br>".join(by_file.get(rel, [])) or (
            "(license text)" if meta.get("role") == "license" else "(referenced by a stylesheet or script)"
        )
        lines.append(f"| `{rel}` | {meta['bytes']} | {meta['source']} | {meta.get('license', '')} | {served} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
