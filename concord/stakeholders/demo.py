"""The demo's registry and invitations: fictional entities in the proportions of the 2010 consultation's outreach.

The report (A/66/77, paragraph 8) says that every Member State, the observers, UN entities, about 150 international
organisations and about 3,500 civil-society and private-sector entities were invited. The demo invites as many
fictional entities, in those categories, with generated names and addresses under ``.example``, so that the
response-rate tables by group, category and region have real-shaped figures. The demo's contributing entities are
invited too: they are the ones that responded.

Loaded through the registry import (bulk) and ``record_sent_campaign``: nothing is e-mailed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from collections import Counter

from .models import Entity
from .outreach import m49
from .services import LaunchReport, create_campaign, import_entities, record_sent_campaign

# How many of each category the demo invites in all (the contributing entities included).
INVITED = {
    "member-state": 192,
    "permanent-observer": 2,
    "un-system": 40,
    "intergovernmental": 110,
    "ecosoc-ngo": 1750,
    "wsis-accredited": 600,
    "itu-sector-member": 550,
    "business": 350,
    "academia": 250,
}
BOUNCED_SHARE = 0.03
SEED = 2010

_START = ["Al", "Bor", "Cal", "Dor", "El", "Fen", "Gal", "Hol", "Is", "Jar", "Kel", "Lor", "Mar", "Nor", "Or"]
_START += ["Pel", "Quin", "Ros", "Sal", "Tor", "Ul", "Val", "Wen", "Yor", "Zel", "Bel", "Cor", "Dun", "Mir", "Tal"]
_MIDDLE = ["a", "e", "i", "o", "u", "ia", "ea", "ora", "ava", "en"]
_END = ["dor", "via", "land", "mark", "ster", "ton", "ria", "nia", "mere", "holm", "gard", "stan", "wick"]
_TOPICS = [
    "Open Networks",
    "Digital Rights",
    "Internet Access",
    "Rural Connectivity",
    "Online Safety",
    "Data Protection",
    "Media Freedom",
    "Digital Literacy",
    "Electronic Commerce",
    "Multilingual Content",
    "Network Security",
    "Community Networks",
]
_TEMPLATES = {
    "member-state": ["Republic of {place}", "Kingdom of {place}", "Federal Republic of {place}", "{place} Islands"],
    "permanent-observer": ["Observer Mission of {place}"],
    "un-system": ["Fictional UN Office for {topic}", "Fictional UN Programme on {topic}"],
    "intergovernmental": ["{place} Intergovernmental Council on {topic}", "{place}-{other} Organization for {topic}"],
    "ecosoc-ngo": ["{place} Association for {topic}", "Coalition for {topic} in {place}", "{place} Foundation"],
    "wsis-accredited": ["{place} Network on {topic}", "Citizens' Forum on {topic} ({place})"],
    "itu-sector-member": ["{place}tel Communications", "{place} Networks Ltd", "{place} Mobile"],
    "business": ["{place} Digital Trade Ltd", "{place} Data Systems", "{place} Cloud Services"],
    "academia": ["University of {place}", "{place} Institute of Technology", "{place} Centre for Internet Studies"],
}
# The working language by region, as a registry of that outreach would list it (English everywhere besides).
_LANGUAGES = {
    "africa": ["en", "fr", "ar", "en", "fr"],
    "americas": ["es", "en", "es", "en", "fr"],
    "asia": ["en", "zh-hans", "ar", "ru", "en"],
    "europe": ["en", "fr", "ru", "en", "es"],
    "oceania": ["en", "en", "fr", "en", "en"],
}


def _place(rng: random.Random) -> str:
    return rng.choice(_START) + rng.choice(_MIDDLE) + rng.choice(_END)


def registry_rows(contributors, *, seed: int = SEED) -> list[dict]:
    """The demo's registry: the contributing entities (with addresses added) and generated fictional ones, so that
    each category holds ``INVITED`` entities in all."""
    rng = random.Random(seed)
    data = m49()
    countries = sorted(data["region_of"])
    rows, taken = [], set()
    have = Counter()
    for entity in contributors:
        if entity.category.slug not in INVITED:
            continue  # individuals were not invited; they wrote in on their own
        have[entity.category.slug] += 1
        taken.add((entity.name.casefold(), entity.country.code if entity.country else ""))
        rows.append(_row(entity.name, entity.category.slug, entity.group.slug, str(entity.country or ""), rng, data))
    for category, wanted in INVITED.items():
        for _ in range(max(0, wanted - have[category])):
            governments = category in ("member-state", "permanent-observer")
            while True:
                name = rng.choice(_TEMPLATES[category]).format(
                    place=_place(rng), other=_place(rng), topic=rng.choice(_TOPICS)
                )
                # A fictional government has no real country; the others are seated somewhere real.
                country = "" if governments else rng.choice(countries)
                if (name.casefold(), country) not in taken:
                    taken.add((name.casefold(), country))
                    break
            # Academia was heard with civil society in 2010 (the report's four groups).
            group = "civil-society" if category == "academia" else ""
            rows.append(_row(name, category, group, country, rng, data))
    return rows


def _row(name, category, group, country, rng, data) -> dict:
    region = data["region_of"].get(country)
    language = rng.choice(_LANGUAGES[region]) if region else rng.choice(["en", "fr", "es", "ar", "ru", "zh-hans"])
    address = "".join(ch for ch in name.lower() if ch.isalnum())[:40]
    return {
        "name": name,
        "category": category,
        "group": group,
        "country": country,
        "language": language,
        "emails": f"info@{address}.example",
    }


def load_invitations(actor, consultation, contributors, *, sent_at: dt.datetime, seed: int = SEED) -> LaunchReport:
    """Import the demo's registry and record its invitations as sent when the consultation opened."""
    rows = registry_rows(contributors, seed=seed)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["name", "category", "group", "country", "language", "emails"])
    writer.writeheader()
    writer.writerows(rows)
    import_entities(actor, out.getvalue(), is_fictional=True)
    campaign = create_campaign(actor, consultation, name="Invitations of the consultation (fictional registry)")
    rng = random.Random(seed)
    addressed = Entity.objects.filter(contact__emails__isnull=False).values_list("pk", flat=True).order_by("pk")
    bounced = {pk for pk in addressed if rng.random() < BOUNCED_SHARE}
    contributing = {entity.pk for entity in contributors}
    return record_sent_campaign(actor, campaign, sent_at=sent_at, bounced=bounced - contributing)
