"""Reading the search index: the matching rows a person may see, ranked, with snippets."""

from __future__ import annotations

import datetime
from collections.abc import Collection
from dataclasses import dataclass, field

from django.db import connections
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Least, Length, Replace

from kyodo.core.models import SearchAudience, SearchDocument
from kyodo.core.search import text
from kyodo.core.search.registry import sources

PAGE_SIZE = 20
# A word counted more often than this in the body ranks no higher for it: three mentions
# say the page is about the word; thirty say little more.
HIT_CAP = 3
POSTGRESQL_MATCH = "SELECT id FROM core_searchdocument WHERE terms @@ %s::tsquery"
SQLITE_MATCH = "SELECT rowid FROM core_searchfts WHERE core_searchfts MATCH %s"


def visible(network_ids: Collection[int]) -> Q:
    """The rows a person may find: public ones, and members-only ones of the networks whose
    member organisations the person acts for."""
    condition = Q(audience=SearchAudience.PUBLIC)
    if network_ids:
        condition |= Q(audience=SearchAudience.MEMBERS, network_id__in=list(network_ids))
    return condition


def matching(rows: QuerySet[SearchDocument], query: text.Query) -> QuerySet[SearchDocument]:
    """The rows containing every word of ``query``, through the engine's own index."""
    # The SQL is constant; the user's words reach it only as a parameter, and only as
    # tokens of letters and digits (kyodo.core.search.text).
    if connections[rows.db].vendor == "postgresql":
        sql, param = POSTGRESQL_MATCH, text.tsquery(query)
    else:
        sql, param = SQLITE_MATCH, text.fts5_match(query)
    return rows.filter(pk__in=RawSQL(sql, [param]))  # noqa: S611


def ranked(rows: QuerySet[SearchDocument], query: text.Query) -> QuerySet[SearchDocument]:
    """Title before body, a page that uses the word often before one that mentions it once,
    recent before old. Plain SQL on both engines, so both rank alike."""
    in_title = Q()
    for word in query.words:
        in_title &= Q(title_key__contains=word)
    word = query.main_word
    hits = (Length("body_key") - Length(Replace("body_key", Value(word), Value("")))) / len(word)
    return rows.annotate(
        title_rank=Case(
            When(in_title, then=Value(1)), default=Value(0), output_field=IntegerField()
        ),
        body_rank=Least(hits, Value(HIT_CAP), output_field=IntegerField()),
    ).order_by("-title_rank", "-body_rank", F("date").desc(nulls_last=True), "-pk")


@dataclass(frozen=True)
class Filters:
    kind: str = ""
    municipality_id: int | None = None
    fiscal_year: int | None = None

    def apply(self, rows: QuerySet[SearchDocument]) -> QuerySet[SearchDocument]:
        if self.municipality_id is not None:
            rows = rows.filter(municipality_id=self.municipality_id)
        if self.fiscal_year is not None:
            rows = rows.filter(fiscal_year=self.fiscal_year)
        return rows


@dataclass(frozen=True)
class Result:
    kind: str
    kind_label: str
    url: str
    title: list[text.Piece]
    snippet: list[text.Piece]
    date: datetime.date | None
    fiscal_year: int | None
    municipality_id: int | None
    municipality: str = ""


@dataclass(frozen=True)
class KindCount:
    kind: str
    label: str
    count: int


@dataclass
class Results:
    query: text.Query
    filters: Filters
    page: int = 1
    total: int = 0
    kinds: list[KindCount] = field(default_factory=list)
    items: list[Result] = field(default_factory=list)

    @property
    def all_total(self) -> int:
        """The matches of every kind, whatever the kind filter."""
        return sum(item.count for item in self.kinds)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))

    @property
    def first(self) -> int:
        return (self.page - 1) * PAGE_SIZE + 1 if self.total else 0

    @property
    def last(self) -> int:
        return min(self.total, self.page * PAGE_SIZE)


def search(
    query: text.Query, *, network_ids: Collection[int], filters: Filters, page: int = 1
) -> Results:
    """One page of results for ``query`` among the rows the person may see. Two queries:
    the count per kind, then the page."""
    results = Results(query=query, filters=filters)
    if not query:
        return results
    rows = matching(filters.apply(SearchDocument.objects.filter(visible(network_ids))), query)
    labels = {item.kind: item.label for item in sources()}
    per_kind = dict(
        rows.order_by().values_list("kind").annotate(count=Count("pk")).values_list("kind", "count")
    )
    results.kinds = [
        KindCount(kind, label, per_kind[kind]) for kind, label in labels.items() if kind in per_kind
    ]
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
        results.total = per_kind.get(filters.kind, 0)
    else:
        results.total = sum(per_kind.values())
    results.page = max(1, min(page, results.pages))
    start = (results.page - 1) * PAGE_SIZE
    page_rows = ranked(rows, query).defer("terms", "body_key")[start : start + PAGE_SIZE]
    results.items = [
        Result(
            kind=row.kind,
            kind_label=labels.get(row.kind, row.kind),
            url=row.url,
            title=text.highlight(row.title, query.words, limit=None),
            snippet=text.highlight(row.body, query.words),
            date=row.date,
            fiscal_year=row.fiscal_year,
            municipality_id=row.municipality_id,
        )
        for row in page_rows
    ]
    return results


def fiscal_years() -> list[int]:
    """The fiscal years the index holds documents of, newest first (the year filter)."""
    years = (
        SearchDocument.objects.filter(fiscal_year__isnull=False)
        .order_by("-fiscal_year")
        .values_list("fiscal_year", flat=True)
        .distinct()
    )
    return [year for year in years if year is not None]
