"""The dashboard's track upload: an observed-track file given in the page, compared with a chosen sortie.

Pure functions (no Streamlit): the page hands over the uploaded bytes, the sortie and the filter as
a :class:`TrackUpload`; :func:`compare_upload` reads them with the one track reader
(:func:`missions.tracks.parse_track_bytes`: OpenSky CSV or Parquet, FlightRadar24 CSV, generic
CSV, GPX, KML/KMZ) and compares the track with the sortie
(:func:`missions.tracks.compare.compare_sortie`), exactly as for a ``track:`` named in the mission
file. :func:`with_upload` puts the uploaded comparison in place of that sortie's file track, so the
tables, the map and the exports read one list.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..analysis import MissionResult
from ..errors import MissionError
from ..tracks.model import TrackFilter
from ..tracks.summary import DEFAULT_GAP_S
from ..units import format_count

if TYPE_CHECKING:  # the reader and the comparison are imported by the upload that needs them
    from ..tracks.compare import Comparison

#: file name endings the upload accepts (the size limit is the server's ``maxUploadSize``)
UPLOAD_TYPES = ("csv", "txt", "parquet", "pq", "gpx", "kml", "kmz")
#: longest coverage gap the page lets one choose (min)
MAX_GAP_MIN = 24 * 60


@dataclass(frozen=True, kw_only=True)
class TrackUpload:
    """An observed-track file uploaded in the page and what to compare it with."""

    file_name: str
    data: bytes
    sortie: str  #: the sortie's name
    callsign: str | None = None  #: keep only this callsign (None or blank: all)
    icao24: str | None = None  #: keep only this ICAO 24-bit address (None or blank: all)
    gap_s: float = DEFAULT_GAP_S

    def track_filter(self) -> TrackFilter:
        callsign = (self.callsign or "").strip() or None
        icao24 = (self.icao24 or "").strip() or None
        return TrackFilter(callsign=callsign, icao24=icao24)


def compare_upload(result: MissionResult, upload: TrackUpload) -> Comparison:
    """The uploaded track compared with its sortie (claims included).

    Raises
    ------
    MissionError
        One line naming the uploaded file (and line or element) and the problem: an unknown sortie, a gap out of range,
        or anything the track reader refuses (unknown format, no usable positions, a filter that
        matches nothing, a broken Parquet or KMZ file).
    """
    names = [s.sortie.name for s in result.sorties]
    if upload.sortie not in names:
        raise MissionError(f"no sortie {upload.sortie!r} in the mission (sorties: {', '.join(names)})",
                           file=upload.file_name)  # fmt: skip
    if not 0 < upload.gap_s <= MAX_GAP_MIN * 60:
        raise MissionError(f"the coverage gap must be above 0 and at most {MAX_GAP_MIN} min", file=upload.file_name)
    from ..tracks import parse_track_bytes
    from ..tracks.compare import compare_sortie

    track = parse_track_bytes(upload.data, file=upload.file_name, filter=upload.track_filter())
    return compare_sortie(result.sortie(upload.sortie), track, claims=result.claims, gap_s=upload.gap_s)


def with_upload(from_file: tuple[Comparison, ...], uploaded: Comparison | None) -> tuple[Comparison, ...]:
    """The comparisons to show: the mission file's, with the uploaded track in place of its sortie's."""
    if uploaded is None:
        return from_file
    return (*(c for c in from_file if c.sortie != uploaded.sortie), uploaded)


def upload_note(c: Comparison) -> str:
    """One line saying what was read: positions, rows dropped and the first problem."""
    t = c.summary.track
    line = f"{t.file}: {format_count(len(t), 'position')} of {t.name} compared with {c.sortie}"
    if t.dropped_rows:
        first = f" ({t.problems[0]})" if t.problems else ""
        line += f"; {format_count(t.dropped_rows, 'row')} dropped{first}"
    return line
