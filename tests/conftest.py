"""Shared fixtures: a real Chromium (Debian's /usr/bin/chromium driven by Playwright) with no network.

Browser tests take ``browser_page`` (a fresh page in its own context) and ``open_offline``::

    @pytest.mark.browser
    def test_map__opens_offline(browser_page, open_offline, tmp_path):
        log = open_offline(browser_page, path.as_uri())
        ...
        assert log.aborted == [] and log.errors == []

Without /usr/bin/chromium the tests are skipped, except under CI (``CI=true``), where they fail.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from hypothesis import settings

# No per-example deadline: a wall-clock limit is a timed test, and on a loaded 2-core machine a
# 200 ms deadline fails correct code (speed is judged by the benchmarks, as ratios)
settings.register_profile("suite", deadline=None)
settings.load_profile("suite")


@pytest.fixture(scope="session", autouse=True)
def _streamlit_components_scanned_once() -> None:
    """Streamlit's ``AppTest`` scans the metadata of every installed distribution for components on
    each new ``AppTest`` (~1 s of CPU with this machine's ~360 packages); the installed packages do not
    change during a test run, so each test process scans once and every ``AppTest`` registers the same
    components from that one scan."""
    try:
        from streamlit.components.v2 import manifest_scanner
    except ImportError:  # another Streamlit version: its own scan, every time
        return
    once = functools.cache(manifest_scanner.scan_component_manifests)
    manifest_scanner.scan_component_manifests = lambda max_workers=None: list(once())


CHROMIUM_PATH = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_SCHEMES = frozenset({"file", "data", "blob", "about"})
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
ARTIFACTS_DIR = Path(__file__).with_name("artifacts")


@dataclass
class OfflineLog:
    """What a page did that an offline page must not: requests aborted, errors reported."""

    aborted: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[str]:
        """Console errors, uncaught exceptions and failed local requests, together."""
        return self.console_errors + self.page_errors + self.failed


def is_local(url: str) -> bool:
    """True for file:, data:, blob:, about: and loopback http(s) URLs."""
    parts = urlsplit(url)
    return parts.scheme in LOCAL_SCHEMES or (parts.hostname or "") in LOCAL_HOSTS


def open_offline(page: Any, url: str, *, wait_until: str = "load", timeout_ms: float = 15_000) -> OfflineLog:
    """Open ``url`` in ``page`` with every non-local request aborted; return what happened.

    The returned log keeps filling while the page lives (late console errors are recorded too).
    """
    log = OfflineLog()

    def route(r: Any) -> None:
        if is_local(r.request.url):
            r.continue_()
        else:
            log.aborted.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda m: log.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: log.page_errors.append(str(e)))
    # a local request that fails is an error, except one the page itself cancelled (net::ERR_ABORTED:
    # a dashboard rerun replaced the iframe that was still loading it); refused or reset connections count
    page.on(
        "requestfailed",
        lambda r: (
            log.failed.append(f"{r.url}: {r.failure}")
            if is_local(r.url) and "ERR_ABORTED" not in (r.failure or "")
            else None
        ),
    )
    page.goto(url, wait_until=wait_until, timeout=timeout_ms)
    return log


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """A headless Chromium for the whole session (skipped, or failed under CI, if missing)."""
    if not CHROMIUM_PATH.exists():
        message = f"no chromium at {CHROMIUM_PATH}; install Debian's chromium (apt-get install chromium)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM_PATH), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium: Any) -> Iterator[Any]:
    """A page in a fresh browser context (1280x800), closed after the test."""
    context = chromium.new_context(viewport={"width": 1280, "height": 800})
    yield context.new_page()
    context.close()


@pytest.fixture(name="open_offline")
def open_offline_fixture() -> Callable[..., OfflineLog]:
    """:func:`open_offline`, for tests (fixtures need no import path)."""
    return open_offline


@pytest.fixture
def artifacts_dir() -> Path:
    """``tests/artifacts/`` (gitignored), for screenshots a person can look at."""
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    return ARTIFACTS_DIR


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def app_server() -> Iterator[str]:
    """The dashboard started with the README's command, ``streamlit run app.py``, and no flag.

    Only the port comes from the environment (``STREAMLIT_SERVER_PORT``), so that parallel runs do not
    collide; everything else is the repository's ``.streamlit/config.toml``. One server per session.
    """
    import shutil
    import subprocess
    import tempfile
    import time
    import urllib.request

    port = _free_port()
    streamlit = shutil.which("streamlit") or "streamlit"
    env = {**os.environ, "STREAMLIT_SERVER_PORT": str(port)}
    root = Path(__file__).resolve().parent.parent
    log = tempfile.TemporaryFile()  # noqa: SIM115 (closed in the finally below, after the session)
    server = subprocess.Popen([streamlit, "run", "app.py"], cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 60.0
        while True:  # polls the server's health endpoint until it answers
            try:
                with urllib.request.urlopen(url + "_stcore/health", timeout=1) as response:
                    if response.read() == b"ok":
                        break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    raise RuntimeError(f"streamlit did not start: {log.read().decode()}") from None
                time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def pytest_configure(config: pytest.Config) -> None:
    """Child processes (xdist workers, the CLI runs of the tests) keep compiled bytecode, as Python does.

    Where ``PYTHONDONTWRITEBYTECODE`` is set (as on the development machine), every ``python -m
    missions`` a test starts would compile the whole package again. The setting is dropped for the
    children, so they write and share ``__pycache__`` beside the sources (ignored by git), as a normal
    checkout does, and read the installed packages' own compiled files. (A ``PYTHONPYCACHEPREFIX``
    would make Python ignore those and compile numpy, pandas, streamlit and the rest once more on a
    new machine: ~4 s of CPU per process that imports them, measured 30 Nov 2026.)
    """
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook, which reads the groups into the test ids
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under pytest-xdist (``-n 2 --dist loadgroup``, see pyproject.toml) the browser tests form two
    xdist groups, each run on one worker, so that the session keeps one Chromium per group: the tests of
    the dashboard (those that take ``app_server``) in one, so that one dashboard server serves them all,
    and the other tests that drive this session's Chromium (exported maps: the module fixtures that
    build them run once) in the other. A browser test that starts its own browser (the ``app_browser``
    benchmark's smoke run, in a process of its own) joins no group and fills in like any other test.
    The groups are the two largest units of work, so xdist gives one to each worker first
    (``loadscopereorder``) and the two run side by side; the other tests fill in around them.

    The hook runs first (``tryfirst``): xdist's worker reads the groups into the test ids in its own
    ``pytest_collection_modifyitems``, and a conftest hook called after it would leave every test
    ungrouped (as it did before 30 Nov 2026, 17:20 UTC: both workers started a dashboard server and
    built the exported maps)."""
    for item in items:
        if item.get_closest_marker("browser") is None:
            continue
        fixtures = getattr(item, "fixturenames", ())
        if "app_server" in fixtures:
            item.add_marker(pytest.mark.xdist_group("browser-dashboard"))
        elif "chromium" in fixtures:
            item.add_marker(pytest.mark.xdist_group("browser-pages"))
