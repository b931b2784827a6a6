"""SVG text kept as text, rendered alike everywhere: the house font, subset, inside the file.

Matplotlib writes text as ``<text>`` elements when ``svg.fonttype`` is ``'none'``: titles stay
editable and labels translatable. A browser without Noto Sans CJK SC would then draw the
Chinese in another font, or not at all; so :func:`embed_font` adds an ``@font-face`` to the
SVG's ``<style>`` holding only the glyphs its text uses (a WOFF subset, base64), named by
the family the ``<text>`` elements ask for. A chart's few dozen characters cost a few
kilobytes, not the font's megabytes.
"""

from __future__ import annotations

import base64
import io
import re
import xml.etree.ElementTree as ET

SVG_SETTINGS = {"svg.fonttype": "none"}  # text as <text>, the font embedded by embed_font
_STYLE_OPEN = re.compile(r"<style[^>]*>")


def svg_text(svg: str) -> str:
    """Every character the SVG's ``<text>`` elements show (each once, in order)."""
    root = ET.fromstring(svg.encode("utf-8"))
    shown = "".join(
        "".join(element.itertext()) for element in root.iter() if element.tag.endswith("}text")
    )
    return "".join(dict.fromkeys(shown))


def font_subset(characters: str) -> bytes:
    """The house font cut down to ``characters`` (and the space), as WOFF bytes: the same bytes
    for the same characters, so an unchanged chart keeps its sha256."""
    from fontTools import subset

    from xining_data.publish.fontbase import font_source

    options = subset.Options()
    options.flavor = "woff"
    options.recalc_timestamp = False
    options.name_IDs = []  # the names are not needed to draw; the family is the @font-face's
    options.layout_features = ["*"]
    font = subset.load_font(str(font_source(characters + " ")), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters + " ")
    subsetter.subset(font)
    out = io.BytesIO()
    subset.save_font(font, out, options)
    return out.getvalue()


def embed_font(svg: str, family: str) -> str:
    """The SVG with an ``@font-face`` for ``family`` holding the glyphs its text uses (the SVG
    unchanged when it has no text)."""
    characters = svg_text(svg)
    if not characters.strip():
        return svg
    data = base64.b64encode(font_subset(characters)).decode("ascii")
    face = f"@font-face{{font-family:'{family}';src:url(data:font/woff;base64,{data}) format('woff')}}\n"
    opened = _STYLE_OPEN.search(svg)
    if opened:
        return svg[: opened.end()] + face + svg[opened.end() :]
    start = svg.index(">", svg.index("<svg")) + 1
    return svg[:start] + f'\n<defs><style type="text/css">{face}</style></defs>' + svg[start:]
