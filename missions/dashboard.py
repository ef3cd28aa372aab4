"""What the dashboard (``app.py``) shows, as plain data: pure functions, no Streamlit, no folium.

Tables are read from the core's typed rows (:func:`missions.tables.mission_tables`: the figures are
not computed twice, nor read back from the JSON report) and are returned as :class:`pandas.DataFrame`
in the chosen distance unit (``km``, ``nm`` or ``mi``); pass ``tables=`` to build them once per change. A sortie
is edited on the mission text itself through a round-trip YAML reader (``ruamel.yaml``), so everything
the user did not touch (sources, notes, claims, events, comments, layout) is kept as written, and the
edited mission is downloaded as the YAML text it was parsed from: loading that file gives the mission
on screen.

Examples
--------
>>> from missions.analysis import compute_mission
>>> from missions.parsing import parse_mission
>>> text = '''
... name: Along the equator
... sorties:
...   - {name: A, aircraft: Tu-160, takeoff: 2015-11-20T00:00:00Z, speed: 900 km/h, route: ["0, 0", "0, 10"]}
... '''
>>> result = compute_mission(parse_mission(text))
>>> [m.value for m in metrics(result, "nm")][:2]
['601 NM', '1 h 14 min']
>>> edited = edit_mission(text, result.mission, [SortieEdit(0, takeoff="2015-11-20T05:00:00Z")])
>>> parse_mission(edited).sorties[0].takeoff.hour
5
"""

from __future__ import annotations

import copy
import io
import math
from collections.abc import Mapping, MutableMapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import pandas as pd
import yaml

from .analysis import MissionResult
from .errors import MissionFileError
from .model import Mission, Waypoint
from .tables import MissionTables, mission_tables, sorted_findings, waypoint_events
from .units import (
    S_PER_H,
    UNIT_LABEL,
    UNIT_SPEED_LABEL,
    Units,
    average_kmh,
    distance_in,
    format_distance,
    format_duration,
    format_hm,
    format_speed,
    iso_utc,
    speed_in,
)
from .yamlio import parse_yaml

if TYPE_CHECKING:
    from .airspace import MissionAirspace
    from .feasibility import Feasibility

CATALOG_DIR = Path(__file__).with_name("catalog")
#: the mission the dashboard opens with
DEFAULT_MISSION = "tu160-2015-11-20"
#: distance units offered, in the order shown
UNITS: tuple[Units, ...] = ("nm", "km", "mi")
#: how the units are named on the page
UNIT_NAMES = UNIT_LABEL
#: columns of the waypoint editor; ``#`` numbers the unedited route's waypoints from 1 (empty for new rows)
EDITOR_COLUMNS = ("#", "place", "speed", "events")
#: libyaml's dumper when PyYAML has it (same output as the pure-Python one, faster)
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class Metric(NamedTuple):
    """One metric card: label, formatted value and a tooltip saying how it is computed."""

    label: str
    value: str
    help: str


def catalog_missions(directory: Path = CATALOG_DIR) -> dict[str, Path]:
    """The catalogue's mission files (``<name>-<year>-...yaml``) by file stem, sorted."""
    return {path.stem: path for path in sorted(directory.glob("*.yaml"))}


def weapons_launched(result: MissionResult) -> int:
    """Weapons fired: the ``count`` of every launch (one launch may aim at several targets)."""
    from_sorties = sum(ln.count for s in result.mission.sorties for wp in s.route for ln in wp.launches)
    return from_sorties + sum(ln.count for ln in result.mission.launches)


def flight_time_s(result: MissionResult) -> float:
    """From the first takeoff to the last landing, in seconds.

    A mission with no aircraft sorties (ship or ground launches only) counts its weapons: from the
    first launch to the last impact. 0 when there is nothing at all.
    """
    if result.sorties:
        first = min(s.takeoff_time for s in result.sorties)
        last = max(s.landing_time for s in result.sorties)
    elif result.weapons:
        first = min(w.launch_time for w in result.weapons)
        last = max(w.impact_time or w.launch_time for w in result.weapons)
    else:
        return 0.0
    return (last - first).total_seconds()


def average_speed_kmh(result: MissionResult) -> float:
    """Distance flown over time airborne, all sorties together (refuelling and holds included)."""
    return average_kmh(result.distance_m, sum(s.duration_s for s in result.sorties))


#: shown in place of an aircraft figure when the mission has no aircraft sorties
NO_SORTIES = "—"


def metrics(result: MissionResult, units: Units) -> list[Metric]:
    """The metric cards: total distance, flight time, refuellings, weapons, implied average speed.

    With no aircraft sorties (ship or ground launches only) distance and speed read ``—`` and the
    flight time is the weapons' (first launch to last impact).
    """
    flown = bool(result.sorties)
    return [
        Metric(
            "Total distance",
            format_distance(result.distance_m, units) if flown else NO_SORTIES,
            "Geodesic (WGS84) length of every sortie's route, added up (one formation counts once)."
            if flown
            else "No aircraft sorties: ship or ground launches only (see the weapon tracks).",
        ),
        Metric(
            "Flight time",
            format_duration(flight_time_s(result)),
            "From the first takeoff to the last landing, refuelling and holds included."
            if flown
            else "No aircraft sorties: from the first weapon launch to the last impact.",
        ),
        Metric(
            "Refuellings",
            str(sum(s.refuel_count for s in result.sorties)),
            "Air-to-air refuelling events on all routes.",
        ),
        Metric(
            "Weapons launched",
            str(weapons_launched(result)),
            "Weapons fired from aircraft, ships and the ground (each launch's count).",
        ),
        Metric(
            "Average speed (implied)",
            format_speed(average_speed_kmh(result), units) if flown else NO_SORTIES,
            "Implied by the computed distance and time airborne, all sorties together.",
        ),
    ]


def legs_frame(
    result: MissionResult,
    units: Units,
    feasibility: Feasibility | None = None,
    *,
    tables: MissionTables | None = None,
) -> pd.DataFrame:
    """One row per leg of every sortie, distances in ``units``, times in UTC.

    With ``feasibility``, a ``finding`` column holds the errors and warnings found on each leg.
    """
    tables = tables or mission_tables(result, feasibility)
    label, speed_label = UNIT_LABEL[units], UNIT_SPEED_LABEL[units]
    rows = [
        {
            "sortie": leg.sortie,
            "leg": leg.leg_index + 1,
            "from": leg.from_name,
            "to": leg.to_name,
            f"distance ({label})": distance_in(leg.distance_m, units),
            f"cumulative ({label})": distance_in(leg.cumulative_m, units),
            "bearing (°)": leg.initial_bearing_deg % 360.0,
            f"speed ({speed_label})": speed_in(leg.speed_kmh, units),
            "duration": format_duration(leg.duration_s),
            "departure (UTC)": iso_utc(leg.start_utc),
            "arrival (UTC)": iso_utc(leg.end_utc),
        }
        | (
            {"finding": " ".join(f"{'⚠' if f.severity == 'error' else '△'} {f.message}" for f in leg.findings)}
            if feasibility
            else {}
        )
        for leg in tables.legs
    ]
    return pd.DataFrame(rows)


TIMELINE_COLUMNS = ["lane", "kind", "what", "start", "end", "from", "until"]


def timeline_frame(result: MissionResult, *, tables: MissionTables | None = None) -> pd.DataFrame:
    """Bars for a gantt chart: every sortie leg and every weapon flight, start and end in UTC (ISO)."""
    tables = tables or mission_tables(result)
    rows = [
        {
            "lane": leg.sortie,
            "kind": "flight",
            "what": f"{leg.from_name} → {leg.to_name}",
            "start": iso_utc(leg.start_utc),
            "end": iso_utc(leg.end_utc),
            "from": format_hm(leg.start_utc),
            "until": format_hm(leg.end_utc),
        }
        for leg in tables.legs
    ]
    weapons = [w for w in tables.weapons if w.from_sortie] + [w for w in tables.weapons if not w.from_sortie]
    rows += [
        {
            "lane": f"{w.weapon} → {w.target}",
            "kind": "weapon",
            "what": f"{w.count} × {w.weapon}: {w.from_name} → {w.target}",
            "start": iso_utc(w.launch_utc),
            # an untimed weapon (no known speed) is a bar of no length: its arrival is "unknown"
            "end": iso_utc(w.impact_utc or w.launch_utc),
            "from": format_hm(w.launch_utc),
            "until": format_hm(w.impact_utc),
        }
        for w in weapons
    ]
    return pd.DataFrame(rows, columns=TIMELINE_COLUMNS)


def claims_frame(
    result: MissionResult,
    units: Units,
    feasibility: Feasibility | None = None,
    *,
    tables: MissionTables | None = None,
) -> pd.DataFrame:
    """Each claim beside the computed value: distances in ``units``, durations in h, speeds per hour.

    With ``feasibility``, each claim's verdict (consistent, inconsistent, impossible) and its reason.
    """
    tables = tables or mission_tables(result, feasibility)
    rows = []
    for claim in tables.claims:
        if claim.quantity == "distance":
            claimed, computed = distance_in(claim.claimed_si, units), distance_in(claim.computed_si, units)
            unit = UNIT_LABEL[units]
        elif claim.quantity == "speed":
            claimed, computed = speed_in(claim.claimed_si, units), speed_in(claim.computed_si, units)
            unit = UNIT_SPEED_LABEL[units]
        else:
            claimed, computed, unit = claim.claimed_si / S_PER_H, claim.computed_si / S_PER_H, "h"
        implied = claim.implied_speed_kmh
        rows.append(
            {
                "quantity": claim.quantity,
                "sortie": claim.sortie,
                "claim": claim.text,
                "claimed": claimed,
                "computed": None if not math.isfinite(computed) else computed,
                "unit": unit,
                "ratio": claim.ratio if math.isfinite(claim.ratio) else None,
                f"implied speed ({UNIT_SPEED_LABEL[units]})": None if implied is None else speed_in(implied, units),
                "source": claim.source,
            }
            | ({"verdict": claim.verdict, "reason": claim.reason} if feasibility else {})
        )
    return pd.DataFrame(rows)


def status_frame(feasibility: Feasibility) -> pd.DataFrame:
    """Each sortie's one feasibility verdict (:mod:`missions.findings`), as the text and JSON give it."""
    from .findings import STATUS_TEXT

    rows = [
        {
            "sortie": sf.result.sortie.name,
            "aircraft": sf.result.sortie.aircraft,
            "feasibility": STATUS_TEXT[sf.status],
            "errors": sum(f.severity == "error" for f in sf.findings),
            "warnings": sum(f.severity == "warning" for f in sf.findings),
        }
        for sf in feasibility.sorties
    ]
    return pd.DataFrame(rows, columns=["sortie", "aircraft", "feasibility", "errors", "warnings"])


def findings_frame(
    feasibility: Feasibility,
    airspace: MissionAirspace | None = None,
    *,
    tables: MissionTables | None = None,
) -> pd.DataFrame:
    """Every finding of the feasibility checks (and airspace ``avoid`` hits), errors first."""
    findings = tables.findings if tables is not None else sorted_findings(feasibility, airspace)
    rows = [
        {
            "severity": str(f.severity),
            "sortie": f.sortie or "",
            "leg": "" if f.leg_index is None else str(f.leg_index + 1),
            "finding": f.message,
        }
        for f in findings
    ]
    rows += [
        {"severity": "info", "sortie": r.join.sortie, "leg": "", "finding": r.message} for r in feasibility.rendezvous
    ]
    return pd.DataFrame(rows, columns=["severity", "sortie", "leg", "finding"])


def countries_frame(
    result: MissionResult, airspace: MissionAirspace, units: Units, *, tables: MissionTables | None = None
) -> pd.DataFrame:
    """Every passage through a country or international waters, per sortie and weapon track, in order."""
    tables = tables or mission_tables(result, None, airspace)
    distance = f"distance ({UNIT_LABEL[units]})"
    rows = [
        {
            "route": p.route,
            "country": p.name,
            "ISO": p.iso3 or "",
            distance: distance_in(p.distance_m, units),
            "entry (UTC)": format_hm(p.entry_utc),
            "exit (UTC)": format_hm(p.exit_utc),
            "duration": format_duration(p.duration_s),
        }
        for p in tables.passages
    ]
    return pd.DataFrame(rows, columns=["route", "country", "ISO", distance, "entry (UTC)", "exit (UTC)", "duration"])


def waypoints_frame(mission: Mission, sortie_index: int) -> pd.DataFrame:
    """The editable waypoint table of one sortie: the place as written, the leg's speed override."""
    route = mission.sorties[sortie_index].route
    rows = [
        {
            "#": i + 1,
            "place": wp.point.label,
            "speed": wp.speed.text if wp.speed else "",
            "events": ", ".join(waypoint_events(wp)),
        }
        for i, wp in enumerate(route)
    ]
    return pd.DataFrame(rows, columns=list(EDITOR_COLUMNS))


def plain_data(data: Any) -> Any:
    """The document with its line-aware mappings and lists turned into plain ``dict``/``list``."""
    if isinstance(data, Mapping):
        return {key: plain_data(value) for key, value in data.items()}
    if isinstance(data, list):
        return [plain_data(item) for item in data]
    return data


def mission_yaml(document: Mapping[str, Any]) -> str:
    """A mission document as YAML text (keys in their order, Unicode kept)."""
    return yaml.dump(plain_data(document), Dumper=_DUMPER, sort_keys=False, allow_unicode=True, width=100)


def _cell(value: Any) -> str:
    """A table cell as stripped text; empty for ``None``/``NaN``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def _original_index(value: Any, count: int) -> int | None:
    """The route index of an editor row from its ``#`` (1-based, as in the legs table); None for a new row."""
    text = _cell(value)
    try:
        index = int(float(text)) - 1
    except ValueError:
        return None
    return index if 0 <= index < count else None


def _edited_route(raw_route: list[Any], route: Sequence[Waypoint], rows: Sequence[Mapping[str, Any]]) -> list[Any]:
    """The route document after the editor's rows: kept items (the same objects, so their comments
    stay), changed places and speeds, new rows. The ``#`` column numbers waypoints from 1."""
    new_route: list[Any] = []
    for row in rows:
        index = _original_index(row.get("#"), len(raw_route))
        place, speed = _cell(row.get("place")), _cell(row.get("speed"))
        if index is None:
            if place or speed:  # a blank new row is not a waypoint yet
                new_route.append({"place": place, "speed": speed} if speed else place)
            continue
        item, waypoint = raw_route[index], route[index]
        if isinstance(item, MutableMapping) and (
            place != waypoint.point.label or speed != (waypoint.speed.text if waypoint.speed else "")
        ):
            item = copy.deepcopy(item)  # the document's item stays as it was (its comments travel with the copy)
        if place != waypoint.point.label:
            if isinstance(item, MutableMapping):
                for key in ("at", "lat", "lon", "name"):
                    item.pop(key, None)
                item["place"] = place
            else:
                item = place
        if speed != (waypoint.speed.text if waypoint.speed else ""):
            if not isinstance(item, MutableMapping):
                item = {"place": item}
            if speed:
                item["speed"] = speed
            else:
                item.pop("speed", None)
        new_route.append(item)
    return new_route


def _round_trip_yaml() -> Any:
    from ruamel.yaml import YAML

    rt = YAML(typ="rt")
    rt.preserve_quotes = True
    rt.width = 4096  # never re-wrap a long line the user wrote
    return rt


def _replace_items(seq: list[Any], items: list[Any]) -> None:
    """Make ``seq`` hold ``items`` with the fewest inserts and deletes (kept items are the same objects),
    so the comments ruamel keeps by index move with their items."""
    import difflib

    old = [id(x) for x in seq]
    new = [id(x) for x in items]
    for tag, i1, i2, j1, j2 in reversed(difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes()):
        if tag == "equal":
            continue
        common = min(i2 - i1, j2 - j1)
        for k in range(common):
            seq[i1 + k] = items[j1 + k]
        for k in reversed(range(i1 + common, i2)):
            del seq[k]
        for k in range(j1 + common, j2):
            seq.insert(i1 + (k - j1), items[k])


class SortieEdit(NamedTuple):
    """What the editor holds for one sortie; ``None`` leaves that part as written."""

    sortie_index: int
    rows: Sequence[Mapping[str, Any]] | None = None  #: editor rows (:data:`EDITOR_COLUMNS`), in route order
    takeoff: str | None = None  #: ISO 8601 with a zone
    speed: str | None = None  #: e.g. ``850-960 km/h``


def mission_document(text: str) -> dict[str, Any]:
    """The mission file as plain data (the safe, line-aware reader of :mod:`missions.yamlio`)."""
    document = plain_data(parse_yaml(text))
    if not isinstance(document, dict):
        raise MissionFileError("a mission file must be a mapping with 'name' and 'sorties'")
    return document


def edit_mission(
    text: str, mission: Mission, edits: Sequence[SortieEdit], *, document: Mapping[str, Any] | None = None
) -> str:
    """The mission text with the sorties edited; ``text`` itself when nothing changed.

    Parameters
    ----------
    text:
        The mission file (YAML or JSON) that ``mission`` was parsed from.
    mission:
        ``parse_mission(text)``: gives the places as written, to tell which rows changed.
    edits:
        One :class:`SortieEdit` per edited sortie.
    document:
        ``mission_document(text)`` if already at hand (it is not modified).

    Returns
    -------
    str
        YAML text; it is not checked here: ``parse_mission`` reports any problem with file, line
        and field.
    """
    written = document if document is not None else mission_document(text)  # values as written, to compare
    if text.lstrip().startswith(("{", "[")):  # JSON: no comments to keep; the download is YAML
        return _edit_document(written, mission, edits)
    from ruamel.yaml.util import load_yaml_guess_indent

    rt = _round_trip_yaml()
    _, indent, block_seq_indent = load_yaml_guess_indent(text)
    tree = rt.load(text)
    offset = block_seq_indent or 0
    rt.indent(mapping=offset or indent or 2, sequence=indent or 2, offset=offset)  # as ruamel's docs pair them
    changed = False
    for edit in edits:
        sortie = tree["sorties"][edit.sortie_index]
        for key, value in (("takeoff", edit.takeoff), ("speed", edit.speed)):
            if value is not None and value.strip() != _cell(written["sorties"][edit.sortie_index].get(key)):
                sortie[key] = value.strip()
                changed = True
        if edit.rows is not None:
            raw = sortie["route"]
            route = _edited_route(list(raw), mission.sorties[edit.sortie_index].route, edit.rows)
            if route != list(raw) or any(a is not b for a, b in zip(route, raw, strict=False)):
                _replace_items(raw, route)
                changed = True
    if not changed:
        return text
    out = io.StringIO()
    rt.dump(tree, out)
    return out.getvalue()


def _edit_document(document: Mapping[str, Any], mission: Mission, edits: Sequence[SortieEdit]) -> str:
    """:func:`edit_mission` on plain data (a JSON source), written out as YAML."""
    document = copy.deepcopy(plain_data(document))
    for edit in edits:
        sortie = document["sorties"][edit.sortie_index]
        for key, value in (("takeoff", edit.takeoff), ("speed", edit.speed)):
            if value is not None and value.strip() != _cell(sortie.get(key)):
                sortie[key] = value.strip()
        if edit.rows is not None:
            sortie["route"] = _edited_route(sortie["route"], mission.sorties[edit.sortie_index].route, edit.rows)
    return mission_yaml(document)


def sortie_fields(document: Mapping[str, Any], sortie_index: int) -> tuple[str, str]:
    """The takeoff time and speed of one sortie as written (:func:`mission_document`)."""
    sortie = document["sorties"][sortie_index]
    return _cell(sortie.get("takeoff")), _cell(sortie.get("speed"))
