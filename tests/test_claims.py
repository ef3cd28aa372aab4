"""The claim language (missions/claims.py): every qualifier, range, figure and unit form."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from missions.analysis import compute_mission
from missions.claims import Qualifier, Quantity, parse_claim_text
from missions.errors import MissionError, UnitError
from missions.feasibility import assess
from missions.parsing import parse_mission
from missions.units import M_PER_MI, M_PER_NM, speed_of_sound_kmh

KM, H = 1000.0, 3600.0

# text, quantity, qualifier, value, low, high (SI: m, s, km/h)
CASES = [
    # every qualifier the press uses
    ("nearly 1,500 km", Quantity.DISTANCE, Qualifier.NEARLY, 1500 * KM, 1350 * KM, 1500 * KM),
    ("almost 16 hours", Quantity.DURATION, Qualifier.NEARLY, 16 * H, 14.4 * H, 16 * H),
    ("over 13,000 km", Quantity.DISTANCE, Qualifier.MORE_THAN, 13000 * KM, 13000 * KM, math.inf),
    ("some 16,000 km", Quantity.DISTANCE, Qualifier.ABOUT, 16000 * KM, 14400 * KM, 17600 * KM),
    ("around 900 km/h", Quantity.SPEED, Qualifier.ABOUT, 900.0, 810.0, 990.0),
    ("roughly 10 h", Quantity.DURATION, Qualifier.ABOUT, 10 * H, 9 * H, 11 * H),
    ("approximately 2,000 km", Quantity.DISTANCE, Qualifier.ABOUT, 2000 * KM, 1800 * KM, 2200 * KM),
    ("about 1,500 km", Quantity.DISTANCE, Qualifier.ABOUT, 1500 * KM, 1350 * KM, 1650 * KM),
    ("up to 2,500 km", Quantity.DISTANCE, Qualifier.AT_MOST, 2500 * KM, 0.0, 2500 * KM),
    ("more than 16 hours", Quantity.DURATION, Qualifier.MORE_THAN, 16 * H, 16 * H, math.inf),
    ("at least 12 h", Quantity.DURATION, Qualifier.AT_LEAST, 12 * H, 12 * H, math.inf),
    ("less than 5 hours", Quantity.DURATION, Qualifier.LESS_THAN, 5 * H, 0.0, 5 * H),
    ("at most 1,000 km/h", Quantity.SPEED, Qualifier.AT_MOST, 1000.0, 0.0, 1000.0),
    ("exactly 14,000 km", Quantity.DISTANCE, Qualifier.EXACTLY, 14000 * KM, 14000 * KM, 14000 * KM),
    # a bare figure is rounded at the place of its last non-zero digit
    ("16,000 km", Quantity.DISTANCE, Qualifier.ROUNDED, 16000 * KM, 15500 * KM, 16500 * KM),
    ("9,500 km", Quantity.DISTANCE, Qualifier.ROUNDED, 9500 * KM, 9450 * KM, 9550 * KM),
    ("16.5 h", Quantity.DURATION, Qualifier.ROUNDED, 16.5 * H, 16.45 * H, 16.55 * H),
    (
        "16 h 20 min",
        Quantity.DURATION,
        Qualifier.ROUNDED,
        (16 + 1 / 3) * H,
        (16 + 1 / 3) * H - 300,
        (16 + 1 / 3) * H + 300,
    ),
    # ranges
    ("36–37 h", Quantity.DURATION, Qualifier.BETWEEN, 36.5 * H, 36 * H, 37 * H),
    ("36-37 hours", Quantity.DURATION, Qualifier.BETWEEN, 36.5 * H, 36 * H, 37 * H),
    ("9,000 to 10,000 km", Quantity.DISTANCE, Qualifier.BETWEEN, 9500 * KM, 9000 * KM, 10000 * KM),
    ("between 9,000 and 10,000 km", Quantity.DISTANCE, Qualifier.BETWEEN, 9500 * KM, 9000 * KM, 10000 * KM),
    ("one or two hours", Quantity.DURATION, Qualifier.BETWEEN, 1.5 * H, 1 * H, 2 * H),
    ("about 36–37 h", Quantity.DURATION, Qualifier.ABOUT, 36.5 * H, 32.4 * H, 40.7 * H),
    # thousands separators: commas, spaces, no-break and thin spaces; a decimal comma
    ("11 000 km", Quantity.DISTANCE, Qualifier.ROUNDED, 11000 * KM, 10500 * KM, 11500 * KM),
    ("11\u2009000 km", Quantity.DISTANCE, Qualifier.ROUNDED, 11000 * KM, 10500 * KM, 11500 * KM),
    ("11\u00a0000 km", Quantity.DISTANCE, Qualifier.ROUNDED, 11000 * KM, 10500 * KM, 11500 * KM),
    ("11\u202f000 km", Quantity.DISTANCE, Qualifier.ROUNDED, 11000 * KM, 10500 * KM, 11500 * KM),
    ("1,5 h", Quantity.DURATION, Qualifier.ROUNDED, 1.5 * H, 1.45 * H, 1.55 * H),
    # written numbers
    ("two hours", Quantity.DURATION, Qualifier.ROUNDED, 2 * H, 1.5 * H, 2.5 * H),
    ("more than five hours' flying time", Quantity.DURATION, Qualifier.MORE_THAN, 5 * H, 5 * H, math.inf),
    ("sixteen thousand kilometres", Quantity.DISTANCE, Qualifier.ROUNDED, 16000 * KM, 15500 * KM, 16500 * KM),
    ("one and a half hours", Quantity.DURATION, Qualifier.ROUNDED, 1.5 * H, 1.45 * H, 1.55 * H),
    ("half an hour", Quantity.DURATION, Qualifier.ROUNDED, 0.5 * H, 0.45 * H, 0.55 * H),
    # units
    ("3,380 nautical miles", Quantity.DISTANCE, Qualifier.ROUNDED, 3380 * M_PER_NM, 3375 * M_PER_NM, 3385 * M_PER_NM),
    ("7,652 NM", Quantity.DISTANCE, Qualifier.ROUNDED, 7652 * M_PER_NM, 7651.5 * M_PER_NM, 7652.5 * M_PER_NM),
    ("8,800 miles", Quantity.DISTANCE, Qualifier.ROUNDED, 8800 * M_PER_MI, 8750 * M_PER_MI, 8850 * M_PER_MI),
    ("8,800 statute miles", Quantity.DISTANCE, Qualifier.ROUNDED, 8800 * M_PER_MI, 8750 * M_PER_MI, 8850 * M_PER_MI),
    # compound adjectives, as in headlines ("a 3,000-mile round trip", "a 16,000-kilometre flight")
    ("3,000-mile", Quantity.DISTANCE, Qualifier.ROUNDED, 3000 * M_PER_MI, 2500 * M_PER_MI, 3500 * M_PER_MI),
    ("16,000-kilometre", Quantity.DISTANCE, Qualifier.ROUNDED, 16000 * KM, 15500 * KM, 16500 * KM),
    ("2 days", Quantity.DURATION, Qualifier.ROUNDED, 48 * H, 36 * H, 60 * H),
    ("90 minutes", Quantity.DURATION, Qualifier.ROUNDED, 5400.0, 5100.0, 5700.0),
    ("1 day and 4 hours", Quantity.DURATION, Qualifier.ROUNDED, 28 * H, 27.5 * H, 28.5 * H),
    ("480 knots", Quantity.SPEED, Qualifier.ROUNDED, 480 * 1.852, 475 * 1.852, 485 * 1.852),
    ("560 mph", Quantity.SPEED, Qualifier.ROUNDED, 560 * 1.609344, 555 * 1.609344, 565 * 1.609344),
]


@pytest.mark.parametrize(("text", "quantity", "qualifier", "value", "low", "high"), CASES, ids=[c[0] for c in CASES])
def test_parse_claim_text__press_forms(text, quantity, qualifier, value, low, high):
    c = parse_claim_text(text)
    assert (c.quantity, c.qualifier) == (quantity, qualifier)
    assert c.value == pytest.approx(value, rel=1e-9)
    assert c.low == pytest.approx(low, rel=1e-9, abs=1e-9)
    assert c.high == pytest.approx(high, rel=1e-9) if math.isfinite(high) else math.isinf(c.high)


def test_parse_claim_text__mach_at_11_km():
    c = parse_claim_text("Mach 2")
    assert c.quantity is Quantity.SPEED and c.value == pytest.approx(2 * speed_of_sound_kmh(11_000.0))
    assert c.value == pytest.approx(2124.6, abs=0.5)  # ISA: 1,062.3 km/h at 11,000 m
    r = parse_claim_text("Mach 0.8–0.9")
    assert (r.qualifier, r.low, r.high) == (Qualifier.BETWEEN, 0.8 * speed_of_sound_kmh(), 0.9 * speed_of_sound_kmh())


def test_parse_claim_text__separate_qualifier_and_the_texts_own_wins():
    assert parse_claim_text("16,000 km", qualifier="approximately").qualifier is Qualifier.ABOUT
    assert parse_claim_text("nearly 16,000 km", qualifier="exactly").qualifier is Qualifier.NEARLY
    with pytest.raises(UnitError) as info:
        parse_claim_text("16,000 km", qualifier="abuot")
    assert "about" in info.value.suggestions


@pytest.mark.parametrize(
    ("text", "why"),
    [("", "empty"), ("about", "no number"), ("16000 klicks", "unknown unit 'klicks'"), ("sixteen", "no unit")],
)
def test_parse_claim_text__unreadable_says_why(text, why):
    with pytest.raises(UnitError) as info:
        parse_claim_text(text)
    assert why in info.value.message


@settings(max_examples=50, deadline=None)
@given(st.integers(min_value=1, max_value=999_999), st.sampled_from([",", " ", "\u2009", "\u00a0"]))
def test_parse_claim_text__any_thousands_separator_reads_the_same(n, sep):
    written, plain = parse_claim_text(f"{n:,} km".replace(",", sep)), parse_claim_text(f"{n} km")
    assert (written.value, written.low, written.high, written.qualifier) == (
        plain.value,
        plain.low,
        plain.high,
        plain.qualifier,
    )


def _tu22_with(claim: str) -> str:
    return (
        f'name: c\nclaims:\n  - value: "{claim}"\nsorties:\n  - name: s\n    aircraft: Tu-22M3\n'
        "    takeoff: 2015-11-17T00:00:00Z\n    speed: 1000 km/h\n    route:\n      - 0, 0\n      - 0, 10\n"
    )


@pytest.mark.parametrize(
    ("claim", "verdict"),
    [
        # the route is 1,113.2 km along the equator, 1 h 6.8 min at 1,000 km/h
        ("1,100 km", "consistent"),  # rounded ±50 km, then 2 %
        ("1,000 km", "consistent"),  # a bare 1,000 is rounded to the thousand: 500–1,500 km
        ("exactly 1,000 km", "inconsistent"),
        ("nearly 1,150 km", "consistent"),
        ("nearly 1,300 km", "inconsistent"),  # nearly means up to 10 % below: 1,170–1,300
        ("over 1,000 km", "consistent"),
        ("less than 1,000 km", "inconsistent"),
        ("1,000 to 1,100 km", "consistent"),  # 1,100 widened by 2 % reaches 1,113
        ("9,000 to 10,000 km", "impossible"),  # needs ≥ 7,900 km/h for the Tu-22M3
        ("about 1 h", "consistent"),
        ("almost two hours", "inconsistent"),
    ],
)
def test_claim_verdict__qualifier_sets_the_interval(claim, verdict):
    result = compute_mission(parse_mission(_tu22_with(claim)))
    assert result.sorties[0].distance_m == pytest.approx(1_113_195, abs=1)
    (v,) = assess(result).verdicts
    assert v.verdict == verdict, v.reason


def test_parse_mission__unreadable_claim_is_one_line_with_field():
    with pytest.raises(MissionError) as info:
        parse_mission(_tu22_with("16000 klicks"), file="c.yaml")
    assert info.value.one_line().startswith("c.yaml:3: claims[0].value: cannot read the claim '16000 klicks'")
    text = _tu22_with("16 h").replace('  - value: "16 h"', '  - {value: "16 h", quantity: distance}')
    with pytest.raises(MissionError) as info:
        parse_mission(text, file="c.yaml")
    assert "claims[0].quantity" in info.value.one_line() and "does not match" in info.value.message


def test_readme__qualifier_table_reads_as_the_parser_does():
    """Every qualifier word in the README's "How a claim is read" table is read by the parser as the
    qualifier the table names, and every qualifier of the issue appears in that table."""
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    table = readme.split("| written | read as | interval |", 1)[1].split("\n\n", 1)[0]
    seen = set()
    for line in table.splitlines()[2:]:
        written, read_as, _ = (c.strip() for c in line.strip().strip("|").split("|"))
        if "`" in written:  # the bare figure and the ranges are checked by the cases above
            continue
        names = {q.strip() for q in read_as.split("/")}
        for word in (w.strip() for w in written.replace(";", ",").split(",")):
            assert parse_claim_text(f"{word} 1,000 km").qualifier.value in names, (word, read_as)
            seen.add(word)
    issue = (
        "nearly, almost, over, some, around, roughly, approximately, up to, more than, at least, less than, "
        "at most, exactly"
    )
    assert set(issue.split(", ")) <= seen
