"""Pages that load nothing: no script, the CJK font embedded, every reference checked.

A published page is one file a reporter can mail or open offline. CSS and images
are inline, there is no ``<script>`` (MathJax, require.js, widgets and JavaScript
outputs are left out), and the Chinese font is Noto Sans CJK SC subset to the
page's characters, embedded as a data URI where the template put
``FONT_MARKER``. :func:`external_resources` is the check that nothing slipped in.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from xining_data.base.files import sha256_text, write_bytes_atomic

FONT_FAMILY = "XD Noto Sans SC"
FONT_MARKER = "/*xd-font-face*/"

_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script\s*>", re.IGNORECASE | re.DOTALL)
_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)""", re.IGNORECASE)
_SRCSET = re.compile(r"(\S+)(?:\s+[^,]*)?(?:,\s*|$)")  # URL, then descriptors, comma
_CSS_IMPORT = re.compile(r"@import\s+(?:url\()?\s*['\"]?([^'\")\s;]+)", re.IGNORECASE)


def strip_scripts(html: str) -> str:
    """The page without any ``<script>`` element."""
    return _SCRIPT.sub("", html)


def embed_font(html: str, cache_dir: Path | None = None) -> str:
    """Fill the page's font marker with Noto Sans CJK SC subset to the page's characters."""
    if FONT_MARKER not in html:
        return html
    chars = {c for c in html if c.isprintable()} | {chr(c) for c in range(0x20, 0x7F)}
    data = subset_font(chars, cache_dir)
    import base64

    face = (
        f'@font-face{{font-family:"{FONT_FAMILY}";font-style:normal;font-weight:400;'
        f"font-display:block;src:url(data:font/woff2;base64,{base64.b64encode(data).decode()})"
        ' format("woff2");}'
    )
    return html.replace(FONT_MARKER, face, 1)


def subset_font(chars: set[str], cache_dir: Path | None = None) -> bytes:
    """Noto Sans CJK SC reduced to ``chars``, as WOFF2 (cached by character set), cut from the
    publish's base font when it holds them (:mod:`.fontbase`: the same bytes, faster)."""
    from xining_data.publish.fontbase import font_source
    from xining_data.publish.style import font_path

    text = f"{font_path().stat().st_size}:" + "".join(sorted(chars))
    key = sha256_text(text)[:32]
    cached = cache_dir / f"{key}.woff2" if cache_dir is not None else None
    if cached is not None and cached.is_file():
        return cached.read_bytes()
    import io

    from fontTools import subset

    options = subset.Options()
    options.flavor = "woff2"
    options.hinting = False
    options.desubroutinize = True
    options.notdef_outline = True
    options.name_IDs = ["*"]  # keep the copyright and licence names (SIL OFL)
    font = subset.load_font(str(font_source(chars)), options, lazy=True)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(ord(c) for c in chars))
    subsetter.subset(font)
    buffer = io.BytesIO()
    subset.save_font(font, buffer, options)
    data = buffer.getvalue()
    if cached is not None:
        write_bytes_atomic(cached, data)
    return data


class _ResourceScan(HTMLParser):
    """Collect every reference that would make a browser load something."""

    LOADING = {"src", "srcset", "poster", "data", "background", "formaction", "manifest"}

    def __init__(self, allow_relative: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.allow_relative = allow_relative
        self.problems: list[str] = []
        self._in_style = False

    def _check(self, what: str, url: str) -> None:
        url = url.strip()
        if not url or url.startswith(("data:", "#")):
            return
        relative = ":" not in url.split("/")[0] and not url.startswith("//")
        if relative and self.allow_relative:
            return
        self.problems.append(f"{what}={url[:80]}")

    def _check_css(self, what: str, css: str) -> None:
        for url in _CSS_URL.findall(css) + _CSS_IMPORT.findall(css):
            self._check(what, url)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.problems.append("<script>")
        self._in_style = tag == "style"
        for name, value in attrs:
            if value is None:
                continue
            if name == "style":
                self._check_css(f"<{tag} style>", value)
            elif name in self.LOADING or (
                name in {"href", "xlink:href"} and tag in {"link", "image", "use", "feimage"}
            ):
                urls = _SRCSET.findall(value) if name == "srcset" else [value]
                for url in urls:
                    self._check(f"<{tag} {name}>", url.rstrip(","))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self._in_style = False

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self._check_css("<style>", data)


def external_resources(html: str, *, allow_relative: bool = False) -> list[str]:
    """What a page would load from elsewhere (scripts, stylesheets, fonts, images), if anything.

    Links a reader clicks (``<a href>``) are not loads and are allowed. With
    ``allow_relative``, relative files next to the page are allowed too (the index
    links the figure kit's files).
    """
    scan = _ResourceScan(allow_relative)
    scan.feed(html)
    scan.close()
    return scan.problems
