"""The issue taxonomy as plain records: ``{"slug", "names", "definitions", "seed_terms"}`` per issue.

Concord stores the taxonomy in the database (the policy app), seeded from ``concord/policy/taxonomy.json``. The
analysis reads plain records, from the database through the policy app or straight from that file (eval, bench).
"""

from __future__ import annotations

import json
from pathlib import Path

DEFAULT_PATH = Path(__file__).resolve().parents[1] / "policy" / "taxonomy.json"


def read_taxonomy(path: str | Path = DEFAULT_PATH) -> list[dict]:
    """The issues of a taxonomy file, in order."""
    with open(path, encoding="utf-8") as f:
        return json.load(f)["issues"]
