"""Per-report limits of the build: a report that takes too long or too much memory is an
error row, not a stalled archive.

Why resource limits in the worker, not a process per report: a fresh process costs seconds
of imports for each report, and Dask's process pool already gives every batch a process of
its own. Around each report, the worker arms a CPU-independent timer (``SIGALRM`` through
``setitimer``), whose handler raises :class:`LimitExceeded` between two bytecodes, and
lowers its address-space limit (``RLIMIT_AS``) to what it holds now plus the report's
allowance, so an allocation past it raises ``MemoryError``; both are undone after the
report. Signals and that limit belong to a process's main thread, where the ``sync`` and
``processes`` schedulers run reports; under ``threads`` (and on platforms without them)
reports run unlimited. A loop inside C code (one regular expression) is only interrupted
when it returns.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

try:
    import resource
except ImportError:  # not on Windows
    resource = None  # type: ignore[assignment]

DEFAULT_SECONDS = 60.0
DEFAULT_MEMORY = 2**30  # 1 GiB
RING_AGAIN = 0.05  # seconds: the time alarm repeats until its exception is not swallowed


class LimitExceeded(Exception):
    """A report went past its time or memory limit."""


@dataclass(frozen=True)
class ReportLimits:
    """How long and how much memory one report may take (0: no limit)."""

    seconds: float = DEFAULT_SECONDS
    memory: int = DEFAULT_MEMORY  # bytes beyond what the worker holds when the report starts

    def memory_reason(self) -> str:
        return f"over the memory limit of {self.memory / 2**20:,.0f} MB per report"

    def time_reason(self) -> str:
        return f"over the time limit of {self.seconds:g} s per report"


def _address_space() -> int:
    """Bytes of address space this process holds now (VmSize)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmSize:"):
            return int(line.split()[1]) * 1024
    return 0


@contextmanager
def limited(limits: ReportLimits) -> Iterator[None]:
    """Run the body under ``limits``: LimitExceeded after the time, MemoryError past the
    memory; nothing is limited off the main thread."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    timed = limits.seconds > 0 and hasattr(signal, "setitimer")
    sized = limits.memory > 0 and resource is not None and Path("/proc/self/status").exists()
    if timed:

        def on_alarm(_signum, _frame):
            # Raised inside a weakref or __del__ callback, the exception is only printed and
            # the report runs on: the alarm rings again until it reaches the report's code.
            signal.setitimer(signal.ITIMER_REAL, RING_AGAIN)
            raise LimitExceeded(limits.time_reason())

        previous = signal.signal(signal.SIGALRM, on_alarm)
        signal.setitimer(signal.ITIMER_REAL, limits.seconds)
    if sized:
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        cap = _address_space() + limits.memory
        if hard != resource.RLIM_INFINITY:
            cap = min(cap, hard)
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        yield
    finally:
        if timed:
            _disarm(previous)
        if sized:
            resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _disarm(previous: object) -> None:
    """Stop the time alarm and put back the handler it replaced; an alarm that rings while
    this runs (it repeats) is the body's, which has ended: it is let go."""
    while True:
        try:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
            return
        except LimitExceeded:
            continue
