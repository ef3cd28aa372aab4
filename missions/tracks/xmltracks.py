"""Tracks from GPX and KML/KMZ, read element by element (lxml ``iterparse``: bounded memory).

- **GPX** 1.0/1.1: track points (``trkpt``), else route points (``rtept``), else waypoints
  (``wpt``), each with ``time`` (points without one are dropped and counted), ``ele`` in metres;
  the track's or route's ``name`` is its callsign. GPX times are UTC by the specification ("Date
  and time are in Universal Coordinated Time (UTC), not local time"), so a time written without a
  zone is read as UTC (gpxpy reads it as a naive datetime; we do not drop it).
- **KML/KMZ** (a KMZ's first ``.kml`` entry): ``gx:Track`` (``when`` and ``gx:coord`` pairs, also
  inside ``gx:MultiTrack``), ``Point`` placemarks with a ``TimeStamp`` (FlightRadar24's KML), and
  ``LineString`` placemarks with a ``TimeSpan`` (vertex times spread by geodesic distance between
  ``begin`` and ``end``) or a ``TimeStamp`` (the time of its first vertex; the vertices up to the
  next stamped line are spread by distance). Untimed geometry is skipped and counted. KML
  altitudes are metres; the placemark's ``name`` is its callsign. KML's times are ``Z`` or
  ``±hh:mm`` (its reference lists no zoneless date-time), so a zoneless KML time is ambiguous: the
  position is dropped and named (``has no time zone``).

A malformed element (a latitude that is not a number, a time that is not ISO 8601) is dropped and
named with its line; a file that is not XML is one error naming the line.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from typing import IO

import numpy as np
import pandas as pd
from lxml import etree

from .. import geodesy
from ..units import format_count
from .model import MAX_PROBLEMS, Track, TrackError, TrackFilter, TrackFormat, make_track

KML_NS = "http://www.opengis.net/kml/2.2"
GX_NS = "http://www.google.com/kml/ext/2.2"
#: uncompressed size above which a KMZ entry is refused (a zip bomb, or a file to split)
MAX_KMZ_ENTRY_BYTES = 2 << 30


def _line(el: etree._Element) -> int | None:
    """The element's line in the file (None when lxml does not know it)."""
    line = el.sourceline
    return line if isinstance(line, int) else None


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


class _Collector:
    """Rows of positions as they are found, and the problems, each with its line."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.time: list[float] = []
        self.lat: list[float] = []
        self.lon: list[float] = []
        self.alt: list[float] = []
        self.name: list[str] = []
        self.dropped = 0
        self.problems: list[str] = []

    def problem(self, line: int | None, what: str) -> None:
        self.dropped += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(f"{self.file}:{line}: {what}")

    def add(self, time_s: float, lat: float, lon: float, alt: float, name: str) -> None:
        self.time.append(time_s)
        self.lat.append(lat)
        self.lon.append(lon)
        self.alt.append(alt)
        self.name.append(name)


def _timestamp(text: str | None) -> pd.Timestamp | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        when = pd.Timestamp(text)
    except (ValueError, OverflowError):
        return None
    return None if when is pd.NaT else when


def _time_s(text: str | None, *, zoneless_utc: bool = False) -> float | None:
    """Seconds since the epoch of an ISO 8601 time; None if unreadable, or zoneless unless
    ``zoneless_utc`` (GPX, whose times are UTC by its specification)."""
    when = _timestamp(text)
    if when is None:
        return None
    if when.tzinfo is None:
        if not zoneless_utc:
            return None
        when = when.tz_localize("UTC")
    return float(when.timestamp())


def _time_fault(what: str, text: str | None) -> str:
    """Why ``what``'s time ``text`` gave no time (for a zone-aware reader: KML)."""
    text = (text or "").strip()
    if not text:
        return f"{what} has no time"
    when = _timestamp(text)
    if when is not None and when.tzinfo is None:
        return f"{what} time {text[:40]!r} has no time zone (KML times need Z or ±hh:mm; add Z for UTC)"
    return f"{what} time {text[:40]!r} is not an ISO 8601 time"


def _float(text: str | None) -> float | None:
    try:
        value = float((text or "").strip())
    except ValueError:
        return None
    return value if np.isfinite(value) else None


def _iterparse(stream: IO[bytes], file: str, tags: tuple[str, ...]) -> Iterator[etree._Element]:
    try:
        for _, el in etree.iterparse(stream, events=("end",), tag=tags, huge_tree=False, resolve_entities=False):
            yield el
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno else None
        what = re.sub(r", line \d+, column \d+$", "", exc.msg)  # the line is the error's own
        raise TrackError(f"not well-formed XML: {what}", file=file, line=line) from None


# ---------------------------------------------------------------------------------------------
# GPX
# ---------------------------------------------------------------------------------------------


def parse_gpx_track(stream: IO[bytes], *, file: str, filter: TrackFilter | None = None) -> Track:
    """Track points (else route points, else waypoints) of a GPX file, with their times."""
    kinds: dict[str, _Collector] = {k: _Collector(file) for k in ("trkpt", "rtept", "wpt")}
    names = {"trk": "", "rte": ""}
    tags = tuple(f"{{{ns}}}{t}" for ns in ("http://www.topografix.com/GPX/1/1", "http://www.topografix.com/GPX/1/0")
                 for t in ("trkpt", "rtept", "wpt", "name"))  # fmt: skip
    root_seen = False
    for el in _iterparse(stream, file, tags):
        tag = _local(el.tag)
        parent = el.getparent()
        if not root_seen:
            root = el.getroottree().getroot()
            if _local(root.tag) != "gpx":
                raise TrackError(f"not a GPX file: the root element is <{_local(root.tag)}>", file=file)
            root_seen = True
        if tag == "name":
            if parent is not None and _local(parent.tag) in names:
                names[_local(parent.tag)] = (el.text or "").strip()
            continue
        out = kinds[tag]
        lat, lon = _float(el.get("lat")), _float(el.get("lon"))
        when_el = next((c for c in el if _local(c.tag) == "time"), None)
        ele_el = next((c for c in el if _local(c.tag) == "ele"), None)
        text = (when_el.text or "").strip() if when_el is not None else ""
        time_s = _time_s(text, zoneless_utc=True)  # GPX times are UTC, zone written or not
        if lat is None or lon is None or abs(lat) > 90 or abs(lon) > 180:
            out.problem(_line(el), f"<{tag}> lat={el.get('lat')!r} lon={el.get('lon')!r} is not a position")
        elif time_s is None:
            out.problem(
                _line(el),
                f"<{tag}> time {text[:40]!r} is not an ISO 8601 time" if text else f"<{tag}> has no time",
            )
        else:
            ele = _float(ele_el.text) if ele_el is not None else None
            out.add(time_s, lat, lon, np.nan if ele is None else ele, names["trk" if tag == "trkpt" else "rte"])
        el.clear(keep_tail=True)
    if not root_seen:
        raise TrackError("not a GPX file with points (no <trkpt>, <rtept> or <wpt>)", file=file)
    chosen = next((kinds[k] for k in ("trkpt", "rtept", "wpt") if kinds[k].time), kinds["trkpt"])
    other = next((c for c in kinds.values() if c.problems), chosen)
    return _track(chosen, TrackFormat.GPX, file, filter, other)


# ---------------------------------------------------------------------------------------------
# KML / KMZ
# ---------------------------------------------------------------------------------------------


def _coords(text: str | None, sep: str | None) -> np.ndarray | None:
    """(n, 3) lon, lat, alt from KML ``coordinates`` (``sep=None``) or one ``gx:coord`` (``sep=' '``)."""
    tuples = (text or "").split() if sep is None else [",".join((text or "").split())]
    try:
        rows = [[float(v) for v in t.split(",")] + [np.nan] * (3 - len(t.split(","))) for t in tuples]
    except ValueError:
        return None
    arr = np.array(rows, dtype=np.float64).reshape(-1, 3) if rows else np.zeros((0, 3))
    if arr.size and (
        np.any(np.abs(arr[:, 1]) > 90) or np.any(np.abs(arr[:, 0]) > 180) or not np.all(np.isfinite(arr[:, :2]))
    ):
        return None
    return arr


def _spread(start_s: float, end_s: float, lonlat: np.ndarray) -> np.ndarray:
    """Times from ``start_s`` to ``end_s`` spread along the vertices by geodesic distance."""
    along = np.concatenate(([0.0], np.cumsum(geodesy.leg_distances_m(lonlat[:, 1], lonlat[:, 0]))))
    return start_s + (end_s - start_s) * (along / along[-1] if along[-1] > 0 else np.zeros_like(along))


def _placemark(pm: etree._Element, out: _Collector, pending: list[tuple[float, np.ndarray, str, int]]) -> None:
    name = (pm.findtext(f"{{{KML_NS}}}name") or "").strip()
    texts = {
        "TimeStamp": pm.findtext(f"{{{KML_NS}}}TimeStamp/{{{KML_NS}}}when"),
        "TimeSpan begin": pm.findtext(f"{{{KML_NS}}}TimeSpan/{{{KML_NS}}}begin"),
        "TimeSpan end": pm.findtext(f"{{{KML_NS}}}TimeSpan/{{{KML_NS}}}end"),
    }
    times = {k: _time_s(t) for k, t in texts.items()}
    stamp, begin, end = times.values()
    # a time written but unreadable (zoneless, not ISO 8601) is named, rather than called no time
    bad = next((_time_fault(f"its <{k}>", t) for k, t in texts.items() if (t or "").strip() and times[k] is None), "")
    untimed = f": {bad}" if bad else " has no time"
    for track in pm.iter(f"{{{GX_NS}}}Track"):
        whens = [w for w in track if _local(w.tag) == "when"]
        coords = [c for c in track if _local(c.tag) == "coord" and str(c.tag).startswith(f"{{{GX_NS}}}")]
        if len(whens) != len(coords):
            out.problem(_line(track), f"gx:Track has {len(whens)} <when> but {len(coords)} <gx:coord>")
        for w, c in zip(whens, coords, strict=False):
            t, xyz = _time_s(w.text), _coords(c.text, " ")
            if t is None:
                out.problem(_line(w), _time_fault("<when>", w.text))
            elif xyz is None or len(xyz) != 1:
                out.problem(_line(c), f"<gx:coord> {(c.text or '').strip()[:40]!r} is not 'lon lat [alt]'")
            else:
                out.add(t, xyz[0, 1], xyz[0, 0], xyz[0, 2], name)
    for geom_tag in ("Point", "LineString"):
        for geom in pm.iter(f"{{{KML_NS}}}{geom_tag}"):
            xyz = _coords(geom.findtext(f"{{{KML_NS}}}coordinates"), None)
            if xyz is None:
                out.problem(_line(geom), f"<{geom_tag}> coordinates are not 'lon,lat[,alt]' tuples in range")
                continue
            if len(xyz) == 0:
                continue
            if geom_tag == "Point" or len(xyz) == 1:
                when = stamp if stamp is not None else begin
                if when is None:  # a label, an airport: not a position in time
                    out.problem(_line(geom), f"<Point> of {name or 'a placemark'!r}{untimed}")
                    continue
                out.add(when, xyz[0, 1], xyz[0, 0], xyz[0, 2], name)
            elif begin is not None and end is not None:
                for t, (x, y, z) in zip(_spread(begin, end, xyz), xyz, strict=True):
                    out.add(float(t), y, x, z, name)
            elif stamp is not None:
                pending.append((stamp, xyz, name, _line(geom) or 0))
            else:
                out.problem(_line(geom), f"<LineString> of {name or 'a placemark'!r}{untimed}")
                out.dropped += len(xyz) - 1


def _flush_stamped_lines(pending: list[tuple[float, np.ndarray, str, int]], out: _Collector) -> None:
    """Lines with one TimeStamp each: vertices spread up to the next line's stamp."""
    pending.sort(key=lambda p: p[0])
    for k, (stamp, xyz, name, line) in enumerate(pending):
        if k + 1 < len(pending):
            times = _spread(stamp, pending[k + 1][0], xyz)
            for t, (x, y, z) in zip(times, xyz, strict=True):
                out.add(float(t), y, x, z, name)
        else:
            out.add(stamp, xyz[0, 1], xyz[0, 0], xyz[0, 2], name)
            if len(xyz) > 1:
                out.problem(
                    line,
                    f"the last stamped <LineString>: {format_count(len(xyz) - 1, 'vertex', 'vertices')} after "
                    + ("its first has no time" if len(xyz) == 2 else "its first have no time"),
                )
                out.dropped += len(xyz) - 2


def _kml_stream(stream: IO[bytes], file: str) -> IO[bytes]:
    """The KML inside a KMZ (its first ``.kml`` entry), else the stream itself."""
    start = stream.tell()
    magic = stream.read(4)
    stream.seek(start)
    if magic != b"PK\x03\x04":
        return stream
    try:
        archive = zipfile.ZipFile(stream)
        entry = next((i for i in archive.infolist() if i.filename.lower().endswith(".kml")), None)
    except zipfile.BadZipFile as exc:
        raise TrackError(f"not a readable KMZ (zip) file: {exc}", file=file) from None
    if entry is None:
        raise TrackError("the KMZ holds no .kml file", file=file)
    if entry.file_size > MAX_KMZ_ENTRY_BYTES:
        raise TrackError(f"the KMZ's {entry.filename} unpacks to {entry.file_size / 1e9:.1f} GB: too large", file=file)
    return archive.open(entry)


def parse_kml_track(stream: IO[bytes], *, file: str, filter: TrackFilter | None = None) -> Track:
    """Timed positions of a KML or KMZ file (see module)."""
    out = _Collector(file)
    pending: list[tuple[float, np.ndarray, str, int]] = []
    inner = _kml_stream(stream, file)
    root_checked = False
    for pm in _iterparse(inner, file, (f"{{{KML_NS}}}Placemark",)):
        if not root_checked:
            root = pm.getroottree().getroot()
            if _local(root.tag) != "kml":
                raise TrackError(f"not a KML file: the root element is <{_local(root.tag)}>", file=file)
            root_checked = True
        _placemark(pm, out, pending)
        pm.clear(keep_tail=True)
    _flush_stamped_lines(pending, out)
    return _track(out, TrackFormat.KML, file, filter, out)


def _track(rows: _Collector, fmt: TrackFormat, file: str, filt: TrackFilter | None, notes: _Collector) -> Track:
    filt = filt or TrackFilter()
    time_s = np.array(rows.time, dtype=np.float64)
    names = np.array([n.upper() for n in rows.name], dtype=object)
    keep = np.ones(time_s.size, dtype=bool)
    if filt.callsign is not None:
        keep &= names == filt.callsign.strip().upper()
    if filt.start is not None:
        keep &= time_s >= filt.start.timestamp()
    if filt.end is not None:
        keep &= time_s <= filt.end.timestamp()
    if filt.icao24 is not None:
        keep &= False  # GPX and KML carry no ICAO address
    return make_track(
        file=file,
        format=fmt,
        time_s=time_s[keep],
        lat_deg=np.array(rows.lat)[keep],
        lon_deg=np.array(rows.lon)[keep],
        altitude_m=np.array(rows.alt, dtype=np.float64)[keep],
        callsign=names[keep],
        dropped_rows=rows.dropped + (notes.dropped if notes is not rows else 0),
        problems=tuple(rows.problems + (notes.problems if notes is not rows else [])),
        filter=filt,
    )
