"""Verdicts on claims: each claimed figure against the computed band of its sortie.

A claim is ``consistent`` when it lies in the band widened by a tolerance (the route between
sourced points is a reconstruction: 10 % for ``about``, 2 % for ``exactly``, 5 % for bounds such as
``more than``), ``impossible`` when it implies an average speed above the aircraft's maximum (or
below zero time), else ``inconsistent``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .analysis import ClaimResult, MissionResult
from .bands import Band

if TYPE_CHECKING:
    from .feasibility import SortieFeasibility

TOLERANCE = {
    "about": 0.10,
    "exactly": 0.02,
    "more than": 0.05,
    "at least": 0.05,
    "less than": 0.05,
    "at most": 0.05,
}
VERDICTS = ("consistent", "inconsistent", "impossible")


@dataclass(frozen=True)
class ClaimVerdict:
    claim: ClaimResult
    verdict: str
    reason: str
    band: Band


def claim_verdict(claim: ClaimResult, result: MissionResult, feas: dict[str, SortieFeasibility]) -> ClaimVerdict:
    c = claim.claim
    sf = feas.get(claim.sortie or "")
    if sf is not None:
        dist_band, dur_band = sf.distance_band_m, sf.duration_band_s
        max_speed = sf.aircraft.max_speed_kmh.max if sf.aircraft and sf.aircraft.max_speed_kmh else None
    else:  # weapons only: the band of the weapon tracks
        dists = [w.distance_m for w in result.weapons] or [float("nan")]
        tofs = [w.time_of_flight_s for w in result.weapons] or [float("nan")]
        dist_band, dur_band, max_speed = Band(min(dists), max(dists)), Band(min(tofs), max(tofs)), None
    if c.quantity == "distance":
        band, unit, per = dist_band, "km", 1000.0
    elif c.quantity == "duration":
        band, unit, per = dur_band, "h", 3600.0
    else:
        band = (
            Band(dist_band.low / dur_band.high * 3.6, dist_band.high / dur_band.low * 3.6)
            if dur_band.low
            else Band(0.0, float("inf"))
        )
        unit, per = "km/h", 1.0
    tol = TOLERANCE.get(c.qualifier, 0.0)
    wide = band.widened(tol)
    value = c.value
    if c.qualifier in ("more than", "at least"):
        ok = wide.high >= value
    elif c.qualifier in ("less than", "at most"):
        ok = wide.low <= value
    else:
        ok = wide.low <= value <= wide.high
    shown = f"{band.low / per:,.1f}" if band.low == band.high else f"{band.low / per:,.1f}–{band.high / per:,.1f}"
    claimed = f"{c.qualifier} {value / per:,.1f} {unit}"
    implied = claim.implied_speed_kmh
    if ok:
        return ClaimVerdict(
            claim,
            "consistent",
            f"{claimed} agrees with the computed {shown} {unit} (tolerance {tol:.0%})",
            band,
        )
    # the speed the claim needs, at its most favourable reading
    if max_speed is not None and implied is not None and c.quantity in ("distance", "duration", "speed"):
        needs_faster = (
            (c.quantity == "distance" and c.qualifier not in ("less than", "at most"))
            or (c.quantity == "duration" and c.qualifier not in ("more than", "at least"))
            or c.quantity == "speed"
        )
        if needs_faster and implied > max_speed:
            return ClaimVerdict(
                claim,
                "impossible",
                f"{claimed} implies an average of {implied:,.0f} km/h, above the "
                f"{sf.result.sortie.aircraft}'s maximum of {max_speed:,.0f} km/h",
                band,
            )
    direction = "below" if value < band.low else "above"
    return ClaimVerdict(
        claim,
        "inconsistent",
        f"{claimed} is {direction} the computed {shown} {unit} by more than "
        f"the {tol:.0%} tolerance" + (f"; it implies an average of {implied:,.0f} km/h" if implied else ""),
        band,
    )
