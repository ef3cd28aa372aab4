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

Escaping: every text goes through lxml, which escapes it for XML; descriptions are HTML in Google
Earth's balloons, so their text is HTML-escaped first (a waypoint named ``<img src=x onerror=...>``
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

import numpy as np
import shapely
from lxml import etree

from ..analysis import MissionResult, SortieResult, WeaponTrack
from ..geodesy import split_antimeridian
from ..render.common import SORTIE_COLOURS, WEAPON_COLOUR
from ..units import format_distance, format_duration, iso_utc
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
#: characters XML 1.0 cannot hold at all (C0 controls but tab, newline, return; surrogates; U+FFFE/F)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
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
    text, out, last = str(value), [], 0
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


def _sub(parent: etree._Element, tag: str, text: str | None = None) -> etree._Element:
    el = etree.SubElement(parent, tag)
    if text is not None:
        el.text = xml_text(text)
    return el


def _wrap(lon: np.ndarray) -> np.ndarray:
    return np.where((lon >= -180.0) & (lon <= 180.0), lon, (lon + 180.0) % 360.0 - 180.0)


def _coord_text(lon: np.ndarray, lat: np.ndarray) -> str:
    return " ".join(
        f"{x:.{COORD_DECIMALS}f},{y:.{COORD_DECIMALS}f}" for x, y in zip(lon.tolist(), lat.tolist(), strict=True)
    )


def _line_geometry(parent: etree._Element, line: shapely.LineString) -> None:
    """A ``LineString``, or a ``MultiGeometry`` of them when the line crosses the antimeridian."""
    geom = split_antimeridian(line)
    parts = list(geom.geoms) if isinstance(geom, shapely.MultiLineString) else [geom]
    holder = _sub(parent, _K + "MultiGeometry") if len(parts) > 1 else parent
    for part in parts:
        coords = np.asarray(part.coords, dtype=np.float64)
        ls = _sub(holder, _K + "LineString")
        _sub(ls, _K + "tessellate", "1")
        _sub(ls, _K + "coordinates", _coord_text(coords[:, 0], coords[:, 1]))


def _placemark(
    parent: etree._Element, name: str, description: str | None, style: str, when: str | None = None
) -> etree._Element:
    pm = _sub(parent, _K + "Placemark")
    _sub(pm, _K + "name", name)
    if description:
        _sub(pm, _K + "description", description)
    if when:
        _sub(_sub(pm, _K + "TimeStamp"), _K + "when", when)
    _sub(pm, _K + "styleUrl", f"#{style}")
    return pm


def _point(pm: etree._Element, lat_deg: float, lon_deg: float) -> None:
    lon = float(_wrap(np.array([lon_deg]))[0])
    _sub(_sub(pm, _K + "Point"), _K + "coordinates", f"{lon:.{COORD_DECIMALS}f},{lat_deg:.{COORD_DECIMALS}f}")


def _gx_track(parent: etree._Element, name: str, style: str, timed: TimedLine) -> None:
    """A placemark holding a ``gx:Track``: ``when`` elements, then as many ``gx:coord``."""
    pm = _placemark(parent, name, None, style)
    # thousands of elements of our own numbers and times (nothing from the file): parsed from one
    # string by libxml2, much faster than one SubElement call each
    lon = _wrap(timed.lon_deg)
    whens = "".join(f"<when>{w}</when>" for w in iso_times(timed.time_s))
    coords = "".join(
        f"<gx:coord>{x:.{COORD_DECIMALS}f} {y:.{COORD_DECIMALS}f} 0</gx:coord>"
        for x, y in zip(lon.tolist(), timed.lat_deg.tolist(), strict=True)
    )
    pm.append(
        etree.fromstring(
            f'<gx:Track xmlns="{KML_NS}" xmlns:gx="{GX_NS}"><altitudeMode>clampToGround</altitudeMode>'
            f"{whens}{coords}</gx:Track>"
        )
    )


def _style(doc: etree._Element, style_id: str, colour: str, width: float = 3.0, icon_scale: float = 1.0) -> None:
    st = _sub(doc, _K + "Style")
    st.set("id", style_id)
    icon = _sub(st, _K + "IconStyle")
    _sub(icon, _K + "color", kml_colour(colour))
    _sub(icon, _K + "scale", f"{icon_scale:g}")
    line = _sub(st, _K + "LineStyle")
    _sub(line, _K + "color", kml_colour(colour))
    _sub(line, _K + "width", f"{width:g}")
    poly = _sub(st, _K + "PolyStyle")
    _sub(poly, _K + "fill", "0")


def _kinds(s: SortieResult, i: int) -> list[str]:
    wp = s.sortie.route[i]
    kinds = ["base"] if i in (0, len(s.sortie.route) - 1) else []
    kinds += ["refuel"] * bool(wp.refuels) + ["launch"] * bool(wp.launches)
    return kinds or ["waypoint"]


def _sortie_folder(doc: etree._Element, s: SortieResult, style: str, units: str) -> None:
    sortie = s.sortie
    folder = _sub(doc, _K + "Folder")
    _sub(folder, _K + "name", sortie.name)
    _sub(folder, _K + "description", _description([
        ("Aircraft", f"{sortie.count} × {sortie.aircraft}"), ("Takeoff", iso_utc(s.takeoff_time)),
        ("Landing", iso_utc(s.landing_time)), ("Distance", format_distance(s.distance_m, units)),
        ("Duration", format_duration(s.duration_s)), ("Source", sortie.source)]))  # fmt: skip
    pm = _placemark(folder, f"{sortie.name} route", None, style)
    _line_geometry(pm, s.line)
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
        desc = _description([
            ("Kind", ", ".join(kind)), ("Sortie", sortie.name), ("Time (UTC)", times),
            ("Leg", format_distance(leg.distance_m, units) if leg else ""),
            ("Cumulative", format_distance(leg.cumulative_m, units) if leg else ""),
            ("Events", "; ".join(events)), ("Written", wp.point.label), ("Note", wp.note),
            ("Source", wp.point.source)])  # fmt: skip
        marker = _placemark(folder, wp.point.name, desc, f"mk-{kind[-1]}", arrivals[i])
        _point(marker, wp.point.lat_deg, wp.point.lon_deg)
    _gx_track(folder, f"{sortie.name} (time slider)", style, sortie_timed_line(s))


def _weapon_folder(doc: etree._Element, weapons: Sequence[WeaponTrack], units: str) -> None:
    folder = _sub(doc, _K + "Folder")
    _sub(folder, _K + "name", "Weapons")
    for t in weapons:
        label = f"{t.weapon} → {t.target.name}"
        desc = _description([
            ("Weapon", f"{t.count} × {t.weapon}"), ("Launcher", t.launcher), ("From", t.origin.name),
            ("Target", t.target.name), ("Launch (UTC)", iso_utc(t.launch_time)),
            ("Impact (UTC)", iso_utc(t.impact_time)), ("Distance", format_distance(t.distance_m, units)),
            ("Time of flight", format_duration(t.time_of_flight_s)), ("Source", t.launch.source)])  # fmt: skip
        pm = _placemark(folder, label, desc, "weapon")
        _line_geometry(pm, t.line)
        target = _placemark(folder, t.target.name, desc, "mk-target", iso_utc_s(t.impact_time))
        _point(target, t.target.lat_deg, t.target.lon_deg)
        _gx_track(folder, f"{label} (time slider)", "weapon", weapon_timed_line(t))


def _rings_folder(doc: etree._Element, rings: Sequence[RangeRing], units: str) -> None:
    folder = _sub(doc, _K + "Folder")
    _sub(folder, _K + "name", "Range rings")
    for ring in rings:
        desc = _description([("Radius", f"{format_distance(ring.radius_m, units)} (geodesic)"),
                             ("Around", ring.centre_name), ("Source", ring.source)])  # fmt: skip
        pm = _placemark(folder, ring.label, desc, "ring")
        _line_geometry(pm, shapely.LineString(ring.polygon.exterior.coords))


def _observed_folder(doc: etree._Element, observed: Sequence[ObservedLine]) -> None:
    folder = _sub(doc, _K + "Folder")
    _sub(folder, _K + "name", "Observed tracks")
    for track in observed:
        sub = _sub(folder, _K + "Folder")
        _sub(sub, _K + "name", track.name)
        if track.description:
            _sub(sub, _K + "description", _description([("Observed", track.description)]))
        for k, part in enumerate(track.parts):
            if part.lat_deg.size >= 2:
                pm = _placemark(sub, f"{track.name} part {k + 1}", None, "observed")
                _line_geometry(pm, shapely.LineString(np.column_stack([part.lon_deg, part.lat_deg])))
        joined = TimedLine(
            lat_deg=np.concatenate([p.lat_deg for p in track.parts]),
            lon_deg=np.concatenate([p.lon_deg for p in track.parts]),
            time_s=np.concatenate([p.time_s for p in track.parts]),
        )
        if joined.lat_deg.size:
            _gx_track(sub, f"{track.name} (time slider)", "observed", joined)


def mission_kml_tree(
    result: MissionResult, *, units: str = "km", rings: bool = False, observed: Sequence[ObservedLine] = ()
) -> etree._ElementTree:
    """The KML document of a computed mission (see the module for its layout)."""
    mission = result.mission
    root = etree.Element(_K + "kml", nsmap={None: KML_NS, "gx": GX_NS})
    doc = _sub(root, _K + "Document")
    _sub(doc, _K + "name", mission.name)
    _sub(doc, _K + "open", "1")
    _sub(doc, _K + "description", _description([
        ("Date", mission.date), ("Description", mission.description),
        ("Sources", "; ".join(str(s) for s in mission.sources)),
        ("Distance", format_distance(result.distance_m, units))]))  # fmt: skip
    styles = [f"sortie-{i % len(SORTIE_COLOURS)}" for i in range(len(result.sorties))]
    for k, colour in enumerate(SORTIE_COLOURS):
        _style(doc, f"sortie-{k}", colour)
    _style(doc, "weapon", WEAPON_COLOUR, width=2.0)
    _style(doc, "ring", "#7b2cbf", width=1.5)
    _style(doc, "observed", OBSERVED_COLOUR, width=2.0)
    for kind, colour in _MARKER_COLOURS.items():
        _style(doc, f"mk-{kind}", colour, icon_scale=1.1 if kind == "base" else 0.8)
    _style(doc, "mk-target", WEAPON_COLOUR, icon_scale=1.0)
    for s, style in zip(result.sorties, styles, strict=True):
        _sortie_folder(doc, s, style, units)
    if result.weapons:
        _weapon_folder(doc, result.weapons, units)
    if rings:
        found = range_rings(result)
        if found:
            _rings_folder(doc, found, units)
    if observed:
        _observed_folder(doc, observed)
    return etree.ElementTree(root)


def mission_kml(
    result: MissionResult, *, units: str = "km", rings: bool = False, observed: Sequence[ObservedLine] = ()
) -> bytes:
    """The mission as a KML file (UTF-8 bytes with an XML declaration)."""
    tree = mission_kml_tree(result, units=units, rings=rings, observed=observed)
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def mission_kmz(
    result: MissionResult, *, units: str = "km", rings: bool = False, observed: Sequence[ObservedLine] = ()
) -> bytes:
    """The mission as KMZ: a zip whose first entry is ``doc.kml`` (what Google Earth opens)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("doc.kml", mission_kml(result, units=units, rings=rings, observed=observed))
    return out.getvalue()
