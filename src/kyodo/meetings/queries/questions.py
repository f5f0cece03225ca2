"""Reads of questions and answers (質疑応答)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.shortcuts import get_object_or_404

from kyodo.meetings.models import (
    Meeting,
    Question,
    QuestionVote,
)


def question(meeting: Meeting, pk: int) -> Question:
    return get_object_or_404(Question, meeting=meeting, pk=pk)


def published_questions(meeting: Meeting) -> list[Question]:
    """The Q&A of the results page, in the moderator's order."""
    return list(
        Question.objects.filter(meeting=meeting, published=True, merged_into__isnull=True).order_by(
            "position", "pk"
        )
    )


def questions_for_attendee(meeting: Meeting, user: Any) -> list[Question]:
    """What an attendee sees: every question not hidden (and their own), most wanted first,
    with its votes and whether they voted. One query."""
    return list(
        Question.objects.filter(meeting=meeting, merged_into__isnull=True)
        .filter(Q(hidden=False) | Q(asked_by=user))
        .select_related("organisation")
        .annotate(
            vote_count=Count("votes", distinct=True),
            voted=Exists(QuestionVote.objects.filter(question=OuterRef("pk"), user=user)),
        )
        .order_by("-vote_count", "created_at", "pk")
    )


def questions_for_moderator(meeting: Meeting) -> list[Question]:
    """Every question with its asker, votes and duplicates, most wanted first; merged
    questions are listed under the question they were merged into. Two queries."""
    return list(
        Question.objects.filter(meeting=meeting, merged_into__isnull=True)
        .select_related("asked_by", "organisation")
        .prefetch_related(
            Prefetch(
                "merged",
                queryset=Question.objects.select_related("asked_by", "organisation").order_by(
                    "created_at"
                ),
            )
        )
        .annotate(vote_count=Count("votes", distinct=True))
        .order_by("-vote_count", "created_at", "pk")
    )
