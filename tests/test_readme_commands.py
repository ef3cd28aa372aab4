"""Every command the README shows, run exactly as the README writes it, with no network.

The commands are read from the README itself (its code blocks, and the ``python -m missions ...`` it
quotes in the text), so that a README edit that breaks a command, or adds one without a check, fails
here. Each runs as a user types it: ``bash -c LINE`` in a scratch copy of the repository root (every
top-level entry linked, so files the commands write land in the scratch folder), with ``python`` this
interpreter, under ``unshare -n`` (no network namespace: the CLI is offline or fails).

* Concrete commands (``python -m missions report missions/catalog/tu160-2015-11-20.yaml``) run as
  written, a block's commands in order; the check is what the README says beside them.
* Synopsis lines (``python -m missions map FILE -o OUT.html [--units nm] ...``): every option and
  choice shown exists, and one or two instances with every option filled in run and give what the
  README promises (formats, units, self-contained HTML, escaping).
* The two commands a new user types first (install and run the dashboard; install and run the tests)
  lead the README, and the test command is the one ``.ci/run`` runs.

The README's limits and error lines are checked against the code in ``tests/test_readme_limits.py``.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import re
import shlex
import shutil
import struct
import subprocess
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from lxml import etree

from missions.__main__ import build_parser
from missions.render.offline import external_urls

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
TU160 = "missions/catalog/tu160-2015-11-20.yaml"
CATALOGUE = sorted((ROOT / "missions" / "catalog").glob("*.yaml"))
#: a mission whose every string is hostile: markup, a formula, a javascript: link, braces
HOSTILE_NAME = "<img src=x onerror=alert(1)>"
HOSTILE = f"""\
name: "{HOSTILE_NAME}"
sources:
  - {{title: "=HYPERLINK(\\"http://evil\\")", url: "javascript:alert(1)"}}
sorties:
  - name: "{HOSTILE_NAME}"
    aircraft: Tu-160
    takeoff: 2015-11-20T03:00:00Z
    speed: 900 km/h
    route:
      - {{place: "68.1517, 33.47", name: "=1+2 {{{{ x }}}}"}}
      - {{place: "60.0, 5.0", name: "{HOSTILE_NAME}", source: "javascript:alert(2)"}}
      - 68.1517, 33.47
"""


def readme_text() -> str:
    return README.read_text(encoding="utf-8")


@dataclass(frozen=True)
class Block:
    """A fenced code block of the README: its first line's number, its language and its lines."""

    line: int
    lang: str
    lines: tuple[str, ...]


def code_blocks(text: str) -> list[Block]:
    blocks, current, start, lang = [], None, 0, ""
    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith("```"):
            if current is None:
                current, start, lang = [], number, line[3:].strip()
            else:
                blocks.append(Block(line=start, lang=lang, lines=tuple(current)))
                current = None
        elif current is not None:
            current.append(line)
    return blocks


def _command_of(line: str) -> str | None:
    line = line.removeprefix("$ ").strip()
    if re.match(r"([A-Z_]+=\S+ )*(python|pip|streamlit|missions) ", line):
        return line
    return None


def readme_commands(text: str) -> list[str]:
    """Every command line of the README's code blocks, then every ``python -m missions`` quoted inline."""
    found = [c for b in code_blocks(text) if b.lang in ("", "bash") for c in map(_command_of, b.lines) if c]
    prose = re.sub(r"```.*?```", "", text, flags=re.S)
    found += [m.group(1) for m in re.finditer(r"`((?:[A-Z_]+=\S+ )*python -m missions [^`]+)`", prose)]
    return list(dict.fromkeys(found))


def _is_synopsis(command: str) -> bool:
    words = shlex.split(command.split(" #")[0])
    return any(ch in command for ch in "[|") or any(re.fullmatch(r"[A-Z][A-Z.]*", w) for w in words) or "..." in words


# ---------------------------------------------------------------------------------------------- running


def _unshare_ok() -> bool:
    if shutil.which("unshare") is None or shutil.which("bash") is None:
        return False
    return subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode == 0


UNSHARE = _unshare_ok()
needs_unshare = pytest.mark.skipif(not UNSHARE, reason="`unshare -n` is unavailable (needs root or user namespaces)")


def scratch_root(tmp_path: Path) -> Path:
    """The repository root as a user sees it, in a scratch folder: every top-level entry linked."""
    root = tmp_path / "repo"
    root.mkdir()
    for entry in ROOT.iterdir():
        if entry.name not in (".git", "tests") and not entry.name.startswith((".pytest", ".hypothesis")):
            (root / entry.name).symlink_to(entry)
    (root / "tests").mkdir()
    (root / "tests" / "data").symlink_to(ROOT / "tests" / "data")
    return root


def run_as_written(root: Path, line: str, timeout_s: float = 300) -> subprocess.CompletedProcess[str]:
    """``line`` as a user types it at ``root``, with no network; ``python`` is this interpreter."""
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.pop("PYTHONPATH", None)
    done = subprocess.run(
        ["unshare", "-n", "bash", "-c", line], cwd=root, env=env, capture_output=True, text=True, timeout=timeout_s
    )
    assert "Traceback" not in done.stderr, done.stderr
    return done


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", path
    return struct.unpack(">II", head[16:24])


def svg_size_pt(path: Path) -> tuple[float, float]:
    root = etree.parse(str(path)).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    return float(root.get("width").removesuffix("pt")), float(root.get("height").removesuffix("pt"))


def json_keys(value: object) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in json_keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in json_keys(v)}
    return set()


def countries_of(report: str, sortie: str) -> str:
    """The ``Airspace:`` line of a sortie in the text report."""
    section = report.split(f"Sortie: {sortie}", 1)[1]
    return re.search(r"^Airspace: (.*)$", section, re.M).group(1)


def ok(done: subprocess.CompletedProcess[str]) -> None:
    assert done.returncode == 0, done.stderr


# ----------------------------------------------------------------------- concrete commands, as written


@dataclass(frozen=True)
class Scenario:
    """README commands run in order in one scratch root, after ``setup`` writes what the README names."""

    commands: tuple[str, ...]
    check: Callable[[Path, list[subprocess.CompletedProcess[str]]], None]
    setup: Callable[[Path], None] = field(default=lambda root: None)


def _check_tu160_report(root: Path, runs: list[subprocess.CompletedProcess[str]]) -> None:
    (done,) = runs
    ok(done)
    out = done.stdout
    # the figures the README states for this mission ("Feasibility and verdicts", "Overflight")
    assert "Total: 14,581 km in 16 h 37 min" in out
    assert "14,043 km from takeoff" in out and "lands 538 km short of Olenya" in out and "63.60, 37.44" in out
    assert "Feasibility: NOT FEASIBLE as planned" in out and "needs 1 more refuelling with the Il-78M" in out
    for country, km in [("Spain (ESP)", 95), ("Italy (ITA)", 91), ("Syria (SYR)", 534), ("Iraq (IRQ)", 384),
                        ("Iran (IRN)", 413), ("Azerbaijan (AZE)", 69)]:  # fmt: skip
        assert f"  {country}: {km} km" in out, country
    # legs table, totals, weapons, claims (the README's comment on the command)
    assert "Weapons:" in out and "16 × Kh-555" in out and "Claims:" in out
    claims = out.split("Claims:", 1)[1]
    assert re.search(r"about 16,000\.0 km .* consistent", claims) and re.search(
        r"more than 13,000\.0 km .* consistent", claims
    )
    assert re.search(r"9,500\.0 km .* inconsistent", claims) and "average of 572 km/h" in claims


def _check_validate(root: Path, runs: list[subprocess.CompletedProcess[str]]) -> None:
    (done,) = runs
    ok(done)
    assert [line.split(": ok (")[0] for line in done.stdout.splitlines()] == [
        f"missions/catalog/{p.name}" for p in CATALOGUE
    ]
    assert "error:" not in done.stderr


def _check_figures(root: Path, runs: list[subprocess.CompletedProcess[str]]) -> None:
    for done in runs:
        ok(done)
    assert png_size(root / "tu160.png") == (1600, 1000)  # --size web, the default
    svgs = sorted((root / "figures").glob("*"))
    assert [p.name for p in svgs] == [p.with_suffix(".svg").name for p in CATALOGUE]  # one per mission
    for svg in svgs:
        width, height = svg_size_pt(svg)
        assert width == height == pytest.approx(1080 * 72 / 100)  # square: 1080×1080 px (100 dpi)


def _check_draft(root: Path, runs: list[subprocess.CompletedProcess[str]]) -> None:
    draft, report = runs
    ok(draft)
    ok(report)
    text = (root / "draft.yaml").read_text(encoding="utf-8")
    assert "\n# review: " in text and "# --- mentions that could not be placed ---" in text
    assert "source: " in text and "note: 'review: " in text
    assert "Sortie: Tu-160 sortie" in report.stdout and "Total: " in report.stdout


def _check_places(root: Path, runs: list[subprocess.CompletedProcess[str]]) -> None:
    (done,) = runs
    ok(done)
    block = next(
        b for b in code_blocks(readme_text()) if b.lines and b.lines[0].startswith("$ python -m missions places")
    )
    assert [line.rstrip() for line in done.stdout.splitlines()] == [line.rstrip() for line in block.lines[1:]]


def _check_plans(root: Path, runs: list[subprocess.CompletedProcess[str]]) -> None:
    eu, nato = runs
    ok(eu)
    ok(nato)
    # -o writes the turning points as a route: list; --claim sets the claim beside the route
    assert eu.stdout.startswith("shortest route avoiding EU (2021-06-01): ")
    assert "the claimed 5,000 km is" in eu.stdout
    route = (root / "planned.yaml").read_text(encoding="utf-8")
    assert "\nroute:\n- name: 51.5, -0.12\n" in route and "- name: planned 1\n" in route
    # the README's table: avoiding NATO (2015), Sweden and Finland, 8,893 km, +136 % over 3,766 km
    head = nato.stdout.splitlines()[0]
    length = int(re.search(r": ([\d,]+) km", head).group(1).replace(",", ""))
    assert f"| NATO (2015), Sweden, Finland | {length:,} km:" in readme_text(), head  # the README's table row
    assert "(3,766 km)" in head and re.search(r"\+13[56]\.\d %", head), head


def save_yaml_after(marker: str, name: str) -> Callable[[Path], None]:
    """A setup that saves the README's first YAML block after ``marker`` as ``name`` ("Saved as ...")."""

    def setup(root: Path) -> None:
        text = readme_text()
        block = re.search(r"```yaml\n(.*?)```", text[text.index(marker) :], re.S)
        (root / name).write_text(block.group(1), encoding="utf-8")

    return setup


def _check_planned(root: Path, runs: list[subprocess.CompletedProcess[str]]) -> None:
    (done,) = runs
    ok(done)
    out = done.stdout
    # out round Iberia (planned 1 … planned 8), back over Italy, Germany, Belgium (planned 9, 10), flagged
    assert "planned 8" in out and "planned 10" in out and "planned 11" not in out
    assert re.search(r"planned 9 .*enters Germany \(DEU\), to be avoided", out)
    assert not re.search(r"planned [1-8] →.*to be avoided", out)
    assert re.search(r"^ 1\*  51\.5, -0\.12  planned 1 ", out, re.M)  # the `*` in the `#` column
    assert "* planned: the shortest" in out  # and its footnote


def _check_round_europe(root: Path, runs: list[subprocess.CompletedProcess[str]]) -> None:
    (done,) = runs
    ok(done)
    out = done.stdout
    total = int(re.search(r"Total: ([\d,]+) km", out).group(1).replace(",", ""))
    assert abs(total - 8_893) <= 2  # "the 8,893 km way out"
    assert "planned 13" in out and "planned 14" not in out and "Strait of Gibraltar" in out
    legs = [line for line in out.splitlines() if re.match(r"\s*\d+\*?\s", line)]
    assert legs and all(re.match(r"\s*\d+\*\s", line) for line in legs)  # every leg marked `*`


SCENARIOS: dict[str, Scenario] = {
    "report": Scenario(commands=(f"python -m missions report {TU160}",), check=_check_tu160_report),
    "validate": Scenario(commands=("python -m missions validate missions/catalog/*.yaml",), check=_check_validate),
    "figures": Scenario(
        commands=(
            f"python -m missions figure {TU160} -o tu160.png --units nm --claims",
            "python -m missions figure missions/catalog -o figures/ --format svg --size square",
        ),
        check=_check_figures,
    ),
    "draft": Scenario(
        commands=(
            "python -m missions draft tests/data/articles/seed_tu160_2015.txt -o draft.yaml",
            "python -m missions report draft.yaml",
        ),
        check=_check_draft,
    ),
    "places": Scenario(
        commands=("python -m missions places Tripoli --near 33.9,35.5 --kind city --limit 2",), check=_check_places
    ),
    "plan": Scenario(
        commands=(
            'python -m missions plan "51.5, -0.12" "32.9, 13.2" --avoid EU --date 2021-06-01 -o planned.yaml'
            " --claim 5000",
            'python -m missions plan Olenya "Eastern Mediterranean" --via "Strait of Gibraltar" --avoid NATO,SWE,FIN'
            " --date 2015-11-20",
        ),
        check=_check_plans,
    ),
    "planned stretch": Scenario(
        commands=("python -m missions report planned.yaml",),
        check=_check_planned,
        setup=save_yaml_after("### Planned stretch (`plan:`)", "planned.yaml"),
    ),
    "planned sortie": Scenario(
        commands=("python -m missions report round-europe.yaml",),
        check=_check_round_europe,
        setup=save_yaml_after("A whole sortie can be planned", "round-europe.yaml"),
    ),
}


@needs_unshare
@pytest.mark.parametrize("name", list(SCENARIOS))
def test_readme_command__runs_as_written_offline(name: str, tmp_path: Path) -> None:
    scenario = SCENARIOS[name]
    commands = readme_commands(readme_text())
    root = scratch_root(tmp_path)
    scenario.setup(root)
    runs = []
    for command in scenario.commands:
        written = next((c for c in commands if c.split(" #")[0].rstrip() == command), None)
        assert written is not None, f"the README no longer shows {command!r}"
        runs.append(run_as_written(root, written))
    scenario.check(root, runs)


# ------------------------------------------------------------------------------ synopsis lines


def _synopsis_parts(line: str) -> tuple[list[str], list[str], list[list[str]]]:
    """The subcommands, the options and the alternatives (``a|b|c``) a synopsis line shows."""
    text = line.split(" #")[0]
    words = text.split()
    subs = [words[3], words[5]] if words[4:5] == ["|"] else [words[3]]  # `aircraft | weapons`
    options = re.findall(r"(?<![\w-])(-o|--[a-z][a-z0-9-]*)", text)
    choices = [c.split("|") for c in re.findall(r"(?<=[\s\[])((?:[a-z0-9]+\|)+(?:[a-z0-9]+|\.\.\.))", text)]
    return subs, options, [[a for a in alternatives if a != "..."] for alternatives in choices]


def _subparser(name: str) -> argparse.ArgumentParser:
    action = next(a for a in build_parser()._actions if a.dest == "command")
    return action.choices[name]


def command_block() -> list[str]:
    """The lines of the "Command line" section's synopsis block."""
    block = readme_text().split("## Command line", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    return [c for c in map(_command_of, block.splitlines()) if c]


def test_readme_synopsis__options_and_choices_exist() -> None:
    lines = command_block()
    assert len(lines) >= 13, lines
    for line in lines:
        subs, options, choices = _synopsis_parts(line)
        for name in subs:
            actions = _subparser(name)._actions
            known = {s for a in actions for s in a.option_strings}
            assert set(options) <= known, (line, set(options) - known)
            for alternatives in choices:  # each a|b|c: the choices of an option, or named in its help
                assert any(
                    set(alternatives) <= set(a.choices or ()) or all(w in (a.help or "") for w in alternatives)
                    for a in actions
                ), (line, alternatives)


@dataclass(frozen=True)
class Instance:
    """A synopsis line filled in; run as written; ``check`` sees the scratch root and the run."""

    command: str
    check: Callable[[Path, subprocess.CompletedProcess[str]], None]


def _hostile(root: Path) -> None:
    (root / "hostile.yaml").write_text(HOSTILE, encoding="utf-8")


def _report_json(root: Path, done: subprocess.CompletedProcess[str]) -> None:
    ok(done)
    reports = json.loads(done.stdout)
    assert isinstance(reports, list) and [r["file"] for r in reports] == [
        TU160,
        "missions/catalog/engels-2015-11-17.yaml",
    ]
    text = readme_text()
    section = text.split("### JSON report (`--json`)", 1)[1].split("\n## ", 1)[0]
    named = {k.split(".")[-1] for k in re.findall(r"`([a-z_.]+)(?:\[\])?`", section)} - {"unknown"}
    missing = named - json_keys(reports)
    assert not missing, f"keys the README names that the JSON lacks: {sorted(missing)}"
    # indented by two spaces; numbers unrounded, never in exponent form; times ISO 8601 UTC
    assert done.stdout.startswith('[\n  {\n    "name": ')
    assert not re.search(r"[:\[,]\s*-?\d+(\.\d+)?[eE][-+]?\d", done.stdout)
    times = [t for r in reports for s in r["sorties"] for t in (s["takeoff"], s["landing"])]
    assert times and all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", t) for t in times), times
    # numbers keep their documented units; sentences are in the chosen unit (nm)
    assert reports[0]["sorties"][0]["distance_km"] == pytest.approx(14_580.8, abs=0.1)
    messages = [f["message"] for s in reports[0]["sorties"] for f in s["feasibility"]["findings"]]
    assert any(" NM" in m for m in messages) and not any(re.search(r"\d km\b", m) for m in messages)


def _report_json_one(root: Path, done: subprocess.CompletedProcess[str]) -> None:
    """ "one JSON object per file (a list for several)"; strings kept as written (JSON is data)."""
    ok(done)
    report = json.loads(done.stdout)
    assert isinstance(report, dict) and report["name"] == HOSTILE_NAME


def _report_land_only(root: Path, done: subprocess.CompletedProcess[str]) -> None:
    ok(done)
    land = countries_of(done.stdout, "Blackjack pair")
    # the sovereign rule (the default) clips Spain's and Italy's sea; by land alone the route does not
    assert "ESP" not in land and "ITA" not in land and "SYR > IRQ > IRN" in land


def _map_offline(root: Path, done: subprocess.CompletedProcess[str]) -> None:
    ok(done)
    page = (root / "OUT.html").read_text(encoding="utf-8")
    assert external_urls(page) == [] and "tile.openstreetmap.org" not in page
    assert " NM" in page  # --units nm
    size_mb = (root / "OUT.html").stat().st_size / 1e6
    assert 0.6 <= size_mb <= 1.0, size_mb  # "the Tu-160 mission: 0.8 MB with every layer" (the CLI prints it)
    assert f"OUT.html: {size_mb:.2f} MB" in done.stdout + done.stderr


def _map_osm(root: Path, done: subprocess.CompletedProcess[str]) -> None:
    ok(done)
    page = (root / "OUT.html").read_text(encoding="utf-8")
    assert "tile.openstreetmap.org" in page  # an option, never a need: scripts and styles stay inlined
    assert not [u for u in external_urls(page) if "openstreetmap" not in u]
    assert HOSTILE_NAME not in page and "&lt;img src=x onerror=alert(1)&gt;" in page


def _geojson(root: Path, done: subprocess.CompletedProcess[str]) -> None:
    ok(done)
    data = json.loads((root / "OUT.geojson").read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection" and "crs" not in data  # RFC 7946: WGS84 lon/lat, no crs member
    lines = [f for f in data["features"] if f["geometry"]["type"] in ("LineString", "MultiLineString")]
    lon, lat = lines[0]["geometry"]["coordinates"][0][:2]
    assert (lat, lon) == pytest.approx((68.1517, 33.47), abs=1e-4)  # (lon, lat) order
    assert any(f["properties"].get("name") == HOSTILE_NAME for f in data["features"])  # data, kept as written


def _csv_nm(root: Path, done: subprocess.CompletedProcess[str]) -> None:
    ok(done)
    rows = list(csv.reader(io.StringIO(done.stdout)))
    assert {"distance_nm", "cumulative_nm"} <= set(rows[0]) and "distance_km" not in rows[0], rows[0]
    cells = [c for r in rows[1:] for c in r]
    assert "'=1+2 {{ x }}" in cells and "=1+2 {{ x }}" not in cells  # spreadsheet formula neutralised


def _kml(root: Path, done: subprocess.CompletedProcess[str]) -> None:
    ok(done)
    tree = etree.parse(str(root / "OUT.kml"))
    ns = {"k": "http://www.opengis.net/kml/2.2", "gx": "http://www.google.com/kml/ext/2.2"}
    assert tree.getroot().tag == "{http://www.opengis.net/kml/2.2}kml"
    assert tree.xpath("//gx:Track", namespaces=ns)  # the time slider
    assert any("ring" in (n.text or "").lower() for n in tree.xpath("//k:Folder/k:name", namespaces=ns))  # --rings
    hrefs = [h.text or "" for h in tree.xpath("//k:href", namespaces=ns)]
    assert not [h for h in hrefs if "://" in h], hrefs  # no icon is fetched
    descriptions = " ".join(d.text or "" for d in tree.xpath("//k:description", namespaces=ns))
    assert HOSTILE_NAME not in descriptions and "&lt;img src=x onerror=alert(1)&gt;" in descriptions
    assert "javascript:" not in " ".join(re.findall(r'href="([^"]*)"', descriptions))


def _kmz(root: Path, done: subprocess.CompletedProcess[str]) -> None:
    ok(done)
    with zipfile.ZipFile(root / "OUT.kmz") as kmz:
        assert kmz.namelist()[0] == "doc.kml"
        assert etree.fromstring(kmz.read("doc.kml")).tag == "{http://www.opengis.net/kml/2.2}kml"


def _gpx(root: Path, done: subprocess.CompletedProcess[str]) -> None:
    ok(done)
    tree = etree.fromstring(done.stdout.encode())
    assert tree.tag == "{http://www.topografix.com/GPX/1/1}gpx" and tree.get("version") == "1.1"
    ns = {"g": "http://www.topografix.com/GPX/1/1"}
    assert tree.xpath("//g:rte", namespaces=ns) and HOSTILE_NAME in tree.xpath("//g:rtept/g:name/text()", namespaces=ns)


def _track(root: Path, done: subprocess.CompletedProcess[str]) -> None:
    ok(done)
    data = json.loads(done.stdout)
    text = json.dumps(data)
    assert "RFF7082" in text and "EIN123" not in text  # the callsign filter
    assert re.search(r'"20\d\d-\d\d-\d\dT[\d:.]+Z"', text)  # ISO 8601 UTC
    assert "countries" in text and "gaps" in text
    # metres, seconds; --gap in minutes; --from/--to and the filters keep RFF7082's five positions
    assert data["gap_threshold_s"] == 300 and data["points"] == 5 and data["distance_m"] > 0


def _catalogue_table(unit: str) -> Callable[[Path, subprocess.CompletedProcess[str]], None]:
    def check(root: Path, done: subprocess.CompletedProcess[str]) -> None:
        ok(done)
        assert "Tu-160" in done.stdout or "Kh-555" in done.stdout
        assert re.search(rf"\b{unit}\b", done.stdout), done.stdout[:400]
        assert " — " in done.stdout  # "A figure no source found stays empty (`—` in python -m missions aircraft)"

    return check


def _figure_pdf(root: Path, done: subprocess.CompletedProcess[str]) -> None:
    ok(done)
    pdf = (root / "tu160.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    box = re.search(rb"/MediaBox \[ *0 0 ([\d.]+) ([\d.]+) *\]", pdf)
    assert box and (float(box.group(1)), float(box.group(2))) == pytest.approx((842, 595), abs=2)  # A4 landscape


def _plan_options(root: Path, done: subprocess.CompletedProcess[str]) -> None:
    ok(done)
    assert done.stdout.startswith("shortest route avoiding FRA, ESP") or done.stdout.startswith("shortest route")
    assert "planned 1" in done.stdout and "Strait of Gibraltar" not in done.stdout.splitlines()[0]


def _plan_in_nm(root: Path, done: subprocess.CompletedProcess[str]) -> None:
    ok(done)
    assert " km" not in done.stdout and re.search(r"^shortest route avoiding nothing: [\d,]+ NM, ", done.stdout)
    assert "; the claimed 1,620 NM is " in done.stdout  # --claim 3000 (km) said in NM


def _places_in_mi(root: Path, done: subprocess.CompletedProcess[str]) -> None:
    ok(done)
    assert " km" not in done.stdout and re.search(r"^Tripoli, Lebanon .* 42 mi ", done.stdout, re.M), done.stdout


def _places_json(root: Path, done: subprocess.CompletedProcess[str]) -> None:
    ok(done)
    found = json.loads(done.stdout)
    assert isinstance(found, list) and found and all(p["country"] == "LY" for p in found)
    assert "Tripoli" in found[0]["name"]


def _similar(root: Path, done: subprocess.CompletedProcess[str]) -> None:
    """ "with no exact match it lists the most similar names": `Rigaa` → `Riga`, `Nort Sea` → `North Sea`."""
    ok(done)
    rows = [line.split("  ")[0] for line in done.stdout.splitlines() if not line.startswith("name (as input)")]
    assert rows[0] == "Riga" and rows[3] == "North Sea", rows


def _draft_date(root: Path, done: subprocess.CompletedProcess[str]) -> None:
    ok(done)
    assert "\ndate: '2015-11-21'\n" in done.stdout


SEED_ARTICLE = "tests/data/articles/seed_tu160_2015.txt"
OPENSKY = "tests/data/tracks/opensky-states.csv"
#: synopsis line (its start) -> instances; together they give every option the line shows
SYNOPSIS: dict[str, list[Instance]] = {
    "python -m missions report FILE... --units nm --json": [
        Instance(
            f"python -m missions report {TU160} missions/catalog/engels-2015-11-17.yaml --units nm --json", _report_json
        ),
        Instance("python -m missions report hostile.yaml --json --no-countries", _report_json_one),
    ],
    "python -m missions report FILE --land-only": [
        Instance(f"python -m missions report {TU160} --land-only", _report_land_only)
    ],
    "python -m missions map FILE": [
        Instance(
            f"python -m missions map {TU160} -o OUT.html --units nm --tiles offline --rings --land-only", _map_offline
        ),
        Instance("python -m missions map hostile.yaml -o OUT.html --tiles osm --no-countries", _map_osm),
    ],
    "python -m missions export FILE --format geojson|csv": [
        Instance("python -m missions export hostile.yaml --format geojson -o OUT.geojson", _geojson),
        Instance("python -m missions export hostile.yaml --format csv --units nm", _csv_nm),
    ],
    "python -m missions export FILE --format kml|kmz|gpx": [
        Instance("python -m missions export hostile.yaml --format kml -o OUT.kml --rings", _kml),
        Instance("python -m missions export hostile.yaml --format kmz -o OUT.kmz", _kmz),
        Instance("python -m missions export hostile.yaml --format gpx", _gpx),
    ],
    "python -m missions track FILE": [
        Instance(
            f"python -m missions track {OPENSKY} --callsign RFF7082 --icao24 152003"
            " --from 2015-11-20T03:00:00Z --to 2015-11-20T05:00:00Z --gap 5 --json",
            _track,
        )
    ],
    "python -m missions aircraft | weapons": [
        Instance("python -m missions aircraft --units nm", _catalogue_table("NM")),
        Instance("python -m missions weapons", _catalogue_table("km")),
    ],
    "python -m missions figure FILE...": [
        Instance(f"python -m missions figure {TU160} -o tu160.pdf --size print --units mi --claims", _figure_pdf)
    ],
    "python -m missions plan FROM TO": [
        Instance(
            'python -m missions plan "51.5, -0.12" "32.9, 13.2" --via Malta --avoid FRA,ESP --date 2015-11-20'
            " --territorial-sea 12 --no-transit --claim 3000 -o planned.yaml",
            _plan_options,
        ),
        Instance('python -m missions plan "Engels Air Base" "Olenya Air Base" --claim 3000 --units nm', _plan_in_nm),
    ],
    "python -m missions places QUERY": [
        Instance("python -m missions places Tripoli --near 32.9,13.2 --kind city --country LY --json", _places_json),
        Instance("python -m missions places Tripoli --near 33.9,35.5 --kind city --limit 2 --units mi", _places_in_mi),
        Instance(
            'python -m missions places Rigaa --limit 3 && python -m missions places "Nort Sea" --limit 3', _similar
        ),
    ],
    "python -m missions draft ARTICLE.txt": [
        Instance(
            f"python -m missions draft {SEED_ARTICLE} -o draft.yaml --date 2015-11-21 && cat draft.yaml", _draft_date
        )
    ],
}


def _synopsis_lines() -> list[str]:
    return [c for c in readme_commands(readme_text()) if c.startswith("python -m missions") and _is_synopsis(c)]


def _instances_of(line: str) -> list[Instance]:
    keys = [k for k in SYNOPSIS if line.startswith(k)]
    return SYNOPSIS[max(keys, key=len)] if keys else []


def test_readme_synopsis__every_option_shown_is_run_by_an_instance() -> None:
    for line in (c for c in command_block() if _is_synopsis(c)):
        instances = _instances_of(line)
        assert instances, f"no instance runs the README's {line!r}"
        _, options, _ = _synopsis_parts(line)
        used = " ".join(i.command for i in instances)
        missing = [o for o in options if not re.search(rf"(?<![\w-]){re.escape(o)}(?![\w-])", used)]
        assert not missing, (line, missing)


@needs_unshare
@pytest.mark.parametrize("command", [i.command for v in SYNOPSIS.values() for i in v])
def test_readme_synopsis__instance_runs_offline(command: str, tmp_path: Path) -> None:
    instance = next(i for v in SYNOPSIS.values() for i in v if i.command == command)
    root = scratch_root(tmp_path)
    _hostile(root)
    instance.check(root, run_as_written(root, instance.command))


# ---------------------------------------------------------------- every command has its check


#: commands the README shows that run elsewhere: the benchmarks (tests/test_benchmarks.py runs each at a
#: smoke size), the data builds (minutes; their outputs are checked by tests/test_geodata_*.py), the
#: long fuzz runs (tests/test_fuzz.py, whose FUZZ_N and FUZZ_SEED the checks below read) and the
#: installed `missions` command (the console script checked below)
ELSEWHERE = re.compile(
    r"(FUZZ_N=\d+ (FUZZ_SEED=\d+ )?python -m pytest -q -s tests/test_fuzz\.py -k mutated"
    r"|python -m missions validate"  # "one real `python -m missions validate` of 4 files" (test_fuzz)
    r"|python -m missions places QUERY"  # the synopsis's, quoted in the text
    r"|python -m missions plan \.\.\. --claim KM"
    r"|python -m missions map FILE -o OUT\.html"
    r"|python -m missions export FILE --format (geojson|kml -o OUT\.kml)"
    r"|python -m missions track FILE \[--callsign X\] \[--icao24 Y\] \[--from T --to T\]"
    r"|python -m missions aircraft)$"
)


def test_readme_commands__each_has_a_check() -> None:
    commands = readme_commands(readme_text())
    quickstart = commands[:2]
    concrete = {c for s in SCENARIOS.values() for c in s.commands}
    unchecked = []
    for command in commands[2:]:
        bare = command.split(" #")[0].rstrip()
        if bare in concrete or ELSEWHERE.match(bare):
            continue
        if bare.startswith("python -m missions") and _is_synopsis(bare) and _instances_of(bare):
            continue
        unchecked.append(command)
    assert quickstart == [
        "pip install -r requirements.txt && streamlit run app.py",
        "pip install -r requirements-dev.txt && python -m pytest",
    ]
    assert not unchecked, f"README commands without a check in this file: {unchecked}"


def test_readme_commands__elsewhere_ones_exist() -> None:
    fuzz = (ROOT / "tests" / "test_fuzz.py").read_text(encoding="utf-8")
    assert 'os.environ.get("FUZZ_N"' in fuzz and 'os.environ.get("FUZZ_SEED"' in fuzz
    assert "def test_fuzz__mutated_catalogue_missions" in fuzz
    assert '"-m", "missions", "validate"' in fuzz
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '[project.scripts]\nmissions = "missions.__main__:run"' in pyproject  # `pip install .` gives `missions`


# ------------------------------------------------------------------------ the first two commands


def test_readme_quickstart__install_and_dashboard_then_tests_lead_the_readme() -> None:
    text = readme_text()
    first, second = code_blocks(text)[:2]
    assert first.lines == ("pip install -r requirements.txt && streamlit run app.py",)
    assert second.lines == ("pip install -r requirements-dev.txt && python -m pytest",)
    assert text.index("```") < text.index("\n## ")  # before any section
    # the test command is the one CI runs, after installing the same requirements
    ci = [line.strip() for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()]
    assert "python -m pip install -q -r requirements-dev.txt" in ci
    assert [line for line in ci if "pytest" in line and not line.startswith("#")] == ["python -m pytest"]
    assert (ROOT / "requirements-dev.txt").read_text(encoding="utf-8").splitlines()[0] == "-r requirements.txt"
    # the dashboard's command: the browser tests start it exactly so
    conftest = (ROOT / "tests" / "conftest.py").read_text(encoding="utf-8")
    assert '[streamlit, "run", "app.py"], cwd=root' in conftest


# ------------------------------------------------------------------- bad input, as a user meets it


def _bad_inputs(root: Path) -> None:
    (root / "zero.yaml").symlink_to("/dev/zero")
    os.mkfifo(root / "fifo.yaml")
    (root / "junk.kml").write_text("not xml", encoding="utf-8")
    (root / "empty.txt").write_text("", encoding="utf-8")
    (root / "states.csv").write_bytes((ROOT / OPENSKY).read_bytes())  # two aircraft at once


#: "Bad input never gives a traceback: exit status 2 and one line on stderr naming the file, line, field
#: and problem": one bad input for each command, and the words its one line must hold
BAD_INPUT = [
    ("python -m missions validate zero.yaml fifo.yaml", ["zero.yaml: is a character device", "fifo.yaml: is a FIFO"]),
    ("python -m missions report missing.yaml", ["missing.yaml: no such file"]),
    ("python -m missions map missing.yaml -o OUT.html", ["missing.yaml: no such file"]),
    (f"python -m missions export {TU160} --format kml -o /proc/none/OUT.kml", ["cannot write /proc/none/OUT.kml"]),
    (f"python -m missions figure {TU160} -o x.png --layers routes,lakes", ["unknown layer 'lakes'"]),
    ("python -m missions track junk.kml", ["junk.kml:1: not well-formed XML: "]),  # the README's example
    (
        "python -m missions track states.csv",  # the README's example, word for word
        [
            "error: states.csv: 2 aircraft fly at the same time in this opensky track: RFF7082 icao24 152003 "
            "(5 positions), EIN123 icao24 4ca7b3 (1 position); a track is one aircraft's: choose one by its "
            "callsign or ICAO 24-bit address"
        ],
    ),
    ("python -m missions plan Olenya Nowhere-at-all", ["to: unknown place 'Nowhere-at-all'"]),
    ("python -m missions places Xqzzyvv", ["no place matches 'Xqzzyvv'"]),
    ("python -m missions draft empty.txt", ["empty.txt: the text is empty"]),
    # a misspelt flag: argparse's whole usage block once; now one line with the closest option
    (
        f"python -m missions report --untis nm {TU160}",
        ["report: unrecognized arguments: --untis (did you mean --units?)"],
    ),
]


@needs_unshare
@pytest.mark.parametrize(("command", "words"), BAD_INPUT, ids=[c.split()[3] for c, _ in BAD_INPUT])
def test_readme_bad_input__one_line_per_problem_exit_2(command: str, words: list[str], tmp_path: Path) -> None:
    root = scratch_root(tmp_path)
    _bad_inputs(root)
    done = run_as_written(root, command, timeout_s=120)  # a FIFO or /dev/zero read would hang or fill memory
    assert done.returncode == 2, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == len(words) and all(line.startswith("error: ") for line in lines), lines
    assert all(w in line for w, line in zip(words, lines, strict=True)), lines
    assert not list(root.glob("OUT.*")) and not (root / "x.png").exists()  # nothing half-written
