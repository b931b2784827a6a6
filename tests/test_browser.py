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


# --------------------------------------------------------------------------- phone and desktop

WIDTHS = (390, 1280)  # a phone held upright; a laptop

# What sticks out past the right edge of the window: elements not inside a box that scrolls
# sideways (a chart or a wide table scrolls in its own box; nothing is cut off).
CUT_OFF = """() => {
  const width = document.documentElement.clientWidth;
  const scrolls = (el) => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (['auto', 'scroll'].includes(s.overflowX)) return true;
    }
    return false;
  };
  const cut = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || getComputedStyle(el).visibility === 'hidden') continue;
    if (r.right > width + 1 && !scrolls(el)) {
      cut.push(`${el.tagName.toLowerCase()}.${el.className}: ${(el.textContent || '').trim().slice(0, 40)}`);
    }
  }
  return {overflow: document.documentElement.scrollWidth - width, cut: cut.slice(0, 8)};
}"""

# Each ledger cell with text: its width on screen and its font size, in CSS pixels.
LEDGER_CELLS = """() => [...document.querySelectorAll('table.ledger tbody td')]
  .filter(td => td.textContent.trim())
  .map(td => [td.getAttribute('data-label'), td.getBoundingClientRect().width,
              parseFloat(getComputedStyle(td).fontSize)])"""

# Each chart image: the width it is shown at and the width it was drawn for.
CHARTS = """() => [...document.querySelectorAll('figure.chart img')]
  .map(img => [img.getBoundingClientRect().width, Number(img.getAttribute('width'))])"""


def check_layout(browser, path: Path, width: int, shot: Path) -> None:
    """Nothing cut off at the right edge; at phone width the ledger reads as rows of full-width
    cells in legible type and charts keep the width their text was drawn for."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(path.as_uri(), wait_until="load")
    page.evaluate("document.fonts.ready.then(() => true)")
    layout = page.evaluate(CUT_OFF)
    assert layout["overflow"] <= 1, f"the page scrolls sideways at {width}px: {layout}"
    assert layout["cut"] == [], f"cut off at the right edge at {width}px"
    cells = page.evaluate(LEDGER_CELLS)
    assert all(size >= 11 for _label, _width, size in cells), "ledger type too small"
    if width < 640:
        narrow = [(label, w) for label, w, _size in cells if w < 0.6 * (width - 40)]
        assert narrow == [], "on a phone each ledger cell takes the row's width"
        for shown, drawn in page.evaluate(CHARTS):
            assert shown >= 0.95 * drawn, "a chart shrunk on a phone: its text is illegible"
    page.screenshot(path=str(shot), full_page=True)
    page.close()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", ["index.html", "tally.zh.html", "tally.en.html"])
def test_fixture_pages_fit_a_phone_and_a_desktop(browser, fixture_site, screenshots, name, width):
    check_layout(browser, fixture_site / name, width, screenshots / f"fixture-{name}-{width}.png")


@pytest.mark.notebook
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", SITE_PAGES)
def test_published_pages_fit_a_phone_and_a_desktop(published, browser, screenshots, name, width):
    check_layout(browser, published.site / name, width, screenshots / f"site-{name}-{width}.png")


@pytest.mark.notebook
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", SITE_PAGES)
def test_corpus_pages_fit_a_phone_and_a_desktop(
    published_corpus, browser, screenshots, name, width
):
    """The same pages written on the test corpus: more reports, longer tables and names."""
    path = published_corpus.site / name
    check_layout(browser, path, width, screenshots / f"corpus-{name}-{width}.png")
