"""The policy app: the taxonomy in the database, its editing services, the stored analysis and the commands."""

import json

import pytest
from django.core.management import call_command

from concord.core.audit import entries_for
from concord.policy import selectors, services
from concord.policy.analysis import analyse_consultation
from concord.policy.models import Campaign, ContributionIssue, Forum, IssueForum, PolicyIssue, TagSource
from tests.factories import make_consultation, make_contribution

pytestmark = pytest.mark.django_db


def test_the_migrations_load_the_six_language_taxonomy_and_the_forum_map():
    assert PolicyIssue.objects.count() == 17
    assert Forum.objects.count() == 10
    ecommerce = PolicyIssue.objects.get(slug="e-commerce")
    assert ecommerce.definitions["zh-hans"]
    assert "uncitral" in ecommerce.forums.values_list("slug", flat=True)
    assert IssueForum.objects.get(issue__slug="freedom-of-information", forum__slug="unesco").paragraphs == "27"


def test_editing_an_issue_goes_through_the_service_and_the_audit_log(alice):
    issue = PolicyIssue.objects.get(slug="spam")
    services.update_issue(alice, issue, seed_terms={**issue.seed_terms, "en": ["spam", "robocalls"]})
    entry = entries_for(issue).latest("id")
    assert entry.action == "policy.issue.update"
    assert "seed_terms" in entry.changes


def test_confirming_tags_keeps_them_across_runs(alice):
    consultation = make_consultation()
    contribution = make_contribution(consultation, text="Spam and phishing e-mails flood our inboxes every day.")
    services.set_contribution_issues(alice, contribution, ["spam", "cybersecurity"])
    analyse_consultation("test", consultation)
    sources = dict(contribution.issues.values_list("issue__slug", "source"))
    assert sources["spam"] == TagSource.CONFIRMED
    assert sources["cybersecurity"] == TagSource.CONFIRMED


def test_analysing_a_consultation_stores_tags_campaigns_and_reads_by_group(alice):
    consultation = make_consultation()
    template = (
        "We urge the Secretary-General to keep the Internet open and neutral. Operators must not block or slow "
        "lawful services. Small businesses depend on equal access to their customers."
    )
    for i in range(3):
        make_contribution(consultation, text=f"Dear Sir,\n{template}\nSigned, member {i}")
    make_contribution(consultation, text="Our schools need computers and teachers trained in digital skills.")
    result = analyse_consultation("test", consultation)
    assert result["campaigns"] == 1
    campaign = selectors.campaigns(consultation)[0]
    assert campaign["size"] == 3 and len(campaign["receipts"]) == 3
    assert ContributionIssue.objects.filter(contribution__consultation=consultation, issue__slug="net-neutrality")
    rows = {row["issue"].slug: row for row in selectors.issues_by_group(consultation)}
    # The campaign counts once.
    assert rows["net-neutrality"]["total"] == 1
    assert rows["ict-education"]["total"] == 1
    assert Campaign.objects.get().canonical_text


def test_the_tag_and_campaign_commands_read_and_write_json_lines(tmp_path):
    source = tmp_path / "in.jsonl"
    lines = [
        {"id": 1, "text": "La neutralité du réseau doit être protégée contre le bridage."},
        {"id": "b", "text": "网络安全和网络犯罪需要国际合作。", "lang": "zh-hans"},
    ]
    source.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines), encoding="utf-8")
    out = tmp_path / "tags.jsonl"
    call_command("analyze", "tag", "--input", str(source), "--output", str(out), verbosity=0)
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["1", "b"]
    assert rows[0]["lang"] == "fr" and rows[0]["issues"][0] == "net-neutrality"
    assert rows[1]["issues"][0] == "cybersecurity"
    out = tmp_path / "campaigns.jsonl"
    call_command("analyze", "campaigns", "--input", str(source), "--output", str(out), verbosity=0)
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert rows[0] == {"id": "1", "campaign": None, "translation_of": None}


def test_a_local_dask_cluster_gives_the_same_results_as_one_process(tmp_path):
    source = tmp_path / "in.jsonl"
    texts = [
        "Operators must not throttle lawful traffic nor sell fast lanes.",
        "Les écoles ont besoin d'ordinateurs et d'enseignants formés.",
        "Spam floods our inboxes with phishing messages every day.",
        "Нужна защита персональных данных пользователей.",
    ]
    source.write_text("\n".join(json.dumps({"id": i, "text": t}) for i, t in enumerate(texts)), encoding="utf-8")
    for kind in ("tag", "campaigns"):
        one, cluster = tmp_path / f"{kind}-1.jsonl", tmp_path / f"{kind}-2.jsonl"
        call_command("analyze", kind, "--input", str(source), "--output", str(one), verbosity=0)
        call_command("analyze", kind, "--input", str(source), "--output", str(cluster), "--workers", "2", verbosity=0)
        assert one.read_text() == cluster.read_text()


@pytest.mark.parametrize(
    ("module", "slug", "term"),
    [
        ("0006_more_seed_terms", "reliability-qos", "dropped calls"),
        ("0007_informal_seed_terms", "spam", "robocalls"),
        ("0008_second_author_seed_terms", "privacy", "spyware"),
        ("0009_phishing_seed_terms", "spam", "fake e-mails"),
    ],
)
def test_the_seed_terms_migrations_add_their_terms_and_keep_those_edited_in_the_admin(module, slug, term):
    import importlib

    from django.apps import apps

    migration = importlib.import_module(f"concord.policy.migrations.{module}")
    issue = PolicyIssue.objects.get(slug=slug)
    # A fresh database loads the file, which has the terms already: go back to a database from before them.
    before = {
        lang: [t for t in terms if t not in migration.ADDED[slug].get(lang, [])]
        for lang, terms in issue.seed_terms.items()
    }
    assert term not in before["en"]
    before["en"] = [*before["en"], "an admin's term"]
    PolicyIssue.objects.filter(pk=issue.pk).update(seed_terms=before)
    migration.add(apps, None)
    terms = PolicyIssue.objects.get(pk=issue.pk).seed_terms
    assert term in terms["en"] and "an admin's term" in terms["en"]
    assert all(migration.ADDED[slug][lang][0] in terms[lang] for lang in migration.ADDED[slug])
    assert len(terms["en"]) == len(set(terms["en"]))
    migration.add(apps, None)  # running twice adds nothing
    assert PolicyIssue.objects.get(pk=issue.pk).seed_terms == terms
    migration.remove(apps, None)
    assert PolicyIssue.objects.get(pk=issue.pk).seed_terms == before
