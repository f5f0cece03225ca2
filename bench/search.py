"""Site search over 100,000 Japanese documents: the time to build the index through the real
row builder, then the latency of kyodo.core.search.queries.search (the count per kind and a
ranked page of 20 with snippets) against a naive LIKE scan of the same rows, giving the same
counts and the same page. Run by bench/run.py; prints markdown tables.

On SQLite (the default) the bench makes a database of its own in a temporary folder, removed
afterwards. With ``--postgresql`` it uses the server DATABASE_URL names (bench/run.py starts a
throwaway one with scripts/with-postgres) and creates the database there if missing.

The documents are synthetic but shaped like kyodo's: the kinds in the proportions a
prefecture's network produces them, titles of 10 to 40 characters, bodies of 100 to 1,500
characters (most short), written from the phrases of community work (自治会, 役員のなり手,
地域担当職員…) mixed with filler words whose frequencies follow Zipf's law, so that common
words occur in most documents and rare ones in a handful; some documents are typed with
full-width Latin and half-width katakana, which the index folds.
"""

from __future__ import annotations

import argparse
import bisect
import datetime
import itertools
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import django

DOCUMENTS = int(os.environ.get("BENCH_SEARCH_DOCUMENTS", "100000"))
RUNS = int(os.environ.get("BENCH_SEARCH_RUNS", "10"))  # timed searches per query, warm
LIKE_RUNS = int(os.environ.get("BENCH_SEARCH_LIKE_RUNS", "2"))  # the scan is slow
CHUNK = 1000
TARGET_P95_MS = 50
TARGET_RATIO = 20
# The person searching belongs to network 1: public rows and network 1's members-only rows.
NETWORK_IDS = [1]

QUERIES = {
    "2 chars": ["役員", "協働", "自治", "広告", "防災", "校区", "地域", "灯籠"],
    "4 chars": ["地域担当", "年間行事", "防災訓練", "役員のな"],
}

# Kind, share of the index, label (as the apps register them).
KINDS = [
    ("post", 0.34, "お知らせ・投稿"),
    ("entry", 0.24, "行事・会議"),
    ("qa", 0.11, "質問と回答"),
    ("organisation", 0.10, "団体"),
    ("results", 0.09, "開催結果"),
    ("case", 0.07, "事例"),
    ("newsletter", 0.05, "会報"),
]
MUNICIPALITIES = 43  # 鹿児島県の市町村
FISCAL_YEARS = range(2015, 2027)

# Phrases of community work, most used first: a document draws them by a Zipf-like weight,
# so 地域 or 自治会 turn up in most documents and 灯籠流し in a few hundred.
PHRASES = """
地域 自治会 町内会 地域コミュニティ 役員 協働 住民 参加 活動 校区 防災訓練 清掃活動 回覧板
役員のなり手 地域担当職員 年間行事カレンダー 総会 事業計画 会費 加入率 ワークショップ 引継ぎ
敬老会 NPO法人 まちづくり協議会 広告料 子ども会 見守り活動 公民館 補助金 地域づくり
防災 自主防災組織 避難所 夏祭り 運動会 役員会 会長 副会長 会計 監事 班長 事務局 広報紙
募集 担い手 高齢化 若い世代 共働き世帯 負担軽減 デジタル化 オンライン会議 アンケート
意見交換会 研修会 報告書 決算 予算 規約 委任状 議事録 地区 校区コミュニティ協議会
交通安全 防犯パトロール 街灯 ごみステーション 資源回収 花壇 草刈り 緑化 福祉 民生委員
社会福祉協議会 サロン 子ども食堂 登下校 見守り隊 コミュニティセンター 地域担当
年間行事 行政連絡 市役所 地域振興課 協働推進 先進事例 課題 解決 合意形成 話し合い
ＮＰＯ ﾜｰｸｼｮｯﾌﾟ ｺﾐｭﾆﾃｨ もちつき大会 餅つき 盆踊り 敬老祝い金 赤い羽根
"""
# Words of the kind every text has, between the phrases.
COMMON_KANJI = (
    "日一国会人年大十二本中長出三時行見月分後前生五間上東四今金九入学高円子外八六下来気小七山"
    "話女北午百書先名川千水半男西電校語土木聞食車何南万毎白天母火右読友左休父雨内手新場合市"
    "事業方社化者所員体定明動実関当部発対意作成計画報告度予算区町村民活協議設置要望開催結果"
    "集会議題検討確認連絡調整支援制度運営説明資料提出期限担当職"
)
PARTICLES = ["の", "は", "を", "に", "が", "で", "と", "も", "へ", "から", "まで", "について"]
ENDINGS = ["です。", "ます。", "しました。", "します。", "となります。", "でした。", "。", "、"]
RARE = "灯籠流し"
KANA = "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわ"


def _zipf(count: int, exponent: float) -> list[float]:
    """Cumulative weights of ranks 1..count under Zipf's law, for random.choices."""
    return list(itertools.accumulate(1 / rank**exponent for rank in range(1, count + 1)))


class Writer:
    """Japanese-looking text of community work, from a seeded generator."""

    def __init__(self, seed: int = 2026) -> None:
        self.rng = rng = random.Random(seed)  # noqa: S311 -- sample data, not secrets
        self.phrases = PHRASES.split()
        self.phrase_weights = _zipf(len(self.phrases), 0.9)
        # 20,000 filler words of two to four characters, ranked by Zipf's law.
        self.words = [
            "".join(rng.choices(COMMON_KANJI, k=rng.choice((2, 2, 2, 3, 3, 4))))
            for _ in range(20_000)
        ]
        self.word_weights = _zipf(len(self.words), 1.05)
        phrase_ranks = [1 / rank**0.9 for rank in range(1, len(self.phrases) + 1)]
        word_ranks = [1 / rank**1.05 for rank in range(1, len(self.words) + 1)]
        phrase_total, word_total = sum(phrase_ranks), sum(word_ranks)
        # One word in twelve is a phrase of the domain, a few are hiragana, the rest fillers;
        # RARE turns up in about three documents in a thousand.
        kana = [a + b for a in KANA for b in KANA]
        vocabulary = [RARE, *self.phrases, *kana, *self.words]
        weights = (
            [0.00002]
            + [0.08 * w / phrase_total for w in phrase_ranks]
            + [0.07 / len(kana)] * len(kana)
            + [0.85 * w / word_total for w in word_ranks]
        )
        self.vocabulary = vocabulary
        self.vocabulary_weights = list(itertools.accumulate(weights))
        # Each word is followed by a particle, and one time in five by the end of a sentence.
        self.suffixes = [p + e for p in PARTICLES for e in [""] * 32 + ENDINGS]

    def text(self, length: int) -> str:
        """About ``length`` characters: words, each with a particle, sentences ending now
        and then."""
        rng = self.rng
        count = length // 3 + 8
        words = rng.choices(self.vocabulary, cum_weights=self.vocabulary_weights, k=count)
        suffixes = rng.choices(self.suffixes, k=count)
        text = "".join(itertools.chain.from_iterable(zip(words, suffixes, strict=True)))
        while len(text) < length:
            text += text[: length - len(text)]
        return text[:length].rstrip("、") + "。"

    def title(self) -> str:
        rng = self.rng
        first, second = rng.choices(self.phrases, cum_weights=self.phrase_weights, k=2)
        if first == second:
            second = rng.choice(self.phrases)
        title = f"{rng.randint(1, 12)}月の{first}と{second}について"
        while len(title) < rng.randint(10, 40):
            title += rng.choice(self.words)
        return title[:40]

    def body_length(self) -> int:
        """100 to 1,500 characters, most of them short (log-normal, median about 400)."""
        return max(100, min(1500, int(self.rng.lognormvariate(6.0, 0.6))))


# Some people type full-width Latin and digits, or half-width katakana: NFKC folds them.
VARIANTS = str.maketrans({"N": "Ｎ", "P": "Ｐ", "O": "Ｏ", "1": "１", "2": "２", "0": "０"})


def documents(count: int, seed: int = 2026) -> Iterator[tuple[str, int, Any]]:
    """(kind, object id, Document) for ``count`` documents."""
    from kyodo.core.models import SearchAudience
    from kyodo.core.search.registry import Document

    writer = Writer(seed)
    rng = writer.rng
    kinds = [kind for kind, _share, _label in KINDS]
    shares = list(itertools.accumulate(share for _kind, share, _label in KINDS))
    next_id: Counter[str] = Counter()
    for _ in range(count):
        kind = kinds[min(bisect.bisect(shares, rng.random() * shares[-1]), len(kinds) - 1)]
        next_id[kind] += 1
        year = rng.choice(FISCAL_YEARS)
        day = datetime.date(year, 4, 1) + datetime.timedelta(days=rng.randrange(365))
        title, body = writer.title(), writer.text(writer.body_length())
        if rng.random() < 0.1:
            title, body = title.translate(VARIANTS), body.translate(VARIANTS)
        members = rng.random() < 0.1
        yield (
            kind,
            next_id[kind],
            Document(
                title=title,
                body=body,
                url=f"/{kind}/{next_id[kind]}/",
                audience=SearchAudience.MEMBERS if members else SearchAudience.PUBLIC,
                network_id=rng.randint(1, 3) if members else None,
                municipality_id=rng.randint(1, MUNICIPALITIES),
                fiscal_year=None if kind == "organisation" else year,
                date=None if kind == "organisation" else day,
            ),
        )


def build(count: int) -> dict[str, float]:
    """Write ``count`` rows through index._row and bulk_create, in chunks of CHUNK; returns
    the seconds spent writing text, building rows and inserting (triggers and GIN included)."""
    from django.db import connection, transaction

    from kyodo.core.models import SearchDocument
    from kyodo.core.search import index

    vendor = connection.vendor
    spent = Counter[str]()
    source = documents(count)
    with transaction.atomic():
        while True:
            started = time.perf_counter()
            chunk = list(itertools.islice(source, CHUNK))
            spent["text"] += time.perf_counter() - started
            if not chunk:
                break
            started = time.perf_counter()
            rows = [index._row(kind, pk, document, vendor) for kind, pk, document in chunk]
            spent["rows"] += time.perf_counter() - started
            started = time.perf_counter()
            SearchDocument.objects.bulk_create(rows, batch_size=CHUNK)
            spent["insert"] += time.perf_counter() - started
        started = time.perf_counter()
        index.optimise()  # as index.rebuild does after writing every row
        spent["insert"] += time.perf_counter() - started
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            started = time.perf_counter()
            cursor.execute("ANALYZE core_searchdocument")
            spent["insert"] += time.perf_counter() - started
    return dict(spent)


# The kinds' places as the apps register them (the row ids carry the kind's number).
ORDERS = {
    "results": 10,
    "qa": 20,
    "post": 30,
    "case": 40,
    "entry": 50,
    "newsletter": 60,
    "organisation": 70,
}


def register_kinds() -> None:
    """The apps' kinds that no installed app registers yet, for the row ids and the labels
    of the counts (nothing here reads their records)."""
    from kyodo.core.models import SearchDocument
    from kyodo.core.search.registry import Source, is_registered, register

    for kind, _share, label in KINDS:
        if not is_registered(kind):
            register(
                Source(kind, label, ORDERS[kind], SearchDocument.objects.none, lambda _obj: None)
            )


def like_search(query: Any, network_ids: list[int]) -> tuple[int, list[str]]:
    """What a naive implementation does, with the same answer: rows whose title or body
    contains every word (LIKE '%word%'), counted per kind, pages with every word in the
    title first, newest first. Returns the total and the URLs of the first page."""
    from django.db.models import Case, Count, IntegerField, Q, Value, When

    from kyodo.core.models import SearchAudience, SearchDocument

    rows = SearchDocument.objects.filter(
        Q(audience=SearchAudience.PUBLIC)
        | Q(audience=SearchAudience.MEMBERS, network_id__in=network_ids)
    )
    in_title = Q()
    for word in query.words:
        rows = rows.filter(Q(title__contains=word) | Q(body__contains=word))
        in_title &= Q(title__contains=word)
    per_kind = dict(rows.order_by().values_list("kind").annotate(n=Count("pk")))
    title_rank = Case(When(in_title, then=Value(1)), default=Value(0), output_field=IntegerField())
    page = rows.annotate(title_rank=title_rank).order_by("-title_rank", "-pk")[:20]
    return sum(per_kind.values()), list(page.values_list("url", flat=True))


def timed(run: Callable[[], Any], times: int, *, warm: bool = True) -> tuple[list[float], Any]:
    if warm:
        run()  # the pages of the index and of the rows it finds are in the cache
    timings = []
    result = None
    for _ in range(times):
        started = time.perf_counter()
        result = run()
        timings.append((time.perf_counter() - started) * 1000)
    return timings, result


def measure() -> list[tuple[str, str, int, list[float], list[float]]]:
    """(group, query, matches, index ms, LIKE ms) for every query; checks that both ways give
    the same counts and the same page."""
    from kyodo.core.search import queries, text

    found = []
    for group, words in QUERIES.items():
        for word in words:
            query = text.parse(word)

            def search(query: text.Query = query) -> queries.Results:
                return queries.search(query, network_ids=NETWORK_IDS, filters=queries.Filters())

            index_ms, indexed = timed(search, RUNS)

            def scan(query: text.Query = query) -> tuple[int, list[str]]:
                return like_search(query, NETWORK_IDS)

            like_ms, (scanned_total, scanned_urls) = timed(scan, LIKE_RUNS, warm=False)
            same = indexed.total == scanned_total and [i.url for i in indexed.items] == scanned_urls
            if not same:
                print(f"MISMATCH for {word}: index {indexed.total}, LIKE {scanned_total}")
            found.append((group, word, indexed.total, index_ms, like_ms))
    return found


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[94]


def print_tables(
    vendor: str, total: int, spent: dict[str, float], found: list[Any], kinds: Counter[str]
) -> None:
    engine = "PostgreSQL (GIN on tsvector)" if vendor == "postgresql" else "SQLite (FTS5)"
    build_s = sum(spent.values())
    mix = ", ".join(f"{kind} {kinds[kind]:,}" for kind, _share, _label in KINDS)
    print(
        f"\nsite search — {total:,} Japanese documents ({mix}) on {engine}; built through "
        f"index._row + bulk_create in {build_s:.0f} s (text {spent['text']:.0f} s, rows "
        f"{spent['rows']:.0f} s, insert {spent['insert']:.0f} s). queries.search = counts "
        f"per kind, a page of title matches and one of the others, the rows, snippets; "
        f"{RUNS} warm runs per query (LIKE scan "
        f"{LIKE_RUNS}); the LIKE scan gives the same counts and page. {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.1f} at the end.\n"
    )
    print("| query | matches | index p50 ms | index p95 ms | LIKE p50 ms | LIKE ÷ index |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for _group, word, matches, index_ms, like_ms in found:
        ratio = statistics.median(like_ms) / statistics.median(index_ms)
        print(
            f"| {word} | {matches:,} | {statistics.median(index_ms):.1f} | {p95(index_ms):.1f} "
            f"| {statistics.median(like_ms):.0f} | {ratio:.0f}× |"
        )
    print(
        f"\n| search, {engine.split()[0]} | queries | index p50 ms | index p95 ms | index max ms "
        f"| LIKE p95 ms | LIKE ÷ index (p95) | targets (p95 < {TARGET_P95_MS} ms, ≥ "
        f"{TARGET_RATIO}×) |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for group in QUERIES:
        rows = [row for row in found if row[0] == group]
        index_ms = [ms for row in rows for ms in row[3]]
        like_ms = [ms for row in rows for ms in row[4]]
        ratio = p95(like_ms) / p95(index_ms)
        met = (
            "met"
            if p95(index_ms) < TARGET_P95_MS and ratio >= TARGET_RATIO
            else "**missed**"
            + (f": p95 ≥ {TARGET_P95_MS} ms" if p95(index_ms) >= TARGET_P95_MS else "")
            + (f": < {TARGET_RATIO}×" if ratio < TARGET_RATIO else "")
        )
        print(
            f"| {group} | {len(rows)} | {statistics.median(index_ms):.1f} | {p95(index_ms):.1f} "
            f"| {max(index_ms):.1f} | {p95(like_ms):.0f} | {ratio:.0f}× | {met} |"
        )
    sys.stdout.flush()


def create_postgresql_database() -> None:
    """The database DATABASE_URL names, on a server that may have only ``postgres``."""
    import dj_database_url
    import psycopg
    from psycopg import sql

    config = dj_database_url.parse(os.environ["DATABASE_URL"])
    with psycopg.connect(
        host=config["HOST"],
        port=config["PORT"] or 5432,
        user=config["USER"],
        password=config["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    ) as conn:
        if not conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]
        ).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgresql", action="store_true", help="use DATABASE_URL's server")
    args = parser.parse_args()
    var = tempfile.mkdtemp(prefix="kyodo-bench-search-")
    if args.postgresql:
        if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
            raise SystemExit("--postgresql needs DATABASE_URL (run under scripts/with-postgres)")
        create_postgresql_database()
    else:
        os.environ.pop("DATABASE_URL", None)  # a SQLite database of its own
    os.environ["KYODO_VAR_DIR"] = var
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kyodo.settings")
    try:
        django.setup()
        from django.core.management import call_command
        from django.db import connection

        from kyodo.core.models import SearchDocument

        call_command("migrate", verbosity=0)
        register_kinds()
        spent = build(DOCUMENTS)
        kinds = Counter(SearchDocument.objects.values_list("kind", flat=True))
        found = measure()
        print_tables(connection.vendor, DOCUMENTS, spent, found, kinds)
    finally:
        shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    main()
