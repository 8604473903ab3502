"""bench/search: search latency through the public API over a large generated record.

Generates N contributions in the six UN languages (deterministic), loads them into a fresh database with the search
index, then sends typical queries (a word, a phrase, a word with filters, filters alone, a Chinese word) to
``GET /api/v1/consultations/bench-search/search`` through Django's request handling in this process, and prints
p50/p95 latency. No network, no HTTP server: it measures the view, the ORM and the database.

    .venv/bin/python bench/search/run.py --backend postgresql --n 1000000 [--queries 1000]
    .venv/bin/python bench/search/run.py --backend sqlite --n 100000

PostgreSQL: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) names the server; a database
concord_bench_search is created beside it (dropped first; kept afterwards with --keep).
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
SLUG = "bench-search"
DB_NAME = "concord_bench_search"

_RAW = {
    "en": "internet governance cooperation security privacy costs interconnection developing countries access "
    "multilingualism spam cybercrime infrastructure capacity building education investment innovation "
    "neutrality freedom expression data protection consumers commerce government stakeholders forum",
    "fr": "internet gouvernance coopération sécurité vie privée coûts interconnexion pays développement accès "
    "multilinguisme pourriel cybercriminalité infrastructure renforcement capacités éducation investissement "
    "neutralité liberté expression données protection consommateurs commerce gouvernement forum",
    "es": "internet gobernanza cooperación seguridad privacidad costos interconexión países desarrollo acceso "
    "multilingüismo correo basura ciberdelito infraestructura capacidad educación inversión innovación "
    "neutralidad libertad expresión datos protección consumidores comercio gobierno foro",
    "ru": "интернет управление сотрудничество безопасность конфиденциальность расходы взаимодействие страны "
    "развитие доступ многоязычие спам киберпреступность инфраструктура потенциал образование инвестиции "
    "нейтральность свобода выражение данные защита потребители торговля правительство форум",
    "ar": "الإنترنت الحوكمة التعاون الأمن الخصوصية التكاليف الربط البلدان النامية النفاذ تعدد اللغات الرسائل "
    "الجريمة السيبرانية البنية التحتية القدرات التعليم الاستثمار الابتكار الحياد حرية التعبير البيانات الحماية "
    "المستهلكين التجارة الحكومة المنتدى",
    "zh-hans": "互联网 治理 合作 安全 隐私 成本 互联 发展中国家 接入 多语言 垃圾邮件 网络犯罪 基础设施 能力建设 "
    "教育 投资 创新 中立 自由 表达 数据 保护 消费者 商务 政府 论坛",
}
WORDS = {lang: words.split() for lang, words in _RAW.items()}
LANGS = list(WORDS)
GROUPS = ["government", "international-organization", "civil-society", "private-sector"]
CATEGORY = {
    "government": "member-state",
    "international-organization": "intergovernmental",
    "civil-society": "ecosoc-ngo",
    "private-sector": "business",
}


_SYLLABLES = {
    "en": "ba ce di fo gu ka le mi no pu ra se ti vo wu",
    "fr": "bé ça di fô gu ké lè mi no pu ré sa ti vo zu",
    "es": "ba ce di fo gu ka le mi ño pu ra se ti vo zu",
    "ru": "ба ве ди фо гу ка ле ми но пу ра се ти во жу",
    "ar": "با تي جو دا ري سي شو عا في قو كا لي مو نا هي",
    "zh-hans": "的 一 是 在 不 了 有 和 人 这 中 大 为 上 个",
}
# A Zipf-like vocabulary of 3,000 filler words per language around the 25-30 topical ones, as in real texts.
FILLER = {
    lang: ["".join(random.Random(f"{lang}{i}").choices(s, k=3)) for i in range(3000)]
    for lang, s in {k: v.split() for k, v in _SYLLABLES.items()}.items()
}
ZIPF = list(itertools.accumulate(1 / (rank + 1) for rank in range(3000)))


def sentence(rng: random.Random, lang: str, length: int) -> str:
    words = rng.choices(FILLER[lang], cum_weights=ZIPF, k=length)
    for i in range(length):
        if rng.random() < 0.06:
            words[i] = rng.choice(WORDS[lang])
    joiner = "" if lang == "zh-hans" else " "
    return joiner.join(words) + ("。" if lang == "zh-hans" else ".")


def setup_database(backend: str) -> None:
    if backend == "postgresql":
        import psycopg

        server = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME}")
            conn.execute(f"CREATE DATABASE {DB_NAME}")
        os.environ["DATABASE_URL"] = urlunparse(urlparse(server)._replace(path=f"/{DB_NAME}"))
    else:
        os.environ.pop("DATABASE_URL", None)
        os.environ["CONCORD_VAR_DIR"] = tempfile.mkdtemp(prefix="concord-bench-search-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "concord.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def load(n: int, seed: int = 0) -> None:
    from django.db import connection, transaction

    from concord.consultations.services import create_consultation, publish_consultation
    from concord.contributions.models import Channel, Contribution, Source
    from concord.record import search
    from concord.record.models import SearchDocument
    from concord.stakeholders.models import EntityCategory, StakeholderGroup
    from concord.stakeholders.services import create_entity

    rng = random.Random(seed)
    opens = dt.datetime(2010, 9, 1, tzinfo=dt.UTC)
    consultation = create_consultation(
        "bench",
        slug=SLUG,
        title="Search benchmark",
        mandate_reference="Bench",
        opens_at=opens,
        closes_at=dt.datetime(2010, 12, 31, tzinfo=dt.UTC),
        receipt_prefix="BS",
        group_slugs=GROUPS,
        languages=LANGS,
        questions=[],
    )
    publish_consultation("bench", consultation, when=opens - dt.timedelta(days=1))
    groups = {g.slug: g for g in StakeholderGroup.objects.filter(slug__in=GROUPS)}
    entities = []
    for i in range(400):
        group = GROUPS[i % 4]
        entities.append(
            create_entity(
                "bench",
                name=f"Fictional Body {i}",
                category=EntityCategory.objects.get(slug=CATEGORY[group]),
                group=groups[group],
                kind="organization",
                country=rng.choice(["KE", "FR", "BR", "IN", "CN", "RU", "EG", "US", ""]),
                is_fictional=True,
            )
        )
    span = 120 * 86400
    started = time.perf_counter()
    batch = 5000
    for start in range(0, n, batch):
        rows = []
        for i in range(start, min(n, start + batch)):
            lang = LANGS[i % 6]
            entity = entities[rng.randrange(len(entities))]
            text = " ".join(sentence(rng, lang, rng.randint(8, 20)) for _ in range(rng.randint(3, 8)))
            rows.append(
                Contribution(
                    consultation=consultation,
                    receipt_number=f"BS-W-{i + 1:07d}",
                    entity=entity,
                    group_id=entity.group_id,
                    channel=Channel.WRITTEN,
                    language=lang,
                    title=sentence(rng, lang, 4),
                    text=text,
                    received_at=opens + dt.timedelta(seconds=rng.randrange(span)),
                    source=Source.STAFF,
                )
            )
        with transaction.atomic():
            created = Contribution.objects.bulk_create(rows)
            SearchDocument.objects.bulk_create(
                SearchDocument(
                    contribution_id=c.pk,
                    config=search.config_for(c.language),
                    body=search.index_text(f"{c.title}\n{c.text}"),
                    stamp=search.document_stamp(c),
                )
                for c in created
            )
        done = start + len(rows)
        if done % 100_000 == 0 or done == n:
            print(f"  loaded {done:,} in {time.perf_counter() - started:.0f} s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def queries(count: int, seed: int = 1) -> list[dict]:
    rng = random.Random(seed)
    out = []
    for i in range(count):
        lang = LANGS[i % 6]
        kind = rng.random()
        if kind < 0.45:
            params = {"q": rng.choice(WORDS[lang])}
        elif kind < 0.65:
            a, b = rng.sample(WORDS[lang], 2)
            params = {"q": f'"{a} {b}"' if lang != "zh-hans" else a + b}
        elif kind < 0.9:
            params = {"q": rng.choice(WORDS[lang]), "group": rng.choice(GROUPS), "language": lang}
        else:
            params = {"group": rng.choice(GROUPS), "language": lang, "sort": "newest"}
        if rng.random() < 0.3:
            params["page"] = rng.randint(2, 5)
        out.append(params)
    return out


def run(count: int) -> list[float]:
    from django.conf import settings
    from django.test import Client

    settings.ALLOWED_HOSTS = ["*"]
    settings.CONCORD_API_READ_RATE = "100000000/m"
    client = Client()
    url = f"/api/v1/consultations/{SLUG}/search"
    for params in queries(20, seed=99):  # warm caches and connections
        client.get(url, params)
    timings = []
    for params in queries(count):
        started = time.perf_counter()
        response = client.get(url, params)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (params, response.content[:300])
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=1000)
    args = parser.parse_args()
    setup_database(args.backend)
    print(f"{args.backend}: generating and indexing {args.n:,} contributions", flush=True)
    started = time.perf_counter()
    load(args.n)
    print(f"loaded in {time.perf_counter() - started:.0f} s; running {args.queries} queries", flush=True)
    timings = run(args.queries)
    q = statistics.quantiles(timings, n=100)
    print(
        f"{args.backend} n={args.n:,} queries={len(timings)}: p50 {q[49]:.1f} ms, p95 {q[94]:.1f} ms, "
        f"p99 {q[98]:.1f} ms, mean {statistics.mean(timings):.1f} ms (cores: {os.cpu_count()})"
    )


if __name__ == "__main__":
    main()
