"""Reads of the shared primitives."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from kyodo.core.models import Findability, PageFeedback, Usefulness
from kyodo.directory.models import Organisation


@dataclass(frozen=True)
class PageFeedbackSummary:
    path: str
    page_title: str
    answers: int
    useful: int
    not_useful: int
    easy: int
    hard: int


def page_feedback_summary(owner: Organisation) -> list[PageFeedbackSummary]:
    """Per page of the owner: counts of each answer, the least useful pages first."""
    rows = (
        PageFeedback.objects.filter(owner=owner)
        .values("path")
        .annotate(
            answers=Count("pk"),
            useful=Count("pk", filter=Q(usefulness=Usefulness.USEFUL)),
            not_useful=Count("pk", filter=Q(usefulness=Usefulness.NOT_USEFUL)),
            easy=Count("pk", filter=Q(findability=Findability.EASY)),
            hard=Count("pk", filter=Q(findability=Findability.HARD)),
        )
        .order_by("-not_useful", "-hard", "path")
    )
    titles = dict(
        PageFeedback.objects.filter(owner=owner)
        .order_by("path", "-created_at")
        .values_list("path", "page_title")
    )
    return [
        PageFeedbackSummary(page_title=titles.get(row["path"], row["path"]), **row) for row in rows
    ]


def page_feedback_comments(owner: Organisation, *, limit: int = 50) -> list[PageFeedback]:
    return list(PageFeedback.objects.filter(owner=owner).exclude(comment="")[:limit])
