"""The search over the whole demo, as `make run` loads it: the seed's questions are found by
two-character words and by half-width katakana, and nothing personal is ever found —
not the key people of an area, not their notes, not a person's contact."""

from __future__ import annotations

import pytest

from kyodo.calendar import demo as calendar_demo
from kyodo.core.models import SearchDocument
from kyodo.core.search import index, registry, text
from kyodo.core.search.queries import Filters, search
from kyodo.knowledge import demo as knowledge_demo
from kyodo.liaison import demo as liaison_demo
from kyodo.liaison.models import KeyPerson, OpenMatter
from kyodo.meetings import demo as meetings_demo
from kyodo.publications import demo as publications_demo

PUBLIC_KINDS = {"results", "qa", "post", "case", "entry", "newsletter", "organisation"}


@pytest.fixture
def everything(demo, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    meetings_demo.load(demo.network)
    calendar_demo.load()
    publications_demo.load()
    liaison_demo.load()
    knowledge_demo.load()
    index.rebuild()
    return demo


def titles(words: str, *, kind: str = "", network_ids: tuple[int, ...] = ()) -> list[str]:
    results = search(text.parse(words), network_ids=network_ids, filters=Filters(kind=kind))
    return ["".join(piece.text for piece in item.title) for item in results.items]


def test_the_seed_question_is_found_by_two_characters_and_half_width_katakana(
    everything,
) -> None:
    assert "役員のなり手がいない・・・" in titles("役員", kind="qa")
    assert titles("ｶﾚﾝﾀﾞｰ", kind="qa") == titles("カレンダー", kind="qa")
    assert "年間行事カレンダーの配布は無料?" in titles("ｶﾚﾝﾀﾞｰ", kind="qa")


def test_only_the_public_kinds_are_indexed_and_no_key_person_is_found(everything) -> None:
    assert {item.kind for item in registry.sources()} == PUBLIC_KINDS
    assert set(SearchDocument.objects.values_list("kind", flat=True)) == PUBLIC_KINDS
    people = list(KeyPerson.objects.all())
    matters = list(OpenMatter.objects.all())
    assert people
    assert matters
    network = (everything.network.pk,)
    for person in people:
        for words in (person.name, person.contact, person.notes[:20], person.approach[:20]):
            if words.strip():
                assert titles(words, network_ids=network) == [], words
    for matter in matters:
        assert titles(matter.title, network_ids=network) == [], matter.title
