"""The published results pages of meetings, as the site search finds them (kind ``results``).

The document is the latest revision, the page a visitor reads; a meeting no longer
published (back to draft, open or held) is not found. Services refresh the kind whenever a
meeting's status or revisions change (kyodo.meetings.services)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone

from kyodo.core.models import SearchAudience
from kyodo.core.search.registry import Document, Source, register
from kyodo.meetings.models import Meeting, Revision

KIND = "results"
# The questions and answers of meetings, a kind registered by kyodo.knowledge; meetings'
# services refresh it, and index.refresh skips it while that app is not installed.
QA_KIND = "qa"

# Elements that start a new line when the page is read as text.
BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt",
        "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header",
        "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "td", "th", "tr",
        "ul",
    }
)  # fmt: skip
SKIPPED_TAGS = frozenset({"script", "style", "template"})
_SPACES = re.compile(r"\s+")


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0
        self.preformatted = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED_TAGS:
            self.skipping += 1
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")
            self.preformatted += tag == "pre"

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED_TAGS:
            self.skipping = max(0, self.skipping - 1)
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")
            self.preformatted = max(0, self.preformatted - (tag == "pre"))

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        # As a browser shows it: a line break in the source is a space, except in <pre>.
        self.parts.append(data if self.preformatted else _SPACES.sub(" ", data))


def html_text(html: str) -> str:
    """The text of rendered HTML as a reader sees it: tags gone, entities decoded, one line
    per paragraph, heading, list item or line break, so that words of neighbouring blocks
    never run together."""
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    lines = (_SPACES.sub(" ", line).strip() for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)


def latest_revisions() -> QuerySet[Revision]:
    """Each meeting's latest revision only, for a prefetch."""
    latest = Revision.objects.filter(meeting=OuterRef("meeting")).order_by("-number")
    return Revision.objects.filter(number=Subquery(latest.values("number")[:1]))


def queryset() -> QuerySet[Meeting]:
    return Meeting.objects.published().prefetch_related(
        Prefetch("revisions", queryset=latest_revisions(), to_attr="latest_revisions")
    )


def build(meeting: Meeting) -> Document | None:
    revisions: list[Revision] = meeting.latest_revisions  # type: ignore[attr-defined]
    if not revisions:
        return None
    revision = revisions[0]
    return Document(
        title=revision.title,
        body=html_text(revision.body_html),
        url=meeting.get_absolute_url(),
        audience=SearchAudience.PUBLIC,
        network_id=meeting.network_id,
        municipality_id=None,
        fiscal_year=meeting.fiscal_year,
        date=timezone.localdate(meeting.starts_at),
    )


register(Source(kind=KIND, label="会議の結果", order=10, queryset=queryset, build=build))
