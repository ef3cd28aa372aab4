"""missions.tracks readers: one small real-format sample per source format (tests/data/tracks/).

Every sample holds the same few positions of a climb-out from Olenya (RFF7082, 20 Nov 2015 04:00 UTC)
written with that format's columns and quirks, so each reader must give the same table.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import gpxpy
import numpy as np
import pyogrio
import pytest

from missions.__main__ import main
from missions.geodesy import inverse
from missions.tracks import TrackError, TrackFilter, TrackFormat, load_track, parse_track_bytes, tabular

DATA = Path(__file__).with_name("data") / "tracks"
T0 = dt.datetime(2015, 11, 20, 4, 0, tzinfo=dt.UTC).timestamp()
#: the climb-out every sample holds: (seconds after 04:00 UTC, lat, lon)
CLIMB = np.array(
    [
        [0, 68.1517, 33.47],
        [60, 68.2001, 33.2001],
        [120, 68.2703, 32.8510],
        [180, 68.3402, 32.3999],
        [240, 68.4105, 31.9498],
    ]
)


def _matches_climb(track, rows, time_tol_s: float = 1.0) -> None:
    want = CLIMB[rows]
    assert len(track) == len(rows)
    np.testing.assert_allclose(track.time_s - T0, want[:, 0], atol=time_tol_s)
    assert inverse(track.lat_deg, track.lon_deg, want[:, 1], want[:, 2]).distance_m.max() < 1.0


def test_load_track__opensky_csv_quirks():
    track = load_track(DATA / "opensky-states.csv", filter=TrackFilter(icao24="152003"))
    assert track.format is TrackFormat.OPENSKY
    # the row without a position is dropped and named; the repeated position (no lastposupdate) kept once;
    # times are lastposupdate (the position's time), not the row's time
    assert track.dropped_rows == 1 and track.problems[0].endswith(":2: no position (empty or unreadable)")
    _matches_climb(track, [0, 1, 2, 3, 4], time_tol_s=1.0)
    assert track.time_s[0] - T0 == pytest.approx(-0.5)
    assert set(track.callsign) == {"RFF7082"}  # padded with spaces in the file
    # barometric altitude in metres, geometric where the barometric one is missing
    np.testing.assert_allclose(track.altitude_m[1:], [609.6, 1828.8, 3048.0, 3500.0])
    assert np.isnan(track.altitude_m[0])


def test_load_track__opensky_parquet_same_as_csv():
    rff = TrackFilter(icao24="152003")
    csv_track = load_track(DATA / "opensky-states.csv", filter=rff)
    pq_track = load_track(DATA / "opensky-states.parquet", filter=rff)  # time stored as a timestamp column
    assert pq_track.format is TrackFormat.OPENSKY and len(pq_track) == len(csv_track) == 5
    np.testing.assert_allclose(pq_track.time_s, csv_track.time_s)
    np.testing.assert_allclose(pq_track.lat_deg, csv_track.lat_deg)
    assert list(pq_track.callsign) == list(csv_track.callsign) == ["RFF7082"] * 5
    assert load_track(DATA / "opensky-states.parquet", filter=TrackFilter(callsign="ein123")).icao24.tolist() == [
        "4ca7b3"
    ]


def test_load_track__fr24_csv_position_and_feet():
    track = load_track(DATA / "fr24-flight.csv")
    assert track.format is TrackFormat.FR24 and track.dropped_rows == 0
    _matches_climb(track, [0, 1, 2, 3, 4], time_tol_s=2.0)  # the export's seconds are not on the minute
    assert track.time_s[3] - T0 == 180.0  # Timestamp empty: the UTC column is used
    np.testing.assert_allclose(track.altitude_m, np.array([0, 2000, 6000, 10000, 11475]) * 0.3048)
    assert set(track.icao24) == {""}


def test_load_track__generic_csv_named_columns_and_zone():
    track = load_track(DATA / "generic-named.csv")
    assert track.format is TrackFormat.CSV
    _matches_climb(track, [0, 1, 2, 3])  # written at +03:00, read as UTC
    np.testing.assert_allclose(track.altitude_m, np.array([0, 2000, 6000, 10000]) * 0.3048)
    assert track.name == "RFF7082"


def test_load_track__generic_csv_columns_by_hand():
    data = b"t_epoch_ms,y,x\n1447992000000,68.1517,33.47\n1447992060000,68.2001,33.2001\n"
    with pytest.raises(TrackError, match="has no time and no latitude"):
        parse_track_bytes(data, file="odd.csv")
    track = tabular.parse_csv_track(
        io.BytesIO(data), file="odd.csv", columns={"time": "t_epoch_ms", "lat": "y", "lon": "x"}
    )
    _matches_climb(track, [0, 1])  # milliseconds recognised


def test_load_track__gpx_tracks_against_gpxpy():
    track = load_track(DATA / "garmin-track.gpx")
    assert track.format is TrackFormat.GPX and track.name == "RFF7082"
    # the point without a time is dropped and named; a time with +03:00 and fractions is read as UTC
    assert track.dropped_rows == 1 and "<trkpt> has no time" in track.problems[0] and ":13:" in track.problems[0]
    _matches_climb(track, [0, 1, 2, 4])
    assert track.time_s[1] - T0 == pytest.approx(60.5)
    g = gpxpy.parse((DATA / "garmin-track.gpx").read_text())
    timed = [p for t in g.tracks for s in t.segments for p in s.points if p.time]
    np.testing.assert_allclose(track.lat_deg, [p.latitude for p in timed])
    np.testing.assert_allclose(track.time_s, [p.time.timestamp() for p in timed])
    np.testing.assert_allclose(track.altitude_m, [p.elevation for p in timed])


def test_load_track__gpx_route_when_no_track():
    track = load_track(DATA / "planned-route.gpx")  # GPX 1.0 namespace
    assert len(track) == 3 and track.lat_deg[1] == 69.5 and track.time_s[2] - T0 == 6300.0


def test_load_track__kml_gx_track_and_kmz(tmp_path):
    track = load_track(DATA / "flightaware-gxtrack.kml")
    assert track.format is TrackFormat.KML and track.name == "RFF7082"
    _matches_climb(track, [0, 1, 2, 3])
    np.testing.assert_allclose(track.altitude_m, [200, 810, 2030, 3250])
    assert track.dropped_rows == 1 and "<Point> of 'XLMO' has no time" in track.problems[0]  # the airport label
    kmz = tmp_path / "flight.kmz"
    with zipfile.ZipFile(kmz, "w") as z:
        z.writestr("files/readme.txt", "not the kml")
        z.writestr("doc.kml", (DATA / "flightaware-gxtrack.kml").read_bytes())
    np.testing.assert_allclose(load_track(kmz).time_s, track.time_s)


def test_load_track__kml_fr24_points_against_gdal():
    track = load_track(DATA / "fr24-points.kml")
    _matches_climb(track, [0, 1, 3])
    assert any(":15:" in p and "coordinates" in p for p in track.problems)
    assert any("<LineString> of 'a placemark' has no time" in p for p in track.problems)  # the untimed trail
    frame = pyogrio.read_dataframe(DATA / "fr24-points.kml", layer="Route")
    timed = frame[frame["timestamp"].notna() & frame.geometry.notna() & ~frame.geometry.is_empty]
    timed = timed[timed.geometry.geom_type == "Point"]
    timed = timed.drop(timed.index[2])  # GDAL reads the malformed 'north,68.27' as longitude 0; we drop it
    np.testing.assert_allclose(track.lat_deg, timed.geometry.y.to_numpy())
    np.testing.assert_allclose(track.time_s, [t.timestamp() for t in timed["timestamp"]])


def test_load_track__kml_linestrings_with_timespan_and_timestamps():
    track = load_track(DATA / "timespan-lines.kml")
    # TimeSpan 04:00-04:02 over three vertices: the middle one at its share of the geodesic length
    d = inverse(CLIMB[:2, 1], CLIMB[:2, 2], CLIMB[1:3, 1], CLIMB[1:3, 2]).distance_m
    assert track.time_s[1] - T0 == pytest.approx(120.0 * d[0] / d.sum(), abs=0.01)
    # a TimeStamp gives a line's first vertex; its others are spread to the next stamped line
    assert track.time_s[3] - T0 == 180.0 and track.time_s[-1] - T0 == 240.0
    assert track.dropped_rows == 1


def test_load_track__bad_rows_dropped_counted_and_named():
    track = load_track(DATA / "bad-rows.csv")
    assert len(track) == 2 and track.dropped_rows == 4
    assert [p.split(":")[1] for p in track.problems] == ["3", "4", "5", "6"]
    assert "lat 'north' is not a number" in track.problems[0]
    assert "3 fields where the header has 4" in track.problems[1]
    assert "has no time zone" in track.problems[2]
    assert "out of range" in track.problems[3]


def test_parse_csv_track__blocks_give_the_same_table_and_lines(monkeypatch):
    lines = ["time,lat,lon,callsign"]
    for i in range(3000):  # one aircraft whose callsign changes twice (RFF0, RFF1, RFF2)
        lat = "x" if i == 1500 else f"{60 + i * 1e-3:.4f}"
        lines.append(f"{1447992000 + i},{lat},{30 + i * 1e-3:.4f},RFF{i // 1000}")
    data = ("\n".join(lines) + "\n").encode()
    whole = parse_track_bytes(data, file="big.csv")
    monkeypatch.setattr(tabular, "BLOCK_BYTES", 4096)  # many blocks
    blocks = parse_track_bytes(data, file="big.csv")
    np.testing.assert_array_equal(blocks.time_s, whole.time_s)
    assert blocks.dropped_rows == whole.dropped_rows == 1
    assert blocks.problems == whole.problems == ("big.csv:1502: lat 'x' is not a number",)
    one = parse_track_bytes(data, file="big.csv", filter=TrackFilter(callsign="rff1 "))
    assert len(one) == 999 and set(one.callsign) == {"RFF1"}  # row 1500 (RFF1) has no latitude


def test_track_filter__time_window_and_bad_window():
    start = dt.datetime(2015, 11, 20, 4, 1, tzinfo=dt.UTC)
    end = dt.datetime(2015, 11, 20, 4, 3, tzinfo=dt.UTC)
    track = load_track(DATA / "fr24-flight.csv", filter=TrackFilter(start=start, end=end))
    _matches_climb(track, [1, 2, 3], time_tol_s=2.0)
    with pytest.raises(TrackError, match="before its start"):
        TrackFilter(start=end, end=start)
    with pytest.raises(TrackError, match="no time zone"):
        TrackFilter(start=dt.datetime(2015, 11, 20))  # noqa: DTZ001 (naive on purpose)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.csv", b"", "empty file"),
        ("blob.bin", bytes(range(256)) * 4, "unknown track format: binary data"),
        ("other.xml", b"<?xml version='1.0'?><svg/>", "neither GPX nor KML"),
        ("broken.gpx", b"<gpx xmlns='http://www.topografix.com/GPX/1/1'><trk><trkpt lat='1'", "not well-formed XML"),
        ("nothing.csv", b"time,lat,lon\n", "no usable positions"),
        (
            "nopos.csv",
            b"time,lat,lon\n2015-11-20T04:00:00Z,,\n",
            "no usable positions in csv track (nopos.csv:2: no position",
        ),
        ("header.csv", b"when_seen,where\n1,2\n", "has no time and no latitude/longitude (or position) column"),
        ("bad.parquet", b"PAR1 not really", "not a readable Parquet file"),
        ("bad.kmz", b"PK\x03\x04 truncated zip", "not a readable KMZ"),
    ],
)
def test_parse_track__bad_files_one_line(name, data, message):
    with pytest.raises(TrackError) as info:
        parse_track_bytes(data, file=name)
    line = info.value.one_line()
    assert line.startswith(name) and "\n" not in line
    assert message in line


def test_parse_track__filter_matching_nothing_says_so():
    with pytest.raises(TrackError, match="no usable positions matching callsign XXX"):
        load_track(DATA / "opensky-states.csv", filter=TrackFilter(callsign="XXX"))


def test_cli_track__summary_text_and_json(capsys):
    assert main(["track", str(DATA / "opensky-states.csv"), "--icao24", "152003", "--no-countries"]) == 0
    out, err = capsys.readouterr()
    assert "points         5" in out and "warning:" in err and "1 row dropped: " in err and "1 rows" not in out + err
    import json

    assert main(["track", str(DATA / "planned-route.gpx"), "--json", "--gap", "30", "--no-countries"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["points"] == 3 and len(doc["gaps"]) == 2 and doc["gaps"][0]["duration_s"] == 2400.0


def test_cli_track__countries_crossed_counts_each_country_once(capsys):
    """The header said "17 crossed" over a table of 23 rows: it counted the stretches in a country (Norway
    entered four times counted four), neither the countries nor the rows. It now gives the countries,
    each once, in order, and the number of stretches (the table's rows); the JSON has the same list.
    (Norway is entered three times on the northern track.)"""
    import json

    args = ["track", str(DATA / "observed-northern.csv"), "--callsign", "RFF7082"]
    assert main(args) == 0
    out = capsys.readouterr().out.splitlines()
    (at,) = [i for i, line in enumerate(out) if line.startswith("  countries ")]
    rows = [line.split()[0] for line in out[at + 1 :] if line.startswith("    ")]
    codes = tuple(dict.fromkeys(code for code in rows if code != "—"))
    assert codes == ("RUS", "NOR") and len(rows) == 7 and rows.count("NOR") == 3
    assert out[at] == "  countries      2 crossed (RUS, NOR), in 7 stretches"
    assert main([*args, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["countries_crossed"] == list(codes) and len(doc["countries"]) == len(rows)


def test_cli_track__two_aircraft_at_once_are_refused_by_name(capsys):
    """A file with two aircraft flying at the same time and no filter: one line naming both, with their
    positions, and how to choose one (merged by time, the track zigzagged from Olenya to Dublin and
    back, and crossed Finland, Sweden, Britain and Ireland)."""
    assert main(["track", str(DATA / "opensky-states.csv")]) == 2
    (err,) = capsys.readouterr().err.strip().splitlines()
    assert err == (
        f"error: {DATA / 'opensky-states.csv'}: 2 aircraft fly at the same time in this opensky track: "
        "RFF7082 icao24 152003 (5 positions), EIN123 icao24 4ca7b3 (1 position); a track is one aircraft's: "
        "choose one by its callsign or ICAO 24-bit address"
    )
    assert main(["track", str(DATA / "opensky-states.parquet"), "--icao24", "4ca7b3"]) == 0
    assert "EIN123 (opensky, icao24 4ca7b3)" in capsys.readouterr().out


def test_aircraft_at_once__overlapping_spans_only():
    """Aircraft one after another (a callsign changed, two legs) make one track; spans overlapping by
    more than a minute are several aircraft at once, named most positions first; rows naming no
    aircraft belong to none."""
    from missions.tracks.model import AT_ONCE_S, MAX_NAMED, aircraft_at_once

    def table(*rows):
        t, call, icao = zip(*rows, strict=True)
        return np.array(t, dtype=float), np.array(call, dtype=object), np.array(icao, dtype=object)

    assert aircraft_at_once(*table((0, "A", ""), (10, "A", ""), (20, "B", ""), (30, "B", ""))) == (0, [])
    assert aircraft_at_once(*table((0, "A", "abc"), (10, "B", "abc"), (20, "", ""))) == (0, [])  # one address
    ends = AT_ONCE_S + 20
    assert aircraft_at_once(*table((0, "A", ""), (20, "B", ""), (ends - 1, "A", ""))) == (0, [])  # within a minute
    at_once = table((0, "A", ""), (20, "B", "b0b0b0"), (30, "", "b0b0b0"), (ends + 1, "A", ""), (ends + 2, "A", ""))
    assert aircraft_at_once(*at_once) == (2, [("A", 3), ("B icao24 b0b0b0", 2)])
    assert aircraft_at_once(*table((0, "", "c0c0c0"), (5, "", "d0d0d0"), (500, "", "c0c0c0"))) == (
        2, [("icao24 c0c0c0", 2), ("icao24 d0d0d0", 1)]
    )  # fmt: skip
    many = table(*[(i, f"F{i % (MAX_NAMED + 2)}", "") for i in range(100)])  # interleaved every row
    count, named = aircraft_at_once(*many)
    assert count == MAX_NAMED + 2 and [n for n, _ in named] == [f"F{i}" for i in range(MAX_NAMED)]


def test_cli_track__bad_input_exit_2_one_line(tmp_path, capsys):
    for args in (["track", str(tmp_path / "missing.csv")], ["track", str(DATA / "bad-rows.csv"), "--callsign", "NOPE"]):
        assert main(args) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and err[0].startswith("error: ")
    with pytest.raises(SystemExit) as info:
        main(["track", str(DATA / "bad-rows.csv"), "--from", "yesterday"])
    assert info.value.code == 2


def _gpx(times: list[str]) -> bytes:
    """The climb-out as GPX 1.1 track points with these time texts."""
    points = "".join(
        f'<trkpt lat="{lat}" lon="{lon}"><time>{t}</time></trkpt>'
        for t, (_, lat, lon) in zip(times, CLIMB, strict=False)
    )
    return (
        '<?xml version="1.0"?><gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1">'
        f"<trk><name>RFF7082</name><trkseg>{points}</trkseg></trk></gpx>"
    ).encode()


def test_parse_gpx_track__zoneless_times_are_utc(tmp_path, capsys):
    """GPX times are UTC by the specification, and gpxpy reads '2015-11-20T04:01:00' as a naive
    datetime: such points were dropped ('points 1 (3 rows dropped)', "time '2015-11-20T04:00:00' is not
    ISO 8601 with a zone"). They are read as UTC, alongside Z and +03:00 times in the same file."""
    times = ["2015-11-20T04:00:00", "2015-11-20T04:01:00Z", "2015-11-20T07:02:00+03:00", "2015-11-20T04:03:00.000"]
    track = parse_track_bytes(_gpx(times), file="garmin.gpx")
    assert track.dropped_rows == 0 and track.problems == ()
    _matches_climb(track, [0, 1, 2, 3], time_tol_s=0.0)
    g = gpxpy.parse(_gpx(times).decode())
    naive = [p.time for p in g.tracks[0].segments[0].points if p.time.tzinfo is None]
    assert len(naive) == 2  # what gpxpy gives: naive datetimes, UTC by the GPX specification
    path = tmp_path / "garmin.gpx"
    path.write_bytes(_gpx(times))
    assert main(["track", str(path), "--no-countries"]) == 0
    out, err = capsys.readouterr()
    assert "points         4\n" in out and "dropped" not in out + err
    bad = parse_track_bytes(_gpx(["2015-11-20T04:00:00", "yesterday noon"]), file="g.gpx")
    assert len(bad) == 1 and bad.problems[0].endswith("<trkpt> time 'yesterday noon' is not an ISO 8601 time")


def test_parse_kml_track__zoneless_time_is_refused_by_name():
    """KML's times carry Z or ±hh:mm (no zoneless form), so a zoneless one stays refused, but named for
    what it is: a stamped Point said "<Point> of 'RFF7082' has no time" though its time was written."""
    kml = (
        b'<kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
        b"<Placemark><name>RFF7082</name><TimeStamp><when>2015-11-20T04:00:00Z</when></TimeStamp>"
        b"<Point><coordinates>33.47,68.1517</coordinates></Point></Placemark>\n"
        b"<Placemark><name>RFF7082</name><TimeStamp><when>2015-11-20T04:01:00</when></TimeStamp>\n"
        b"<Point><coordinates>33.2001,68.2001</coordinates></Point></Placemark>"
        b"</Document></kml>"
    )
    track = parse_track_bytes(kml, file="fr24.kml")
    assert len(track) == 1 and track.dropped_rows == 1
    assert track.problems == (
        "fr24.kml:3: <Point> of 'RFF7082': its <TimeStamp> time '2015-11-20T04:01:00' has no time zone "
        "(KML times need Z or ±hh:mm; add Z for UTC)",
    )


def test_parse_csv_track__zoneless_time_read_as_utc_only_in_a_utc_column():
    """A generic CSV's zoneless time is ambiguous and refused, naming the file and row; in a column whose
    name says UTC (FR24's 'UTC', 'time_utc') it was refused too, though the header says UTC."""
    rows = "2015-11-20T04:00:00,68.1517,33.47\n2015-11-20 04:01:00,68.2001,33.2001\n"
    track = parse_track_bytes(f"time_utc,lat,lon\n{rows}".encode(), file="utc.csv")
    assert track.dropped_rows == 0
    _matches_climb(track, [0, 1], time_tol_s=0.0)
    mixed = parse_track_bytes(f"time,lat,lon\n{rows}2015-11-20T04:02:00Z,68.2703,32.8510\n".encode(), file="t.csv")
    assert len(mixed) == 1 and mixed.dropped_rows == 2
    assert mixed.problems[0] == (
        "t.csv:2: time '2015-11-20T04:00:00' has no time zone "
        "(add Z for UTC, or name the column time_utc if all its times are UTC)"
    )
