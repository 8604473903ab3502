"""The store of original files: content-addressed, written byte for byte and flushed to disk before any receipt.

A file lives at ``MEDIA_ROOT/originals/ab/cd/<sha256>``: the same bytes sent twice are stored once, a stored file is
never rewritten, and its name cannot be chosen by a contributor (no path traversal, whatever the upload's name).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import unicodedata
from pathlib import Path

from django.conf import settings

CHUNK = 1024 * 1024


def originals_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "originals"


def path_for(sha256: str) -> Path:
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise ValueError("not a SHA-256 hex digest")
    return originals_root() / sha256[:2] / sha256[2:4] / sha256


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def store_bytes(data: bytes) -> str:
    """Store ``data`` durably and return its SHA-256; returns once the bytes and their directory entry are synced."""
    digest = hashlib.sha256(data).hexdigest()
    target = path_for(digest)
    if target.exists() and target.stat().st_size == len(data):
        return digest
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o440)
        # Atomic: a reader sees the whole file or none of it.
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(target.parent)
    return digest


def read_bytes(sha256: str) -> bytes:
    return path_for(sha256).read_bytes()


def clean_filename(name: str, fallback: str = "attachment") -> str:
    """A display name safe to show and to offer as a download name: no directories, no control characters."""
    name = unicodedata.normalize("NFC", name or "")
    # Both separators: a Windows browser may send "C:\\Users\\x\\file.pdf", an attacker "../../etc/passwd".
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = name.strip().strip(".").strip()
    if len(name) > 150:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 150 - len(ext) - 1] + dot + ext) if dot and len(ext) <= 10 else name[:150]
    return name or fallback
