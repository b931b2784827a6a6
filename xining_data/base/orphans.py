"""Worker processes that die with the process that started them.

A build on the local process scheduler (and a publish rendering two pages at
once) starts worker processes. Killed with ``kill -9``, the parent gets no
chance to stop them, and each would go on (a few hundred MB) until its task
ends, or for ever when it waits for work. :func:`die_with_parent` is the pool's
initializer, run in each worker as it starts: the worker exits as soon as its
parent is gone. On Linux the kernel sends it SIGKILL (``prctl(PR_SET_PDEATHSIG)``);
everywhere, a watchdog thread checks the parent every ``POLL_SECONDS``.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
POLL_SECONDS = 0.5
EXIT_ORPHANED = 70  # the exit status of a worker whose parent went away


def die_with_parent(parent_pid: int) -> None:
    """Make this process exit when ``parent_pid`` (the process that started it) goes away.

    Pass it as a process pool's initializer with the parent's pid bound
    (``functools.partial(die_with_parent, os.getpid())``): the pid is taken in
    the parent, so a parent that died before the worker ran this is caught too.
    """
    _ask_the_kernel()
    if os.getppid() != parent_pid:  # already orphaned (adopted by init or a subreaper)
        os._exit(EXIT_ORPHANED)
    watchdog = threading.Thread(
        target=_watch, args=(parent_pid,), name="die-with-parent", daemon=True
    )
    watchdog.start()


def _ask_the_kernel() -> None:
    """Linux only: have the kernel SIGKILL this process when its parent exits."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)


def _watch(parent_pid: int) -> None:
    """Exit the process, without cleanup (the parent that would use it is gone), once the
    parent has changed."""
    while os.getppid() == parent_pid:
        time.sleep(POLL_SECONDS)
    os._exit(EXIT_ORPHANED)
