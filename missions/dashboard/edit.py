"""The dashboard's sortie editor on the mission text: rows in, edited YAML out (no Streamlit).

A sortie is edited on the mission text itself through a round-trip YAML reader (``ruamel.yaml``), so
everything the user did not touch (sources, notes, claims, events, comments, layout) is kept as
written, and the edited mission is downloaded as the YAML text it was parsed from: loading that
file gives the mission on screen.

Examples
--------
>>> from missions.parsing import parse_mission
>>> text = '''
... name: Along the equator
... sorties:
...   - {name: A, aircraft: Tu-160, takeoff: 2015-11-20T00:00:00Z, speed: 900 km/h, route: ["0, 0", "0, 10"]}
... '''
>>> edited = edit_mission(text, parse_mission(text), [SortieEdit(0, takeoff="2015-11-20T05:00:00Z")])
>>> parse_mission(edited).sorties[0].takeoff.hour
5
"""

from __future__ import annotations

import copy
import functools
import io
import math
from collections.abc import Mapping, MutableMapping, Sequence
from typing import Any, NamedTuple

import pandas as pd
import yaml

from ..errors import MissionFileError
from ..model import Mission, Waypoint
from ..tables import waypoint_events
from ..yamlio import parse_yaml

#: columns of the waypoint editor; ``#`` numbers the unedited route's waypoints from 1 (empty for new rows)
EDITOR_COLUMNS = ("#", "place", "speed", "events")
#: libyaml's dumper when PyYAML has it (same output as the pure-Python one, faster)
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


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


@functools.lru_cache(maxsize=8)
def _indents(text: str) -> tuple[int | None, int | None]:
    """The file's mapping and sequence indents (ruamel reads the whole file to guess them: once per text)."""
    from ruamel.yaml.util import load_yaml_guess_indent

    _, indent, block_seq_indent = load_yaml_guess_indent(text)
    return indent, block_seq_indent


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
    rt = _round_trip_yaml()
    indent, block_seq_indent = _indents(text)
    tree = rt.load(text)  # a fresh tree each time (a deep copy of a cached one loses timestamps' zones)
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
