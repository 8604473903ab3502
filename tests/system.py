"""Tests that need a Debian package say which one, instead of failing with a symptom of its absence.

`make test` installs packages.debian.txt first; these marks only matter where that could not happen (no root and
no sudo, or CONCORD_SYSTEM_PACKAGES=skip). Under CI=true a missing package fails the test: CI must run every leg.
"""

import functools
import os
import shutil
import subprocess
from functools import cache
from pathlib import Path

import pytest

NOTO = {
    "fonts-noto-core": ["truetype/noto/NotoSans-Regular.ttf", "truetype/noto/NotoSansArabic-Regular.ttf"],
    "fonts-noto-cjk": ["opentype/noto/NotoSansCJK-Regular.ttc"],
}
TESSERACT_PACKAGES = {
    "eng": "tesseract-ocr",
    "ara": "tesseract-ocr-ara",
    "chi_sim": "tesseract-ocr-chi-sim",
    "fra": "tesseract-ocr-fra",
    "rus": "tesseract-ocr-rus",
    "spa": "tesseract-ocr-spa",
}


def _missing_fonts() -> list[str]:
    return [
        package
        for package, files in NOTO.items()
        if not all((Path("/usr/share/fonts") / name).exists() for name in files)
    ]


@cache
def _tesseract_languages() -> frozenset[str]:
    if shutil.which("tesseract") is None:
        return frozenset()
    listing = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, timeout=30).stdout
    return frozenset(line.strip() for line in listing.splitlines()[1:])


def _missing_tesseract(languages) -> list[str]:
    have = _tesseract_languages()
    return sorted({TESSERACT_PACKAGES[code] for code in ("eng", *languages) if code not in have})


def _require(missing: list[str], what: str):
    message = f"{what} needs the Debian package(s) {' '.join(missing)}: run `make system-packages`"

    def decorate(test):
        if not missing:
            return test
        if os.environ.get("CI") == "true":
            # A skip in CI would hide a leg nobody runs: fail with the cause instead of the symptom.
            @functools.wraps(test)
            def fail(*args, **kwargs):
                pytest.fail(message)

            return fail
        return pytest.mark.skip(reason=message)(test)

    return decorate


def needs_noto_fonts():
    """Mark a test that reads text back from a PDF laid out with Noto (Arabic and Chinese glyphs)."""
    return _require(_missing_fonts(), "reading glyphs back from a PDF")


def needs_tesseract(*languages: str):
    """Mark a test that runs OCR, in English and in these Tesseract languages (e.g. "fra")."""
    return _require(_missing_tesseract(languages), "OCR")
