"""The command line: ``python -m missions report|validate|map|export|plan|aircraft|weapons|places``."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .errors import MissionError

if TYPE_CHECKING:
    from .analysis import MissionResult
    from .units import Units


def _load_and_compute(
    paths: Sequence[str], *, countries: bool = True, territorial_sea_nm: float | None = None, units: Units = "km"
) -> tuple:
    """Parse, compute, assess and (optionally) find the overflown countries of each file.

    A bad file is one line on stderr; the others go on. Findings and claim reasons are written in
    ``units`` (:func:`missions.units.message_units`).
    """
    from .units import message_units

    with message_units(units):
        return _load_and_compute_in_units(paths, countries=countries, territorial_sea_nm=territorial_sea_nm)


def _load_and_compute_in_units(paths: Sequence[str], *, countries: bool, territorial_sea_nm: float | None) -> tuple:
    from .analysis import compute_mission
    from .feasibility import assess
    from .parsing import load_mission

    results, feasibility, airspace, status = [], [], [], 0
    for path in paths:
        try:
            result = compute_mission(load_mission(path))
            if countries:
                from .airspace import mission_airspace

                air = mission_airspace(result, territorial_sea_nm=territorial_sea_nm)
            else:
                air = None
            feas = assess(result, air)
        except MissionError as exc:
            for line in exc.lines():
                print(f"error: {line}", file=sys.stderr)
            status = 2
            continue
        for f in feas.findings:  # figures to give, tankers the catalogue lacks: the report still runs
            if f.field is not None:
                where = MissionError(f.message, file=result.mission.file, line=f.line, field=f.field)
                print(f"warning: {where.one_line()}", file=sys.stderr)
        results.append(result)
        feasibility.append(feas)
        airspace.append(air)
    return results, feasibility, airspace, status


def _airspace_rule(args: argparse.Namespace) -> float | None:
    """The overflight rule of ``--land-only`` / ``--territorial-sea``: None is sovereign airspace.

    A band outside 0-200 nm (``--territorial-sea -3``, ``nan``) is one line, as in ``plan``: it reached
    the overflight code and ended in a traceback.
    """
    from .errors import PlaceError

    band = args.territorial_sea
    if band is not None and not (0.0 <= band <= 200.0):
        raise PlaceError(f"must be between 0 and 200 nautical miles, not {band:g}", field="territorial_sea")
    return 0.0 if args.land_only else band


def _add_units(p: argparse.ArgumentParser, help: str | None = None) -> None:
    """``--units km|nm|mi``: the unit of every distance (and speed) the command prints."""
    from .units import UNITS

    p.add_argument("--units", choices=UNITS, default="km", help=help)


def _add_airspace_rule(p: argparse.ArgumentParser) -> None:
    rule = p.add_mutually_exclusive_group()
    rule.add_argument(
        "--land-only", action="store_true", help="count land only (default: sovereign airspace, with seas and bays)"
    )
    rule.add_argument(
        "--territorial-sea",
        type=float,
        default=None,
        metavar="NM",
        help="count land and a band of N nautical miles off each coastline (no bays closed) instead",
    )


def _cmd_report(args: argparse.Namespace) -> int:
    from .report import to_json, to_text

    results, feasibility, airspace, status = _load_and_compute(
        args.files, countries=not args.no_countries, territorial_sea_nm=_airspace_rule(args), units=args.units
    )
    results, feasibility, airspace, observed, status = _observed_tracks(results, feasibility, airspace, status)
    if results and any(observed):
        return _report_with_tracks(args, list(zip(results, feasibility, airspace, observed, strict=True)), status)
    if results:
        if args.json:
            print(to_json(results, feasibility, airspace))
        else:
            texts = (to_text(r, args.units, f, a) for r, f, a in zip(results, feasibility, airspace, strict=True))
            print("\n\n".join(texts))
    return status


def _observed_tracks(results: list, feasibility: list, airspace: list, status: int) -> tuple:
    """Each mission's sorties compared with their observed tracks (``track:``), one tuple per mission.

    A mission whose track cannot be read is one error line and is left out of the report.
    """
    if not any(s.sortie.track for r in results for s in r.sorties):
        return results, feasibility, airspace, [() for _ in results], status
    from .tracks.observed import load_comparisons, track_warnings

    kept: list = [[], [], [], []]
    for row in zip(results, feasibility, airspace, strict=True):
        try:
            comparisons = load_comparisons(row[0])
        except MissionError as exc:
            print(f"error: {exc.one_line()}", file=sys.stderr)
            status = 2
            continue
        for line in track_warnings(comparisons):
            print(f"warning: {line}", file=sys.stderr)
        for column, value in zip(kept, (*row, comparisons), strict=True):
            column.append(value)
    return (*kept, status)


def _report_with_tracks(args: argparse.Namespace, rows: list, status: int) -> int:
    """The report with each sortie's observed track compared (JSON key ``observed``)."""
    from .report import dumps_json, mission_json, to_text
    from .tracks.observed import comparison_json, comparison_text

    if args.json:
        docs = [{**mission_json(r, f, a), "observed": [comparison_json(c, r) for c in obs]} for r, f, a, obs in rows]
        print(dumps_json(docs[0] if len(docs) == 1 else docs))
    else:
        texts = [
            "\n\n".join([to_text(r, args.units, f, a), *(comparison_text(c, r, args.units) for c in obs)])
            for r, f, a, obs in rows
        ]
        print("\n\n".join(texts))
    return status


def _cmd_catalog(args: argparse.Namespace) -> int:
    from .performance import format_aircraft_table, format_weapons_table

    units = args.units
    print(format_aircraft_table(units) if args.command == "aircraft" else format_weapons_table(units))
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    """Every check ``report`` makes (parse, compute, feasibility, countries, the JSON report), per file."""
    from .report import to_json

    status = 0
    for path in args.files:
        results, feasibility, airspace, file_status = _load_and_compute([path])
        status = max(status, file_status)
        if not results:
            continue
        to_json(results, feasibility, airspace)  # what report --json would print must be writable
        mission = results[0].mission
        launches = f", {len(mission.launches)} ship/ground launch(es)" if mission.launches else ""
        print(
            f"{path}: ok ({mission.name}: {len(mission.sorties)} sortie(s){launches}, {len(mission.claims)} claim(s))"
        )
    return status


def _load_one(path: str) -> MissionResult:
    from .analysis import compute_mission
    from .parsing import load_mission

    return compute_mission(load_mission(path))


def _write(text: str, out: str | None) -> int:
    """Write ``text`` to the file ``out`` (stdout if None); an OS error is one line and status 2."""
    if out is None or out == "-":
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return 0
    try:
        with open(out, "w", encoding="utf-8", newline="") as f:
            f.write(text)
    except OSError as exc:
        print(f"error: cannot write {out}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    return 0


def _cmd_map(args: argparse.Namespace) -> int:
    from .export.html import map_html
    from .units import format_megabytes

    results, feasibility, airspace, status = _load_and_compute(
        [args.file], countries=not args.no_countries, territorial_sea_nm=_airspace_rule(args), units=args.units
    )
    if status:
        return status
    observed = []
    if any(s.sortie.track for s in results[0].sorties):
        from .tracks.observed import load_comparisons, observed_lines

        observed = observed_lines(load_comparisons(results[0]))
    page = map_html(
        results[0],
        observed=observed,
        units=args.units,
        tiles=args.tiles,
        rings=args.rings,
        feasibility=feasibility[0],
        airspace=airspace[0],
    )
    status = _write(page, args.output)
    if status == 0:
        print(f"{args.output}: {format_megabytes(len(page.encode('utf-8')))}", file=sys.stderr)
    return status


def _write_bytes(data: bytes, out: str | None) -> int:
    """Write ``data`` to the file ``out`` (stdout if None); an OS error is one line and status 2."""
    if out is None or out == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return 0
    try:
        with open(out, "wb") as f:
            f.write(data)
    except OSError as exc:
        print(f"error: cannot write {out}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    result = _load_one(args.file)
    if args.format in ("kml", "kmz", "gpx"):
        from .export.files import export_bytes
        from .tracks.observed import load_comparisons, observed_lines

        observed = observed_lines(load_comparisons(result)) if any(s.sortie.track for s in result.sorties) else []
        data = export_bytes(result, args.format, units=args.units, rings=args.rings, observed=observed)
        return _write_bytes(data, args.output)
    if args.format == "geojson":
        import json

        from .export.geojson import mission_geojson

        text = json.dumps(mission_geojson(result), ensure_ascii=False, allow_nan=False)
    else:
        from .export.csv import legs_csv

        text = legs_csv(result, args.units)
    return _write(text, args.output)


def _cmd_figure(args: argparse.Namespace) -> int:
    """Figures of mission files (PNG, SVG, PDF); several files or a folder: one each, in parallel."""
    from .figure.output import figure_jobs, options, run_batch
    from .units import format_megabytes

    opts = options(args.size, args.units, args.projection, args.layers)
    if args.claims:
        opts = type(opts)(size=opts.size, units=opts.units, projection=opts.projection, layers=opts.layers | {"claims"})
    jobs = figure_jobs(args.files, args.output, args.format)
    status = 0
    for path, size, error in run_batch(jobs, opts, claims="claims" in opts.layers):
        if error is None and size is not None:
            print(f"{dict(jobs)[path]}: {format_megabytes(size)}", file=sys.stderr)
        else:
            print(f"error: {error}", file=sys.stderr)
            status = 2
    return status


def _utc_arg(text: str) -> dt.datetime:
    """An ISO 8601 time for --from/--to; without a zone it is UTC."""
    try:
        when = dt.datetime.fromisoformat(text.strip().replace("z", "Z").replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"cannot read time {text!r}; write e.g. 2015-11-20T03:00Z") from None
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def _cmd_track(args: argparse.Namespace) -> int:
    import json

    from .tracks import TrackFilter, load_track
    from .tracks.report import summary_json, summary_text
    from .tracks.summary import summarise
    from .units import S_PER_MIN

    filt = TrackFilter(callsign=args.callsign, icao24=args.icao24, start=args.start, end=args.end)
    track = load_track(args.file, filter=filt)
    if track.dropped_rows:
        print(f"warning: {args.file}: {track.dropped_text}", file=sys.stderr)
    summary = summarise(track, gap_s=args.gap * S_PER_MIN, countries=not args.no_countries)
    print(json.dumps(summary_json(summary), ensure_ascii=False) if args.json else summary_text(summary, args.units))
    return 0


def _cmd_places(args: argparse.Namespace) -> int:
    from .places import find_places, is_exact, places_json, places_table

    places, near = find_places(args.query, near=args.near, kind=args.kind, country=args.country, limit=args.limit)
    if not places:
        print(f"error: no place matches {args.query[:80]!r}", file=sys.stderr)
        return 2
    if not is_exact(args.query, kind=args.kind, country=args.country):
        print(f"note: no place is named {args.query[:80]!r}; the most similar names:", file=sys.stderr)
    print(places_json(places) if args.json else places_table(places, near, args.units))
    return 0


def _cmd_plan(args: argparse.Namespace) -> int:
    import datetime as dt

    from .airspace.plan import plan_route, route_yaml
    from .errors import PlaceError
    from .units import M_PER_KM, MAX_DISTANCE_M

    for claim in args.claim:  # "--claim nan" printed "the claimed nan km is nan % shorter"
        if not (0.0 < claim * M_PER_KM <= MAX_DISTANCE_M):
            raise PlaceError(
                f"must be a distance above 0 and at most {MAX_DISTANCE_M / M_PER_KM:,.0f} km, not {claim:g}",
                field="claim",
            )
    day = None
    if args.date:
        try:
            day = dt.date.fromisoformat(args.date)
        except ValueError:
            raise PlaceError(f"cannot read date {args.date!r}; write YYYY-MM-DD", field="date") from None
    route = plan_route(
        args.origin,
        args.destination,
        via=args.via,
        avoid=args.avoid,
        day=day,
        territorial_sea_nm=args.territorial_sea,
        transit=not args.no_transit,
    )
    lines = [route.summary(args.units)]
    width = max(24, *(len(p.name) for p in route.points))  # "Fordow Fuel Enrichment Plant" keeps the columns
    for p in route.points:
        lines.append(f"  {p.name:<{width}} {p.lat_deg:9.4f} {p.lon_deg:10.4f}{'  (planned)' if p.planned else ''}")
    for claim in args.claim:
        lines.append(route.compare(claim * M_PER_KM, args.units))
    print("\n".join(lines))
    if args.output:
        return _write(route_yaml(route), args.output)
    return 0


def _cmd_draft(args: argparse.Namespace) -> int:
    import datetime as dt

    from .draft import DraftError, draft_mission, draft_yaml, load_article
    from .parsing import parse_mission

    day = None
    if args.date:
        try:
            day = dt.date.fromisoformat(args.date)
        except ValueError:
            raise DraftError(f"cannot read --date {args.date!r}; write YYYY-MM-DD") from None
    text = draft_yaml(draft_mission(load_article(args.article), date=day, name=args.article))
    parse_mission(text, file=args.output or "draft")  # the draft must load: a bug here is ours, said in one line
    if args.output:
        return _write(text, args.output)
    print(text, end="")
    return 0


def build_parser() -> argparse.ArgumentParser:
    from .cliparser import OneLineParser, number_in

    parser = OneLineParser(prog="python -m missions", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("report", help="legs, totals, weapons and claims of mission files")
    p.add_argument("files", nargs="+", metavar="FILE")
    _add_units(p)
    p.add_argument("--json", action="store_true", help="one JSON object per file (a list for several)")
    p.add_argument("--no-countries", action="store_true", help="skip the overflown countries (faster)")
    _add_airspace_rule(p)
    p.set_defaults(func=_cmd_report)
    p = sub.add_parser("validate", help="check mission files")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.set_defaults(func=_cmd_validate)
    for name, what in (("aircraft", "aircraft"), ("weapons", "weapons")):
        p = sub.add_parser(name, help=f"the performance catalogue's {what}, every figure sourced")
        _add_units(p)
        p.set_defaults(func=_cmd_catalog)
    p = sub.add_parser("map", help="a self-contained HTML map of a mission file (opens offline)")
    p.add_argument("file", metavar="FILE")
    p.add_argument("-o", "--output", required=True, metavar="OUT.html")
    _add_units(p)
    p.add_argument(
        "--tiles",
        choices=["offline", "osm", "esri", "carto"],
        default="offline",
        help="basemap: embedded Natural Earth (default, no network) or an online tile layer",
    )
    p.add_argument("--rings", action="store_true", help="geodesic range rings of weapons and aircraft")
    p.add_argument("--no-countries", action="store_true", help="without the layer of overflown countries")
    _add_airspace_rule(p)
    p.set_defaults(func=_cmd_map)
    p = sub.add_parser(
        "export", help="a mission file as GeoJSON (RFC 7946), its legs as CSV, or KML/KMZ/GPX for Google Earth and GPS"
    )
    p.add_argument("file", metavar="FILE")
    p.add_argument("--format", choices=["geojson", "csv", "kml", "kmz", "gpx"], required=True)
    p.add_argument("-o", "--output", metavar="OUT", help="output file (default: standard output)")
    _add_units(p, help="distances in CSV, KML and GPX texts")
    p.add_argument("--rings", action="store_true", help="KML/KMZ: geodesic range rings of weapons and aircraft")
    p.set_defaults(func=_cmd_export)
    p = sub.add_parser("figure", help="print-ready static maps (PNG, SVG, PDF) of mission files, offline")
    p.add_argument("files", nargs="+", metavar="FILE", help="mission files or folders of them")
    p.add_argument("-o", "--output", required=True, metavar="OUT", help="OUT.png|svg|pdf, or a folder for several")
    p.add_argument(
        "--size", default="web", help="web (1600×1000 px), print (A4 landscape, 300 dpi), square (1080×1080 px)"
    )
    p.add_argument("--units", default="km", help="km, nm or mi (scale bar, legend, claims)")
    p.add_argument("--projection", default="auto", help="auto, aeqd, conic, polar, mercator or plate-carree")
    p.add_argument(
        "--layers",
        metavar="LIST",
        help="comma-separated layers to draw (default: all but claims); '-seas,-graticule' removes from the default",
    )
    p.add_argument("--claims", action="store_true", help="add the box of claims against computed figures")
    p.add_argument("--format", choices=["png", "svg", "pdf"], help="format of the figures written to a folder")
    p.set_defaults(func=_cmd_figure)
    p = sub.add_parser(
        "track", help="summarise an observed track (OpenSky/FlightRadar24/generic CSV, Parquet, GPX, KML/KMZ)"
    )
    p.add_argument("file", metavar="FILE")
    p.add_argument("--callsign", help="only positions with this callsign (case and spaces ignored)")
    p.add_argument("--icao24", help="only positions of this ICAO 24-bit address (hex)")
    p.add_argument("--from", dest="start", type=_utc_arg, metavar="T", help="from this UTC time (ISO 8601)")
    p.add_argument("--to", dest="end", type=_utc_arg, metavar="T", help="up to this UTC time (ISO 8601)")
    p.add_argument(
        "--gap",
        type=number_in(0, 30 * 24 * 60, "minutes"),
        default=10.0,
        metavar="MIN",
        help="coverage gap: minutes without a position",
    )
    _add_units(p)
    p.add_argument("--json", action="store_true", help="one JSON object")
    p.add_argument("--no-countries", action="store_true", help="skip the countries crossed (faster)")
    p.set_defaults(func=_cmd_track)
    from .places import KIND_CHOICES

    p = sub.add_parser("places", help="find places in the world gazetteer: coordinates, kind, country, source")
    p.add_argument("query", metavar="QUERY", help="a name, code or alternative name (typing errors are forgiven)")
    p.add_argument("--near", metavar="LAT,LON", help="order the matches by distance from this point")
    p.add_argument("--kind", choices=KIND_CHOICES, metavar="KIND", help="airport (any airfield), airbase, city, "
                   "sea (any water), strait, island, region, site, ...")  # fmt: skip
    p.add_argument("--country", metavar="CODE", help="only this country (ISO code or English name)")
    p.add_argument(
        "--limit", type=number_in(0, 1000, "matches", integer=True), default=10, metavar="N", help="at most N matches"
    )
    p.add_argument("--json", action="store_true", help="a JSON list")
    _add_units(p, help="the distance from --near in km, nm or mi")
    p.set_defaults(func=_cmd_places)
    p = sub.add_parser("draft", help="a draft mission file from a news article (every value with its sentence)")
    p.add_argument("article", metavar="ARTICLE.txt")
    p.add_argument("-o", "--output", metavar="draft.yaml")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="the mission date (default: the article's)")
    p.set_defaults(func=_cmd_draft)
    p = sub.add_parser("plan", help="the shortest route on WGS84 that stays out of the airspace to avoid")
    p.add_argument("origin", metavar="FROM", help="place name, ICAO code or 'lat, lon'")
    p.add_argument("destination", metavar="TO")
    p.add_argument("--via", action="append", default=[], metavar="PLACE", help="a place to pass (repeatable)")
    p.add_argument("--avoid", default="", metavar="LIST", help="ISO codes and groups, e.g. NATO,FRA (EU, CSTO)")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="the day whose group membership counts")
    p.add_argument(
        "--territorial-sea",
        type=float,
        default=None,
        metavar="NM",
        help="breadth of territorial airspace (default: 12 nm and the sourced per-country exceptions)",
    )
    p.add_argument("--no-transit", action="store_true", help="no transit passage through straits")
    p.add_argument("--claim", type=float, action="append", default=[], metavar="KM", help="compare a claimed distance")
    p.add_argument("-o", "--output", metavar="OUT.yaml", help="write the route as an editable route: list")
    _add_units(p, help="the distances printed in km, nm or mi (--claim stays in km)")
    p.set_defaults(func=_cmd_plan)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except MissionError as exc:
        for line in exc.lines():
            print(f"error: {line}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0


def run() -> None:
    """``python -m missions`` and the ``missions`` script: :func:`main`, then the process ends without
    the interpreter's teardown (:func:`~missions.process.exit_now`)."""
    from .process import exit_now

    exit_now(main())


if __name__ == "__main__":
    run()
