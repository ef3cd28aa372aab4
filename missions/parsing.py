"""The mission file format: YAML (or JSON) text → :class:`~missions.model.Mission`.

``parse_mission(text_or_data, file=...)`` is pure; ``load_mission(path)`` only opens the file.
Every problem raises :class:`~missions.errors.MissionError` naming the file, line and field. The
format is documented in the README ("Mission file format").
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from geodata.places import PlaceIndex

from .airspace.mission_plan import parse_user_groups
from .claims import QUALIFIER_WORDS, Quantity, parse_claim_text
from .errors import CombinedMissionError, MissionError, MissionFileError
from .files import read_capped
from .model import Claim, Mission, Source
from .parsing_fields import CLAIM_KEYS, MISSION_KEYS, SOURCE_KEYS, _as_list, _check_keys, _Ctx, _source_text, _text
from .parsing_sortie import _parse_launch, _parse_sortie
from .units import MACH_ALTITUDE_M
from .yamlio import MAX_FILE_BYTES, line_of, parse_yaml


def _parse_claim(ctx: _Ctx, data: Any, field: str, line: int | None) -> Claim:
    """A claim read as the press writes it (:func:`missions.claims.parse_claim_text`)."""
    _check_keys(ctx, data, CLAIM_KEYS, field, line, "a claim")
    raw = data.get("value")
    if raw is None:
        raise ctx.error("missing required field 'value' (e.g. 'nearly 16,000 km', '16 h')", f"{field}.value", line)
    qualifier = _text(ctx, data, "qualifier", field) or None
    where = "qualifier" if qualifier is not None and qualifier.lower() not in QUALIFIER_WORDS else "value"
    claim = ctx.wrap(lambda: parse_claim_text(str(raw), qualifier=qualifier), f"{field}.{where}", line_of(data, where))
    quantity = _text(ctx, data, "quantity", field).lower() or None
    if quantity is not None and quantity != claim.quantity:
        known = [q.value for q in Quantity]
        raise ctx.error(
            f"quantity {quantity!r} does not match the claimed {claim.quantity} {str(raw).strip()!r}"
            if quantity in known
            else f"unknown quantity {quantity!r}; use distance, duration or speed",
            f"{field}.quantity",
            line_of(data, "quantity"),
            tuple(difflib.get_close_matches(quantity, known, n=1)),
        )
    return Claim(
        quantity=claim.quantity,
        value=claim.value,
        text=str(raw).strip(),
        qualifier=claim.qualifier,
        sortie=_text(ctx, data, "sortie", field) or None,
        source=_source_text(data.get("source")),
        line=line,
        low=claim.low,
        high=claim.high,
        written_unit_si=claim.written_unit_si,
    )


def _parse_sources(ctx: _Ctx, data: Any) -> tuple[Source, ...]:
    if data is None:
        return ()
    sources = []
    for i, item in enumerate(_as_list(data)):
        if isinstance(item, Mapping):
            _check_keys(ctx, item, SOURCE_KEYS, f"sources[{i}]", line_of(data, i), "a source")
            title = str(item.get("title") or item.get("id") or item.get("url") or "").strip()
            url = str(item["url"]).strip() if item.get("url") else None
            sources.append(Source(title=title, url=url))
        else:
            sources.append(Source(title=str(item).strip()))
    return tuple(sources)


#: more sorties, or more points in all (waypoints, targets, via-points), than a mission may have: the
#: largest mission inside these (``benchmarks/synthetic.py``: 300 sorties, 3,000 points) reports, maps
#: and exports within 10 s of CPU time (``benchmarks/bench_hardening.py``); with the total route length
#: (:data:`missions.limits.MAX_ROUTE_M`) they bound the work of every command
MAX_SORTIES = 300
MAX_POINTS = 3_000


def _count_points(items: Any) -> int:
    """Points named in raw sortie or launch data: route entries, targets and via-points (no parsing)."""
    total = 0
    for item in items if isinstance(items, list) else ():
        if not isinstance(item, Mapping):
            continue
        for key in ("route", "targets", "via"):
            value = item.get(key)
            total += len(value) if isinstance(value, list) else 0
        total += _count_points(item.get("route")) + _count_points(_as_list(item.get("launch") or []))
    return total


def _check_size(ctx: _Ctx, root: Mapping[str, Any], sorties_raw: list[Any], launches_raw: list[Any]) -> None:
    """Refuse, before any work, a mission too large to compute and draw in reasonable time."""
    if len(sorties_raw) > MAX_SORTIES:
        raise ctx.error(
            f"{len(sorties_raw):,} sorties; a mission may have at most {MAX_SORTIES:,} (split it into several files)",
            "sorties",
            line_of(root, "sorties"),
        )
    points = _count_points(sorties_raw) + _count_points(launches_raw)
    if points > MAX_POINTS:
        raise ctx.error(
            f"{points:,} waypoints, targets and via-points; a mission may have at most {MAX_POINTS:,} "
            "(split it into several files)",
            "sorties",
            line_of(root, "sorties"),
        )


def parse_mission(
    data: str | bytes | Mapping[str, Any], *, file: str | None = None, gazetteer: PlaceIndex | None = None
) -> Mission:
    """Read a mission from YAML/JSON text (or already-parsed data) and check it.

    Raises :class:`MissionError` (file, line, field, problem) on any problem;
    :class:`CombinedMissionError` when several places are unknown (one error each, with suggestions).
    """
    ctx = _Ctx(file, gazetteer)
    try:
        mission = _parse_root(ctx, data, file)
    except MissionError as exc:
        if ctx.place_errors:  # the unknown places before this problem are reported with it
            raise CombinedMissionError([*ctx.place_errors, exc]) from None
        raise
    if ctx.place_errors:
        raise CombinedMissionError(ctx.place_errors) if len(ctx.place_errors) > 1 else ctx.place_errors[0]
    return mission


def _parse_root(ctx: _Ctx, data: str | bytes | Mapping[str, Any], file: str | None) -> Mission:
    root = parse_yaml(data, file=file) if isinstance(data, str | bytes) else data
    if not isinstance(root, Mapping):
        raise MissionFileError(
            "a mission file must be a mapping with 'name' and 'sorties'",
            file=file,
            line=getattr(root, "line", None),
        )
    _check_keys(ctx, root, MISSION_KEYS, "", getattr(root, "line", 1), "the mission")
    name = _text(ctx, root, "name", "", required=True)
    sorties_raw = root.get("sorties") or []
    launches_raw = root.get("launches") or []
    for key, raw in (("sorties", sorties_raw), ("launches", launches_raw)):
        if not isinstance(raw, list):
            raise ctx.error(f"'{key}' must be a list", key, line_of(root, key))
    if not sorties_raw and not launches_raw:
        raise ctx.error(
            "a mission needs at least one sortie (or a ship/ground launch)",
            "sorties",
            line_of(root, "sorties") or line_of(root, "name"),
        )
    _check_size(ctx, root, sorties_raw, launches_raw)
    ctx.groups = ctx.wrap(lambda: parse_user_groups(root.get("groups")), "groups", line_of(root, "groups"))
    sorties = tuple(_parse_sortie(ctx, s, f"sorties[{i}]", line_of(sorties_raw, i)) for i, s in enumerate(sorties_raw))
    names = [s.name for s in sorties]
    for i, sortie in enumerate(sorties):
        if names.count(sortie.name) > 1:
            raise ctx.error(
                f"two sorties are called {sortie.name!r}; names must be unique",
                f"sorties[{i}].name",
                sortie.line,
            )
        for j, wp in enumerate(sortie.route):
            for join in wp.joins:
                if join.sortie not in names or join.sortie == sortie.name:
                    raise ctx.error(
                        f"joins unknown sortie {join.sortie!r}",
                        f"sorties[{i}].route[{j}].join",
                        wp.point.line,
                        tuple(difflib.get_close_matches(join.sortie, names, n=3)),
                    )
    launches = tuple(
        _parse_launch(ctx, item, f"launches[{i}]", line_of(launches_raw, i), ship=True, mach_altitude_m=MACH_ALTITUDE_M)
        for i, item in enumerate(launches_raw)
    )
    claims_raw = root.get("claims") or []
    if not isinstance(claims_raw, list):
        raise ctx.error("'claims' must be a list", "claims", line_of(root, "claims"))
    claims = tuple(_parse_claim(ctx, c, f"claims[{i}]", line_of(claims_raw, i)) for i, c in enumerate(claims_raw))
    for i, claim in enumerate(claims):
        if claim.sortie is not None and claim.sortie not in names:
            raise ctx.error(
                f"claim names unknown sortie {claim.sortie!r}",
                f"claims[{i}].sortie",
                claim.line,
                tuple(difflib.get_close_matches(claim.sortie, names, n=3)),
            )
    return Mission(
        name=name,
        sorties=sorties,
        launches=launches,
        claims=claims,
        sources=_parse_sources(ctx, root.get("sources")),
        date=_text(ctx, root, "date", ""),
        description=_text(ctx, root, "description", "") or _text(ctx, root, "notes", ""),
        file=file,
    )


def load_mission(path: str | Path, *, gazetteer: PlaceIndex | None = None) -> Mission:
    """Open a mission file (YAML or JSON) and parse it; errors name the file."""
    label = str(path)
    raw = read_capped(path, MAX_FILE_BYTES, label=label, what="mission files")
    return parse_mission(raw, file=label, gazetteer=gazetteer)
