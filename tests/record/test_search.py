"""Search across the public record: the same tests on SQLite (FTS5) and PostgreSQL (text search)."""

import datetime as dt

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import translation

from concord.consultations.demo import DEMO_SLUG
from concord.contributions.access import public_contributions
from concord.contributions.models import Channel, Consent
from concord.contributions.services import moderate_contribution, set_consent, withdraw_contribution
from concord.policy.models import Campaign, CampaignMember, ContributionIssue, PolicyIssue, TagSource
from concord.record import search, services
from tests.factories import make_consultation, make_contribution, make_entity

pytestmark = pytest.mark.django_db


def url(name, lang="en", **kwargs):
    with translation.override(lang):
        return reverse(f"record:{name}", kwargs=kwargs)


@pytest.fixture
def consultation():
    consultation = make_consultation()
    texts = [
        ("en", "International interconnection costs remain too high for developing countries.", "civil-society"),
        ("en", "Cybersecurity requires enhanced cooperation between governments and all stakeholders.", "government"),
        ("fr", "Les coûts de l'accès à l'Internet restent élevés dans les pays les moins avancés.", "government"),
        ("es", "La neutralidad de la red protege la libertad de expresión en línea.", "civil-society"),
        ("ru", "Многоязычие в Интернете остаётся важной задачей для международного сообщества.", "private-sector"),
        ("ar", "يجب تعزيز التعاون الدولي في مجال الأمن السيبراني وحماية البيانات الشخصية.", "government"),
        ("zh-hans", "网络安全已成为各国共同面临的挑战，互联网治理需要加强合作。", "government"),
    ]
    groups = {"civil-society": "ecosoc-ngo", "government": "member-state", "private-sector": "business"}
    for i, (language, text, group) in enumerate(texts):
        entity = make_entity(f"Fictional Body {language}", category=groups[group], group=group, country="KE")
        make_contribution(
            consultation,
            entity,
            language=language,
            text=text,
            title=f"Contribution {language}",
            received_at=consultation.opens_at + dt.timedelta(days=i + 1),
        )
    return consultation


def run(consultation, q="", *, with_facets=False, **filters):
    services.rebuild_index("test", consultation)
    params = search.SearchParams(q=q, **filters)
    return search.search(consultation, params, page_size=100, with_facets=with_facets)


def found(consultation, q="", **filters):
    return [c.language for c in run(consultation, q, **filters).hits]


def facets(consultation, q=""):
    return run(consultation, q, with_facets=True).facets


@pytest.mark.parametrize(
    ("query", "language"),
    [
        ("interconnection", "en"),
        ("cost", "en"),  # stems: "cost" finds "costs"
        ("coûts", "fr"),
        ("couts", "fr"),  # diacritics are not required
        ("neutralidad", "es"),
        ("Интернете", "ru"),
        ("السيبراني", "ar"),
        ("网络安全", "zh-hans"),  # a Chinese word inside an unsegmented sentence
        ("治理", "zh-hans"),
        ("网", "zh-hans"),  # a single character
        ('"enhanced cooperation"', "en"),
    ],
)
def test_it_finds_words_in_each_un_language(consultation, query, language):
    assert language in found(consultation, query)


def test_every_word_must_match_and_phrases_keep_their_order(consultation):
    assert found(consultation, "cybersecurity governments") == ["en"]
    assert found(consultation, "cybersecurity interconnection") == []
    assert found(consultation, '"cooperation enhanced"') == []
    assert found(consultation, "安全治理") == []


def test_a_phrase_is_found_whatever_its_words_stem_or_skip(consultation):
    assert found(consultation, '"interconnection costs remain"') == ["en"]
    assert found(consultation, '"interconnection cost"') == ["en"]  # stemmed, as single words are
    assert found(consultation, '"costs interconnection"') == []
    assert found(consultation, '"between governments and all"') == ["en"]  # "and" and "all" are English stop words
    assert found(consultation, '"coûts de l\'accès"') == ["fr"]
    assert found(consultation, '"neutralidad de la red" libertad') == ["es"]
    assert found(consultation, "网络安全 治理") == ["zh-hans"]


def test_the_index_follows_a_new_text_word_for_word(consultation):
    contribution = public_contributions(consultation).filter(language="en").first()
    services.rebuild_index("test", consultation)
    contribution.extracted_text = "Heliotrope appendix"
    contribution.save()
    assert found(consultation, '"heliotrope appendix"') == ["en"]
    assert found(consultation, '"appendix heliotrope"') == []


@pytest.mark.parametrize(
    ("parsed", "pairs"),
    [
        ("'internet' <-> 'govern'", ["'internet govern'"]),
        ("'internet' <2> 'thing' <-> 'govern'", ["'thing govern'"]),
        ("'网络' <-> '络安' <-> '安全'", ["'网络 络安'", "'络安 安全'"]),
        ("'it''s' <-> 'x\\\\y'", ["'it''s x\\\\y'"]),
        ("'cost'", None),  # one word: nothing to pair
        ("'a' <3> 'b'", None),
        ("'网':*", None),
        ("'a' & 'b'", None),
    ],
)
def test_a_phrase_becomes_the_pairs_of_its_adjacent_words(parsed, pairs):
    assert search._adjacent_pairs(parsed) == pairs


def test_an_empty_or_punctuation_query_lists_everything_in_order(consultation):
    assert len(found(consultation, "")) == 7
    assert len(found(consultation, ' " * ( ) AND OR NEAR - ')) >= 0  # never a syntax error


def test_filters_combine_with_the_text_query(consultation):
    assert found(consultation, "", group="government") == ["en", "fr", "ar", "zh-hans"]
    assert found(consultation, "", language="fr") == ["fr"]
    assert found(consultation, "", category="business") == ["ru"]
    assert found(consultation, "", country="ke") == found(consultation, "")
    assert found(consultation, "cost", group="government") == []
    since = consultation.opens_at.date() + dt.timedelta(days=6)
    assert found(consultation, "", received_from=since) == ["ar", "zh-hans"]
    assert found(consultation, "", received_to=consultation.opens_at.date() + dt.timedelta(days=1)) == ["en"]
    assert found(consultation, "", channel=Channel.PRESENTATION) == []


def test_words_and_phrases_combine_with_group_language_and_channel(consultation):
    # On PostgreSQL these filters are lexemes of the words' index (migration record/0007), not the columns.
    assert found(consultation, "cost", group="civil-society") == ["en"]
    assert found(consultation, "cooperation", group="government", language="en", channel=Channel.WRITTEN) == ["en"]
    assert found(consultation, "cooperation", group="civil-society") == []
    assert found(consultation, "cooperation", channel=Channel.PRESENTATION) == []
    assert found(consultation, "coûts", language="fr") == ["fr"]
    assert found(consultation, "coûts", language="en") == []
    assert found(consultation, "cost", group="no-such-group") == []
    assert found(consultation, '"enhanced cooperation"', group="government") == ["en"]
    assert found(consultation, '"enhanced cooperation"', group="civil-society") == []
    assert found(consultation, "网络安全", language="zh-hans") == ["zh-hans"]
    assert found(consultation, "网络安全", language="en") == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's words' index")
def test_the_words_index_is_on_the_expression_search_asks_for(consultation):
    services.rebuild_index("test", consultation)
    terms = search.TERMS.format(table="record_searchdocument")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN SELECT 1 FROM record_searchdocument WHERE {terms} @@ %s::tsquery", ["'=language fr'"])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "record_searchdocument_terms_idx" in plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's sample of the words' index")
def test_a_common_word_is_ranked_among_one_document_in_four(consultation, monkeypatch):
    for i in range(60):  # about 15 in the sample; fewer than 2 once in a million runs
        make_contribution(consultation, language="en", text=f"Common ground number {i}.")
    services.rebuild_index("test", consultation)
    monkeypatch.setattr(search, "COUNT_CAP", 1)
    common = search.search(consultation, search.SearchParams(q="common"), page_size=10)
    assert (common.count, common.count_exact) == (1, False)
    with connection.cursor() as cursor:
        cursor.execute("SELECT hashint8(id) & 3 = 0 FROM unnest(%s::bigint[]) id", [[c.pk for c in common.hits]])
        assert common.hits and all(in_sample for (in_sample,) in cursor.fetchall())
    # Too few in the sample: the whole index, as before.
    rare = search.search(consultation, search.SearchParams(q="neutralidad"), page_size=10)
    assert [c.language for c in rare.hits] == ["es"] and rare.count_exact
    terms = search.TERMS.format(table="record_searchdocument")
    sample = search.SAMPLE.format(table="record_searchdocument")
    with transaction.atomic(), connection.cursor() as cursor:
        # Without the whole index (dropped until the savepoint is rolled back), which a few rows may make cheaper.
        cursor.execute("DROP INDEX record_searchdocument_terms_idx")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            f"EXPLAIN SELECT 1 FROM record_searchdocument WHERE {terms} @@ %s::tsquery AND {sample}", ["'common'"]
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
        transaction.set_rollback(True)
    assert "record_searchdocument_sample_idx" in plan


def test_issue_and_campaign_filters_read_the_analysis(consultation):
    first, second, third = public_contributions(consultation).order_by("received_at")[:3]
    issue = PolicyIssue.objects.get(slug="cybersecurity")
    ContributionIssue.objects.create(contribution=second, issue=issue, source=TagSource.AUTO)
    ContributionIssue.objects.create(contribution=third, issue=issue, source=TagSource.REJECTED)
    campaign = Campaign.objects.create(consultation=consultation, canonical=first, canonical_text=first.text, size=2)
    CampaignMember.objects.create(campaign=campaign, contribution=first)
    CampaignMember.objects.create(campaign=campaign, contribution=third)
    assert found(consultation, "", issue="cybersecurity") == ["en"]
    assert found(consultation, "", campaign=str(campaign.pk)) == ["en", "fr"]
    assert found(consultation, "", campaign="any") == ["en", "fr"]
    assert len(found(consultation, "", campaign="none")) == 5
    counts = facets(consultation)
    assert counts["issue"] == {"cybersecurity": 1}
    assert counts["campaign"] == {"any": 2}


def test_sorting(consultation):
    assert found(consultation, "", sort="newest")[0] == "zh-hans"
    assert found(consultation, "", sort="oldest")[0] == "en"
    assert found(consultation, "", sort="receipt")[0] == "en"
    # Relevance: the contribution that repeats the word comes first.
    make_contribution(consultation, language="en", text="Spam, spam and more spam: spam filters.", title="Spam")
    make_contribution(consultation, language="en", text="A word on spam.", title="Other")
    top = run(consultation, "spam").hits
    assert [c.title for c in top] == ["Spam", "Other"]


def test_facet_counts_follow_the_query(consultation):
    counts = facets(consultation, "cost coûts")
    assert counts["group"] == {}
    counts = facets(consultation, "cost")
    assert counts["group"] == {"civil-society": 1} and counts["language"] == {"en": 1}
    counts = facets(consultation)
    assert counts["group"] == {"government": 4, "civil-society": 2, "private-sector": 1}
    assert counts["language"]["zh-hans"] == 1


def test_a_withheld_withdrawn_or_held_contribution_is_never_found(consultation, alice):
    secret = make_contribution(consultation, language="en", text="Zanzibarian secrets", consent=Consent.WITHHELD)
    gone = make_contribution(consultation, language="en", text="Zanzibarian departures")
    held = make_contribution(consultation, language="en", text="Zanzibarian holdings")
    withdraw_contribution(alice, gone, now=consultation.opens_at + dt.timedelta(days=20))
    moderate_contribution(alice, held, "hold", "Needs a look")
    assert found(consultation, "zanzibarian") == []
    set_consent(alice, secret, Consent.NAMED)
    assert found(consultation, "zanzibarian") == ["en"]


def test_an_anonymous_contribution_is_found_by_its_text_never_by_its_name(consultation, client):
    entity = make_entity("Quixotic Foundation", kind="individual", category="individual", group="civil-society")
    make_contribution(consultation, entity, language="en", text="Windmills matter.", consent=Consent.ANONYMOUS)
    named = make_entity("Quixotic Alliance", group="civil-society")
    make_contribution(consultation, named, language="en", text="Giants matter.")
    assert found(consultation, "quixotic") == ["en"]  # the named one only
    assert found(consultation, "windmills") == ["en"]
    html = client.get(url("search", slug=consultation.slug), {"q": "windmills"}).content.decode()
    assert "Windmills" in html and "Quixotic Foundation" not in html and "Anonymous contributor" in html


def test_the_index_follows_amendments_and_extraction(consultation):
    contribution = public_contributions(consultation).first()
    services.rebuild_index("test", consultation)
    contribution.extracted_text = "Heliotrope appendix"
    contribution.save()
    assert found(consultation, "heliotrope") == ["en"]  # rebuild picks stale documents


def test_the_after_commit_hook_indexes_and_seals(consultation, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        contribution = make_contribution(consultation, language="en", text="Ornithopters everywhere")
    base = public_contributions(consultation)
    assert [c.pk for c in search.matching(base, "ornithopters")] == [contribution.pk]
    assert contribution.seal_entries.count() == 1


def test_the_search_page_highlights_and_paginates(consultation, client, settings, django_assert_max_num_queries):
    settings.CONCORD_PAGE_SIZE = 2
    services.rebuild_index("test", consultation)
    with django_assert_max_num_queries(25):
        response = client.get(url("search", slug=consultation.slug), {"q": "costs"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<mark>costs</mark>" in html
    response = client.get(url("search", slug=consultation.slug), {"group": "government", "page": 2})
    assert response.status_code == 200 and 'rel="prev"' in response.content.decode()
    assert client.get(url("search", slug=consultation.slug), {"page": 9}).status_code == 404
    assert client.get(url("search", slug=consultation.slug), {"group": "nope"}).status_code == 400


def test_the_query_count_does_not_grow_with_the_results(consultation, client, django_assert_max_num_queries):
    for _ in range(10):
        make_contribution(consultation, language="en", text="Costs and more costs.")
    services.rebuild_index("test", consultation)
    with django_assert_max_num_queries(25):
        assert client.get(url("search", slug=consultation.slug), {"q": "costs"}).status_code == 200


def test_snippets_escape_html():
    html = search.snippet("<script>alert(1)</script> interconnection costs", "costs")
    assert "<script>" not in html and "&lt;script&gt;" in html and "<mark>costs</mark>" in html


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_demo_is_searchable_in_the_page(sealed_demo, client, lang):
    response = client.get(url("search", lang, slug=DEMO_SLUG), {"q": "interconnection"})
    assert response.status_code == 200
    assert response.context["page"].paginator.count >= 1


def test_a_stale_document_never_shows_a_withheld_contribution(consultation):
    services.rebuild_index("test", consultation)
    secret = public_contributions(consultation).get(language="fr")
    # Consent withdrawn behind the upkeep's back: the document still says "listed", the page must not show it.
    type(secret).objects.filter(pk=secret.pk).update(consent=Consent.WITHHELD)
    hits = search.search(consultation, search.SearchParams(q="coûts")).hits
    assert hits == []


def test_beyond_the_cap_the_count_says_more_than(consultation, client, monkeypatch):
    services.rebuild_index("test", consultation)
    monkeypatch.setattr(search, "COUNT_CAP", 3)
    for q, sort in (("", "oldest"), ("", "newest"), ("contribution", "relevance")):
        result = search.search(consultation, search.SearchParams(q=q, sort=sort), page_size=2, with_facets=True)
        assert (result.count, result.count_exact, result.pages) == (3, False, 2)
        assert sum(result.facets["language"].values()) == 3  # the facets count the first COUNT_CAP matches
    exact = search.search(consultation, search.SearchParams(q="", language="en"))
    assert (exact.count, exact.count_exact) == (2, True)
    html = client.get(url("search", slug=consultation.slug)).content.decode()
    assert "More than 3 published contributions match." in html
