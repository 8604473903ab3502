"""Load the six-language taxonomy, the forums and the issue-to-forum map from taxonomy.json."""

import json
from pathlib import Path

from django.db import migrations

TAXONOMY = Path(__file__).resolve().parents[1] / "taxonomy.json"


def load(apps, schema_editor):
    Issue = apps.get_model("policy", "PolicyIssue")
    Forum = apps.get_model("policy", "Forum")
    IssueForum = apps.get_model("policy", "IssueForum")
    data = json.loads(TAXONOMY.read_text(encoding="utf-8"))
    forums = {}
    for position, f in enumerate(data["forums"]):
        forums[f["slug"]], _ = Forum.objects.update_or_create(
            slug=f["slug"],
            defaults={
                "name": f["names"]["en"],
                "names": f["names"],
                "reasoning": f["reasoning"],
                "paragraphs": f["paragraphs"],
                "position": position,
            },
        )
    for position, i in enumerate(data["issues"]):
        issue, _ = Issue.objects.update_or_create(
            slug=i["slug"],
            defaults={
                "name": i["names"]["en"],
                "names": i["names"],
                "definitions": i["definitions"],
                "seed_terms": i["seed_terms"],
                "position": position,
            },
        )
        for link in i["forums"]:
            IssueForum.objects.update_or_create(
                issue=issue,
                forum=forums[link["forum"]],
                defaults={"reasoning": link["reasoning"], "paragraphs": link["paragraphs"]},
            )


def unload(apps, schema_editor):
    apps.get_model("policy", "IssueForum").objects.all().delete()
    apps.get_model("policy", "Forum").objects.all().delete()
    apps.get_model("policy", "PolicyIssue").objects.update(names={}, definitions={}, seed_terms={})


class Migration(migrations.Migration):
    dependencies = [("policy", "0003_taxonomy_forums_and_analysis")]
    operations = [migrations.RunPython(load, unload)]
