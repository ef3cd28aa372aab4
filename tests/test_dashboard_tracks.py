"""missions.dashboard.track_upload: an uploaded observed track compared with a chosen sortie, as the page does."""

from __future__ import annotations

from pathlib import Path

import pytest

from missions.analysis import MissionResult, compute_mission
from missions.dashboard.track_upload import TrackUpload, compare_upload, upload_note, with_upload
from missions.errors import MissionError
from missions.parsing import load_mission, parse_mission
from missions.tracks.observed import load_comparisons

DATA = Path(__file__).with_name("data")
NORTHERN = (DATA / "tracks" / "observed-northern.csv").read_bytes()


@pytest.fixture(scope="module")
def mission() -> MissionResult:
    """The observed-track test mission without its ``track:`` (the upload gives it)."""
    lines = (DATA / "observed-mission.yaml").read_text(encoding="utf-8").splitlines(keepends=True)
    text = "".join(line for line in lines if not line.strip().startswith("track:"))
    return compute_mission(parse_mission(text, file="observed.yaml"))


def test_compare_upload__same_figures_as_the_mission_files_track(mission):
    c = compare_upload(mission, TrackUpload(file_name="adsb.csv", data=NORTHERN, sortie="Northern leg",
                                            callsign=" rff7082 ", gap_s=600.0))  # fmt: skip
    (from_file,) = load_comparisons(compute_mission(load_mission(DATA / "observed-mission.yaml")))
    assert c.sortie == "Northern leg" and len(c.summary.track) == len(from_file.summary.track)
    assert c.max_deviation_m == pytest.approx(from_file.max_deviation_m, abs=1e-6)
    assert 19_500 < c.max_deviation_m < 21_000 and len(c.gaps) == 1
    assert [p.offset_s is None for p in c.passes] == [p.offset_s is None for p in from_file.passes]
    assert len(c.claims) == 1  # the mission's distance claim set against the observed distance
    assert upload_note(c).startswith("adsb.csv: ") and "compared with Northern leg" in upload_note(c)


def test_compare_upload__filter_picks_the_aircraft(mission):
    other = compare_upload(mission, TrackUpload(file_name="adsb.csv", data=NORTHERN, sortie="Northern leg",
                                                callsign="RFF9999"))  # fmt: skip
    assert other.summary.track.name == "RFF9999" and other.max_deviation_m > 100_000  # 3° south of the route


@pytest.mark.parametrize(
    ("upload", "expected"),
    [
        (TrackUpload(file_name="x.csv", data=NORTHERN, sortie="Northern leg", callsign="NOSUCH"),
         "x.csv: no usable positions matching callsign NOSUCH"),
        (TrackUpload(file_name="x.bin", data=b"\x00\x01\x02junk" * 50, sortie="Northern leg"),
         "x.bin: unknown track format: binary data"),
        (TrackUpload(file_name="x.gpx", data=b"<gpx><trk>", sortie="Northern leg"), "x.gpx:1: not well-formed XML"),
        (TrackUpload(file_name="x.csv", data=b"", sortie="Northern leg"), "x.csv: empty file"),
        (TrackUpload(file_name="x.csv", data=NORTHERN, sortie="Southern leg"), "x.csv: no sortie 'Southern leg'"),
        (TrackUpload(file_name="x.csv", data=NORTHERN, sortie="Northern leg", gap_s=0.0), "x.csv: the coverage gap"),
    ],
)  # fmt: skip
def test_compare_upload__bad_upload_is_one_line_naming_the_file(mission, upload, expected):
    with pytest.raises(MissionError) as info:
        compare_upload(mission, upload)
    line = info.value.one_line()
    assert line.startswith(expected) and "\n" not in line


def test_with_upload__replaces_that_sorties_track_only(mission):
    from_file = load_comparisons(compute_mission(load_mission(DATA / "observed-mission.yaml")))
    uploaded = compare_upload(mission, TrackUpload(file_name="b.csv", data=NORTHERN, sortie="Northern leg",
                                                   callsign="RFF9999"))  # fmt: skip
    assert with_upload(from_file, None) == from_file
    (shown,) = with_upload(from_file, uploaded)
    assert shown is uploaded


def test_compare_upload__gpx_with_zoneless_times_is_read_as_utc(mission):
    """The page's upload of a GPX whose times have no zone (GPX times are UTC by its specification)
    dropped every such point ('no usable positions'); it compares as the same track in CSV does."""
    import csv
    import datetime as dt
    import io

    rows = [r for r in csv.DictReader(io.StringIO(NORTHERN.decode())) if r["callsign"].strip() == "RFF7082"]
    points = "".join(
        f'<trkpt lat="{r["lat"]}" lon="{r["lon"]}"><time>'
        f"{dt.datetime.fromtimestamp(float(r['lastposupdate']), tz=dt.UTC):%Y-%m-%dT%H:%M:%S}</time></trkpt>"
        for r in rows
    )
    gpx = f'<gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>{points}</trkseg></trk></gpx>'
    c = compare_upload(mission, TrackUpload(file_name="adsb.gpx", data=gpx.encode(), sortie="Northern leg"))
    from_csv = compare_upload(mission, TrackUpload(file_name="adsb.csv", data=NORTHERN, sortie="Northern leg",
                                                   callsign="RFF7082"))  # fmt: skip
    assert len(c.summary.track) == len(from_csv.summary.track) == len(rows) and c.summary.track.dropped_rows == 0
    assert c.summary.track.time_s[0] == from_csv.summary.track.time_s[0]
    assert c.max_deviation_m == pytest.approx(from_csv.max_deviation_m, abs=1.0)
