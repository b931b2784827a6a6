"""The house style of every chart: one CJK font, one palette, one seaborn theme.

Chinese needs a font with CJK glyphs, and a reader's machine may have none. The
font comes from PyPI (``mplfonts`` ships Noto Sans CJK SC under the SIL Open Font
Licence), so ``pip install`` is enough; it is registered with matplotlib in code.
The figure kit's SVGs keep their text as text and carry the font's subset inside
(:mod:`.svgfont`), so they show Chinese on a machine without the font.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from xining_data.stories.editions import THEME_COLORS, theme_color  # noqa: F401 (re-exported)

FONT_PACKAGE = "mplfonts"
FONT_FILE = "NotoSansCJKsc-Regular.otf"
FONT_LICENCE = "SIL Open Font License 1.1 (Noto Sans CJK SC, shipped by the mplfonts package)"

TEXT_COLOR = "#222222"
MUTED_COLOR = "#666666"


def font_path() -> Path:
    """The Noto Sans CJK SC file inside the installed ``mplfonts`` package."""
    path = Path(str(resources.files(FONT_PACKAGE) / "fonts" / FONT_FILE))
    if not path.is_file():
        raise FileNotFoundError(f"{path}: CJK font missing; reinstall the {FONT_PACKAGE} package")
    return path


@cache
def font_family() -> str:
    """Register the CJK font with matplotlib (once per process) and return its family name."""
    from matplotlib import font_manager

    path = font_path()
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


def use_house_style() -> None:
    """Apply the seaborn theme, the CJK font and the palette to every later matplotlib figure."""
    import matplotlib as mpl
    import seaborn as sns

    family = font_family()
    sns.set_theme(
        style="whitegrid",
        context="notebook",
        palette=list(THEME_COLORS.values()),
        font=family,
    )
    mpl.rcParams.update(
        {
            "font.family": "sans-serif",
            "font.sans-serif": [family, "DejaVu Sans"],
            "axes.unicode_minus": False,  # a hyphen-minus always has a glyph
            "svg.fonttype": "path",
            "pdf.fonttype": 42,
            "figure.dpi": 100,
            "savefig.dpi": 200,
            "savefig.bbox": None,  # keep the source line drawn at the figure's edge
            "text.color": TEXT_COLOR,
            "axes.labelcolor": TEXT_COLOR,
            "axes.titleweight": "normal",
            "axes.titlesize": 13,
            "axes.titlelocation": "left",
            "axes.spines.top": False,
            "axes.spines.right": False,
            "figure.facecolor": "white",
            "savefig.facecolor": "white",
        }
    )
