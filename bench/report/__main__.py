"""``python -m bench.report [SIZE ...] [--lang LANG] [--formats ...]``: the report bench (bench/report/run.py)."""

import sys

from bench.report.run import main

sys.exit(main())
