"""Observed tracks and comparisons as text and JSON (one place for every figure's wording)."""

from __future__ import annotations

from typing import Any

from ..units import Units, format_count, format_distance, format_duration, format_hm, iso_utc
from .summary import TrackSummary


def _num(value: float | None) -> float | None:
    return None if value is None or value != value else float(value)


def summary_json(s: TrackSummary) -> dict[str, Any]:
    """A summary as JSON-ready values: metres, seconds, ISO 8601 UTC times."""
    t = s.track
    return {
        "file": t.file,
        "format": t.format.value,
        "name": t.name,
        "filter": t.filter.describe(),
        "points": s.points,
        "dropped_rows": t.dropped_rows,
        "problems": list(t.problems),
        "start": iso_utc(s.start),
        "end": iso_utc(s.end),
        "duration_s": s.duration_s,
        "covered_s": s.covered_s,
        "distance_m": s.distance_m,
        "gap_distance_m": s.gap_distance_m,
        "gap_threshold_s": s.gap_threshold_s,
        "gaps": [
            {
                "start": iso_utc(g.start),
                "end": iso_utc(g.end),
                "duration_s": g.duration_s,
                "distance_m": g.distance_m,
                "start_lat": g.start_lat_deg,
                "start_lon": g.start_lon_deg,
                "end_lat": g.end_lat_deg,
                "end_lon": g.end_lon_deg,
            }
            for g in s.gaps
        ],
        "countries_crossed": None if s.countries_crossed is None else list(s.countries_crossed),
        "countries": None
        if s.countries is None
        else [
            {
                "iso3": c.iso3,
                "name": c.name,
                "entry": iso_utc(c.entry),
                "exit": iso_utc(c.exit),
                "distance_m": c.distance_m,
            }
            for c in s.countries
        ],
    }


def summary_text(s: TrackSummary, units: Units = "km") -> str:
    """A summary for people: one line per figure, then the gaps and the countries."""
    t = s.track
    lines = [
        f"{t.file}: {t.name} ({t.format.value}{', ' + t.filter.describe() if not t.filter.is_empty else ''})",
        f"  points         {s.points:,}"
        + (f" ({format_count(t.dropped_rows, 'row')} dropped)" if t.dropped_rows else ""),
        f"  time span      {iso_utc(s.start)} – {iso_utc(s.end)} ({format_duration(s.duration_s)})",
        f"  distance flown {format_distance(s.distance_m, units)} (geodesic between positions"
        + (f"; {format_distance(s.gap_distance_m, units)} of it across gaps)" if s.gaps else ")"),
        f"  coverage gaps  {len(s.gaps)} longer than {format_duration(s.gap_threshold_s)}"
        + (f", {format_duration(s.duration_s - s.covered_s)} in all" if s.gaps else ""),
    ]
    for g in s.gaps:
        lines.append(
            f"    {format_hm(g.start)} – {format_hm(g.end)} UTC ({format_duration(g.duration_s)}, "
            f"{format_distance(g.distance_m, units)}) from {g.start_lat_deg:.3f}, {g.start_lon_deg:.3f} "
            f"to {g.end_lat_deg:.3f}, {g.end_lon_deg:.3f}"
        )
    if s.countries is not None:
        crossed = s.countries_crossed or ()
        n = len(s.countries)
        listed = f" ({', '.join(crossed)})" if crossed else ""
        stretches = f", in {format_count(n, 'stretch', 'stretches')}" if n else ""
        lines.append(f"  countries      {len(crossed)} crossed{listed}{stretches}")
        for c in s.countries:
            code = c.iso3 or "—"
            lines.append(
                f"    {code:4} {c.name:28.28} {format_hm(c.entry)} – {format_hm(c.exit)} UTC "
                f"{format_distance(c.distance_m, units):>10}"
            )
    for problem in t.problems:
        lines.append(f"  dropped: {problem}")
    return "\n".join(lines)
