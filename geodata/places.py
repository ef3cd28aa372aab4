"""The world place index: every name lookup goes through it (built by ``geodata.build_places``).

One committed file, ``places.zip``, holds ~250,000 places: the curated ones (``gazetteer.yaml``,
``features.yaml``) first, then every OurAirports airfield and every GeoNames town of 1,000 people or
more (``PROVENANCE.md``). Names are folded by :func:`~geodata.names.normalize_name` (case, spaces,
punctuation and diacritics ignored) and kept sorted, so an exact lookup is a binary search.

The index opens on first use and reads only what a lookup needs. The API::

    >>> from geodata.places import resolve, search
    >>> resolve("Tripoli").label              # the most prominent Tripoli, with its country
    'Tripoli, Libya'
    >>> resolve("Tripoli, Lebanon").country_code
    'LB'
    >>> [p.kind for p in search("Whiteman AFB")]
    ['airbase']

An ambiguous name picks the most prominent place: curated places first, then a match on a place's
own name before one on an alternative name, code or the town an airfield serves; then the larger
place (towns by population, airfields by a size score on the same scale: air bases before heliports
and closed fields). The short name of a large airport or air base ("Heathrow") counts as its own name
unless a curated place, a capital or a town of 100,000 people has it (``build_places._promote_short_names``).
``name, country`` (ISO code or English name) and ``name (lat, lon)`` pin the choice.
"""

from __future__ import annotations

import bisect
import functools
import json
import math
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Final

from .names import normalize_name
from .place_format import (
    _LONGEST_SHARDED,
    _SHARDS_PER_LENGTH,
    BLOCK_ROWS,
    COLUMNS,
    INDEX_PATH,
    KINDS,
    SOURCES,
    Place,
    PlaceKind,
    Tier,
    UnknownPlaceError,
    expand_kinds,
    key_shard,
)
from .place_format import (
    KIND_GROUPS as KIND_GROUPS,  # re-exported (missions.places)
)
from .place_store import Members, open_members

if TYPE_CHECKING:
    import numpy as np

_SOURCE_TEXT: Final = {
    "ourairports": "OurAirports {ref} (public domain, 2022 snapshot)",
    "airportsdata": "airportsdata {ref} (MIT)",
    "geonames": "GeoNames {ref} (CC BY 4.0)",
}
#: the longest query looked at: longer text is no place name (and would make matching slow)
MAX_QUERY_CHARS: Final = 200
_NEAR_RE = re.compile(r"^(?P<name>.*?)\s*\(\s*(?P<lat>[+-]?\d+(?:\.\d+)?)\s*,\s*(?P<lon>[+-]?\d+(?:\.\d+)?)\s*\)\s*$")


class PlaceIndex:
    """The loaded index. Use :func:`default_index` rather than building one per lookup.

    Opening it reads only the zip directory and ``meta.json``; each lookup then reads the one small
    member that holds its name, and the block of rows of each place it returns. The committed index
    (:func:`default_index`) reads them from an unpacked copy in the cache (:mod:`geodata.place_store`).
    """

    def __init__(self, path: str | Path = INDEX_PATH, *, unpacked: bool = False) -> None:
        """``unpacked``: read the members from their unpacked copy in the cache folder
        (:mod:`geodata.place_store`, written on first use) instead of inflating them from the zip."""
        self._zip: Members = open_members(Path(path)) if unpacked else zipfile.ZipFile(path)
        self.meta: dict = json.loads(self._zip.read("meta.json"))
        self.countries: list[tuple[str, str, str]] = [tuple(c) for c in self.meta["countries"]]
        self._country_alias: dict[str, str] = self.meta["country_aliases"]
        self._country_row = {iso2: i + 1 for i, (iso2, _, _) in enumerate(self.countries)}
        self._shard_texts: dict[str, str] = {}
        self._found: dict[str, list[tuple[int, int]]] = {}
        self._shard_entries_cache: dict[str, np.ndarray] = {}
        self._blocks: dict[int, list[str]] = {}
        self._by_length: dict[int, tuple[list[str], list[tuple[int, int]]]] = {}

    def __len__(self) -> int:
        return int(self.meta["rows"])

    @functools.cached_property
    def _columns(self) -> dict[str, np.ndarray]:
        import numpy as np

        return {name: np.frombuffer(self._zip.read(f"{name}.{dtype}"), dtype=dtype) for name, dtype in COLUMNS.items()}

    def _shard_text(self, shard: str) -> str:
        """The sorted names of one shard as ``"\\nname\\nname...\\n"`` (one line per place and name)."""
        if shard not in self._shard_texts:
            try:
                text = self._zip.read(f"keys/{shard}.txt").decode("utf-8")
            except KeyError:  # no name of that length and shard
                text = ""
            self._shard_texts[shard] = f"\n{text}\n" if text else "\n"
        return self._shard_texts[shard]

    def _shard_keys(self, shard: str) -> list[str]:
        """The sorted names of one shard as a list."""
        text = self._shard_text(shard)
        return text[1:-1].split("\n") if len(text) > 1 else []

    def _shard_entries(self, shard: str) -> np.ndarray:
        """``row * 4 + tier`` of each name of :meth:`_shard_keys`."""
        if shard not in self._shard_entries_cache:
            import numpy as np

            self._shard_entries_cache[shard] = np.frombuffer(self._zip.read(f"keys/{shard}.i4"), dtype="<i4")
        return self._shard_entries_cache[shard]

    def _row_fields(self, row: int) -> list[str]:
        block = row // BLOCK_ROWS
        if block not in self._blocks:
            self._blocks[block] = self._zip.read(f"rows/{block:04d}.tsv").decode("utf-8").split("\n")
        return self._blocks[block][row % BLOCK_ROWS].split("\t")

    def _lat_lon(self, row: int) -> tuple[float, float]:
        fields = self._row_fields(row)
        return float(fields[1]), float(fields[2])

    # --- rows ---------------------------------------------------------------------------------

    def _rows_for_key(self, key: str) -> list[tuple[int, int]]:
        """``[(tier, row)]`` of the places called ``key`` (normalised), best first."""
        if not key:
            return []
        if (cached := self._found.get(key)) is not None:
            return cached
        found = self._find(key)
        if len(self._found) > 50_000:  # a bound for long-running processes fed endless new names
            self._found.clear()
        self._found[key] = found
        return found

    def _find(self, key: str) -> list[tuple[int, int]]:
        shard = key_shard(key)
        text = self._shard_text(shard)
        line = f"\n{key}\n"
        pos = text.find(line)  # a C-speed scan of one small member: no list of its names is built
        if pos < 0:
            return []
        first = text.count("\n", 0, pos)
        count = 1
        while text.startswith(line, pos + len(line) - 1):
            pos += len(line) - 1
            count += 1
        found = [(e & 3, e >> 2) for e in self._shard_entries(shard)[first : first + count].tolist()]
        score = self._columns["score"]
        found.sort(key=lambda tr: (tr[0], -float(score[tr[1]]), tr[1]))
        return found

    def place(self, row: int) -> Place:
        """The place in ``row`` of the index."""
        cols = self._columns
        source = SOURCES[int(cols["source"][row])]
        name, lat, lon, code, ref = self._row_fields(row)
        country = int(cols["country"][row])
        iso2, country_name = (self.countries[country - 1][0], self.countries[country - 1][2]) if country else ("", "")
        return Place(
            name=name,
            lat_deg=float(lat),
            lon_deg=float(lon),
            kind=KINDS[int(cols["kind"][row])],
            country_code=iso2,
            country_name=country_name,
            source=ref if source == "curated" else _SOURCE_TEXT[source].format(ref=ref),
            code=code,
            label=self._label(row, name, iso2, country_name, source == "curated"),
            prominence=float(cols["score"][row]),
            row=row,
        )

    def _label(self, row: int, name: str, iso2: str, country_name: str, curated: bool) -> str:
        """The shortest text that resolves back to ``row`` and says which place it is.

        The name alone when no other place has it (curated places always); else ``name, Country``;
        else that with the coordinates.
        """
        key = normalize_name(name)
        found = self._rows_for_key(key)
        if found and found[0][1] == row and (curated or all(r == row for t, r in found if t <= Tier.NAME)):
            return name
        if country_name and self._best(key, country=iso2) == row:
            return f"{name}, {country_name}"
        lat, lon = self._lat_lon(row)
        return f"{name}, {country_name} ({lat:.4f}, {lon:.4f})" if country_name else f"{name} ({lat:.4f}, {lon:.4f})"

    def _best(
        self,
        key: str,
        *,
        country: str = "",
        kinds: Iterable[str] = (),
        near: tuple[float, float] | None = None,
    ) -> int | None:
        rows = self._filter(self._rows_for_key(key), country=country, kinds=kinds)
        if not rows:
            return None
        if near is not None:
            return min(rows, key=lambda r: _distance_m(near, self._lat_lon(r)))
        return rows[0]

    def _filter(self, found: list[tuple[int, int]], *, country: str = "", kinds: Iterable[str] = ()) -> list[int]:
        kind_ids = {KINDS.index(k) for k in expand_kinds(kinds)}
        country_id = self._country_row.get(country, -1) if country else 0
        kind_col, country_col = self._columns["kind"], self._columns["country"]
        rows: list[int] = []
        for _, row in found:
            if kind_ids and int(kind_col[row]) not in kind_ids:
                continue
            if country and int(country_col[row]) != country_id:
                continue
            if row not in rows:
                rows.append(row)
        return rows

    # --- the API ------------------------------------------------------------------------------

    @property
    def kinds(self) -> tuple[PlaceKind, ...]:
        """The kinds of place the index holds (``meta.json``'s ``kinds`` counts), in :data:`KINDS` order.

        The build leaves some kinds out (heliports, balloonports): a filter on one finds nothing."""
        held: dict[str, int] = self.meta["kinds"]
        return tuple(k for k in KINDS if held.get(k, 0) > 0)

    def kind_names(self) -> tuple[str, ...]:
        """What a ``kind`` filter may name and find something with: each kind held, and each group of
        :data:`KIND_GROUPS` holding one, sorted."""
        held = set(self.kinds)
        return tuple(sorted({*held, *(g for g, members in KIND_GROUPS.items() if held.intersection(members))}))

    def country_code(self, text: str) -> str | None:
        """The ISO alpha-2 code of a country written as a code or an English name (``"Lebanon"`` → ``"LB"``)."""
        return self._country_alias.get(normalize_name(text))

    def resolve(self, query: str, *, kind: str | Iterable[str] = (), country: str = "") -> Place:
        """The one place ``query`` names: the most prominent match (see the module docstring).

        ``query`` may pin the country (``"Tripoli, LY"``, ``"Tripoli, Lebanon"``) or a point
        (``"Stanley (-51.69, -57.86)"``: the nearest place of that name). ``kind`` (a kind or a group
        of :data:`KIND_GROUPS`) and ``country`` (alpha-2) filter the candidates.

        Raises :class:`UnknownPlaceError` with up to three suggestions when nothing matches.
        """
        text = " ".join(query.split())[: MAX_QUERY_CHARS + 1]
        kinds = (kind,) if isinstance(kind, str) else tuple(kind)
        if not normalize_name(text):
            raise UnknownPlaceError(query, "empty place name")
        if len(text) > MAX_QUERY_CHARS:
            raise UnknownPlaceError(query[:40] + "...", f"place name longer than {MAX_QUERY_CHARS} characters")
        for name, pin_country, near in self._readings(text):
            if country and pin_country and pin_country != country:
                continue
            row = self._best(normalize_name(name), country=pin_country or country, kinds=kinds, near=near)
            if row is not None:
                return self.place(row)
        if len(normalize_name(text)) > 3 and self.country_code(text) is not None:
            # "Syria", "Russia": a country has no one point to fly to, and its similar town names mislead
            raise UnknownPlaceError(
                query, f"{text!r} is a country, not a place: name a place in it or write 'lat, lon'"
            )
        raise UnknownPlaceError(query, f"unknown place {text!r}", self.suggest(text, kind=kinds, country=country))

    def _readings(self, text: str) -> list[tuple[str, str, tuple[float, float] | None]]:
        """The ways to read ``text``: as a whole; with a ``(lat, lon)`` pin; with a ``, country`` pin."""
        readings: list[tuple[str, str, tuple[float, float] | None]] = [(text, "", None)]
        near = None
        if (m := _NEAR_RE.match(text)) is not None:
            near = (float(m["lat"]), float(m["lon"]))
            text = m["name"]
            readings.append((text, "", near))
        if "," in text:
            head, tail = text.rsplit(",", 1)
            if (code := self.country_code(tail)) is not None and normalize_name(head):
                readings.append((head, code, near))
        return readings

    def search(
        self,
        query: str,
        *,
        kind: str | Iterable[str] = (),
        country: str = "",
        near: tuple[float, float] | None = None,
        limit: int = 10,
        fuzzy: bool = True,
    ) -> list[Place]:
        """Places matching ``query``, best first: the exact name matches, or else (``fuzzy``) similar names.

        ``near=(lat_deg, lon_deg)`` orders the exact matches by distance from that point instead of
        by prominence. ``kind`` and ``country`` filter as in :meth:`resolve`.
        """
        text = " ".join(query.split())[:MAX_QUERY_CHARS]
        kinds = (kind,) if isinstance(kind, str) else tuple(kind)
        rows: list[int] = []
        for name, pin_country, _ in self._readings(text):
            found = self._filter(self._rows_for_key(normalize_name(name)), country=pin_country or country, kinds=kinds)
            rows.extend(r for r in found if r not in rows)
        if near is not None:
            rows.sort(key=lambda r: _distance_m(near, self._lat_lon(r)))
        if fuzzy and not rows:
            for row in self._similar_rows(text, limit=limit * 3, kinds=kinds, country=country):
                if row not in rows:
                    rows.append(row)
        return [self.place(r) for r in rows[:limit]]

    def suggest(self, query: str, n: int = 3, *, kind: str | Iterable[str] = (), country: str = "") -> list[str]:
        """Up to ``n`` labels of the places whose names are most like ``query`` (rapidfuzz), best first."""
        kinds = (kind,) if isinstance(kind, str) else tuple(kind)
        labels: list[str] = []
        for row in self._similar_rows(query, limit=n * 4, kinds=kinds, country=country):
            label = self.place(row).label
            if label not in labels:
                labels.append(label)
        return labels[:n]

    def _names_of_length(self, length: int) -> tuple[list[str], list[tuple[int, int]]]:
        """The names of ``length`` letters (tiers up to ALTERNATE) and the ``(tier, row)`` of each, read once."""
        if length not in self._by_length:
            keys: list[str] = []
            entries: list[tuple[int, int]] = []
            for s in range(_SHARDS_PER_LENGTH):
                shard = f"{length:02d}-{s:x}"
                names = self._shard_keys(shard)
                if names:
                    for name, e in zip(names, self._shard_entries(shard).tolist(), strict=True):
                        if e & 3 <= Tier.ALTERNATE:  # an airfield's short name or town is never suggested
                            keys.append(name)
                            entries.append((e & 3, e >> 2))
            self._by_length[length] = (keys, entries)
        return self._by_length[length]

    def _similar_rows(self, query: str, *, limit: int, kinds: Iterable[str] = (), country: str = "") -> list[int]:
        """Rows whose names are most like ``query`` (rapidfuzz Indel similarity ≥ 0.7), best first.

        Ordered by similarity, then tier, then size.

        Names are compared when their length is within 2 letters or 20–25 % of the query's (typing
        errors change a name's length little), which keeps the comparison to a fraction of the index.
        """
        from rapidfuzz import process
        from rapidfuzz.distance import Indel

        key = normalize_name(query[:MAX_QUERY_CHARS])
        if not key:
            return []
        choices: list[str] = []
        spans: list[tuple[int, int]] = []  # (first choice, length) of each length's names
        shortest = max(1, min(len(key) - 2, math.floor(len(key) * 0.8)))
        longest = min(_LONGEST_SHARDED, max(len(key) + 2, math.ceil(len(key) * 1.25)))
        for length in range(shortest, longest + 1):
            spans.append((len(choices), length))
            choices.extend(self._names_of_length(length)[0])
        matches = process.extract(key, choices, scorer=Indel.normalized_similarity, limit=limit * 8, score_cutoff=0.7)
        score = self._columns["score"]
        ranked: list[tuple[int, int, float, int]] = []
        starts = [s for s, _ in spans]
        for _, similarity, i in matches:
            first, length = spans[bisect.bisect_right(starts, i) - 1]
            tier, row = self._names_of_length(length)[1][i - first]
            if tier <= Tier.ALTERNATE:
                ranked.append((-round(similarity * 100), tier, -float(score[row]), row))
        ranked.sort()
        return self._filter([(tier, row) for _, tier, _, row in ranked], country=country, kinds=kinds)[:limit]

    def curated_places(self, kind: str | Iterable[str] = ()) -> list[Place]:
        """The curated places (``gazetteer.yaml`` and ``features.yaml``), of ``kind`` if given."""
        kinds = (kind,) if isinstance(kind, str) else tuple(kind)
        kind_ids = {KINDS.index(k) for k in expand_kinds(kinds)}
        source_col, kind_col = self._columns["source"], self._columns["kind"]
        rows = (source_col == SOURCES.index("curated")).nonzero()[0]
        return [self.place(int(r)) for r in rows if not kind_ids or int(kind_col[r]) in kind_ids]

    def find_in_text(
        self, text: str, *, max_words: int = 6, max_tier: Tier = Tier.NAME
    ) -> list[tuple[int, int, Place]]:
        """Place names in running text: ``[(start, end, place)]``, longest match first, no overlaps.

        Only capitalised word sequences of up to ``max_words`` words whose name matches at
        ``max_tier`` or better count ("the North Sea" gives North Sea, "sea" alone nothing).
        """
        words = [(m.start(), m.end()) for m in re.finditer(r"[\w'’.-]+", text)]
        found: list[tuple[int, int, Place]] = []
        i = 0
        while i < len(words):
            if not text[words[i][0]].isupper():
                i += 1
                continue
            for j in range(min(len(words), i + max_words), i, -1):
                start, end = words[i][0], words[j - 1][1]
                hits = [r for t, r in self._rows_for_key(normalize_name(text[start:end])) if t <= max_tier]
                if hits:
                    found.append((start, end, self.place(hits[0])))
                    i = j
                    break
            else:
                i += 1
        return found


def _distance_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Geodesic distance in metres between two (lat, lon) points (WGS84, pyproj)."""
    return float(_geod().inv(a[1], a[0], b[1], b[0])[2])


@functools.cache
def _geod():
    from pyproj import Geod

    return Geod(ellps="WGS84")


def distance_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Geodesic distance in metres between two ``(lat_deg, lon_deg)`` points on WGS84."""
    return _distance_m(a, b)


@functools.cache
def default_index() -> PlaceIndex:
    """The committed index, loaded once per process (its members from their unpacked copy in the cache)."""
    return PlaceIndex(INDEX_PATH, unpacked=True)


def resolve(query: str, *, kind: str | Iterable[str] = (), country: str = "") -> Place:
    """:meth:`PlaceIndex.resolve` on the committed index."""
    return default_index().resolve(query, kind=kind, country=country)


def search(
    query: str,
    *,
    kind: str | Iterable[str] = (),
    country: str = "",
    near: tuple[float, float] | None = None,
    limit: int = 10,
) -> list[Place]:
    """:meth:`PlaceIndex.search` on the committed index."""
    return default_index().search(query, kind=kind, country=country, near=near, limit=limit)


def suggest(query: str, n: int = 3) -> list[str]:
    """:meth:`PlaceIndex.suggest` on the committed index."""
    return default_index().suggest(query, n)
