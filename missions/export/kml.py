"""A computed mission as KML 2.2 for Google Earth (``.kml``), or zipped (``.kmz``).

Layout (``Document``):

- one ``Folder`` per sortie: the route as a styled ``LineString`` (the core's densified geodesic,
  the vertices the map draws; cut at the antimeridian into a ``MultiGeometry``), placemarks for its
  bases, waypoints, refuellings and launch points with a description (UTC time, leg and cumulative
  distance, source), and the sortie again as a ``gx:Track`` with a time at every vertex so that
  Google Earth's time slider plays it (:mod:`missions.export.timed`);
- a ``Weapons`` folder: each weapon track as a line, its target as a placemark, and its flight as a
  ``gx:Track``;
- ``Range rings`` (if asked): geodesic rings, as the map draws them (:mod:`missions.export.rings`);
- ``Observed tracks``: observed positions (:mod:`missions.tracks`) as a ``gx:Track`` and a line per
  stretch without a coverage gap.

The document is written as one string. Escaping: every text from the mission goes through ``_esc``
(characters XML cannot hold become U+FFFD, then ``&``, ``<``, ``>`` are escaped); descriptions are
HTML in Google Earth's balloons, so their text is HTML-escaped first (a waypoint named ``<img src=x onerror=...>``
shows that text). Only http(s) sources become links. Icons carry no ``href``: Google Earth draws its
built-in pushpin, tinted, and the file makes no network request. Coordinates have 6 decimals
(≈0.1 m); longitudes are in [-180, 180].
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape as xml_escape

import numpy as np
import shapely

from ..analysis import MissionResult, SortieResult, WeaponTrack
from ..geodesy import split_antimeridian
from ..render.common import SORTIE_COLOURS, WEAPON_COLOUR
from ..units import UNKNOWN_TEXT, Units, format_distance, format_duration, iso_utc
from .rings import RangeRing, range_rings
from .timed import TimedLine, iso_times, iso_utc_s, sortie_timed_line, weapon_timed_line

KML_NS = "http://www.opengis.net/kml/2.2"
GX_NS = "http://www.google.com/kml/ext/2.2"
_K = f"{{{KML_NS}}}"
_GX = f"{{{GX_NS}}}"
#: decimals of a degree in coordinates (1e-6° ≈ 0.11 m)
COORD_DECIMALS = 6
OBSERVED_COLOUR = "#000000"
_MARKER_COLOURS = {"base": "#1f4e9c", "waypoint": "#4d4d4d", "refuel": "#0096c7", "launch": "#d7191c"}
_URL = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
#: text with none of these is the same escaped for HTML and holds no link
_HTML_SPECIAL = re.compile(r"[&<>\"']|https?://", re.IGNORECASE)
#: characters XML 1.0 cannot hold at all (C0 controls but tab, newline, return; surrogates; U+FFFE/F)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True, kw_only=True)
class ObservedLine:
    """An observed track to export beside the mission: a name and timed positions, split at gaps."""

    name: str
    description: str
    parts: tuple[TimedLine, ...]  #: stretches without a coverage gap, in time order


def kml_colour(hex_rgb: str, alpha: int = 255) -> str:
    """KML's ``aabbggrr`` from ``#rrggbb``.

    >>> kml_colour("#1f4e9c")
    'ff9c4e1f'
    """
    r, g, b = hex_rgb[1:3], hex_rgb[3:5], hex_rgb[5:7]
    return f"{alpha:02x}{b}{g}{r}".lower()


def _html_text(value: object) -> str:
    """Text for an HTML balloon: escaped, and http(s) addresses made links (nothing else)."""
    text = str(value)
    if not _HTML_SPECIAL.search(text):
        return text
    out, last = [], 0
    for match in _URL.finditer(text):
        url = match.group(0).rstrip(".,;:!?)]}")
        out.append(html.escape(text[last : match.start()]))
        out.append(f'<a href="{html.escape(url)}">{html.escape(url)}</a>')
        last = match.start() + len(url)
    out.append(html.escape(text[last:]))
    return "".join(out)


def _description(rows: Iterable[tuple[str, str]]) -> str:
    """An HTML table of (label, text) rows; labels are ours, texts escaped here."""
    body = "".join(f"<tr><th>{label}</th><td>{_html_text(value)}</td></tr>" for label, value in rows if value)
    return f"<table>{body}</table>"


def xml_text(value: str) -> str:
    """Text XML 1.0 can hold: characters it forbids (e.g. a control character in a YAML string
    written ``"\\x01"``) become U+FFFD; lxml escapes the rest (``<``, ``&``, ``]]>``)."""
    return _NOT_XML.sub("\ufffd", value)


def _esc(value: str) -> str:
    """Text as XML element content: forbidden characters replaced, ``&``, ``<``, ``>`` escaped."""
    return xml_escape(xml_text(value))


def _el(tag: str, text: str) -> str:
    return f"<{tag}>{_esc(text)}</{tag}>"


def _wrap(lon: np.ndarray) -> np.ndarray:
    return np.where((lon >= -180.0) & (lon <= 180.0), lon, (lon + 180.0) % 360.0 - 180.0)


def _format_pairs(lon: np.ndarray, lat: np.ndarray, pattern: str, sep: str) -> str:
    """Every (lon, lat) through ``pattern`` (two ``%.6f``), joined by ``sep``: one C-level format."""
    pairs = np.column_stack([lon, lat]).ravel().tolist()
    return sep.join([pattern] * lon.size) % tuple(pairs)


def _coord_text(lon: np.ndarray, lat: np.ndarray) -> str:
    return _format_pairs(lon, lat, f"%.{COORD_DECIMALS}f,%.{COORD_DECIMALS}f", " ")


def _line_geometry(line: shapely.LineString) -> str:
    """A ``LineString``, or a ``MultiGeometry`` of them when the line crosses the antimeridian."""
    coords = np.asarray(line.coords, dtype=np.float64)
    if coords.size and np.all((coords[:, 0] >= -180.0) & (coords[:, 0] <= 180.0)):
        parts = [coords]  # inside [-180, 180]: nothing to cut
    else:
        geom = split_antimeridian(line)
        pieces = list(geom.geoms) if isinstance(geom, shapely.MultiLineString) else [geom]
        parts = [np.asarray(part.coords, dtype=np.float64) for part in pieces]
    lines = "".join(
        f"<LineString><tessellate>1</tessellate><coordinates>{_coord_text(c[:, 0], c[:, 1])}</coordinates></LineString>"
        for c in parts
    )
    return f"<MultiGeometry>{lines}</MultiGeometry>" if len(parts) > 1 else lines


def _placemark(name: str, description: str | None, style: str, when: str | None = None, body: str = "") -> str:
    """A placemark: ``description`` is HTML (XML-escaped here), ``body`` our own XML (its geometry)."""
    desc = _el("description", description) if description else ""
    stamp = f"<TimeStamp><when>{when}</when></TimeStamp>" if when else ""
    return f"<Placemark>{_el('name', name)}{desc}{stamp}<styleUrl>#{style}</styleUrl>{body}</Placemark>\n"


def _point(lat_deg: float, lon_deg: float) -> str:
    lon = lon_deg if -180.0 <= lon_deg <= 180.0 else (lon_deg + 180.0) % 360.0 - 180.0
    return f"<Point><coordinates>{lon:.{COORD_DECIMALS}f},{lat_deg:.{COORD_DECIMALS}f}</coordinates></Point>"


def _gx_track(name: str, style: str, timed: TimedLine) -> str:
    """A placemark holding a ``gx:Track``: ``when`` elements, then as many ``gx:coord``."""
    whens = "<when>" + "</when><when>".join(iso_times(timed.time_s)) + "</when>"
    pattern = f"<gx:coord>%.{COORD_DECIMALS}f %.{COORD_DECIMALS}f 0</gx:coord>"
    coords = _format_pairs(_wrap(timed.lon_deg), timed.lat_deg, pattern, "")
    track = f"<gx:Track><altitudeMode>clampToGround</altitudeMode>{whens}{coords}</gx:Track>"
    return _placemark(name, None, style, body=track)


def _style(style_id: str, colour: str, width: float = 3.0, icon_scale: float = 1.0) -> str:
    c = kml_colour(colour)
    return (
        f'<Style id="{style_id}"><IconStyle><color>{c}</color><scale>{icon_scale:g}</scale></IconStyle>'
        f"<LineStyle><color>{c}</color><width>{width:g}</width></LineStyle><PolyStyle><fill>0</fill></PolyStyle></Style>\n"
    )


def _folder(name: str, description: str | None, body: Iterable[str]) -> str:
    desc = _el("description", description) if description else ""
    return f"<Folder>{_el('name', name)}{desc}\n{''.join(body)}</Folder>\n"


def _kinds(s: SortieResult, i: int) -> list[str]:
    wp = s.sortie.route[i]
    kinds = ["base"] if i in (0, len(s.sortie.route) - 1) else []
    kinds += ["refuel"] * bool(wp.refuels) + ["launch"] * bool(wp.launches)
    return kinds or ["waypoint"]


def _sortie_folder(s: SortieResult, style: str, units: Units) -> str:
    sortie = s.sortie
    desc = _description([
        ("Aircraft", f"{sortie.count} × {sortie.aircraft}"), ("Takeoff", iso_utc(s.takeoff_time)),
        ("Landing", iso_utc(s.landing_time)), ("Distance", format_distance(s.distance_m, units)),
        ("Duration", format_duration(s.duration_s)), ("Source", sortie.source)])  # fmt: skip
    body = [_placemark(f"{sortie.name} route", None, style, body=_line_geometry(s.line))]
    arrivals = iso_times(np.array([t.timestamp() for t in s.arrival_times]))
    for i, wp in enumerate(sortie.route):
        leg = s.legs[i - 1] if i else None
        kind = _kinds(s, i)
        events = (
            [f"refuel from {r.tanker}" for r in wp.refuels]
            + ["hold"] * len(wp.holds)
            + [f"join {j.sortie}" for j in wp.joins]
            + [f"launch {ln.count} × {ln.weapon}" for ln in wp.launches]
        )
        times = iso_utc(s.arrival_times[i])
        if s.departure_times[i] != s.arrival_times[i]:
            times += f" – {iso_utc(s.departure_times[i])}"
        wp_desc = _description([
            ("Kind", ", ".join(kind)), ("Sortie", sortie.name), ("Time (UTC)", times),
            ("Leg", format_distance(leg.distance_m, units) if leg else ""),
            ("Cumulative", format_distance(leg.cumulative_m, units) if leg else ""),
            ("Events", "; ".join(events)), ("Written", wp.point.label), ("Note", wp.note),
            ("Source", wp.point.source)])  # fmt: skip
        point = _point(wp.point.lat_deg, wp.point.lon_deg)
        body.append(_placemark(wp.point.name, wp_desc, f"mk-{kind[-1]}", arrivals[i], point))
    body.append(_gx_track(f"{sortie.name} (time slider)", style, sortie_timed_line(s)))
    return _folder(sortie.name, desc, body)


def _weapon_folder(weapons: Sequence[WeaponTrack], units: Units) -> str:
    body = []
    for t in weapons:
        label = f"{t.weapon} → {t.target.name}"
        impact_utc = UNKNOWN_TEXT if t.impact_time is None else iso_utc(t.impact_time)  # untimed: no known speed
        desc = _description([
            ("Weapon", f"{t.count} × {t.weapon}"), ("Launcher", t.launcher), ("From", t.origin.name),
            ("Target", t.target.name), ("Launch (UTC)", iso_utc(t.launch_time)),
            ("Impact (UTC)", impact_utc), ("Distance", format_distance(t.distance_m, units)),
            ("Time of flight", format_duration(t.time_of_flight_s)), ("Source", t.launch.source)])  # fmt: skip
        body.append(_placemark(label, desc, "weapon", body=_line_geometry(t.line)))
        target = _point(t.target.lat_deg, t.target.lon_deg)
        impact = None if t.impact_time is None else iso_utc_s(t.impact_time)
        body.append(_placemark(t.target.name, desc, "mk-target", impact, target))
        if (timed := weapon_timed_line(t)) is not None:  # an untimed weapon: the line only, no time slider
            body.append(_gx_track(f"{label} (time slider)", "weapon", timed))
    return _folder("Weapons", None, body)


def _rings_folder(rings: Sequence[RangeRing], units: Units) -> str:
    body = []
    for ring in rings:
        desc = _description([("Radius", f"{format_distance(ring.radius_m, units)} (geodesic)"),
                             ("Around", ring.centre_name), ("Source", ring.source)])  # fmt: skip
        body.append(
            _placemark(ring.label, desc, "ring", body=_line_geometry(shapely.LineString(ring.polygon.exterior.coords)))
        )
    return _folder("Range rings", None, body)


def _observed_folder(observed: Sequence[ObservedLine]) -> str:
    tracks = []
    for track in observed:
        body = [
            _placemark(f"{track.name} part {k + 1}", None, "observed",
                       body=_line_geometry(shapely.LineString(np.column_stack([part.lon_deg, part.lat_deg]))))
            for k, part in enumerate(track.parts) if part.lat_deg.size >= 2
        ]  # fmt: skip
        joined = TimedLine(
            lat_deg=np.concatenate([p.lat_deg for p in track.parts]),
            lon_deg=np.concatenate([p.lon_deg for p in track.parts]),
            time_s=np.concatenate([p.time_s for p in track.parts]),
        )
        if joined.lat_deg.size:
            body.append(_gx_track(f"{track.name} (time slider)", "observed", joined))
        desc = _description([("Observed", track.description)]) if track.description else None
        tracks.append(_folder(track.name, desc, body))
    return _folder("Observed tracks", None, tracks)


def mission_kml_text(
    result: MissionResult, *, units: Units = "km", rings: bool = False, observed: Sequence[ObservedLine] = ()
) -> str:
    """The KML document of a computed mission as text (see the module for its layout).

    Written as one string, every text from the mission through :func:`_esc` (XML) and descriptions
    through :func:`_description` (HTML) first: far faster than an element per value. The tests parse
    it and validate it against the KML 2.2 schema."""
    mission = result.mission
    desc = _description([
        ("Date", mission.date), ("Description", mission.description),
        ("Sources", "; ".join(str(s) for s in mission.sources)),
        ("Distance", format_distance(result.distance_m, units))])  # fmt: skip
    parts = [f"<Document>{_el('name', mission.name)}<open>1</open>{_el('description', desc)}\n"]
    parts += [_style(f"sortie-{k}", colour) for k, colour in enumerate(SORTIE_COLOURS)]
    parts += [_style("weapon", WEAPON_COLOUR, width=2.0), _style("ring", "#7b2cbf", width=1.5),
              _style("observed", OBSERVED_COLOUR, width=2.0)]  # fmt: skip
    parts += [_style(f"mk-{kind}", c, icon_scale=1.1 if kind == "base" else 0.8) for kind, c in _MARKER_COLOURS.items()]
    parts.append(_style("mk-target", WEAPON_COLOUR, icon_scale=1.0))
    parts += [_sortie_folder(s, f"sortie-{i % len(SORTIE_COLOURS)}", units) for i, s in enumerate(result.sorties)]
    if result.weapons:
        parts.append(_weapon_folder(result.weapons, units))
    found = range_rings(result) if rings else []
    if found:
        parts.append(_rings_folder(found, units))
    if observed:
        parts.append(_observed_folder(observed))
    parts.append("</Document>")
    return f'<kml xmlns="{KML_NS}" xmlns:gx="{GX_NS}">\n' + "".join(parts) + "</kml>\n"


def mission_kml(
    result: MissionResult, *, units: Units = "km", rings: bool = False, observed: Sequence[ObservedLine] = ()
) -> bytes:
    """The mission as a KML file (UTF-8 bytes with an XML declaration)."""
    text = mission_kml_text(result, units=units, rings=rings, observed=observed)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + text.encode("utf-8")


def mission_kmz(
    result: MissionResult, *, units: Units = "km", rings: bool = False, observed: Sequence[ObservedLine] = ()
) -> bytes:
    """The mission as KMZ: a zip whose first entry is ``doc.kml`` (what Google Earth opens)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("doc.kml", mission_kml(result, units=units, rings=rings, observed=observed))
    return out.getvalue()
