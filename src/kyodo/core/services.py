"""Writes of the shared primitives."""

from __future__ import annotations

from django.db import transaction

from kyodo.core.models import PageFeedback


@transaction.atomic
def page_feedback_submit(
    *,
    path: str,
    page_title: str,
    owner_id: int | None,
    usefulness: str,
    findability: str,
    comment: str,
) -> PageFeedback:
    """Store one anonymous answer. No audit entry: there is no actor and no personal data."""
    feedback = PageFeedback(
        path=path[:300],
        page_title=page_title[:200],
        owner_id=owner_id,
        usefulness=usefulness,
        findability=findability,
        comment=comment.strip(),
    )
    feedback.full_clean()
    feedback.save()
    return feedback
