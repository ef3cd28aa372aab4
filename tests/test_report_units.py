"""One unit choice: ``--units`` reaches every distance and speed the report prints.

The CLI runs as the README writes it (``python -m missions report FILE... --units nm`` and ``... --units
nm --json``) over every catalogue mission, through its ``main`` in this process (the literal commands run
under ``unshare -n`` in test_readme_commands). Text that the mission files themselves
hold (claim texts and sources, notes, source titles) is quoted as written and taken out first.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from missions.parsing import load_mission
from missions.units import format_distance, format_speed, message_units

ROOT = Path(__file__).resolve().parents[1]
CATALOG = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "missions" / "catalog").glob("*.yaml"))
#: a kilometre figure: "1,500 km", "900 km/h", "12 km" (not "kmh" inside a key name)
KM = re.compile(r"\d\s*km(?:/h)?\b")


def _quoted() -> list[str]:
    """Every string of the catalogue's files that a report may quote as written."""
    texts = []
    for path in CATALOG:
        mission = load_mission(ROOT / path)
        texts += [c.text for c in mission.claims] + [c.source for c in mission.claims]
        texts += [s.title for s in mission.sources]
    return sorted((t for t in texts if t), key=len, reverse=True)


def _run(*args: str) -> str:
    """``python -m missions ARGS`` through the CLI's ``main``, in this process, from the repository."""
    import contextlib
    import io
    import os

    from missions.__main__ import main

    out, err = io.StringIO(), io.StringIO()
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = main(list(args))
    finally:
        os.chdir(cwd)
    assert status == 0, err.getvalue()
    return out.getvalue()


@pytest.fixture(scope="module")
def quoted() -> list[str]:
    return _quoted()


def _strip(text: str, quoted: list[str]) -> str:
    for q in quoted:
        text = text.replace(q, "")
        text = text.replace(q[:60], "")  # the text table cuts sources at 60 characters
    return text


def test_report__units_nm_text_has_no_km_left(quoted: list[str]) -> None:
    out = _run("report", *CATALOG, "--units", "nm")
    left = [line for line in _strip(out, quoted).splitlines() if KM.search(line)]
    assert left == []
    # the figures that used to stay in km: average speed, feasibility lines, claim reasons, reach
    assert re.search(r"average [\d,]+ kn", out)
    assert re.search(r"lands with about [\d,]+ NM of range left", out)
    assert re.search(r"meets the computed [\d,.–]+ NM", out)
    assert re.search(r"in range \(\+[\d,]+ NM\)", out)


def test_report__units_nm_json_sentences_have_no_km(quoted: list[str]) -> None:
    docs = json.loads(_run("report", *CATALOG, "--units", "nm", "--json"))
    sentences = [f["message"] for d in docs for s in d["sorties"] for f in s["feasibility"]["findings"]]
    sentences += [c["reason"] for d in docs for c in d["claims"]]
    assert sentences and [s for s in sentences if KM.search(_strip(s, quoted))] == []
    # numbers keep their documented keys and units (km), whatever the display unit
    tu160 = next(d for d in docs if d["file"].endswith("tu160-2015-11-20.yaml"))
    assert tu160["sorties"][0]["distance_km"] == pytest.approx(14_581, abs=1)


def test_report__units_km_is_the_default_wording(quoted: list[str]) -> None:
    out = _run("report", CATALOG[0])
    assert re.search(r"average [\d,]+ km/h", out) and " NM" not in _strip(out, quoted)


def test_message_units__only_inside_the_block() -> None:
    with message_units("mi"):
        assert (format_distance(1609.344), format_speed(1.609344)) == ("1 mi", "1 mph")
    assert format_distance(1609.344) == "2 km"
    with pytest.raises(ValueError, match="units must be one of"), message_units("furlong"):  # type: ignore[arg-type]
        pass
