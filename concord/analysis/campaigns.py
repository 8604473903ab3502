"""Mass-campaign detection: group contributions that share a template; link translations apart.

Each text becomes a set of fingerprints: for every sentence of four words or more (greetings, sign-offs and
names are shorter and drop out), a hash of the whole normalised sentence and hashes of its first and second
halves. A typo, a synonym or a mail-merge slot in the middle of a sentence leaves at least one of its fingerprints
intact; reordered or dropped sentences change nothing else; an added personal sentence only adds fingerprints.

Texts are read in order. Each is compared with the campaigns seen so far through an inverted index of their
fingerprints, and joins the one that accounts for most of its own fingerprints, if that share reaches
``threshold`` and at least ``min_shared`` fingerprints: every join is verified against the campaign, and a text
never bridges two campaigns, so there is no transitive closure through chains of weak links (the failure of
union-find over LSH candidates). Fingerprints shared by too many campaigns (stock phrases) stop counting. A second
pass then moves each text to the campaign whose core (its template, as its members show it) it shares most with,
which gathers the splinters that a campaign's first, heavily edited members can start.

Translations share no fingerprints, so they never join one campaign. When ``link_translations`` is on, each
campaign's canonical text is embedded with the cross-lingual encoder, and a campaign whose nearest earlier
campaign in another language scores at least ``translation_threshold`` is linked to it as its translation (every
member points to the earlier campaign's canonical text). Only campaigns are compared: embedding every text outside
a campaign cost twelve times what finding the campaigns did at 50,000 texts (and grows with the corpus, while the
campaigns are few), and a letter that nobody else sent is not a campaign's translation in any useful sense.
"""

from __future__ import annotations

import contextlib
import gc
import re
import zlib
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from itertools import chain

import numpy as np
from sklearn.base import BaseEstimator

from .embed import Embedder, shared_embedder

# Punctuation is no part of a token, so cutting on it (rather than after it) gives the same sentences' words.
_SPLIT = re.compile(r"[.!?;:。！？；؟\n]+")
_TOKEN = re.compile(r"[\u3400-\u9fff]|[^\W_]+")
_EDGE = 4


# A campaign repeats its sentences verbatim thousands of times, so a sentence's fingerprints are remembered,
# up to this many sentences (about 150 MiB), instead of being tokenised and hashed again.
_MEMO_SIZE = 2**19


def _field(word: str) -> bool:
    """Whether a word inside a sentence is a personal field a mail merge fills in: a capitalised name or place
    ("Springfield", "Okafor") or a number. A word in capitals ("FCC", "INTERNET") is kept: it is no merge field.
    (A token is letters and digits only, so one that is not all letters holds a digit.)"""
    return not word.isalpha() or (word.istitle() and len(word) > 1)


def _sentence_prints(sentence: str) -> tuple[int, ...]:
    words = _TOKEN.findall(sentence)
    # Names, towns and ages differ in every copy of a mail merge: they count as one wildcard, so that the sentence
    # around them keeps its fingerprints. The first word is capitalised anyway and stays.
    if words:
        words = [words[0].casefold(), *["*" if _field(w) else w.casefold() for w in words[1:]]]
    # A sentence needs words of its own besides the wildcards: a web form's footer ("Remote host: 192.168.1.16")
    # would otherwise join every letter that carries it.
    if len(words) - words.count("*") < _EDGE:
        return ()
    half = len(words) // 2
    keys = (" ".join(words), "<" + " ".join(words[:half]), " ".join(words[half:]) + ">")
    return tuple(zlib.crc32(data) | (zlib.adler32(data) << 32) for data in (key.encode() for key in keys))


def fingerprints(text: str, memo: dict[str, tuple[int, ...]] | None = None) -> set[int]:
    """The 64-bit fingerprints of a text (deterministic across processes, unlike ``hash``).

    ``memo`` maps sentences already seen to their fingerprints; it only saves time.
    """
    out: set[int] = set()
    for sentence in _SPLIT.split(text):
        if memo is None:
            out.update(_sentence_prints(sentence))
            continue
        prints = memo.get(sentence)
        if prints is None:
            prints = _sentence_prints(sentence)
            if len(memo) < _MEMO_SIZE:
                memo[sentence] = prints
        out.update(prints)
    return out


@contextlib.contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Pause the cyclic garbage collector while millions of sets and lists are built.

    They hold only integers, so they form no cycles; but each collection of the oldest generation walks all of
    them, which made grouping a million texts twice as slow. The collector is restored as it was.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def fingerprint_all(texts: Sequence[str]) -> list[set[int]]:
    memo: dict[str, tuple[int, ...]] = {}
    with _no_cycle_collection():
        return [fingerprints(t, memo) for t in texts]


def _sample(members: list[int], size: int = 200) -> list[int]:
    """Up to ``size`` members spread evenly over a campaign: what its template and canonical text are judged on."""
    return members[:: max(1, len(members) // size)][:size]


class CampaignDetector(BaseEstimator):
    """Group texts sharing a template into campaigns, and link translations.

    Parameters
    ----------
    threshold : float
        Share of a text's fingerprints that a campaign must account for.
    min_shared : int
        Fingerprints a text must share with a campaign (about two sentences' worth of evidence).
    min_size : int
        Smallest group reported as a campaign.
    max_postings : int
        A fingerprint found in more campaigns than this is a stock phrase and stops counting.
    max_fingerprints : int
        Fingerprints kept per campaign (its variants' slot alternatives, typos and so on accumulate up to this).
    link_translations : bool
        Link representatives to their translations with cross-lingual embeddings.
    translation_threshold : float
        Cosine similarity from which two texts in different languages are translations. 0.7 was chosen on blocks
        of five sentences from lines 1-1,500 of the UN Parallel Corpus dev set (true pairs: median 0.77; the
        nearest wrong block, on the same subject: 99.9th percentile 0.705); on lines 2,000-3,500, never used to
        choose, the nearest block above 0.7 was the translation in 7,376 of 9,000 pairs and wrong in none.
    embedder : Embedder or None
        Sentence encoder for translations; ``None`` uses the process-wide one.
    random_state : int
        Unused (the method is deterministic); kept for the estimator contract.
    """

    def __init__(
        self,
        *,
        threshold: float = 0.35,
        min_shared: int = 4,
        min_size: int = 2,
        max_postings: int = 32,
        max_fingerprints: int = 400,
        link_translations: bool = True,
        translation_threshold: float = 0.7,
        embedder: Embedder | None = None,
        random_state: int = 0,
    ):
        self.threshold = threshold
        self.min_shared = min_shared
        self.min_size = min_size
        self.max_postings = max_postings
        self.max_fingerprints = max_fingerprints
        self.link_translations = link_translations
        self.translation_threshold = translation_threshold
        self.embedder = embedder
        self.random_state = random_state

    def fit(
        self,
        X: Sequence[str],
        langs: Sequence[str | None] | None = None,
        prints: Sequence[set[int]] | None = None,
        identify: Callable[[list[str]], list[str]] | None = None,
    ):
        """Detect campaigns among texts ``X`` (in order of receipt).

        ``langs`` (one code per text, ``None`` where unknown) and ``identify`` (texts to their language codes) serve
        translation links: only the representatives' languages matter, so ``identify`` is asked for those whose
        code is missing, never for every campaign member. ``prints`` lets a caller pass fingerprints computed
        elsewhere (a Dask cluster) instead of computing them here.
        """
        prints = fingerprint_all(X) if prints is None else prints
        with _no_cycle_collection():
            groups = self._regroup(prints, *self._group(prints))
        n = len(prints)
        labels = np.full(n, -1, dtype=np.int64)
        members = self._members(groups)
        self.canonical_: list[int] = []
        self.sizes_: list[int] = []
        for c, (_, idx) in enumerate(sorted(members.items(), key=lambda kv: kv[1][0])):
            labels[idx] = c
            self.canonical_.append(self._canonical(idx, prints))
            self.sizes_.append(len(idx))
        self.labels_ = labels
        self.translation_of_ = np.full(n, -1, dtype=np.int64)
        if self.link_translations and n and (langs is not None or identify is not None):
            self._link(X, langs, identify)
        return self

    def fit_predict(self, X, langs=None, prints=None) -> np.ndarray:
        return self.fit(X, langs, prints).labels_

    def _group(self, prints: Sequence[set[int]]) -> tuple[list[int], set[int]]:
        """One pass in order: each text joins the campaign it shares most with, or starts its own group."""
        index: dict[int, list[int]] = {}
        common: set[int] = set()
        known: list[set[int]] = []
        groups: list[int] = []
        max_postings, max_fp = self.max_postings, self.max_fingerprints
        for fp in prints:
            best, count, joins = self._closest(fp, index, common)
            near = best if not joins and count >= 2 else -1
            if not joins:
                best = len(known)
                known.append(set())
            groups.append(best)
            own = known[best]
            if len(own) >= max_fp:
                continue
            new = fp - own
            if common:
                new -= common
            own |= new
            for f in new:
                posting = index.get(f)
                if posting is None:
                    index[f] = [best]
                elif near >= 0 and near in posting:
                    # A heavily edited member of campaign ``near`` that fell short of joining it: posting what it
                    # shares with that campaign would count it as another campaign using those fingerprints, and
                    # a few dozen such misses would turn the campaign's own sentences into stock phrases.
                    continue
                elif len(posting) >= max_postings:
                    common.add(f)
                    del index[f]
                else:
                    posting.append(best)
        return groups, common

    def _regroup(self, prints: Sequence[set[int]], groups: list[int], common: set[int]) -> list[int]:
        """A second pass against the campaigns as they ended the first one.

        The first members of a campaign may be heavily edited copies that share too little with each other to join;
        each then starts a splinter group that later members divide between. By the end, a campaign's members show
        its template: its core is the fingerprints found in a tenth of a sample of its members (not the personal
        sentences and typos its fingerprint set also gathered, which would let independent texts in). Each text
        moves to the campaign whose core it shares most with, if it clears the same threshold; otherwise it stays.
        """
        index: dict[int, list[int]] = {}
        for g, idx in self._members(groups).items():
            chosen = _sample(idx)
            floor = max(2, 0.1 * len(chosen))
            counts = Counter(chain.from_iterable(prints[i] for i in chosen))
            for f, c in counts.items():
                if c >= floor and f not in common:
                    index.setdefault(f, []).append(g)
        out, runner_up = [], []
        for fp, group in zip(prints, groups, strict=True):
            hits, live = self._hits(fp, index, common)
            top, _, joins = self._pick(hits, live)
            out.append(top if joins else group)
            # The best other campaign, for the splinters' vote: worked out now, from the same hits.
            runner_up.append(self._pick(hits, live, exclude=out[-1]))
        return self._join_splinters(out, runner_up)

    @staticmethod
    def _join_splinters(groups: list[int], runner_up: list[tuple[int, int, bool]]) -> list[int]:
        """Join each group whose members mostly clear the threshold with one larger campaign's core too.

        Spun letters (each sentence one of a few wordings, names and towns in them) can start a second group
        before their campaign has shown every wording; its own core then holds its members best, so the second pass
        leaves them there. Half of its members qualifying for the same larger (or equal and older) campaign is the
        evidence that it is a splinter of that campaign, not a template of its own. ``runner_up`` holds, for each
        text, the campaign other than its own that it shares most with (as ``_pick`` gives it).
        """
        sizes = Counter(groups)
        votes: dict[int, Counter] = {}
        for (top, _, joins), group in zip(runner_up, groups, strict=True):
            # Towards the larger campaign, or the older of two equal ones: moves never go round in a circle.
            if joins and (sizes[top], -top) > (sizes[group], -group):
                votes.setdefault(group, Counter())[top] += 1
        moved = {}
        for group, counts in votes.items():
            (target, count), *_ = counts.most_common(1)
            if 2 * count >= sizes[group]:
                moved[group] = target

        def final(group: int) -> int:
            while group in moved:
                group = moved[group]
            return group

        return [final(group) for group in groups]

    def _closest(self, fp: set[int], index: dict[int, list[int]], common: set[int]) -> tuple[int, int, bool]:
        """``(campaign, shared, joins)``: of the campaigns in ``index`` with the most fingerprints shared with
        ``fp``, the oldest (deterministic), how many it shares, and whether that clears the threshold (-1, 0, False:
        none)."""
        return self._pick(*self._hits(fp, index, common))

    @staticmethod
    def _hits(fp: set[int], index: dict[int, list[int]], common: set[int]) -> tuple[Counter, int]:
        """How many of ``fp`` each campaign of ``index`` holds, and how many of ``fp`` count (not stock phrases)."""
        get = index.get
        hits = Counter(chain.from_iterable(filter(None, map(get, fp))))
        return hits, (len(fp) - len(fp & common) if common else len(fp))

    def _pick(self, hits: Counter, live: int, exclude: int = -1) -> tuple[int, int, bool]:
        count, top = 0, -1
        for g, c in hits.items():
            if g != exclude and (c > count or (c == count and g < top)):
                count, top = c, g
        if top < 0:
            return -1, 0, False
        return top, count, count >= max(self.min_shared, self.threshold * live)

    def _members(self, groups: list[int]) -> dict[int, list[int]]:
        """The members of each group of ``min_size`` or more, in order."""
        sizes = Counter(groups)
        members: dict[int, list[int]] = {}
        for i, g in enumerate(groups):
            if sizes[g] >= self.min_size:
                members.setdefault(g, []).append(i)
        return members

    @staticmethod
    def _canonical(idx: list[int], prints: Sequence[set[int]]) -> int:
        """The member closest to the template: its fingerprints are the most frequent in the campaign."""
        chosen = _sample(idx)
        counts = Counter(f for i in chosen for f in prints[i])
        return max(chosen, key=lambda i: (sum(counts[f] for f in prints[i]) / (len(prints[i]) or 1), -i))

    def _link(
        self, X: Sequence[str], langs: Sequence[str | None] | None, identify: Callable[[list[str]], list[str]] | None
    ) -> None:
        canon = sorted(self.canonical_)  # in order of receipt: the original comes first
        if len(canon) < 2:
            return
        known = [langs[i] if langs is not None else None for i in canon]
        missing = [k for k, lang in enumerate(known) if not lang]
        if missing and identify is not None:
            for k, lang in zip(missing, identify([X[canon[k]] for k in missing]), strict=True):
                known[k] = lang
        canon_langs = np.asarray([lang or "" for lang in known])
        if len(set(canon_langs)) < 2:
            return
        embedder = self.embedder if self.embedder is not None else shared_embedder()
        vectors = embedder.encode([X[i][:2000] for i in canon])
        original: dict[int, int] = {}  # position in canon -> position of the campaign it translates
        block = 2048  # rows of the similarity matrix at a time: 2,048 x C floats, whatever the number of campaigns
        for start in range(1, len(canon), block):
            rows = np.arange(start, min(start + block, len(canon)))
            sims = vectors[rows] @ vectors[: rows[-1]].T
            # Earlier campaigns in another language only.
            sims[canon_langs[rows][:, None] == canon_langs[None, : rows[-1]]] = -1.0
            sims[np.arange(sims.shape[1])[None, :] >= rows[:, None]] = -1.0
            best = np.argmax(sims, axis=1)
            for row, b in zip(rows, best, strict=True):
                if sims[row - start, b] >= self.translation_threshold:
                    original[int(row)] = original.get(int(b), int(b))
        label_of = {c: self.labels_[c] for c in canon}
        for row, target in original.items():
            self.translation_of_[self.labels_ == label_of[canon[row]]] = canon[target]
