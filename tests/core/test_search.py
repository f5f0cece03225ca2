"""The search engine itself (kyodo.core.search): Japanese words found inside longer text,
the same answers on SQLite and PostgreSQL, visibility, ranking and bad input.

The test source of tests/core/conftest.py feeds the index. The whole file runs on both
engines in `make test`; the expected orders below are written out, so passing on both means
both engines return the same results."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kyodo.core.models import SearchAudience, SearchDocument
from kyodo.core.search import index, text
from kyodo.directory.models import Organisation
from tests.core.conftest import KIND, Corpus

# Text ---------------------------------------------------------------------------------------


def test_normalise_turns_half_width_katakana_and_full_width_latin_into_one_form() -> None:
    assert text.fold("ｶﾚﾝﾀﾞｰ ＮＰＯ法人 ①") == "カレンダー npo法人 1"


def test_tokens_are_bigrams_of_each_run_and_its_last_character() -> None:
    assert text.tokens(text.fold("役員会・NPO")) == ["役員", "員会", "会", "np", "po", "o"]


def test_a_query_becomes_phrases_of_bigrams_for_both_engines() -> None:
    query = text.parse("役員の　なり手 市")
    assert query.words == ("役員の", "なり手", "市")
    match = text.Match(query, (("m11",),), networks=("n1", "n2"))
    assert match.fts5() == (
        '({title_terms body_terms} : ("役員 員の" AND "なり り手" AND "市" *))'
        " NOT (({facet_terms} : mem) NOT ({facet_terms} : (n1 OR n2)))"
        " AND {facet_terms} : (m11)"
    )
    assert match.tsquery() == (
        "(('役員':AD <-> '員の':AD) & ('なり':AD <-> 'り手':AD) & ('市':*AD))"
        " & !('mem':B & !('n1':B | 'n2':B)) & ('m11':B)"
    )


def test_body_only_excludes_pages_with_every_word_in_the_title() -> None:
    match = text.Match(text.parse("役員"), body_only=True)
    assert match.fts5() == (
        '(({title_terms body_terms} : ("役員")) NOT ({title_terms} : ("役員")))'
        " NOT ({facet_terms} : mem)"
    )
    assert match.tsquery() == "((('役員':AD)) & !(('役員':A))) & !('mem':B)"


def test_the_tsvector_weights_title_body_and_facets_with_gaps_between() -> None:
    terms = text.document_terms("役員", "自治会", ["k1", "mem"])
    assert terms.tsvector() == "'役員':1A '員':2A '自治':4 '治会':5 '会':6 'k1':8B 'mem':9B"


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("", ""),
        ("   ", ""),
        ('" OR *', ""),
        ("!!!???", "文字か数字を含む言葉で検索してください。記号だけでは検索できません。"),
        ("あ" * 2000, "検索語は200文字以内で入力してください。"),
        (" ".join("あいうえおかきくけこさ"), "検索語は10語以内にしてください。"),
    ],
)
def test_unusable_queries_are_false_and_say_why(raw: str, problem: str) -> None:
    query = text.parse(raw)
    if raw == '" OR *':
        # The operators are dropped; the letters are searched as a word.
        assert query.words == ("or",)
        return
    assert not query
    assert query.problem == problem


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_input_parses_into_match_expressions_of_letters_and_digits_only(raw: str) -> None:
    query = text.parse(raw)
    if not query:
        return
    match = text.Match(query)
    for expression in (match.fts5(), match.tsquery()):
        leftover = expression
        leftover = leftover[: leftover.index("NOT")] if "NOT" in leftover else leftover
        leftover = leftover.split(" & !")[0]
        for token in ("{title_terms body_terms}", "AND", '"', "*", "'", "<->", "&", "(", ")"):
            leftover = leftover.replace(token, "")
        for token in (":AD", ":", " "):
            leftover = leftover.replace(token, "")
        assert all(text.is_word_char(char) for char in leftover), leftover


def test_highlight_marks_every_occurrence_and_cuts_around_the_first() -> None:
    body = "あ" * 200 + "役員のなり手がいない。役員は輪番制。" + "い" * 200
    pieces = text.highlight(body, ("役員",))
    assert [piece.text for piece in pieces if piece.hit] == ["役員", "役員"]
    shown = "".join(piece.text for piece in pieces)
    assert shown.startswith("…")
    assert shown.endswith("…")
    assert len(shown) == text.SNIPPET_CHARS + 2


def test_highlight_finds_full_width_letters_typed_half_width() -> None:
    pieces = text.highlight(text.normalise("ＮＰＯ法人の支援"), ("npo",))
    assert [(piece.text, piece.hit) for piece in pieces] == [("NPO", True), ("法人の支援", False)]


# The engine on the database -------------------------------------------------------------------


def test_a_two_character_word_is_found_inside_a_longer_phrase(corpus: Corpus) -> None:
    corpus.add(
        "seed", "地域コミュニティの課題", "Q役員のなり手がいない・・・ A以前は意欲のある方が"
    )
    corpus.add("other", "防災訓練のお知らせ", "自主防災組織の訓練を行います")
    assert corpus.names("役員") == ["seed"]
    assert corpus.names("なり手") == ["seed"]
    assert corpus.names("役員のなり手がいない") == ["seed"]
    assert corpus.names("防災") == ["other"]


def test_half_width_katakana_finds_full_width(corpus: Corpus) -> None:
    corpus.add("calendar", "年間行事カレンダーの作り方", "広告料で作ります")
    assert corpus.names("ｶﾚﾝﾀﾞｰ") == ["calendar"]
    assert corpus.names("カレンダー") == ["calendar"]


def test_a_word_is_not_found_across_punctuation(corpus: Corpus) -> None:
    corpus.add("split", "役員・会計の選び方")
    assert corpus.names("員会") == []
    assert corpus.names("役員 会計") == ["split"]


def test_one_character_is_searched_anywhere_including_the_end_of_a_run(corpus: Corpus) -> None:
    corpus.add("city", "鹿児島市")
    corpus.add("town", "市来町")
    assert sorted(corpus.names("市")) == ["city", "town"]


def test_all_words_must_occur(corpus: Corpus) -> None:
    corpus.add("both", "役員の選び方", "自治会の総会で")
    corpus.add("one", "役員の任期")
    assert corpus.names("役員 自治会") == ["both"]


def test_title_ranks_above_body_and_recent_above_old(corpus: Corpus) -> None:
    corpus.add("new", "地域の集まり", "協働に一度だけ触れます", date=datetime.date(2026, 4, 1))
    corpus.add("titled-old", "協働の手引き", "手引き", date=datetime.date(2019, 4, 1))
    corpus.add("titled-new", "協働推進の取組", "取組", date=datetime.date(2025, 4, 1))
    corpus.add("old", "地域の会議", "協働、協働、また協働", date=datetime.date(2020, 4, 1))
    corpus.add("undated", "地域の会議", "協働")
    assert corpus.names("協働") == ["titled-new", "titled-old", "new", "old", "undated"]


def test_members_only_documents_are_found_by_members_of_that_network_only(corpus: Corpus) -> None:
    corpus.add("open", "協働の事例")
    corpus.add("closed", "協働の内部資料", audience=SearchAudience.MEMBERS, network_id=7)
    assert corpus.names("協働") == ["open"]
    assert corpus.names("協働", network_ids=(8,)) == ["open"]
    assert corpus.names("協働", network_ids=(7,)) == ["closed", "open"]


def test_filters_narrow_by_municipality_and_fiscal_year(corpus: Corpus) -> None:
    corpus.add("a", "自治会の総会", municipality_id=11, fiscal_year=2024)
    corpus.add("b", "自治会の清掃", municipality_id=12, fiscal_year=2024)
    corpus.add("c", "自治会の敬老会", municipality_id=11, fiscal_year=2025)
    assert sorted(corpus.names("自治会", municipality_id=11)) == ["a", "c"]
    assert sorted(corpus.names("自治会", fiscal_year=2024)) == ["a", "b"]
    assert corpus.names("自治会", municipality_id=11, fiscal_year=2025) == ["c"]


def test_refresh_drops_a_record_no_longer_to_be_found_or_gone(corpus: Corpus) -> None:
    pk = corpus.add("draft", "協働の下書き")
    corpus.documents[pk] = None  # type: ignore[assignment]
    index.refresh(KIND, [pk])
    assert corpus.names("協働") == []
    other = corpus.add("deleted", "協働の記録")
    Organisation.objects.filter(pk=other).delete()
    index.refresh(KIND, [other])
    assert SearchDocument.objects.filter(kind=KIND).count() == 0


def test_rebuild_writes_the_same_rows_as_the_refreshes(corpus: Corpus) -> None:
    for number in range(5):
        corpus.add(f"doc{number}", f"協働の記録 第{number}号", "役員のなり手")
    fields = ("id", "title", "body", "title_terms", "body_terms", "facet_terms", "terms", "url")
    before = sorted(SearchDocument.objects.filter(kind=KIND).values_list(*fields))
    assert index.rebuild([KIND]) == {KIND: 5}
    assert sorted(SearchDocument.objects.filter(kind=KIND).values_list(*fields)) == before
    assert corpus.names("なり手") == [f"doc{number}" for number in range(4, -1, -1)]


@pytest.mark.parametrize(
    "raw",
    [
        '" OR *',
        "NEAR(役員 会)",
        "'; DROP TABLE core_searchdocument; --",
        "役員:* | 協働 & !自治",
        "a" * 2000,
        "\x00役員",
        "{title} : 役員",
        "^役員",
        "%_\\",
    ],
)
def test_query_syntax_of_either_engine_is_searched_as_plain_words(corpus: Corpus, raw: str) -> None:
    corpus.add("seed", "役員のなり手", "協働 自治")
    corpus.names(raw)  # no exception from either engine
    assert SearchDocument.objects.filter(kind=KIND).count() == 1


# A fixed query set: the written-out answers hold on SQLite and PostgreSQL alike. ----------------

FIXED_CORPUS = [
    (
        "r1",
        "第2回 共生・協働推進かごしま自治体ネットワーク会議",
        "コミュニティ・プラットフォームの事例紹介。役員のなり手がいない。",
        2024,
    ),
    (
        "q1",
        "役員のなり手がいない・・・",
        "役員の質が変化している。行政は地域をサポートする必要がある。",
        2024,
    ),
    ("q2", "年間行事カレンダーの配布は無料?", "全戸に無料で配布。広告料収入で作成している。", 2024),
    ("p1", "NPO法人の認証事務について", "ＮＰＯ法人の設立と認証。協働の相談窓口。", 2025),
    (
        "c1",
        "コミュニティ協議会と地域担当職員",
        "地域担当職員が地域の行事に参加する。引継ぎを丁寧に。協働ができていますか。",
        2023,
    ),
    ("e1", "校区防災訓練", "自治会と協議会の合同防災訓練。見学できます。", 2026),
]
FIXED_QUERIES = {
    "役員": ["q1", "r1"],
    "協働": ["r1", "p1", "c1"],
    "npo": ["p1"],
    "ｶﾚﾝﾀﾞｰ": ["q2"],
    "地域担当": ["c1"],
    "防災訓練": ["e1"],
    "自治": ["r1", "e1"],
    "広告 無料": ["q2"],
    "議": ["r1", "c1", "e1"],
}


def test_a_fixed_query_set_returns_the_written_out_results(corpus: Corpus) -> None:
    for name, title, body, year in FIXED_CORPUS:
        corpus.add(name, title, body, fiscal_year=year, date=datetime.date(year, 6, 1))
    answers = {query: corpus.names(query) for query in FIXED_QUERIES}
    assert answers == FIXED_QUERIES


def test_long_bodies_keep_within_postgresql_limits_alike_on_both_engines(corpus: Corpus) -> None:
    # 300 sentences with ます, then a word once; and a body that folding lengthens.
    corpus.add("polite", "報告", "実施します。" * 300 + "役員会を開きました")
    corpus.add("eszett", "記録", "ß" * 9000 + " 自治会を開きました")
    terms = text.document_terms("報告", "実施します。" * 300, [])
    assert terms.body.count("ます") == text.MAX_OCCURRENCES
    assert len(text.document_terms("記録", "ß" * 9000, []).body) <= text.MAX_BODY_TOKENS
    assert corpus.names("役員会") == ["polite"]
    assert corpus.names("自治会") == ["eszett"]


def test_a_far_future_date_ranks_as_the_last_day_the_id_holds() -> None:
    far = index.document_id("organisation", 1, datetime.date(9999, 12, 31))
    assert far < 2**63
    assert far == index.document_id("organisation", 1, datetime.date(2871, 11, 25))
    assert index.document_id("organisation", 0, None) == 7 << index.KIND_SHIFT
