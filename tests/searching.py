"""What the tests of the search sources ask of the index: what a visitor finds, the rows as
stored, and the rows a rebuild writes."""

from __future__ import annotations

from typing import Any

from kyodo.core.models import SearchDocument
from kyodo.core.search import index, text
from kyodo.core.search.queries import Filters, search

ROW_FIELDS = (
    "id",
    "kind",
    "object_id",
    "audience",
    "network_id",
    "municipality_id",
    "fiscal_year",
    "date",
    "url",
    "title",
    "body",
    "title_terms",
    "body_terms",
    "facet_terms",
    "terms",
)


def found(words: str, kind: str = "") -> list[tuple[str, str]]:
    """(kind, url) of each result a visitor (no network) gets for ``words``."""
    results = search(text.parse(words), network_ids=[], filters=Filters(kind=kind))
    return [(item.kind, item.url) for item in results.items]


def rows(kind: str) -> list[dict[str, Any]]:
    return list(SearchDocument.objects.filter(kind=kind).order_by("object_id").values(*ROW_FIELDS))


def assert_rebuild_keeps_rows(kind: str) -> None:
    """The rows the services' refreshes left are those a rebuild writes from scratch."""
    before = rows(kind)
    assert before, f"nothing of {kind} was indexed"
    index.rebuild([kind])
    assert rows(kind) == before
