"""Findings and the one verdict on a sortie: what the checks found, and whether it is ``ok``.

Every check (range budget, speed, airspace ``avoid`` list, weapon reach, missing catalogue figures)
reports :class:`Finding` values. :func:`status_of` turns the findings of a sortie into its one
:class:`Status`, and every face (text, JSON, map, dashboard) reads that value:

* ``not feasible`` when any finding is an error (an avoid-list breach, a leg beyond the remaining
  range, a leg above the maximum speed, a weapon launched beyond its reach);
* else ``unknown`` when a figure the checks need is missing (``kind`` :attr:`FindingKind.UNKNOWN`);
* else ``ok``.

This module imports nothing else from the package, so that every check can use it.

Examples
--------
>>> f = Finding(severity=Severity.ERROR, kind=FindingKind.AVOID, message="enters France")
>>> status_of([f]), status_of([]), ok_of([f])
(<Status.NOT_FEASIBLE: 'not feasible'>, <Status.OK: 'ok'>, False)
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from dataclasses import dataclass


class Severity(enum.StrEnum):
    """How much a finding matters: an error makes the sortie not feasible."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class FindingKind(enum.StrEnum):
    """What a finding is about."""

    RANGE = "range"  #: the fuel/range budget
    REFUEL = "refuel"  #: a refuelling: tanker, offload, refuellings needed
    SPEED = "speed"  #: a leg above the aircraft's maximum speed
    AVOID = "avoid"  #: a leg entering a country on the sortie's avoid list
    REACH = "reach"  #: a weapon track against the weapon's range
    UNKNOWN = "unknown"  #: a figure the checks need is missing (the catalogue lacks it)
    #: a weapon's speed is missing: its flight time and arrival are unknown; the verdict is unaffected
    TIMING = "timing"


class Status(enum.StrEnum):
    """The one verdict on a sortie (or a mission)."""

    OK = "ok"
    NOT_FEASIBLE = "not feasible"
    UNKNOWN = "unknown"


@dataclass(frozen=True, kw_only=True)
class Finding:
    """One thing found about a sortie or weapon, with where and when when it has a place."""

    severity: Severity
    kind: FindingKind
    message: str
    sortie: str | None = None  #: the sortie (or a weapon's launcher) it is about
    leg_index: int | None = None
    lat_deg: float | None = None
    lon_deg: float | None = None
    time: dt.datetime | None = None
    field: str | None = None  #: the field of the mission file to fix or fill in, e.g. ``sorties[0].aircraft``
    line: int | None = None  #: its line in the mission file

    def __post_init__(self) -> None:
        object.__setattr__(self, "severity", Severity(self.severity))
        object.__setattr__(self, "kind", FindingKind(self.kind))


def status_of(findings: Iterable[Finding]) -> Status:
    """The verdict of a set of findings: any error → not feasible; a missing figure → unknown."""
    status = Status.OK
    for f in findings:
        if f.severity is Severity.ERROR:
            return Status.NOT_FEASIBLE
        if f.kind is FindingKind.UNKNOWN:
            status = Status.UNKNOWN
    return status


def ok_of(findings: Iterable[Finding]) -> bool | None:
    """``True`` when ok, ``False`` when not feasible, ``None`` when unknown (JSON's ``ok``)."""
    status = status_of(findings)
    return None if status is Status.UNKNOWN else status is Status.OK


STATUS_TEXT = {Status.OK: "ok", Status.NOT_FEASIBLE: "NOT FEASIBLE as planned", Status.UNKNOWN: "unknown"}
