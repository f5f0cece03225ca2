"""Japanese text as the search index sees it: normalised, folded, cut into bigrams.

Japanese has no spaces between words, so a word-based full-text index misses 役員 inside
役員のなり手. kyodo indexes every pair of neighbouring characters (a bigram) instead, inside
each run of letters and digits, and searches a word as the phrase of its bigrams: 「役員の」
is the phrase 「役員 員の」. A phrase of overlapping bigrams matches exactly where the word
occurs, so the index finds any word of two or more characters anywhere in the text, and
never a word split across punctuation. A single character is searched as a prefix.

The same tokens feed SQLite's FTS5 (the ``ascii`` tokenizer: every non-ASCII character is a
token character, so it splits on our spaces only) and PostgreSQL (a ``tsvector`` written as
a literal, with positions, so no parser or locale takes part). Both therefore match the same
rows."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# PostgreSQL keeps positions up to 16,383 in a tsvector; beyond that phrases stop matching.
# Both engines index the same prefix of a long text, so they keep giving the same answers.
MAX_INDEXED_CHARS = 15_000
MAX_QUERY_CHARS = 200
MAX_QUERY_WORDS = 10


def normalise(text: str) -> str:
    """NFKC: full-width Latin and digits become half-width, half-width katakana full-width
    (ｶﾚﾝﾀﾞｰ → カレンダー), and compatibility characters (①, ㈱) their plain form."""
    return unicodedata.normalize("NFKC", text)


def fold(text: str) -> str:
    """The form words are compared in: normalised, then case-folded (NPO = npo = ＮＰＯ)."""
    return normalise(text).casefold()


_RUN = re.compile(r"[^\W_]+")


def is_word_char(char: str) -> bool:
    """Letters and digits of any script (``str.isalnum``): what runs are made of."""
    return char.isalnum()


def runs(folded: str) -> list[str]:
    """The runs of letters and digits in folded text, in order."""
    return _RUN.findall(folded)


def tokens(folded: str) -> list[str]:
    """The index tokens of folded text: each run's bigrams, then its last character alone,
    so that a one-character prefix search finds a character at the end of a run too."""
    out: list[str] = []
    for run in runs(folded):
        out.extend(run[i : i + 2] for i in range(len(run) - 1))
        out.append(run[-1])
    return out


@dataclass(frozen=True)
class Terms:
    """A document's tokens: the title's, the indexed part of the body's, and its facets
    (kind, audience, municipality, fiscal year) as tokens of their own, so the engines
    filter on them inside the full-text index without reading the rows."""

    title: list[str]
    body: list[str]
    facets: list[str]

    def tsvector(self) -> str:
        """The PostgreSQL ``tsvector`` literal: the title's tokens weighted A, the body's D,
        the facets B (weights play the part of FTS5's columns), with a gap between the
        parts so that no phrase runs from one into the next."""
        parts: list[str] = []
        position = 0
        for tokens_, weight in ((self.title, "A"), (self.body, ""), (self.facets, "B")):
            for token in tokens_:
                position += 1
                parts.append(f"'{token}':{position}{weight}")
            position += 1
        return " ".join(parts)


def facet(name: str, value: object) -> str:
    """A facet token: a letter and a number (``k3``, ``m11``, ``y2024``) or ``pub``."""
    return f"{name}{value}"


# The facet of members-only documents; each also has its network's facet (n1, n2, …).
MEMBERS_ONLY = "mem"


# PostgreSQL keeps 256 positions of a lexeme and positions up to 16,383: a body's tokens
# keep within both on either engine, so that both find the same phrases.
MAX_OCCURRENCES = 256
MAX_BODY_TOKENS = 16_000


def _within_limits(found: list[str]) -> list[str]:
    """The tokens up to the limits, dropping each occurrence of a token past its 256th
    (a dropped token can only make a phrase through it go unfound, never a false match:
    neighbouring bigrams must overlap by a character) and all past the 16,000th."""
    seen: dict[str, int] = {}
    kept: list[str] = []
    for token in found:
        seen[token] = count = seen.get(token, 0) + 1
        if count <= MAX_OCCURRENCES:
            kept.append(token)
            if len(kept) == MAX_BODY_TOKENS:
                break
    return kept


def document_terms(title: str, body: str, facets: list[str]) -> Terms:
    return Terms(
        title=_within_limits(tokens(fold(title)))[:300],
        body=_within_limits(tokens(fold(body[:MAX_INDEXED_CHARS]))),
        facets=facets,
    )


@dataclass(frozen=True)
class Query:
    """A search as typed, cleaned: the folded words (runs) it must find, all of them."""

    text: str
    words: tuple[str, ...]
    problem: str = ""

    def __bool__(self) -> bool:
        return bool(self.words) and not self.problem


def parse(raw: str | None) -> Query:
    """Read what the person typed. Never raises: a query the index cannot use comes back
    false, with a message saying why when there is something to say."""
    text = normalise(raw or "").strip()
    if not text:
        return Query(text="", words=())
    if len(text) > MAX_QUERY_CHARS:
        return Query(
            text=text[:MAX_QUERY_CHARS],
            words=(),
            problem=f"検索語は{MAX_QUERY_CHARS}文字以内で入力してください。",
        )
    words = tuple(dict.fromkeys(runs(text.casefold())))
    if not words:
        return Query(
            text=text,
            words=(),
            problem="文字か数字を含む言葉で検索してください。記号だけでは検索できません。",
        )
    if len(words) > MAX_QUERY_WORDS:
        return Query(
            text=text,
            words=(),
            problem=f"検索語は{MAX_QUERY_WORDS}語以内にしてください。",
        )
    return Query(text=text, words=words)


def _bigrams(word: str) -> list[str]:
    return [word[i : i + 2] for i in range(len(word) - 1)]


@dataclass(frozen=True)
class Match:
    """What a search asks of the index: every word, in the title only or anywhere
    (``title_only``), or anywhere but not all in the title (``body_only``); for each
    facet group one of its facets; and no members-only document outside ``networks`` (the
    person's network tokens).

    Visibility is written as an exclusion because members-only documents are few: the
    engines then read the short list of those, not the long list of public ones."""

    query: Query
    facets: tuple[tuple[str, ...], ...] = ()
    networks: tuple[str, ...] = ()
    title_only: bool = False
    body_only: bool = False

    def fts5(self) -> str:
        """The FTS5 MATCH expression. Words become phrases of bigrams (a prefix search for
        one character); tokens hold letters and digits only, so nothing the user types can
        reach FTS5's syntax."""
        words = " AND ".join(
            f'"{" ".join(_bigrams(word))}"' if len(word) > 1 else f'"{word}" *'
            for word in self.query.words
        )
        columns = "{title_terms}" if self.title_only else "{title_terms body_terms}"
        expression = f"{columns} : ({words})"
        if self.body_only:
            expression = f"({expression}) NOT ({{title_terms}} : ({words}))"
        hidden = f"{{facet_terms}} : {MEMBERS_ONLY}"
        if self.networks:
            hidden = f"({hidden}) NOT ({{facet_terms}} : ({' OR '.join(self.networks)}))"
        expression = f"({expression}) NOT ({hidden})"
        for group in self.facets:
            expression += f" AND {{facet_terms}} : ({' OR '.join(group)})"
        return expression

    def tsquery(self) -> str:
        """The same search as a PostgreSQL ``tsquery`` literal (``<->`` is "followed by",
        the weights stand for the title (A), the body (D) and the facets (B))."""

        def words(weights: str) -> str:
            return " & ".join(
                "("
                + (
                    " <-> ".join(f"'{gram}':{weights}" for gram in _bigrams(word))
                    if len(word) > 1
                    else f"'{word}':*{weights}"
                )
                + ")"
                for word in self.query.words
            )

        expression = f"({words('A' if self.title_only else 'AD')})"
        if self.body_only:
            expression = f"({expression} & !({words('A')}))"
        hidden = f"'{MEMBERS_ONLY}':B"
        if self.networks:
            hidden += " & !(" + " | ".join(f"'{token}':B" for token in self.networks) + ")"
        expression += f" & !({hidden})"
        for group in self.facets:
            expression += " & (" + " | ".join(f"'{token}':B" for token in group) + ")"
        return expression


# Snippets ---------------------------------------------------------------------------------

SNIPPET_CHARS = 120


@dataclass(frozen=True)
class Piece:
    text: str
    hit: bool


def _folded_with_map(text: str) -> tuple[str, list[int]]:
    """Fold ``text`` character by character, remembering where each folded character came
    from (case folding may turn one character into two)."""
    folded_text = text.casefold()
    if len(folded_text) == len(text):
        # The usual case (Japanese, plain Latin): every character folds to one.
        return folded_text, list(range(len(text)))
    folded: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        for part in char.casefold():
            folded.append(part)
            origin.append(index)
    return "".join(folded), origin


def highlight(
    text: str, words: tuple[str, ...], *, limit: int | None = SNIPPET_CHARS
) -> list[Piece]:
    """``text`` (already normalised) cut to about ``limit`` characters around the first
    place a word occurs, as pieces with the occurrences marked. The template escapes each
    piece, so markup in the text stays text."""
    folded, origin = _folded_with_map(text)
    spans: list[tuple[int, int]] = []
    for word in words:
        start = folded.find(word)
        while start != -1:
            spans.append((origin[start], origin[start + len(word) - 1] + 1))
            start = folded.find(word, start + len(word))
    spans.sort()
    window_start, window_end = 0, len(text)
    if limit is not None and len(text) > limit:
        first = spans[0][0] if spans else 0
        window_start = max(0, min(first - limit // 4, len(text) - limit))
        window_end = window_start + limit
    pieces: list[Piece] = []
    if window_start > 0:
        pieces.append(Piece("…", hit=False))
    cursor = window_start
    for start, end in spans:
        if end <= cursor or start >= window_end:
            continue
        start = max(start, cursor)
        if start > cursor:
            pieces.append(Piece(text[cursor:start], hit=False))
        end = min(end, window_end)
        pieces.append(Piece(text[start:end], hit=True))
        cursor = end
    if cursor < window_end:
        pieces.append(Piece(text[cursor:window_end], hit=False))
    if window_end < len(text):
        pieces.append(Piece("…", hit=False))
    return pieces


_SPACE = re.compile(r"\s+")


def plain(text: str) -> str:
    """Whitespace collapsed to single spaces, for the stored body and snippets."""
    return _SPACE.sub(" ", text).strip()
