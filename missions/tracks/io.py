"""Opening observed-track files: the format from the name or the first bytes, then the pure readers.

:func:`load_track` is the only function here that opens a file; ``parse_track`` reads any
seekable binary stream (an upload, a test's bytes).
"""

from __future__ import annotations

import io
import os
from collections.abc import Mapping
from pathlib import Path
from typing import IO

from .model import Track, TrackError, TrackFilter

# the readers (pandas, pyarrow, lxml: ~0.4 s of imports) are imported when a track is read, so that
# importing the package costs only what it uses (the dashboard draws its first map without them)

#: GPX and KML files larger than this are refused (their positions are held as Python lists)
MAX_XML_BYTES = 1 << 30
_BY_SUFFIX = {
    ".csv": "csv",
    ".txt": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".gpx": "gpx",
    ".kml": "kml",
    ".kmz": "kml",
}
FORMATS = ("csv", "parquet", "gpx", "kml")


def sniff_format(head: bytes, name: str) -> str:
    """``csv``, ``parquet``, ``gpx`` or ``kml`` from the file name, else from its first bytes."""
    suffix = Path(name).suffix.lower()
    if suffix in _BY_SUFFIX:
        return _BY_SUFFIX[suffix]
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith(b"PK\x03\x04"):
        return "kml"
    text = head[:4096].decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n").lower()
    if text.startswith("<"):
        if "<gpx" in text:
            return "gpx"
        if "<kml" in text:
            return "kml"
        raise TrackError("unknown track format: XML that is neither GPX nor KML", file=name)
    if "\x00" in text or text.count("\ufffd") > 8:
        raise TrackError("unknown track format: binary data (expected CSV, Parquet, GPX, KML or KMZ)", file=name)
    return "csv"


def parse_track(
    stream: IO[bytes],
    *,
    file: str,
    filter: TrackFilter | None = None,
    format: str | None = None,
    columns: Mapping[str, str] | None = None,
    size_bytes: int | None = None,
) -> Track:
    """A track from a seekable binary stream; ``format`` (``csv``, ``parquet``, ``gpx``, ``kml``) or sniffed."""
    start = stream.tell()
    head = stream.read(4096)
    stream.seek(start)
    if not head:
        raise TrackError("empty file", file=file)
    fmt = format or sniff_format(head, file)
    if fmt not in FORMATS:
        raise TrackError(f"unknown track format {fmt!r}: one of {', '.join(FORMATS)}", file=file)
    if fmt in ("gpx", "kml") and size_bytes is not None and size_bytes > MAX_XML_BYTES:
        raise TrackError(
            f"{size_bytes / 1e9:.1f} GB of {fmt.upper()} is too large (limit {MAX_XML_BYTES / 1e9:.1f} GB); "
            "convert it to CSV, which is read in blocks",
            file=file,
        )
    if fmt == "csv":
        from .tabular import parse_csv_track

        return parse_csv_track(stream, file=file, filter=filter, columns=columns)
    if fmt == "parquet":
        from .tabular import parse_parquet_track

        return parse_parquet_track(stream, file=file, filter=filter)
    from .xmltracks import parse_gpx_track, parse_kml_track

    if fmt == "gpx":
        return parse_gpx_track(stream, file=file, filter=filter)
    return parse_kml_track(stream, file=file, filter=filter)


def parse_track_bytes(data: bytes, *, file: str, filter: TrackFilter | None = None, format: str | None = None) -> Track:
    """:func:`parse_track` on bytes in memory (an upload)."""
    return parse_track(io.BytesIO(data), file=file, filter=filter, format=format, size_bytes=len(data))


def load_track(
    path: str | os.PathLike[str],
    *,
    filter: TrackFilter | None = None,
    format: str | None = None,
    columns: Mapping[str, str] | None = None,
    label: str | None = None,
) -> Track:
    """Open ``path`` and read its track (``label``: the name errors give the file, default the path)."""
    name = label or str(path)
    try:
        size = os.path.getsize(path)
        with open(path, "rb") as stream:
            return parse_track(stream, file=name, filter=filter, format=format, columns=columns, size_bytes=size)
    except IsADirectoryError:
        raise TrackError("is a directory, not a track file", file=name) from None
    except FileNotFoundError:
        raise TrackError("no such file", file=name) from None
    except PermissionError:
        raise TrackError("permission denied", file=name) from None
    except UnicodeDecodeError as exc:
        raise TrackError(f"not UTF-8 text at byte {exc.start}", file=name) from None
