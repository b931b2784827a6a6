"""Publishing: run every story notebook in Chinese and English and export self-contained HTML.

``python -m xining_data publish [--reports DIR] [--force]`` (``make publish``) executes
each ``notebooks/<name>.py`` (jupytext percent format, the source of truth; the
paired ``.ipynb`` is committed without outputs) once per language with papermill,
exports it with nbconvert and the house template (``templates/story/``), and
writes ``site/<name>.<language>.html``, ``site/index.html`` and a copy of the
figure kit in ``site/figures/``.

What a story notebook must follow (parameters, ``story_meta``, cell tags) is in
:mod:`xining_data.stories.storymeta`; rendering one page is :mod:`xining_data.publish.pages`;
the pages load nothing (:mod:`xining_data.publish.selfcontained`); the index and kit
copy are :mod:`xining_data.publish.siteindex`. This module decides what to render and
puts the result in place.

Incremental and atomic
    ``build/publish-state.json`` records, per page, the sha256 of its inputs (the
    notebook, every file of the ``xining_data`` package including the templates,
    every file in the reports folder); a run with nothing changed does nothing.
    Pages are rendered into ``site.tmp-*`` next to ``site/`` and swapped in only
    when every notebook succeeded; a failure leaves the previous site as it was
    and names the notebook and the failing cell. The modules this one imports at
    the top use only the standard library there, so the no-op path is fast.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xining_data.base.paths import (
    BUILD_DIR,
    FIGURES_DIR,
    NOTEBOOKS_DIR,
    PACKAGE_DIR,
    SITE_DIR,
    reports_dir,
)
from xining_data.publish.kit import MANIFEST_NAME
from xining_data.publish.pages import (
    EXECUTION_TIMEOUT,
    TEMPLATE_DIR,
    PageJob,
    PublishError,
    pick_kernel,
    render_page,
)
from xining_data.publish.selfcontained import FONT_FAMILY, embed_font, external_resources
from xining_data.publish.siteindex import copy_figures, write_index
from xining_data.stories.editions import LANGUAGES, THEME_LABELS
from xining_data.stories.storymeta import STORY_MIME, story_meta

STATE_NAME = "publish-state.json"
# Bump when the page format changes, so every page is rendered again.
RENDER_VERSION = 1
_SKIP_DIRS = {"__pycache__", ".ipynb_checkpoints"}


@dataclass(frozen=True)
class PublishResult:
    rendered: tuple[str, ...]  # page files rendered in this run
    unchanged: tuple[str, ...]  # page files kept from the previous run
    changed: bool  # whether site/ was replaced
    seconds: float


def publish(
    notebooks_dir: str | Path = NOTEBOOKS_DIR,
    site_dir: str | Path = SITE_DIR,
    figures_dir: str | Path = FIGURES_DIR,
    reports: str | Path | None = None,
    force: bool = False,
    *,
    build_dir: str | Path = BUILD_DIR,
    library_dir: str | Path | None = None,
    languages: Iterable[str] = LANGUAGES,
    kernel_name: str | None = None,
    timeout: int = EXECUTION_TIMEOUT,
    jobs: int | None = None,
    log: Callable[[str], None] | None = None,
) -> PublishResult:
    """Render every notebook that changed, then swap the new site in; see the module doc."""
    started = time.perf_counter()
    say = log or (lambda _msg: None)
    library_dir = PACKAGE_DIR if library_dir is None else library_dir
    notebooks_dir, site_dir, figures_dir, build_dir, library_dir = (
        Path(p).resolve() for p in (notebooks_dir, site_dir, figures_dir, build_dir, library_dir)
    )
    languages = tuple(languages)
    folder = Path(reports).resolve() if reports is not None else reports_dir()
    if not folder.is_dir():
        raise PublishError(f"{folder}: no such folder of reports")
    if not notebooks_dir.is_dir():
        raise PublishError(f"{notebooks_dir}: no such notebooks folder")
    build_dir.mkdir(parents=True, exist_ok=True)

    with _lock(build_dir / "publish.lock"):
        state = _load_state(build_dir)
        hasher = _Hasher(state.get("files", {}))
        inputs = [*_tree(library_dir), *_tree(TEMPLATE_DIR), *_tree(folder)]
        common = hasher.digest(inputs)
        notebooks = story_notebooks(notebooks_dir)

        old_pages: dict[str, Any] = state.get("pages", {})
        plan: dict[str, tuple[Path, str, str]] = {}  # page -> (notebook, language, digest)
        for notebook in notebooks:
            nb_sha = hasher.sha(notebook)
            for language in languages:
                page = f"{notebook.stem}.{language}.html"
                key = [RENDER_VERSION, common, nb_sha, language, languages, str(folder)]
                plan[page] = (notebook, language, _sha_text(json.dumps(key)))
        dirty = [
            page
            for page, (_nb, _lang, digest) in plan.items()
            if force
            or old_pages.get(page, {}).get("digest") != digest
            or not (site_dir / page).is_file()
        ]
        stale = sorted(set(old_pages) - set(plan))
        figures_digest = _figures_digest(figures_dir, hasher)
        pages = {page: old_pages[page] for page in plan if page not in dirty}
        index_digest = _index_digest(common, figures_digest, pages) if not dirty else None
        if (
            not dirty
            and not stale
            and state.get("index") == index_digest
            and (site_dir / "index.html").is_file()
        ):
            if hasher.changed:
                _save_state(build_dir, {**state, "files": hasher.seen()})
            return PublishResult((), tuple(plan), False, time.perf_counter() - started)

        kernel = pick_kernel(kernel_name) if dirty else ""
        site_dir.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f"{site_dir.name}.tmp-", dir=site_dir.parent))
        tmp.chmod(0o755)
        try:
            if site_dir.is_dir():
                shutil.copytree(site_dir, tmp, dirs_exist_ok=True, symlinks=True)
                tmp.chmod(0o755)
            for page in stale:
                (tmp / page).unlink(missing_ok=True)
            todo = [
                PageJob(
                    notebook=plan[page][0],
                    language=plan[page][1],
                    page=page,
                    languages=languages,
                    reports=str(folder) if reports is not None else None,
                    figures_dir=figures_dir,
                    build_dir=build_dir,
                    out_dir=tmp,
                    kernel_name=kernel,
                    timeout=timeout,
                )
                for page in dirty
            ]
            for page, meta, seconds in _run(todo, jobs):
                pages[page] = {"digest": plan[page][2], "story": meta}
                say(f"rendered {page} in {seconds:.1f} s")
            pages = {page: pages[page] for page in plan}  # plan order
            figures_digest = _figures_digest(figures_dir, hasher)
            copy_figures(figures_dir, tmp / "figures")
            write_index(tmp, pages, figures_dir, build_dir)
            _swap(tmp, site_dir)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        state = {
            "version": RENDER_VERSION,
            "files": hasher.seen(),
            "pages": pages,
            "index": _index_digest(common, figures_digest, pages),
        }
        _save_state(build_dir, state)
        unchanged = tuple(p for p in plan if p not in dirty)
        return PublishResult(tuple(dirty), unchanged, True, time.perf_counter() - started)


def story_notebooks(folder: Path) -> list[Path]:
    """The story notebooks: jupytext percent-format ``.py`` files, in name order."""
    found = []
    for path in sorted(folder.glob("*.py")):
        if path.name.startswith(("_", ".")):
            continue
        with open(path, encoding="utf-8") as f:
            if any(line.startswith("# %%") for line in f):
                found.append(path)
    return found


def _run(todo: list[PageJob], jobs: int | None) -> Iterator[tuple[str, dict[str, Any], float]]:
    """Render the pages, two at a time on a multi-core machine; stop at the first failure."""
    workers = jobs if jobs is not None else min(2, os.cpu_count() or 1)
    workers = max(1, min(workers, len(todo)))
    if workers == 1 or sys.platform == "win32":
        for job in todo:
            yield render_page(job)
        return
    import concurrent.futures as cf
    import multiprocessing

    context = multiprocessing.get_context("fork")
    with cf.ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = [pool.submit(render_page, job) for job in todo]
        try:
            for future in futures:  # in plan order, so the first failure reported is stable
                yield future.result()
        except BaseException:
            for future in futures:
                future.cancel()
            raise


def _swap(tmp: Path, site: Path) -> None:
    """Put the new site in place of the old one; the old one stays if the swap fails."""
    if not site.exists():
        os.replace(tmp, site)
        return
    old = site.with_name(f"{site.name}.old-{os.getpid()}-{time.time_ns()}")
    os.replace(site, old)
    try:
        os.replace(tmp, site)
    except BaseException:
        os.replace(old, site)
        raise
    shutil.rmtree(old, ignore_errors=True)


# --------------------------------------------------------------------------- state and hashing


class _Hasher:
    """sha256 of files, trusting a cached digest while size, mtime, ctime and inode are unchanged."""

    def __init__(self, cache: dict[str, list[Any]]) -> None:
        self.cache = dict(cache)
        self.used: set[str] = set()
        self.changed = False

    def seen(self) -> dict[str, list[Any]]:
        """The cache entries of the files hashed in this run (forgets deleted files)."""
        return {key: self.cache[key] for key in sorted(self.used)}

    def sha(self, path: Path) -> str:
        st = path.stat()
        stamp = [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]
        key = str(path)
        self.used.add(key)
        cached = self.cache.get(key)
        if cached and cached[:4] == stamp:
            return cached[4]
        digest = hashlib.sha256()
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
        self.cache[key] = [*stamp, digest.hexdigest()]
        self.changed = True
        return digest.hexdigest()

    def digest(self, paths: Iterable[Path]) -> str:
        lines = sorted(f"{p}\t{self.sha(p)}" for p in set(paths))
        return _sha_text("\n".join(lines))


def _tree(root: Path) -> Iterator[Path]:
    """Every file under a folder, without caches, hidden files and compiled Python."""
    if root.is_file():
        yield root
        return
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in _SKIP_DIRS and not d.startswith(".")]
        dirs[:] = [d for d in dirs if not d.endswith(".egg-info")]
        for name in files:
            if not name.startswith(".") and not name.endswith((".pyc", ".pyo")):
                yield Path(folder) / name


def _figures_digest(figures_dir: Path, hasher: _Hasher) -> str:
    manifest = figures_dir / MANIFEST_NAME
    return hasher.sha(manifest) if manifest.is_file() else "no-manifest"


def _index_digest(common: str, figures: str, pages: dict[str, Any]) -> str:
    return _sha_text(json.dumps([RENDER_VERSION, common, figures, pages], sort_keys=True))


def _sha_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _load_state(build_dir: Path) -> dict[str, Any]:
    path = build_dir / STATE_NAME
    try:
        state = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return state if state.get("version") == RENDER_VERSION else {}


def _save_state(build_dir: Path, state: dict[str, Any]) -> None:
    path = build_dir / STATE_NAME
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(state, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)


@contextlib.contextmanager
def _lock(path: Path) -> Iterator[None]:
    """One publish at a time per build folder."""
    import fcntl

    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# --------------------------------------------------------------------------- command line


def main_publish(argv: list[str] | None = None) -> int:
    """``python -m xining_data publish``: 0 when published (or nothing to do), 1 on failure."""
    ap = argparse.ArgumentParser(
        prog="python -m xining_data publish",
        description="Execute the story notebooks and publish the HTML stories and figure kit.",
    )
    ap.add_argument("--reports", metavar="DIR", help="folder of raw reports (default: bundled)")
    ap.add_argument("--force", action="store_true", help="render every page again")
    ap.add_argument("--notebooks", metavar="DIR", default=str(NOTEBOOKS_DIR))
    ap.add_argument("--site", metavar="DIR", default=str(SITE_DIR), help="output folder")
    ap.add_argument("--figures", metavar="DIR", default=str(FIGURES_DIR), help="figure kit")
    ap.add_argument("--build", metavar="DIR", default=str(BUILD_DIR), help="state and logs")
    ap.add_argument(
        "--language",
        action="append",
        choices=LANGUAGES,
        help="publish only this edition (repeatable; default: all)",
    )
    ap.add_argument("--jobs", type=int, default=None, help="notebooks run at once (default 2)")
    ap.add_argument("--timeout", type=int, default=EXECUTION_TIMEOUT, help="seconds per cell")
    ap.add_argument("--quiet", "-q", action="store_true", help="print only errors")
    args = ap.parse_args(argv)

    def say(message: str) -> None:
        if not args.quiet:
            print(f"xining-data: {message}", file=sys.stderr, flush=True)

    try:
        result = publish(
            args.notebooks,
            args.site,
            args.figures,
            reports=args.reports,
            force=args.force,
            build_dir=args.build,
            languages=tuple(args.language or LANGUAGES),
            jobs=args.jobs,
            timeout=args.timeout,
            log=say,
        )
    except PublishError as exc:
        print(f"xining-data: publish failed: {exc}", file=sys.stderr)
        return 1
    if result.changed:
        say(
            f"published {len(result.rendered)} page(s), kept {len(result.unchanged)},"
            f" in {result.seconds:.1f} s: {Path(args.site) / 'index.html'}"
        )
    else:
        say(f"nothing changed ({result.seconds:.2f} s): {Path(args.site) / 'index.html'}")
    return 0


__all__ = [
    "FONT_FAMILY",
    "LANGUAGES",
    "STORY_MIME",
    "THEME_LABELS",
    "PublishError",
    "PublishResult",
    "embed_font",
    "external_resources",
    "main_publish",
    "publish",
    "story_meta",
    "story_notebooks",
]
