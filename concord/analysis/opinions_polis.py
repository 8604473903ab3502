"""Read a Pol.is CSV export (comments.csv, votes.csv, summary.csv, participants-votes.csv) into votes, and write
``OpinionModel`` results in the shape of ``concord analyze opinions``.

Pol.is export conventions, checked on the compdemocracy/openData files: ``vote`` is 1 agree, -1 disagree, 0 pass
(the per-comment agree counts of comments.csv match the 1s); votes.csv is the raw log, re-votes included, so the
latest vote per voter and comment wins; ``moderated`` is 1 accepted, 0 not yet moderated, -1 moderated out.
participants-votes.csv is the same matrix once the re-votes are resolved, plus Pol.is's own ``group-id``.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass, field

from concord.analysis.opinions import OpinionModel, Vote

# Some exports carry multi-megabyte comment bodies in one field.
csv.field_size_limit(1 << 30)


class PolisExportError(ValueError):
    """The directory is not a readable Pol.is export."""


@dataclass
class PolisExport:
    votes: list[Vote]
    comments: list[str]  # comment ids, in the file's order
    moderated_out: set[str] = field(default_factory=set)
    moderated_in: set[str] = field(default_factory=set)
    summary: dict[str, str] = field(default_factory=dict)
    polis_groups: dict[str, int | None] = field(default_factory=dict)  # participants-votes.csv group-id


def _rows(path: str, required: tuple[str, ...]) -> list[dict]:
    try:
        with open(path, encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            missing = [c for c in required if c not in (reader.fieldnames or [])]
            if missing:
                raise PolisExportError(f"{path}: missing column(s) {', '.join(missing)}")
            return list(reader)
    except UnicodeDecodeError as exc:
        raise PolisExportError(f"{path}: not UTF-8 text ({exc.reason})") from exc
    except csv.Error as exc:
        raise PolisExportError(f"{path}: not CSV ({exc})") from exc


def _int(value: str, path: str, line: int, column: str) -> int:
    try:
        return int(float(value))
    except (TypeError, ValueError):
        raise PolisExportError(f"{path}:{line}: {column} is not a number: {value!r}") from None


def read_export(directory: str) -> PolisExport:
    """Votes and moderation from an export directory; votes.csv when present, else participants-votes.csv."""
    if not os.path.isdir(directory):
        raise PolisExportError(f"{directory}: not a directory")
    path = os.path.join(directory, "comments.csv")
    if not os.path.isfile(path):
        raise PolisExportError(f"{directory}: no comments.csv (not a Pol.is export)")
    comments, mod_out, mod_in = [], set(), set()
    for line, row in enumerate(_rows(path, ("comment-id", "moderated")), 2):
        cid = str(_int(row["comment-id"], path, line, "comment-id"))
        comments.append(cid)
        moderated = _int(row["moderated"] or "0", path, line, "moderated")
        if moderated < 0:
            mod_out.add(cid)
        elif moderated > 0:
            mod_in.add(cid)
    summary = {}
    path = os.path.join(directory, "summary.csv")
    if os.path.isfile(path):
        with open(path, encoding="utf-8", newline="") as f:
            summary = {row[0]: row[1] for row in csv.reader(f) if len(row) >= 2}
    votes, polis_groups = [], {}
    votes_path = os.path.join(directory, "votes.csv")
    matrix_path = os.path.join(directory, "participants-votes.csv")
    if os.path.isfile(matrix_path):
        rows = _rows(matrix_path, ("participant", "group-id"))
        for line, row in enumerate(rows, 2):
            pid = str(_int(row["participant"], matrix_path, line, "participant"))
            group = row["group-id"].strip()
            polis_groups[pid] = _int(group, matrix_path, line, "group-id") if group else None
    if os.path.isfile(votes_path):
        for line, row in enumerate(_rows(votes_path, ("timestamp", "comment-id", "voter-id", "vote")), 2):
            vote = _int(row["vote"], votes_path, line, "vote")
            if vote not in (-1, 0, 1):
                raise PolisExportError(f"{votes_path}:{line}: vote must be 1, -1 or 0, not {vote}")
            votes.append(
                Vote(
                    str(_int(row["voter-id"], votes_path, line, "voter-id")),
                    str(_int(row["comment-id"], votes_path, line, "comment-id")),
                    vote,
                    float(_int(row["timestamp"], votes_path, line, "timestamp")),
                )
            )
    elif os.path.isfile(matrix_path):
        # No vote log: the matrix has the latest votes but no times, so who joined when cannot be replayed.
        with open(matrix_path, encoding="utf-8", newline="") as f:
            reader = csv.reader(f)
            header = next(reader)
            columns = [(i, name) for i, name in enumerate(header) if name.strip().isdigit()]
            for line, row in enumerate(reader, 2):
                pid = str(_int(row[0], matrix_path, line, "participant"))
                for i, cid in columns:
                    if i < len(row) and row[i].strip():
                        votes.append(Vote(pid, cid, _int(row[i], matrix_path, line, cid)))
    else:
        raise PolisExportError(f"{directory}: neither votes.csv nor participants-votes.csv")
    return PolisExport(votes, comments, mod_out, mod_in, summary, polis_groups)


def analyse_export(directory: str, model: OpinionModel | None = None) -> tuple[OpinionModel, PolisExport]:
    export = read_export(directory)
    model = (model or OpinionModel()).fit(export.votes, moderated_out=export.moderated_out)
    return model, export


def contract_output(model: OpinionModel, export: PolisExport) -> dict:
    """The JSON of ``concord analyze opinions``: every voter with a group id or null, the groups, and per comment
    the votes of each group and the group-aware consensus."""
    comments = list(dict.fromkeys([*export.comments, *model.statements_]))
    n_groups = len(model.groups_)
    empty = {"agree": 0, "disagree": 0, "pass": 0}
    return {
        "participants": dict(model.participants_),
        "groups": [{"id": g["id"], "size": g["size"]} for g in model.groups_],
        "comments": {
            cid: {
                "groups": {str(g): dict(model.statement_votes_.get(cid, {}).get(g, empty)) for g in range(n_groups)},
                # A comment nobody voted on still has Pol.is's prior: one half per group.
                "group_aware_consensus": model.group_aware_consensus_.get(cid, 0.5**n_groups),
            }
            for cid in comments
        },
    }
