"""Observed tracks: readers of ADS-B and flight-tracker exports, summaries, and the route comparison.

``load_track(path, filter=TrackFilter(callsign=...))`` reads OpenSky state vectors (CSV, Parquet),
FlightRadar24 CSV, generic CSV, GPX and KML/KMZ into one typed :class:`Track`.
"""

from .io import load_track, parse_track, parse_track_bytes
from .model import Track, TrackError, TrackFilter, TrackFormat

__all__ = ["Track", "TrackError", "TrackFilter", "TrackFormat", "load_track", "parse_track", "parse_track_bytes"]
