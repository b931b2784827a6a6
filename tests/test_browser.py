"""Published pages in headless Chromium: no console error, no request, Chinese really drawn.

Debian's ``chromium`` (``/usr/bin/chromium``, installed by ``.ci/run``) is driven by
Playwright without ``playwright install``. Each page is opened from ``file://``;
the only requests allowed are ``file:`` and ``data:``. Chinese must render with the
page's embedded font even though the machine may have no CJK font: two different
characters drawn in the embedded family must differ (a missing glyph draws the
same box for both). A full-page screenshot of each page is saved in the session's
temporary folder (``screenshots0/`` under pytest's base temp; ``--basetemp DIR``
puts it where you can look), and must not be blank.

The pages are a fixture site published from tests/fixtures, and every page of the
real stories as the session publishes them (the ``published`` fixture in conftest.py).
Without Chromium the tests are skipped, except under CI (``CI`` set), where a missing
browser is an error.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from xining_data.publish import site as pub

from conftest import SITE_PAGES

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
FIXTURES = Path(__file__).parent / "fixtures"

# Draw a character in a font family on a canvas; the data URL is its picture.
DRAW = """async ([family, chars]) => {
  await document.fonts.ready;
  await document.fonts.load(`48px ${family}`, chars.join(''));
  const draw = (ch) => {
    const canvas = document.createElement('canvas');
    canvas.width = 64; canvas.height = 64;
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#fff'; ctx.fillRect(0, 0, 64, 64);
    ctx.fillStyle = '#000'; ctx.font = `48px ${family}`; ctx.textBaseline = 'top';
    ctx.fillText(ch, 4, 4);
    return canvas.toDataURL();
  };
  return chars.map(draw);
}"""


def system_has_cjk_font() -> bool:
    if shutil.which("fc-list") is None:
        return True  # unknown: do not rely on the control
    listed = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, check=False)
    return bool(listed.stdout.strip())


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("browser")
    shutil.copytree(FIXTURES / "notebooks", root / "notebooks")
    shutil.copytree(FIXTURES / "reports", root / "reports")
    (root / "notebooks" / "chart.py").unlink()  # the light notebook is enough here
    (root / "library").mkdir()
    pub.publish(
        root / "notebooks",
        root / "site",
        root / "figures",
        pub.PublishOptions(
            reports=root / "reports", build_dir=root / "build", library_dir=root / "library"
        ),
    )
    return root / "site"


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


@pytest.fixture(scope="module")
def browser():
    """Chromium, or a skip with the reason; in CI a missing browser fails the tests."""
    if not CHROMIUM.exists():
        reason = f"Debian chromium is not installed at {CHROMIUM} (.ci/run installs it)"
        if in_ci():
            pytest.fail(f"{reason}: the browser tests must run in CI", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("screenshots")


def open_and_check(browser, path: Path, shot: Path) -> None:
    page = browser.new_page(viewport={"width": 1000, "height": 900})
    requests, errors = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(path.as_uri(), wait_until="load")
    page.evaluate("document.fonts.ready.then(() => true)")

    assert errors == []
    assert [u for u in requests if not u.startswith(("file:", "data:"))] == []

    faces = page.evaluate("[...document.fonts].map(f => [f.family.replace(/\"/g, ''), f.status])")
    assert [pub.FONT_FAMILY, "loaded"] in faces

    heading = page.inner_text("h1").strip()
    assert heading
    if page.evaluate("document.body.classList.contains('xd-story')"):
        assert heading == page.title().strip(), "the story shows its headline"
    chars = sorted({c for c in page.inner_text("body") if "\u4e00" <= c <= "\u9fff"})
    assert len(chars) >= 2, "the page shows Chinese text"
    pair = [chars[0], chars[-1]]
    embedded = page.evaluate(DRAW, [f'"{pub.FONT_FAMILY}"', [*pair, " "]])
    assert embedded[0] != embedded[1], "two characters look alike: missing-glyph boxes"
    assert embedded[2] not in embedded[:2], "the characters drew nothing"
    if not system_has_cjk_font():
        fallback = page.evaluate(DRAW, ["monospace", pair])
        assert fallback[0] == fallback[1], "control: without the embedded font both are boxes"

    page.screenshot(path=str(shot), full_page=True)
    page.close()
    with Image.open(shot) as image:
        assert image.width >= 1000 and len(image.convert("L").getcolors(1 << 16) or ()) > 2


@pytest.mark.parametrize("name", ["index.html", "tally.zh.html", "tally.en.html"])
def test_fixture_pages_render_offline(browser, fixture_site, screenshots, name):
    open_and_check(browser, fixture_site / name, screenshots / f"fixture-{Path(name).stem}.png")


def test_fixture_headline_is_the_computed_one(browser, fixture_site):
    report = (FIXTURES / "reports" / "001_fixture.txt").read_text("utf-8")
    homes = re.search(r"(\d+)家", report).group(1)
    page = browser.new_page()
    page.goto((fixture_site / "tally.zh.html").as_uri())
    assert homes in page.inner_text("h1.xd-headline")
    assert "石榴籽家园" in page.inner_text("h1.xd-headline")
    page.close()


@pytest.mark.notebook
@pytest.mark.parametrize("name", SITE_PAGES)
def test_published_pages_render_offline(published, browser, screenshots, name):
    """Every page of the real stories, both editions and the index."""
    open_and_check(browser, published.site / name, screenshots / f"site-{Path(name).stem}.png")
