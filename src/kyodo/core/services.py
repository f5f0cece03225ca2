"""Writes of the shared primitives."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction

from kyodo.core import audit
from kyodo.core.models import PageFeedback


@transaction.atomic
def create_audited[M: models.Model](
    model: type[M], *, actor: Any, action: str, audit_fields: tuple[str, ...] = (), **values: Any
) -> M:
    """Create one row after full validation, with its audit entry in the same transaction.
    The shared body of the ``<entity>_create`` services; ``audit_fields`` are listed in the
    entry's changes."""
    obj = model(**values)
    obj.full_clean()
    obj.save()
    changes = {name: ["", str(values.get(name, ""))] for name in audit_fields if values.get(name)}
    audit.record(actor=actor, action=action, obj=obj, changes=changes)
    return obj


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
