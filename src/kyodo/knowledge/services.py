"""Every write of the shared knowledge: posts, cases, their PDF attachments, and the
themes of the Q&A. Each service checks who acts, writes an audit entry and refreshes the
search index in the same transaction."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from kyodo.core import audit
from kyodo.core.search import index
from kyodo.core.services import collect_errors
from kyodo.directory.models import Network, Organisation
from kyodo.directory.rules import is_site_admin
from kyodo.knowledge import rules as knowledge_rules
from kyodo.knowledge.models import (
    MAX_BODY,
    Case,
    CaseAttachment,
    Post,
    PostAttachment,
    QuestionTheme,
    Status,
    Theme,
)
from kyodo.meetings.models import MeetingStatus, Question

NOT_YOURS = "あなたが担当する組織(事務局はネットワークの会員組織)を選んでください。"
NOT_YOURS_TO_CHANGE = "あなたの組織のものだけを変更できます(事務局はネットワークのすべて)。"
NO_TITLE = "題名を入力してください。"
TOO_LONG = "{label}は{limit:,}文字以内で入力してください(現在{length:,}文字)。"
NOT_PUBLISHED_QA = "公開された会議の、公開された質疑応答にだけテーマを付けられます。"
OTHER_NETWORK = "この会議のネットワークのテーマから選んでください。"
NOT_THE_SECRETARIAT = "Q&Aのテーマは、会議を開いたネットワークの事務局だけが設定できます。"
WRITABLE_STATUSES = (Status.DRAFT, Status.PUBLISHED)

POST_FIELDS = ("kind", "scope", "source", "title", "body", "audience", "status")
CASE_FIELDS = (
    "scope",
    "source",
    "title",
    "phase",
    "summary",
    "what_worked",
    "what_did_not",
    "contact_department",
    "contact_details",
    "audience",
    "status",
)
LONG_TEXTS = {
    "body": "本文",
    "summary": "概要",
    "what_worked": "うまくいったこと",
    "what_did_not": "課題・うまくいかなかったこと",
}


def _clean_values(values: dict[str, Any], errors: dict[str, list[str]]) -> dict[str, Any]:
    cleaned = {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}
    if not cleaned.get("title"):
        errors.setdefault("title", []).append(NO_TITLE)
    for name, label in LONG_TEXTS.items():
        length = len(cleaned.get(name) or "")
        if length > MAX_BODY:
            errors.setdefault(name, []).append(
                TOO_LONG.format(label=label, limit=MAX_BODY, length=length)
            )
    if cleaned.get("status") not in WRITABLE_STATUSES:
        errors.setdefault("status", []).append("状態は「下書き」か「公開中」を選んでください。")
    return cleaned


def _apply(item: Post | Case, values: dict[str, Any]) -> dict[str, Any]:
    """Set the values on the record; the changes as the audit entry lists them."""
    before = {name: str(getattr(item, name)) for name in values}
    for name, value in values.items():
        setattr(item, name, value)
    if item.status == Status.PUBLISHED and item.published_at is None:
        item.published_at = timezone.now()
    item.updated_at = timezone.now()
    return audit.diff(before, {name: str(value) for name, value in values.items()})


def _check(item: Post | Case, errors: dict[str, list[str]]) -> None:
    checked_already = [name for name in ("title", "status") if name in errors]
    collect_errors(item, "", errors, exclude=[*LONG_TEXTS, *checked_already])
    if errors:
        raise ValidationError(errors)


def _store(upload: File[bytes]) -> tuple[str, int]:
    """Save an uploaded PDF, already checked by its content (forms.AttachmentMixin), under a random
    name; the caller deletes it when its transaction fails."""
    name = default_storage.save(
        f"knowledge/{timezone.now():%Y}/{uuid.uuid4().hex}.pdf", upload, max_length=200
    )
    return name, upload.size or 0


def _with_upload[T](upload: File[bytes] | None, write: functools.partial[T]) -> T:
    """Run ``write(stored=(name, size) | None)`` in a transaction with the file stored first,
    removing the file again if the transaction fails."""
    stored = _store(upload) if upload is not None else None
    try:
        with transaction.atomic():
            return write(stored=stored)
    except BaseException:
        if stored is not None:
            default_storage.delete(stored[0])
        raise


def _attach(item: Post | Case, title: str, stored: tuple[str, int], actor: Any) -> None:
    model = PostAttachment if isinstance(item, Post) else CaseAttachment
    owner = {"post": item} if isinstance(item, Post) else {"case": item}
    last = item.attachments.aggregate(last=Max("order"))["last"]
    attachment = model(
        **owner, title=title.strip() or "資料", order=(last or 0) + 1, size=stored[1]
    )
    attachment.file.name = stored[0]
    attachment.save()
    audit.record(
        actor=actor,
        action=f"{item._meta.model_name}.attachment_add",
        obj=item,
        changes={"title": attachment.title, "size": attachment.size},
    )


def _check_may_change(item: Post | Case, actor: Any) -> None:
    """Whoever calls a service is held to the rule the pages apply."""
    if not (knowledge_rules.can_change(actor, item) or is_site_admin(actor)):
        raise ValidationError(NOT_YOURS_TO_CHANGE)


def _kind(item: Post | Case) -> str:
    return "post" if isinstance(item, Post) else "case"


def _save(
    item: Post | Case,
    *,
    values: dict[str, Any],
    themes: Sequence[Theme] | None,
    meetings: Sequence[Any] | None,
    attachment_title: str,
    actor: Any,
    created: bool,
    stored: tuple[str, int] | None = None,
) -> Post | Case:
    if not created:
        _check_may_change(item, actor)
        # A fresh copy, so a refused change leaves the caller's record as it was.
        item = type(item).objects.select_for_update().select_related("network").get(pk=item.pk)
    errors: dict[str, list[str]] = {}
    cleaned = _clean_values(values, errors)
    changes = _apply(item, cleaned)
    if created and not knowledge_rules.may_write_for(actor, item.network, item.organisation):
        errors.setdefault("organisation", []).append(NOT_YOURS)
    if themes is not None and any(theme.network_id != item.network_id for theme in themes):
        errors.setdefault("themes", []).append("このネットワークのテーマから選んでください。")
    if meetings is not None and any(m.network_id != item.network_id for m in meetings):
        errors.setdefault("meetings", []).append("このネットワークの会議から選んでください。")
    _check(item, errors)
    if created:
        item.created_by = actor if getattr(actor, "is_authenticated", False) else None
    item.save()
    if isinstance(item, Case):
        if themes is not None:
            item.themes.set(themes)
        if meetings is not None:
            item.meetings.set(meetings)
    kind = _kind(item)
    audit.record(
        actor=actor,
        action=f"{kind}.create" if created else f"{kind}.update",
        obj=item,
        changes=changes,
    )
    if stored is not None:
        _attach(item, attachment_title, stored, actor)
    index.refresh(kind, [item.pk])
    return item


def post_create(
    *,
    network: Network,
    organisation: Organisation,
    actor: Any,
    attachment_title: str = "",
    attachment: File[bytes] | None = None,
    **values: Any,
) -> Post:
    """Write a post in ``network`` under the name of ``organisation``, as a draft or
    published at once, with an optional PDF already checked by its content; ``values`` are
    the fields in POST_FIELDS. Raises ValidationError with every problem (no title, a body
    too long, an organisation the actor does not act for, an outside post without its
    source); nothing is saved then. Side effects: the file in the media storage, audit
    entries, the post's search entry."""
    return _with_upload(  # type: ignore[return-value]
        attachment,
        functools.partial(
            _save,
            Post(network=network, organisation=organisation),
            values={name: values[name] for name in POST_FIELDS},
            themes=None,
            meetings=None,
            attachment_title=attachment_title,
            actor=actor,
            created=True,
        ),
    )


def post_update(
    *,
    post: Post,
    actor: Any,
    attachment_title: str = "",
    attachment: File[bytes] | None = None,
    **values: Any,
) -> Post:
    """Change a post (its organisation and network stay); the first publication sets its
    date. Raises ValidationError as :func:`post_create`. Side effects as there."""
    return _with_upload(  # type: ignore[return-value]
        attachment,
        functools.partial(
            _save,
            post,
            values={name: values[name] for name in POST_FIELDS},
            themes=None,
            meetings=None,
            attachment_title=attachment_title,
            actor=actor,
            created=False,
        ),
    )


def case_create(
    *,
    network: Network,
    organisation: Organisation,
    themes: Sequence[Theme],
    meetings: Sequence[Any],
    actor: Any,
    attachment_title: str = "",
    attachment: File[bytes] | None = None,
    **values: Any,
) -> Case:
    """Write a case study; ``values`` are the fields in CASE_FIELDS. Raises ValidationError
    as :func:`post_create`, and for a theme or meeting of another network. Side effects as
    there."""
    case = Case(network=network, organisation=organisation)
    return _with_upload(  # type: ignore[return-value]
        attachment,
        functools.partial(
            _save,
            case,
            values={name: values[name] for name in CASE_FIELDS},
            themes=themes,
            meetings=meetings,
            attachment_title=attachment_title,
            actor=actor,
            created=True,
        ),
    )


def case_update(
    *,
    case: Case,
    themes: Sequence[Theme],
    meetings: Sequence[Any],
    actor: Any,
    attachment_title: str = "",
    attachment: File[bytes] | None = None,
    **values: Any,
) -> Case:
    """Change a case study; as :func:`case_create`."""
    return _with_upload(  # type: ignore[return-value]
        attachment,
        functools.partial(
            _save,
            case,
            values={name: values[name] for name in CASE_FIELDS},
            themes=themes,
            meetings=meetings,
            attachment_title=attachment_title,
            actor=actor,
            created=False,
        ),
    )


@transaction.atomic
def item_withdraw(*, item: Post | Case, actor: Any) -> None:
    """Take a published post or case off the site (it stays, for its organisation, and may
    be published again by editing). Side effects: an audit entry; it leaves the search."""
    _check_may_change(item, actor)
    if item.status == Status.WITHDRAWN:
        raise ValidationError("すでに取り下げています。")
    before = item.status
    item.status = Status.WITHDRAWN
    item.updated_at = timezone.now()
    item.save(update_fields=["status", "updated_at"])
    kind = _kind(item)
    audit.record(
        actor=actor,
        action=f"{kind}.withdraw",
        obj=item,
        changes={"status": [before, Status.WITHDRAWN]},
    )
    index.refresh(kind, [item.pk])


@transaction.atomic
def attachment_remove(*, attachment: PostAttachment | CaseAttachment, actor: Any) -> None:
    """Remove a PDF. Side effects: the file is deleted after commit; an audit entry."""
    item: Post | Case = (
        attachment.post if isinstance(attachment, PostAttachment) else attachment.case
    )
    _check_may_change(item, actor)
    name, storage = str(attachment.file.name), attachment.file.storage
    attachment.delete()
    transaction.on_commit(functools.partial(storage.delete, name))
    audit.record(
        actor=actor,
        action=f"{_kind(item)}.attachment_remove",
        obj=item,
        changes={"title": attachment.title},
    )


@transaction.atomic
def question_themes_set(*, question: Question, themes: Sequence[Theme], actor: Any) -> None:
    """Give a published Q&A exactly ``themes`` (of its meeting's network). Only the network's
    secretariat may. Raises ValidationError otherwise; nothing changes then. Side effects:
    an audit entry; the Q&A's search entry."""
    meeting = question.meeting
    if not knowledge_rules.may_tag_questions(actor, meeting.network_id):
        raise ValidationError(NOT_THE_SECRETARIAT)
    if (
        not question.published
        or question.merged_into_id is not None
        or meeting.status != MeetingStatus.PUBLISHED
    ):
        raise ValidationError(NOT_PUBLISHED_QA)
    if any(theme.network_id != meeting.network_id for theme in themes):
        raise ValidationError({"themes": [OTHER_NETWORK]})
    wanted = {theme.pk for theme in themes}
    had = set(QuestionTheme.objects.filter(question=question).values_list("theme_id", flat=True))
    QuestionTheme.objects.filter(question=question).exclude(theme_id__in=wanted).delete()
    QuestionTheme.objects.bulk_create(
        QuestionTheme(question=question, theme_id=pk) for pk in sorted(wanted - had)
    )
    audit.record(
        actor=actor,
        action="question.themes",
        obj=question,
        changes=audit.diff({"themes": sorted(had)}, {"themes": sorted(wanted)}),
    )
    index.refresh("qa", [question.pk])
