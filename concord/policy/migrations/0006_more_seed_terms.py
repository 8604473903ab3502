"""Add seed terms for four issues that were tagged weakly (reliability, multilingualism, affordability, consumer
protection): words people use for them in six languages ("dropped calls", "only in English", "data bundle",
"refund" ...), as in ``taxonomy.json``. Terms are added to what the database holds, so terms edited in the admin
stay; the terms are written here, not read from the file, so this migration does the same whenever it runs."""

from django.db import migrations

ADDED = {
    "reliability-qos": {
        "en": [
            "dropped calls",
            "signal drops",
            "network congestion",
            "uptime",
            "speed test",
            "packet loss",
            "redundan",
            "backup link",
        ],
        "fr": [
            "appels coupés",
            "congestion du réseau",
            "perte de paquets",
            "redondan",
            "liaison de secours",
            "instable",
        ],
        "es": [
            "llamadas caídas",
            "congestión de la red",
            "pérdida de paquetes",
            "redundan",
            "enlace de respaldo",
            "inestable",
        ],
        "ru": ["обрыв", "пропадает", "перегруженн", "потери пакетов", "резервн", "нестабильн"],
        "zh-hans": ["掉线", "信号弱", "网络拥堵", "丢包", "冗余", "备用链路", "不稳定"],
        "ar": ["انقطاع الاتصال", "ضعف الإشارة", "ازدحام الشبكة", "فقدان الحزم", "وصلة احتياطية", "غير مستقر"],
    },
    "multilingualism": {
        "en": [
            "in english only",
            "only in english",
            "mother tongue",
            "minority languages",
            "indigenous languages",
            "localisation",
            "localization",
        ],
        "fr": [
            "langue maternelle",
            "langues minoritaires",
            "langues autochtones",
            "uniquement en anglais",
            "seulement en anglais",
            "localisation",
        ],
        "es": [
            "lengua materna",
            "lenguas minoritarias",
            "idiomas indígenas",
            "solo en inglés",
            "sólo en inglés",
            "localización",
        ],
        "ru": [
            "родной язык",
            "родном язык",
            "миноритарн",
            "языков меньшинств",
            "только на английском",
            "малых язык",
            "локализац",
        ],
        "zh-hans": ["少数民族语言", "只有英文", "只有英语", "小语种", "方言", "本地化"],
        "ar": ["لغات الأقليات", "اللغة الأم", "بالإنجليزية فقط", "اللهجات المحلية", "التعريب"],
    },
    "affordability": {
        "en": [
            "too expensive",
            "cannot afford",
            "can't afford",
            "data bundle",
            "cost of data",
            "price of data",
            "social tariff",
            "low-income",
        ],
        "fr": ["trop cher", "pas les moyens", "coût des données", "tarif social", "faibles revenus"],
        "es": [
            "demasiado caro",
            "no pueden pagar",
            "no puede pagar",
            "paquete de datos",
            "costo de los datos",
            "tarifa social",
            "bajos ingresos",
        ],
        "ru": [
            "слишком дорог",
            "не по карману",
            "не могут позволить",
            "пакет трафика",
            "социальный тариф",
            "малоимущ",
            "низким доходом",
        ],
        "zh-hans": ["太贵", "买不起", "用不起", "流量包", "流量费", "低收入"],
        "ar": [
            "باهظة الثمن",
            "باهظ الثمن",
            "لا تستطيع دفع",
            "لا يستطيعون دفع",
            "باقات الإنترنت",
            "باقة البيانات",
            "ذوي الدخل المحدود",
        ],
    },
    "consumer-protection": {
        "en": ["refund", "misleading", "hidden fees", "hidden charges", "counterfeit", "chargeback"],
        "fr": ["remboursement", "rembourser", "trompeu", "frais cachés", "contrefa", "réclamation"],
        "es": [
            "reembolso",
            "devolución del dinero",
            "engañosa",
            "cargos ocultos",
            "costos ocultos",
            "falsificad",
            "reclamar",
        ],
        "ru": ["возврат денег", "вернуть деньги", "скрытые платежи", "скрытых платеж", "контрафакт", "в заблуждение"],
        "zh-hans": ["退款", "虚假广告", "隐藏费用", "假冒"],
        "ar": ["استرداد", "إعلانات مضللة", "رسوم خفية", "الرسوم الخفية", "مقلدة"],
    },
}


def add_terms(apps, added: dict) -> None:
    Issue = apps.get_model("policy", "PolicyIssue")
    for issue in Issue.objects.filter(slug__in=added):
        terms = dict(issue.seed_terms or {})
        for lang, new in added[issue.slug].items():
            terms[lang] = list(dict.fromkeys([*terms.get(lang, []), *new]))
        issue.seed_terms = terms
        issue.save(update_fields=["seed_terms"])


def remove_terms(apps, added: dict) -> None:
    Issue = apps.get_model("policy", "PolicyIssue")
    for issue in Issue.objects.filter(slug__in=added):
        terms = dict(issue.seed_terms or {})
        for lang, new in added[issue.slug].items():
            terms[lang] = [t for t in terms.get(lang, []) if t not in new]
        issue.seed_terms = terms
        issue.save(update_fields=["seed_terms"])


def add(apps, schema_editor):
    add_terms(apps, ADDED)


def remove(apps, schema_editor):
    remove_terms(apps, ADDED)


class Migration(migrations.Migration):
    dependencies = [("policy", "0005_analysis_state")]
    operations = [migrations.RunPython(add, remove)]
