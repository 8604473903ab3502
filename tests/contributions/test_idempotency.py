"""Idempotency keys in the service: scoped to their client, bound to the request's hash, refused past the limit."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection

from concord.contributions import idempotency
from concord.contributions.models import Contribution
from concord.contributions.services import submit_written_contribution
from concord.contributions.submission import Submitter, Upload
from tests.concurrency import at_once, slowed
from tests.factories import OPENS, make_consultation

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
FRENCH = "Nous demandons que les coûts d'interconnexion internationale soient réduits pour les pays en développement."
OTHER = "Nous demandons aussi que le multilinguisme de l'internet soit soutenu par des fonds publics."


@pytest.fixture
def consultation():
    return make_consultation()


def submit(consultation, **kwargs):
    kwargs.setdefault("text", FRENCH)
    kwargs.setdefault("submitter", NGO)
    with time_machine.travel(DURING, tick=False):
        return submit_written_contribution(None, consultation, **kwargs)


def test_the_same_scope_key_and_body_get_the_first_receipt(consultation):
    first = submit(consultation, idempotency_key="k", idempotency_scope="token:1")
    again = submit(consultation, idempotency_key="k", idempotency_scope="token:1")
    assert (first.created, again.created) == (True, False)
    assert again.contribution.pk == first.contribution.pk
    assert first.contribution.request_sha256 == idempotency.request_sha256({"submitter": NGO, "text": FRENCH})


def test_another_scope_with_the_same_key_is_another_contribution(consultation):
    first = submit(consultation, idempotency_key="k", idempotency_scope="token:1")
    other = submit(consultation, idempotency_key="k", idempotency_scope="token:2", text=OTHER)
    assert other.created and other.contribution.pk != first.contribution.pk
    assert other.contribution.text == OTHER


@pytest.mark.parametrize(
    "change",
    [
        {"text": OTHER},
        {"title": "Un titre"},
        {"consent": "anonymous"},
        {"submitter": Submitter(**{**NGO.__dict__, "email": "autre@coalition.example"})},
        {"uploads": [Upload("note.txt", b"Une note.")]},
    ],
)
def test_the_same_key_with_another_body_is_refused(consultation, change):
    submit(consultation, idempotency_key="k", idempotency_scope="session:a")
    with pytest.raises(ValidationError) as refused:
        submit(consultation, idempotency_key="k", idempotency_scope="session:a", **change)
    assert refused.value.error_list[0].code == idempotency.CONFLICT
    assert Contribution.objects.count() == 1


def test_a_file_with_the_same_name_and_other_bytes_is_another_body(consultation):
    pdf = files.pdf("Une contribution fictive.", "fr")
    other_pdf = files.pdf("Une autre contribution fictive.", "fr")
    submit(consultation, idempotency_key="k", uploads=[Upload("note.pdf", pdf)])
    assert not submit(consultation, idempotency_key="k", uploads=[Upload("note.pdf", pdf)]).created
    with pytest.raises(ValidationError):
        submit(consultation, idempotency_key="k", uploads=[Upload("note.pdf", other_pdf)])


def test_a_key_past_the_limit_is_refused_before_anything_is_stored(consultation):
    with pytest.raises(ValidationError) as refused:
        submit(consultation, idempotency_key="k" * (idempotency.MAX_KEY_LENGTH + 1))
    assert refused.value.error_list[0].code == idempotency.KEY_TOO_LONG
    assert not Contribution.objects.exists()


def test_a_title_past_the_limit_is_refused_not_cut(consultation):
    with pytest.raises(ValidationError) as refused:
        submit(consultation, title="T" * 301)
    assert refused.value.error_list[0].code == "title-too-long"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent connections need PostgreSQL")
@pytest.mark.django_db(transaction=True)  # Each thread submits on its own connection, as server threads do.
def test_simultaneous_requests_with_one_key_make_one_contribution_and_refuse_another_body(
    reference_data, consultation, monkeypatch
):
    from concord.contributions.services import written

    # All of them pass the checks before any writes: the unique key decides, not a lookup.
    slowed(monkeypatch, written, "_store_files")
    texts = [(FRENCH,), (FRENCH,), (FRENCH,), (OTHER,), (OTHER,)]

    def send(text):
        return submit(consultation, text=text, idempotency_key="same", idempotency_scope="token:9")

    results, errors = at_once(send, texts)
    assert Contribution.objects.filter(consultation=consultation).count() == 1
    kept = Contribution.objects.get(consultation=consultation)
    # Every request with the kept body got its receipt; every one with the other body was refused as a conflict.
    same = [r for r in results if r.contribution.pk == kept.pk]
    assert len(same) == len(results) == texts.count((kept.text,))
    assert len(errors) == len(texts) - len(results)
    assert {e.error_list[0].code for e in errors} == {idempotency.CONFLICT}
    assert sum(r.created for r in results) == 1
