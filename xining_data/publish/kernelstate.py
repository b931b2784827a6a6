"""Inside a kernel that runs several notebooks: put the process back as a fresh kernel left it.

``publish`` runs every page a worker renders in one kernel (:mod:`.kernel`), so the
imports (pandas, matplotlib, geopandas, the library) are paid once, not once per page.
Before each notebook the kernel runs :func:`fresh`: the first call imports what every story
imports and records the state a notebook can change; every call then empties the user's
namespace and restores that state, so nothing one notebook did reaches the next:

- the variables, the output history and the execution counter (IPython's ``reset``);
- matplotlib's open figures and settings (``rcParams``: seaborn's theme lives there);
- pandas' and numpy's display options, the warnings filters;
- the environment variables, the working folder and ``sys.path``.

Imported modules stay imported (that is the saving); a module that keeps a notebook's data
in a global would leak it, and the library keeps none (``tests/test_publish.py`` runs two
notebooks in one kernel to prove the list above).
"""

from __future__ import annotations

import os
import sys
import warnings
from typing import Any

_saved: dict[str, Any] = {}

# What the publish runs in the kernel before each notebook (``get_ipython`` is the kernel's).
FRESH_CODE = "from xining_data.publish.kernelstate import fresh\nfresh(get_ipython())"


def _snapshot() -> dict[str, Any]:
    """The state a notebook may change, as the kernel has it before the first notebook."""
    import matplotlib as mpl
    import matplotlib.pyplot  # noqa: F401 (the inline backend sets its rcParams on import)
    import numpy as np
    import pandas  # noqa: F401 (its options are reset by name)

    return {
        "rc": dict(mpl.rcParams.copy()),
        "numpy": np.get_printoptions(),
        "warnings": list(warnings.filters),
        "environ": dict(os.environ),
        "cwd": os.getcwd(),
        "path": list(sys.path),
    }


def fresh(shell: Any | None = None) -> None:
    """Empty the user's namespace and restore the state :func:`_snapshot` recorded."""
    import matplotlib as mpl
    import matplotlib.pyplot as plt
    import numpy as np
    import pandas as pd

    if not _saved:
        _saved.update(_snapshot())
    if shell is not None:
        shell.reset(new_session=True)  # variables, Out history, execution count back to 1
    plt.close("all")
    dict.update(mpl.rcParams, _saved["rc"])  # as matplotlib's own rc_context restores them
    np.set_printoptions(**_saved["numpy"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # resetting a deprecated option warns
        pd.reset_option("all")
    warnings.filters[:] = _saved["warnings"]
    getattr(warnings, "_filters_mutated", lambda: None)()  # forget warnings already shown
    os.environ.clear()
    os.environ.update(_saved["environ"])
    os.chdir(_saved["cwd"])
    sys.path[:] = _saved["path"]
