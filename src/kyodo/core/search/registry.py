"""What the search indexes: each app registers its sources in its ``search`` module, which
kyodo.core imports at start (as it does the ``tasks`` modules)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models

from kyodo.core.models import SearchAudience


@dataclass(frozen=True)
class Document:
    """A record as the search shows it. ``url`` is where the result links to; ``date`` ranks
    recent above old; the rest are the filters of the search page."""

    title: str
    body: str
    url: str
    audience: str = SearchAudience.PUBLIC
    network_id: int | None = None
    municipality_id: int | None = None
    fiscal_year: int | None = None
    date: datetime.date | None = None


@dataclass(frozen=True)
class Source:
    """One kind of result.

    ``queryset`` returns every record of the kind with what ``build`` reads already joined
    or prefetched; ``build`` returns the record's document, or None when the record must not
    be found (a draft, a withdrawn page). A record deleted or built as None leaves the index
    at the next refresh of its id."""

    kind: str
    label: str
    # 10, 20, … 150: the place of the kind in lists, and (divided by ten) its number in
    # the index's row ids (kyodo.core.search.index.document_id).
    order: int
    queryset: Callable[[], models.QuerySet[Any]]
    build: Callable[[Any], Document | None]


MAX_KIND_NUMBER = 15
_SOURCES: dict[str, Source] = {}


def register(source: Source) -> None:
    number = source.order // 10
    if source.order % 10 or not 1 <= number <= MAX_KIND_NUMBER:
        raise ValueError(f"order must be 10, 20, … {MAX_KIND_NUMBER * 10}: {source!r}")
    taken = {item.order: item.kind for item in _SOURCES.values() if item.kind != source.kind}
    if source.order in taken:
        raise ValueError(f"order {source.order} is already {taken[source.order]!r}")
    _SOURCES[source.kind] = source


def kind_number(kind: str) -> int:
    return _SOURCES[kind].order // 10


def source(kind: str) -> Source:
    return _SOURCES[kind]


def is_registered(kind: str) -> bool:
    return kind in _SOURCES


def sources() -> list[Source]:
    return sorted(_SOURCES.values(), key=lambda item: (item.order, item.kind))
