"""The search page: whatever is typed, a page with a clear answer; members-only results for
members only; a constant number of queries as the index grows."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils.html import escape

from kyodo.core.models import SearchAudience
from tests.core.conftest import KIND, Corpus

URL = "/search/"


def get(client: Client, **params: str) -> str:
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


def test_a_result_links_to_its_page_with_the_word_marked(client: Client, corpus: Corpus) -> None:
    corpus.add(
        "seed",
        "役員のなり手がいない・・・",
        "役員の質が変化してきている。",
        fiscal_year=2024,
        date=datetime.date(2024, 11, 8),
    )
    html = get(client, q="役員")
    assert "「役員」の検索結果 1件" in html
    assert '<a href="/test/seed/"><mark>役員</mark>のなり手がいない・・・</a>' in html
    assert "<mark>役員</mark>の質が変化してきている。" in html
    assert "令和6年度" in html
    assert '<time datetime="2024-11-08">' in html


def test_markup_in_a_document_stays_text(client: Client, corpus: Corpus) -> None:
    corpus.add("xss", "<script>alert(1)</script>協働", "<img src=x onerror=alert(1)>協働")
    html = get(client, q="協働")
    assert "<script>alert(1)" not in html
    assert escape("<img src=x onerror=alert(1)>") in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": ""}, "調べたい言葉を入力して「検索」を押してください。"),
        ({"q": "あ" * 2000}, "検索語は200文字以内で入力してください。"),
        ({"q": "!!!"}, "記号だけでは検索できません。"),
        ({"q": '" OR *'}, "「&quot; OR *」の検索結果 0件"),
        ({"q": "役員", "kind": "nope"}, "次の絞り込みは選択肢にないため、外して検索しました。"),
        (
            {"q": "役員", "municipality": "abc"},
            "次の絞り込みは選択肢にないため、外して検索しました。",
        ),
        ({"q": "役員", "year": "99999999999999999999"}, "選択肢にないため"),
        ({"q": "役員", "page": "-1"}, "「役員」の検索結果 1件"),
        ({"q": "役員", "page": "10" * 30}, "「役員」の検索結果 1件"),
    ],
)
def test_bad_input_answers_with_a_page_and_a_clear_message(
    client: Client, corpus: Corpus, params: dict[str, str], message: str
) -> None:
    corpus.add("seed", "役員のなり手")
    assert message in get(client, **params)


def test_a_query_that_finds_nothing_suggests_what_to_try(client: Client, corpus: Corpus) -> None:
    corpus.add("seed", "役員のなり手", municipality_id=1, fiscal_year=2024)
    html = get(client, q="敬老会", year="2024")
    assert "見つかりませんでした。" in html
    assert "絞り込みを外して探す" in html


def test_members_only_results_are_shown_to_members_of_the_network_only(
    client: Client, corpus: Corpus, demo
) -> None:
    corpus.add("open", "協働の事例")
    corpus.add(
        "closed", "協働の内部資料", audience=SearchAudience.MEMBERS, network_id=demo.network.pk
    )
    assert "の内部資料" not in get(client, q="協働")
    client.force_login(demo.resident)
    assert "の内部資料" not in get(client, q="協働")
    client.force_login(demo.staff)
    assert "<mark>協働</mark>の内部資料" in get(client, q="協働")


def test_kind_links_count_each_kind_and_keep_the_words(client: Client, corpus: Corpus) -> None:
    corpus.add("seed", "役員のなり手")
    html = get(client, q="役員")
    assert "すべて(1件)" in html
    html = get(client, q="役員", kind=KIND)
    assert '<span aria-current="true">試験用(1件)</span>' in html
    assert '<a href="?q=%E5%BD%B9%E5%93%A1">すべて(1件)</a>' in html


def test_pages_of_twenty_link_to_each_other(client: Client, corpus: Corpus) -> None:
    for number in range(25):
        corpus.add(f"d{number}", f"協働の記録{number}", date=datetime.date(2020, 1, 1))
    first = get(client, q="協働")
    assert "1〜20件目を表示しています。" in first
    assert 'href="?q=%E5%8D%94%E5%83%8D&amp;page=2" rel="next"' in first
    second = get(client, q="協働", page="2")
    assert "21〜25件目を表示しています。" in second
    assert 'rel="prev"' in second


def test_every_page_has_the_search_box_in_its_header(client: Client, db: None) -> None:
    html = client.get("/").content.decode()
    assert '<form class="site-search" method="get" action="/search/" role="search"' in html


@pytest.mark.parametrize("size", [1, 50])
def test_the_search_page_takes_a_constant_number_of_queries(
    client: Client, corpus: Corpus, django_assert_num_queries, size: int
) -> None:
    for number in range(size):
        corpus.add(f"d{number}", f"協働の記録{number}", "役員のなり手", municipality_id=1)
    # Municipalities and fiscal years (the filters); then the count per kind, a page of
    # title matches and one of the others, the rows shown.
    with django_assert_num_queries(6):
        html = get(client, q="協働", year="")
    assert html.count('class="search-result"') == min(size, 20)


def test_the_year_filter_offers_only_years_the_person_may_find(
    client: Client, corpus: Corpus, demo
) -> None:
    corpus.add("open", "協働の事例", fiscal_year=2024)
    corpus.add(
        "closed",
        "協働の内部資料",
        audience=SearchAudience.MEMBERS,
        network_id=demo.network.pk,
        fiscal_year=2011,
    )
    assert '<option value="2011">' not in get(client, q="協働")
    client.force_login(demo.staff)
    assert '<option value="2011">' in get(client, q="協働")
