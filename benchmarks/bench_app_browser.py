"""The dashboard in a real browser (Playwright + Debian's chromium): how long until the map is drawn.

Started with the README's command (``streamlit run app.py``; only the port comes from the
environment). Timed from the user's action to the new map being drawn and fitted in its iframe
(``.leaflet-container[data-fitted]`` with the legend showing the new state):

* first map: from ``streamlit run`` to the first map drawn (goal ≤ 3 s), and from opening the page;
  against its own floor, Streamlit's: from ``streamlit run`` of an empty page (a button, a counter and
  a selectbox, with the repository's ``.streamlit/config.toml``) to its text shown, in the same
  browser. Each twice: when Playwright sees it (checked at each of the browser's frames, not by a
  locator's ``wait_for``, whose polling slows to every 0.5 s and so added up to ~1.2 s to these
  figures until 30 Nov 2026) and by the page's own clock (the moment the map page drew its first mission,
  ``MissionMap.timings.first_drawn_ms``, and painted it, the browser's next frame; the moment the
  empty page's text entered the document, from a MutationObserver). Where that time went is printed
  for both, by the pages' clocks: the server answering ``/_stcore/health``, Streamlit's page loaded
  (DOMContentLoaded), its websocket open, the map page loading and rendered ahead of its mission, the
  mission drawn and painted; and the server's CPU time (``/proc``, sampled every 20 ms) from
  ``streamlit run`` to the page shown. Whether the map page's first render brought the mission (a
  session opened with the same URL before: :mod:`missions.dashboard.first_map`) is printed too;
  ``--first-map-cache cold`` runs the dashboard on a copy of the disk caches without first maps;
* switching mission, changing units, a waypoint added by a click on the map, by Playwright and by
  the pages' clocks (the map page: the browser's next frame after the draw);

each against the floor measured in the same run: a rerun of the empty page, from the click on its
button to the new text; for switching mission (open the list, click a title), the same two clicks on
the empty page's selectbox to its new text. Goal: ≤ 1.0 s above the floor. Medians of ``--repeat``.

    python benchmarks/bench_app_browser.py [--repeat 3] [--first-map-cache cold]
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
MAP_FRAME = 'iframe[title="missions.dashboard.map.mission_map"] >> nth=-1'
TIMEOUT_MS = 120_000
EMPTY_APP = (
    "import streamlit as st\nst.session_state.n = st.session_state.get('n', 0)\n"
    "if st.button('rerun'):\n    st.session_state.n += 1\nst.write(f'count {st.session_state.n}')\n"
    "choice = st.selectbox('Pick', ['alpha', 'bravo'])\nst.write(f'chosen {choice}')\n"
)
#: the empty page's selectbox: a choice (open the list, click an option) as switching mission takes
PICKS = ("bravo", "alpha")


#: a point of open map to click: the centre of a place name (labels let clicks through to the map) that
#: lies inside the map's visible box, away from its edges, with no control, route, area or marker under it
FREE_POINT_JS = """(container) => {
    const box = container.getBoundingClientRect();
    const margin = 40;
    for (const span of container.querySelectorAll('.msn-label span')) {
        const r = span.getBoundingClientRect();
        const x = r.left + r.width / 2, y = r.top + r.height / 2;
        if (x < box.left + margin || x > box.right - margin || y < box.top + margin || y > box.bottom - margin) {
            continue;
        }
        const hit = document.elementFromPoint(x, y);
        if (!hit || hit.closest('.leaflet-control, .leaflet-interactive, .leaflet-marker-icon, .msn-legend')) {
            continue;
        }
        return {x: x - box.left, y: y - box.top, name: span.textContent};
    }
    return null;
}"""


def click_open_map(container: Any) -> str:
    """Click a point of open map that the reader sees, in the map's ``.leaflet-container`` (never a label
    scrolled out of the map's box: clicking it scrolls the container, which moves where the click lands);
    return the place name clicked on."""
    point = container.evaluate(FREE_POINT_JS)
    if point is None:
        raise RuntimeError("no open point of the map to click: no place name in view without a layer over it")
    container.click(position={"x": point["x"], "y": point["y"]}, force=True)
    return str(point["name"])


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


CLOCK_FLOOR = "  the same, by the page's clock (floor)"
CLOCK_FIRST = "  the same, by the map page's clock"
CLOCK_PAINTED = "  the same, painted (the map page's next frame)"
#: the changes by the pages' own clocks (no polling delay): from the moment before the action to the
#: text entering the empty page, or to the map page's draw done (``MissionMap.timings.drawn_at_ms``)
CLOCK_RERUN = "  the same, by the page's clock (floor of the changes)"
PICK_FLOOR = "empty-page choice in a selectbox (floor of switching)"
CLOCK_PICK = "  the same, by the page's clock (floor of switching)"
CLOCK_SWITCH = "  switch mission, by the map page's clock"
CLOCK_UNITS = "  change units, by the map page's clock"
CLOCK_CLICK = "  waypoint added, by the map page's clock"
#: the moment (ms since 1970, the page's clock) the empty page's counter text entered the document
TEXT_SHOWN_JS = """() => {
    new MutationObserver((_, observer) => {
        if (document.body && document.body.textContent.includes('count 0')) {
            window.msnShownMs = performance.timeOrigin + performance.now();
            observer.disconnect();
        }
    }).observe(document, {subtree: true, childList: true, characterData: true});
}"""
#: the moment (ms since 1970) Streamlit's page opened its websocket
WEBSOCKET_JS = """() => {
    const Native = window.WebSocket;
    window.WebSocket = function (...args) {
        const socket = new Native(...args);
        socket.addEventListener('open', () => {
            window.msnSocketMs = window.msnSocketMs || performance.timeOrigin + performance.now(); });
        return socket;
    };
    window.WebSocket.prototype = Native.prototype;
    Object.assign(window.WebSocket, Native);
}"""
#: where a page's time went (ms since 1970): Streamlit's page loaded, its websocket open
PAGE_CLOCKS_JS = """() => {
    const nav = performance.getEntriesByType('navigation')[0];
    return {loaded_ms: performance.timeOrigin + nav.domContentLoadedEventEnd, socket_ms: window.msnSocketMs};
}"""


@dataclass
class Server:
    """A ``streamlit run`` for the benchmark: its URL, process, and clocks (seconds)."""

    url: str
    process: subprocess.Popen[bytes]
    started: float  #: time.monotonic() at ``streamlit run``
    epoch: float  #: the same moment in seconds since 1970 (the pages' clock)
    health_s: float = 0.0  #: when ``/_stcore/health`` first answered, after ``streamlit run``
    #: (seconds after ``streamlit run``, the server's CPU time then), every ~20 ms while it runs
    cpu_samples: list[tuple[float, float]] = field(default_factory=list)

    def process_cpu_s(self) -> float:
        """The server's CPU time so far (user + system, /proc; NaN where there is no /proc)."""
        try:
            fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return float("nan")
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def sample_cpu(self) -> None:
        """Record the server's CPU time every ~20 ms until it ends (run in a thread)."""
        while self.process.poll() is None:
            self.cpu_samples.append((time.time() - self.epoch, self.process_cpu_s()))
            time.sleep(0.02)

    def cpu_s(self, at_s: float) -> float:
        """The server's CPU time at ``at_s`` seconds after ``streamlit run`` (the last sample before)."""
        return max((cpu for t, cpu in self.cpu_samples if t <= at_s), default=float("nan"))


@contextmanager
def served(script: str, cwd: Path, env: dict[str, str] | None = None) -> Iterator[Server]:
    """``streamlit run SCRIPT`` on a free port (``env``: added to the environment), once its health
    endpoint answers."""
    port = _free_port()
    epoch = time.time()
    start = time.monotonic()
    process = subprocess.Popen(
        [shutil.which("streamlit") or "streamlit", "run", script], cwd=cwd,
        env={**os.environ, **(env or {}), "STREAMLIT_SERVER_PORT": str(port)},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    server = Server(url=f"http://127.0.0.1:{port}/", process=process, started=start, epoch=epoch)
    sampler = threading.Thread(target=server.sample_cpu, daemon=True)
    sampler.start()
    try:
        while True:  # the health endpoint answers once the server listens
            try:
                with urllib.request.urlopen(server.url + "_stcore/health", timeout=1) as response:
                    if response.read() == b"ok":
                        break
            except OSError:
                if process.poll() is not None:
                    raise RuntimeError("streamlit did not start") from None
                time.sleep(0.02)
        server.health_s = time.monotonic() - start
        yield server
    finally:
        process.terminate()
        process.wait(timeout=20)
        sampler.join()


def _cache_env(args: argparse.Namespace, directory: Path) -> dict[str, str]:
    """With ``--first-map-cache cold``: ``MISSIONS_CACHE_DIR`` in ``directory``, a copy of the user's caches
    without their first maps (the other caches stay warm, as after any change to the code)."""
    if args.first_map_cache == "warm":
        return {}
    import common  # noqa: F401  (the repository on sys.path)

    from missions.checkedcache import cache_dir
    from missions.dashboard.first_map import FILE_PATTERNS

    if cache_dir().is_dir():
        shutil.copytree(cache_dir(), directory, dirs_exist_ok=True, ignore=shutil.ignore_patterns(*FILE_PATTERNS))
    return {"MISSIONS_CACHE_DIR": str(directory)}


def page_clocks(page: Any, server: Server) -> dict[str, float]:
    """When Streamlit's page was loaded and its websocket open, in seconds after ``streamlit run``."""
    clocks = page.evaluate(PAGE_CLOCKS_JS)
    return {name.replace("_ms", "_s"): (value or float("nan")) / 1000 - server.epoch for name, value in clocks.items()}


def _timings(page: Any) -> dict[str, float]:
    """Where the map page's own time went (MissionMap.timings of assets/js/mount.js), and when its page
    started loading (``origin_ms``: ms since 1970)."""
    return dict(page.frame_locator(MAP_FRAME).locator("body").evaluate(
        "() => Object.assign({origin_ms: performance.timeOrigin}, MissionMap.timings)"))  # fmt: skip


def painted_at_s(page: Any) -> float:
    """When the browser painted the map page's last mission drawn (its next frame: seconds since 1970, the
    clock the page shares with its parent)."""
    body = page.frame_locator(MAP_FRAME).locator("body")
    body.evaluate("""() => new Promise((ok) => {
        const t = () => MissionMap.timings.painted_at_ms >= MissionMap.timings.drawn_at_ms ? ok() : setTimeout(t, 20);
        t(); })""")  # fmt: skip
    return float(_timings(page)["painted_at_ms"]) / 1000


#: the map page's map drawn and fitted, as seen from Streamlit's page (the frame is of the same origin)
MAP_FITTED_JS = """() => {
    const frames = document.querySelectorAll('iframe[title="missions.dashboard.map.mission_map"]');
    const doc = frames.length ? frames[frames.length - 1].contentDocument : null;
    return !!(doc && doc.querySelector('.leaflet-container[data-fitted]'));
}"""


def seen_each_frame(page: Any, predicate_js: str) -> None:
    """Wait until ``predicate_js`` holds in ``page``, checked at each of the browser's frames: a locator's
    ``wait_for`` polls ever more slowly (up to every 0.5 s), which a first page's figure would carry."""
    page.wait_for_function(predicate_js, polling="raf", timeout=TIMEOUT_MS)


def timed(action: Callable[[], None], done: Callable[[], None]) -> float:
    start = time.perf_counter()
    action()
    done()
    return time.perf_counter() - start


def page_now_s(page: Any) -> float:
    """The page's clock now (seconds since 1970)."""
    return float(page.evaluate("() => (performance.timeOrigin + performance.now()) / 1000"))


#: the empty page: the moment (ms since 1970) the text ``arg`` entered the document
WATCH_TEXT_JS = """(text) => {
    window.msnShownMs = null;
    new MutationObserver((_, observer) => {
        if (document.body.textContent.includes(text)) {
            window.msnShownMs = performance.timeOrigin + performance.now();
            observer.disconnect();
        }
    }).observe(document, {subtree: true, childList: true, characterData: true});
}"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--smoke", action="store_true", help="the floor and the first map, the page opened once (figures mean nothing)"
    )
    parser.add_argument(
        "--first-map-cache", choices=("warm", "cold"), default="warm",
        help="warm (the default): the user's disk caches as they are, where a session opened before with the "
        "same URL left its first map (missions.dashboard.first_map); cold: a copy of them without first maps",
    )  # fmt: skip
    args = parser.parse_args()
    if args.smoke:
        args.repeat = 1
    from playwright.sync_api import sync_playwright

    results: dict[str, list[float]] = {}
    try:
        return _measure(args, sync_playwright, results)
    finally:  # what was measured is printed even when a later step fails (the exit status still says so)
        if "empty-page rerun (floor)" in results:
            report(results)


def _measure(args: argparse.Namespace, sync_playwright: Callable[[], Any], results: dict[str, list[float]]) -> int:
    splits: dict[str, dict[str, float]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1440, "height": 900})

        with tempfile.TemporaryDirectory() as tmp:
            Path(tmp, "empty.py").write_text(EMPTY_APP, encoding="utf-8")
            Path(tmp, ".streamlit").mkdir()  # the same settings as the dashboard's
            shutil.copy(ROOT / ".streamlit" / "config.toml", Path(tmp, ".streamlit", "config.toml"))
            with served("empty.py", Path(tmp)) as server:
                empty = browser.new_page(viewport={"width": 1440, "height": 900})  # its own page: the observer
                empty.add_init_script(f"({TEXT_SHOWN_JS})()")
                empty.add_init_script(f"({WEBSOCKET_JS})()")
                empty.goto(server.url, wait_until="commit")  # (not its load event: the page's text is the mark)
                seen_each_frame(empty, "() => document.body.textContent.includes('count 0')")
                results["first page after streamlit run, empty app (floor)"] = [time.monotonic() - server.started]
                results[CLOCK_FLOOR] = [empty.evaluate("() => window.msnShownMs") / 1000 - server.epoch]
                splits["empty page"] = {"health_s": server.health_s, **page_clocks(empty, server),
                                        "shown_s": results[CLOCK_FLOOR][0],
                                        "server_cpu_s": server.cpu_s(results[CLOCK_FLOOR][0])}  # fmt: skip
                for n in range(1, args.repeat + 2):
                    empty.evaluate(WATCH_TEXT_JS, f"count {n}")
                    clicked_s = page_now_s(empty)
                    t = timed(lambda: empty.get_by_role("button", name="rerun").click(),
                              lambda n=n: empty.get_by_text(f"count {n}").wait_for(timeout=TIMEOUT_MS))  # fmt: skip
                    if n > 1:  # the first rerun warms the server up
                        results.setdefault("empty-page rerun (floor)", []).append(t)
                        shown_s = empty.evaluate("() => window.msnShownMs") / 1000
                        results.setdefault(CLOCK_RERUN, []).append(shown_s - clicked_s)
                for n in range(0 if args.smoke else args.repeat + 1):  # (a smoke run switches no mission)
                    pick = PICKS[n % 2]
                    empty.evaluate(WATCH_TEXT_JS, f"chosen {pick}")
                    clicked_s = page_now_s(empty)

                    def choose_pick(pick: str = pick) -> None:
                        empty.get_by_role("combobox", name="Pick").click()
                        empty.get_by_role("option", name=pick, exact=True).click()

                    t = timed(choose_pick, lambda pick=pick: empty.get_by_text(f"chosen {pick}").wait_for(
                        timeout=TIMEOUT_MS))  # fmt: skip
                    if n > 0:  # the first choice loads the list's scripts (as the first switch of mission)
                        results.setdefault(PICK_FLOOR, []).append(t)
                        shown_s = empty.evaluate("() => window.msnShownMs") / 1000
                        results.setdefault(CLOCK_PICK, []).append(shown_s - clicked_s)
                empty.close()

        with (
            tempfile.TemporaryDirectory() as cold_cache,
            served("app.py", ROOT, _cache_env(args, Path(cold_cache))) as server,
        ):
            url = server.url
            page.add_init_script(f"({WEBSOCKET_JS})()")
            page.goto(url, wait_until="commit")  # then wait for the map (the load event may come later)
            seen_each_frame(page, MAP_FITTED_JS)
            results["first map after streamlit run"] = [time.monotonic() - server.started]
            first = _timings(page)
            origin_s = first["origin_ms"] / 1000 - server.epoch
            results[CLOCK_FIRST] = [origin_s + first["first_drawn_ms"] / 1000]
            page.frame_locator(MAP_FRAME).locator("body").evaluate(
                "() => new Promise((ok) => { const t = () => MissionMap.timings.first_painted_ms ? ok() : "
                "setTimeout(t, 20); t(); })")  # fmt: skip
            first = _timings(page)
            results[CLOCK_PAINTED] = [origin_s + first["first_painted_ms"] / 1000]
            first["loading_s"] = origin_s
            ahead = first.get("ahead_ms")
            splits["first map"] = {"health_s": server.health_s, **page_clocks(page, server), "map_page_s": origin_s,
                                   "map_ahead_s": origin_s + ahead / 1000 if ahead else float("nan"),
                                   "shown_s": results[CLOCK_FIRST][0], "painted_s": results[CLOCK_PAINTED][0],
                                   "server_cpu_s": server.cpu_s(results[CLOCK_FIRST][0])}  # fmt: skip
            if not args.smoke:  # a smoke run opens the page once (a page load costs ~4 s of CPU)
                t = timed(lambda: page.goto(url, wait_until="commit"), lambda: page.frame_locator(MAP_FRAME).locator(
                    ".leaflet-container[data-fitted]").wait_for(timeout=TIMEOUT_MS))  # fmt: skip
                results["first map, page opened on a running server"] = [t]
            page_timings = {"first": first, "page opened again": _timings(page)} if not args.smoke else {"first": first}
            missions_and_units = not args.smoke

            def legend_has(text: str) -> Callable[[], None]:
                return lambda: (
                    page.frame_locator(MAP_FRAME)
                    .locator(".msn-legend", has_text=text)
                    .locator("xpath=ancestor::div[contains(@class, 'leaflet-container')][@data-fitted]")
                    .wait_for(timeout=TIMEOUT_MS)
                )

            missions = [("Tu-22M3 raid from Mozdok", "Tu-22M3"), ("Tu-160 strike around Europe", "Tu-160 strike")]
            for i in range(args.repeat * 2 if missions_and_units else 0):
                title, legend = missions[i % 2]

                def choose(title: str = title) -> None:
                    page.get_by_test_id("stSidebar").get_by_role("combobox", name="Catalogue mission").click()
                    page.get_by_role("option", name=title, exact=False).click()

                clicked_s = page_now_s(page)
                results.setdefault("switch mission", []).append(timed(choose, legend_has(legend)))
                page_timings["switch mission"] = _timings(page)
                results.setdefault(CLOCK_SWITCH, []).append(painted_at_s(page) - clicked_s)
            for i in range(args.repeat * 2 if missions_and_units else 0):
                unit, shown = [("NM", "distances in NM"), ("km", "distances in km")][i % 2]
                clicked_s = page_now_s(page)
                results.setdefault("change units", []).append(timed(
                    lambda unit=unit: page.get_by_test_id("stSidebar").get_by_role("radiogroup", name="Units")
                    .get_by_text(unit, exact=True).click(),
                    legend_has(shown)))  # fmt: skip
                page_timings["change units"] = _timings(page)
                results.setdefault(CLOCK_UNITS, []).append(painted_at_s(page) - clicked_s)
            if missions_and_units:
                page.get_by_text("Click the map to add a waypoint").click()
                from playwright.sync_api import expect

                expect(page.get_by_label("after row (0: at the end)")).to_be_enabled(timeout=TIMEOUT_MS)
                expect(page.locator(MAP_FRAME.split(" >> ")[0])).to_have_count(1, timeout=TIMEOUT_MS)
                page.frame_locator(MAP_FRAME).locator(".leaflet-container[data-fitted]").wait_for(timeout=TIMEOUT_MS)
            for _ in range(args.repeat if missions_and_units else 0):
                before = page.frame_locator(MAP_FRAME).locator(".msn-legend .msn-row").first.inner_text()

                def click() -> None:
                    click_open_map(page.frame_locator(MAP_FRAME).locator(".leaflet-container[data-fitted]"))

                def redrawn(before: str = before) -> None:
                    page.frame_locator(MAP_FRAME).locator(
                        ".leaflet-container[data-fitted] .msn-legend .msn-row"
                    ).first.filter(has_not_text=before).wait_for(timeout=TIMEOUT_MS)

                clicked_s = page_now_s(page)
                results.setdefault("waypoint added by a click on the map", []).append(timed(click, redrawn))
                page_timings["waypoint added"] = _timings(page)
                results.setdefault(CLOCK_CLICK, []).append(painted_at_s(page) - clicked_s)
        browser.close()

    print("in the map page (ms since its page started loading; MissionMap.timings of assets/js/mount.js): " + "; ".join(
        f"{name}: scripts run at {t['scripts_ms']:.0f}, first mission asked for at {t['render_ms']:.0f}, map created "
        f"in {t['create_ms']:.0f}, first mission drawn at {t['first_drawn_ms']:.0f}, last drawn in "
        f"{t['draw_ms']:.0f} ({t['draws']} draws)" for name, t in page_timings.items()
    ))  # fmt: skip
    how = (
        "its first render brought the mission (the first-map cache held it)"
        if page_timings["first"]["first_with_mission"]
        else "it came ahead of its mission (not in the first-map cache)"
    )
    loading_s = page_timings["first"]["loading_s"]
    print(f"first map after streamlit run: the map page started loading at {loading_s:.2f} s; {how}")
    print("where the first page's time went, s after streamlit run (pages' clocks; server CPU from /proc):")
    for name, split in splits.items():
        print(f"  {name}: " + ", ".join(f"{key.removesuffix('_s')} {value:.2f}" for key, value in split.items()))
    return 0


def report(results: dict[str, list[float]]) -> None:
    floor = statistics.median(results["empty-page rerun (floor)"])
    first_floor = results.get("first page after streamlit run, empty app (floor)", [float("nan")])[0]
    print(f"{'measure':52s} {'median s':>9s} {'above floor s':>14s}  runs")
    clock_floor = statistics.median(results.get(CLOCK_RERUN, [float("nan")]))
    for name, values in results.items():
        median = statistics.median(values)
        above = "" if "floor" in name or "opened" in name else f"{median - floor:14.2f}"
        if name in (CLOCK_SWITCH, CLOCK_UNITS, CLOCK_CLICK):
            above = f"{median - clock_floor:14.2f}"
        if name == "switch mission" and PICK_FLOOR in results:  # the same two clicks on the empty page
            above = f"{median - statistics.median(results[PICK_FLOOR]):14.2f}"
        if name == CLOCK_SWITCH and CLOCK_PICK in results:
            above = f"{median - statistics.median(results[CLOCK_PICK]):14.2f}"
        if name == "first map after streamlit run":
            above = f"{median - first_floor:14.2f}"
        if name in (CLOCK_FIRST, CLOCK_PAINTED) and CLOCK_FLOOR in results:
            above = f"{median - results[CLOCK_FLOOR][0]:14.2f}"
        print(f"{name:52s} {median:9.2f} {above:>14s}  {', '.join(f'{v:.2f}' for v in values)}")
    if "switch mission" in results:
        switch = statistics.median(results["switch mission"])
        clock_switch = statistics.median(results.get(CLOCK_SWITCH, [float("nan")]))
        print(f"switch mission above the empty page's button rerun instead: +{switch - floor:.2f} s (Playwright), "
              f"+{clock_switch - clock_floor:.2f} s (pages' clocks)")  # fmt: skip
    print(
        f"goals: each change ≤ 1.0 s above the floor ({floor:.2f} s; switching: the empty page's selectbox); "
        f"first map ≤ 3 s after streamlit run (Streamlit's own first page: {first_floor:.2f} s)"
    )


if __name__ == "__main__":
    sys.exit(main())
