"""Place names as people write them: the one normaliser, airfield abbreviations and display names.

Shared by the index builder (``build_places``) and the lookups (``places``), so that a name is
folded the same way when it is stored and when it is asked for.
"""

from __future__ import annotations

import re
import unicodedata

#: airfield words and their abbreviations, both ways: "Whiteman AFB" finds "Whiteman Air Force Base"
AIRFIELD_ABBREVIATIONS: tuple[tuple[str, str], ...] = (
    ("Air Force Base", "AFB"),
    ("Air Reserve Base", "ARB"),
    ("Air Base", "AB"),
    ("Air Base", "Airbase"),
    ("Naval Air Station", "NAS"),
    ("Naval Air Facility", "NAF"),
    ("Marine Corps Air Station", "MCAS"),
    ("Army Airfield", "AAF"),
    ("Army Air Field", "AAF"),
    ("Joint Base", "JB"),
    ("Royal Air Force", "RAF"),
    ("International Airport", "International"),
    ("International Airport", "Intl Airport"),
    ("Saint", "St"),
)
#: words that name an airfield's type: "Whiteman" alone also finds "Whiteman Air Force Base"
_AIRFIELD_WORDS = re.compile(
    r"\b(RAF|Royal Air Force|Air Force Base|Air Reserve Base|Air Base|Airbase|AFB|AB|Naval Air Station|"
    r"NAS|Naval Air Facility|Naval Air Base|Navy Air Base|Naval Station|Naval Support Facility|"
    r"Army Airfield|Army Air Field|AAF|Joint Base|International Airport|International|Regional Airport|"
    r"Municipal Airport|Airport|Airfield|Aerodrome|Air Station|Heliport)\b",
    re.IGNORECASE,
)
#: airportsdata spellings made readable: "Barksdale Afb Airport" → "Barksdale Air Force Base"
_DISPLAY_FIXES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bAfb\b|\bAFB\b"), "Air Force Base"),
    (re.compile(r"\bArb\b|\bARB\b"), "Air Reserve Base"),
    (re.compile(r"\bAb\b"), "Air Base"),
    (re.compile(r"\bNas\b"), "Naval Air Station"),
    (re.compile(r"\bMcas\b"), "Marine Corps Air Station"),
    (re.compile(r"\bAaf\b"), "Army Airfield"),
    (re.compile(r"\bRaf\b"), "RAF"),
    (re.compile(r"\bIntl\b"), "International"),
    (re.compile(r"\b(Base|Station|Airfield|Field)\s+Airport$"), r"\1"),
)


def normalize_name(text: str) -> str:
    """The one name folding (place names, aircraft and weapon names): no case, diacritics, spaces,
    hyphens or other punctuation: ``"Ar-Raqqah "`` → ``"arraqqah"``.

    Only letters and digits are kept: Latin letters that NFKD does not decompose are spelt out
    (``ø`` → ``o``, ``æ`` → ``ae``, ``ð`` → ``d``), then Unicode compatibility decomposition (NFKD)
    with the combining marks dropped, and case folding. Folding is repeated to a fixpoint, so a
    folded name folds to itself.

    >>> normalize_name("Khméimim  Air-Base")
    'khmeimimairbase'
    >>> normalize_name("Øresund") == normalize_name("Oresund")
    True
    >>> normalize_name("TU 160"), normalize_name("Tu-160"), normalize_name("Vulcan B.2")
    ('tu160', 'tu160', 'vulcanb2')
    >>> normalize_name("Mirage 2000-5 «Élysée»")
    'mirage20005elysee'
    """
    for _ in range(4):  # folding can expose new decomposable characters: repeat to a fixpoint
        # upper() before casefold() so that, e.g., dotless "ı" matches "I" as Python's upper() does
        folded = unicodedata.normalize("NFKD", text.translate(_LETTERS)).upper().casefold()
        folded = unicodedata.normalize("NFKD", folded.translate(_LETTERS))
        folded = "".join(c for c in folded if c.isalnum() and not unicodedata.combining(c))
        if folded == text:
            break
        text = folded
    return text


#: letters that NFKD does not decompose into a Latin base letter
_LETTERS = str.maketrans({"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "ß": "ss", "ł": "l", "Ł": "L", "đ": "d",
                          "Đ": "D", "Ð": "D", "ı": "i", "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "Th",
                          "ð": "d"})  # fmt: skip


def is_latin(text: str) -> bool:
    """True when ``text`` is written in Latin letters (diacritics allowed): the names worth indexing.

    >>> is_latin("Zürich"), is_latin("Москва")
    (True, False)
    """
    folded = unicodedata.normalize("NFKD", text.translate(_LETTERS))
    return any(c.isalpha() for c in folded) and all(ord(c) < 0x250 or unicodedata.combining(c) for c in folded)


def airfield_variants(name: str) -> set[str]:
    """The same airfield name with its type words abbreviated or spelt out.

    >>> sorted(airfield_variants("Whiteman Air Force Base"))
    ['Whiteman AFB']
    >>> "RAF Lakenheath" in airfield_variants("Royal Air Force Lakenheath")
    True
    """
    variants: set[str] = set()
    for long, short in AIRFIELD_ABBREVIATIONS:
        for a, b in ((long, short), (short, long)):
            pattern = re.compile(rf"\b{re.escape(a)}\b", re.IGNORECASE)
            if pattern.search(name):
                variants.add(pattern.sub(b, name))
    variants.discard(name)
    return variants


def airfield_stem(name: str) -> str:
    """An airfield's name without its type words: ``"RAF Lakenheath"`` → ``"Lakenheath"``.

    >>> airfield_stem("Whiteman Air Force Base"), airfield_stem("Port Stanley Airport")
    ('Whiteman', 'Port Stanley')
    """
    return " ".join(_AIRFIELD_WORDS.sub(" ", name).split()).strip(" -,")


#: words that describe an airfield rather than name it: "Cairo West", "Beijing Capital", "Krasnodar Central"
_DESCRIPTORS = frozenset(
    (
        "north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest", "central",
        "capital", "national", "international", "regional", "municipal", "metropolitan", "county", "city",
        "valley", "main", "new", "old", "downtown", "executive", "intercontinental", "airport", "airfield",
        "field", "base", "station", "island", "military",
    )
)  # fmt: skip


def is_distinctive(short_name: str) -> bool:
    """True when an airfield's short name names it: four letters or more, not a descriptive word.

    >>> is_distinctive("Heathrow"), is_distinctive("West"), is_distinctive("1"), is_distinctive("Nal")
    (True, False, False, False)
    """
    key = normalize_name(short_name)
    return sum(c.isalpha() for c in key) >= 4 and key not in _DESCRIPTORS


def airfield_short_names(name: str, town: str) -> list[str]:
    """The short names people give an airfield: its :func:`airfield_stem` (each part of an ``A / B``
    name), and that without the ``town`` it serves in front when what is left names it (:func:`is_distinctive`).

    >>> airfield_short_names("London Heathrow Airport", "London")
    ['London Heathrow', 'Heathrow']
    >>> airfield_short_names("Amsterdam Airport Schiphol", "Amsterdam")
    ['Amsterdam Schiphol', 'Schiphol']
    >>> airfield_short_names("Washington Dulles International Airport", "Washington, DC")
    ['Washington Dulles', 'Dulles']
    >>> airfield_short_names("Misawa Air Base / Misawa Airport", "Misawa")
    ['Misawa']
    >>> airfield_short_names("Cairo West Air Base", "Cairo")
    ['Cairo West']
    """
    town = re.split(r"[,(]", town, maxsplit=1)[0].strip()
    prefix = re.compile(rf"^{re.escape(town)}[\s/–-]+(?=\w)", re.IGNORECASE) if town else None
    names: list[str] = []
    for part in name.split(" / "):
        stem = airfield_stem(part)
        if normalize_name(stem) and stem not in names:
            names.append(stem)
        short = prefix.sub("", stem) if prefix is not None else stem
        if short != stem and is_distinctive(short) and short not in names:
            names.append(short)
    return names


def display_airfield_name(name: str) -> str:
    """An airfield name as people write it: ``"Barksdale Afb Airport"`` → ``"Barksdale Air Force Base"``.

    >>> display_airfield_name("Barksdale Afb Airport")
    'Barksdale Air Force Base'
    >>> display_airfield_name("RAF Lakenheath")
    'RAF Lakenheath'
    """
    for pattern, repl in _DISPLAY_FIXES:
        name = pattern.sub(repl, name)
    return " ".join(name.split())
