"""Observed tracks and Google Earth exports: time and memory against baselines timed in the same run.

1. **Import and compare 1,000,000 ADS-B rows** (a day of one region: OpenSky state vectors, 17
   columns, 400 aircraft, one of them the Tu-160 pair of the catalogue sampled every 30 s):
   ``load_track`` with a callsign filter, then ``compare_sortie`` against the sortie. Baseline: a
   bare ``pyarrow.csv.read_csv`` of the same columns (the floor of reading the file).
2. **Compare 1,000,000 positions of one aircraft** (the same sortie sampled every 0.06 s): import
   and compare every position. Same baseline, on that file.
3. **Export a 1,000-sortie mission to KMZ** (``synthetic.py``): ``mission_kmz``. Baseline: the same
   mission as GeoJSON (``json.dumps(mission_geojson(...))``, the same vertices, no zip).

Each case runs in a fresh interpreter so that its peak memory (max RSS) is its own; time is the
best of ``--repeat`` runs inside it, wall-clock and CPU (all threads: pyarrow reads with two), since on
a shared machine the wall time mostly measures the others' load. Goals (issue 12): cases 1 and 2
≤ 5 s and ≤ 1 GB; case 3 ≤ 5 s.

Usage: ``python benchmarks/bench_tracks.py [--smoke]`` (``--smoke``: 20,000 rows and 5 sorties, every
case in one interpreter instead of six; checks that the benchmark runs, its figures mean nothing)
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

TU160 = ROOT / "missions" / "catalog" / "tu160-2015-11-20.yaml"
COLUMNS = ["time", "icao24", "callsign", "lat", "lon", "baroaltitude", "geoaltitude", "lastposupdate"]

_CASE = r"""
import json, resource, sys, time
sys.path.insert(0, {root!r}); sys.path.insert(0, {bench!r})
case, path, repeat = {case!r}, {path!r}, {repeat}
def best_of(func, repeat):  # the shortest wall-clock and CPU (all threads) times of repeat calls
    wall, cpu = [], []
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        func()
        wall.append(time.perf_counter() - w); cpu.append(time.process_time() - c)
    return min(wall), min(cpu)
if case in ("import", "dense"):
    from missions.analysis import compute_mission
    from missions.parsing import load_mission
    from missions.tracks import TrackFilter, load_track
    from missions.tracks.compare import compare_sortie
    s = compute_mission(load_mission({tu160!r})).sortie("Blackjack pair")
    filt = TrackFilter(callsign="RFF7082") if case == "import" else None
    out = {{}}
    def run():
        track = load_track(path, filter=filt)
        c = compare_sortie(s, track, countries=False)
        out["rows"], out["max_km"] = len(track), round(c.max_deviation_m / 1000, 3)
    seconds = best_of(run, repeat)
elif case == "floor":
    import pyarrow as pa, pyarrow.csv as pacsv
    cols = {columns!r}
    seconds = best_of(lambda: pacsv.read_csv(path, convert_options=pacsv.ConvertOptions(include_columns=cols)), repeat)
    out = {{}}
else:
    from synthetic import beyond_limits, synthetic_mission_yaml
    from missions.analysis import compute_mission
    from missions.parsing import parse_mission
    with beyond_limits():
        result = compute_mission(parse_mission(synthetic_mission_yaml({sorties}), file="synthetic.yaml"))
    out = {{}}
    if case == "kmz":
        from missions.export.kml import mission_kmz
        def run():
            out["bytes"] = len(mission_kmz(result))
    else:
        from missions.export.geojson import mission_geojson
        def run():
            out["bytes"] = len(json.dumps(mission_geojson(result)))
    seconds = best_of(run, repeat)
out["seconds"], out["cpu_seconds"] = seconds
out["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


def write_adsb(path: Path, rows: int, dense: bool) -> int:
    """An OpenSky state-vector CSV of ``rows`` rows holding the Tu-160 pair (RFF7082); its rows."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.csv as pacsv

    from missions.analysis import compute_mission
    from missions.parsing import load_mission
    from missions.tracks.synthetic import modelled_positions

    s = compute_mission(load_mission(TU160)).sortie("Blackjack pair")
    t0, t1 = s.takeoff_time.timestamp(), s.landing_time.timestamp()
    rng = np.random.default_rng(3)
    n_ours = rows if dense else int((t1 - t0) // 30)
    t_ours = np.linspace(t0, t1, n_ours) if dense else t0 + 30.0 * np.arange(n_ours)
    lat_o, lon_o, _ = modelled_positions(s, t_ours)
    n_other = rows - n_ours
    t_other = np.sort(rng.uniform(t0 - 3600, t0 + 86_400 - 3600, n_other))
    ac = rng.integers(0, 400, n_other)
    time_s = np.concatenate([t_ours, t_other])
    order = np.argsort(time_s, kind="stable")
    other_icao = np.char.add("4b", np.char.zfill(ac.astype(str), 4)) if n_other else np.zeros(0, dtype="<U6")
    icao = np.concatenate([np.full(n_ours, "152003"), other_icao])
    call = np.concatenate([np.full(n_ours, "RFF7082 "), np.char.add("SWR", ac.astype(str))])
    lat = np.concatenate([lat_o, rng.uniform(35, 70, n_other)])
    lon = np.concatenate([lon_o, rng.uniform(-10, 40, n_other)])
    table = pa.table(
        {
            "time": np.floor(time_s[order]).astype(np.int64),
            "icao24": icao[order],
            "lat": np.round(lat[order], 5),
            "lon": np.round(lon[order], 5),
            "velocity": np.full(rows, 240.5),
            "heading": rng.uniform(0, 360, rows).round(1),
            "vertrate": np.zeros(rows),
            "callsign": call[order],
            "onground": np.zeros(rows, dtype=bool),
            "alert": np.zeros(rows, dtype=bool),
            "spi": np.zeros(rows, dtype=bool),
            "squawk": np.full(rows, "7000"),
            "baroaltitude": np.full(rows, 10972.8),
            "geoaltitude": np.full(rows, 11003.3),
            "lastposupdate": np.round(time_s[order], 1),
            "lastcontact": np.round(time_s[order] + 0.4, 1),
            "hour": (time_s[order] // 3600 * 3600).astype(np.int64),
        }
    )
    pacsv.write_csv(table, path, pacsv.WriteOptions(quoting_style="none"))
    return rows


def _times(case: dict) -> str:
    return f"{case['seconds']:.2f} s (CPU {case['cpu_seconds']:.2f} s)"


def _ratios(ours: dict, base: dict) -> str:
    return f"{ours['seconds'] / base['seconds']:.2f} (CPU {ours['cpu_seconds'] / base['cpu_seconds']:.2f})"


def _case_code(case: str, path: str, repeat: int, sorties: int) -> str:
    return _CASE.format(root=str(ROOT), bench=str(Path(__file__).parent), case=case, path=path, repeat=repeat,
                        tu160=str(TU160), columns=COLUMNS, sorties=sorties)  # fmt: skip


def run_cases(cases: Sequence[tuple[str, str]], repeat: int, sorties: int, fresh: bool = True) -> list[dict]:
    """The figures of each (case, path): each case in a fresh interpreter (``fresh``: its max RSS is
    its own), or all of them in one (the smoke run's: it only checks that every case runs)."""
    codes = [_case_code(case, path, repeat, sorties) for case, path in cases]
    groups = [[code] for code in codes] if fresh else [codes]
    figures = []
    for group in groups:  # each case's code prints its figures as its last line
        program = group[0] if fresh else "\n".join(f"exec({code!r}, {{}})" for code in group)
        done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)
        figures += [json.loads(line) for line in done.stdout.strip().splitlines()[-len(group) :]]
    return figures


def _print_import(case: str, path: Path, rows: int, floor: dict, ours: dict) -> None:
    size_mb = path.stat().st_size / 1e6
    what = "import 1 aircraft of" if case == "import" else "import and compare all"
    print(f"{what} {rows:,} ADS-B rows ({size_mb:.0f} MB; {ours['rows']:,} positions compared, "
          f"max deviation {ours['max_km']} km): ours {_times(ours)}, {ours['max_rss_mb']:.0f} MB "
          f"- floor (pyarrow read_csv) {_times(floor)}, {floor['max_rss_mb']:.0f} MB "
          f"- ratio {_ratios(ours, floor)}", flush=True)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rows, sorties, repeat = (20_000, 5, 1) if args.smoke else (1_000_000, 1000, args.repeat)
    fresh = not args.smoke
    with tempfile.TemporaryDirectory() as tmp:
        paths = {case: Path(tmp) / f"{case}.csv" for case in ("import", "dense")}
        for case, dense in (("import", False), ("dense", True)):
            write_adsb(paths[case], rows, dense)
            if fresh:
                floor, ours = run_cases([("floor", str(paths[case])), (case, str(paths[case]))], repeat, sorties)
                _print_import(case, paths[case], rows, floor, ours)
        exports = [("geojson", ""), ("kmz", "")]
        if fresh:
            geojson, kmz = run_cases(exports, repeat, sorties)
        else:
            cases = [(c, str(paths[k])) for k in paths for c in ("floor", k)] + exports
            *imports, geojson, kmz = run_cases(cases, repeat, sorties, fresh=False)
            for i, case in enumerate(paths):
                _print_import(case, paths[case], rows, imports[2 * i], imports[2 * i + 1])
    print(f"export {sorties:,} sorties: KMZ {_times(kmz)} ({kmz['bytes'] / 1e6:.1f} MB, "
          f"{kmz['max_rss_mb']:.0f} MB RSS) - GeoJSON {_times(geojson)} ({geojson['bytes'] / 1e6:.1f} MB) "
          f"- ratio {_ratios(kmz, geojson)}")  # fmt: skip


if __name__ == "__main__":
    main()
