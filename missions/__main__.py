"""The command line: ``python -m missions report|validate|map|export|aircraft|weapons``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from .errors import MissionError


def _load_and_compute(paths: Sequence[str]) -> tuple[list, int]:
    from .analysis import compute_mission
    from .parsing import load_mission

    results, status = [], 0
    for path in paths:
        try:
            results.append(compute_mission(load_mission(path)))
        except MissionError as exc:
            print(f"error: {exc.one_line()}", file=sys.stderr)
            status = 2
    return results, status


def _cmd_report(args: argparse.Namespace) -> int:
    from .report import to_json, to_text

    results, status = _load_and_compute(args.files)
    if results:
        if args.json:
            print(to_json(results))
        else:
            print("\n\n".join(to_text(r, args.units) for r in results))
    return status


def _cmd_validate(args: argparse.Namespace) -> int:
    from .parsing import load_mission

    status = 0
    for path in args.files:
        try:
            mission = load_mission(path)
            print(f"{path}: ok ({mission.name}: {len(mission.sorties)} sortie(s), {len(mission.claims)} claim(s))")
        except MissionError as exc:
            print(f"error: {exc.one_line()}", file=sys.stderr)
            status = 2
    return status


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m missions", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("report", help="legs, totals, weapons and claims of mission files")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--units", choices=["km", "nm", "mi"], default="km")
    p.add_argument("--json", action="store_true", help="one JSON object per file (a list for several)")
    p.set_defaults(func=_cmd_report)
    p = sub.add_parser("validate", help="check mission files")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.set_defaults(func=_cmd_validate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except MissionError as exc:
        print(f"error: {exc.one_line()}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
