"""Stretches from clipped pieces (missions/airspace/stretches.py): gaps, overlaps, slivers, vectorised."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from missions.airspace.stretches import Runs, _absorb_slivers, _merge_equal, assign, merge_touching


def sequential_absorb(runs: list[list[float]], sliver_m: float) -> list[tuple[int, float, float]]:
    """The reference: one leg's runs walked one by one (as overflight did before it was vectorised)."""
    joined: list[list[float]] = []
    for c, lo, hi in runs:
        if joined and joined[-1][0] == c:
            joined[-1][2] = hi
        else:
            joined.append([c, lo, hi])
    merged: list[list[float]] = []
    for run in joined:
        if merged and (run[2] - run[1] < sliver_m or merged[-1][0] == run[0]):
            merged[-1][2] = run[2]
        elif merged and merged[-1][2] - merged[-1][1] < sliver_m:
            merged[-1] = [run[0], merged[-1][1], run[2]]
        else:
            merged.append(list(run))
    out: list[list[float]] = []
    for run in merged:
        if out and out[-1][0] == run[0]:
            out[-1][2] = run[2]
        else:
            out.append(run)
    return [(int(c), float(lo), float(hi)) for c, lo, hi in out]


# one leg: contiguous runs of countries -1..2 with lengths around the sliver length (10 m)
legs = st.lists(
    st.lists(st.tuples(st.integers(-1, 2), st.floats(0.5, 30.0)), min_size=1, max_size=8), min_size=1, max_size=5
)


@settings(max_examples=200, deadline=None)
@given(legs=legs)
def test_absorb_slivers__property_as_the_sequential_walk(legs: list[list[tuple[int, float]]]) -> None:
    rows = []
    for leg, runs in enumerate(legs):
        at = 0.0
        for country, length in runs:
            rows.append((leg, country, at, at + length))
            at += length
    leg, country, start, end = (np.array(column) for column in zip(*rows, strict=True))
    runs = Runs(leg=leg.astype(np.intp), country=country.astype(np.intp), start_m=start, end_m=end)
    got = _merge_equal(_absorb_slivers(_merge_equal(runs), 10.0))
    for k in range(len(legs)):
        mine = [r[1:] for r in rows if r[0] == k]
        expected = sequential_absorb([list(r) for r in mine], 10.0)
        on_leg = got.leg == k
        actual = list(
            zip(got.country[on_leg].tolist(), got.start_m[on_leg].tolist(), got.end_m[on_leg].tolist(), strict=True)
        )
        assert actual == expected


def test_assign__gaps_overlaps_and_slivers() -> None:
    """Two legs of 100 km. Leg 0: country 3 to 30 km, a 0.5 m sliver of 5, country 4 from 40 km, and
    country 7's sea overlapping 4's from 60 to 63 km (sampled every km, owners from ``owners``).
    Leg 1: no piece at all."""
    pieces = merge_touching(
        Runs(
            leg=np.array([0, 0, 0, 0], dtype=np.intp),
            country=np.array([3, 5, 4, 7], dtype=np.intp),
            start_m=np.array([0.0, 30_000.0, 40_000.0, 60_000.0]),
            end_m=np.array([30_000.0, 30_000.5, 100_000.0, 63_000.0]),
        ),
        1.0,
    )
    placed = []

    def place(leg, along_m):
        placed.append((leg.tolist(), along_m.tolist()))
        return along_m / 1e5, along_m / 1e5  # any points: owners below does not look at them

    def owners(lat, lon, overlap_of, cover, n_cover, step_m):
        assert cover.tolist() == [4, 7] and n_cover.tolist() == [2] and overlap_of.tolist() == [0, 0, 0]
        assert step_m.tolist() == [1000.0]
        return np.array([4, 7, 4], dtype=np.intp)  # the middle km nearer 7's land

    runs = assign(pieces, np.array([100_000.0, 100_000.0]), 25.0, place, owners)
    assert placed == [([0, 0, 0], [60_500.0, 61_500.0, 62_500.0])]
    got = list(zip(runs.leg.tolist(), runs.country.tolist(), runs.start_m.tolist(), runs.end_m.tolist(), strict=True))
    assert got == [
        (0, 3, 0.0, 30_000.5),  # with the 0.5 m sliver of 5 it absorbed
        (0, -1, 30_000.5, 40_000.0),
        (0, 4, 40_000.0, 61_000.0),
        (0, 7, 61_000.0, 62_000.0),
        (0, 4, 62_000.0, 100_000.0),
        (1, -1, 0.0, 100_000.0),
    ]
