"""One kernel per publish worker, reused for every notebook it runs, reset between them.

Starting a kernel and importing what a story imports (pandas, matplotlib, geopandas, the
library) cost more than most stories' own work. So a worker keeps the kernel it started
(:func:`kernel_for`) and runs its next notebook there after :meth:`SharedKernel.fresh` has
emptied the namespace and restored the state a notebook may change
(:mod:`.kernelstate`). A kernel that failed a notebook, timed out or died is closed, and the
next notebook gets a new one; a worker closes its kernel when it exits.

A notebook opened in JupyterLab, or run by nbconvert or papermill alone, gets its own kernel
as always: nothing here changes how a notebook runs, only how often a kernel starts.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from xining_data.publish.kernelstate import FRESH_CODE

KERNEL_START_FAILURES = ("Kernel died before replying", "Address already in use")
# As nbclient starts a kernel for a notebook: no TCP warning on stderr, no history file.
KERNEL_ARGUMENTS = ("--IPKernelApp.log_level=CRITICAL", "--HistoryManager.hist_file=:memory:")


def with_kernel_retry(run: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run once more when the kernel failed to *start* (two kernels racing for a port):
    that is the machine, not the notebook. A failing cell is never retried."""
    try:
        return run(*args, **kwargs)
    except RuntimeError as exc:
        if not any(text in str(exc) for text in KERNEL_START_FAILURES):
            raise
        return run(*args, **kwargs)


@contextlib.contextmanager
def environ(values: dict[str, str]) -> Iterator[None]:
    """Set environment variables for the kernel about to start, then restore them."""
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _manager_class() -> type:
    from jupyter_client.manager import AsyncKernelManager

    class TrackedManager(AsyncKernelManager):
        """A kernel manager that remembers the clients nbclient opens on it, to close them:
        nbclient leaves a client open on a kernel it does not own."""

        def client(self, **kwargs: Any) -> Any:
            made = super().client(**kwargs)
            self.__dict__.setdefault("opened", []).append(made)
            return made

    return TrackedManager


class SharedKernel:
    """A kernel started once in ``cwd`` with ``env`` set, that runs notebook after notebook."""

    def __init__(self, kernel_name: str, cwd: Path, env: dict[str, str], start_timeout: int):
        self.kernel_name = kernel_name
        self.cwd = cwd
        self.env = dict(env)
        self.start_timeout = start_timeout
        self.manager: Any = None
        self.pid = os.getpid()  # a forked worker does not use its parent's kernel

    @property
    def key(self) -> tuple[str, str, tuple[tuple[str, str], ...]]:
        return (self.kernel_name, str(self.cwd), tuple(sorted(self.env.items())))

    def start(self) -> None:
        """Start the kernel and make it fresh (once more when it died starting)."""
        from jupyter_core.utils import run_sync

        def start_once() -> None:
            self.close()
            self.manager = _manager_class()(kernel_name=self.kernel_name)
            with environ(self.env):
                run_sync(self.manager.start_kernel)(
                    cwd=str(self.cwd), extra_arguments=list(KERNEL_ARGUMENTS)
                )
            self.fresh()

        with_kernel_retry(start_once)

    def alive(self) -> bool:
        from jupyter_core.utils import run_sync

        return self.manager is not None and bool(run_sync(self.manager.is_alive)())

    def fresh(self) -> None:
        """Empty the namespace and restore what a notebook may change (:mod:`.kernelstate`)."""
        import nbformat
        from nbclient import NotebookClient

        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(FRESH_CODE)])
        try:
            NotebookClient(
                nb, km=self.manager, kernel_name=self.kernel_name,
                timeout=self.start_timeout, startup_timeout=self.start_timeout,
            ).execute()  # fmt: skip
        finally:
            self.release_clients()

    def release_clients(self) -> None:
        """Close the clients opened on the kernel (each notebook run opens one)."""
        if self.manager is not None:
            _release_clients(self.manager)

    def close(self) -> None:
        """Shut the kernel down (nothing when it is not running)."""
        from jupyter_core.utils import run_sync

        if self.manager is None:
            return
        manager, self.manager = self.manager, None
        _release_clients(manager)
        with contextlib.suppress(Exception):
            run_sync(manager.shutdown_kernel)(now=True)
        with contextlib.suppress(Exception):
            run_sync(manager.cleanup_resources)()


def _release_clients(manager: Any) -> None:
    for client in manager.__dict__.pop("opened", []):
        with contextlib.suppress(Exception):
            client.stop_channels()


_current: SharedKernel | None = None
_closes_at_exit: int | None = None  # the process that registered the closing


def kernel_for(
    kernel_name: str, cwd: Path, env: dict[str, str], start_timeout: int
) -> SharedKernel:
    """This process's kernel for notebooks run with these settings, fresh for the next one:
    the one already running when the settings match and it is alive, else a new one."""
    global _current
    wanted = SharedKernel(kernel_name, cwd, env, start_timeout)
    if _current is not None and _current.pid != wanted.pid:
        _current = None  # the parent's, inherited by fork: the parent closes it
    if _current is not None and _current.key == wanted.key and _current.alive():
        _current.fresh()
        return _current
    close_kernel()
    wanted.start()
    _current = wanted
    _close_at_exit()
    return wanted


def close_kernel() -> None:
    """Shut this process's kernel down (after a failure, at the end of a publish, at exit)."""
    global _current
    if _current is not None:
        kernel, _current = _current, None
        kernel.close()


def _close_at_exit() -> None:
    """Close the kernel when this process ends: a pool's worker process runs
    multiprocessing's finalizers, not atexit's handlers; the main process runs both."""
    import atexit
    from multiprocessing import util

    global _closes_at_exit
    if _closes_at_exit != os.getpid():
        util.Finalize(None, close_kernel, exitpriority=10)
        atexit.register(close_kernel)
        _closes_at_exit = os.getpid()
