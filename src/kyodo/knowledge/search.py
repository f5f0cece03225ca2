"""The search's view of the shared knowledge: posts, cases and the Q&A of published
meetings. Drafts, withdrawn records, unpublished meetings and merged questions are never
found."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.db.models import Prefetch
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone

from kyodo.core.dates import fiscal_year
from kyodo.core.models import SearchAudience
from kyodo.core.search import index
from kyodo.core.search.registry import Document, Source, register
from kyodo.directory.models import Organisation, OrganisationKind
from kyodo.directory.signals import organisations_renamed_or_moved
from kyodo.knowledge.models import Audience, Case, Post, QuestionTheme, Scope, Status, Theme
from kyodo.meetings.models import MeetingStatus, Question


def municipality_id(organisation: Organisation | None) -> int | None:
    """The municipality an organisation is or belongs to (a department, a council, an
    association under it), walking up the tree loaded with it."""
    current = organisation
    for _step in range(4):
        if current is None:
            return None
        if current.kind == OrganisationKind.MUNICIPALITY:
            return current.pk
        current = current.parent
    return None


def _common(item: Post | Case, body: list[str]) -> Document | None:
    if item.status != Status.PUBLISHED or item.published_at is None:
        return None
    day = timezone.localdate(item.published_at)
    inside = item.scope == Scope.INSIDE
    return Document(
        title=item.title,
        body="\n".join(part for part in body if part),
        url=item.get_absolute_url(),
        audience=SearchAudience.PUBLIC
        if item.audience == Audience.PUBLIC
        else SearchAudience.MEMBERS,
        network_id=item.network_id,
        municipality_id=municipality_id(item.organisation) if inside else None,
        fiscal_year=fiscal_year(day),
        date=day,
    )


def _post_document(post: Post) -> Document | None:
    return _common(
        post,
        [post.body, post.get_kind_display(), post.source, post.organisation.name],
    )


def _case_document(case: Case) -> Document | None:
    return _common(
        case,
        [
            case.summary,
            case.what_worked,
            case.what_did_not,
            case.contact_department,
            case.contact_details,
            " ".join(theme.name for theme in case.themes.all()),
            case.get_phase_display() if case.phase else "",
            case.source,
            case.organisation.name,
        ],
    )


def _qa_document(question: Question) -> Document | None:
    meeting = question.meeting
    if (
        not question.published
        or question.merged_into_id is not None
        or meeting.status != MeetingStatus.PUBLISHED
    ):
        return None
    themes = " ".join(link.theme.name for link in question.knowledge_themes.all())
    return Document(
        title=question.public_text,
        body="\n".join(
            part
            for part in (question.answer, question.answered_by, meeting.display_title, themes)
            if part
        ),
        url=reverse("knowledge:qa", kwargs={"pk": question.pk}),
        audience=SearchAudience.PUBLIC,
        network_id=meeting.network_id,
        municipality_id=None,
        fiscal_year=meeting.fiscal_year,
        date=timezone.localdate(meeting.starts_at),
    )


_ORGANISATION = ("organisation__parent__parent__parent",)

register(
    Source(
        kind="post",
        label="情報発信",
        order=30,
        queryset=lambda: Post.objects.select_related(*_ORGANISATION),
        build=_post_document,
    )
)
register(
    Source(
        kind="case",
        label="事例",
        order=40,
        queryset=lambda: Case.objects.select_related(*_ORGANISATION).prefetch_related(
            Prefetch("themes", queryset=Theme.objects.order_by("order", "pk"))
        ),
        build=_case_document,
    )
)
register(
    Source(
        kind="qa",
        label="Q&A",
        order=20,
        queryset=lambda: Question.objects.select_related("meeting__network").prefetch_related(
            Prefetch(
                "knowledge_themes",
                queryset=QuestionTheme.objects.select_related("theme").order_by("theme__order"),
            )
        ),
        build=_qa_document,
    )
)


@receiver(organisations_renamed_or_moved, dispatch_uid="knowledge.search")
def refresh_items_of(*, organisation_ids: Collection[int], **kwargs: Any) -> None:
    """Posts and cases show their organisation's name and count in its municipality."""
    for kind, model in (("post", Post), ("case", Case)):
        rows = model.objects.filter(organisation_id__in=organisation_ids)
        index.refresh(kind, rows.values_list("pk", flat=True))
