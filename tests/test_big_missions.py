"""Big missions inside the limits: every command works on them, and one over a limit is refused at once.

The limits (:data:`missions.parsing.MAX_SORTIES`, :data:`~missions.parsing.MAX_POINTS`,
:data:`missions.limits.MAX_ROUTE_M`) are set so that the largest mission inside them reports, maps and
exports within 10 s (``benchmarks/bench_hardening.py`` times it; tests time nothing). Here: a mission
at the sortie limit is accepted, one sortie more is refused in a fraction of a second with one line;
routes over the length cap are refused; the benchmarks' synthetic mission (every kind of work:
refuelling, launches, via-points, radii) goes through ``report --json``, ``map`` and ``export`` and
the dashboard at a size the suite can afford.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from benchmarks.synthetic import synthetic_mission_yaml
from missions.__main__ import main
from missions.limits import MAX_ROUTE_M
from missions.parsing import MAX_POINTS, MAX_SORTIES

APP = Path(__file__).resolve().parent.parent / "app.py"


def _short_sorties(n: int) -> str:
    """``n`` sorties of one short leg each (over the sea west of Africa: no country to cross)."""
    lines = ["name: Many short sorties", "sorties:"]
    for i in range(n):
        lines += [
            f"  - name: S{i}",
            "    aircraft: Tu-160",
            "    takeoff: 2015-11-20T00:00:00Z",
            "    speed: 900 km/h",
            f"    route: ['{i % 10}.5, -30', '{i % 10}.5, -29']",
        ]
    return "\n".join(lines) + "\n"


def test_cli__mission_at_the_sortie_limit_accepted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "limit.yaml"
    path.write_text(_short_sorties(MAX_SORTIES), encoding="utf-8")
    assert main(["validate", str(path)]) == 0
    assert f"{MAX_SORTIES} sortie(s)" in capsys.readouterr().out


def test_cli__one_sortie_over_the_limit_refused_at_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "over.yaml"
    path.write_text(_short_sorties(MAX_SORTIES + 1), encoding="utf-8")
    start = time.process_time()
    assert main(["report", "--json", str(path)]) == 2
    assert time.process_time() - start < 2.0  # refused before any computing (generous: the suite runs loaded)
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        f"error: {path}:2: sorties: {MAX_SORTIES + 1:,} sorties; a mission may have at most {MAX_SORTIES:,} "
        "(split it into several files)"
    ]


def test_cli__points_over_the_limit_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # few sorties, many waypoints each: the point limit, not the sortie limit, refuses it
    per_sortie = MAX_POINTS // 4 + 1
    text = synthetic_mission_yaml(4, per_sortie - 2)  # each sortie adds a target and a via-point
    path = tmp_path / "points.yaml"
    path.write_text(text, encoding="utf-8")
    assert main(["validate", str(path)]) == 2
    assert f"{4 * per_sortie:,} waypoints, targets and via-points" in capsys.readouterr().err


def test_cli__routes_over_the_length_cap_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # legs across the world and back: each ~20,000 km; enough of them to pass the cap
    legs = int(MAX_ROUTE_M / 19_900_000.0) + 2
    per_sortie = 50
    sorties = -(-legs // per_sortie)
    lines = ["name: Around and around", "sorties:"]
    for i in range(sorties):
        route = ", ".join(f"'0, {0 if k % 2 == 0 else 179.5}'" for k in range(per_sortie + 1))
        lines += [
            f"  - name: R{i}",
            "    aircraft: Tu-160",
            "    takeoff: 2015-11-20T00:00:00Z",
            "    speed: Mach 30",
            f"    route: [{route}]",
        ]
    path = tmp_path / "length.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert sorties <= MAX_SORTIES and sorties * (per_sortie + 1) <= MAX_POINTS  # inside the other limits
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "km in all (split it into several files)" in err[0] and "sorties" in err[0], err


@pytest.fixture(scope="module")
def synthetic_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("big") / "synthetic.yaml"
    path.write_text(synthetic_mission_yaml(15), encoding="utf-8")
    return path


def test_cli__synthetic_mission_reports_maps_and_exports(
    synthetic_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "--json", str(synthetic_file)]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert len(doc["sorties"]) == 15
    sortie = doc["sorties"][3]
    assert [leg["index"] for leg in sortie["legs"]] == list(range(7)) and len(sortie["waypoints"]) == 8
    assert len(sortie["launches"]) == 1 and sortie["launches"][0]["weapon"] == "Kh-555"
    assert sortie["countries"] and sortie["feasibility"]["status"] in ("ok", "not feasible", "unknown")
    # each sortie's rows are its own (rows are grouped by sortie once, not scanned per sortie)
    assert all(
        s["name"] == f"S{i}" and s["legs"][0]["from"] == s["waypoints"][0]["name"] for i, s in enumerate(doc["sorties"])
    )
    html = synthetic_file.with_suffix(".html")
    assert main(["map", str(synthetic_file), "-o", str(html)]) == 0
    assert html.stat().st_size > 100_000
    geojson = synthetic_file.with_suffix(".geojson")
    assert main(["export", str(synthetic_file), "--format", "geojson", "-o", str(geojson)]) == 0
    features = json.loads(geojson.read_text(encoding="utf-8"))["features"]
    assert {f["properties"].get("sortie") for f in features} >= {f"S{i}" for i in range(15)}


def test_app__synthetic_mission_draws_summary_tables_and_asks_which_sortie(synthetic_file: Path) -> None:
    text = synthetic_file.read_text(encoding="utf-8")
    at = AppTest.from_file(str(APP), default_timeout=180).run()
    at.radio(key="source").set_value("Paste").run()
    at.text_area(key="paste").set_value(text).run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    labels = [m.label for m in at.metric]
    assert "Total distance" in labels
    assert any(s.label.startswith("Sortie to edit (15 sorties)") for s in at.selectbox)
    assert not [t for t in at.tabs if t.label == "S0"]  # no tab per sortie
    tables = [d.value for d in at.dataframe if not (d.key or "").startswith("route-")]
    assert any(len(t) == 15 * 7 for t in tables)  # the legs table: every sortie's legs
