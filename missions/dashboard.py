"""What the dashboard (``app.py``) shows, as plain data: pure functions, no Streamlit, no folium.

Tables come from :func:`missions.report.mission_json` (the figures are not computed twice) and are
returned as :class:`pandas.DataFrame` in the chosen distance unit (``km``, ``nm`` or ``mi``). A sortie
is edited on the mission *document* (the YAML/JSON data it was read from), so everything the user did
not touch (sources, notes, claims, events) is kept as written (YAML comments are not), and the edited
mission is downloaded as the YAML text it was parsed from: loading that file gives the mission on screen.

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

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import pandas as pd
import yaml

from .analysis import MissionResult
from .errors import MissionFileError
from .model import Mission, Waypoint
from .report import mission_json
from .units import UNIT_LABEL, UNIT_M, UNIT_SPEED_LABEL, format_distance, format_duration
from .yamlio import parse_yaml

if TYPE_CHECKING:
    from .airspace import MissionAirspace
    from .feasibility import Feasibility

CATALOG_DIR = Path(__file__).with_name("catalog")
#: the mission the dashboard opens with
DEFAULT_MISSION = "tu160-2015-11-20"
#: distance units offered, in the order shown
UNITS = ("nm", "km", "mi")
#: how the units are named on the page
UNIT_NAMES = {"nm": "NM", "km": "km", "mi": "mi"}
#: columns of the waypoint editor; ``#`` is the waypoint's index in the unedited route (empty for new rows)
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


def kmh_in_units(speed_kmh: float, units: str) -> float:
    """A speed in km/h expressed per hour of the distance unit (km/h, kn or mph)."""
    return speed_kmh * 1000.0 / UNIT_M[units]


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
        last = max(w.impact_time for w in result.weapons)
    else:
        return 0.0
    return (last - first).total_seconds()


def average_speed_kmh(result: MissionResult) -> float:
    """Distance flown over time airborne, all sorties together (refuelling and holds included)."""
    airborne_s = sum(s.duration_s for s in result.sorties)
    return result.distance_m / 1000.0 / (airborne_s / 3600.0) if airborne_s > 0 else 0.0


#: shown in place of an aircraft figure when the mission has no aircraft sorties
NO_SORTIES = "—"


def metrics(result: MissionResult, units: str) -> list[Metric]:
    """The metric cards: total distance, flight time, refuellings, weapons, implied average speed.

    With no aircraft sorties (ship or ground launches only) distance and speed read ``—`` and the
    flight time is the weapons' (first launch to last impact).
    """
    flown = bool(result.sorties)
    speed = kmh_in_units(average_speed_kmh(result), units)
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
            f"{speed:,.0f} {UNIT_SPEED_LABEL[units]}" if flown else NO_SORTIES,
            "Implied by the computed distance and time airborne, all sorties together.",
        ),
    ]


def legs_frame(result: MissionResult, units: str, feasibility: Feasibility | None = None) -> pd.DataFrame:
    """One row per leg of every sortie, distances in ``units``, times in UTC.

    With ``feasibility``, a ``finding`` column holds the errors and warnings found on each leg.
    """
    label, per_km = UNIT_LABEL[units], UNIT_M[units] / 1000.0
    found: dict[tuple[str, int], list[str]] = {}
    for f in feasibility.findings if feasibility else ():
        if f.leg_index is not None and f.sortie is not None and f.severity in ("error", "warning"):
            found.setdefault((f.sortie, f.leg_index), []).append(f"{'⚠' if f.severity == 'error' else '△'} {f.message}")
    rows = [
        {
            "sortie": sortie["name"],
            "leg": leg["index"] + 1,
            "from": leg["from"],
            "to": leg["to"],
            f"distance ({label})": leg["distance_km"] / per_km,
            f"cumulative ({label})": leg["cumulative_km"] / per_km,
            "bearing (°)": leg["initial_bearing_deg"] % 360.0,
            f"speed ({UNIT_SPEED_LABEL[units]})": kmh_in_units(leg["speed_kmh"], units),
            "duration": format_duration(leg["duration_h"] * 3600.0),
            "departure (UTC)": leg["start"],
            "arrival (UTC)": leg["end"],
        }
        | ({"finding": " ".join(found.get((sortie["name"], leg["index"]), []))} if feasibility else {})
        for sortie in mission_json(result)["sorties"]
        for leg in sortie["legs"]
    ]
    return pd.DataFrame(rows)


def _hm(iso: str) -> str:
    """``2015-11-19T18:33:17.49Z`` -> ``19 Nov 18:33`` (to the minute, UTC)."""
    when = dt.datetime.fromisoformat(iso.replace("Z", "+00:00")) + dt.timedelta(seconds=30)
    return when.strftime("%d %b %H:%M")


def timeline_frame(result: MissionResult) -> pd.DataFrame:
    """Bars for a gantt chart: every sortie leg and every weapon flight, start and end in UTC (ISO)."""
    report = mission_json(result)
    rows = [
        {
            "lane": sortie["name"],
            "kind": "flight",
            "what": f"{leg['from']} → {leg['to']}",
            "start": leg["start"],
            "end": leg["end"],
            "from": _hm(leg["start"]),
            "until": _hm(leg["end"]),
        }
        for sortie in report["sorties"]
        for leg in sortie["legs"]
    ]
    launches = [w for s in report["sorties"] for w in s["launches"]] + report["launches"]
    rows += [
        {
            "lane": f"{w['weapon']} → {w['target']}",
            "kind": "weapon",
            "what": f"{w['count']} × {w['weapon']}: {w['from']} → {w['target']}",
            "start": w["launch"],
            "end": w["impact"],
            "from": _hm(w["launch"]),
            "until": _hm(w["impact"]),
        }
        for w in launches
    ]
    return pd.DataFrame(rows, columns=["lane", "kind", "what", "start", "end", "from", "until"])


def claims_frame(result: MissionResult, units: str, feasibility: Feasibility | None = None) -> pd.DataFrame:
    """Each claim beside the computed value: distances in ``units``, durations in h, speeds per hour.

    With ``feasibility``, each claim's verdict (consistent, inconsistent, impossible) and its reason.
    """
    rows = []
    for claim in mission_json(result, feasibility)["claims"]:
        claimed, computed, unit = claim["claimed"], claim["computed"], claim["unit"]
        if claim["quantity"] == "distance":
            factor, unit = 1000.0 / UNIT_M[units], UNIT_LABEL[units]
        elif claim["quantity"] == "speed":
            factor, unit = 1000.0 / UNIT_M[units], UNIT_SPEED_LABEL[units]
        else:
            factor = 1.0
        implied = claim["implied_speed_kmh"]
        rows.append(
            {
                "quantity": claim["quantity"],
                "sortie": claim["sortie"],
                "claim": claim["text"],
                "claimed": claimed * factor,
                "computed": None if computed is None else computed * factor,
                "unit": unit,
                "ratio": claim["ratio"],
                f"implied speed ({UNIT_SPEED_LABEL[units]})": (
                    None if implied is None else kmh_in_units(implied, units)
                ),
                "source": claim["source"],
            }
            | ({"verdict": claim["verdict"], "reason": claim["reason"]} if feasibility else {})
        )
    return pd.DataFrame(rows)


def findings_frame(feasibility: Feasibility, airspace: MissionAirspace | None = None) -> pd.DataFrame:
    """Every finding of the feasibility checks (and airspace ``avoid`` hits), errors first."""
    order = {"error": 0, "warning": 1, "info": 2}
    findings = [*feasibility.findings, *(airspace.findings if airspace else ())]
    rows = [
        {
            "severity": f.severity,
            "sortie": f.sortie or "",
            "leg": "" if f.leg_index is None else str(f.leg_index + 1),
            "finding": f.message,
        }
        for f in sorted(findings, key=lambda f: order.get(f.severity, 3))
    ]
    rows += [
        {"severity": "info", "sortie": r.join.sortie, "leg": "", "finding": r.message} for r in feasibility.rendezvous
    ]
    return pd.DataFrame(rows, columns=["severity", "sortie", "leg", "finding"])


def countries_frame(result: MissionResult, airspace: MissionAirspace, units: str) -> pd.DataFrame:
    """Every passage through a country or international waters, per sortie and weapon track, in order."""
    label, per = UNIT_LABEL[units], UNIT_M[units]
    routes = list(airspace.sorties.items()) + [(r.label, r) for r in airspace.weapons]
    rows = [
        {
            "route": name,
            "country": p.name,
            "ISO": p.iso3 or "",
            f"distance ({label})": p.distance_m / per,
            "entry (UTC)": _hm(p.entry_time.isoformat()),
            "exit (UTC)": _hm(p.exit_time.isoformat()),
            "duration": format_duration(p.duration_s),
        }
        for name, route in routes
        for p in route.passages
    ]
    return pd.DataFrame(
        rows, columns=["route", "country", "ISO", f"distance ({label})", "entry (UTC)", "exit (UTC)", "duration"]
    )


def _events(waypoint: Waypoint) -> str:
    events = [f"refuel ({r.tanker})" for r in waypoint.refuels] + ["hold"] * len(waypoint.holds)
    events += [f"join {j.sortie}" for j in waypoint.joins]
    events += [f"launch {ln.count} × {ln.weapon}" for ln in waypoint.launches]
    return ", ".join(events)


def waypoints_frame(mission: Mission, sortie_index: int) -> pd.DataFrame:
    """The editable waypoint table of one sortie: the place as written, the leg's speed override."""
    route = mission.sorties[sortie_index].route
    rows = [
        {"#": i, "place": wp.point.label, "speed": wp.speed.text if wp.speed else "", "events": _events(wp)}
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
    text = _cell(value)
    try:
        index = int(float(text))
    except ValueError:
        return None
    return index if 0 <= index < count else None


def _edited_route(raw_route: list[Any], route: Sequence[Waypoint], rows: Sequence[Mapping[str, Any]]) -> list[Any]:
    """The route document after the editor's rows: kept items, changed places and speeds, new rows."""
    new_route: list[Any] = []
    for row in rows:
        index = _original_index(row.get("#"), len(raw_route))
        place, speed = _cell(row.get("place")), _cell(row.get("speed"))
        if index is None:
            if place or speed:  # a blank new row is not a waypoint yet
                new_route.append({"place": place, "speed": speed} if speed else place)
            continue
        item, waypoint = raw_route[index], route[index]
        if place != waypoint.point.label:
            if isinstance(item, Mapping):
                kept = {k: v for k, v in item.items() if k not in ("place", "at", "lat", "lon", "name")}
                item = {"place": place, **kept}
            else:
                item = place
        if speed != (waypoint.speed.text if waypoint.speed else ""):
            item = dict(item) if isinstance(item, Mapping) else {"place": item}
            if speed:
                item["speed"] = speed
            else:
                item.pop("speed", None)
        new_route.append(item)
    return new_route


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
    document = plain_data(document if document is not None else mission_document(text))
    changed = False
    for edit in edits:
        sortie = document["sorties"][edit.sortie_index]
        for key, value in (("takeoff", edit.takeoff), ("speed", edit.speed)):
            if value is not None and value.strip() != _cell(sortie.get(key)):
                sortie[key] = value.strip()
                changed = True
        if edit.rows is not None:
            route = _edited_route(sortie["route"], mission.sorties[edit.sortie_index].route, edit.rows)
            if route != sortie["route"]:
                sortie["route"] = route
                changed = True
    return mission_yaml(document) if changed else text


def sortie_fields(document: Mapping[str, Any], sortie_index: int) -> tuple[str, str]:
    """The takeoff time and speed of one sortie as written (:func:`mission_document`)."""
    sortie = document["sorties"][sortie_index]
    return _cell(sortie.get("takeoff")), _cell(sortie.get("speed"))
