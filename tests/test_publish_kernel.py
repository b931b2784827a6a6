"""One kernel runs several notebooks in a publish: nothing one notebook does reaches the next.

Each case is a change a notebook may make to its kernel and the expression that would show
it. The ``observe`` notebook prints every expression; it runs first in a new kernel, then
the ``dirty`` notebook makes every change, then ``observe`` runs again in the same kernel
(same process id): it must see what it saw in the new kernel.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from xining_data.publish import kernel as shared
from xining_data.publish.pages import PageJob, PublishError, execute, pick_kernel

# (what, the change a notebook makes, what shows it, whether a kernel alone would keep it:
# the inline backend closes the figures after each cell itself)
LEAKS = [
    ("a variable", "left_behind = 42", "'left_behind' in globals()", True),
    ("an import bound to a name", "import json as left_json", "'left_json' in globals()", True),
    ("the execution counter", "", "get_ipython().execution_count", False),
    ("a seaborn theme", "import seaborn as sns; sns.set_theme(style='dark')",
     "plt.rcParams['axes.facecolor']", True),
    ("matplotlib settings", "plt.rcParams['lines.linewidth'] = 9",
     "plt.rcParams['lines.linewidth']", True),
    ("the font matplotlib uses", "plt.rcParams['font.family'] = ['serif']",
     "plt.rcParams['font.family']", True),
    ("an open figure", "plt.figure()", "plt.get_fignums()", False),
    ("pandas options", "pd.set_option('display.max_rows', 3)",
     "pd.get_option('display.max_rows')", True),
    ("numpy print options", "np.set_printoptions(precision=2)",
     "np.get_printoptions()['precision']", True),
    ("warnings filters", "warnings.simplefilter('error')", "len(warnings.filters)", True),
    ("environment variables", "os.environ['LEFT_BEHIND'] = '1'", "'LEFT_BEHIND' in os.environ",
     True),
    ("the working folder", "os.chdir('/')", "os.getcwd()", True),
    ("sys.path", "sys.path.insert(0, '/left/behind')", "'/left/behind' in sys.path", True),
]  # fmt: skip

HEADER = """# %% tags=["parameters"]
reports_dir = None
language = "zh"

# %%
import json, os, sys, warnings
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
"""


def observe_notebook() -> str:
    seen = ", ".join(f"{what!r}: repr({expression})" for what, _change, expression, _ in LEAKS)
    return HEADER + f"\n# %%\nprint(json.dumps({{'pid': os.getpid(), {seen}}}))\n"


def dirty_notebook() -> str:
    return HEADER + "".join(f"\n# %%\n{change}\n" for _what, change, *_ in LEAKS if change)


def job_for(notebook: Path, build: Path) -> PageJob:
    return PageJob(
        notebook=notebook, language="zh", page=f"{notebook.stem}.zh.html", languages=("zh",),
        reports=None, figures_dir=build / "figures", build_dir=build, out_dir=build / "site",
        kernel_name=pick_kernel(), timeout=120,
    )  # fmt: skip


def printed(executed) -> dict:
    """The JSON the observe notebook printed."""
    for cell in executed.cells:
        for output in cell.get("outputs", []):
            if output.get("name") == "stdout" and output["text"].startswith("{"):
                return json.loads(output["text"])
    raise AssertionError("the observe notebook printed nothing")


@pytest.fixture
def notebooks(tmp_path) -> dict[str, PageJob]:
    folder = tmp_path / "notebooks"
    folder.mkdir()
    (folder / "observe.py").write_text(observe_notebook(), "utf-8")
    (folder / "dirty.py").write_text(dirty_notebook(), "utf-8")
    (folder / "broken.py").write_text(HEADER + "\n# %%\nraise ValueError('no')\n", "utf-8")
    yield {name: job_for(folder / f"{name}.py", tmp_path / "build")
           for name in ("observe", "dirty", "broken")}  # fmt: skip
    shared.close_kernel()


def test_a_notebook_run_after_another_in_the_same_kernel_sees_a_fresh_kernel(notebooks):
    shared.close_kernel()
    first = printed(execute(notebooks["observe"]))
    execute(notebooks["dirty"])
    again = printed(execute(notebooks["observe"]))
    assert again["pid"] == first["pid"]  # the kernel was reused
    leaked = {what: (first[what], again[what]) for what, *_ in LEAKS if first[what] != again[what]}
    assert leaked == {}


def test_the_changes_are_real_without_the_reset(notebooks, monkeypatch):
    """The cases would leak without :func:`kernelstate.fresh`: each a kernel keeps shows in
    the next run."""
    shared.close_kernel()
    first = printed(execute(notebooks["observe"]))
    execute(notebooks["dirty"])
    monkeypatch.setattr(shared.SharedKernel, "fresh", lambda self: None)
    again = printed(execute(notebooks["observe"]))
    assert again["pid"] == first["pid"]
    unchanged = [what for what, _, _, kept in LEAKS if kept and first[what] == again[what]]
    assert unchanged == []


def test_a_failed_notebook_closes_its_kernel_and_the_next_gets_a_new_one(notebooks):
    shared.close_kernel()
    first = printed(execute(notebooks["observe"]))
    with pytest.raises(PublishError, match="ValueError: no"):
        execute(notebooks["broken"])
    assert shared._current is None
    assert printed(execute(notebooks["observe"]))["pid"] != first["pid"]
