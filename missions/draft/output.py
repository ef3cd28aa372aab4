"""The draft as mission-file YAML, with the review list and the unplaced mentions as closing comments."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from ..errors import MissionError
from .build import MAX_ARTICLE_BYTES, Draft, DraftError, check_article, draft_mission


def draft_yaml(draft: Draft) -> str:
    """YAML text of the draft: the mission, then ``# review:`` and ``# unplaced:`` comment lines."""
    body = yaml.safe_dump(draft.data, sort_keys=False, allow_unicode=True, width=110)
    tail = ["", "# --- review (guesses the text does not settle) ---"]
    tail += [f"# review: {r}".replace("\n", " ") for r in draft.review] or ["# (none)"]
    tail += ["# --- mentions that could not be placed ---"]
    tail += [f"# unplaced: {u}".replace("\n", " ") for u in draft.unplaced] or ["# (none)"]
    return body + "\n".join(tail) + "\n"


def article_draft(text: str, *, date: dt.date | None = None) -> tuple[str | None, str | None]:
    """The dashboard's "From article" source: (draft YAML, None) or (None, one line saying why not)."""
    try:
        return draft_yaml(draft_mission(text, date=date, name="<article>")), None
    except MissionError as exc:
        return None, exc.one_line()


def load_article(path: str | Path) -> str:
    """The text of an article file; :class:`DraftError` (one line) for a missing, huge or binary file."""
    p = Path(path)
    try:
        with p.open("rb") as f:
            raw = f.read(MAX_ARTICLE_BYTES + 1)
    except OSError as exc:
        raise DraftError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if len(raw) > MAX_ARTICLE_BYTES:
        raise DraftError(f"{path}: the file is over 1 MB; give one article")
    if b"\x00" in raw:
        raise DraftError(f"{path}: this is binary data, not article text")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DraftError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    check_article(text, str(path))
    return text
