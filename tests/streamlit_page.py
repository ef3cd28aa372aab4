"""Waits on a Streamlit page in a real browser, shared by the dashboard's browser tests."""

from __future__ import annotations

from typing import Any

PAGE_TIMEOUT_MS = 60_000


def settled(page: Any, timeout_ms: int = PAGE_TIMEOUT_MS) -> None:
    """Wait until the page's script run is over: no status widget ("Running..."), no element of the
    previous run still on screen (a download button drawn by the last run carries the last run's data;
    a file set in an uploader while a run is going can be lost when that run's page replaces it)."""
    from playwright.sync_api import expect

    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=timeout_ms)
    expect(page.locator('[data-stale="true"]')).to_have_count(0, timeout=timeout_ms)
