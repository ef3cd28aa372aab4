"""Which place an ambiguous name picks, and that the report says so (issue 9: "Stanley").

The rule (README "Which place a name picks"): curated places first; then a place's own name before an
alternative name or code; then the most prominent (towns by population, airfields by size). An
airfield's name in airportsdata counts as its own name, so "Stanley Airport" (airportsdata's name for
SFAL) ranks against Idaho's "Stanley Airport" by size and picks the Falklands; before, it picked Idaho's
small field because SFAL's OurAirports name is "Port Stanley Airport".
"""

from __future__ import annotations

import pytest

from geodata.places import default_index
from missions.__main__ import main


@pytest.mark.parametrize(
    ("name", "label", "country"),
    [
        ("Stanley", "Stanley, United Kingdom", "GB"),  # 31,300 people against the Falklands capital's 2,210
        ("Stanley, FK", "Stanley, Falkland Islands", "FK"),
        ("Stanley, Falkland Islands", "Stanley, Falkland Islands", "FK"),
        ("Stanley Airport", "Port Stanley Airport", "FK"),  # medium airport before small fields of that name
        ("Port Stanley", "Port Stanley Airport", "FK"),
        ("Stanley Airport, United States", "Stanley Airport, United States", "US"),
    ],
)
def test_resolve__stanley_choices(name, label, country):
    place = default_index().resolve(name)
    assert (place.label, place.country_code) == (label, country)
    assert default_index().resolve(place.label).row == place.row  # the printed name reads back


def test_report__stanley_alone_says_which_it_chose(tmp_path, capsys):
    path = tmp_path / "s.yaml"
    path.write_text(
        "name: s\nsorties:\n  - name: a\n    aircraft: Vulcan B.2\n    takeoff: 1982-05-01T00:00:00Z\n"
        "    speed: 800 km/h\n    route: [Ascension Island, Stanley, Stanley Airport, Ascension Island]\n",
        encoding="utf-8",
    )
    assert main(["report", str(path), "--no-countries"]) == 0
    out = capsys.readouterr().out
    assert "Stanley, United Kingdom" in out and "Port Stanley Airport" in out
