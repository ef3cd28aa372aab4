"""How a command's process ends: without the interpreter's teardown."""

from __future__ import annotations

import atexit
import contextlib
import os
import sys
import threading
from typing import NoReturn


def exit_now(code: int) -> NoReturn:
    """End the process with status ``code`` once the exit handlers have run (logging's among them) and
    stdout and stderr are flushed, skipping the interpreter's teardown (:func:`os._exit`).

    Once its output is written, a command has nothing left to do, but the interpreter's own exit would
    still free every module, array and geometry one by one: ~30-40 ms of a ``report`` of the Tu-160
    mission, more than its overflight. With another thread running (none in a command), the ordinary
    exit, which waits for it.
    """
    if threading.active_count() > 1:
        sys.exit(code)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe (``| head``): nothing more to say
            stream.flush()
    os._exit(code)
