"""The command line's exit (missions.__main__.run): output flushed, status kept, exit handlers run,
no interpreter teardown."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from missions import __main__ as cli

ROOT = Path(__file__).resolve().parents[1]
TU160 = "missions/catalog/tu160-2015-11-20.yaml"


class ExitedError(Exception):
    def __init__(self, code: int) -> None:
        self.code = code


def test_run__exit_handlers_then_os_exit_with_mains_status(monkeypatch, capsys):
    """A missing file: status 2 through os._exit, after the exit handlers ran and stderr was flushed."""
    calls: list[str] = []

    def fake_exit(code: int) -> None:
        calls.append("exit")
        raise ExitedError(code)

    monkeypatch.setattr(sys, "argv", ["missions", "report", "no-such-file.yaml"])
    monkeypatch.setattr(os, "_exit", fake_exit)
    monkeypatch.setattr("atexit._run_exitfuncs", lambda: calls.append("handlers"))
    # the test process may hold threads of earlier tests (Playwright's, in a worker that ran browser
    # tests): a command's process has none
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    with pytest.raises(ExitedError) as exited:
        cli.run()
    assert exited.value.code == 2
    assert calls == ["handlers", "exit"]
    assert "no-such-file.yaml" in capsys.readouterr().err


def test_run__a_running_thread_gets_the_ordinary_exit(monkeypatch):
    """With another thread alive, run() exits as usual (SystemExit), which waits for the thread."""
    monkeypatch.setattr(sys, "argv", ["missions", "report", "no-such-file.yaml"])
    monkeypatch.setattr(os, "_exit", lambda code: pytest.fail("os._exit with a thread running"))
    stop = threading.Event()
    worker = threading.Thread(target=stop.wait)
    worker.start()
    try:
        with pytest.raises(SystemExit) as exited:
            cli.run()
    finally:
        stop.set()
        worker.join()
    assert exited.value.code == 2


def test_run__report_json_whole_when_piped():
    """``python -m missions report FILE --json``: the whole JSON reaches a pipe, status 0."""
    done = subprocess.run([sys.executable, "-m", "missions", "report", TU160, "--json"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["name"].startswith("Tu-160")
    assert "Exception ignored" not in done.stderr


def test_run__pipe_closed_early_is_quiet():
    """Output (79 kB, more than a pipe holds) into a pipe closed after its first bytes (``| head -c 10``):
    status 0, nothing on stderr about the closed pipe."""
    proc = subprocess.Popen([sys.executable, "-m", "missions", "report", TU160, "--json"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.read(10)
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 0
    assert "BrokenPipe" not in err and "Exception ignored" not in err
