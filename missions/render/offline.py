"""Self-contained folium maps: inline every script, stylesheet, font and image they link.

folium 0.20.0 links scripts and stylesheets from CDNs; with no network the page is blank. The files
the product's maps use (Leaflet and the plugins :mod:`missions.render.map` adds; not jQuery,
Bootstrap or icon fonts, which the maps drop) are vendored in ``assets/`` (see ``assets/SOURCES.md``;
``assets/fetch_assets.py`` refreshes them from npm) and ``assets/manifest.json`` maps each CDN URL to
its file. Anything else is refused (:class:`OfflineAssetError`). Nothing here touches the network.

- :func:`inline_assets` rewrites a rendered HTML page so that it opens offline;
- :func:`external_urls` lists the external resources a page still loads (to assert there are none).

Stylesheets are rewritten as they are inlined: ``url(...)`` references become ``data:`` URIs, and in
``@font-face`` rules only the best font format is kept (WOFF2, else WOFF, else TrueType; EOT and SVG
fonts are dropped).

Examples
--------
>>> import folium
>>> m = folium.Map(tiles=None)
>>> m.default_js, m.default_css = m.default_js[:1], m.default_css[:1]  # Leaflet only, as the product's maps
>>> html = inline_assets(m.get_root().render())
>>> external_urls(html)
[]
"""

from __future__ import annotations

import base64
import functools
import json
import posixpath
import re
from pathlib import Path
from typing import Any

ASSETS_DIR = Path(__file__).with_name("assets")
MANIFEST_PATH = ASSETS_DIR / "manifest.json"

# data: URIs longer than this are refused by Chromium (2 MiB URL limit).
MAX_DATA_URI_CHARS = 2 * 1024 * 1024

_MIME_BY_EXTENSION = {
    ".js": "text/javascript",
    ".css": "text/css",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".png": "image/png",
    ".gif": "image/gif",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".svg": "image/svg+xml",
}

# Font formats in order of preference; the first one present in an @font-face src list is kept.
_FONT_FORMAT_RANK = {"woff2": 0, "woff": 1, "truetype": 2, "opentype": 3}
_FONT_FORMAT_BY_HINT = {
    ".woff2": "woff2",
    ".woff": "woff",
    ".ttf": "truetype",
    ".otf": "opentype",
    ".eot": "embedded-opentype",
    ".svg": "svg",
    "font/woff2": "woff2",
    "application/font-woff2": "woff2",
    "font/woff": "woff",
    "application/font-woff": "woff",
    "application/x-font-woff": "woff",
    "font/truetype": "truetype",
    "font/ttf": "truetype",
    "application/x-font-ttf": "truetype",
    "font/opentype": "opentype",
    "application/vnd.ms-fontobject": "embedded-opentype",
}

_CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s'"]*))\s*\)""", re.IGNORECASE)
_FONT_FACE = re.compile(r"@font-face\s*\{([^}]*)\}", re.IGNORECASE)
_FORMAT = re.compile(r"""format\(\s*["']?([\w-]+)["']?\s*\)""", re.IGNORECASE)
_CSS_IMPORT = re.compile(r"@import\b", re.IGNORECASE)

_SCRIPT_WITH_SRC = re.compile(
    r"""<script\b[^>]*?\bsrc\s*=\s*(?:"([^"]*)"|'([^']*)')[^>]*>\s*</script\s*>""",
    re.IGNORECASE,
)
_LINK_TAG = re.compile(r"<link\b[^>]*>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")

# For external_urls: tags anywhere in the text (also inside JS strings, as in popups), their
# resource attributes, CSS url() and @import, and Leaflet icon options.
_ANY_TAG = re.compile(r"<([a-zA-Z][\w:-]*)(\s[^<>]*)>")
_EXTERNAL = r"""((?:https?:)?//[^\s"'\\<>()]+)"""
_RESOURCE_ATTRIBUTE = re.compile(
    r"""(?<![\w-])(src|href|xlink:href|srcset|poster|data|background)\s*=\s*\\?["']?\s*""" + _EXTERNAL,
    re.IGNORECASE,
)
_SRCSET_ITEM = re.compile(r"""(?:^|,)\s*((?:https?:)?//[^\s,"'\\]+)""")
_SRCSET_ATTRIBUTE = re.compile(r"""(?<![\w-])srcset\s*=\s*\\?["']([^"'\\]*)""", re.IGNORECASE)
_CSS_EXTERNAL_URL = re.compile(r"""url\(\s*\\?["']?\s*""" + _EXTERNAL, re.IGNORECASE)
_CSS_EXTERNAL_IMPORT = re.compile(r"""@import\s+\\?["']\s*""" + _EXTERNAL, re.IGNORECASE)
_LEAFLET_ICON_OPTION = re.compile(
    r"""["']?(?:iconUrl|iconRetinaUrl|shadowUrl|shadowRetinaUrl)["']?\s*:\s*["']""" + _EXTERNAL
)
_LINK_TAGS_ALLOWED_EXTERNAL = frozenset({"a", "area"})


class OfflineAssetError(ValueError):
    """A page or stylesheet refers to an external resource that is not vendored in ``assets/``.

    Parameters
    ----------
    message:
        What could not be inlined, in one sentence.
    urls:
        The URLs concerned.
    """

    def __init__(self, message: str, urls: tuple[str, ...] = ()) -> None:
        self.urls = urls
        listed = "".join(f"\n  {u}" for u in urls)
        hint = "\nVendor them: add them to missions/render/assets/fetch_assets.py and run it by hand." if urls else ""
        super().__init__(f"{message}{listed}{hint}")


@functools.cache
def load_manifest() -> dict[str, Any]:
    """The vendored-asset manifest: ``urls`` (CDN URL -> file under ``assets/``) and ``files``."""
    with MANIFEST_PATH.open(encoding="utf-8") as f:
        manifest: dict[str, Any] = json.load(f)
    return manifest


def supported_urls() -> frozenset[str]:
    """Every CDN URL that can be inlined (as folium 0.20.0 spells them)."""
    return frozenset(load_manifest()["urls"])


def _canonical_url(url: str) -> str:
    """``//host/x`` and ``http://host/x`` -> ``https://host/x`` (the manifest's spelling)."""
    if url.startswith("//"):
        return "https:" + url
    if url.startswith("http://"):
        return "https://" + url.removeprefix("http://")
    return url


def _vendored_path(url: str) -> str:
    rel = load_manifest()["urls"].get(_canonical_url(url))
    if rel is None:
        raise OfflineAssetError("Not vendored for offline use:", (url,))
    return str(rel)


def _is_external(url: str) -> bool:
    return url.lower().startswith(("http://", "https://", "//"))


def _mime_type(rel_path: str) -> str:
    return _MIME_BY_EXTENSION.get(posixpath.splitext(rel_path)[1].lower(), "application/octet-stream")


def _data_uri(mime: str, data: bytes) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def _file_data_uri(rel_path: str) -> str:
    return _data_uri(_mime_type(rel_path), (ASSETS_DIR / rel_path).read_bytes())


def _split_top_level(text: str, separator: str) -> list[str]:
    """Split at ``separator`` outside parentheses and quotes (data: URIs hold ``;`` and ``,``)."""
    parts, depth, quote, start = [], 0, "", 0
    for i, ch in enumerate(text):
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "\"'":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == separator and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def _font_format(entry: str) -> str | None:
    """The format of one ``src`` entry (``None`` for ``local(...)``)."""
    explicit = _FORMAT.search(entry)
    if explicit:
        return explicit.group(1).lower()
    url = _CSS_URL.search(entry)
    if url is None:
        return None
    value = next(g for g in url.groups() if g is not None)
    if value.startswith("data:"):
        return _FONT_FORMAT_BY_HINT.get(value[5:].split(";", 1)[0].split(",", 1)[0].lower(), "unknown")
    path = value.split("?", 1)[0].split("#", 1)[0]
    return _FONT_FORMAT_BY_HINT.get(posixpath.splitext(path)[1].lower(), "unknown")


def _prune_font_sources(css: str) -> str:
    """In each ``@font-face``, keep ``local()`` entries and the one best-format URL of each ``src``.

    A ``src`` with no usable format (only EOT or SVG fonts) is removed.
    """

    def prune_src(value: str) -> str | None:
        entries = _split_top_level(value, ",")
        local = [e for e in entries if e.lower().startswith("local(")]
        ranked = sorted(
            (_FONT_FORMAT_RANK[fmt], i) for i, e in enumerate(entries) if (fmt := _font_format(e)) in _FONT_FORMAT_RANK
        )
        return ",".join([*local, entries[ranked[0][1]]]) if ranked else None

    def prune_face(face: re.Match[str]) -> str:
        declarations = []
        for declaration in _split_top_level(face.group(1), ";"):
            name, _, value = declaration.partition(":")
            if name.strip().lower() == "src":
                pruned = prune_src(value)
                if pruned is None:
                    continue
                declaration = f"src:{pruned}"
            declarations.append(declaration)
        return "@font-face{" + ";".join(declarations) + "}"

    return _FONT_FACE.sub(prune_face, css)


def _url_value(match: re.Match[str]) -> str:
    return next(g for g in match.groups() if g is not None)


def _needs_no_fetch(value: str) -> bool:
    return value == "" or value.startswith(("data:", "#", "about:"))


def css_file_references(css: str) -> list[str]:
    """The ``url(...)`` targets a stylesheet still needs once its font sources are pruned.

    ``data:`` URIs and fragment-only references (``#default#VML``) are left out. Queries and
    fragments (``font.eot?#iefix``) are stripped from relative references.
    """
    refs = []
    for match in _CSS_URL.finditer(_prune_font_sources(css)):
        value = _url_value(match)
        if _needs_no_fetch(value):
            continue
        refs.append(value if _is_external(value) else value.split("?", 1)[0].split("#", 1)[0])
    return list(dict.fromkeys(refs))


def _inline_css_urls(css: str, css_rel_path: str) -> str:
    if _CSS_IMPORT.search(css):
        raise OfflineAssetError(f"@import in {css_rel_path} cannot be inlined")
    files = load_manifest()["files"]

    def replace(match: re.Match[str]) -> str:
        value = _url_value(match)
        if _needs_no_fetch(value):
            return match.group(0)
        if _is_external(value):
            rel = _vendored_path(value)
        else:
            path = value.split("?", 1)[0].split("#", 1)[0]
            rel = posixpath.normpath(posixpath.join(posixpath.dirname(css_rel_path), path))
            if rel not in files:
                raise OfflineAssetError(f"{css_rel_path} refers to a file that is not vendored:", (value,))
        return f'url("{_file_data_uri(rel)}")'

    return _CSS_URL.sub(replace, _prune_font_sources(css))


@functools.cache
def asset_text(url: str) -> str:
    """The content of a vendored script or stylesheet, ready to inline.

    Stylesheets have every ``url(...)`` turned into a ``data:`` URI.

    Raises
    ------
    OfflineAssetError
        If the URL, or a file its stylesheet refers to, is not vendored.
    """
    rel = _vendored_path(url)
    text = (ASSETS_DIR / rel).read_text(encoding="utf-8")
    if rel.endswith(".css"):
        return _inline_css_urls(text, rel)
    return text


@functools.cache
def asset_data_uri(url: str) -> str:
    """A ``data:`` URI holding the inlined script or stylesheet of ``url``."""
    rel = _vendored_path(url)
    uri = _data_uri(_mime_type(rel), asset_text(url).encode("utf-8"))
    if len(uri) > MAX_DATA_URI_CHARS:
        raise OfflineAssetError(f"{rel} is too large for a data: URI ({len(uri):,} characters)", (url,))
    return uri


def _attributes(tag: str) -> dict[str, str]:
    return {
        m.group(1).lower(): next((g for g in m.groups()[1:] if g is not None), "") for m in _ATTRIBUTE.finditer(tag)
    }


def inline_assets(html: str) -> str:
    """Replace each external ``<script src>`` and stylesheet ``<link>`` by the vendored content.

    A file linked twice (folium links jQuery 3.7.1 from two CDNs) is inlined once, at its first
    link. Content that the HTML parser would end early (``</script``, ``<!--``, ``</style``) is
    embedded as a ``data:`` URI instead. Other external references (images, CSS ``url()`` in the
    page's own styles, tile layers) are left alone: check them with :func:`external_urls`.

    Raises
    ------
    OfflineAssetError
        Listing every linked URL that is not vendored (nothing is left silently).
    """
    missing: list[str] = []
    done: set[str] = set()
    supported = load_manifest()["urls"]

    def take(url: str) -> str | None:
        """The vendored path, or None if the file is already inlined above or unknown."""
        rel = supported.get(_canonical_url(url))
        if rel is None:
            missing.append(url)
            return None
        if rel in done:
            return None
        done.add(rel)
        return str(rel)

    def inline(url: str, unsafe: str, inline_tag: str, uri_tag: str) -> str:
        """The asset at ``url`` as ``inline_tag`` (its text), or ``uri_tag`` (a data: URI) where the
        text holds ``unsafe`` (a closing tag that would end the element early)."""
        rel = take(url)
        if rel is None:
            return f"<!-- {posixpath.basename(url)}: inlined above -->" if url not in missing else ""
        text = asset_text(url)
        if re.search(unsafe, text, re.IGNORECASE):
            return uri_tag.format(asset_data_uri(url))
        return inline_tag.format(text)

    def script(match: re.Match[str]) -> str:
        url = _url_value(match)
        if not _is_external(url):
            return match.group(0)
        return inline(url, r"</script|<!--", "<script>{}</script>", '<script src="{}"></script>')

    def link(match: re.Match[str]) -> str:
        attrs = _attributes(match.group(0))
        url = attrs.get("href", "")
        if "stylesheet" not in attrs.get("rel", "").lower().split() or not _is_external(url):
            return match.group(0)
        return inline(url, r"</style", "<style>{}</style>", '<link rel="stylesheet" href="{}"/>')

    out = _LINK_TAG.sub(link, _SCRIPT_WITH_SRC.sub(script, html))
    if missing:
        raise OfflineAssetError("The page links resources that are not vendored:", tuple(dict.fromkeys(missing)))
    return out


def external_urls(html: str) -> list[str]:
    """Every external (``http:``, ``https:``, ``//``) resource a page still refers to, in order.

    Looks at ``src``/``href``/``srcset``/``poster``/``data``/``background`` attributes of tags
    anywhere in the text (also tags inside JavaScript strings, as in popups), CSS ``url(...)`` and
    ``@import``, and Leaflet icon options (``iconUrl`` ...). The ``href`` of ``<a>`` and ``<area>``
    links is not a resource and is not reported. Tile-layer URL templates are not reported either
    (they only load when that layer is shown).

    Examples
    --------
    >>> external_urls('<img src="https://x.org/a.png"><a href="https://x.org/">x</a>')
    ['https://x.org/a.png']
    >>> external_urls('<style>b{background:url(//cdn.example/b.png)}</style>')
    ['//cdn.example/b.png']
    """
    found: list[tuple[int, str]] = []
    for tag in _ANY_TAG.finditer(html):
        name = tag.group(1).lower()
        attributes = tag.group(2)
        for m in _RESOURCE_ATTRIBUTE.finditer(attributes):
            kind = m.group(1).lower()
            if kind == "srcset" or (kind == "href" and name in _LINK_TAGS_ALLOWED_EXTERNAL):
                continue
            found.append((tag.start(2) + m.start(2), m.group(2)))
        for m in _SRCSET_ATTRIBUTE.finditer(attributes):
            for item in _SRCSET_ITEM.finditer(m.group(1)):
                found.append((tag.start(2) + m.start(1) + item.start(1), item.group(1)))
    for pattern in (_CSS_EXTERNAL_URL, _CSS_EXTERNAL_IMPORT, _LEAFLET_ICON_OPTION):
        found.extend((m.start(1), m.group(1)) for m in pattern.finditer(html))
    return list(dict.fromkeys(url for _, url in sorted(found)))
