"""Groups of states (NATO, EU, CSTO) with membership by date, and each state's dependencies.

``groups.yaml`` holds the groups, their founding dates, members with the dates they joined (and
left) and the sources; ``sovereigns.yaml`` (built by ``build_airspace.py`` from Natural Earth's
``SOV_A3``) lists the Natural Earth units that belong to another state (Greenland to Denmark,
Gibraltar to the United Kingdom). Pure parsing in :func:`parse_groups`; :func:`load_groups` reads
the embedded file. Errors are :class:`ValueError` naming the group and field (``geodata`` imports
nothing from ``missions``; the caller adds the file and line).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

GROUPS_PATH = Path(__file__).with_name("groups.yaml")
#: libyaml's loader when PyYAML has it (10× faster than the pure-Python one; same safe types)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
SOVEREIGNS_PATH = Path(__file__).with_name("sovereigns.yaml")


@dataclass(frozen=True, kw_only=True)
class Membership:
    """One state's membership of a group over a span of days: ``joined <= day < left``."""

    iso3: str  #: Natural Earth ADM0_A3 of the sovereign state
    joined: dt.date
    left: dt.date | None = None

    def on(self, day: dt.date) -> bool:
        return self.joined <= day and (self.left is None or day < self.left)


@dataclass(frozen=True, kw_only=True)
class Group:
    """A named group of states whose membership changes with time."""

    key: str  #: as written in ``avoid:`` (upper case), e.g. ``NATO``
    name: str
    founded: dt.date
    source: str
    members: tuple[Membership, ...]

    def members_on(self, day: dt.date) -> tuple[str, ...]:
        """ADM0_A3 codes of the members on ``day`` (sorted); ``ValueError`` before ``founded``."""
        if day < self.founded:
            raise ValueError(f"{self.key} did not exist on {day.isoformat()} (founded {self.founded.isoformat()})")
        return tuple(sorted({m.iso3 for m in self.members if m.on(day)}))


def _date(value: Any, where: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"{where}: {value!r} is not a date (YYYY-MM-DD)") from None


def read_yaml(path: Path) -> Any:
    """One of the embedded YAML files, parsed with the safe loader (libyaml's when available)."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)  # a safe loader


def parse_groups(data: Mapping[str, Any]) -> dict[str, Group]:
    """Groups from the parsed ``groups.yaml`` mapping (see the file's header)."""
    out: dict[str, Group] = {}
    for key, body in (data.get("groups") or {}).items():
        where = f"groups.{key}"
        members = []
        for k, m in enumerate(body.get("members") or []):
            left = m.get("left")
            members.append(
                Membership(
                    iso3=str(m["iso3"]).upper(),
                    joined=_date(m["joined"], f"{where}.members[{k}].joined"),
                    left=None if left is None else _date(left, f"{where}.members[{k}].left"),
                )
            )
        if not body.get("source"):
            raise ValueError(f"{where}.source: every group names its source")
        out[str(key).upper()] = Group(
            key=str(key).upper(),
            name=str(body.get("name", key)),
            founded=_date(body["founded"], f"{where}.founded"),
            source=" ".join(str(body["source"]).split()),
            members=tuple(members),
        )
    return out


@functools.lru_cache(maxsize=1)
def load_groups() -> dict[str, Group]:
    """The embedded groups (cached: do not modify)."""
    return parse_groups(read_yaml(GROUPS_PATH))


@functools.lru_cache(maxsize=1)
def load_dependencies() -> dict[str, tuple[str, ...]]:
    """For each sovereign state (ADM0_A3), the other Natural Earth units that belong to it."""
    data = read_yaml(SOVEREIGNS_PATH)
    return {str(k): tuple(str(v) for v in vs) for k, vs in (data.get("dependencies") or {}).items()}
