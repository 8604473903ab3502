"""``concord deliberation import-polis`` and ``export-polis``: Pol.is's CSV columns, read and written back."""

import csv
import datetime as dt
from pathlib import Path

import pytest
from django.core.management import call_command

from concord.deliberation import polis, services
from concord.deliberation.models import Phase, StatementModeration, Vote, VoteEvent

pytestmark = pytest.mark.django_db

OPENDATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "polis-opendata"
T0 = 1_700_000_000_000  # milliseconds, as Pol.is writes them


def _write(path: Path, header, rows):
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        if header:
            writer.writerow(header)
        writer.writerows(rows)


def _read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def export_dir(tmp_path) -> Path:
    """A small fictional conversation in Pol.is's format: a re-vote, a moderated-out and an unmoderated comment."""
    folder = tmp_path / "polis"
    folder.mkdir()
    comments = [
        [T0, "Tue Nov 14 22:13:20 UTC 2023", 0, 0, 2, 0, 1, "Broadband, everywhere, by 2030."],
        [T0 + 1000, "x", 1, 1, 0, 1, 1, 'Spam should be "filtered" by every provider.'],
        [T0 + 2000, "x", 2, 2, 0, 0, -1, "Buy cheap watches"],
        [T0 + 3000, "x", 3, 1, 0, 0, 0, "Privacy first."],
    ]
    _write(folder / "comments.csv", polis.COMMENTS, comments)
    votes = [
        [T0 + 10, "x", 0, 0, 1],
        [T0 + 20, "x", 0, 1, -1],
        [T0 + 30, "x", 0, 1, 1],  # voter 1 changes their mind: the later vote counts
        [T0 + 40, "x", 1, 0, -1],
        [T0 + 50, "x", 1, 2, 0],
    ]
    _write(folder / "votes.csv", polis.VOTES, votes)
    _write(folder / "summary.csv", None, [["topic", "Fictional"], ["groups", 0]])
    return folder


def test_an_export_is_read_with_its_numbers_moderation_and_latest_votes(consultation, export_dir):
    result = polis.import_polis("test", consultation, export_dir)
    assert result == {"statements": 4, "voters": 3, "votes": 4, "events": 5}
    phase = Phase.objects.get(consultation=consultation)
    moderation = dict(phase.statements.values_list("number", "moderation"))
    assert moderation == {
        0: StatementModeration.ACCEPTED,
        1: StatementModeration.ACCEPTED,
        2: StatementModeration.REJECTED,
        3: StatementModeration.PENDING,
    }
    assert Vote.objects.get(voter__number=1, statement__number=0).value == 1
    first = VoteEvent.objects.order_by("voted_at").first()
    assert first.voted_at == dt.datetime.fromtimestamp((T0 + 10) / 1000, tz=dt.UTC)
    # New statements and voters are numbered after the imported ones.
    assert services.add_statement("alice", phase, text="Another one.").number == 4


def test_export_writes_back_what_was_read(consultation, export_dir, tmp_path):
    call_command("deliberation", "import-polis", consultation.slug, str(export_dir))
    out = tmp_path / "out"
    call_command("deliberation", "export-polis", consultation.slug, str(out))
    assert sorted(p.name for p in out.iterdir()) == [
        "comments.csv",
        "participants-votes.csv",
        "summary.csv",
        "votes.csv",
    ]
    original, written = _read(export_dir / "comments.csv"), _read(out / "comments.csv")
    assert list(written[0]) == polis.COMMENTS
    keys = ["timestamp", "comment-id", "author-id", "agrees", "disagrees", "moderated", "comment-body"]
    assert [{k: r[k] for k in keys} for r in written] == [{k: r[k] for k in keys} for r in original]
    votes = _read(out / "votes.csv")
    assert list(votes[0]) == polis.VOTES
    keys = ["timestamp", "comment-id", "voter-id", "vote"]
    assert [{k: r[k] for k in keys} for r in votes] == [
        {k: r[k] for k in keys} for r in _read(export_dir / "votes.csv")
    ]
    matrix = {row["participant"]: row for row in _read(out / "participants-votes.csv")}
    assert matrix["1"]["0"] == "1" and matrix["1"]["n-votes"] == "1" and matrix["1"]["n-comments"] == "2"
    assert matrix["2"]["1"] == "0" and matrix["2"]["0"] == ""
    # Read back into another consultation, the export is the same conversation.
    from tests.factories import make_consultation

    again = make_consultation()
    assert polis.import_polis("test", again, out)["votes"] == 4


def test_an_import_refuses_a_phase_that_has_statements(consultation, phase, statements, export_dir):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("deliberation", "import-polis", consultation.slug, str(export_dir))


@pytest.mark.skipif(not (OPENDATA / "brexit-consensus").exists(), reason="Pol.is open data not present")
def test_a_real_conversation_round_trips(consultation, tmp_path):
    source = OPENDATA / "brexit-consensus"
    result = polis.import_polis("test", consultation, source)
    assert result["statements"] == len(_read(source / "comments.csv"))
    out = tmp_path / "out"
    call_command("deliberation", "export-polis", consultation.slug, str(out))
    # Pol.is's own agrees and disagrees can lag its vote log by a vote or two: compare with the log's latest votes.
    latest = {}
    for row in sorted(_read(source / "votes.csv"), key=lambda r: int(r["timestamp"])):
        latest[row["comment-id"], row["voter-id"]] = row["vote"]
    expected = {
        (
            c,
            str(sum(v == "1" for (cc, _), v in latest.items() if cc == c)),
            str(sum(v == "-1" for (cc, _), v in latest.items() if cc == c)),
        )
        for c in {c for c, _voter in latest}
    }
    written = {(r["comment-id"], r["agrees"], r["disagrees"]) for r in _read(out / "comments.csv")}
    assert expected <= written
    assert len(_read(out / "votes.csv")) == len(_read(source / "votes.csv"))
    grouped = [r for r in _read(out / "participants-votes.csv") if r["group-id"] != ""]
    assert len({r["group-id"] for r in grouped}) >= 2


def test_the_command_opens_seeds_and_registers(consultation, client):
    import io
    import re

    from concord.positions.services import create_position
    from tests.factories import make_entity

    create_position("alice", consultation, slug="new-body", statement="A new body should be created.")
    out = io.StringIO()
    call_command("deliberation", "open", consultation.slug, "--public", stdout=out)
    call_command("deliberation", "seed", consultation.slug, stdout=out)
    entity = make_entity(group="government")
    call_command("deliberation", "register", consultation.slug, str(entity.pk), "--name", "Dana", stdout=out)
    assert "1 statements added from the codebook" in out.getvalue()
    link = re.search(r"voter 1: (\S+)", out.getvalue()).group(1)
    assert entity.name in client.get(link).content.decode()
    assert Phase.objects.get(consultation=consultation).allow_public
