"""The pages benchmark (bench/pages.py) and the phone page weight (bench/static_weight.py) under the name
bench/run.py looks for, so `make bench` runs them; see bench/pages.py for what they measure."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pages  # noqa: E402

if __name__ == "__main__":
    sys.exit(pages.main())
