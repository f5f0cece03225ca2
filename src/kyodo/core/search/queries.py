"""Reading the search index: the matching rows a person may see, ranked, with snippets."""

from __future__ import annotations

import datetime
from collections.abc import Collection
from dataclasses import dataclass, field

from django.db import connections
from django.db.models import Q

from kyodo.core.models import SearchAudience, SearchDocument
from kyodo.core.search import text
from kyodo.core.search.registry import is_registered, kind_number, sources

PAGE_SIZE = 20

# The SQL is constant; the user's words reach it only as a bound parameter, and only as
# tokens of letters and digits (kyodo.core.search.text.Match). Every query reads the
# full-text index alone: the row ids carry the date order and the kind.
SQLITE = {
    "kinds": "SELECT (rowid >> 39) & 15, COUNT(*) FROM core_searchfts"
    " WHERE core_searchfts MATCH %s GROUP BY 1",
    "count": "SELECT COUNT(*) FROM core_searchfts WHERE core_searchfts MATCH %s",
    "page": "SELECT rowid FROM core_searchfts WHERE core_searchfts MATCH %s"
    " ORDER BY rowid DESC LIMIT %s OFFSET %s",
}
POSTGRESQL = {
    "kinds": "SELECT (id >> 39) & 15, COUNT(*) FROM core_searchdocument"
    " WHERE terms @@ %s::tsquery GROUP BY 1",
    "count": "SELECT COUNT(*) FROM core_searchdocument WHERE terms @@ %s::tsquery",
    "page": "SELECT id FROM core_searchdocument WHERE terms @@ %s::tsquery"
    " ORDER BY id DESC LIMIT %s OFFSET %s",
}


class Engine:
    """The three questions the search asks of the database's own full-text index."""

    def __init__(self, alias: str) -> None:
        self.connection = connections[alias]
        self.postgresql = self.connection.vendor == "postgresql"
        self.sql = POSTGRESQL if self.postgresql else SQLITE

    def _expression(self, match: text.Match) -> str:
        return match.tsquery() if self.postgresql else match.fts5()

    def kinds(self, match: text.Match) -> dict[int, int]:
        with self.connection.cursor() as cursor:
            cursor.execute(self.sql["kinds"], [self._expression(match)])
            return {int(number): int(count) for number, count in cursor.fetchall()}

    def count(self, match: text.Match) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute(self.sql["count"], [self._expression(match)])
            return int(cursor.fetchone()[0])

    def page(self, match: text.Match, *, limit: int, offset: int) -> list[int]:
        with self.connection.cursor() as cursor:
            cursor.execute(self.sql["page"], [self._expression(match), limit, offset])
            return [int(row[0]) for row in cursor.fetchall()]


def network_tokens(network_ids: Collection[int]) -> tuple[str, ...]:
    """The facets of the networks whose members-only rows a person may find: those whose
    member organisations the person acts for."""
    return tuple(text.facet("n", pk) for pk in sorted(network_ids))


@dataclass(frozen=True)
class Filters:
    kind: str = ""
    municipality_id: int | None = None
    fiscal_year: int | None = None

    def groups(self) -> list[tuple[str, ...]]:
        """The facet groups of the municipality and year filters (not the kind's)."""
        groups: list[tuple[str, ...]] = []
        if self.municipality_id is not None:
            groups.append((text.facet("m", self.municipality_id),))
        if self.fiscal_year is not None:
            groups.append((text.facet("y", self.fiscal_year),))
        return groups


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
    """One page of results for ``query`` among the rows the person may see, ranked: pages
    with every word in the title first, then the others; newest first within each. Four
    queries whatever the size of the index — the count per kind, a page of title matches, a
    page of the others, the rows shown — and on later pages a fifth, the count of title
    matches."""
    results = Results(query=query, filters=filters)
    if not query:
        return results
    engine = Engine(SearchDocument.objects.db)
    networks = network_tokens(network_ids)
    groups = tuple(filters.groups())
    per_number = engine.kinds(text.Match(query, groups, networks))
    results.kinds = [
        KindCount(item.kind, item.label, per_number[number])
        for item in sources()
        if (number := kind_number(item.kind)) in per_number
    ]
    if filters.kind and is_registered(filters.kind):
        groups = (*groups, (text.facet("k", kind_number(filters.kind)),))
        results.total = per_number.get(kind_number(filters.kind), 0)
    elif filters.kind:
        results.total = 0
        return results
    else:
        results.total = sum(per_number.values())
    results.page = max(1, min(page, results.pages))
    offset = (results.page - 1) * PAGE_SIZE
    title_match = text.Match(query, groups, networks, title_only=True)
    if offset:
        # Later pages start after the title matches shown before them.
        in_title = engine.count(title_match)
        ids = engine.page(
            title_match,
            limit=max(0, min(PAGE_SIZE, in_title - offset)),
            offset=min(offset, in_title),
        )
    else:
        in_title = 0
        ids = engine.page(title_match, limit=PAGE_SIZE, offset=0)
    ids += engine.page(
        text.Match(query, groups, networks, body_only=True),
        limit=PAGE_SIZE - len(ids),
        offset=max(0, offset - in_title),
    )
    rows = SearchDocument.objects.only(
        "kind", "url", "title", "body", "date", "fiscal_year", "municipality_id"
    ).in_bulk(ids)
    labels = {item.kind: item.label for item in sources()}
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
        for pk in ids
        if (row := rows.get(pk)) is not None
    ]
    return results


def fiscal_years(network_ids: Collection[int]) -> list[int]:
    """The fiscal years of the documents a person may find, newest first (the year
    filter: a year only a members-only page has is not shown to others)."""
    visible = Q(audience=SearchAudience.PUBLIC) | Q(
        audience=SearchAudience.MEMBERS, network_id__in=list(network_ids)
    )
    years = (
        SearchDocument.objects.filter(visible, fiscal_year__isnull=False)
        .order_by("-fiscal_year")
        .values_list("fiscal_year", flat=True)
        .distinct()
    )
    return [year for year in years if year is not None]
