"""Publishing: run every story notebook in Chinese and English and export self-contained HTML.

``python -m xining_data publish [--reports DIR] [--force]`` (``make publish``) executes
each ``notebooks/<name>.py`` (jupytext percent format, the source of truth; the
paired ``.ipynb`` is committed without outputs) once per language with papermill,
exports it with nbconvert and the house template (``templates/story/``), and
writes ``site/<name>.<language>.html``, ``site/index.html`` and a copy of the
figure kit in ``site/figures/``. Two worker processes render the pages, each running its
notebooks in one kernel it keeps, made fresh between notebooks (:mod:`.kernel`); the CJK
font is cut once per publish to every character the pages can show, and each page's and
chart's subset is cut from that (:mod:`.fontbase`).

What a story notebook must follow (parameters, ``story_meta``, cell tags) is in
:mod:`xining_data.stories.storymeta`; rendering one page is :mod:`xining_data.publish.pages`;
the pages load nothing (:mod:`xining_data.publish.selfcontained`); the index and kit
copy are :mod:`xining_data.publish.siteindex`. This module decides what to render and
puts the result in place.

Incremental and atomic
    ``build/publish-state.json`` records, per page, the sha256 of its inputs (the
    notebook, every file of the ``xining_data`` package including the templates,
    every file in the reports folder); a run with nothing changed does nothing.
    Pages are rendered into ``.site.tmp-*`` next to ``site/``, and the notebooks
    write their charts into a fresh kit ``.figures.tmp-*`` next to ``figures/``
    (a copy of the current kit, or one without charts when every page is
    rendered again, so a kit never mixes two corpora); both are swapped in only
    when every notebook succeeded; a failure leaves the previous site and kit as
    they were and names the notebook and the failing cell. A publish killed
    half-way is finished by the next one: a folder left aside between two
    renames is put back and temporary folders and files are removed. A chart that shows what
    it showed before is not drawn again: its files come from ``<build>/chart-cache``
    (:mod:`.chartcache`), and the result counts the charts drawn and reused. The modules this one imports at
    the top use only the standard library there, so the no-op path is fast.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from xining_data.base.errors import ReportError
from xining_data.base.files import (
    FOLDER_MODE,
    file_lock,
    folder_swapped_in,
    recover_folder,
    remove_stale_files,
    sha256_file,
    sha256_text,
    write_text_atomic,
)
from xining_data.base.paths import (
    BUILD_DIR,
    FIGURES_DIR,
    NOTEBOOKS_DIR,
    PACKAGE_DIR,
    SITE_DIR,
    chart_cache_dir,
    reports_dir,
    tables_dir,
)
from xining_data.publish.chartcache import Tally, prune, read_tally, start_tally
from xining_data.publish.fontbase import BASE_ENV
from xining_data.publish.kernel import close_kernel, environ
from xining_data.publish.kit import MANIFEST_NAME, load_manifest
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
    charts: Tally = field(default_factory=Tally)  # charts drawn, and reused from the chart cache


@dataclass(frozen=True)
class PublishOptions:
    """How to publish, besides the notebooks, site and figure kit folders."""

    reports: str | Path | None = None  # folder of reports; None: the notebooks' default
    force: bool = False  # render every page again
    build_dir: str | Path = BUILD_DIR  # state, executed notebooks, font cache
    library_dir: str | Path | None = None  # whose files decide what is stale; None: the package
    languages: tuple[str, ...] = LANGUAGES
    kernel_name: str | None = None  # None: the project's kernel if installed, else python3
    timeout: int = EXECUTION_TIMEOUT  # seconds per cell
    jobs: int | None = None  # notebooks run at once; None: two on a multi-core machine
    log: Callable[[str], None] | None = None  # told each page rendered


@dataclass(frozen=True)
class _Folders:
    """Every folder of one publish, absolute."""

    notebooks: Path
    site: Path
    figures: Path
    build: Path
    library: Path
    reports: Path

    @classmethod
    def resolve(
        cls, notebooks: str | Path, site: str | Path, figures: str | Path, options: PublishOptions
    ) -> _Folders:
        """The folders made absolute; missing reports or notebooks are a PublishError."""
        library = PACKAGE_DIR if options.library_dir is None else options.library_dir
        reports = Path(options.reports).resolve() if options.reports is not None else reports_dir()
        found = cls(
            *(Path(p).resolve() for p in (notebooks, site, figures, options.build_dir, library)),
            reports,
        )
        if not found.reports.is_dir():
            raise PublishError(f"{found.reports}: no such folder of reports")
        if not found.notebooks.is_dir():
            raise PublishError(f"{found.notebooks}: no such notebooks folder")
        return found


class PlannedPage(NamedTuple):
    """One page the site holds: a notebook in one language, and the digest of its inputs."""

    notebook: Path
    language: str
    digest: str


def publish(
    notebooks_dir: str | Path = NOTEBOOKS_DIR,
    site_dir: str | Path = SITE_DIR,
    figures_dir: str | Path = FIGURES_DIR,
    options: PublishOptions | None = None,
) -> PublishResult:
    """Render every notebook that changed, then swap the new site in; see the module doc."""
    started = time.perf_counter()
    options = options or PublishOptions()
    folders = _Folders.resolve(notebooks_dir, site_dir, figures_dir, options)
    folders.build.mkdir(parents=True, exist_ok=True)
    with file_lock(folders.build / "publish.lock"):
        _recover(folders)
        _build_tables(folders, options)
        state = _load_state(folders.build)
        hasher = _Hasher(state.get("files", {}))
        common = hasher.digest(
            [*_tree(folders.library), *_tree(TEMPLATE_DIR), *_tree(folders.reports)]
        )
        plan = _plan(folders, tuple(options.languages), common, hasher)
        old_pages: dict[str, Any] = state.get("pages", {})
        dirty = _dirty(plan, old_pages, folders.site, options.force)
        stale = sorted(set(old_pages) - set(plan))
        pages = {page: old_pages[page] for page in plan if page not in dirty}
        figures_digest = _figures_digest(folders.figures, hasher)
        if (
            not dirty
            and not stale
            and _index_is_current(state, folders.site, _index_digest(common, figures_digest, pages))
        ):
            if hasher.changed:
                _save_state(folders.build, {**state, "files": hasher.seen()})
            return PublishResult((), tuple(plan), False, time.perf_counter() - started)
        charts = chart_cache_dir(folders.build)
        charts.mkdir(exist_ok=True)
        start_tally(charts)
        pages = _render_site(folders, options, plan, dirty, stale, pages)
        tally = read_tally(charts)
        prune(charts)
        figures_digest = _figures_digest(folders.figures, hasher)  # the notebooks rewrote the kit
        _save_state(
            folders.build,
            {
                "version": RENDER_VERSION,
                "files": hasher.seen(),
                "pages": pages,
                "index": _index_digest(common, figures_digest, pages),
            },
        )
    unchanged = tuple(p for p in plan if p not in dirty)
    return PublishResult(tuple(dirty), unchanged, True, time.perf_counter() - started, tally)


def _recover(folders: _Folders) -> None:
    """Finish what a killed publish left: site and kit back in place, no temporary leftovers."""
    recover_folder(folders.site)
    recover_folder(folders.figures)
    remove_stale_files(folders.build)
    for leftover in (folders.build / "executed").glob("*.input.ipynb"):
        leftover.unlink(missing_ok=True)


def tables_of(folders: _Folders, options: PublishOptions) -> Path:
    """Where the notebooks read the reports' tables: under the publish's build folder."""
    return tables_dir(folders.reports if options.reports is not None else None, folders.build)


def _build_tables(folders: _Folders, options: PublishOptions) -> None:
    """Bring the reports' tables up to date before any notebook reads them (bad files go to
    the errors table; a folder with no report at all is one line)."""
    from xining_data.corpus.build import BuildError, BuildOptions, build

    try:
        build(folders.reports, tables_of(folders, options), BuildOptions(progress=False, wait=True))
    except (ReportError, BuildError) as exc:
        raise PublishError(f"cannot build the tables: {exc}") from None


def _plan(
    folders: _Folders, languages: tuple[str, ...], common: str, hasher: _Hasher
) -> dict[str, PlannedPage]:
    """Every page the site should hold, by file name, in notebook then language order."""
    plan = {}
    for notebook in story_notebooks(folders.notebooks):
        nb_sha = hasher.sha(notebook)
        for language in languages:
            page = page_name(notebook, language)
            key = [RENDER_VERSION, common, nb_sha, language, languages, str(folders.reports)]
            plan[page] = PlannedPage(notebook, language, sha256_text(json.dumps(key)))
    return plan


def _dirty(
    plan: dict[str, PlannedPage], old_pages: dict[str, Any], site: Path, force: bool
) -> list[str]:
    """The pages to render: forced, inputs changed since the last run, or missing from the site."""
    return [
        page
        for page, planned in plan.items()
        if force
        or old_pages.get(page, {}).get("digest") != planned.digest
        or not (site / page).is_file()
    ]


def _index_is_current(state: dict[str, Any], site: Path, index_digest: str) -> bool:
    return state.get("index") == index_digest and (site / "index.html").is_file()


def _render_site(
    folders: _Folders,
    options: PublishOptions,
    plan: dict[str, PlannedPage],
    dirty: list[str],
    stale: list[str],
    pages: dict[str, Any],
) -> dict[str, Any]:
    """A new site (the old one, its stale pages dropped and dirty ones rendered, the kit and
    index), swapped in only when every page rendered; the pages' state in plan order."""
    say = options.log or (lambda _msg: None)
    kernel = pick_kernel(options.kernel_name) if dirty else ""
    base = _font_base(folders, options) if dirty else None
    font = {BASE_ENV: str(base)} if base is not None else {}
    # Leaving the block swaps the site in, then the kit; a failure removes both new folders.
    with (
        environ(font),  # the workers, their kernels and the index cut fonts from the base
        folder_swapped_in(folders.figures) as kit,
        folder_swapped_in(folders.site) as tmp,
    ):
        _copy_folder(folders.site, tmp)
        _copy_folder(folders.figures, kit)
        if len(dirty) == len(plan):  # every chart is drawn again: none of the old ones stays
            _drop_charts(kit)
        for page in stale:
            (tmp / page).unlink(missing_ok=True)
        todo = [_page_job(plan[page], folders, options, tmp, kit, kernel) for page in dirty]
        pages = dict(pages)
        for page, meta, seconds in _run(todo, options.jobs):
            pages[page] = {"digest": plan[page].digest, "story": meta}
            say(f"rendered {page} in {seconds:.1f} s")
        pages = {page: pages[page] for page in plan}  # plan order
        copy_figures(kit, tmp / "figures")
        write_index(tmp, pages, kit, folders.build)
    return pages


def _font_base(folders: _Folders, options: PublishOptions) -> Path | None:
    """The house font cut once to every character the pages and charts can show
    (publish.fontbase), kept in the build folder for the next publish; None when it cannot
    be cut (the font missing, say): each subset is then cut from the house font, and a page
    that cannot be is the page's one-line error."""
    from xining_data.publish.fontbase import table_characters, text_characters, write_base

    files = [*_tree(PACKAGE_DIR), *_tree(folders.library), *_tree(folders.notebooks)]
    try:
        characters = text_characters(files) | table_characters(tables_of(folders, options))
        return write_base(characters, folders.build / "fonts")
    except Exception:  # an optimisation only: never the reason a publish fails
        return None


def _copy_folder(source: Path, target: Path) -> None:
    """Start a new folder as a copy of the current one (if any)."""
    if source.is_dir():
        shutil.copytree(source, target, dirs_exist_ok=True, symlinks=True)
        target.chmod(FOLDER_MODE)


def _drop_charts(kit: Path) -> None:
    """Remove every chart the kit's manifest lists, and the manifest; other files (the kit's
    README) stay."""
    manifest = load_manifest(kit)
    for chart in [*manifest.get("charts", []), *manifest.get("tables", [])]:
        for record in chart.get("files", []):
            (kit / record["path"]).unlink(missing_ok=True)
    (kit / MANIFEST_NAME).unlink(missing_ok=True)
    for folder in sorted((p for p in kit.rglob("*") if p.is_dir()), reverse=True):
        with contextlib.suppress(OSError):
            folder.rmdir()  # only the empty ones


def page_name(notebook: Path, language: str) -> str:
    """The file of one edition of a story in the site: ``water.zh.html``."""
    return f"{notebook.stem}.{language}.html"


def _page_job(
    planned: PlannedPage,
    folders: _Folders,
    options: PublishOptions,
    out_dir: Path,
    kit: Path,
    kernel: str,
) -> PageJob:
    return PageJob(
        notebook=planned.notebook,
        language=planned.language,
        page=page_name(planned.notebook, planned.language),
        languages=tuple(options.languages),
        reports=str(folders.reports) if options.reports is not None else None,
        figures_dir=kit,
        build_dir=folders.build,
        out_dir=out_dir,
        kernel_name=kernel,
        timeout=options.timeout,
        tables_dir=tables_of(folders, options),
    )


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
    """Render the pages, two at a time on a multi-core machine, each worker running its
    notebooks in one kernel it keeps (publish.kernel); stop at the first failure."""
    workers = jobs if jobs is not None else min(2, os.cpu_count() or 1)
    workers = max(1, min(workers, len(todo)))
    if workers == 1 or sys.platform == "win32":
        try:  # one kernel runs every notebook, made fresh before each (publish.kernel)
            for job in todo:
                yield render_page(job)
        finally:
            close_kernel()
        return
    import concurrent.futures as cf
    import multiprocessing
    from functools import partial

    from xining_data.base.orphans import die_with_parent
    from xining_data.publish.pages import preload

    preload()  # imported once here, the forked workers share them
    context = multiprocessing.get_context("fork")
    # A publish killed with kill -9 takes its page workers with it.
    watch = partial(die_with_parent, os.getpid())
    with cf.ProcessPoolExecutor(workers, mp_context=context, initializer=watch) as pool:
        futures = [pool.submit(render_page, job) for job in todo]
        try:
            for future in futures:  # in plan order, so the first failure reported is stable
                yield future.result()
        except BaseException:
            for future in futures:
                future.cancel()
            raise


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
        digest = sha256_file(path)
        self.cache[key] = [*stamp, digest]
        self.changed = True
        return digest

    def digest(self, paths: Iterable[Path]) -> str:
        lines = sorted(f"{p}\t{self.sha(p)}" for p in set(paths))
        return sha256_text("\n".join(lines))


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
    return sha256_text(json.dumps([RENDER_VERSION, common, figures, pages], sort_keys=True))


def _load_state(build_dir: Path) -> dict[str, Any]:
    path = build_dir / STATE_NAME
    try:
        state = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return state if state.get("version") == RENDER_VERSION else {}


def _save_state(build_dir: Path, state: dict[str, Any]) -> None:
    write_text_atomic(build_dir / STATE_NAME, json.dumps(state, ensure_ascii=False, indent=1))


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
        options = PublishOptions(
            reports=args.reports,
            force=args.force,
            build_dir=args.build,
            languages=tuple(args.language or LANGUAGES),
            jobs=args.jobs,
            timeout=args.timeout,
            log=say,
        )
        result = publish(args.notebooks, args.site, args.figures, options)
    except PublishError as exc:
        print(f"xining-data: publish failed: {exc}", file=sys.stderr)
        return 1
    if result.changed:
        say(
            f"published {len(result.rendered)} page(s), kept {len(result.unchanged)},"
            f" in {result.seconds:.1f} s: {Path(args.site) / 'index.html'}"
        )
        say(result.charts.line())
    else:
        say(f"nothing changed ({result.seconds:.2f} s): {Path(args.site) / 'index.html'}")
    return 0


__all__ = [
    "FONT_FAMILY",
    "LANGUAGES",
    "STORY_MIME",
    "THEME_LABELS",
    "PlannedPage",
    "PublishError",
    "PublishOptions",
    "PublishResult",
    "embed_font",
    "external_resources",
    "main_publish",
    "publish",
    "story_meta",
    "story_notebooks",
]
