"""``python -m xining_data``: the command line."""

import sys

from .cli import main

sys.exit(main())
