"""The speed goals of issue 14, each judged against its peer measured in the same run.

Every benchmark prints its goals through :func:`verdict`: ``PASS`` or ``FAIL``, the measured
ratio or value, and the goal, so later work (reliability limits, new formats) keeps them.
Times are CPU seconds of the process that did the work where a peer runs in the same process
(the machine is shared: wall time measures the neighbours as much as the code), wall seconds
where the work spans processes.
"""

from __future__ import annotations

import resource
import time
from collections.abc import Callable


def verdict(ok: bool, label: str, measured: str, goal: str) -> int:
    """Print one goal's line; 1 when it failed (a benchmark's exit status is the worst)."""
    print(f"{'PASS' if ok else 'FAIL'} {label}: {measured} (goal {goal})", flush=True)
    return 0 if ok else 1


def cpu_seconds(work: Callable[[], object]) -> float:
    """CPU seconds ``work`` takes in this process."""
    started = time.process_time()
    work()
    return time.process_time() - started


def children_cpu() -> float:
    """CPU seconds of every child process that has ended, so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime
