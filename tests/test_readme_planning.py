"""The README's route-planning figures ("The issue's two known cases", "The Tu-160 mission of 20 November
2015, planned" and the claims against the shortest permitted round trip), recomputed and compared as
written, to the kilometre and the per cent the README gives."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from missions.airspace.plan import plan_route
from missions.analysis import compute_mission
from missions.parsing import load_mission

ROOT = Path(__file__).resolve().parents[1]
FLAT = re.sub(r"\s+", " ", (ROOT / "README.md").read_text(encoding="utf-8"))
NOV_2015 = dt.date(2015, 11, 20)


def km(distance_m: float) -> str:
    return f"{distance_m / 1000:,.0f}"


def test_readme_planning__figures_as_written() -> None:
    to_med = {"origin": "Olenya", "destination": "Eastern Mediterranean", "day": NOV_2015}
    nato_only = plan_route(**to_med, avoid="NATO")
    nato = plan_route(**to_med, via=["Strait of Gibraltar"], avoid="NATO")
    neutral = plan_route(**to_med, via=["Strait of Gibraltar"], avoid="NATO,SWE,FIN")
    libya = plan_route("51.5, -0.12", "32.9, 13.2", avoid="FRA,ESP")
    tu160 = compute_mission(load_mission(ROOT / "missions" / "catalog" / "tu160-2015-11-20.yaml")).sorties[0]
    out_m = next(leg.cumulative_m for leg in tu160.legs if leg.end.point.name == "Eastern Mediterranean")
    back_m = tu160.distance_m - out_m
    round_nato, round_neutral = nato.distance_m + back_m, neutral.distance_m + back_m
    phrases = [
        f"Switzerland and Italy (+{libya.excess * 100:.1f} %)",
        f"Caucasus, Iran, Iraq and Syria ({km(nato_only.distance_m)} km)",
        f"in transit passage ({km(nato.distance_m)} km)",
        f"west of Great Britain ({km(neutral.distance_m)} km), the issue's expected route",
        f"excess over the direct {km(neutral.direct_m)} km | with the hand-built return ({km(back_m)} km) |",
        f"| NATO (2015) | {km(nato.distance_m)} km:",
        f"| +{nato.excess * 100:.0f} % | {km(round_nato)} km |",
        f"| NATO (2015), Sweden, Finland | {km(neutral.distance_m)} km:",
        f"| +{neutral.excess * 100:.0f} % | {km(round_neutral)} km |",
        f"| (the catalogue's hand-built route) | {km(out_m)} km:",
        f"| | {km(tu160.distance_m)} km |",
        f"Mediterranean is {km(nato_only.distance_m)} km south over Russia",
        f"plus the hand-built return: {km(round_neutral)} km)",
        f"**9,500 km** (Sputnik Arabic) is {100 - 9_500_000 / round_neutral * 100:.0f} % short",
        f"the way out alone ({km(neutral.distance_m)} km)",
        f"is {16_000_000 / round_neutral * 100 - 100:.0f} % longer than the shortest permitted round trip and "
        f"{16_000_000 / tu160.distance_m * 100 - 100:.0f} % longer than the hand-built route"
        f" ({km(tu160.distance_m)} km)",
        f"the {km(neutral.distance_m)} km way out",  # the whole sortie planned (round-europe.yaml)
    ]
    missing = [p for p in phrases if p not in FLAT]
    assert not missing, f"README figures that differ from the planner's: {missing}"
