"""The sealed record: every contribution's state and every change of it in one hash chain, which `concord verify`
compares with the record both ways."""

import datetime as dt
import io
import json

import pytest
import time_machine
from django.apps import apps as django_apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.urls import reverse

from concord.consultations.demo import DEMO_SLUG
from concord.contributions import storage
from concord.contributions.extraction import Extraction
from concord.contributions.models import (
    Attachment,
    Consent,
    Contribution,
    ContributionVersion,
    ExtractionStatus,
    Moderation,
    Source,
)
from concord.contributions.services import (
    amend_contribution,
    moderate_contribution,
    record_extraction,
    set_consent,
    submit_written_contribution,
    withdraw_contribution,
)
from concord.contributions.submission import Submitter, Upload
from concord.record import chain, services, verification
from concord.record.models import SealEntry, SealHead, SealKind
from concord.stakeholders.models import Entity, StakeholderGroup
from concord.stakeholders.services import update_entity
from tests.factories import OPENS, make_consultation, make_contribution, make_entity

pytestmark = pytest.mark.django_db
DURING = OPENS + dt.timedelta(days=5)
NGO = Submitter(
    kind="organization",
    name="Fictional Coalition for Open Networks",
    category="ecosoc-ngo",
    group="civil-society",
    country="KE",
    email="contact@coalition.example",
)


def run_verify(*args) -> tuple[int, str, str]:
    """``concord verify``'s exit status, standard output and standard error."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify", *args, stdout=out, stderr=err)
    except CommandError as exc:
        return exc.returncode, out.getvalue(), err.getvalue() + str(exc)
    return 0, out.getvalue(), err.getvalue()


def table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def execute(sql: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))


def submit(consultation, *, source=Source.STAFF, **kwargs):
    kwargs.setdefault("text", "We ask that international interconnection costs be shared fairly.")
    with time_machine.travel(DURING, tick=False):
        return submit_written_contribution(None, consultation, submitter=NGO, source=source, **kwargs).contribution


# A fresh demo --------------------------------------------------------------------------------------------------


def test_a_fresh_demo_verifies_with_every_contribution_sealed(demo, django_assert_max_num_queries):
    count = demo.contributions.count()
    assert count == 98
    with django_assert_max_num_queries(10):  # chain, stored head, contributions, archives, entries: not per row
        report = verification.verify(demo)
    assert report.ok, (report.problems, report.unsealed)
    assert report.contributions == report.entries == count
    head = SealHead.objects.get(consultation=demo)
    assert (head.position, head.entry_sha256) == (report.head_position, report.head_sha256)
    code, out, _err = run_verify(DEMO_SLUG)
    assert code == 0
    assert f"OK: {count} contributions, {count} entries, head #{count} {head.entry_sha256}" in out


def test_the_withheld_demo_contribution_is_sealed_too(demo):
    withheld = demo.contributions.get(consent=Consent.WITHHELD)
    entry = withheld.seal_entries.get()
    assert entry.kind == SealKind.RECEIVED
    assert entry.state["consent"] == Consent.WITHHELD
    assert services.seal_consultation(demo) == 0  # safe to run twice


# Direct edits that change the record's meaning --------------------------------------------------------------------


def _other_entity(contribution):
    return Entity.objects.exclude(pk=contribution.entity_id).filter(group=contribution.group).first()


def _set(column, value, model=Contribution, key="id"):
    """A direct UPDATE of one column of the victim's row (or its entity's), bypassing every service."""

    def edit(c):
        return (
            f"UPDATE {table(model)} SET {column} = %s WHERE id = %s",
            [value(c) if callable(value) else value, c.pk if key == "id" else getattr(c, key)],
        )

    return edit


EDITS = {
    "received time": _set("received_at", lambda c: c.received_at + dt.timedelta(hours=1)),
    "entity": _set("entity_id", lambda c: _other_entity(c).pk),
    "consent": _set("consent", Consent.WITHHELD),
    "stakeholder group": _set("group_id", lambda c: StakeholderGroup.objects.exclude(pk=c.group_id).first().pk),
    "channel": _set("channel", "intervention"),
    "moderation state": _set("moderation", Moderation.HELD),
    "extracted text": _set("extracted_text", "Injected."),
    "text": _set("text", "Rewritten."),
    "entity's name": _set("name", "Republic of Arcadia", model=Entity, key="entity_id"),
}


@pytest.mark.parametrize("label", list(EDITS))
def test_a_direct_edit_of_the_meaning_fails_verify_naming_the_contribution(demo, label):
    victim = demo.contributions.public().filter(channel="written").order_by("received_at")[10]
    execute(*EDITS[label](victim))
    code, _out, err = run_verify(DEMO_SLUG)
    assert code == 1
    line = next(line for line in err.splitlines() if victim.receipt_number in line)
    assert "changed since it was sealed" in line and label in line.split(":")[-1]
    # Renaming the entity changes the meaning of each of its contributions; any other edit, of the victim only.
    touched = demo.contributions.filter(entity=victim.entity_id).count() if label == "entity's name" else 1
    assert err.count("MISMATCH") == touched


def test_an_edited_archived_version_fails_verify(alice):
    consultation = make_consultation()
    contribution = submit(consultation, text="First words about spam.")
    with time_machine.travel(DURING + dt.timedelta(days=1), tick=False):
        amend_contribution(alice, contribution, text="Second words about spam.")
    assert verification.verify(consultation).ok
    first = ContributionVersion.objects.get(contribution=contribution, number=1)
    execute(f"UPDATE {table(ContributionVersion)} SET text = %s WHERE id = %s", ["Other words.", first.pk])
    problems = [str(p) for p in verification.verify(consultation).problems]
    assert problems == [f"#1 {contribution.receipt_number}: archived version 1 no longer matches what was sealed"]
    current = ContributionVersion.objects.get(contribution=contribution, number=2)
    execute(f"UPDATE {table(ContributionVersion)} SET text = %s WHERE id = %s", ["Other words.", current.pk])
    problems = [str(p) for p in verification.verify(consultation).problems]
    assert f"#2 {contribution.receipt_number}: changed since it was sealed: archived version" in problems


def test_a_deleted_archived_version_fails_verify(alice):
    consultation = make_consultation()
    contribution = submit(consultation)
    services.seal_contribution(contribution)
    execute(f"DELETE FROM {table(ContributionVersion)} WHERE contribution_id = %s", [contribution.pk])
    (problem,) = verification.verify(consultation, check_files=False).problems
    assert contribution.receipt_number in str(problem) and "archived version" in str(problem)


# Deleted entries ---------------------------------------------------------------------------------------------------


def test_deleting_the_last_entries_fails_verify_naming_their_contributions(demo):
    last = list(SealEntry.objects.filter(consultation=demo).order_by("-position")[:3])
    execute(f"DELETE FROM {table(SealEntry)} WHERE position > %s AND consultation_id = %s", [95, demo.pk])
    code, _out, err = run_verify(DEMO_SLUG)
    assert code == 1
    assert "the chain ends at entry 95" in err and "its last head was entry 98" in err
    for entry in last:
        assert f"NOT SEALED {entry.receipt_number}" in err
    assert "3 contributions not sealed yet" in err


def test_deleting_the_last_entries_and_the_stored_head_still_fails(demo):
    last = SealEntry.objects.filter(consultation=demo).order_by("-position").first()
    execute(f"DELETE FROM {table(SealEntry)} WHERE id = %s", [last.pk])
    execute(f"DELETE FROM {table(SealHead)} WHERE consultation_id = %s", [demo.pk])
    report = verification.verify(demo)
    assert report.unsealed == [last.receipt_number]
    assert [str(p) for p in report.problems] == ["chain: the chain's stored head is missing"]


def test_deleting_the_whole_chain_is_never_ok(demo):
    execute(f"DELETE FROM {table(SealEntry)} WHERE consultation_id = %s", [demo.pk])
    code, out, err = run_verify(DEMO_SLUG)
    assert code == 1 and "OK" not in out
    assert "98 contributions not sealed yet" in err
    assert "the chain ends at entry 0" in err
    first = demo.contributions.order_by("pk").first()
    assert f"NOT SEALED {first.receipt_number}" in err


def test_a_chain_truncated_and_resealed_is_caught_by_a_head_kept_outside(demo, client, tmp_path):
    metadata = client.get(reverse("record:data-metadata", kwargs={"slug": DEMO_SLUG})).json()
    kept = tmp_path / "metadata.json"
    kept.write_text(json.dumps(metadata))
    head = metadata["seal"]
    assert run_verify(DEMO_SLUG, "--head-file", str(kept))[0] == 0
    assert run_verify(DEMO_SLUG, "--head", head["head_sha256"], "--head-count", str(head["entries"]))[0] == 0
    # Someone with the database deletes the last entry and the stored head, then seals again: a consistent
    # chain of the same length, but not the one published.
    last = SealEntry.objects.filter(consultation=demo).order_by("-position").first()
    execute(f"DELETE FROM {table(SealEntry)} WHERE id = %s", [last.pk])
    execute(f"DELETE FROM {table(SealHead)} WHERE consultation_id = %s", [demo.pk])
    with time_machine.travel(dt.datetime(2027, 1, 5, tzinfo=dt.UTC), tick=False):
        assert services.seal_consultation(demo) == 1
    assert verification.verify(demo).ok
    code, _out, err = run_verify(DEMO_SLUG, "--head-file", str(kept))
    assert code == 1
    assert f"#98 {last.receipt_number}: the head kept earlier, entry 98 ({head['head_sha256']})" in err


def test_a_contribution_deleted_under_its_entries_fails_verify(demo):
    # The foreign keys are checked at commit (deferred), so a direct DELETE goes through inside a transaction.
    victim = demo.contributions.filter(consent=Consent.WITHHELD).get()
    entry = victim.seal_entries.get()
    point = transaction.savepoint()
    execute(f"DELETE FROM {table(Contribution)} WHERE id = %s", [victim.pk])
    problems = [str(p) for p in verification.verify(demo).problems]
    transaction.savepoint_rollback(point)  # before the test's end checks the foreign keys
    assert problems == [
        f"#{entry.position} {victim.receipt_number}: the sealed contribution is no longer in this consultation's record"
    ]


def test_a_kept_head_needs_its_count_and_hash(demo):
    with pytest.raises(CommandError, match="both its SHA-256"):
        call_command("verify", DEMO_SLUG, "--head", "abc")


def test_appending_after_deleted_entries_keeps_the_gap_visible(alice):
    consultation = make_consultation()
    first, second = make_contribution(consultation), make_contribution(consultation)
    execute(f"DELETE FROM {table(SealEntry)} WHERE contribution_id = %s", [second.pk])
    moderate_contribution(alice, first, "hold", "Check the sender")
    positions = list(SealEntry.objects.filter(consultation=consultation).values_list("position", flat=True))
    assert positions == [1, 3]  # linked to the stored head, not to the last entry left
    problems = [str(p) for p in verification.verify(consultation).problems]
    assert f"#3 {first.receipt_number}: position 3 where 2 was expected (entries are missing)" in problems


# Files -------------------------------------------------------------------------------------------------------------


def test_a_deleted_stored_file_fails_verify_and_its_download_answers_410(client):
    consultation = make_consultation()
    contribution = submit(consultation, uploads=[Upload("note.txt", b"Interconnection costs, in plain text.\n")])
    services.seal_contribution(contribution)
    attachment = Attachment.objects.get(version__contribution=contribution)
    url = reverse(
        "contributions:download",
        kwargs={"slug": consultation.slug, "receipt": contribution.receipt_number, "attachment_id": attachment.pk},
    )
    assert client.get(url).status_code == 200
    assert verification.verify(consultation).ok
    storage.path_for(attachment.sha256).unlink()
    (problem,) = verification.verify(consultation).problems
    assert str(problem) == (
        f"{contribution.receipt_number}: the stored file “note.txt” ({attachment.sha256}) is missing"
    )
    response = client.get(url)
    assert response.status_code == 410
    assert "This file is not available" in response.content.decode()


def test_a_stored_file_altered_on_disk_fails_verify():
    consultation = make_consultation()
    contribution = submit(consultation, uploads=[Upload("note.txt", b"Original bytes.\n")])
    services.seal_contribution(contribution)
    attachment = Attachment.objects.get(version__contribution=contribution)
    path = storage.path_for(attachment.sha256)
    path.chmod(0o644)
    path.write_bytes(b"Altered bytes.\n")
    (problem,) = verification.verify(consultation).problems
    assert "no longer matches its SHA-256" in str(problem)
    assert verification.verify(consultation, check_files=False).ok


# Every change of state is its own entry, in the change's transaction ----------------------------------------------


def test_each_change_of_publication_state_appends_its_own_entry(alice):
    consultation = make_consultation()
    contribution = make_contribution(consultation)
    moderate_contribution(alice, contribution, "hold", "Check the sender")
    moderate_contribution(alice, contribution, "publish", "Sender confirmed")
    set_consent(alice, contribution, Consent.ANONYMOUS)
    moderate_contribution(alice, contribution, "reject", "Spam after all")
    with time_machine.travel(consultation.opens_at + dt.timedelta(days=3), tick=False):
        withdraw_contribution(alice, contribution)
    kinds = list(
        SealEntry.objects.filter(contribution=contribution).order_by("position").values_list("kind", flat=True)
    )
    assert kinds == ["received", "held", "published", "consent", "rejected", "withdrawn"]
    assert verification.verify(consultation).ok


def test_sealing_a_change_takes_a_fixed_number_of_queries(alice, django_assert_max_num_queries):
    consultation = make_consultation()
    contribution = submit(consultation, uploads=[Upload("note.txt", b"Spam costs small businesses.\n")])
    services.seal_contribution(contribution)
    Contribution.objects.filter(pk=contribution.pk).update(moderation=Moderation.HELD)
    # Locks, the state (contribution, versions, files), its last entry, the head, the entry, the head, the audit.
    with django_assert_max_num_queries(10):
        entry = services.seal_contribution(contribution)
    assert entry.kind == SealKind.HELD
    with django_assert_max_num_queries(5):
        assert services.seal_contribution(contribution) is None


def test_an_amendment_and_its_extracted_text_are_sealed(alice):
    consultation = make_consultation()
    contribution = submit(consultation, uploads=[Upload("note.txt", b"Spam costs small businesses.\n")])
    services.seal_contribution(contribution)
    with time_machine.travel(DURING + dt.timedelta(days=1), tick=False):
        amend_contribution(alice, contribution, text="Amended: spam costs small businesses dearly.")
    contribution.refresh_from_db()
    attachment = Attachment.objects.get(version__contribution=contribution, version__number=2)
    record_extraction(attachment.pk, Extraction(ExtractionStatus.EXTRACTED, "Spam costs small businesses."))
    entries = SealEntry.objects.filter(contribution=contribution).order_by("position")
    assert [(e.kind, e.version) for e in entries] == [("received", 1), ("amended", 2), ("extracted", 2)]
    assert entries.last().state["extracted_text_sha256"] == chain.text_sha256("Spam costs small businesses.")
    assert verification.verify(consultation).ok


def test_a_renamed_entity_is_sealed_with_its_new_name(alice):
    consultation = make_consultation()
    entity = make_entity("Fictional Network Society")
    contribution = make_contribution(consultation, entity)
    update_entity(alice, entity, name="Fictional Internet Society")
    entry = SealEntry.objects.filter(contribution=contribution).order_by("position").last()
    assert (entry.kind, entry.state["entity_name"]) == ("changed", "Fictional Internet Society")
    assert verification.verify(consultation).ok


def test_a_new_online_submission_is_reported_not_sealed_until_the_worker_seals_it(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # queued, as in production
    consultation = make_consultation()
    contribution = submit(consultation, source=Source.WEB)  # the receipt never waits for the chain
    assert not SealEntry.objects.filter(contribution=contribution).exists()
    code, _out, err = run_verify(consultation.slug)
    assert code == 1
    assert f"NOT SEALED {contribution.receipt_number}" in err and "1 contributions not sealed yet" in err
    services.contribution_changed(contribution.pk)  # what the background task runs
    assert run_verify(consultation.slug)[0] == 0


def test_a_moderation_rolled_back_leaves_no_entry(alice):
    consultation = make_consultation()
    contribution = make_contribution(consultation)
    with pytest.raises(RuntimeError), transaction.atomic():
        moderate_contribution(alice, contribution, "hold", "Check the sender")
        raise RuntimeError("the request failed after the decision")
    assert list(contribution.seal_entries.values_list("kind", flat=True)) == ["received"]
    assert verification.verify(consultation).ok


# Public surfaces of the head -----------------------------------------------------------------------------------------


def test_the_head_is_on_the_consultation_and_record_pages_and_in_the_open_data(demo, client):
    head = services.head(demo)
    for page in ("record:consultation", "record:record"):
        html = client.get(reverse(page, kwargs={"slug": DEMO_SLUG})).content.decode()
        assert head.entry_sha256 in html and "it holds 98 entries" in html
    metadata = client.get(reverse("record:data-metadata", kwargs={"slug": DEMO_SLUG})).json()
    assert metadata["seal"]["entries"] == head.position == 98
    assert metadata["seal"]["head_sha256"] == head.entry_sha256


def test_the_contribution_page_shows_the_entry_of_its_current_state(demo, client, alice):
    contribution = demo.contributions.public().order_by("received_at").first()
    moderate_contribution(alice, contribution, "publish", "Confirmed again")
    latest = contribution.seal_entries.order_by("-position").first()
    url = reverse("record:contribution", kwargs={"slug": DEMO_SLUG, "receipt": contribution.receipt_number})
    assert latest.entry_sha256 in client.get(url).content.decode()


# Chains sealed before migration 0009 -----------------------------------------------------------------------------


def _legacy_entry(consultation, contribution, position, previous):
    entry = SealEntry(
        consultation=consultation,
        position=position,
        kind=SealKind.VERSION,
        contribution=contribution,
        receipt_number=contribution.receipt_number,
        version=contribution.version,
        content_sha256=chain.canonical_sha256(chain.legacy_content(contribution, SealKind.VERSION, 1)),
        previous_sha256=previous,
        sealed_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
    )
    entry.entry_sha256 = chain.canonical_sha256(chain.entry_fields(entry, consultation.slug))
    entry.save()
    return entry


def test_a_chain_of_the_former_scheme_still_verifies_and_is_brought_up_to_date():
    from importlib import import_module

    migration = import_module("concord.record.migrations.0009_seal_every_state_and_keep_the_head")
    consultation = make_consultation()
    contribution = make_contribution(consultation)
    SealEntry.objects.filter(consultation=consultation).delete()
    SealHead.objects.filter(consultation=consultation).delete()
    legacy = _legacy_entry(consultation, contribution, 1, chain.GENESIS)
    migration.keep_each_chains_head(django_apps, None)
    assert SealHead.objects.get(consultation=consultation).entry_sha256 == legacy.entry_sha256
    report = verification.verify(consultation)
    assert (report.problems, report.unsealed) == ([], [contribution.receipt_number])
    execute(f"UPDATE {table(Contribution)} SET text = %s WHERE id = %s", ["Rewritten.", contribution.pk])
    problems = [str(p) for p in verification.verify(consultation).problems]
    assert problems == [f"#1 {contribution.receipt_number}: the content no longer matches what was sealed"]
    execute(f"UPDATE {table(Contribution)} SET text = %s WHERE id = %s", [contribution.text, contribution.pk])
    assert services.seal_consultation(consultation) == 1
    assert verification.verify(consultation).ok
