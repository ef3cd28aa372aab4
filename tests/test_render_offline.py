"""missions.render.offline: folium pages with every asset inlined, checked as text and in Chromium."""

from __future__ import annotations

import hashlib
import json
import re

import folium
import folium.plugins as plugins
import pytest

from missions.render import offline
from missions.render.offline import (
    OfflineAssetError,
    asset_data_uri,
    asset_text,
    css_file_references,
    external_urls,
    inline_assets,
    supported_urls,
)

# Plugins the mission maps use; each must open with no network. Nothing else is vendored.
SUPPORTED_ELEMENTS = [
    plugins.Fullscreen,
    plugins.MeasureControl,
    plugins.PolyLineTextPath,
]
#: what folium links by default but no mission map draws (the maps drop them): refused offline
DROPPED_URLS = [
    "https://code.jquery.com/jquery-3.7.1.min.js",
    "https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/js/bootstrap.bundle.min.js",
    "https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@6.2.0/css/all.min.css",
    "https://cdnjs.cloudflare.com/ajax/libs/d3/3.5.5/d3.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/leaflet.markercluster.js",
]

LAND = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"name": "land"},
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[30, 50], [50, 50], [50, 62], [30, 62], [30, 50]]],
            },
        }
    ],
}
TRACK = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "geometry": {"type": "LineString", "coordinates": [[37.6, 55.8], [33.4, 68.2], [46.2, 51.5]]},
            "properties": {"times": ["2024-01-01T00:00:00", "2024-01-01T02:00:00", "2024-01-01T05:00:00"]},
        }
    ],
}


def mission_like_map() -> folium.Map:
    """A map with what the mission maps use: Leaflet only (no jQuery, Bootstrap, icon fonts), a GeoJSON layer,
    a route with direction arrows, circle markers, measure, fullscreen, a time slider and a layer control."""
    m = folium.Map(location=[58, 40], zoom_start=4, tiles=None, control_scale=True)
    m.default_js = [js for js in m.default_js if js[0] == "leaflet"]
    m.default_css = [css for css in m.default_css if css[0] == "leaflet_css"]
    folium.GeoJson(LAND, name="Land", style_function=lambda _: {"fillColor": "#dde", "weight": 1}).add_to(m)
    sortie = folium.FeatureGroup(name="Sortie 1").add_to(m)
    route = folium.PolyLine([[55.8, 37.6], [68.2, 33.4], [51.5, 46.2]], color="#c00", weight=3).add_to(sortie)
    plugins.PolyLineTextPath(route, "\u25ba", repeat=True, offset=5).add_to(m)
    folium.CircleMarker([55.8, 37.6], tooltip="Base", radius=5).add_to(sortie)
    plugins.MeasureControl(primary_length_unit="kilometers", secondary_length_unit="miles").add_to(m)
    plugins.Fullscreen().add_to(m)
    clock = plugins.TimestampedGeoJson(TRACK, period="PT1H", add_last_point=False)
    clock.default_js = [js for js in clock.default_js if not js[0].startswith("jquery")]
    clock.default_css = [css for css in clock.default_css if css[0] != "highlight.js_css"]
    clock.add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    return m


def test_inline_assets__leaves_no_external_resource():
    html = mission_like_map().get_root().render()
    assert len(external_urls(html)) >= 10  # the check can fail: folium links CDNs

    inlined = inline_assets(html)

    assert external_urls(inlined) == []
    assert "<script>" in inlined and "<style>" in inlined


def test_inline_assets__unknown_url_raises_naming_it():
    html = (
        '<script src="https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js"></script>'
        '<script src="https://example.org/unknown.js"></script>'
        '<link rel="stylesheet" href="//example.org/unknown.css"/>'
    )
    with pytest.raises(OfflineAssetError) as error:
        inline_assets(html)
    assert error.value.urls == ("https://example.org/unknown.js", "//example.org/unknown.css")
    assert "fetch_assets.py" in str(error.value)


@pytest.mark.parametrize("url", DROPPED_URLS)
def test_inline_assets__what_no_map_draws_is_not_vendored(url):
    assert url not in supported_urls()
    with pytest.raises(OfflineAssetError):
        inline_assets(f'<script src="{url}"></script>')


def test_inline_assets__file_linked_twice_is_inlined_once():
    leaflet = [
        "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js",
        "//cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js",
    ]
    html = "".join(f'<script src="{url}"></script>' for url in leaflet)

    inlined = inline_assets(html)

    assert inlined.count("Leaflet 1.9.3") == 1
    assert external_urls(inlined) == []


def test_inline_assets__is_idempotent():
    once = inline_assets(mission_like_map().get_root().render())
    assert inline_assets(once) == once


def test_inline_assets__unsupported_plugin_raises_listing_its_urls():
    m = mission_like_map()
    plugins.Draw().add_to(m)  # not vendored
    with pytest.raises(OfflineAssetError) as error:
        inline_assets(m.get_root().render())
    assert set(error.value.urls) == {url for _, url in [*plugins.Draw.default_js, *plugins.Draw.default_css]}


def test_inline_assets__local_and_data_links_are_kept():
    html = '<script src="app.js"></script><link rel="stylesheet" href="data:text/css,b{}"/>'
    assert inline_assets(html) == html


def test_manifest__covers_every_supported_element():
    missing = [
        (cls.__name__, url)
        for cls in SUPPORTED_ELEMENTS
        for _, url in [*cls.default_js, *cls.default_css]
        if url not in supported_urls()
    ]
    assert missing == []


def test_manifest__files_match_their_sha256():
    manifest = offline.load_manifest()
    mismatched = [
        rel
        for rel, meta in manifest["files"].items()
        if hashlib.sha256((offline.ASSETS_DIR / rel).read_bytes()).hexdigest() != meta["sha256"]
    ]
    assert mismatched == []
    assert set(manifest["urls"].values()) <= set(manifest["files"])


@pytest.mark.parametrize("url", sorted(u for u in supported_urls() if re.search(r"\.css$", u)))
def test_asset_text__stylesheet_refers_to_nothing_external(url):
    css = asset_text(url)
    assert css_file_references(css) == []
    assert 'format("truetype")' not in css and ".eot" not in css


def test_asset_text__time_control_embeds_its_one_glyph_font():
    css = asset_text("https://cdn.jsdelivr.net/npm/leaflet-timedimension@1.1.1/dist/leaflet.timedimension.control.css")
    assert len(re.findall(r"data:font/woff;base64,", css)) == 1


def _walk(element):
    """A folium element and all its descendants (both maps of a DualMap)."""
    yield element
    if isinstance(element, plugins.DualMap):
        yield from _walk(element.m1)
        yield from _walk(element.m2)
    for child in element._children.values():
        yield from _walk(child)


def test_manifest__only_what_the_maps_draw():
    """Every vendored file is linked by an element the maps use, or referred to by such a stylesheet."""
    from missions.analysis import compute_mission
    from missions.dashboard.frames import catalog_missions
    from missions.parsing import load_mission
    from missions.render.map import build_map

    m = build_map(compute_mission(load_mission(catalog_missions()["tu160-2015-11-20"])))
    linked = {
        url
        for element in _walk(m)
        for _, url in [*getattr(element, "default_js", []), *getattr(element, "default_css", [])]
    }
    linked |= {"https://netdna.bootstrapcdn.com/bootstrap/3.0.0/fonts/glyphicons-halflings-regular.woff"}
    assert set(supported_urls()) == {u for u in linked if u.startswith("http")}
    manifest = offline.load_manifest()
    assert len(manifest["files"]) <= 36


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<img src="https://x.org/a.png"><a href="https://x.org/">x</a>', ["https://x.org/a.png"]),
        ("<style>b{background:url( '//cdn.example/b.png' )}</style>", ["//cdn.example/b.png"]),
        ('<link rel="icon" href="http://x.org/f.ico">', ["http://x.org/f.ico"]),
        ('var p = `<div><img src=\\"https://x.org/p.jpg\\"></div>`;', ["https://x.org/p.jpg"]),
        ('<img srcset="https://x.org/1.png 1x, /local.png 2x">', ["https://x.org/1.png"]),
        ('L.icon({"iconUrl": "https://x.org/i.png"})', ["https://x.org/i.png"]),
        ("<style>@import 'https://x.org/s.css';</style>", ["https://x.org/s.css"]),
        ('<img src="data:image/png;base64,AAAA"><script src="local.js"></script>', []),
        ("<p>&lt;img src=https://x.org/escaped.png&gt;</p>", []),
    ],
)
def test_external_urls__finds_resources_not_links(html, expected):
    assert external_urls(html) == expected


def test_asset_data_uri__unknown_url_raises():
    with pytest.raises(OfflineAssetError, match=r"example\.org"):
        asset_data_uri("https://example.org/x.js")


def _check_map_page(page, log) -> dict[str, object]:
    """Wait for the map and its drawn paths; return facts measured in the page."""
    page.wait_for_selector(".leaflet-container", timeout=10_000)
    page.wait_for_selector(".leaflet-overlay-pane svg path.leaflet-interactive", timeout=10_000)
    page.evaluate("document.fonts.ready")
    facts = page.evaluate(
        """() => {
        const play = document.querySelector('.timecontrol-play');
        const faces = [...document.fonts].map(f => [f.family.replace(/"/g, ''), f.weight, f.status]);
        return {
            paths: document.querySelectorAll('.leaflet-overlay-pane svg path').length,
            glyphFamily: play && getComputedStyle(play, '::before').fontFamily,
            glyphLoaded: faces.some(([f, w, s]) => f === 'Glyphicons Halflings' && s === 'loaded'),
            controls: ['.leaflet-control-layers', '.leaflet-control-measure', '.leaflet-control-scale',
                       '.leaflet-control-zoom-fullscreen', '.leaflet-bar-timecontrol'
                       ].filter(s => !document.querySelector(s)),
            textPath: document.querySelectorAll('svg textPath').length,
        };
    }"""
    )
    assert log.aborted == []
    assert log.errors == [], log.failed
    assert facts["paths"] >= 3  # land, route, marker (+ the timed track)
    assert facts["controls"] == []
    assert facts["textPath"] >= 1
    assert "Glyphicons Halflings" in str(facts["glyphFamily"]) and facts["glyphLoaded"]
    return facts


@pytest.mark.browser
def test_inline_assets__map_renders_in_chromium_with_network_blocked(
    browser_page, open_offline, tmp_path, artifacts_dir
):
    page_file = tmp_path / "map.html"
    page_file.write_text(inline_assets(mission_like_map().get_root().render()), encoding="utf-8")

    log = open_offline(browser_page, page_file.as_uri())
    _check_map_page(browser_page, log)

    browser_page.screenshot(path=str(artifacts_dir / "render_offline.png"))
    assert log.errors == [], log.failed


def test_manifest__is_valid_json_with_urls():
    data = json.loads(offline.MANIFEST_PATH.read_text(encoding="utf-8"))
    assert data["folium"] == folium.__version__


@pytest.mark.browser
def test_open_offline__records_and_aborts_every_request_beyond_this_machine(browser_page, open_offline, tmp_path):
    """The offline check of every browser test (``conftest.open_offline``): a request that is not local is
    aborted and recorded (a look-alike host too), a local one is served."""
    (tmp_path / "local.png").write_bytes(
        bytes.fromhex(
            "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
            "1f15c4890000000d49444154789c6360000002000100ff5f8e4d0000000049454e44ae426082"
        )
    )
    page = tmp_path / "page.html"
    page.write_text(
        '<img id="local" src="local.png"><img src="https://tile.example.org/1/2/3.png">'
        '<script src="http://127.0.0.1.example.com/a.js"></script><p>ok</p>',
        encoding="utf-8",
    )
    log = open_offline(browser_page, page.as_uri())
    assert sorted(log.aborted) == ["http://127.0.0.1.example.com/a.js", "https://tile.example.org/1/2/3.png"]
    assert browser_page.evaluate("() => document.getElementById('local').naturalWidth") == 1
