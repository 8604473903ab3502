"""Where the public sees positions: only public contributions' stances, each figure linked to its sentences."""

import re

import pytest
from django.urls import reverse

from concord.contributions.models import Consent
from concord.positions import services
from tests.factories import make_contribution, make_entity

from .conftest import stance_row

SECRET = "Our confidential view: we call for a new body."


@pytest.fixture
def record(consultation, position):
    """Five governments support the new body in public; a sixth, withheld, contribution opposes it."""
    public = [
        make_contribution(
            consultation, make_entity(group="government"), text=f"Government {i}: we call for a new body."
        )
        for i in range(5)
    ]
    withheld = make_contribution(
        consultation, make_entity(group="civil-society"), text=SECRET, consent=Consent.WITHHELD
    )
    results = {c.pk: [stance_row("new-body", "support", c.text)] for c in public}
    results[withheld.pk] = [stance_row("new-body", "oppose", SECRET)]
    services.save_stances("test", consultation, results)
    return public, withheld


def test_the_consultation_page_shows_positions_by_group_from_public_contributions_only(client, consultation, record):
    response = client.get(reverse("record:consultation", args=[consultation.slug]))
    body = response.content.decode()
    assert 'id="positions-by-group"' in body
    assert 'data-position="new-body"' in body
    assert "5 for" in body
    # The withheld contribution opposed it: no "1 against" may leak into any cell.
    assert "1 against" not in body
    assert "raised by one group only" in body
    evidence = reverse("positions:evidence", args=[consultation.slug, "new-body"])
    assert f"{evidence}?group=government&amp;stance=support" in body


def test_the_evidence_page_lists_the_sentences_of_public_contributions_only(client, consultation, record):
    public, withheld = record
    url = reverse("positions:evidence", args=[consultation.slug, "new-body"])
    body = client.get(url).content.decode()
    for contribution in public:
        assert contribution.receipt_number in body
        assert contribution.text in body
    assert withheld.receipt_number not in body
    assert SECRET not in body
    assert client.get(url, {"stance": "oppose"}).content.decode().count("data-receipt") == 0


def test_the_evidence_page_filters_by_group_and_refuses_unknown_values(client, consultation, record):
    url = reverse("positions:evidence", args=[consultation.slug, "new-body"])
    assert client.get(url, {"group": "civil-society"}).content.decode().count("data-receipt") == 0
    assert client.get(url, {"group": "government", "stance": "support"}).content.decode().count("data-receipt") == 5
    assert client.get(url, {"stance": "maybe"}).status_code == 400
    assert client.get(reverse("positions:evidence", args=[consultation.slug, "nobody"])).status_code == 404


def test_the_evidence_page_reads_in_few_queries(client, consultation, record, django_assert_max_num_queries):
    url = reverse("positions:evidence", args=[consultation.slug, "new-body"])
    with django_assert_max_num_queries(8):
        client.get(url)


def test_the_contribution_page_shows_its_positions_with_the_sentences(client, consultation, record):
    public, _ = record
    url = reverse("record:contribution", args=[consultation.slug, public[0].receipt_number])
    body = client.get(url).content.decode()
    assert 'data-position="new-body" data-stance="support"' in body
    assert 'lang="en" dir="auto">A new intergovernmental body should be created.</a>' in body
    assert "<blockquote" in body and public[0].text in body


def test_a_withdrawn_contribution_leaves_the_figures(client, consultation, record):
    from concord.contributions.services import withdraw_contribution

    public, _ = record
    withdraw_contribution("test", public[0], now=public[0].received_at)
    body = client.get(reverse("record:consultation", args=[consultation.slug])).content.decode()
    assert "4 for" in body


def test_the_positions_read_in_french_and_arabic(client, consultation, record):
    body = client.get(f"/fr/consultations/{consultation.slug}/").content.decode()
    assert "Un nouvel organe intergouvernemental devrait être créé." in body
    assert "Positions prises, par groupe de parties prenantes" in body
    assert "soulevée par un seul groupe" in body and "5 pour" in body
    body = client.get(f"/ar/consultations/{consultation.slug}/").content.decode()
    assert 'dir="rtl"' in body
    assert "المواقف المتخذة، حسب مجموعة أصحاب المصلحة" in body
    assert 'lang="en" dir="auto">A new intergovernmental body should be created.' in body


def test_the_positions_table_reads_in_a_fixed_number_of_queries(consultation, position, django_assert_num_queries):
    from concord.positions.selectors import positions_by_group

    def add(count):
        made = [
            make_contribution(consultation, make_entity(group="government"), text="A new body.") for _ in range(count)
        ]
        services.save_stances("test", consultation, {c.pk: [stance_row("new-body")] for c in made})

    add(2)
    with django_assert_num_queries(7):
        small = positions_by_group(consultation)
    add(10)
    with django_assert_num_queries(7):
        large = positions_by_group(consultation)
    assert (small["proposals"][0]["agreement"].support, large["proposals"][0]["agreement"].support) == (2, 10)


@pytest.mark.parametrize(("lang", "colon"), [("zh-hans", "："), ("fr", "\u00a0: "), ("en", ": ")])
def test_a_contributions_position_and_its_stance_are_joined_by_the_languages_colon(
    client, consultation, record, lang, colon
):
    # Before: "…的管理。: 支持" on the Chinese page, an ASCII colon after a full-width full stop.
    public, _ = record
    body = client.get(f"/{lang}/consultations/{consultation.slug}/record/{public[0].receipt_number}/").content.decode()
    assert re.search(rf'</a>{colon}<strong class="stance stance-support">', body)


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_a_share_and_its_interval_carry_one_percent_sign_each(client, consultation, record, lang):
    body = client.get(f"/{lang}/consultations/{consultation.slug}/").content.decode()
    shares = re.findall(r'<span class="share"[^>]*>([^<]*)</span>', body)
    assert shares and all(share.count("%") == 2 and "%%" not in share for share in shares), shares
