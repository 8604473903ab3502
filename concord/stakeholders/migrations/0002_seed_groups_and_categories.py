"""The five WSIS stakeholder groups and the ten entity categories of the 2010 invitation list."""

from django.db import migrations

GROUPS = [
    ("government", "Governments"),
    ("international-organization", "International organizations"),
    ("civil-society", "Civil society"),
    ("private-sector", "Private sector"),
    ("technical-academic", "Technical and academic community"),
]
CATEGORIES = [
    ("member-state", "Member State", "government"),
    ("permanent-observer", "Permanent observer", "government"),
    ("un-system", "United Nations system entity", "international-organization"),
    ("intergovernmental", "Intergovernmental organization", "international-organization"),
    ("ecosoc-ngo", "NGO in consultative status with ECOSOC", "civil-society"),
    ("itu-sector-member", "ITU sector member", "private-sector"),
    ("wsis-accredited", "WSIS-accredited entity", "civil-society"),
    ("academia", "Academia", "technical-academic"),
    ("business", "Business", "private-sector"),
    ("individual", "Individual", "civil-society"),
]


def seed(apps, schema_editor):
    Group = apps.get_model("stakeholders", "StakeholderGroup")
    Category = apps.get_model("stakeholders", "EntityCategory")
    groups = {}
    for position, (slug, name) in enumerate(GROUPS):
        groups[slug], _ = Group.objects.update_or_create(slug=slug, defaults={"name": name, "position": position})
    for position, (slug, name, group) in enumerate(CATEGORIES):
        Category.objects.update_or_create(
            slug=slug, defaults={"name": name, "position": position, "default_group": groups[group]}
        )


def unseed(apps, schema_editor):
    apps.get_model("stakeholders", "EntityCategory").objects.filter(slug__in=[c[0] for c in CATEGORIES]).delete()
    apps.get_model("stakeholders", "StakeholderGroup").objects.filter(slug__in=[g[0] for g in GROUPS]).delete()


class Migration(migrations.Migration):
    dependencies = [("stakeholders", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
