"""Reads of the shared knowledge, each page in a fixed number of queries. The access
helpers answer 404 for what the reader may not see, so a members-only or draft record and
an unpublished meeting's question look exactly like ones that do not exist."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from kyodo.directory.models import Organisation
from kyodo.directory.rules import member_network_ids, network_memberships, roles_of
from kyodo.knowledge import rules as knowledge_rules
from kyodo.knowledge.models import (
    Case,
    CaseAttachment,
    CaseQuerySet,
    Post,
    PostAttachment,
    PostQuerySet,
    QuestionTheme,
    Theme,
)
from kyodo.meetings.models import Meeting, MeetingStatus, Question

PAGE_SIZE = 20


def _page(rows: QuerySet[Any], number: Any) -> Page[Any]:
    return Paginator(rows, PAGE_SIZE).get_page(number)


# --- Posts and cases ------------------------------------------------------------------------


def posts() -> PostQuerySet:
    return Post.objects.select_related("organisation", "network")


def cases() -> CaseQuerySet:
    return Case.objects.select_related("organisation", "network").prefetch_related(
        Prefetch("themes", queryset=Theme.objects.order_by("order", "pk"))
    )


def visible_posts(user: Any, *, kind: str = "", scope: str = "") -> PostQuerySet:
    rows = posts().visible_to(member_network_ids(user))
    if kind:
        rows = rows.filter(kind=kind)
    if scope:
        rows = rows.filter(scope=scope)
    return rows


def post_page(user: Any, *, kind: str, scope: str, page: Any) -> Page[Post]:
    return _page(visible_posts(user, kind=kind, scope=scope), page)


def case_page(
    user: Any, *, theme: int | None, phase: int | None, scope: str, page: Any
) -> Page[Case]:
    rows = cases().visible_to(member_network_ids(user))
    if theme is not None:
        rows = rows.filter(themes=theme)
    if phase is not None:
        rows = rows.filter(phase=phase)
    if scope:
        rows = rows.filter(scope=scope)
    return _page(rows, page)


def _access[M: (Post, Case)](rows: QuerySet[M], pk: int, user: Any, *, for_write: bool) -> M:
    item = rows.filter(pk=pk).first()
    if item is None or not user.has_perm("knowledge.view_item", item):
        raise Http404("見つかりません。")
    if for_write and not user.has_perm("knowledge.change_item", item):
        raise PermissionDenied
    return item


def access_post(pk: int, *, user: Any, for_write: bool = False) -> Post:
    """The post, if the user may read it (404 otherwise), and change it (403 otherwise)."""
    return _access(posts(), pk, user, for_write=for_write)


def access_case(pk: int, *, user: Any, for_write: bool = False) -> Case:
    return _access(cases(), pk, user, for_write=for_write)


def post_attachments(post: Post) -> list[PostAttachment]:
    return list(post.attachments.all())


def case_attachments(case: Case) -> list[CaseAttachment]:
    return list(case.attachments.all())


def post_attachment(post: Post, pk: int) -> PostAttachment:
    found = post.attachments.filter(pk=pk).first()
    if found is None:
        raise Http404("見つかりません。")
    return found


def case_attachment(case: Case, pk: int) -> CaseAttachment:
    found = case.attachments.filter(pk=pk).first()
    if found is None:
        raise Http404("見つかりません。")
    return found


def published_meetings_of(case: Case) -> list[Meeting]:
    """The meetings the case was presented at whose results are public: only those link."""
    return list(
        case.meetings.filter(status=MeetingStatus.PUBLISHED)
        .select_related("network")
        .order_by("starts_at")
    )


def meeting_choices(network_id: int) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(network_id=network_id)
        .select_related("network")
        .order_by("-starts_at")
    )


def all_themes() -> QuerySet[Theme]:
    return Theme.objects.order_by("network", "order", "pk")


def theme_choices(network_id: int) -> QuerySet[Theme]:
    return Theme.objects.filter(network_id=network_id).order_by("order", "pk")


def organisation_choices(user: Any, network_id: int) -> QuerySet[Organisation]:
    condition = knowledge_rules.organisation_filter(user, network_id)
    if condition is None:
        return Organisation.objects.none()
    return Organisation.objects.filter(condition).distinct().order_by("kind", "lgcode", "kana")


def writable_network_ids(user: Any) -> list[int]:
    return sorted(member_network_ids(user))


@dataclass
class Managed:
    posts: list[Post]
    cases: list[Case]


def managed(user: Any) -> Managed:
    """Every post and case, in any state, the user may change: the secretariat's whole
    network, a member's own organisation."""
    secretariat = roles_of(user).secretariat_network_ids
    own = network_memberships(user)
    condition = Q(network_id__in=list(secretariat))
    for network_id, org_id in own:
        condition |= Q(network_id=network_id, organisation_id=org_id)
    if not secretariat and not own:
        return Managed([], [])
    return Managed(
        posts=list(posts().filter(condition).order_by("-updated_at", "-pk")),
        cases=list(
            Case.objects.select_related("organisation")
            .filter(condition)
            .order_by("-updated_at", "-pk")
        ),
    )


# --- The Q&A of published meetings ----------------------------------------------------------


def published_qa() -> QuerySet[Question]:
    """Every question published with its answer in the results of a published meeting."""
    return Question.objects.filter(
        published=True,
        merged_into__isnull=True,
        meeting__status=MeetingStatus.PUBLISHED,
    )


def _with_themes(rows: QuerySet[Question]) -> QuerySet[Question]:
    return rows.select_related("meeting__network").prefetch_related(
        Prefetch(
            "knowledge_themes",
            queryset=QuestionTheme.objects.select_related("theme").order_by(
                "theme__order", "theme__pk"
            ),
        )
    )


@dataclass
class QaFilters:
    themes: list[Theme]
    fiscal_years: list[int]
    meetings: list[Meeting]


def qa_filters() -> QaFilters:
    """What the Q&A can be narrowed to: themes, fiscal years and meetings that have any."""
    meetings = list(
        Meeting.objects.published()
        .filter(questions__in=published_qa())
        .distinct()
        .select_related("network")
        .order_by("-starts_at")
    )
    return QaFilters(
        themes=list(all_themes()),
        fiscal_years=sorted({meeting.fiscal_year for meeting in meetings}, reverse=True),
        meetings=meetings,
    )


def qa_page(
    *, theme: int | None, fiscal_year: int | None, meeting: int | None, page: Any
) -> Page[Question]:
    rows = published_qa()
    if theme is not None:
        rows = rows.filter(knowledge_themes__theme_id=theme)
    if fiscal_year is not None:
        rows = rows.filter(meeting__fiscal_year=fiscal_year)
    if meeting is not None:
        rows = rows.filter(meeting_id=meeting)
    rows = _with_themes(rows).order_by("-meeting__starts_at", "meeting", "position", "pk")
    return _page(rows, page)


def access_qa(pk: int) -> Question:
    """A published Q&A of a published meeting; 404 for any other question."""
    question = _with_themes(published_qa()).filter(pk=pk).first()
    if question is None:
        raise Http404("見つかりません。")
    return question


def question_themes(question: Question) -> list[Theme]:
    return [link.theme for link in question.knowledge_themes.all()]
