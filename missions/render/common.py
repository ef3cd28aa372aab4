"""Shared by the map modules: constants, colours, and the escaping of every mission string."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from typing import Protocol

#: coordinates are rounded to this many decimals of a degree (1e-5° ≈ 1.1 m)
COORD_DECIMALS = 5
#: sortie colours, in order (dark enough for land and sea; red is kept for weapons)
SORTIE_COLOURS = ("#1f4e9c", "#1b9e77", "#7b3294", "#e08214", "#008b8b", "#8c510a", "#c51b7d", "#4d4d4d")
WEAPON_COLOUR = "#d7191c"
REFUEL_COLOUR = "#0096c7"
#: findings (range shortfalls, airspace to avoid), launch baskets and remaining-range rings
FINDING_COLOUR = "#7b2cbf"
#: countries overflown, shaded on their own layer
OVERFLIGHT_COLOUR = "#e09f3e"
#: the choices of ``build_map(tiles=...)``: the embedded basemap, or an online tile layer
TILES = ("offline", "osm", "esri", "carto")
_TILE_PROVIDERS = {
    "osm": ("OpenStreetMap", "OpenStreetMap.Mapnik"),
    "esri": ("Esri World Imagery", "Esri.WorldImagery"),
    "carto": ("CartoDB Positron", "CartoDB.Positron"),
}
#: candidate clock steps of the time slider (s); the first giving at most _MAX_STEPS steps is used
_CLOCK_STEPS_S = (60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400)
_MAX_STEPS = 400
#: decimals of the embedded basemap's coordinates (geodata/countries_basemap.geojson)
_BASEMAP_DECIMALS = 3
#: up to this many sorties, each has its layer; beyond, one layer per aircraft type
MAX_SORTIE_LAYERS = 40
#: with more lines and waypoints than this, the mission is drawn on a canvas, without arrows
_SVG_MAX_FEATURES = 3000
#: sorties listed by name in the legend (the layer control lists them all)
_LEGEND_SORTIES = 12
#: vertices per range ring
_RING_VERTICES = 180
#: Mercator cannot draw the poles: ring latitudes are clamped to this (deg)
_MAX_DRAW_LAT_DEG = 85.0
_URL = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
_TRAILING_PUNCTUATION = ".,;:!?)]}"
_BRACES = str.maketrans({"{": "&#123;", "}": "&#125;"})
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


# ---------------------------------------------------------------------------------------------
# Text: escaping and formatting (every string from a mission file goes through _text/_linkified)
# ---------------------------------------------------------------------------------------------


def _text(value: object) -> str:
    """Untrusted text made safe to insert as HTML: ``<``, ``>``, ``&``, quotes, and braces escaped.

    Braces become ``&#123;``/``&#125;`` because folium (branca) parses each element's rendered
    script again as a Jinja template: a name holding ``{{ ... }}`` must never reach Jinja.
    """
    return html.escape(str(value), quote=True).translate(_BRACES)


def _linkified(value: str) -> str:
    """Escaped text in which http(s) addresses become links (nothing else does: no ``javascript:``)."""
    out, last = [], 0
    for match in _URL.finditer(value):
        url = match.group(0).rstrip(_TRAILING_PUNCTUATION)
        end = match.start() + len(url)
        out.append(_text(value[last : match.start()]))
        out.append(f'<a href="{_text(url)}" target="_blank" rel="noopener noreferrer">{_text(url)}</a>')
        last = end
    out.append(_text(value[last:]))
    return "".join(out)


class _Cited(Protocol):
    """A source of the mission file or of the performance catalogue (read-only attributes)."""

    @property
    def title(self) -> str: ...

    @property
    def url(self) -> str | None: ...


def _source_html(source: _Cited) -> str:
    """The title, linked to the address if that is http(s); any other address shown as text."""
    url = (source.url or "").strip()
    if url and _URL.fullmatch(url):
        return f'<a href="{_text(url)}" target="_blank" rel="noopener noreferrer">{_text(source.title or url)}</a>'
    return _text(source.title) + (f" &lt;{_text(url)}&gt;" if url else "")


def _rows(rows: Iterable[tuple[str, str]]) -> str:
    """Table rows from (label, HTML) pairs; labels are ours, values already escaped."""
    return "".join(f"<tr><th>{label}</th><td>{value}</td></tr>" for label, value in rows if value)


def _popup(title: str, subtitle: str, rows: Iterable[tuple[str, str]]) -> str:
    sub = f'<div class="msn-sub">{subtitle}</div>' if subtitle else ""
    return f'<div class="msn-pop"><b>{title}</b>{sub}<table>{_rows(rows)}</table></div>'


# ---------------------------------------------------------------------------------------------
# Geometry helpers
# ---------------------------------------------------------------------------------------------
