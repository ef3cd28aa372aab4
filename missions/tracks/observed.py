"""The observed tracks a mission names (``track:`` on a sortie): loading, comparing, and their faces.

``load_comparisons(result)`` opens each sortie's track file (relative to the mission file), applies its
filter and compares it with the sortie (:func:`missions.tracks.compare.compare_sortie`). The text,
JSON, map, export and dashboard all read the :class:`~missions.tracks.compare.Comparison` made here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from ..analysis import MissionResult
from ..claims import Quantity
from ..errors import MissionError
from ..export.kml import ObservedLine
from ..export.timed import TimedLine
from ..model import Sortie, TrackRef
from ..units import S_PER_MIN, Units, format_count, format_distance, format_duration, format_hm, iso_utc
from .compare import OFF_ROUTE_M, PASS_RADIUS_M, Comparison, compare_sortie
from .io import load_track
from .model import TrackError, TrackFilter
from .report import summary_json
from .summary import thinned


def track_path(ref: TrackRef, mission_file: str | None) -> Path:
    """The track file: as written if absolute, else relative to the mission file's folder."""
    path = Path(ref.file).expanduser()
    if path.is_absolute() or not mission_file or mission_file.startswith("<"):
        return path
    return Path(mission_file).resolve().parent / path


def load_comparisons(result: MissionResult, *, countries: bool = False) -> tuple[Comparison, ...]:
    """A comparison for every sortie that names a track (none: empty).

    Raises
    ------
    MissionError
        For a track that cannot be read, naming the mission file, the sortie's ``track`` field and
        the track file's own problem.
    """
    out = []
    mission = result.mission
    for s in result.sorties:
        ref = s.sortie.track
        if ref is None:
            continue
        filt = TrackFilter(callsign=ref.callsign, icao24=ref.icao24, start=ref.start, end=ref.end)
        try:
            track = load_track(track_path(ref, mission.file), filter=filt, label=ref.file)
        except TrackError as exc:
            raise MissionError(
                exc.one_line(), file=mission.file, line=ref.line, field=f"{s.sortie.field}.track"
            ) from None
        out.append(compare_sortie(s, track, claims=result.claims, gap_s=ref.gap_s, countries=countries))
    return tuple(out)


def track_warnings(comparisons: tuple[Comparison, ...]) -> list[str]:
    """One line per track with dropped rows, naming the first."""
    lines = []
    for c in comparisons:
        t = c.summary.track
        if t.dropped_rows:
            lines.append(f"{t.file}: {t.dropped_text}")
    return lines


def observed_lines(comparisons: tuple[Comparison, ...]) -> list[ObservedLine]:
    """Each observed track thinned within 1 km, split at its coverage gaps (for KML, GPX and the map)."""
    out = []
    for c in comparisons:
        t = c.summary.track
        parts = tuple(
            TimedLine(lat_deg=t.lat_deg[i], lon_deg=t.lon_deg[i], time_s=t.time_s[i])
            for i in thinned(t, c.summary.gap_threshold_s)
        )
        out.append(
            ObservedLine(
                name=f"{t.name} (observed, {c.sortie})",
                description=f"{t.file}: {format_count(len(t), 'position')}, {iso_utc(t.start)} – {iso_utc(t.end)}",
                parts=parts,
            )
        )
    return out


def _sortie(result: MissionResult, name: str) -> Sortie:
    return result.sortie(name).sortie


def comparison_json(c: Comparison, result: MissionResult) -> dict[str, Any]:
    """A comparison as JSON-ready values: metres, seconds, ISO 8601 UTC times."""
    route = _sortie(result, c.sortie).route
    t = c.summary.track
    leg = int(c.projection.leg_index[c.max_index])
    return {
        "sortie": c.sortie,
        "track": summary_json(c.summary),
        "route_distance_m": c.route_distance_m,
        "observed_distance_m": c.observed_distance_m,
        "covered_route_m": c.covered_route_m,
        "max_deviation_m": c.max_deviation_m,
        "mean_deviation_m": c.mean_deviation_m,
        "max_deviation_at": {
            "lat": float(t.lat_deg[c.max_index]),
            "lon": float(t.lon_deg[c.max_index]),
            "time": iso_utc(c.max_time),
            "along_route_m": c.max_along_m,
            "leg": [route[leg].point.name, route[leg + 1].point.name],
        },
        "off_route_threshold_m": OFF_ROUTE_M,
        "off_route": [
            {
                "start": iso_utc(o.start),
                "end": iso_utc(o.end),
                "max_m": o.max_m,
                "lat": o.lat_deg,
                "lon": o.lon_deg,
                "leg": [route[o.leg_index].point.name, route[o.leg_index + 1].point.name],
            }
            for o in c.off_route
        ],
        "pass_radius_m": PASS_RADIUS_M,
        "waypoints": [
            {
                "index": p.index,
                "name": p.name,
                "modelled": iso_utc(p.modelled),
                "observed": iso_utc(p.observed) if p.observed else None,
                "offset_s": p.offset_s,
                "cross_track_m": p.cross_track_m,
            }
            for p in c.passes
        ],
        "claims": [
            {
                "text": k.claim.claim.text,
                "quantity": k.claim.claim.quantity,
                "unit": k.claim.claim.unit,
                "claimed": k.claim.claim.value,
                "computed": k.claim.computed,
                "observed": None if np.isnan(k.observed) else k.observed,
                "observed_ratio": k.ratio,
            }
            for k in c.claims
        ],
    }


def _claim_value(quantity: Quantity, value: float, units: Units) -> str:
    if quantity is Quantity.DISTANCE:
        return format_distance(value, units)
    if quantity is Quantity.DURATION:
        return format_duration(value)
    return f"{value:,.0f} km/h"


def comparison_text(c: Comparison, result: MissionResult, units: Units = "km") -> str:
    """A comparison for people: deviation, distance, gaps, waypoint offsets and claims."""
    route = _sortie(result, c.sortie).route
    t = c.summary.track
    leg = int(c.projection.leg_index[c.max_index])
    lines = [
        f"Observed track for {c.sortie}: {t.file} ({t.name}, {format_count(len(t), 'position')}, "
        f"{format_hm(t.start)} – {format_hm(t.end)} UTC)",
        f"  deviation from route: max {format_distance(c.max_deviation_m, units, decimals=1)} at "
        f"{format_hm(c.max_time)} UTC ({t.lat_deg[c.max_index]:.3f}, {t.lon_deg[c.max_index]:.3f}; "
        f"{route[leg].point.name} – {route[leg + 1].point.name}), "
        f"mean {format_distance(c.mean_deviation_m, units, decimals=1)}",
        f"  distance: observed {format_distance(c.observed_distance_m, units)}, "
        f"route {format_distance(c.route_distance_m, units)} "
        f"(the track covers {format_distance(c.covered_route_m, units)} of it)",
        f"  coverage gaps over {format_duration(c.summary.gap_threshold_s)}: {len(c.gaps)}",
    ]
    lines += [f"    {format_hm(g.start)} – {format_hm(g.end)} UTC ({format_duration(g.duration_s)})" for g in c.gaps]
    for o in c.off_route:
        lines.append(
            f"  off route by up to {format_distance(o.max_m, units, decimals=1)}: {format_hm(o.start)} – "
            f"{format_hm(o.end)} UTC ({route[o.leg_index].point.name} – {route[o.leg_index + 1].point.name})"
        )
    lines.append("  waypoints (observed − modelled):")
    for p in c.passes:
        what = "not passed" if p.offset_s is None else f"{p.offset_s / S_PER_MIN:+.1f} min"
        lines.append(f"    {p.name:28.28} {format_hm(p.modelled)} UTC  {what}")
    for k in c.claims:
        q = k.claim.claim.quantity
        lines.append(
            f"  claim {k.claim.claim.text!r}: computed {_claim_value(q, k.claim.computed, units)}, "
            f"observed {_claim_value(q, k.observed, units)} (observed/claimed {k.ratio:.2f})"
        )
    return "\n".join(lines)


def comparison_frame(comparisons: tuple[Comparison, ...], result: MissionResult, units: Units = "km") -> Any:
    """One row per compared sortie (the dashboard's table): the figures of :func:`comparison_json`."""
    import pandas as pd

    from ..units import UNIT_LABEL, UNIT_M

    per, label = UNIT_M[units], UNIT_LABEL[units]
    rows = []
    for c in comparisons:
        doc = comparison_json(c, result)
        at = doc["max_deviation_at"]
        passed = [w["offset_s"] for w in doc["waypoints"] if w["offset_s"] is not None]
        rows.append(
            {
                "sortie": c.sortie,
                "track": f"{doc['track']['file']} ({doc['track']['name']})",
                "positions": doc["track"]["points"],
                f"max deviation ({label})": doc["max_deviation_m"] / per,
                "where": f"{at['time'][11:16]} UTC, {at['leg'][0]} – {at['leg'][1]}",
                f"mean deviation ({label})": doc["mean_deviation_m"] / per,
                f"observed distance ({label})": doc["observed_distance_m"] / per,
                f"route ({label})": doc["route_distance_m"] / per,
                "coverage gaps": len(doc["track"]["gaps"]),
                "waypoints passed": f"{len(passed)} of {len(doc['waypoints'])}",
                "largest offset (min)": max(passed, key=abs) / S_PER_MIN if passed else None,
            }
        )
    return pd.DataFrame(rows)


def offsets_frame(c: Comparison) -> Any:
    """The waypoints of one comparison: modelled and observed UTC times and the offset in minutes."""
    import pandas as pd

    return pd.DataFrame(
        {
            "waypoint": [p.name for p in c.passes],
            "modelled (UTC)": [format_hm(p.modelled) for p in c.passes],
            "observed (UTC)": [format_hm(p.observed) if p.observed else "not passed" for p in c.passes],
            "offset (min)": [None if p.offset_s is None else p.offset_s / S_PER_MIN for p in c.passes],
        }
    )
