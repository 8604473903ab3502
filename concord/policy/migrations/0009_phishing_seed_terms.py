"""Add seed terms for the phishing messages of spam ("fake e-mails", "courriel piégé", "冒充" ...) in six
languages, written after reading the tuning part's errors on spam, as in ``taxonomy.json``; added to what the
database holds, as 0006 does."""

import importlib

from django.db import migrations

ADDED = {
    "spam": {
        "en": ["fake e-mails", "fake emails", "fake messages", "fraudulent messages", "clicked the link"],
        "fr": ["faux courriels", "faux messages", "courriel piégé", "courriels piégés", "messages frauduleux"],
        "es": ["correos falsos", "mensajes falsos", "mensajes fraudulentos", "correo falso"],
        "ru": [
            "поддельных писем",
            "поддельные письма",
            "фальшивые сообщения",
            "мошеннические сообщения",
            "мошеннических сообщений",
        ],
        "zh-hans": ["虚假邮件", "虚假短信", "冒充", "假短信", "诈骗短信"],
        "ar": ["رسائل مزيفة", "الرسائل المزيفة", "رسائل احتيالية", "رسائل إعلانية"],
    }
}

_terms = importlib.import_module("concord.policy.migrations.0006_more_seed_terms")


def add(apps, schema_editor):
    _terms.add_terms(apps, ADDED)


def remove(apps, schema_editor):
    _terms.remove_terms(apps, ADDED)


class Migration(migrations.Migration):
    dependencies = [("policy", "0008_second_author_seed_terms")]
    operations = [migrations.RunPython(add, remove)]
