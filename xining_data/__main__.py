"""``python -m xining_data``: the command line."""

import sys

from xining_data.cli import main

sys.exit(main())
