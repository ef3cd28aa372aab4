"""Reading article text: sentences, numbers written as words or digits, counts before a noun."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

#: a sentence ends at . ! ? (or a closing quote after them) followed by space and a capital, or at a blank line
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“‘(]?[A-Z0-9])|\n\s*\n|\n(?=[A-Z(])")
_ABBREVIATIONS = ("U.S.", "U.K.", "Oct.", "Nov.", "Dec.", "Jan.", "Feb.", "Aug.", "Sept.", "Sep.", "Mr.", "Gen.",
                  "Lt.", "Col.", "St.", "No.", "Mt.", "Capt.", "Maj.", "Adm.")  # fmt: skip

WORD_NUMBERS: dict[str, int] = {
    "a": 1, "an": 1, "one": 1, "single": 1, "lone": 1, "two": 2, "pair": 2, "both": 2, "three": 3, "four": 4,
    "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "dozen": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
}  # fmt: skip


@dataclass(frozen=True, kw_only=True)
class Sentence:
    """One sentence: its text exactly as in the article, and where it starts."""

    text: str
    start: int

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def split_sentences(text: str) -> list[Sentence]:
    """The sentences of ``text``, each an exact substring of it (stripped)."""
    out: list[Sentence] = []
    pos = 0
    for m in _SENTENCE_END.finditer(text):
        chunk = text[pos : m.start()]
        if any(chunk.rstrip().endswith(a) for a in _ABBREVIATIONS) and "\n" not in m.group(0):
            continue
        _add(out, text, pos, m.start())
        pos = m.end()
    _add(out, text, pos, len(text))
    return out


def is_headline(sentences: Sequence[Sentence], sentence: Sentence) -> bool:
    """The article's headline: its first sentence, before a body of several, ending without a full stop.

    A lead sentence after a dateline ("WASHINGTON, June 22, 2025 - Seven B-2 bombers took off from
    Whiteman ...") ends with one and gives the route like the rest of the body.
    """
    return sentence is sentences[0] and len(sentences) > 3 and not sentence.text.rstrip('"”’)').endswith(".")


def _add(out: list[Sentence], text: str, start: int, end: int) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if stripped:
        out.append(Sentence(text=stripped, start=start + chunk.index(stripped)))


def number_value(word: str) -> int | None:
    """``"two"`` → 2, ``"18"`` → 18, ``"1,000"`` → 1000; ``None`` for anything else."""
    w = word.lower().strip(".,;:")
    if re.fullmatch(r"\d{1,3}(?:,\d{3})*|\d+", w):
        return int(w.replace(",", ""))
    if "-" in w:  # twenty-four
        parts = w.split("-")
        if all(p in WORD_NUMBERS for p in parts):
            return sum(WORD_NUMBERS[p] for p in parts)
    return WORD_NUMBERS.get(w)


_WORD = re.compile(r"[\w,'’-]+")


def count_before(text: str, start: int, max_words: int = 4, floor: int = 0) -> tuple[int | None, str]:
    """The count written just before ``start`` ("two supersonic Tu-160" → 2), not before ``floor``."""
    window = re.sub(r"\d+[:.]\d+|\d+\s*(?:GMT|UTC|local)", " ", text[max(0, floor, start - 60) : start])
    words = _WORD.findall(window)[-max_words:]
    for i in range(len(words) - 1, -1, -1):
        w = words[i]
        if w.endswith((",", ";", ":")) or w in ("-", "--") or _is_year(w):
            return None, ""  # a clause ends here: "November 17, 2015 - Russian Tu-95MS", "37 hours, the longest B-2"
        if w.lower() in ("of", "and", "the") and i < len(words) - 1:
            continue
        value = number_value(w)
        if value is not None:
            times = number_value(words[i - 1]) if w.lower() == "dozen" and i > 0 else None
            if times is not None and words[i - 1].lower() not in ("a", "an"):
                return times * value, " ".join(words[i - 1 :])  # "two dozen Tomahawk missiles": 24
            return value, " ".join(words[i:])
    return None, ""


def _is_year(word: str) -> bool:
    return word.isdigit() and len(word) == 4 and 1900 <= int(word) <= 2100
