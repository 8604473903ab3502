"""The sealed record: an append-only hash chain of published versions that `concord verify` recomputes."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse

from concord.consultations.demo import DEMO_SLUG
from concord.contributions.models import Consent, Contribution
from concord.contributions.services import moderate_contribution, withdraw_contribution
from concord.record import chain, services
from concord.record.models import SealEntry
from tests.factories import make_consultation, make_contribution

pytestmark = pytest.mark.django_db


def test_every_public_version_is_sealed_once_and_linked(sealed_demo):
    entries = list(SealEntry.objects.filter(consultation=sealed_demo).order_by("position"))
    assert len(entries) == sealed_demo.contributions.public().count() == 97
    assert entries[0].previous_sha256 == chain.GENESIS
    assert all(b.previous_sha256 == a.entry_sha256 for a, b in zip(entries, entries[1:], strict=False))
    assert services.seal_consultation(sealed_demo) == 0  # safe to run twice
    assert not SealEntry.objects.filter(contribution__consent=Consent.WITHHELD).exists()
    assert chain.verify(sealed_demo) == (97, [])


def test_verify_names_an_entry_whose_content_was_altered_in_the_database(sealed_demo, capsys):
    victim = SealEntry.objects.filter(consultation=sealed_demo).order_by("position")[10]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Contribution._meta.db_table} SET text = text || ' (edited)' WHERE id = %s",
            [victim.contribution_id],
        )
    with pytest.raises(CommandError) as excinfo:
        call_command("verify", DEMO_SLUG)
    err = capsys.readouterr().err
    assert f"#{victim.position} {victim.receipt_number}" in err
    assert "content no longer matches" in err
    assert "1 of 97 entries" in str(excinfo.value)


def test_verify_catches_a_rewritten_or_deleted_link(sealed_demo, capsys):
    entries = list(SealEntry.objects.filter(consultation=sealed_demo).order_by("position"))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {SealEntry._meta.db_table} SET content_sha256 = %s WHERE id = %s", ["0" * 64, entries[5].pk]
        )
        cursor.execute(f"DELETE FROM {SealEntry._meta.db_table} WHERE id = %s", [entries[40].pk])
    _count, problems = chain.verify(sealed_demo)
    named = {p.position for p in problems}
    assert entries[5].position in named and entries[41].position in named


def test_verify_passes_on_an_untouched_record(sealed_demo, capsys):
    call_command("verify", DEMO_SLUG)
    assert "OK: 97 entries verified." in capsys.readouterr().out


def test_amendments_and_withdrawals_append_entries(alice):
    consultation = make_consultation()
    contribution = make_contribution(consultation, text="First words.")
    services.seal_contribution(contribution)
    Contribution.objects.filter(pk=contribution.pk).update(version=2, text="Second words.")
    contribution.refresh_from_db()
    services.seal_contribution(contribution)
    withdraw_contribution(alice, contribution, now=consultation.opens_at + dt.timedelta(days=3))
    services.seal_contribution(contribution)
    kinds = list(SealEntry.objects.filter(contribution=contribution).values_list("kind", "version"))
    assert kinds == [("version", 1), ("version", 2), ("withdrawal", 2)]


def test_a_contribution_held_in_moderation_is_not_sealed(alice):
    consultation = make_consultation()
    contribution = make_contribution(consultation)
    moderate_contribution(alice, contribution, "hold", "Check first")
    assert services.seal_contribution(contribution) == []


def test_the_head_is_on_the_consultation_page(sealed_demo, client):
    head = services.head(sealed_demo)
    html = client.get(reverse("record:consultation", kwargs={"slug": DEMO_SLUG})).content.decode()
    assert head.entry_sha256 in html
