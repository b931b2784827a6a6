"""File plumbing every stage shares: hashing, atomic writes, locks, swapping a folder in.

Each is written once here so that every caller gets the careful version: a
reader never sees a half-written file (a temporary file beside the target,
renamed over it), an interrupted write leaves no temporary file behind, a
second process waits for (or is refused) a lock instead of racing, and a
finished folder replaces the old one in two renames that can be undone.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

CHUNK = 1 << 20  # bytes read at a time when hashing a file
FILE_MODE = 0o644  # a written file is readable by all, as a plain write under the usual umask
FOLDER_MODE = 0o755


# --- hashing -------------------------------------------------------------------------------


def sha256_parts(parts: Iterable[bytes]) -> str:
    """sha256 (hex) of the concatenation of ``parts``, fed one at a time."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part)
    return digest.hexdigest()


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_text(text: str) -> str:
    """sha256 of the text's UTF-8 bytes."""
    return sha256_bytes(text.encode("utf-8"))


def file_chunks(path: str | Path) -> Iterator[bytes]:
    """The file's bytes, CHUNK at a time (so a large file is never held whole)."""
    with open(path, "rb") as f:
        yield from iter(lambda: f.read(CHUNK), b"")


def sha256_file(path: str | Path) -> str:
    return sha256_parts(file_chunks(path))


# --- atomic writes -------------------------------------------------------------------------


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """A temporary path beside ``path`` that replaces it only if the block succeeds.

    Write the temporary file inside the block (any writer that takes a path);
    on success it is renamed over ``path`` with :func:`os.replace`; on any
    failure it is removed and ``path`` keeps its old content.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        tmp.chmod(FILE_MODE)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_bytes_atomic(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that a reader sees the old file or the new, never half."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


def write_text_atomic(path: str | Path, text: str) -> None:
    """Write ``text`` as UTF-8, unchanged (no newline translation), atomically."""
    write_bytes_atomic(path, text.encode("utf-8"))


# --- locks ---------------------------------------------------------------------------------


class LockHeld(RuntimeError):
    """Another process holds the lock that was asked for without waiting."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(f"{path} is locked by another process")


@contextlib.contextmanager
def file_lock(path: str | Path, *, wait: bool = True) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (created if missing) for the block.

    ``wait=False`` raises :class:`LockHeld` at once when another process holds it.
    The lock is released when the block ends, and by the system if the process dies.
    """
    import fcntl  # POSIX only: imported here so that importing this module works anywhere

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            raise LockHeld(path) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# --- swapping a folder into place ----------------------------------------------------------


def old_folder(target: Path) -> Path:
    """Where the previous ``target`` waits while a new one is swapped in."""
    return target.with_name(f".{target.name}.old")


def recover_folder(target: Path) -> None:
    """Finish what an interrupted swap left (call it while holding the target's lock).

    A run killed between the two renames of :func:`swap_folder` left ``target``
    missing and the previous folder aside: it is put back. A run killed while
    filling its temporary folder, or after the second rename, left a
    ``.<name>.tmp-*`` or ``.<name>.old`` folder: they are removed.
    """
    old = old_folder(target)
    if old.is_dir() and not target.exists():
        os.rename(old, target)
    for stale in target.parent.glob(f".{target.name}.tmp-*"):
        shutil.rmtree(stale, ignore_errors=True)
    shutil.rmtree(old, ignore_errors=True)


def remove_stale_files(folder: Path) -> list[Path]:
    """Remove the temporary files :func:`atomic_path` leaves in ``folder`` when its process is
    killed mid-write (``.<name>.<random>.tmp``); return them. Call it while holding the lock
    of whatever writes there, so that no live writer's file is taken."""
    removed = []
    for stale in folder.glob(".*.tmp") if folder.is_dir() else ():
        if stale.is_file() or stale.is_symlink():
            stale.unlink(missing_ok=True)
            removed.append(stale)
    return removed


def new_folder_beside(target: Path) -> Path:
    """An empty temporary folder next to ``target`` (same file system, so it can be renamed)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
    tmp.chmod(FOLDER_MODE)
    return tmp


def swap_folder(new: Path, target: Path) -> None:
    """Put the finished folder ``new`` in place of ``target``, keeping nothing of the old one.

    Two renames: ``target`` aside, ``new`` in. If the second fails the old
    folder is put back; if the process dies between them,
    :func:`recover_folder` puts it back on the next run.
    """
    old = old_folder(target)
    if target.exists():
        shutil.rmtree(old, ignore_errors=True)  # left by an earlier run; ``target`` is current
        os.rename(target, old)
        try:
            os.rename(new, target)
        except BaseException:
            os.rename(old, target)
            raise
    else:
        os.rename(new, target)
    shutil.rmtree(old, ignore_errors=True)


@contextlib.contextmanager
def folder_swapped_in(target: Path) -> Iterator[Path]:
    """A temporary folder to fill; swapped in for ``target`` if the block succeeds, else removed."""
    tmp = new_folder_beside(target)
    try:
        yield tmp
        swap_folder(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
