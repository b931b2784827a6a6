"""The file plumbing (xining_data.base.files): hashing, atomic writes, locks, folder swaps."""

from __future__ import annotations

import hashlib
import multiprocessing
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xining_data.base import files

# --------------------------------------------------------------------------- hashing

# text, its sha256 (from hashlib, by hand): the empty string, ASCII, Chinese (UTF-8 bytes).
KNOWN = [
    ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
    ("西宁", hashlib.sha256("西宁".encode()).hexdigest()),
]


@pytest.mark.parametrize(("text", "digest"), KNOWN)
def test_sha256_of_text_is_of_its_utf8_bytes(text, digest):
    assert files.sha256_text(text) == digest
    assert files.sha256_bytes(text.encode("utf-8")) == digest


@settings(max_examples=50, deadline=None)
@given(data=st.binary(max_size=1000), chunk=st.integers(1, 300), cut=st.integers(min_value=0))
def test_sha256_of_a_file_equals_that_of_its_bytes(tmp_path_factory, data, chunk, cut):
    """Whole, streamed in chunks of any size, or fed in two parts: one digest."""
    path = tmp_path_factory.mktemp("hash") / "data.bin"
    path.write_bytes(data)
    cut = cut % (len(data) + 1)
    expected = hashlib.sha256(data).hexdigest()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(files, "CHUNK", chunk)  # so that files span many chunks
        assert files.sha256_file(path) == files.sha256_bytes(data) == expected
    assert files.sha256_parts([data[:cut], data[cut:]]) == expected


def test_a_file_is_read_in_chunks(tmp_path):
    path = tmp_path / "big.bin"
    path.write_bytes(b"x" * (2 * files.CHUNK + 1))
    assert [len(c) for c in files.file_chunks(path)] == [files.CHUNK, files.CHUNK, 1]


# --------------------------------------------------------------------------- atomic writes


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


WRITES = [
    pytest.param(
        lambda p: files.write_text_atomic(p, "新的\r\n内容"), "新的\r\n内容".encode(), id="text"
    ),
    pytest.param(lambda p: files.write_bytes_atomic(p, b"\x00\xff"), b"\x00\xff", id="bytes"),
]


@pytest.mark.parametrize(("write", "expected"), WRITES)
def test_atomic_write_replaces_the_file_and_leaves_nothing_else(tmp_path, write, expected):
    path = tmp_path / "out" / "table.csv"  # the folder is made
    write(path)
    path.write_bytes(b"old")
    write(path)
    assert path.read_bytes() == expected  # as given: no newline translation
    assert leftovers(path.parent) == []
    assert path.stat().st_mode & 0o777 == files.FILE_MODE


@pytest.mark.parametrize("error", [ValueError, KeyboardInterrupt])
def test_a_failure_inside_atomic_path_keeps_the_old_file(tmp_path, error):
    path = tmp_path / "table.csv"
    path.write_text("old", "utf-8")
    with pytest.raises(error), files.atomic_path(path) as tmp:
        tmp.write_text("half", "utf-8")
        assert tmp.parent == path.parent and tmp != path
        raise error
    assert path.read_text("utf-8") == "old"
    assert leftovers(tmp_path) == []


def test_a_failure_before_any_file_exists_writes_nothing(tmp_path):
    path = tmp_path / "new.csv"
    with pytest.raises(RuntimeError), files.atomic_path(path):
        raise RuntimeError
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- locks


def _try_lock(path: str, answer) -> None:
    """In another process: take the lock without waiting; say whether it was held."""
    try:
        with files.file_lock(path, wait=False):
            answer.put("taken")
    except files.LockHeld as exc:
        answer.put(f"held: {exc}")


def other_process_tries(path: Path) -> str:
    context = multiprocessing.get_context("fork")
    answer = context.Queue()
    process = context.Process(target=_try_lock, args=(str(path), answer))
    process.start()
    process.join(30)
    return answer.get(timeout=5)


def test_a_held_lock_refuses_a_second_non_blocking_taker(tmp_path):
    lock = tmp_path / "locks" / ".data.lock"
    with files.file_lock(lock):
        said = other_process_tries(lock)
    assert said.startswith("held: ") and str(lock) in said
    assert other_process_tries(lock) == "taken", "released when the block ends"


def test_a_lock_is_released_when_the_block_fails(tmp_path):
    lock = tmp_path / ".lock"
    with pytest.raises(ValueError), files.file_lock(lock, wait=False):
        raise ValueError
    with files.file_lock(lock, wait=False):
        pass


# --------------------------------------------------------------------------- folder swap


def make_folder(path: Path, names: dict[str, str]) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    for name, text in names.items():
        (path / name).write_text(text, "utf-8")
    return path


def contents(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text("utf-8") for p in folder.iterdir()}


# what the target held before (None: no target), what the new folder holds
SWAPS = [
    pytest.param(None, {"a.txt": "new"}, id="no-old-folder"),
    pytest.param({"a.txt": "old", "gone.txt": "old"}, {"a.txt": "new"}, id="replaces-old"),
    pytest.param({"a.txt": "old"}, {}, id="empty-new-folder"),
]


@pytest.mark.parametrize(("old", "new"), SWAPS)
def test_swap_puts_the_new_folder_in_place_and_keeps_nothing_of_the_old(tmp_path, old, new):
    target = tmp_path / "site"
    if old is not None:
        make_folder(target, old)
    fresh = make_folder(files.new_folder_beside(target), new)
    files.swap_folder(fresh, target)
    assert contents(target) == new
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_failed_second_rename_puts_the_old_folder_back(tmp_path):
    target = make_folder(tmp_path / "site", {"a.txt": "old"})
    missing = tmp_path / "never-made"  # renaming it in fails
    with pytest.raises(FileNotFoundError):
        files.swap_folder(missing, target)
    assert contents(target) == {"a.txt": "old"}
    assert not files.old_folder(target).exists()


def test_folder_swapped_in_replaces_only_on_success(tmp_path):
    target = make_folder(tmp_path / "data", {"t.parquet": "old"})
    with pytest.raises(KeyboardInterrupt), files.folder_swapped_in(target) as tmp:
        (tmp / "t.parquet").write_text("half", "utf-8")
        raise KeyboardInterrupt
    assert contents(target) == {"t.parquet": "old"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]
    with files.folder_swapped_in(target) as tmp:
        (tmp / "t.parquet").write_text("new", "utf-8")
    assert contents(target) == {"t.parquet": "new"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]
    assert target.stat().st_mode & 0o777 == files.FOLDER_MODE


def test_recover_completes_an_interrupted_swap_and_clears_leftovers(tmp_path):
    target = tmp_path / "data"
    make_folder(files.old_folder(target), {"t.parquet": "previous"})  # killed between renames
    make_folder(tmp_path / ".data.tmp-killed", {"t.parquet": "half"})
    files.recover_folder(target)
    assert contents(target) == {"t.parquet": "previous"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]
    files.recover_folder(target)  # nothing to do: nothing changes
    assert contents(target) == {"t.parquet": "previous"}


# Every state a swap can be killed in: (the target, the set-aside old folder, a temporary
# folder) as left by the kill (None: absent), and what the target holds after recovery.
KILLED_SWAPS = [
    pytest.param("old", None, "half", "old", id="while-filling-the-new-folder"),
    pytest.param(None, "old", "new", "old", id="between-the-two-renames"),
    pytest.param("new", "old", None, "new", id="after-the-second-rename"),
    pytest.param("new", "stale-half-removed", None, "new", id="while-removing-the-old-folder"),
    pytest.param(None, None, "half", None, id="first-run-killed"),
]


@pytest.mark.parametrize(("target", "old", "tmp", "expected"), KILLED_SWAPS)
def test_recover_finishes_every_killed_swap(tmp_path, target, old, tmp, expected):
    path = tmp_path / "site"
    for folder, text in ((path, target), (files.old_folder(path), old)):
        if text is not None:
            make_folder(folder, {"page.html": text})
    if tmp is not None:
        make_folder(tmp_path / ".site.tmp-k1ll3d", {"page.html": tmp})
    files.recover_folder(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ([] if expected is None else ["site"])
    if expected is not None:
        assert contents(path) == {"page.html": expected}


def _swap_then_die(target: str, fresh: str, renames_before_death: int) -> None:
    """In a child: swap ``fresh`` in for ``target``, dying (as kill -9 would: no cleanup) just
    before rename number ``renames_before_death + 1``."""
    import os

    real_rename, done = os.rename, []

    def rename(src, dst):
        if len(done) == renames_before_death:
            os._exit(9)
        done.append(src)
        real_rename(src, dst)

    os.rename = rename
    files.swap_folder(Path(fresh), Path(target))
    os._exit(0)


@pytest.mark.parametrize(("renames", "expected"), [(0, "old"), (1, "old"), (2, "new")])
def test_a_process_killed_during_a_swap_is_recovered(tmp_path, renames, expected):
    target = make_folder(tmp_path / "data", {"t.parquet": "old"})
    fresh = make_folder(files.new_folder_beside(target), {"t.parquet": "new"})
    child = multiprocessing.get_context("fork").Process(
        target=_swap_then_die, args=(str(target), str(fresh), renames)
    )
    child.start()
    child.join()
    assert child.exitcode == (9 if renames < 2 else 0)
    files.recover_folder(target)
    assert contents(target) == {"t.parquet": expected}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]


# file names in a folder, those left after removing stale temporary files
STALE_FILES = [
    pytest.param([".t.parquet.ab12.tmp", "t.parquet"], ["t.parquet"], id="atomic-write-leftover"),
    pytest.param(["notes.tmp", ".keep"], [".keep", "notes.tmp"], id="not-ours"),
    pytest.param([], [], id="empty"),
]


@pytest.mark.parametrize(("names", "kept"), STALE_FILES)
def test_stale_temporary_files_are_removed(tmp_path, names, kept):
    make_folder(tmp_path, {name: "x" for name in names})
    files.remove_stale_files(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == kept


def _write_then_die(path: str) -> None:
    import os

    with files.atomic_path(path) as tmp:
        tmp.write_text("half", "utf-8")
        os._exit(9)  # killed mid-write: the temporary file stays


def test_the_file_a_write_killed_midway_leaves_is_removed(tmp_path):
    (tmp_path / "t.parquet").write_text("old", "utf-8")
    child = multiprocessing.get_context("fork").Process(
        target=_write_then_die, args=(str(tmp_path / "t.parquet"),)
    )
    child.start()
    child.join()
    [leftover] = [p for p in tmp_path.iterdir() if p.name != "t.parquet"]
    assert files.remove_stale_files(tmp_path) == [leftover]
    assert contents(tmp_path) == {"t.parquet": "old"}


def test_importing_the_module_needs_no_posix_only_module():
    """fcntl is imported by the lock only, so the rest works where fcntl does not exist."""
    source = Path(files.__file__).read_text("utf-8")
    top = [line for line in source.splitlines() if line.startswith(("import ", "from "))]
    assert not [line for line in top if "fcntl" in line]
