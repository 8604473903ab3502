"""The written channel's service: receipts, idempotency, bad input, amendments, withdrawal, moderation."""

import datetime as dt
import hashlib

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django_tasks_db.models import DBTaskResult

from concord.consultations.services import update_consultation
from concord.contributions import storage
from concord.contributions.models import Attachment, Consent, Contribution, ExtractionStatus, Moderation, Source
from concord.contributions.services import (
    access_by_token,
    amend_contribution,
    moderate_contribution,
    submit_written_contribution,
    withdraw_contribution,
)
from concord.contributions.submission import Submitter, Upload, clean_text, manifest_sha256
from concord.core.audit import entries_for
from tests.concurrency import at_once, slowed
from tests.factories import CLOSES, OPENS, make_consultation

from . import files

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
PERSON = Submitter(kind="individual", name="Ada Fictional", country="FR", email="ada@example.org")
FRENCH = "Nous demandons que les coûts d'interconnexion internationale soient réduits pour les pays en développement."


@pytest.fixture
def consultation():
    return make_consultation(questions=("Which issues are not adequately addressed?", "Which processes?"))


def submit(consultation, *, now=DURING, submitter=NGO, **kwargs):
    kwargs.setdefault("text", FRENCH)
    with time_machine.travel(now, tick=False):
        return submit_written_contribution(None, consultation, submitter=submitter, **kwargs)


def refusal(consultation, **kwargs) -> str:
    with pytest.raises(ValidationError) as refused:
        submit(consultation, **kwargs)
    return refused.value.error_list[0].code


def test_a_submission_gets_a_receipt_with_the_sha256_of_what_was_received(consultation):
    pdf = files.pdf("Une contribution fictive en français.", "fr")
    submission = submit(consultation, title="Coûts", uploads=[Upload("note.pdf", pdf)])
    contribution = submission.contribution
    receipt = submission.receipt()
    assert receipt == {
        "receipt": "TST-W-000001",
        "sha256": contribution.sha256,
        "received_at": DURING.isoformat(),
        "status": "pending",
    }
    files_manifest = [{"name": "note.pdf", "sha256": hashlib.sha256(pdf).hexdigest(), "size": len(pdf)}]
    assert contribution.sha256 == manifest_sha256("Coûts", FRENCH, [], files_manifest)
    assert storage.read_bytes(files_manifest[0]["sha256"]) == pdf
    assert (contribution.language, contribution.source) == ("fr", Source.WEB)
    assert contribution.entity.name == "Fictional Coalition for Open Networks"
    assert contribution.group.slug == "civil-society"


def test_the_text_of_attachments_is_extracted_after_commit(consultation, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submission = submit(
            consultation,
            text="",
            answers=[],
            uploads=[
                Upload("a.docx", files.docx("Le spam est un fléau pour les petites entreprises du monde entier."))
            ],
        )
    contribution = Contribution.objects.get(pk=submission.contribution.pk)
    attachment = Attachment.objects.get(version__contribution=contribution)
    assert attachment.extraction_status == ExtractionStatus.EXTRACTED
    assert "Le spam est un fléau" in contribution.extracted_text
    assert contribution.language == "fr"


def test_the_receipt_is_sent_by_e_mail_with_the_private_link(consultation, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submission = submit(
            consultation, manage_url=lambda receipt, token: f"https://concord.example/m/{receipt}/{token}"
        )
    [message] = mail.outbox
    assert message.to == ["contact@coalition.example"]
    assert "TST-W-000001" in message.subject
    assert submission.contribution.sha256 in message.body
    assert f"https://concord.example/m/TST-W-000001/{submission.manage_token}" in message.body
    assert "Numéro" in message.body  # The receipt speaks the contribution's language.


def test_a_retry_with_the_same_idempotency_key_creates_nothing_twice(consultation):
    first = submit(consultation, idempotency_key="key-1")
    again = submit(consultation, idempotency_key="key-1", now=DURING + dt.timedelta(seconds=3))
    assert (first.created, again.created) == (True, False)
    assert again.contribution.pk == first.contribution.pk
    assert Contribution.objects.count() == 1


def test_a_refused_duplicate_leaves_no_gap_in_the_receipts(consultation):
    first = submit(consultation, idempotency_key="key-1")
    submit(consultation, idempotency_key="key-1")
    second = submit(consultation, idempotency_key="key-2")
    receipts = [first.contribution.receipt_number, second.contribution.receipt_number]
    assert receipts == ["TST-W-000001", "TST-W-000002"]


def test_the_submission_is_audited_with_its_receipt(consultation):
    contribution = submit(consultation).contribution
    entry = entries_for(contribution).get(action="contribution.submit")
    assert (entry.target_id, entry.target_repr) == (str(contribution.pk), "TST-W-000001")
    assert entry.changes["id"] == [None, contribution.pk]
    assert entry.changes["receipt_number"] == [None, "TST-W-000001"]
    assert entry.changes["sha256"] == [None, contribution.sha256]
    assert entry.changes["entity_id"] == [None, contribution.entity_id]


def test_the_record_upkeep_is_queued_with_the_submission(consultation, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    contribution = submit(consultation).contribution
    task = DBTaskResult.objects.get(task_path="concord.record.tasks.contribution_changed")
    assert (task.args_kwargs, task.status, task.queue_name) == (
        {"args": [contribution.pk], "kwargs": {}},
        "READY",
        "default",
    )


def test_the_answers_are_kept_with_their_questions(consultation):
    question = consultation.questions.first()
    submission = submit(consultation, text="", answers=[{"question_id": question.id, "answer": FRENCH}])
    assert submission.contribution.answers == [
        {"question_id": question.id, "question": question.text, "answer": FRENCH}
    ]


def test_an_individual_is_recorded_as_such(consultation):
    contribution = submit(consultation, submitter=PERSON).contribution
    assert (contribution.entity.kind, contribution.entity.category.slug) == ("individual", "individual")


def test_the_same_organisation_typed_differently_is_one_entity(consultation):
    first = submit(consultation).contribution
    variant = Submitter(**{**NGO.__dict__, "name": "  fictional coalition FOR open networks "})
    second = submit(consultation, submitter=variant).contribution
    assert first.entity_id == second.entity_id


def test_html_and_script_are_stored_as_text(consultation):
    text = "<script>alert('x')</script> Nous rejetons le <b>spam</b> et défendons la vie privée des usagers."
    assert submit(consultation, text=text).contribution.text == text


def test_control_characters_are_removed_from_text(consultation):
    contribution = submit(consultation, text=FRENCH + "\x00\x07\x1b").contribution
    assert contribution.text == FRENCH


def test_clean_text_removes_every_control_character_but_newline_and_tab():
    # C0 and C1 controls and DEL go, and so does a zero-width space (format characters: test_text_cleaning.py);
    # a no-break space and line ends (normalised) stay.
    typed = "Ligne\x01 un\tcolonne\x7f\x85\x9f\r\nLigne\u00a0deux\u200b\rfin\x00"
    assert clean_text(typed) == "Ligne un\tcolonne\nLigne\u00a0deux\nfin"


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"text": "  ", "answers": []}, "empty"),
        ({"uploads": [Upload("empty.pdf", b"")]}, "empty-file"),
        ({"uploads": [Upload("report.pdf", b"MZ\x90\x00" + b"\x00" * 400)]}, "unsupported-type"),
        ({"uploads": [Upload("locked.pdf", files.encrypted_pdf("Locked"))]}, "encrypted-pdf"),
        ({"uploads": [Upload("broken.pdf", files.pdf("Broken")[:300])]}, "corrupt-file"),
        ({"uploads": [Upload("bomb.docx", files.zip_bomb_docx())]}, "zip-bomb"),
        ({"text": "Wir fordern, dass die internationalen Verbindungskosten gesenkt werden."}, "unsupported-language"),
        (
            {
                "submitter": Submitter(
                    kind="organization",
                    name="X",
                    category="business",
                    group="technical-academic",
                    email="x@example.org",
                )
            },
            "unknown-group",
        ),  # noqa: E501
        (
            {"submitter": Submitter(kind="organization", name="", category="business", email="x@example.org")},
            "missing-name",
        ),
        ({"submitter": Submitter(kind="individual", name="Ada Fictional")}, "missing-email"),
        ({"consent": "everywhere"}, "invalid"),
    ],
    ids=[
        "empty",
        "0-byte-file",
        "spoofed-type",
        "encrypted-pdf",
        "corrupt-pdf",
        "zip-bomb",
        "unsupported-language",
        "group-not-heard",
        "no-name",
        "no-email",
        "bad-consent",
    ],
)
def test_bad_input_is_refused_and_nothing_is_stored(consultation, kwargs, code):
    kept = submit(consultation, idempotency_key="kept").contribution
    assert refusal(consultation, **kwargs) == code
    assert list(Contribution.objects.values_list("pk", "sha256")) == [(kept.pk, kept.sha256)]


def test_an_oversized_file_is_refused(consultation, settings):
    settings.CONCORD_MAX_FILE_BYTES = 1000
    assert refusal(consultation, uploads=[Upload("big.txt", b"a" * 1001)]) == "file-too-large"


def test_more_files_than_allowed_are_refused(consultation, settings):
    settings.CONCORD_MAX_FILES = 2
    uploads = [Upload(f"{i}.txt", f"Note {i} sur la vie privée".encode()) for i in range(3)]
    assert refusal(consultation, uploads=uploads) == "too-many-files"


def test_file_names_lose_directories_and_control_characters(consultation):
    uploads = [
        Upload("../../etc/passwd\x00.txt", b"Texte sur la vie privee."),
        Upload("C:\\Users\\a\\b\u202e.txt", b"Note."),
    ]
    submission = submit(consultation, uploads=uploads)
    names = list(Attachment.objects.order_by("position").values_list("name", flat=True))
    assert names == ["passwd.txt", "b.txt"]
    assert submission.contribution.sha256


@pytest.mark.parametrize(
    ("moment", "code"),
    [(OPENS - dt.timedelta(seconds=1), "not-open-yet"), (CLOSES, "closed"), (CLOSES + dt.timedelta(days=30), "closed")],
)
def test_outside_the_period_the_channel_refuses(consultation, moment, code):
    assert refusal(consultation, now=moment) == code


def test_late_contributions_are_accepted_and_marked_when_allowed(consultation, alice):
    update_consultation(alice, consultation, allow_late=True)
    contribution = submit(consultation, now=CLOSES + dt.timedelta(hours=1)).contribution
    assert contribution.is_late


def test_the_secretariat_enters_a_letter_with_its_date_received(consultation, alice):
    received = OPENS + dt.timedelta(days=2)
    letter = submit(
        consultation, submitter=Submitter(**{**NGO.__dict__, "email": ""}), source=Source.EMAIL, received_at=received
    )
    assert letter.contribution.received_at == received
    assert letter.contribution.moderation == Moderation.PUBLISHED


def test_a_private_link_opens_only_its_own_contribution(consultation):
    submission = submit(consultation)
    receipt = submission.contribution.receipt_number
    assert access_by_token(consultation, receipt, submission.manage_token) == submission.contribution
    assert access_by_token(consultation, receipt, "wrong") is None
    assert access_by_token(consultation, "TST-W-999999", submission.manage_token) is None


def test_amending_keeps_every_version_and_is_audited(consultation):
    submission = submit(consultation, uploads=[Upload("a.txt", "Première version du texte.".encode())])
    contribution = submission.contribution
    with time_machine.travel(DURING + dt.timedelta(days=1), tick=False):
        amend_contribution(None, contribution, text=FRENCH + " Version révisée.", keep_files=True)
    contribution.refresh_from_db()
    assert contribution.version == 2
    assert contribution.text.endswith("Version révisée.")
    versions = list(contribution.versions.order_by("number"))
    assert [v.text for v in versions] == [FRENCH, FRENCH + " Version révisée."]
    assert [v.attachments.count() for v in versions] == [1, 1]
    assert contribution.sha256 == versions[1].sha256 != versions[0].sha256
    assert entries_for(contribution).filter(action="contribution.amend").exists()


def test_withdrawal_hides_and_uncounts_but_keeps_the_versions(consultation):
    contribution = submit(consultation).contribution
    moderate_contribution(None, contribution, "publish", "In scope.")
    with time_machine.travel(DURING + dt.timedelta(days=1), tick=False):
        withdraw_contribution(None, contribution)
    assert not Contribution.objects.public().filter(pk=contribution.pk).exists()
    assert not Contribution.objects.counted().filter(pk=contribution.pk).exists()
    assert contribution.versions.count() == 1
    with time_machine.travel(DURING + dt.timedelta(days=2), tick=False), pytest.raises(ValidationError):
        amend_contribution(None, contribution, text=FRENCH)


def test_nothing_can_be_changed_after_closing(consultation):
    contribution = submit(consultation).contribution
    with time_machine.travel(CLOSES, tick=False), pytest.raises(ValidationError, match="closed"):
        withdraw_contribution(None, contribution)


def test_moderation_decides_what_the_public_sees(consultation, alice):
    contribution = submit(consultation).contribution
    public = Contribution.objects.public()
    assert not public.filter(pk=contribution.pk).exists()  # Premoderated consultation.
    moderate_contribution(alice, contribution, "publish", "Relevant to the consultation.")
    assert public.filter(pk=contribution.pk).exists()
    moderate_contribution(alice, contribution, "reject", "Advertising.")
    assert not public.filter(pk=contribution.pk).exists()
    assert not Contribution.objects.counted().filter(pk=contribution.pk).exists()
    entry = entries_for(contribution).get(action="contribution.reject")
    assert entry.changes["moderation_reason"] == ["Relevant to the consultation.", "Advertising."]
    with pytest.raises(ValidationError, match="reason"):
        moderate_contribution(alice, contribution, "hold", "  ")


def test_without_premoderation_contributions_appear_at_once(consultation, alice):
    update_consultation(alice, consultation, premoderation=False)
    contribution = submit(consultation).contribution
    assert Contribution.objects.public().filter(pk=contribution.pk).exists()


def test_withheld_contributions_are_counted_never_public(consultation, alice):
    contribution = submit(consultation, consent=Consent.WITHHELD).contribution
    moderate_contribution(alice, contribution, "publish", "Fine.")
    assert Contribution.objects.counted().filter(pk=contribution.pk).exists()
    assert not Contribution.objects.public().filter(pk=contribution.pk).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
@pytest.mark.django_db(transaction=True)  # Outside a transaction, as a server runs it; the test reconnects.
@pytest.mark.parametrize("pooled", [False, True])
def test_the_submission_statement_is_prepared_unless_behind_a_transaction_pooler(reference_data, consultation, pooled):
    def prepared():
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE 'WITH e AS%%'")
            return cursor.fetchone()[0]

    saved = connection.settings_dict.get("DISABLE_SERVER_SIDE_CURSORS", False)
    connection.settings_dict["DISABLE_SERVER_SIDE_CURSORS"] = pooled
    try:
        connection.close()  # A fresh server connection: no statement prepared yet.
        submit(consultation, idempotency_key="one")
        submit(consultation, idempotency_key="two")
    finally:
        connection.settings_dict["DISABLE_SERVER_SIDE_CURSORS"] = saved
    assert prepared() == (0 if pooled else 1)
    assert Contribution.objects.count() == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent connections need PostgreSQL")
@pytest.mark.django_db(transaction=True)  # Each thread submits on its own connection, as server threads do.
def test_simultaneous_first_submissions_of_a_new_organisation_count_it_once(reference_data, consultation, monkeypatch):
    from concord.stakeholders.models import Entity
    from concord.stakeholders.services import entities

    # Without the lock on the entity's key, all three would be between the lookup and the insert at once.
    slowed(monkeypatch, entities, "create_entity")
    keys = [(f"first-{i}",) for i in range(3)]
    entities, errors = at_once(lambda key: submit(consultation, idempotency_key=key).contribution.entity_id, keys)
    assert errors == []
    assert len(entities) == 3 and len(set(entities)) == 1
    assert Entity.objects.filter(name=NGO.name).count() == 1  # Not one used and an orphan twin.
    assert Contribution.objects.filter(consultation=consultation).count() == 3
