"""One meaning for ``ok``: the findings module, and text and JSON agreeing over the whole catalogue."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from missions.__main__ import main
from missions.findings import Finding, FindingKind, Severity, Status, ok_of, status_of

CATALOG = sorted((Path(__file__).resolve().parents[1] / "missions" / "catalog").glob("*.yaml"))
_TEXT_STATUS = {"ok": Status.OK, "NOT FEASIBLE as planned": Status.NOT_FEASIBLE, "unknown": Status.UNKNOWN}

AVOID = Path(__file__).resolve().parent / "data" / "avoid-spain.yaml"  #: a Tu-160 leg across Spain, avoid: [ESP]


def _f(severity: Severity, kind: FindingKind) -> Finding:
    return Finding(severity=severity, kind=kind, message="m")


def test_status_of__errors_win_over_unknown_and_unknown_over_ok():
    unknown = _f(Severity.WARNING, FindingKind.UNKNOWN)
    assert status_of([]) is Status.OK
    assert status_of([_f(Severity.WARNING, FindingKind.RANGE), _f(Severity.INFO, FindingKind.RANGE)]) is Status.OK
    assert status_of([unknown]) is Status.UNKNOWN
    for kind in (FindingKind.RANGE, FindingKind.SPEED, FindingKind.AVOID, FindingKind.REACH):
        assert status_of([unknown, _f(Severity.ERROR, kind)]) is Status.NOT_FEASIBLE
    assert (ok_of([]), ok_of([unknown]), ok_of([_f(Severity.ERROR, FindingKind.AVOID)])) == (True, None, False)


def test_finding__keyword_only_and_enums_from_text():
    f = Finding(severity="error", kind="avoid", message="enters Spain")  # type: ignore[arg-type]
    assert f.severity is Severity.ERROR and f.kind is FindingKind.AVOID
    with pytest.raises(TypeError):
        Finding(Severity.ERROR, FindingKind.AVOID, "positional")  # type: ignore[misc]
    with pytest.raises(ValueError):
        Finding(severity="fatal", kind="avoid", message="m")  # type: ignore[arg-type]


def _statuses(path: str, capsys: pytest.CaptureFixture[str]) -> tuple[list[Status], list[Status], list[bool | None]]:
    assert main(["report", path]) == 0
    text = capsys.readouterr().out
    in_text = [_TEXT_STATUS[m] for m in re.findall(r"^Feasibility: (.+)$", text, re.M)]
    assert main(["report", path, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    in_json = [Status(s["feasibility"]["status"]) for s in doc["sorties"]]
    oks = [s["feasibility"]["ok"] for s in doc["sorties"]]
    return in_text, in_json, oks


@pytest.mark.parametrize("path", CATALOG, ids=lambda p: p.stem)
def test_report__text_and_json_agree_on_ok(path: Path, capsys: pytest.CaptureFixture[str]):
    in_text, in_json, oks = _statuses(str(path), capsys)
    assert in_text == in_json
    assert oks == [None if s is Status.UNKNOWN else s is Status.OK for s in in_json]


def test_report__avoid_breach_is_not_ok_in_text_and_json(capsys: pytest.CaptureFixture[str]):
    in_text, in_json, oks = _statuses(str(AVOID), capsys)
    assert in_text == in_json == [Status.NOT_FEASIBLE] and oks == [False]


@pytest.mark.parametrize("path", [*CATALOG, AVOID], ids=lambda p: p.stem)
def test_status__dashboard_and_map_read_the_same_verdict(path: Path):
    """The dashboard's status table and the map legend show each sortie's one verdict."""
    from missions.airspace import mission_airspace
    from missions.analysis import compute_mission
    from missions.dashboard.frames import status_frame
    from missions.feasibility import assess
    from missions.findings import STATUS_TEXT
    from missions.parsing import load_mission
    from missions.render.map import build_map

    result = compute_mission(load_mission(path))
    air = mission_airspace(result)
    feas = assess(result, air)
    frame = status_frame(feas)
    expected = [STATUS_TEXT[sf.status] for sf in feas.sorties]
    assert list(frame["feasibility"]) == expected
    html = build_map(result, feasibility=feas, airspace=air).get_root().render()
    for sf, text in zip(feas.sorties, expected, strict=True):
        assert f"feasibility: {text}" in html, sf.result.sortie.name


def test_report__missing_figures_are_warnings_as_the_readme_shows(capsys: pytest.CaptureFixture[str]):
    """The README's two warning lines, for tests/data/unknown-figures.yaml (an unknown aircraft and tanker)."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    promised = [line for line in readme.splitlines() if line.startswith("warning: w.yaml:")]
    assert len(promised) == 2
    path = Path(__file__).resolve().parent / "data" / "unknown-figures.yaml"
    assert main(["report", str(path), "--no-countries"]) == 0
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [line.replace("w.yaml", str(path), 1) for line in promised]
    assert "Feasibility: unknown" in captured.out and "Total:" in captured.out
