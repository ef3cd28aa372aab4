"""From clipped pieces to the ordered stretches of every leg: gaps, overlapping seas, slivers.

Step 4 of the method in :mod:`.overflight`, vectorised over all legs at once (no Python loop per
leg or per stretch):

1. Each leg is cut at 0, its length and every piece's ends; between consecutive cuts, the pieces
   covering the interval are counted with one cumulative sum (none: international waters, one:
   its country).
2. An interval covered by several countries (territorial seas that overlap) is sampled every
   ``MEDIAN_STEP_M``; each sample goes to the nearer land (:func:`.median.nearest_owner`, all
   samples of all legs in one search). One shorter than ``OVERLAP_MIN_M`` goes to the lowest
   country number where the leg has real overlaps, else to the piece that began first.
3. Consecutive runs of one country are merged, and runs shorter than the sliver length are absorbed
   by the run before them (a leg's first run, if short, by the run after it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from .median import MEDIAN_STEP_M

#: overlaps shorter than this (m) are not sampled (pieces of two countries that touch, within rounding)
OVERLAP_MIN_M = 1.0
#: the most samples of one overlapping stretch (a 1,000 km one is sampled every km)
_MAX_SAMPLES = 1000

Array = NDArray[np.float64]
Ints = NDArray[np.intp]


class Runs(NamedTuple):
    """Stretches of legs, sorted by leg then start; ``country`` -1 is no country."""

    leg: Ints
    country: Ints
    start_m: Array
    end_m: Array


#: ``(leg, distance along it in m) -> (lat, lon)`` of points on the legs' geodesics
Place = Callable[[Ints, Array], tuple[Array, Array]]
#: ``(lat, lon, overlap of each sample, countries of the overlaps, how many per overlap, metres
#: between samples per overlap) -> owner``
Owners = Callable[[Array, Array, Ints, Ints, Ints, Array], Ints]


def merge_touching(runs: Runs, sliver_m: float) -> Runs:
    """Merge pieces of the same leg and country that touch, overlap or lie within ``sliver_m``.

    Returns them sorted by leg, then start.
    """
    leg, country, start, end = runs
    if len(leg) == 0:
        return runs
    order = np.lexsort((start, country, leg))
    leg, country, start, end = leg[order], country[order], start[order], end[order]
    group = np.concatenate(([0], np.cumsum((np.diff(leg) != 0) | (np.diff(country) != 0))))
    span = float(end.max()) + 4 * sliver_m + 1.0
    reach = np.maximum.accumulate(group * span + end) - group * span  # furthest end so far, per group
    new_run = np.ones(len(leg), dtype=bool)
    new_run[1:] = (group[1:] != group[:-1]) | (start[1:] > reach[:-1] + sliver_m)
    first = np.flatnonzero(new_run)
    last = np.append(first[1:], len(leg)) - 1
    leg, country, start, end = leg[first], country[first], start[first], reach[last]
    order = np.lexsort((start, leg))
    return Runs(leg=leg[order], country=country[order], start_m=start[order], end_m=end[order])


def assign(pieces: Runs, length_m: Array, sliver_m: float, place: Place, owners: Owners) -> Runs:
    """The stretches covering each leg ``[0, length_m]`` (see module), from merged, sorted pieces.

    ``place`` puts the samples of overlapping seas on the legs; ``owners`` gives each its country.
    """
    leg, country, start, end = pieces
    n_legs, n = len(length_m), len(leg)
    # 1. cuts: 0, the length and both ends of every piece (clipped to the leg), sorted and unique per leg
    legs = np.arange(n_legs, dtype=np.intp)
    cut_leg = np.concatenate([legs, legs, leg, leg])
    clip_hi = length_m[leg]
    cut_at = np.concatenate([np.zeros(n_legs), length_m, np.clip(start, 0.0, clip_hi), np.clip(end, 0.0, clip_hi)])
    order = np.lexsort((cut_at, cut_leg))
    new = np.ones(len(order), dtype=bool)
    new[1:] = (cut_leg[order][1:] != cut_leg[order][:-1]) | (cut_at[order][1:] != cut_at[order][:-1])
    rank = np.cumsum(new) - 1  # the unique cut of each sorted entry
    where = np.empty(len(order), dtype=np.intp)
    where[order] = rank
    cut_leg, cut_at = cut_leg[order][new], cut_at[order][new]
    first_cut, end_cut = where[2 * n_legs : 2 * n_legs + n], where[2 * n_legs + n :]
    # intervals: from each cut to the next of the same leg; pieces counted with one cumulative sum
    n_cuts = len(cut_at)
    count = np.cumsum(np.bincount(first_cut, minlength=n_cuts) - np.bincount(end_cut, minlength=n_cuts))
    label = np.cumsum(
        np.bincount(first_cut, weights=country + 1.0, minlength=n_cuts)
        - np.bincount(end_cut, weights=country + 1.0, minlength=n_cuts)
    )
    interval = np.flatnonzero(cut_leg[1:] == cut_leg[:-1])
    iv_leg, iv_a, iv_b = cut_leg[interval], cut_at[interval], cut_at[interval + 1]
    iv_count = count[interval]
    iv_country = np.where(iv_count == 1, np.rint(label[interval]).astype(np.intp) - 1, -1)
    # 2. intervals covered by several pieces (of different countries: merged pieces of one never overlap)
    multi = np.flatnonzero(iv_count >= 2)
    samples_per = np.ones(len(interval), dtype=np.intp)
    cover, n_cover, sampled = _covers(pieces, multi, interval[multi], iv_leg[multi], first_cut, end_cut, n_legs)
    long = (iv_b - iv_a)[multi] >= OVERLAP_MIN_M
    short = multi[~long]
    iv_country[short] = _short_owner(pieces, cover, n_cover, sampled, ~long, n_legs)
    overlap = multi[long]
    samples_per[overlap] = np.clip(np.ceil((iv_b - iv_a)[overlap] / MEDIAN_STEP_M), 1, _MAX_SAMPLES).astype(np.intp)
    # every interval becomes its runs: one, or one per sample of an overlap
    run_iv = np.repeat(np.arange(len(interval)), samples_per)
    k = np.arange(len(run_iv)) - np.repeat(np.cumsum(samples_per) - samples_per, samples_per)
    m = samples_per[run_iv]
    a, width = iv_a[run_iv], (iv_b - iv_a)[run_iv]
    run_a = a + width * k / m
    run_b = np.where(k == m - 1, iv_b[run_iv], a + width * (k + 1) / m)
    run_country = iv_country[run_iv]
    is_sample = np.zeros(len(interval), dtype=bool)
    is_sample[overlap] = True
    sample = np.flatnonzero(is_sample[run_iv])
    if len(sample):
        keep = np.repeat(long, n_cover)
        overlap_cover, overlap_n = cover[keep], n_cover[long]
        overlap_of = np.repeat(np.arange(len(overlap)), samples_per[overlap])
        lat, lon = place(iv_leg[run_iv[sample]], (run_a[sample] + run_b[sample]) / 2)
        step_m = (iv_b - iv_a)[overlap] / samples_per[overlap]
        run_country[sample] = owners(lat, lon, overlap_of, overlap_cover, overlap_n, step_m)
    runs = Runs(leg=iv_leg[run_iv], country=run_country, start_m=run_a, end_m=run_b)
    # 3. merged and slivers absorbed
    return _merge_equal(_absorb_slivers(_merge_equal(runs), sliver_m))


def _covers(
    pieces: Runs, multi: Ints, cut: Ints, iv_leg: Ints, first_cut: Ints, end_cut: Ints, n_legs: int
) -> tuple[Ints, Ints, Ints]:
    """The countries covering each of the ``multi`` intervals (starting at ``cut``), sorted per
    interval: (countries, how many per interval, the piece of each)."""
    leg = pieces.leg
    piece_first = np.searchsorted(leg, np.arange(n_legs + 1))
    per = (piece_first[1:] - piece_first[:-1])[iv_leg]
    pair_iv = np.repeat(np.arange(len(multi)), per)
    piece = np.repeat(piece_first[:-1][iv_leg], per) + (np.arange(len(pair_iv)) - np.repeat(np.cumsum(per) - per, per))
    inside = (first_cut[piece] <= cut[pair_iv]) & (end_cut[piece] > cut[pair_iv])
    pair_iv, piece = pair_iv[inside], piece[inside]
    order = np.lexsort((pieces.country[piece], pair_iv))
    pair_iv, piece = pair_iv[order], piece[order]
    return pieces.country[piece], np.bincount(pair_iv, minlength=len(multi)).astype(np.intp), piece


def _short_owner(pieces: Runs, cover: Ints, n_cover: Ints, piece: Ints, short: NDArray[np.bool_], n_legs: int) -> Ints:
    """Owners of overlaps too short to sample: the lowest country number on a leg with real overlaps
    (two pieces that overlap by ``OVERLAP_MIN_M`` or more), else the piece that began first."""
    leg, _, start, end = pieces
    overlapping = np.zeros(n_legs + 1, dtype=bool)
    same_leg = leg[1:] == leg[:-1]
    overlapping[leg[1:][same_leg & (start[1:] < end[:-1] - OVERLAP_MIN_M)]] = True
    first = np.cumsum(n_cover) - n_cover  # each interval's lowest country comes first (sorted)
    lowest, lowest_piece = cover[first], piece[first]
    earliest = np.minimum.reduceat(piece, first) if len(first) else first
    chosen = np.where(overlapping[leg[lowest_piece]], lowest, pieces.country[earliest])
    return chosen[short]


def _merge_equal(runs: Runs) -> Runs:
    """Consecutive runs of one leg and country joined."""
    leg, country, start, end = runs
    if not len(leg):
        return runs
    new = np.ones(len(leg), dtype=bool)
    new[1:] = (leg[1:] != leg[:-1]) | (country[1:] != country[:-1])
    first = np.flatnonzero(new)
    last = np.append(first[1:], len(leg)) - 1
    return Runs(leg=leg[first], country=country[first], start_m=start[first], end_m=end[last])


def _absorb_slivers(runs: Runs, sliver_m: float) -> Runs:
    """Runs shorter than ``sliver_m`` absorbed by the run before them; a leg's first run, if it stays
    short after absorbing those after it, is taken over by the next long run (runs are contiguous)."""
    leg, country, start, end = runs
    n = len(leg)
    if not n:
        return runs
    first_of_leg = np.ones(n, dtype=bool)
    first_of_leg[1:] = leg[1:] != leg[:-1]
    anchor = np.flatnonzero(first_of_leg | (end - start >= sliver_m))
    a_leg, a_country, a_start = leg[anchor], country[anchor], start[anchor].copy()
    a_end = end[np.append(anchor[1:], n) - 1]  # up to the next anchor (every leg's first run is one)
    next_same_leg = np.append(a_leg[1:] == a_leg[:-1], False)
    drop = first_of_leg[anchor] & (a_end - a_start < sliver_m) & next_same_leg
    taken = np.flatnonzero(drop) + 1
    a_start[taken] = a_start[taken - 1]
    keep = ~drop
    return Runs(leg=a_leg[keep], country=a_country[keep], start_m=a_start[keep], end_m=a_end[keep])
