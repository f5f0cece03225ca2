"""Writing the audit log. Services call :func:`record` inside their own transaction, so the
entry exists exactly when the change does."""

from __future__ import annotations

from typing import Any

from django.db import models

from kyodo.core.models import AuditEntry


def record(
    *, actor: Any, action: str, obj: models.Model, changes: dict[str, Any] | None = None
) -> AuditEntry:
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor=user,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        changes=changes or {},
    )


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """Field-by-field changes, as [old, new] pairs of strings, for the audit entry."""
    return {
        key: [str(before.get(key, "")), str(value)]
        for key, value in after.items()
        if before.get(key) != value
    }
