"""Writes of the shared primitives."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from kyodo.core import audit
from kyodo.core.constraints import full_clean_in_python
from kyodo.core.models import ApiToken, PageFeedback


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


def _hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: Any, name: str, actor: Any) -> tuple[ApiToken, str]:
    """Create a token and return it with its key, which is never stored or shown again.
    Side effects: one audit entry."""
    key = f"kyodo_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(user=user, name=name, prefix=key[6:14], key_hash=_hash_key(key))
    audit.record(actor=actor, action="api_token.create", obj=token)
    return token, key


def api_token_user(key: str) -> Any:
    """The active user a token key belongs to, or None; notes when the token was used."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_hash_key(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


def site_url(path: str) -> str:
    """The absolute address of a page, for e-mail."""
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def collect_errors(
    obj: Any,
    path: str,
    errors: dict[str, list[str]],
    exclude: Sequence[str] = (),
    *,
    constraints_in_python: bool = False,
) -> None:
    """Validate ``obj`` as the database would (fields and constraints) and add its messages
    to ``errors`` under ``path`` (``venues[1].join_url``), for services that check a whole
    record before writing any of it. ``constraints_in_python`` checks the constraints without
    a query each (see core/constraints.py), for records checked by the thousand."""
    found: dict[str, list[str]] = {}
    if constraints_in_python:
        full_clean_in_python(obj, found, exclude=list(exclude))
    else:
        try:
            obj.full_clean(exclude=list(exclude), validate_unique=False)
        except ValidationError as error:
            found = error.message_dict
    if found:
        # A rule kept both as a field check and as a database constraint reports once.
        at_fields = {m for field, messages in found.items() if field != "__all__" for m in messages}
        if "__all__" in found:
            found["__all__"] = [m for m in found["__all__"] if m not in at_fields]
        for field, messages in found.items():
            # "venues[1].join_url"; errors of the whole row under its path, or "__all__".
            key = (
                (path or "__all__") if field == "__all__" else ".".join(filter(None, (path, field)))
            )
            errors.setdefault(key, []).extend(messages)
