"""Discovery: proposals that no position of the codebook covers, grouped across languages.

A proposal-like unit is one where the speaker (not "others") proposes, calls for, recommends or urges something
(a strong support cue of ``stance_cues``, not negated). Units already about a position of the codebook are left out.
The rest are embedded with the multilingual encoder and clustered by average linkage on cosine distance, so a French
and a Chinese call for the same thing can meet; a cluster is a suggestion once it holds units from ``min_texts``
different texts. Average linkage, unlike single linkage, does not chain unrelated proposals through a sequence of
near neighbours.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.base import BaseEstimator

from . import stance_cues
from .stance import Position
from .units import Unit, split_units


@dataclass
class Suggestion:
    """A proposal several texts make that the codebook lacks."""

    representative: Unit  # the member closest to the cluster's centre
    representative_id: str  # the text it comes from
    size: int  # distinct texts
    member_ids: list[str]  # distinct texts, in input order
    units: list[tuple[str, Unit]]  # every member unit with its text's id
    langs: list[str]  # languages of the member texts, where given


def proposal_units(text: str) -> list[Unit]:
    """Units in which the speaker, in the first person, puts something forward (questions are not proposals)."""
    out = []
    for unit in split_units(text):
        if unit.text.rstrip("\"'»”) ").endswith(("?", "？", "؟")):
            continue
        reading = stance_cues.read(unit.text)
        if reading.hearsay or not reading.first_person or reading.neutral:
            continue
        if any(c.polarity == stance_cues.SUPPORT and c.strength >= 1 and not c.negated for c in reading.cues):
            out.append(unit)
    return out


class PositionDiscovery(BaseEstimator):
    """``fit(texts, ids, langs, positions)``; the suggestions are in ``suggestions_``, largest first.

    Parameters
    ----------
    distance : average cosine distance below which proposals join one cluster.
    covered : cosine to a position's statement or example from which a unit counts as covered by the codebook.
    min_texts : distinct texts a cluster needs to be suggested.
    """

    def __init__(self, distance: float = 0.55, covered: float = 0.5, min_texts: int = 2, embedder=None, random_state=0):
        self.distance = distance
        self.covered = covered
        self.min_texts = min_texts
        self.embedder = embedder
        self.random_state = random_state

    def fit(
        self,
        texts: Sequence[str],
        ids: Sequence[str] | None = None,
        langs: Sequence[str | None] | None = None,
        positions: Sequence[Position] = (),
    ) -> PositionDiscovery:
        from sklearn.cluster import AgglomerativeClustering

        from .stance import _embedder

        ids = [str(i) for i in ids] if ids is not None else [str(i) for i in range(len(texts))]
        langs = list(langs) if langs is not None else [None] * len(texts)
        embed = _embedder(self.embedder)
        members = [(i, unit) for i, text in enumerate(texts) for unit in proposal_units(text)]
        # A sentence found word for word in several texts is quoted (the call's own questions, a campaign's
        # letter), not proposed by each: it would make the largest "suggestion" of all.
        seen: dict[str, set[int]] = {}
        for i, unit in members:
            seen.setdefault(" ".join(unit.text.lower().split()), set()).add(i)
        members = [(i, u) for i, u in members if len(seen[" ".join(u.text.lower().split())]) == 1]
        vectors = embed.encode([unit.text for _, unit in members])
        if len(members) and positions:
            anchors = np.vstack(
                [embed.encode([*p.statements.values(), *(t for t, _ in p.examples)]) for p in positions]
            )
            keep = (vectors @ anchors.T).max(axis=1) < self.covered
            members = [m for m, k in zip(members, keep, strict=True) if k]
            vectors = vectors[keep]
        self.proposals_ = len(members)
        self.suggestions_ = []
        if len(members) < 2:
            return self
        labels = AgglomerativeClustering(
            n_clusters=None, metric="cosine", linkage="average", distance_threshold=self.distance
        ).fit_predict(vectors)
        for label in np.unique(labels):
            rows = np.flatnonzero(labels == label)
            text_indices = sorted({members[r][0] for r in rows})
            if len(text_indices) < self.min_texts:
                continue
            centre = vectors[rows].mean(axis=0)
            best = rows[int(np.argmax(vectors[rows] @ centre))]
            self.suggestions_.append(
                Suggestion(
                    representative=members[best][1],
                    representative_id=ids[members[best][0]],
                    size=len(text_indices),
                    member_ids=[ids[i] for i in text_indices],
                    units=[(ids[members[r][0]], members[r][1]) for r in rows],
                    langs=sorted({langs[i] for i in text_indices if langs[i]}),
                )
            )
        # Largest first; ties in order of the representative's text, so the order is the same on every run.
        self.suggestions_.sort(key=lambda s: (-s.size, ids.index(s.representative_id), s.representative.start))
        return self
