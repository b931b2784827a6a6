"""Shared fixtures: the seed's text as the gold files index it; the real stories published once."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from xining_data.base.paths import FIGURES_ENV, NOTEBOOKS_DIR, RAW_DIR, REPORTS_ENV
from xining_data.publish import site as _publish
from xining_data.read.report import parse_header

EVAL_DIR = Path(__file__).parent / "eval"
CASES_DIR = Path(__file__).parent / "cases"
SEED_PATH = RAW_DIR / "000_4f7dffbbf6220809.txt"


@pytest.fixture(scope="session")
def shared_seed_text() -> str:
    """The seed body, read the way the gold README says (text mode, UTF-8), without our header."""
    with open(SEED_PATH, encoding="utf-8") as f:
        return parse_header(f.read())[1]


# --------------------------------------------------------------------------- the real stories

# The publish module imports only the standard library at load time: collection stays fast.

STORIES = tuple(path.stem for path in _publish.story_notebooks(NOTEBOOKS_DIR))
LANGUAGES = tuple(_publish.LANGUAGES)
STORY_PAGES = tuple(f"{story}.{language}.html" for story in STORIES for language in LANGUAGES)
SITE_PAGES = (*STORY_PAGES, "index.html")


@dataclass(frozen=True)
class PublishedSite:
    """Where the session's one publish of the real notebooks put its output."""

    site: Path  # the pages, index.html and the copy of the kit (site/figures)
    figures: Path  # the figure kit the notebooks wrote
    build: Path  # publish state, font cache and the executed notebooks
    result: _publish.PublishResult

    def executed(self, story: str, language: str) -> Path:
        """The notebook as papermill left it (outputs included) for one edition."""
        return self.build / "executed" / f"{story}.{language}.ipynb"


@pytest.fixture(scope="session")
def published(tmp_path_factory) -> PublishedSite:
    """The real story notebooks published once per test session into a temporary folder.

    Every real-story test (clean execution, kit, self-contained HTML, browser) reads this
    one run, so each notebook executes once per edition per session. It runs with the
    defaults ``make publish`` uses (bundled reports, no environment overrides), but writes
    site, figure kit and build state under the session's temporary folder, never into the
    project's ``site/``, ``figures/`` or ``build/``.
    """
    return _publish_once(tmp_path_factory.mktemp("published"))


CORPUS_DIR = Path(__file__).parent / "fixtures" / "corpus"


def _publish_once(root: Path, reports: Path | None = None) -> PublishedSite:
    """The real story notebooks published into ``root`` on ``reports`` (the bundled ones when
    None), with no environment override."""
    paths = {name: root / name for name in ("site", "figures", "build")}
    with pytest.MonkeyPatch.context() as env:
        env.delenv(REPORTS_ENV, raising=False)
        env.delenv(FIGURES_ENV, raising=False)
        result = _publish.publish(
            NOTEBOOKS_DIR,
            paths["site"],
            paths["figures"],
            _publish.PublishOptions(reports=reports, build_dir=paths["build"]),
        )
    return PublishedSite(**paths, result=result)


@pytest.fixture(scope="session")
def published_corpus(tmp_path_factory) -> PublishedSite:
    """The real story notebooks published once per session on the test corpus
    (tests/fixtures/corpus), so that page rules are checked on generated text beyond the seed."""
    return _publish_once(tmp_path_factory.mktemp("published-corpus"), CORPUS_DIR)


@pytest.fixture(scope="module", params=["seed", "corpus"])
def site(request) -> Path:
    """The pages of each publish in turn: the bundled report's, then the test corpus's (a test
    that takes it must be marked ``notebook``)."""
    return request.getfixturevalue(
        "published" if request.param == "seed" else "published_corpus"
    ).site


# --------------------------------------------------------------------------- test-fast, and loud skips


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that reads the real stories' publish runs the notebooks: mark it so that
    ``make test-fast`` (``-m "not notebook"``) leaves it out."""
    for item in items:
        if {"published", "published_corpus"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.notebook)


BROWSER_SKIP = "chromium is not installed"


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    """A browser test skipped for want of Chromium is said in a banner, not one line among many."""
    skipped = [
        report
        for report in terminalreporter.stats.get("skipped", [])
        if BROWSER_SKIP in str(getattr(report, "longrepr", ""))
    ]
    if skipped:
        terminalreporter.write_sep("!", "BROWSER TESTS DID NOT RUN", red=True, bold=True)
        terminalreporter.write_line(
            f"{len(skipped)} browser test(s) skipped: Debian's chromium is missing. "
            "Install it with `make browser` (as root; .ci/run does this) and run the tests again.",
            red=True,
        )
