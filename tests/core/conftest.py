"""A search source of the tests' own: documents keyed by the pk of a real organisation row,
so refresh and rebuild read the database as the apps' sources do."""

from __future__ import annotations

import pytest

from kyodo.core.search import index, registry, text
from kyodo.core.search.queries import Filters, search
from kyodo.directory.models import Organisation, OrganisationKind

KIND = "testdoc"


class Corpus:
    """Documents by name; each is stored against a real organisation row."""

    def __init__(self) -> None:
        self.documents: dict[int, registry.Document] = {}
        self.ids: dict[str, int] = {}

    def add(self, name: str, title: str, body: str = "", **extra: object) -> int:
        row = Organisation.objects.create(name=name, kind=OrganisationKind.OTHER)
        self.documents[row.pk] = registry.Document(
            title=title, body=body, url=f"/test/{name}/", **extra
        )
        self.ids[name] = row.pk
        index.refresh(KIND, [row.pk])
        return row.pk

    def names(
        self, query: str, *, network_ids: tuple[int, ...] = (), **filters: object
    ) -> list[str]:
        by_id = {f"/test/{name}/": name for name in self.ids}
        results = search(
            text.parse(query),
            network_ids=network_ids,
            filters=Filters(kind=KIND, **filters),  # type: ignore[arg-type]
            page=1,
        )
        return [by_id[item.url] for item in results.items]


@pytest.fixture
def corpus(db: None, monkeypatch: pytest.MonkeyPatch) -> Corpus:
    found = Corpus()
    source = registry.Source(
        kind=KIND,
        label="試験用",
        order=150,
        queryset=lambda: Organisation.objects.all(),
        build=lambda row: found.documents.get(row.pk),
    )
    monkeypatch.setitem(registry._SOURCES, KIND, source)
    return found
