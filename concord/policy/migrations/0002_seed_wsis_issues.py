"""The WSIS public-policy issues listed in report A/66/77-E/2011/103 (paragraph 17, and paragraph 14)."""

from django.db import migrations

ISSUES = [
    ("cybersecurity", "Cybersecurity and cybercrime"),
    ("privacy", "Privacy and data protection"),
    ("spam", "Spam"),
    ("freedom-of-information", "Freedom of expression and the free flow of information"),
    ("e-commerce", "Electronic commerce"),
    ("consumer-protection", "Consumer protection"),
    ("e-government", "E-government"),
    ("interconnection-costs", "International interconnection costs"),
    ("capacity-building", "Capacity-building"),
    ("ict-education", "ICT in education"),
    ("workforce-development", "Workforce development"),
    ("multilingualism", "Multilingualism"),
    ("investment-innovation", "Investment and innovation"),
    ("critical-internet-resources", "Management of critical Internet resources"),
    ("affordability", "Affordability of access"),
    ("reliability-qos", "Reliability and quality of service"),
    ("net-neutrality", "Net neutrality"),
]


def seed(apps, schema_editor):
    Issue = apps.get_model("policy", "PolicyIssue")
    for position, (slug, name) in enumerate(ISSUES):
        Issue.objects.update_or_create(slug=slug, defaults={"name": name, "position": position})


def unseed(apps, schema_editor):
    apps.get_model("policy", "PolicyIssue").objects.filter(slug__in=[i[0] for i in ISSUES]).delete()


class Migration(migrations.Migration):
    dependencies = [("policy", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
