"""One entry point for the binary exports (KML, KMZ, GPX), used by the CLI and the dashboard."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from ..analysis import MissionResult
from ..units import Units
from .kml import ObservedLine

ExportFormat = Literal["kml", "kmz", "gpx"]
#: media type and file extension of each format
MEDIA_TYPES: dict[str, tuple[str, str]] = {
    "kml": ("application/vnd.google-earth.kml+xml", ".kml"),
    "kmz": ("application/vnd.google-earth.kmz", ".kmz"),
    "gpx": ("application/gpx+xml", ".gpx"),
}


def export_bytes(
    result: MissionResult,
    fmt: ExportFormat,
    *,
    units: Units = "km",
    rings: bool = False,
    observed: Sequence[ObservedLine] = (),
) -> bytes:
    """The mission in ``fmt`` (``kml``, ``kmz`` or ``gpx``), with the observed tracks given."""
    if fmt == "gpx":
        from .gpx import mission_gpx

        return mission_gpx(result, units=units, observed=observed)
    from .kml import mission_kml, mission_kmz

    if fmt == "kml":
        return mission_kml(result, units=units, rings=rings, observed=observed)
    if fmt == "kmz":
        return mission_kmz(result, units=units, rings=rings, observed=observed)
    raise ValueError(f"unknown export format {fmt!r}: kml, kmz or gpx")
