"""Publication figures: one web-size Tu-160 figure, and the whole catalogue in batch, in one run.

Baseline (timed in the same run): the figure as one would first write it with cartopy — every
basemap country handed to ``add_geometries`` in lon/lat and the route plotted with
``transform=Geodetic()`` (cartopy projects and resamples everything at draw time), saved as a
web-size PNG. Measured: :func:`missions.figure.figure_bytes` (web PNG, every default layer, labels
placed), after the imports; then the catalogue through the CLI's batch (``run_batch``) on one and
on two worker processes.

Usage: ``python benchmarks/bench_figure.py [--repeat N] [--smoke]`` (``--smoke``: one run, the baseline drawing
five countries, a batch of one mission on one process: checks that it runs)
"""

from __future__ import annotations

import argparse
import io
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from common import ROOT

from missions.analysis import MissionResult, compute_mission
from missions.feasibility import assess
from missions.figure import figure_bytes
from missions.figure.output import figure_jobs, options, run_batch
from missions.parsing import load_mission

CATALOG = ROOT / "missions" / "catalog"


#: the countries the smoke run's baseline draws (a handful runs the same code as the whole world)
SMOKE_COUNTRIES = frozenset({"RUS", "UKR", "TUR", "SYR", "NOR"})


def naive_figure(result: MissionResult, only: frozenset[str] | None = None) -> bytes:
    """The baseline: cartopy projects every country (or those of ISO3 in ``only``) and the route itself."""
    import cartopy.crs as ccrs
    import shapely
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from geodata.countries import basemap_geojson

    fig = Figure(figsize=(16, 10), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.03, 0.05, 0.94, 0.88), projection=ccrs.EquidistantConic(central_longitude=19.4))
    ax.set_extent((-20, 60, 30, 75), crs=ccrs.PlateCarree())
    features = [f for f in basemap_geojson()["features"] if only is None or f["properties"]["iso3"] in only]
    geoms = [shapely.geometry.shape(f["geometry"]) for f in features]
    ax.add_geometries(geoms, crs=ccrs.PlateCarree(), facecolor="#efece4", edgecolor="#a8a39a", linewidth=0.45)
    for s in result.sorties:
        lon, lat = [p.point.lon_deg for p in s.sortie.route], [p.point.lat_deg for p in s.sortie.route]
        ax.plot(lon, lat, transform=ccrs.Geodetic(), linewidth=2)
    ax.set_title(result.mission.name)
    ax.gridlines(draw_labels=True)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def _best_of(func: Callable[[], object], repeat: int) -> tuple[float, float]:
    """The least wall-clock and the least CPU time (this process) of ``repeat`` calls (seconds).

    CPU time is the work done, whatever else runs on the machine; wall time includes waiting for a core.
    """
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        func()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return min(wall), min(cpu)


def _cpu_s() -> float:
    """CPU seconds of this process and of its finished children (the batch's workers)."""
    import resource

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--smoke", action="store_true", help="tiny sizes: check that it runs")
    args = parser.parse_args(argv)
    repeat = 1 if args.smoke else args.repeat
    result = compute_mission(load_mission(CATALOG / "tu160-2015-11-20.yaml"))
    feas = assess(result)
    if not args.smoke:
        figure_bytes(result, "png", "web", "km", feasibility=feas)  # imports, basemap and fonts loaded once
        naive_figure(result)
    only = SMOKE_COUNTRIES if args.smoke else None
    base, base_cpu = _best_of(lambda: naive_figure(result, only), repeat)
    drawn: list[bytes] = []
    ours, ours_cpu = _best_of(lambda: drawn.append(figure_bytes(result, "png", "web", "km", feasibility=feas)), repeat)
    size = len(drawn[-1])
    print(
        f"Tu-160, web PNG after imports: naive cartopy {base:.2f} s, figure_bytes {ours:.2f} s "
        f"({base / ours:.1f}x faster), {size / 1e6:.2f} MB; CPU time {base_cpu:.2f} s vs {ours_cpu:.2f} s"
    )
    paths = [str(p) for p in sorted(CATALOG.glob("*.yaml"))][: 1 if args.smoke else None]
    with tempfile.TemporaryDirectory() as out:
        jobs = figure_jobs(paths, out, "png")
        opts = options("web", "km", "auto", None)
        timings, cpu = {}, {}
        for workers in (1,) if args.smoke else (1, 2):
            start, start_cpu = time.perf_counter(), _cpu_s()
            done = run_batch(jobs, opts, claims=False, workers=workers)
            timings[workers] = time.perf_counter() - start
            cpu[workers] = _cpu_s() - start_cpu
            assert all(error is None for _, _, error in done), done
            assert len(list(Path(out).glob("*.png"))) == len(jobs)
    n = len(jobs)
    two = (
        f", 2 processes {timings[2]:.2f} s ({timings[2] / n:.2f} s per figure, {timings[1] / timings[2]:.2f}x, "
        f"CPU time {cpu[2] / n:.2f} s per figure)"
        if 2 in timings
        else ""
    )
    print(
        f"catalogue batch ({n} missions): 1 process {timings[1]:.2f} s ({timings[1] / n:.2f} s per figure, "
        f"CPU time {cpu[1] / n:.2f} s per figure){two}"
    )


if __name__ == "__main__":
    main()
