"""Metrics for the evaluations: multi-label F1 and B-cubed clustering F1."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence


def multilabel_f1(truth: Sequence[Sequence[str]], predicted: Sequence[Sequence[str]], labels: Sequence[str]) -> dict:
    """Micro and macro F1 (macro over ``labels``), and F1 per label."""
    tp, fp, fn = Counter(), Counter(), Counter()
    for t, p in zip(truth, predicted, strict=True):
        t, p = set(t), set(p)
        for label in t & p:
            tp[label] += 1
        for label in p - t:
            fp[label] += 1
        for label in t - p:
            fn[label] += 1
    per_label = {}
    for label in labels:
        denominator = 2 * tp[label] + fp[label] + fn[label]
        per_label[label] = 2 * tp[label] / denominator if denominator else 1.0
    total_tp, total_fp, total_fn = sum(tp.values()), sum(fp.values()), sum(fn.values())
    micro = 2 * total_tp / max(2 * total_tp + total_fp + total_fn, 1)
    return {"micro_f1": micro, "macro_f1": sum(per_label.values()) / len(labels), "per_label": per_label}


def bcubed(truth: Sequence, predicted: Sequence) -> dict:
    """B-cubed precision, recall and F1 of a clustering; each item is its own cluster where its label is None."""
    truth = [("t", i) if t is None else t for i, t in enumerate(truth)]
    predicted = [("p", i) if p is None else p for i, p in enumerate(predicted)]
    pair = Counter(zip(truth, predicted, strict=True))
    t_size, p_size = Counter(truth), Counter(predicted)
    n = len(truth)
    precision = sum(count * count / p_size[p] for (t, p), count in pair.items()) / n
    recall = sum(count * count / t_size[t] for (t, p), count in pair.items()) / n
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def group_by(values: Sequence) -> dict:
    groups = defaultdict(list)
    for i, v in enumerate(values):
        groups[v].append(i)
    return groups
