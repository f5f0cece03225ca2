"""Writing the search index. Services call :func:`refresh` inside their own transaction with
the ids of the records they changed, so the index changes exactly when the records do."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import connections, router, transaction
from django.utils import timezone

from kyodo.core.models import SearchAudience, SearchDocument
from kyodo.core.search import text
from kyodo.core.search.registry import Document, is_registered, kind_number, source, sources

BATCH = 500


# The row id: the document's date (days since 0001-01-01, 0 without a date) in the high
# bits, then the kind's number, then the record's id. Ordering by id is ordering by date,
# newest first when descending, the same on both engines and inside the full-text index;
# ``id >> KIND_SHIFT & 15`` is the kind.
KIND_SHIFT = 39
DATE_SHIFT = 43
MAX_OBJECT_ID = (1 << KIND_SHIFT) - 1


MAX_DAY = (1 << (63 - DATE_SHIFT)) - 1  # 2871-11-25: later dates rank as that day


def document_id(kind: str, object_id: int, date: datetime.date | None) -> int:
    if not 0 <= object_id <= MAX_OBJECT_ID:
        raise ValueError(f"{kind} #{object_id}: the search index takes ids up to {MAX_OBJECT_ID}")
    day = min(date.toordinal(), MAX_DAY) if date else 0
    return (day << DATE_SHIFT) | (kind_number(kind) << KIND_SHIFT) | object_id


def facets(kind: str, document: Document) -> list[str]:
    tokens = [text.facet("k", kind_number(kind))]
    if document.audience != SearchAudience.PUBLIC:
        # Found only by members of the network; without one, by nobody.
        tokens.append(text.MEMBERS_ONLY)
        if document.network_id is not None:
            tokens.append(text.facet("n", document.network_id))
    if document.municipality_id is not None:
        tokens.append(text.facet("m", document.municipality_id))
    if document.fiscal_year is not None:
        tokens.append(text.facet("y", document.fiscal_year))
    return tokens


def _row(kind: str, object_id: int, document: Document, vendor: str) -> SearchDocument:
    title = text.plain(text.normalise(document.title))[:300]
    body = text.plain(text.normalise(document.body))
    terms = text.document_terms(title, body, facets(kind, document))
    if vendor == "postgresql":
        columns: dict[str, str | None] = {"terms": terms.tsvector()}
    else:
        columns = {
            "title_terms": " ".join(terms.title),
            "body_terms": " ".join(terms.body),
            "facet_terms": " ".join(terms.facets),
            "terms": None,
        }
    return SearchDocument(
        id=document_id(kind, object_id, document.date),
        kind=kind,
        object_id=object_id,
        audience=document.audience,
        network_id=document.network_id,
        municipality_id=document.municipality_id,
        fiscal_year=document.fiscal_year,
        date=document.date,
        url=document.url,
        title=title,
        body=body,
        indexed_at=timezone.now(),
        **columns,
    )


def _connection() -> Any:
    return connections[router.db_for_write(SearchDocument)]


def _vendor() -> str:
    return str(_connection().vendor)


def refresh(kind: str, ids: Iterable[Any]) -> int:
    """Index the records ``ids`` of ``kind`` again from the database: each one's document
    replaces its row, or its row goes when the record is gone or no longer to be found.
    Returns the number of rows written.

    A kind that no source registers (a kind whose app is not installed) is left alone and
    nothing is written: a service may name the kinds its writes affect without knowing
    which apps provide them."""
    if not is_registered(kind):
        return 0
    wanted = {int(pk) for pk in ids}
    if not wanted:
        return 0
    kind_source = source(kind)
    vendor = _vendor()
    rows = []
    for chunk in _chunks(sorted(wanted)):
        for obj in kind_source.queryset().filter(pk__in=chunk):
            document = kind_source.build(obj)
            if document is not None:
                rows.append(_row(kind, obj.pk, document, vendor))
    with transaction.atomic():
        for chunk in _chunks(sorted(wanted)):
            SearchDocument.objects.filter(kind=kind, object_id__in=chunk).delete()
        SearchDocument.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def _chunks(values: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(values), BATCH):
        yield values[start : start + BATCH]


def rebuild(kinds: Iterable[str] | None = None) -> dict[str, int]:
    """Write the whole index (or the given kinds) again from the records, in one
    transaction: searches see the old index until the new one is complete."""
    wanted = None if kinds is None else set(kinds)
    chosen = [item for item in sources() if wanted is None or item.kind in wanted]
    vendor = _vendor()
    counts: dict[str, int] = {}
    with transaction.atomic():
        for kind_source in chosen:
            SearchDocument.objects.filter(kind=kind_source.kind).delete()
            rows: list[SearchDocument] = []
            written = 0
            for obj in kind_source.queryset().iterator(chunk_size=BATCH):
                document = kind_source.build(obj)
                if document is None:
                    continue
                rows.append(_row(kind_source.kind, obj.pk, document, vendor))
                if len(rows) >= BATCH:
                    SearchDocument.objects.bulk_create(rows)
                    written += len(rows)
                    rows = []
            SearchDocument.objects.bulk_create(rows)
            counts[kind_source.kind] = written + len(rows)
    return counts


def optimise() -> None:
    """After writing many rows (``search_rebuild``, the demo, the benchmark): SQLite's
    FTS5 merges its index into one segment, so that each search reads one list per token
    instead of many (PostgreSQL's GIN index needs nothing of the kind)."""
    connection = _connection()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO core_searchfts(core_searchfts) VALUES ('optimize')")
