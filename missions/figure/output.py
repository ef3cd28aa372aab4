"""Drawing a whole figure and writing it: bytes for the dashboard, files (atomically) for the CLI."""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, TypeVar

from ..analysis import MissionResult
from ..errors import MissionError
from ..units import UNIT_M, check_units
from . import backend  # noqa: F401  (matplotlib and cartopy set up before anything draws)
from .annotate import draw_labels
from .draw import (
    Drawing,
    FigureOptions,
    draw_countries,
    draw_markers,
    draw_routes,
    mission_markers,
    new_figure,
    sortie_colours,
)
from .frame import draw_claims, draw_credits, draw_legend, draw_scale_bar, draw_title, frame_heights_in
from .graticule import draw_graticule
from .labels import Box
from .projection import PROJECTIONS
from .style import DEFAULT_LAYERS, FORMATS, LAYERS, SIZE, SIZES, Format, Layer

if TYPE_CHECKING:
    from ..feasibility import Feasibility


class FigureError(MissionError):
    """A figure option or output that cannot be used (unknown layer, projection, size, path)."""


_Word = TypeVar("_Word", bound=str)


def _choice(value: str, choices: Iterable[_Word], what: str) -> _Word:
    """``value`` as the word of ``choices`` it equals (typed as they are); an unknown word is a FigureError."""
    choices = tuple(choices)
    for choice in choices:
        if choice == value:
            return choice
    raise FigureError(f"unknown {what} {value!r}; choose from {', '.join(choices)}")


def parse_layers(text: str | Iterable[str] | None) -> frozenset[Layer]:
    """Layers from ``"routes,weapons"`` or a list (``None``: the defaults); unknown names are an error.

    A leading ``-`` removes a layer from the defaults: ``"-seas,-graticule"``.
    """
    if text is None:
        return DEFAULT_LAYERS
    items = [t.strip() for t in (text.split(",") if isinstance(text, str) else text) if t.strip()]
    named = [_choice(item.lstrip("-+"), LAYERS, "layer") for item in items]
    if items and all(item.startswith(("-", "+")) for item in items):
        layers = set(DEFAULT_LAYERS)
        for item, layer in zip(items, named, strict=True):
            (layers.discard if item.startswith("-") else layers.add)(layer)
        return frozenset(layers)
    return frozenset(named)


def options(
    size: str = "web", units: str = "km", projection: str = "auto", layers: Iterable[str] | str | None = None
) -> FigureOptions:
    """Checked :class:`FigureOptions`; a bad value raises :class:`FigureError` naming the choices."""
    return FigureOptions(
        size=_choice(size, SIZES, "size"),
        units=check_units(_choice(units, UNIT_M, "unit")),
        projection=_choice(projection, PROJECTIONS, "projection"),
        layers=parse_layers(layers),
    )


def draw_figure(
    result: MissionResult, opts: FigureOptions | None = None, feasibility: Feasibility | None = None
) -> Drawing:
    """The whole figure of a computed mission (see the package docstring); nothing is written."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    opts = opts or FigureOptions()
    layers = opts.layers
    scale = SIZE[opts.size].font_scale
    top_in, bottom_in = frame_heights_in(scale, "graticule" in layers)
    d = new_figure(result, opts, top_in, bottom_in)
    FigureCanvasAgg(d.figure)
    colours = sortie_colours(result)
    countries = draw_countries(d) if "countries" in layers else {}
    if "graticule" in layers:
        draw_graticule(d)
    draw_routes(d, result, colours)
    markers = mission_markers(result, colours)
    positions = draw_markers(d, markers)
    taken: list[Box] = []
    if "legend" in layers:
        draw_legend(d, result, colours, markers, taken)
    if "claims" in layers:
        draw_claims(d, result, feasibility, taken)
    if "scale" in layers:
        draw_scale_bar(d, taken)
    draw_labels(d, markers, positions, countries, taken)
    draw_title(d, result)
    if "credits" in layers:
        draw_credits(d, result)
    return d


def figure_bytes(
    result: MissionResult,
    fmt: str = "png",
    size: str = "web",
    units: str = "km",
    layers: Iterable[str] | str | None = None,
    *,
    projection: str = "auto",
    feasibility: Feasibility | None = None,
) -> bytes:
    """The figure as PNG, SVG or PDF bytes (the dashboard's download)."""
    checked = _choice(fmt, FORMATS, "format")
    drawing = draw_figure(result, options(size, units, projection, layers), feasibility)
    buffer = io.BytesIO()
    _save(drawing, buffer, checked)
    return buffer.getvalue()


def _save(drawing: Drawing, target: BinaryIO, fmt: Format) -> None:
    meta = {"png": {"Software": "missions"}, "svg": {"Date": None}, "pdf": {"CreationDate": None}}[fmt]
    # zlib level 3: a third of the default level's encoding time, a few per cent larger
    extra: dict[str, Any] = {"pil_kwargs": {"compress_level": 3}} if fmt == "png" else {}
    drawing.figure.savefig(target, format=fmt, dpi=SIZE[drawing.options.size].dpi, metadata=meta, **extra)


def format_of(path: str | os.PathLike[str]) -> Format:
    """The output format from a file name's extension (``.png``, ``.svg``, ``.pdf``)."""
    suffix = Path(path).suffix.lower().lstrip(".")
    for fmt in FORMATS:
        if fmt == suffix:
            return fmt
    raise FigureError(f"cannot tell the format of {os.fspath(path)!r}: end the name in .png, .svg or .pdf")


def write_figure(
    result: MissionResult,
    path: str | os.PathLike[str],
    opts: FigureOptions | None = None,
    feasibility: Feasibility | None = None,
) -> int:
    """Draw and write the figure to ``path`` atomically (a temporary file, renamed); returns its size.

    Nothing is left behind when drawing or writing fails: the temporary file is removed.
    """
    fmt = format_of(path)
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise FigureError(f"cannot write {os.fspath(path)}: no directory {os.fspath(directory)!r}")
    drawing = draw_figure(result, opts, feasibility)
    try:
        handle, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=directory)
    except OSError as exc:
        raise FigureError(f"cannot write {os.fspath(path)}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(handle, "wb") as out:
            _save(drawing, out, fmt)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp's file is private; the figure gets the usual mode
        os.replace(tmp, target)
    except OSError as exc:
        raise FigureError(f"cannot write {os.fspath(path)}: {exc.strerror or exc}") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target.stat().st_size


def _figure_job(path: str, out: str, opts: FigureOptions, claims: bool) -> tuple[str, int | None, str | None]:
    """One file of a batch (run in a worker process): (path, bytes written or None, error line)."""
    from ..analysis import compute_mission
    from ..parsing import load_mission

    try:
        result = compute_mission(load_mission(path))
        feasibility = None
        if claims and result.claims:
            from ..feasibility import assess

            feasibility = assess(result)
        return path, write_figure(result, out, opts, feasibility), None
    except MissionError as exc:
        return path, None, exc.one_line()


def figure_jobs(paths: Iterable[str], output: str, fmt: str | None) -> list[tuple[str, str]]:
    """(mission file, figure file) pairs: files and folders in, one figure per mission file.

    With one mission file and an output that is not a folder, the output is the figure's name;
    otherwise it is a folder and each figure is named after its mission file (``.png`` unless
    ``fmt`` says otherwise).
    """
    files: list[str] = []
    for path in paths:
        if os.path.isdir(path):
            found = sorted(p for p in Path(path).iterdir() if p.suffix.lower() in (".yaml", ".yml", ".json"))
            if not found:
                raise FigureError(f"{path}: no mission files (.yaml, .yml, .json) in this folder")
            files += [str(p) for p in found]
        else:
            files.append(path)
    single = len(files) == 1 and not any(os.path.isdir(p) for p in paths)
    if single and not os.path.isdir(output) and not output.endswith(os.sep):
        if fmt is not None and format_of(output) != fmt:
            raise FigureError(f"--format {fmt} does not match the output name {output!r}")
        format_of(output)
        return [(files[0], output)]
    if not os.path.isdir(output):
        if Path(output).suffix.lower().lstrip(".") in FORMATS:
            raise FigureError(f"cannot write several figures to {output!r}: with several missions -o is a folder")
        try:
            os.makedirs(output, exist_ok=True)
        except OSError as exc:
            raise FigureError(f"cannot create the folder {output!r}: {exc.strerror or exc}") from None
    suffix = fmt or "png"
    names = [Path(f).stem for f in files]
    if len(set(names)) < len(names):
        dupes = sorted({n for n in names if names.count(n) > 1})
        raise FigureError(f"two mission files would give the same figure name: {', '.join(dupes)}")
    return [(f, os.path.join(output, f"{n}.{suffix}")) for f, n in zip(files, names, strict=True)]


def run_batch(
    jobs: list[tuple[str, str]], opts: FigureOptions, *, claims: bool, workers: int | None = None
) -> list[tuple[str, int | None, str | None]]:
    """Draw every job, in parallel across cores (a process per core) when there are several."""
    workers = min(workers or os.cpu_count() or 1, len(jobs))
    if workers <= 1:
        return [_figure_job(path, out, opts, claims) for path, out in jobs]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from geodata.places import default_index

    from .draw import _countries

    # loaded here once, inherited by the forked workers
    _countries("basemap"), _countries("fine"), default_index().curated_places("sea")

    # fork: the workers start with matplotlib, cartopy and the basemap already loaded
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = [pool.submit(_figure_job, path, out, opts, claims) for path, out in jobs]
        return [f.result() for f in futures]
