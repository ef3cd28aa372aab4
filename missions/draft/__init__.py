"""Drafting a mission file from a news article (rules, the place index and the performance catalogue)."""

from __future__ import annotations

from .build import MAX_ARTICLE_BYTES, Draft, DraftError, check_article, draft_mission
from .output import article_draft, draft_yaml, load_article

__all__ = [
    "MAX_ARTICLE_BYTES",
    "Draft",
    "DraftError",
    "article_draft",
    "check_article",
    "draft_mission",
    "draft_yaml",
    "load_article",
]
