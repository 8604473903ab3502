"""Language identification on the UN Parallel Corpus dev set (4,000 sentences in each of the six languages)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from concord.analysis.language import LanguageIdentifier

FILES = {"ar": "ar", "zh-hans": "zh", "en": "en", "fr": "fr", "ru": "ru", "es": "es"}


def main(argv: list[str]) -> None:
    folder = Path(argv[0] if argv else "../shared/data") / "un-parallel-corpus-devset"
    if not folder.is_dir():
        print(f"-- skipped language identification: {folder} is absent")
        return
    identifier = LanguageIdentifier().fit()
    total = right = 0
    started = time.perf_counter()
    for code, suffix in FILES.items():
        lines = [x for x in (folder / f"UNv1.0.devset.{suffix}").read_text(encoding="utf-8").splitlines() if x]
        found = identifier.predict(lines)
        ok = sum(1 for f in found if f == code)
        print(f"  {code:8s} {ok / len(lines):.4f} ({ok}/{len(lines)})")
        total += len(lines)
        right += ok
    elapsed = time.perf_counter() - started
    print(f"== language identification: accuracy {right / total:.4f} on {total:,} sentences in {elapsed:.1f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
