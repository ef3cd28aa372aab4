"""Publication figures (missions.figure): texts in the SVG, geometry where pyproj puts it, offline, bad input."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import CRS, Geod, Transformer

from missions.__main__ import main
from missions.analysis import compute_mission
from missions.feasibility import assess
from missions.figure import draw_figure, figure_bytes, write_figure
from missions.figure.labels import LabelRequest, overlaps, place_labels
from missions.figure.output import options
from missions.parsing import load_mission, parse_mission

ROOT = Path(__file__).resolve().parents[1]
CATALOG = ROOT / "missions" / "catalog"
DATA = Path(__file__).with_name("data")
TU160 = CATALOG / "tu160-2015-11-20.yaml"
TU22 = CATALOG / "tu22m3-mozdok-2015-11-17.yaml"
ROUTES_ONLY = "routes,weapons,markers"


@pytest.fixture(scope="module")
def tu160():
    result = compute_mission(load_mission(TU160))
    return result, assess(result)


@pytest.fixture(scope="module")
def tu160_svg(tu160):
    result, feas = tu160
    layers = "-graticule,+claims"
    return ET.fromstring(figure_bytes(result, "svg", "web", "nm", layers, feasibility=feas))


def _svg_texts(root: ET.Element) -> list[str]:
    return ["".join(el.itertext()).strip() for el in root.iter() if el.tag.endswith("}text")]


def test_figure_svg__title_legend_scale_credits_as_text(tu160, tu160_svg):
    result, feas = tu160
    texts = _svg_texts(tu160_svg)
    assert result.mission.name in texts
    for s in result.sorties:
        assert any(t.startswith(f"{s.sortie.name}: {s.sortie.count} × {s.sortie.aircraft}") for t in texts)
    assert any(re.fullmatch(r"[0-9][0-9,]* NM", t) for t in texts), "scale bar label in NM"
    assert not any(re.fullmatch(r"[0-9][0-9,]* km", t) for t in texts)
    credits = " ".join(t for t in texts if "Natural Earth" in t or "Sources:" in t)
    assert "Natural Earth" in credits and "CNSNews" in credits
    # the claims box reads the verdicts of the feasibility module
    assert [v.verdict for v in feas.verdicts] == [t for t in texts if t in ("consistent", "inconsistent", "impossible")]


def test_figure_projection__route_vertices_where_pyproj_puts_them():
    """One-base mission: azimuthal equidistant on the base; every core vertex within 1 px of pyproj."""
    result = compute_mission(load_mission(TU22))
    d = draw_figure(result, options("web", "km", "auto", ROUTES_ONLY))
    assert d.projection.kind == "aeqd"
    base = result.sorties[0].sortie.route[0].point
    assert (d.projection.lat0_deg, d.projection.lon0_deg) == pytest.approx((base.lat_deg, base.lon_deg), abs=1e-6)
    name = result.sorties[0].sortie.name
    drawn_px = d.routes[name].get_transform().transform(np.column_stack(d.routes[name].get_data()))
    coords = np.asarray(result.sorties[0].line.coords)
    crs = CRS.from_proj4(f"+proj=aeqd +lat_0={base.lat_deg} +lon_0={base.lon_deg} +ellps=WGS84 +units=m")
    x, y = Transformer.from_crs("EPSG:4326", crs, always_xy=True).transform(coords[:, 0], coords[:, 1])
    expected_px = d.axes.transData.transform(np.column_stack([x, y]))
    assert len(drawn_px) == len(coords)
    assert np.max(np.hypot(*(drawn_px - expected_px).T)) < 1.0
    # the cartopy axes (graticule, basemap) use the same projection: its own transform agrees
    import cartopy.crs as ccrs

    cart = d.axes.projection.transform_points(ccrs.PlateCarree(), coords[:, 0], coords[:, 1])[:, :2]
    assert np.max(np.hypot(*(d.axes.transData.transform(cart) - expected_px).T)) < 1.0
    # and it is equidistant from the base: projected radius = geodesic distance
    dist = Geod(ellps="WGS84").inv(
        np.full(len(coords), base.lon_deg), np.full(len(coords), base.lat_deg), coords[:, 0], coords[:, 1]
    )[2]
    assert np.hypot(x, y) == pytest.approx(dist, rel=1e-9, abs=0.01)


@pytest.mark.parametrize("mission", ["figure-transpacific.yaml", "figure-polar.yaml"])
@pytest.mark.parametrize("projection", ["auto", "conic", "aeqd", "mercator", "plate-carree"])
def test_figure_routes__no_line_across_the_figure(mission, projection):
    result = compute_mission(load_mission(DATA / mission))
    d = draw_figure(result, options("square", "km", projection, ROUTES_ONLY))
    box = d.axes.get_window_extent()
    for line in d.routes.values():
        px = line.get_transform().transform(np.column_stack(line.get_data()))
        assert np.all(np.isfinite(px))
        longest = np.max(np.hypot(*np.diff(px, axis=0).T))
        assert longest < 0.25 * box.width, f"a segment of {longest:.0f} px crosses the figure"
        inside = (
            (px[:, 0] >= box.x0 - 1) & (px[:, 0] <= box.x1 + 1) & (px[:, 1] >= box.y0 - 1) & (px[:, 1] <= box.y1 + 1)
        )
        assert inside.all(), "the view holds the whole mission"
    if projection == "auto":
        assert d.projection.kind == ("polar" if "polar" in mission else "aeqd")


@pytest.mark.parametrize("projection", ["aeqd", "polar"])
def test_figure_graticule__no_invalid_value_where_the_projection_has_no_place(projection):
    """Engels to Venezuela reaches far from the centre: graticule vertices at the azimuthal antipode
    project to infinity; they are dropped, not multiplied (numpy's "invalid value in multiply")."""
    import warnings

    import matplotlib.pyplot as plt

    result = compute_mission(load_mission(CATALOG / "tu160-engels-venezuela-2018-12-10.yaml"))
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        d = draw_figure(result, options("web", "km", projection, "graticule"))
    assert len(d.axes.lines) > 10  # the graticule was drawn
    plt.close(d.figure)


def test_figure_png__web_size_not_blank_and_small(tu160):
    from PIL import Image

    data = figure_bytes(tu160[0], "png", "web", "km")
    assert len(data) < 2_000_000
    image = Image.open(io.BytesIO(data))
    assert image.size == (1600, 1000)
    pixels = np.asarray(image.convert("RGB")).reshape(-1, 3)
    colours, counts = np.unique(pixels[::7], axis=0, return_counts=True)
    assert len(colours) > 200 and counts.max() < 0.6 * counts.sum()  # land, sea, routes, text: not one colour


def test_figure_text__dollars_and_backslashes_drawn_literally():
    text = (DATA / "minimal.yaml").read_text().replace("Minimal example", r"Cost $5 \alpha and $10^{2}$")
    text = text.replace("Test sortie", "$x^2$ <b>&amp; sortie")
    result = compute_mission(parse_mission(text))
    texts = _svg_texts(ET.fromstring(figure_bytes(result, "svg", "square", "km", "-countries,-graticule")))
    assert r"Cost $5 \alpha and $10^{2}$" in texts
    assert any(t.startswith("$x^2$ <b>&amp; sortie: 1 × Tu-160") for t in texts)  # XML-escaped, parsed back


def test_figure_pdf__print_size_is_vector():
    result = compute_mission(load_mission(DATA / "minimal.yaml"))
    pdf = figure_bytes(result, "pdf", "print", "km", "countries,routes,markers,places,legend,scale,credits")
    assert pdf.startswith(b"%PDF") and b"/Subtype /Image" not in pdf  # nothing rasterised
    assert b"/FontFile2" in pdf  # TrueType fonts embedded: text stays text
    box = re.search(rb"/MediaBox \[ 0 0 ([0-9.]+) ([0-9.]+) \]", pdf)
    assert box and (float(box[1]), float(box[2])) == pytest.approx((841.89, 595.28), abs=0.01)  # A4 landscape, pt


@pytest.mark.parametrize("size", ["web", "print"])
def test_figure_labels__no_text_overlaps_and_every_base_and_target_named(tu160, size):
    result, feas = tu160
    d = draw_figure(result, options(size, "nm", "auto", "-graticule,+claims"), feas)
    renderer = d.figure.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in d.labels]
    assert len(boxes) > 20  # places, seas and countries were labelled
    named = {t.get_text() for t in d.labels}
    bases = {s.sortie.route[0].point.name for s in result.sorties}
    targets = {w.target.name for w in result.weapons}
    assert bases | targets <= named
    frame_artists = [*d.axes.artists, d.axes.get_legend()]
    frame = [a.get_window_extent(renderer) for a in frame_artists]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :] + frame:
            assert not overlaps((a.x0, a.y0, a.x1, a.y1), (b.x0, b.y0, b.x1, b.y1))


def test_place_labels__greedy_skips_what_does_not_fit():
    requests = [LabelRequest(key=k, width_px=50, height_px=10, x_px=100, y_px=100, gap_px=3) for k in range(12)]
    placed = place_labels(requests, (0, 0, 400, 400))
    assert 1 < len(placed) <= 8  # eight positions round one point, then no room
    for i, a in enumerate(placed):
        assert all(not overlaps(a.box, b.box) for b in placed[i + 1 :])
    assert place_labels(requests[:1], (0, 0, 400, 400), obstacles=[(0, 0, 400, 400)]) == []


def test_figure_cli__offline_with_empty_cartopy_dir(tmp_path):
    if shutil.which("unshare") is None or subprocess.run(["unshare", "-n", "true"]).returncode != 0:
        pytest.skip("unshare -n is not available")
    out = tmp_path / "fig.svg"
    env = dict(os.environ, PYTHONPATH=str(ROOT), HOME=str(tmp_path), TMPDIR=str(tmp_path))
    code = (
        "import sys, os, cartopy; from missions.__main__ import main; status = main(sys.argv[1:]);"
        "d = cartopy.config['data_dir']; print(d, os.listdir(d)); sys.exit(status)"
    )
    args = ["figure", str(DATA / "minimal.yaml"), "-o", str(out), "--size", "square"]
    run = subprocess.run(
        ["unshare", "-n", sys.executable, "-c", code, *args],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert out.stat().st_size > 10_000
    assert run.stdout.strip().endswith("[]") and str(tmp_path) in run.stdout  # cartopy's data dir stayed empty


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--layers", "routes,sea"], "unknown layer 'sea'"),
        (["--projection", "robinson"], "unknown projection 'robinson'"),
        (["--size", "a3"], "unknown size 'a3'"),
        (["--units", "furlongs"], "unknown unit 'furlongs'"),
    ],
)
def test_figure_cli__bad_option_one_line_exit_2(tmp_path, capsys, args, words):
    out = tmp_path / "x.png"
    assert main(["figure", str(DATA / "minimal.yaml"), "-o", str(out), *args]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and words in err[0] and err[0].startswith("error: ")
    assert list(tmp_path.iterdir()) == []


def test_figure_cli__bad_mission_and_unwritable_path(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: [unclosed\n")
    assert main(["figure", str(bad), "-o", str(tmp_path / "bad.png")]) == 2
    assert "bad.yaml" in capsys.readouterr().err
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert main(["figure", str(DATA / "minimal.yaml"), "-o", str(blocker / "x.png")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "cannot write" in err[0]
    assert main(["figure", str(DATA / "minimal.yaml"), "-o", str(tmp_path / "x.gif")]) == 2
    assert ".png, .svg or .pdf" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.yaml", "file"]


def test_write_figure__failure_leaves_no_partial_file(tmp_path, monkeypatch):
    import missions.figure.output as output

    def broken(drawing, target, fmt):
        target.write(b"partial")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(output, "_save", broken)
    result = compute_mission(load_mission(DATA / "minimal.yaml"))
    with pytest.raises(output.FigureError, match="No space left"):
        write_figure(result, tmp_path / "x.png", options("square", "km", "auto", "routes"))
    assert list(tmp_path.iterdir()) == []


def test_figure_cli__folder_batch_one_figure_per_mission(tmp_path, capsys):
    missions = tmp_path / "in"
    missions.mkdir()
    for name in ("minimal.yaml", "figure-polar.yaml"):
        shutil.copy(DATA / name, missions / name)
    (missions / "broken.yaml").write_text("nme: x\n")
    out = tmp_path / "out"
    out.mkdir()
    assert (
        main(["figure", str(missions), "-o", str(out), "--format", "svg", "--size", "square", "--layers", "routes"])
        == 2
    )
    assert sorted(p.name for p in out.iterdir()) == ["figure-polar.svg", "minimal.svg"]
    err = capsys.readouterr().err
    assert err.count("error: ") == 1 and "broken.yaml" in err


def test_figure_cli__several_files_need_a_folder(tmp_path, monkeypatch, capsys):
    """A folder of missions with ``-o`` a file: one line, status 2, nothing written. (The README's two
    figure commands, run as written under ``unshare -n`` with their sizes checked, are in
    ``test_readme_commands`` ("figures"); this file no longer runs them a second time in process.)"""
    (tmp_path / "missions").symlink_to(ROOT / "missions")
    monkeypatch.chdir(tmp_path)
    assert main(["figure", "missions/catalog", "-o", "figures.png"]) == 2
    assert "-o is a folder" in capsys.readouterr().err
    assert not (tmp_path / "figures.png").exists()


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.floats(5, 120),
            st.floats(5, 30),
            st.floats(0, 400),
            st.floats(0, 300),
            st.floats(0, 10),
            st.booleans(),
            st.booleans(),
        ),
        max_size=40,
    ),
    st.lists(st.tuples(st.floats(0, 400), st.floats(0, 300), st.floats(1, 80), st.floats(1, 80)), max_size=5),
)
def test_place_labels__placed_boxes_never_overlap_and_stay_inside(labels, obstacles):
    frame = (0.0, 0.0, 400.0, 300.0)
    requests = [
        LabelRequest(key=k, width_px=w, height_px=h, x_px=x, y_px=y, gap_px=g, centred=c, movable=m)
        for k, (w, h, x, y, g, c, m) in enumerate(labels)
    ]
    boxes = [(x, y, x + w, y + h) for x, y, w, h in obstacles]
    placed = place_labels(requests, frame, boxes)
    for i, p in enumerate(placed):
        assert frame[0] <= p.box[0] and p.box[2] <= frame[2] and frame[1] <= p.box[1] and p.box[3] <= frame[3]
        assert not any(overlaps(p.box, b) for b in boxes)
        assert not any(overlaps(p.box, q.box) for q in placed[i + 1 :])
        r = requests[p.key]
        assert p.box[2] - p.box[0] == pytest.approx(r.width_px) and p.box[3] - p.box[1] == pytest.approx(r.height_px)


def test_choose_projection__conic_for_mid_latitudes_and_pacific_centre(tu160):
    from missions.figure.draw import _bases, mission_lines
    from missions.figure.projection import choose_projection

    result = tu160[0]
    p = choose_projection(mission_lines(result), bases=_bases(result))
    assert p.kind == "conic"  # two bases (Olenya, Hmeimim), all between 20° and 75° N
    lats = np.concatenate([np.asarray(line.coords)[:, 1] for line in mission_lines(result)])
    assert lats.min() < p.parallels_deg[0] < p.parallels_deg[1] < lats.max()
    pacific = compute_mission(load_mission(DATA / "figure-transpacific.yaml"))
    p = choose_projection(mission_lines(pacific), "conic")
    assert abs(abs(p.lon0_deg) - 180.0) < 20.0  # centred on the Pacific, the cut far away in the Atlantic


def test_figure_package__imports_matplotlib_and_cartopy_only_to_draw():
    """The dashboard's download widgets read the formats and layers (missions.figure); that import must
    not cost matplotlib and cartopy (~0.5 s in every server process). The first name that draws
    imports them, set up offline (agg, cartopy's empty data folder, no downloaders)."""
    code = (
        "import sys; import missions.figure as f; import missions.dashboard.ui;"
        "print(f.FORMATS, 'matplotlib' in sys.modules, 'cartopy' in sys.modules);"
        "f.figure_bytes; import matplotlib, cartopy, os;"
        "print(matplotlib.get_backend(), cartopy.config['downloaders'], os.listdir(cartopy.config['data_dir']))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == ["('png', 'svg', 'pdf') False False", "agg {} []"]
