"""``python -m benchmarks``: every benchmark at national scale (see benchmarks/national.py)."""

import sys

from benchmarks.national import main

sys.exit(main())
