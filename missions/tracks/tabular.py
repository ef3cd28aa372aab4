"""Tabular track sources: OpenSky state vectors (CSV, Parquet), FlightRadar24 CSV, generic CSV.

Read with pyarrow in blocks (``BLOCK_BYTES``), only the columns needed, and filtered block by block,
so memory is bounded by the block and the positions kept, not by the file. Numbers are read as
float64 in one pass; a file with a value that is not a number is read again as text and each bad
value named by its line.

Formats (column names matched case-insensitively, surrounding spaces ignored):

- **OpenSky** state vectors (``time, icao24, lat, lon, velocity, heading, vertrate, callsign,
  onground, alert, spi, squawk, baroaltitude, geoaltitude, lastposupdate, lastcontact``): ``time`` in
  Unix seconds, ``lastposupdate`` (when given) is the time of the position; rows without a position
  are empty (dropped); callsigns padded with spaces; altitudes in metres (barometric, else
  geometric).
- **FlightRadar24** per-flight export (``Timestamp, UTC, Callsign, Position, Altitude, Speed,
  Direction``): ``Position`` is one quoted ``"lat,lon"``; ``Timestamp`` in Unix seconds (``UTC`` in
  ISO 8601 is used when it is missing); ``Altitude`` in feet; no ICAO address.
- **Generic** CSV: a time column (:data:`ALIASES`: ``time``, ``timestamp``, ``utc``, ``datetime``,
  ...; ISO 8601 text, or Unix seconds or milliseconds), latitude and longitude columns (or one
  ``position`` column ``"lat,lon"``), optionally altitude (metres; ``altitude_ft``/``alt_ft`` in feet),
  callsign and ICAO address. Text times without a zone are refused row by row (UTC must be
  stated), except in a column whose name says UTC (FR24's ``UTC``, ``time_utc``, ``utc``...),
  where they are read as UTC.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import IO

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from .model import MAX_PROBLEMS, Track, TrackError, TrackFilter, TrackFormat, make_track

#: bytes of CSV parsed at a time
BLOCK_BYTES = 16 << 20
#: rows of Parquet read at a time
PARQUET_BATCH_ROWS = 500_000
#: a track of more positions than this is refused (filter it): bounds memory on huge files
MAX_POSITIONS = 20_000_000
FT_TO_M = 0.3048
#: names a generic CSV's columns may have, per field
ALIASES: dict[str, tuple[str, ...]] = {
    "time": ("time", "timestamp", "utc", "datetime", "date_time", "time_utc", "utc_time", "ts", "when"),
    "lat": ("lat", "latitude", "lat_deg"),
    "lon": ("lon", "lng", "long", "longitude", "lon_deg"),
    "position": ("position", "pos", "latlon", "lat_lon"),
    "altitude_m": ("altitude_m", "alt_m", "altitude", "alt", "baroaltitude", "geoaltitude", "ele", "elevation"),
    "altitude_ft": ("altitude_ft", "alt_ft", "altitude (ft)"),
    "callsign": ("callsign", "call_sign", "flight", "ident"),
    "icao24": ("icao24", "icao", "hex", "icao_address", "mode_s", "modes"),
}


@dataclass(frozen=True, kw_only=True)
class _Layout:
    """Which source column feeds which field (original names), and the format."""

    format: TrackFormat
    time: str | None
    time_text: str | None  #: an ISO 8601 text column (FR24's UTC; a generic text time)
    lat: str | None
    lon: str | None
    position: str | None
    altitude: tuple[str, ...]
    altitude_scale: float
    callsign: str | None
    icao24: str | None
    pos_time: str | None  #: OpenSky's lastposupdate

    @property
    def columns(self) -> list[str]:
        cols = [self.time, self.time_text, self.lat, self.lon, self.position, *self.altitude]
        cols += [self.callsign, self.icao24, self.pos_time]
        return list(dict.fromkeys(c for c in cols if c))


def _find(names: Mapping[str, str], field: str) -> str | None:
    return next((names[a] for a in ALIASES[field] if a in names), None)


def layout_for(header: list[str], file: str, columns: Mapping[str, str] | None = None) -> _Layout:
    """Recognise the format from the header (``columns`` maps fields to column names by hand)."""
    names = {h.strip().lower(): h for h in header}
    if columns:
        unknown = [v for v in columns.values() if v.strip().lower() not in names]
        if unknown:
            raise TrackError(f"no column {unknown[0]!r} in the header ({', '.join(header[:12])})", file=file)
        names = {**names, **{k: names[v.strip().lower()] for k, v in columns.items()}}
    if {"time", "icao24", "lat", "lon"} <= names.keys() and not columns:
        return _Layout(
            format=TrackFormat.OPENSKY,
            time=names["time"],
            time_text=None,
            lat=names["lat"],
            lon=names["lon"],
            position=None,
            altitude=tuple(names[a] for a in ("baroaltitude", "geoaltitude") if a in names),
            altitude_scale=1.0,
            callsign=names.get("callsign"),
            icao24=names["icao24"],
            pos_time=names.get("lastposupdate"),
        )
    if {"timestamp", "utc", "callsign", "position"} <= names.keys() and not columns:
        return _Layout(
            format=TrackFormat.FR24,
            time=names["timestamp"],
            time_text=names["utc"],
            lat=None,
            lon=None,
            position=names["position"],
            altitude=(names["altitude"],) if "altitude" in names else (),
            altitude_scale=FT_TO_M,
            callsign=names["callsign"],
            icao24=None,
            pos_time=None,
        )
    time = _find(names, "time")
    lat, lon, position = _find(names, "lat"), _find(names, "lon"), _find(names, "position")
    has_position = bool((lat and lon) or position)
    if time is None or not has_position:
        need = [what for what, ok in (("time", time), ("latitude/longitude (or position)", has_position)) if not ok]
        raise TrackError(
            f"unknown track format: the CSV header has no {' and no '.join(need)} column "
            f"(columns: {', '.join(header[:12])}); name them e.g. time, lat, lon",
            file=file,
        )
    feet = _find(names, "altitude_ft")
    metres = _find(names, "altitude_m")
    both = bool(lat and lon)
    return _Layout(
        format=TrackFormat.CSV,
        time=None,
        time_text=time,
        lat=lat if both else None,
        lon=lon if both else None,
        position=None if both else position,
        altitude=(feet,) if feet else (metres,) if metres else (),
        altitude_scale=FT_TO_M if feet else 1.0,
        callsign=_find(names, "callsign"),
        icao24=_find(names, "icao24"),
        pos_time=None,
    )


def read_header(stream: IO[bytes], file: str) -> list[str]:
    """The first line of a CSV as column names (the stream is left at its start)."""
    start = stream.tell()
    head = stream.read(64 << 10)
    stream.seek(start)
    text = head.decode("utf-8-sig", errors="replace")
    line = text.splitlines()[0] if text.strip() else ""
    if not line.strip():
        raise TrackError("empty file: no header line", file=file)
    if "\ufffd" in line:
        raise TrackError("the header is not UTF-8 text: is this a CSV file?", file=file)
    return next(csv.reader(io.StringIO(line)))


class _Problems:
    """Bad rows: counted, the first few named by line."""

    def __init__(self, file: str) -> None:
        self.file, self.count = file, 0
        self.lines: list[str] = []
        self.invalid_lines: list[int] = []
        self.named: set[int] = set()
        self.malformed_in_fast_pass = False

    def add(self, line: int | None, what: str) -> None:
        self.count += 1
        if line is not None:
            self.named.add(line)
        if len(self.lines) < MAX_PROBLEMS:
            self.lines.append(f"{self.file}:{line}: {what}" if line else f"{self.file}: {what}")

    def sorted(self) -> list[str]:
        """The problems named, in file order."""

        def line(text: str) -> int:
            head = text[len(self.file) + 1 :].split(":", 1)[0]
            return int(head) if head.isdigit() else 0

        return sorted(self.lines, key=line)

    def invalid_row(self, row: pacsv.InvalidRow) -> str:
        self.invalid_lines.append(row.number or 0)
        self.add(row.number, f"{row.actual_columns} fields where the header has {row.expected_columns}")
        return "skip"

    def line_of(self, parsed_index: int) -> int:
        """The file line of the ``parsed_index``-th parsed row (0-based), skipping invalid rows."""
        line = parsed_index + 2
        for bad in sorted(self.invalid_lines):
            if bad <= line:
                line += 1
        return line


def _numbers(values: pa.Array, base: np.ndarray, name: str, problems: _Problems) -> np.ndarray:
    """Float64 from an Arrow column (numbers, or text read again after a conversion error)."""
    if pa.types.is_timestamp(values.type):
        return pc.cast(values, pa.timestamp("ms", tz="UTC")).cast(pa.int64()).to_numpy(zero_copy_only=False) / 1e3
    if not pa.types.is_string(values.type) and not pa.types.is_large_string(values.type):
        return pc.cast(values, pa.float64()).to_numpy(zero_copy_only=False)
    text = pd.Series(values.to_numpy(zero_copy_only=False), dtype=object)
    out = pd.to_numeric(text, errors="coerce").to_numpy(dtype=np.float64)
    stripped = text.fillna("").astype(str).str.strip()
    for k in np.flatnonzero(np.isnan(out) & (stripped != "").to_numpy())[:MAX_PROBLEMS]:
        problems.add(problems.line_of(int(base[k])), f"{name} {stripped.iloc[k][:40]!r} is not a number")
    return out


def _text_times(values: pa.Array, base: np.ndarray, name: str, problems: _Problems) -> np.ndarray:
    """Seconds since the epoch from ISO 8601 text (or Unix seconds or milliseconds written as text).

    A zoneless time is ambiguous (local time? UTC?) and refused row by row, unless the column's name
    says UTC (FR24's ``UTC``, ``time_utc``): there it is read as UTC."""
    text = pd.Series(values.to_numpy(zero_copy_only=False), dtype=object).fillna("").astype(str).str.strip()
    numeric = pd.to_numeric(text, errors="coerce")
    if numeric.notna().mean() > 0.5:  # Unix seconds (or milliseconds) in a generic time column
        seconds = numeric.to_numpy(dtype=np.float64)
        return np.where(seconds > 1e11, seconds / 1000.0, seconds)
    zoned = text.str.contains(r"(?:Z|[+-]\d\d:?\d\d)$", case=False, regex=True)
    if "utc" in name.lower():
        zoned[:] = True  # the column says its times are UTC: pandas reads zoneless text as UTC (utc=True)
    parsed = pd.to_datetime(text.where(zoned, ""), utc=True, errors="coerce", format="ISO8601")
    seconds = (parsed - pd.Timestamp(0, tz="UTC")).dt.total_seconds().to_numpy(dtype=np.float64, na_value=np.nan)
    for k in np.flatnonzero(np.isnan(seconds) & (text != "").to_numpy())[:MAX_PROBLEMS]:
        why = (
            "has no time zone (add Z for UTC, or name the column time_utc if all its times are UTC)"
            if not zoned.iloc[k]
            else "is not an ISO 8601 time"
        )
        problems.add(problems.line_of(int(base[k])), f"{name} {text.iloc[k][:40]!r} {why}")
    return seconds


def _strings(values: pa.Array | None, n: int, upper: bool) -> np.ndarray:
    """Callsigns or ICAO addresses as Python strings: each distinct value made once (a day of ADS-B
    repeats a few thousand values over a million rows), then shared by every row that has it."""
    if values is None:
        return np.full(n, "", dtype=object)
    codes = pc.dictionary_encode(pc.cast(values, pa.string()))
    distinct = pc.fill_null(pc.utf8_trim_whitespace(codes.dictionary), "")
    distinct = pc.utf8_upper(distinct) if upper else pc.utf8_lower(distinct)
    table = np.append(distinct.to_numpy(zero_copy_only=False).astype(object), "")  # the last: a missing value
    index = pc.fill_null(codes.indices, len(distinct)).to_numpy(zero_copy_only=False)
    return table[index]


def _block_columns(batch: pa.RecordBatch, lay: _Layout, base: np.ndarray, problems: _Problems) -> dict[str, np.ndarray]:
    """One block's columns in our units (NaN for what is missing or unreadable).

    ``base`` holds each row's index among the file's parsed rows (for naming bad rows)."""
    n = batch.num_rows
    col = {name: batch.column(i) for i, name in enumerate(batch.schema.names)}
    time = _numbers(col[lay.time], base, lay.time, problems) if lay.time else np.full(n, np.nan)
    if lay.time_text:
        text_time = _text_times(col[lay.time_text], base, lay.time_text, problems)
        time = np.where(np.isfinite(time), time, text_time)
    time = np.where(time > 1e11, time / 1000.0, time)  # milliseconds
    if lay.pos_time:
        pos_time = _numbers(col[lay.pos_time], base, lay.pos_time, problems)
        time = np.where(np.isfinite(pos_time), pos_time, time)
    if lay.position:
        parts = pc.split_pattern(pc.fill_null(pc.cast(col[lay.position], pa.string()), ""), ",", max_splits=1)
        lat_text = pc.list_element(pc.if_else(pc.equal(pc.list_value_length(parts), 2), parts, pa.scalar(["", ""])), 0)
        lon_text = pc.list_element(pc.if_else(pc.equal(pc.list_value_length(parts), 2), parts, pa.scalar(["", ""])), 1)
        lat = _numbers(lat_text, base, f"{lay.position} latitude", problems)
        lon = _numbers(lon_text, base, f"{lay.position} longitude", problems)
    else:
        lat = _numbers(col[lay.lat], base, lay.lat or "", problems)
        lon = _numbers(col[lay.lon], base, lay.lon or "", problems)
    for name, values, limit in ((lay.lat or "latitude", lat, 90.0), (lay.lon or "longitude", lon, 180.0)):
        for k in np.flatnonzero(np.abs(values) > limit)[:MAX_PROBLEMS]:
            problems.add(problems.line_of(int(base[k])), f"{name} {values[k]:g} is out of range (±{limit:g}°)")
    alt = np.full(n, np.nan)
    for name in lay.altitude:
        alt = np.where(np.isfinite(alt), alt, _numbers(col[name], base, name, problems) * lay.altitude_scale)
    return {
        "time_s": time,
        "lat_deg": np.where(np.abs(lat) <= 90.0, lat, np.nan),
        "lon_deg": np.where(np.abs(lon) <= 180.0, lon, np.nan),
        "altitude_m": alt,
        "callsign": _strings(col.get(lay.callsign) if lay.callsign else None, n, upper=True),
        "icao24": _strings(col.get(lay.icao24) if lay.icao24 else None, n, upper=False),
    }


def _identity_mask(batch: pa.RecordBatch, lay: _Layout, filt: TrackFilter) -> np.ndarray | None:
    """Rows whose callsign and ICAO address match the filter (None: no such filter)."""
    mask = None
    for wanted, column, upper in ((filt.callsign, lay.callsign, True), (filt.icao24, lay.icao24, False)):
        if wanted is None:
            continue
        if column is None:
            return np.zeros(batch.num_rows, dtype=bool)
        values = pc.utf8_trim_whitespace(pc.cast(batch.column(batch.schema.get_field_index(column)), pa.string()))
        values = pc.utf8_upper(values) if upper else pc.utf8_lower(values)
        target = wanted.strip().upper() if upper else wanted.strip().lower()
        match = pc.fill_null(pc.equal(values, target), False).to_numpy(zero_copy_only=False)
        mask = match if mask is None else mask & match
    return mask


def _keep(block: dict[str, np.ndarray], filt: TrackFilter) -> np.ndarray:
    keep = np.ones(block["time_s"].size, dtype=bool)
    if filt.start is not None:
        keep &= block["time_s"] >= filt.start.timestamp()
    if filt.end is not None:
        keep &= block["time_s"] <= filt.end.timestamp()
    return keep


def _assemble(
    batches: Iterator[pa.RecordBatch], lay: _Layout, file: str, filt: TrackFilter, problems: _Problems
) -> Track:
    kept: list[dict[str, np.ndarray]] = []
    seen = total = unusable = 0
    for batch in batches:
        rows = np.arange(seen, seen + batch.num_rows)
        seen += batch.num_rows
        mask = _identity_mask(batch, lay, filt)  # filter on the text columns first: convert only those rows
        if mask is not None:
            rows = rows[mask]
            batch = batch.filter(pa.array(mask))
        block = _block_columns(batch, lay, rows, problems)
        usable = np.isfinite(block["time_s"]) & np.isfinite(block["lat_deg"]) & np.isfinite(block["lon_deg"])
        unusable += int(batch.num_rows - np.count_nonzero(usable))
        for k in np.flatnonzero(~usable)[: MAX_PROBLEMS - len(problems.lines)]:
            line = problems.line_of(int(rows[k]))
            if line not in problems.named:
                what = "no time" if not np.isfinite(block["time_s"][k]) else "no position"
                problems.add(line, f"{what} (empty or unreadable)")
        keep = usable & _keep(block, filt)
        total += int(np.count_nonzero(keep))
        if total > MAX_POSITIONS:
            raise TrackError(
                f"more than {MAX_POSITIONS:,} positions: filter the file (--callsign, --icao24, --from/--to)", file=file
            )
        kept.append({k: v[keep] for k, v in block.items()})
    if not kept:
        kept = [{k: np.zeros(0) for k in ("time_s", "lat_deg", "lon_deg", "altitude_m")}]
    joined = {k: np.concatenate([b[k] for b in kept]) for k in kept[0]}
    invalid = len(problems.invalid_lines)
    return make_track(
        file=file,
        format=lay.format,
        time_s=joined["time_s"],
        lat_deg=joined["lat_deg"],
        lon_deg=joined["lon_deg"],
        altitude_m=joined["altitude_m"],
        callsign=joined.get("callsign"),
        icao24=joined.get("icao24"),
        dropped_rows=unusable + invalid,
        problems=tuple(problems.sorted()),
        filter=filt,
    )


def _csv_batches(stream: IO[bytes], lay: _Layout, problems: _Problems, as_text: bool) -> Iterator[pa.RecordBatch]:
    """Blocks of the needed columns: numbers as float64 and threaded (fast), or all text, one
    thread, so that pyarrow gives malformed rows their line numbers."""
    numeric = {lay.time, lay.lat, lay.lon, lay.pos_time, *lay.altitude} - {None}
    types = {c: (pa.string() if as_text or c not in numeric else pa.float64()) for c in lay.columns}

    def fast_invalid(row: pacsv.InvalidRow) -> str:
        problems.malformed_in_fast_pass = True  # read again single-threaded to name its line
        return "skip"

    reader = pacsv.open_csv(
        stream,
        read_options=pacsv.ReadOptions(use_threads=as_text is False, block_size=BLOCK_BYTES),
        parse_options=pacsv.ParseOptions(
            invalid_row_handler=problems.invalid_row if as_text else fast_invalid, newlines_in_values=False
        ),
        convert_options=pacsv.ConvertOptions(
            include_columns=lay.columns, column_types=types, strings_can_be_null=True, quoted_strings_can_be_null=True
        ),
    )
    yield from reader


def parse_csv_track(
    stream: IO[bytes], *, file: str, filter: TrackFilter | None = None, columns: Mapping[str, str] | None = None
) -> Track:
    """An OpenSky, FlightRadar24 or generic CSV track from a seekable binary stream (see module)."""
    filt = filter or TrackFilter()
    lay = layout_for(read_header(stream, file), file, columns)
    start = stream.tell()
    problems = _Problems(file)
    try:
        track = _assemble(_csv_batches(stream, lay, problems, as_text=False), lay, file, filt, problems)
        if not problems.malformed_in_fast_pass:
            return track
    except pa.ArrowInvalid:
        pass  # a value that is not a number: read again as text, naming each bad value
    except TrackError:
        if not problems.malformed_in_fast_pass:
            raise
    stream.seek(start)
    problems = _Problems(file)
    try:
        return _assemble(_csv_batches(stream, lay, problems, as_text=True), lay, file, filt, problems)
    except pa.ArrowInvalid as exc:
        raise TrackError(f"cannot read the CSV: {str(exc).splitlines()[0]}", file=file) from None


def parse_parquet_track(path_or_stream: object, *, file: str, filter: TrackFilter | None = None) -> Track:
    """OpenSky state vectors (or a generic table with named columns) from Parquet, batch by batch."""
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path_or_stream)
    except (pa.ArrowInvalid, OSError) as exc:
        raise TrackError(f"not a readable Parquet file: {str(exc).splitlines()[0]}", file=file) from None
    lay = layout_for(parquet.schema_arrow.names, file)
    problems = _Problems(file)
    batches = parquet.iter_batches(batch_size=PARQUET_BATCH_ROWS, columns=lay.columns)
    return _assemble(batches, lay, file, filter or TrackFilter(), problems)
