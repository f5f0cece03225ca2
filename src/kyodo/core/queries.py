"""Reads of the shared primitives."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404

from kyodo.core.jobs import canonical_params
from kyodo.core.models import Findability, Job, PageFeedback, Usefulness
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


def job_by_pk(pk: uuid.UUID) -> Job:
    """A job with what its permission check needs (its organisation), or 404."""
    return get_object_or_404(Job.objects.select_related("organisation"), pk=pk)


def jobs_started_by(user: Any, *, limit: int = 100) -> list[Job]:
    """The person's own jobs, newest first."""
    return list(Job.objects.filter(started_by=user).order_by("-created_at")[:limit])


def latest_jobs(kind: str, choices: list[dict[str, Any]]) -> list[Job | None]:
    """The newest job of ``kind`` for each of several parameter sets (in one query): the last
    A3, A2 and booklet file of a calendar. Same caveat as :func:`latest_job`."""
    wanted = [canonical_params(params) for params in choices]
    condition = Q()
    for params in wanted:
        condition |= Q(params=params)
    newest: list[Job | None] = [None] * len(wanted)
    for job in Job.objects.filter(condition, kind=kind).order_by("-created_at")[:200]:
        for index, params in enumerate(wanted):
            if newest[index] is None and job.params == params:
                newest[index] = job
        if all(newest):
            break
    return newest


def latest_job(kind: str, params: dict[str, Any]) -> Job | None:
    """The newest job of ``kind`` with exactly these parameters (in one query), for a page
    that shows how its last PDF or mailing went. Checks no permission: the caller shows it
    only to people who may see it (``core.view_job``)."""
    return (
        Job.objects.filter(kind=kind, params=canonical_params(params))
        .order_by("-created_at")
        .first()
    )
