"""Text helpers shared by the analysis steps: sentence splitting, chunking and seed-term matching."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# Sentence ends in the six UN languages (Latin and Cyrillic punctuation, Arabic question mark, CJK full stops).
_SENTENCE_END = re.compile(r"(?<=[.!?;。！？；؟])\s+|(?<=[。！？；])|\n+")
# Scripts written without spaces, or with clitics glued to the word (Arabic "و", "ب", "ل", "ال"): no left boundary.
_NO_BOUNDARY = re.compile(r"[\u0600-\u06ff\u3400-\u9fff]")


def sentences(text: str) -> list[str]:
    """Split ``text`` into sentences, dropping blanks."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


def chunks(text: str, max_chars: int = 400, max_chunks: int = 32) -> list[str]:
    """Group consecutive sentences into chunks of at most about ``max_chars`` characters.

    Sentence encoders blur long inputs; a contribution raising several issues is better read chunk by chunk.
    Very long texts are sampled evenly to ``max_chunks`` chunks so the cost per text stays bounded.
    """
    out: list[str] = []
    current = ""
    for sentence in sentences(text):
        if current and len(current) + len(sentence) + 1 > max_chars:
            out.append(current)
            current = sentence
        else:
            current = f"{current} {sentence}" if current else sentence
    if current:
        out.append(current)
    if not out:
        return [text.strip() or "-"]
    if len(out) > max_chunks:
        step = len(out) / max_chunks
        out = [out[int(i * step)] for i in range(max_chunks)]
    return out


def fold(text: str) -> str:
    """Lower-case and NFKC-normalise, so seed terms match regardless of case and width."""
    return unicodedata.normalize("NFKC", text).casefold().replace("’", "'")


def _trie_regex(terms: list[str]) -> str:
    """A regex alternation factored by common prefixes, longest match first: the engine tries each character once
    instead of every term at every position (hundreds of seed terms made a flat alternation the bottleneck)."""
    trie: dict = {}
    for term in terms:
        node = trie
        for ch in term:
            node = node.setdefault(ch, {})
        node[""] = True

    def build(node: dict) -> str:
        end = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch != ""]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        # Greedy optional tail: "data protection" wins over "data" when both are terms.
        return f"(?:{body})?" if end else body

    return build(trie)


def term_pattern(terms: Iterable[str]) -> re.Pattern | None:
    """One regex matching any of ``terms`` at the start of a word (terms may be stems, e.g. Russian ones).

    Terms in scripts without word boundaries (Chinese) or with clitics (Arabic) match anywhere.
    """
    folded = {fold(t) for t in terms if t.strip()}
    bounded = sorted(t for t in folded if not _NO_BOUNDARY.match(t))
    free = sorted(t for t in folded if _NO_BOUNDARY.match(t))
    parts = []
    if bounded:
        parts.append(rf"(?<!\w){_trie_regex(bounded)}")
    if free:
        parts.append(_trie_regex(free))
    return re.compile("|".join(f"(?:{p})" for p in parts)) if parts else None
