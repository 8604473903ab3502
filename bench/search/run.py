"""bench/search: search latency through the public API over a large generated record.

Generates N contributions in the six UN languages (deterministic), loads them into a fresh database with the search
index, then sends typical queries (a word, a phrase, a word with filters, filters alone, a Chinese word) to
``GET /api/v1/consultations/bench-search/search`` through Django's request handling in this process, and prints
p50/p95 latency. No network, no HTTP server: it measures the view, the ORM and the database.

    .venv/bin/python bench/search/run.py --backend postgresql --n 1000000 [--queries 1000]
    .venv/bin/python bench/search/run.py --backend sqlite --n 100000

PostgreSQL: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) names the server; a database
concord_bench_search is created beside it (dropped first, dropped afterwards unless --keep; --reuse queries a kept
one again, after applying any new migration). It is loaded with COPY and the GIN indexes built once at the end, so
a million contributions take minutes, not an hour. SQLite: a temporary file, or with --keep or --reuse
$TMPDIR/concord-bench-search-sqlite/concord.sqlite3.
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
SQLITE_DIR = Path(tempfile.gettempdir()) / "concord-bench-search-sqlite"

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


SERVER = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def setup_database(backend: str, reuse: bool = False, keep: bool = False) -> None:
    if backend == "postgresql":
        import psycopg

        with psycopg.connect(SERVER, autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone()
            if not (reuse and exists):
                conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME}")
                conn.execute(f"CREATE DATABASE {DB_NAME}")
        os.environ["DATABASE_URL"] = urlunparse(urlparse(SERVER)._replace(path=f"/{DB_NAME}"))
    else:
        os.environ.pop("DATABASE_URL", None)
        if keep or reuse:
            # A fixed place, so that a kept SQLite record can be queried again.
            SQLITE_DIR.mkdir(exist_ok=True)
            if not reuse:
                (SQLITE_DIR / "concord.sqlite3").unlink(missing_ok=True)
            os.environ["CONCORD_VAR_DIR"] = str(SQLITE_DIR)
        else:
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
    bulk = _copy_loader() if connection.vendor == "postgresql" else None
    next_id = 1
    for start in range(0, n, batch):
        rows = []
        for i in range(start, min(n, start + batch)):
            lang = LANGS[i % 6]
            entity = entities[rng.randrange(len(entities))]
            text = " ".join(sentence(rng, lang, rng.randint(8, 20)) for _ in range(rng.randint(3, 8)))
            rows.append(
                Contribution(
                    id=next_id if bulk else None,
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
            next_id += 1
        if bulk:
            bulk.send(rows)
        else:
            with transaction.atomic():
                created = Contribution.objects.bulk_create(rows)
                SearchDocument.objects.bulk_create(_document(c) for c in created)
        done = start + len(rows)
        if done % 100_000 == 0 or done == n:
            print(f"  loaded {done:,} in {time.perf_counter() - started:.0f} s", flush=True)
    if bulk:
        bulk.close()
        print(f"  indexed in {time.perf_counter() - started:.0f} s", flush=True)
    with connection.cursor() as cursor:
        # As autovacuum would leave a table loaded once: statistics, and pages marked all-visible.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def _document(contribution):
    from concord.record import search
    from concord.record.models import SearchDocument

    return SearchDocument(
        contribution_id=contribution.pk,
        config=search.config_for(contribution.language),
        body=search.index_text(f"{contribution.title}\n{contribution.text}"),
        stamp=search.document_stamp(contribution),
        **search.document_fields(contribution),
    )


def _copy_rows(cursor, model, objects) -> None:
    """COPY the objects' rows as Django would insert them (same column values), much faster than INSERT."""
    from django.db import connection

    fields = model._meta.concrete_fields
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with cursor.copy(f"COPY {model._meta.db_table} ({columns}) FROM STDIN") as copy:
        for obj in objects:
            copy.write_row([f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields])


def _copy_loader():
    """A coroutine that COPYs batches of contributions and their search documents into PostgreSQL.

    The GIN indexes are dropped for the load and built again at the end (``close()``), as a bulk load should; the
    tsvector trigger still runs per row, in the server process, while Python generates the next batch.
    """
    from django.db import connection

    from concord.contributions.models import Contribution
    from concord.record.models import SearchDocument

    tables = [Contribution._meta.db_table, SearchDocument._meta.db_table]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) AND indexdef LIKE '%%USING gin%%'",
            [tables],
        )
        gin = cursor.fetchall()
        for name, _ in gin:
            cursor.execute(f"DROP INDEX {name}")
    raw = connection.connection

    def loader():
        try:
            while True:
                rows = yield
                with raw.cursor() as cursor:
                    _copy_rows(cursor, Contribution, rows)
                    _copy_rows(cursor, SearchDocument, [_document(c) for c in rows])
                raw.commit()
        except GeneratorExit:
            with raw.cursor() as cursor:
                sequence = "SELECT setval(pg_get_serial_sequence(%s, 'id'), max(id)) FROM "
                cursor.execute(sequence + tables[0], [tables[0]])
                cursor.execute("SET maintenance_work_mem = '1GB'")
                for _, definition in gin:
                    cursor.execute(definition)
            raw.commit()

    coroutine = loader()
    next(coroutine)
    return coroutine


def queries(count: int, seed: int = 1) -> list[tuple[str, dict]]:
    rng = random.Random(seed)
    out = []
    for i in range(count):
        lang = LANGS[i % 6]
        kind = rng.random()
        if kind < 0.45:
            name, params = "word", {"q": rng.choice(WORDS[lang])}
        elif kind < 0.65:
            a, b = rng.sample(WORDS[lang], 2)
            name, params = "phrase", {"q": f'"{a} {b}"' if lang != "zh-hans" else a + b}
        elif kind < 0.9:
            name, params = "word+filters", {"q": rng.choice(WORDS[lang]), "group": rng.choice(GROUPS), "language": lang}
        else:
            name, params = "filters", {"group": rng.choice(GROUPS), "language": lang, "sort": "newest"}
        if rng.random() < 0.3:
            params["page"] = rng.randint(2, 5)
        out.append((name, params))
    return out


def run(count: int) -> list[float]:
    from django.conf import settings
    from django.test import Client

    settings.ALLOWED_HOSTS = ["*"]
    settings.CONCORD_API_READ_RATE = "100000000/m"
    client = Client()
    url = f"/api/v1/consultations/{SLUG}/search"
    for _, params in queries(20, seed=99):  # warm caches and connections
        client.get(url, params)
    timings = []
    for kind, params in queries(count):
        started = time.perf_counter()
        response = client.get(url, params)
        timings.append((kind, (time.perf_counter() - started) * 1000))
        assert response.status_code == 200, (params, response.content[:300])
    return timings


def summary(timings: list[float]) -> str:
    if len(timings) < 2:
        return f"{len(timings)} queries"
    q = statistics.quantiles(timings, n=100)
    return f"p50 {q[49]:.1f} ms, p95 {q[94]:.1f} ms, p99 {q[98]:.1f} ms, mean {statistics.mean(timings):.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards (SQLite: in SQLITE_DIR)")
    parser.add_argument("--reuse", action="store_true", help="query the kept database if it holds N contributions")
    args = parser.parse_args()
    setup_database(args.backend, reuse=args.reuse, keep=args.keep)
    from concord.contributions.models import Contribution

    if args.reuse and Contribution.objects.count() == args.n:
        print(f"{args.backend}: reusing the {args.n:,} contributions of {DB_NAME}", flush=True)
        from django.db import connection

        with connection.cursor() as cursor:
            # A migration may have rewritten the table: leave it as autovacuum would (fast when nothing changed).
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    else:
        if Contribution.objects.exists():
            sys.exit(f"{DB_NAME} holds another record; run without --reuse")
        print(f"{args.backend}: generating and indexing {args.n:,} contributions", flush=True)
        started = time.perf_counter()
        load(args.n)
        print(f"loaded in {time.perf_counter() - started:.0f} s", flush=True)
    print(f"running {args.queries} queries", flush=True)
    load_before = os.getloadavg()[0]
    timings = run(args.queries)
    for kind in dict.fromkeys(kind for kind, _ in timings):
        times = [ms for k, ms in timings if k == kind]
        print(f"  {kind}: {len(times)} queries, {summary(times)}")
    print(
        f"{args.backend} n={args.n:,} queries={len(timings)}: {summary([ms for _, ms in timings])} "
        f"(cores: {os.cpu_count()}, load average before/after: {load_before:.1f}/{os.getloadavg()[0]:.1f})"
    )
    if args.backend == "postgresql" and not args.keep:
        from django.db import connections

        connections.close_all()
        import psycopg

        with psycopg.connect(SERVER, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME}")


if __name__ == "__main__":
    main()
