"""Verdicts on claims: each claimed figure against the computed band of its sortie.

A claim asserts an interval (:mod:`missions.claims`: "about" ±10 %, "nearly" the 10 % below, a bare
figure ± half its rounding unit, "more than" up to infinity, a range its two ends). It is
``consistent`` when that interval, widened by the reconstruction tolerance (2 %: the route between
sourced points is a reconstruction), meets the computed band (route and schedule through the
waypoints' uncertainty discs and speed ranges); ``impossible`` when even its most favourable reading
needs an average speed above the aircraft's maximum; else ``inconsistent``.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .analysis import ClaimResult, MissionResult
from .bands import Band
from .claims import RECONSTRUCTION_TOLERANCE, Qualifier, Quantity
from .units import (
    S_PER_H,
    UNIT_KM,
    UNIT_LABEL,
    UNIT_M,
    UNIT_SPEED_LABEL,
    average_kmh,
    current_message_units,
    format_speed,
)

if TYPE_CHECKING:
    from .feasibility import SortieFeasibility
    from .model import Claim


class Verdict(enum.StrEnum):
    CONSISTENT = "consistent"
    INCONSISTENT = "inconsistent"
    IMPOSSIBLE = "impossible"


VERDICTS = tuple(v.value for v in Verdict)


@dataclass(frozen=True, kw_only=True)
class ClaimVerdict:
    claim: ClaimResult
    verdict: Verdict
    reason: str
    band: Band


def _shown(low: float, high: float, per: float) -> str:
    if math.isinf(high):
        return f"{low / per:,.1f} or more"
    return f"{low / per:,.1f}" if f"{low / per:,.1f}" == f"{high / per:,.1f}" else f"{low / per:,.1f}–{high / per:,.1f}"


def _claimed(c: Claim, low: float, high: float, per: float, unit: str) -> str:
    """The claim and how it was read, in the report's unit only (one unit on screen, as the reader chose).

    A claim written in the report's unit, a duration or a Mach number is quoted as written: ``'16,000 km'
    (read as 15,500.0–16,500.0 km)``. One written in another unit of distance or speed is not quoted (its
    words would name that unit beside the reader's): ``the claim (3,218.7 km; read as 2,896.8–3,218.7 km)``
    for 'nearly 2,000 miles', its figure then the interval compared (a range needs only its interval); the
    claims table beside it gives the claimed figure in the reader's unit too.
    """
    read = f"read as {_shown(low, high, per)} {unit}"
    written = c.written_unit_si
    if c.quantity is Quantity.DURATION or written is None or math.isclose(written, per, rel_tol=1e-9):
        return f"'{c.text}' ({read})"
    if c.qualifier is Qualifier.BETWEEN:
        return f"the claim ({read})"
    return f"the claim ({c.value / per:,.1f} {unit}; {read})"


def claim_verdict(claim: ClaimResult, result: MissionResult, feas: dict[str, SortieFeasibility]) -> ClaimVerdict:
    """The verdict on one claim against its sortie's bands (or the weapon tracks' for a ship launch)."""
    c = claim.claim
    sf = feas.get(claim.sortie or "")
    if sf is not None:
        dist_band, dur_band = sf.distance_band_m, sf.duration_band_s
        max_speed = sf.aircraft.max_speed_kmh.max if sf.aircraft and sf.aircraft.max_speed_kmh else None
    else:  # weapons only: the band of the weapon tracks
        dists = [w.distance_m for w in result.weapons] or [math.nan]
        tofs = [math.nan if t is None else t for t in (w.time_of_flight_s for w in result.weapons)] or [math.nan]
        dist_band, dur_band = Band(low=min(dists), high=max(dists)), Band(low=min(tofs), high=max(tofs))
        max_speed = None
    units = current_message_units()  # the sentence speaks the user's unit; the band stays in SI
    if c.quantity is Quantity.DISTANCE:
        band, unit, per = dist_band, UNIT_LABEL[units], UNIT_M[units]
    elif c.quantity is Quantity.DURATION:
        band, unit, per = dur_band, "h", S_PER_H
    else:
        band = (
            Band(low=average_kmh(dist_band.low, dur_band.high), high=average_kmh(dist_band.high, dur_band.low))
            if dur_band.low
            else Band(low=0.0, high=math.inf)
        )
        unit, per = UNIT_SPEED_LABEL[units], UNIT_KM[units]  # km/h per display unit
    low, high = c.interval
    wide_low, wide_high = low * (1 - RECONSTRUCTION_TOLERANCE), high * (1 + RECONSTRUCTION_TOLERANCE)
    shown = _shown(band.low, band.high, per)
    claimed = _claimed(c, low, high, per, unit)
    tol = f"{RECONSTRUCTION_TOLERANCE:.0%}"
    if wide_low <= band.high and band.low <= wide_high:
        return ClaimVerdict(
            claim=claim,
            verdict=Verdict.CONSISTENT,
            reason=f"{claimed} meets the computed {shown} {unit} (tolerance {tol})",
            band=band,
        )
    # the average speed the claim needs at its most favourable reading
    if c.quantity is Quantity.DISTANCE:
        needed = average_kmh(wide_low, dur_band.high) if dur_band.high > 0 else math.inf
    elif c.quantity is Quantity.DURATION:
        needed = average_kmh(dist_band.low, wide_high) if wide_high > 0 else math.inf
    else:
        needed = wide_low
    if max_speed is not None and needed > max_speed and sf is not None:
        return ClaimVerdict(
            claim=claim,
            verdict=Verdict.IMPOSSIBLE,
            reason=f"{claimed} needs an average of at least {format_speed(needed)}, above the "
            f"{sf.result.sortie.aircraft}'s maximum of {format_speed(max_speed)}",
            band=band,
        )
    direction = "below" if wide_high < band.low else "above"
    implied = claim.implied_speed_kmh
    return ClaimVerdict(
        claim=claim,
        verdict=Verdict.INCONSISTENT,
        reason=f"{claimed} is {direction} the computed {shown} {unit}, beyond the {tol} tolerance"
        + (f"; it implies an average of {format_speed(implied)}" if implied else ""),
        band=band,
    )
