"""Every write of the newsletter (協議会だより): creating an issue, saving it with its articles
and notices from the one-page editor, publishing and withdrawing it.

Obituaries (訃報) are the personal data of a family in mourning, and these services hold the
rules a careful privacy officer would ask for:

- The family's consent is recorded as a whole: who agreed (name and relation), on which day,
  and which fields may be shown (``OBITUARY_FIELDS``). Part of it is refused.
- Once consent is recorded, a field the family did not agree to show may not hold a value:
  the save is refused with a message at that field, asking to clear it or to add it to the
  consent. Data that may never be published is not kept at all (data minimisation), and a
  value cannot slip onto a page later through a change of the consent list. Before consent
  is recorded the editor may prepare the notice, to read it to the family; such a notice is
  never shown, and an issue holding it cannot be published.
- An obituary carries no free text body: only its fields, each shown only with consent.
- Its last day on the web defaults to the issue date plus ``KYODO_OBITUARY_WEB_DAYS`` and may
  be earlier, never later; the day of death may not follow the consent or the issue date.
- An issue is published only when every obituary in it has consent; a published issue
  cannot be saved with an obituary without consent either.
- Recording or changing the consent writes its own audit entry (who recorded it, the date,
  relation and fields, not the names), and the notice keeps who recorded it.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from kyodo.core import audit
from kyodo.core.files import reencode_image
from kyodo.core.jobs import job_start
from kyodo.core.models import Job
from kyodo.core.search import index as search_index
from kyodo.core.services import collect_errors
from kyodo.directory.models import Organisation
from kyodo.publications import search
from kyodo.publications.models import (
    OBITUARY_FIELDS,
    Article,
    IssueStatus,
    NewsletterIssue,
    Notice,
)
from kyodo.publications.queries import newsletter as queries

# The fields a person edits; the rest follow from the services.
ISSUE_FIELDS = ("name", "number", "issue_date", "editor_note")
ARTICLE_FIELDS = ("heading", "body", "image_alt", "caption")
NOTICE_FIELDS = ("kind", "title", "body", *OBITUARY_FIELDS)
CONSENT_FIELDS = ("consent_by", "consent_relation", "consent_on", "consent_fields", "web_until")
# What the consent's audit entry lists: the facts of the consent, not the family's names.
CONSENT_AUDITED = ("consent_relation", "consent_on", "consent_fields", "web_until")
OBITUARY_TITLE = "訃報"
# The formats browsers show, by Pillow's name; Pillow reads more (TIFF, BMP...).
IMAGE_EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}

NOT_CONSENTED = (
    "ご遺族が掲載に同意していない項目です。入力を消すか、「掲載に同意された項目」に加えてください。"
)


class IssueRefusedError(ValidationError):
    """An issue that cannot be stored or published; ``message_dict`` maps paths such as
    ``notices[1].consent_on`` to messages in Japanese. Nothing was saved."""


MAX_AGE = 130


def obituary_web_days() -> int:
    return int(getattr(settings, "KYODO_OBITUARY_WEB_DAYS", 30))


def default_web_until(issue_date: datetime.date) -> datetime.date:
    return issue_date + datetime.timedelta(days=obituary_web_days())


def _snapshot(obj: Any, names: Sequence[str]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in names}


@transaction.atomic
def newsletter_issue_create(
    *,
    council: Organisation,
    issue_date: datetime.date,
    actor: Any,
    name: str = "",
    number: int | None = None,
) -> NewsletterIssue:
    """Start a draft issue of ``council``. A blank name or number takes the council's
    defaults (:func:`queries.issue_defaults`). Side effects: one audit entry."""
    defaults = queries.issue_defaults(council)
    issue = NewsletterIssue(
        council=council,
        name=name.strip() or defaults.name,
        number=number or defaults.number,
        issue_date=issue_date,
    )
    errors: dict[str, list[str]] = {}
    collect_errors(issue, "", errors)
    if errors:
        raise IssueRefusedError(errors)
    issue.save()
    audit.record(
        actor=actor,
        action="newsletter.issue_create",
        obj=issue,
        changes={"number": ["", str(issue.number)], "issue_date": ["", str(issue.issue_date)]},
    )
    return issue


def _check_obituary(
    notice: Notice, path: str, errors: dict[str, list[str]], issue_date: Any, today: datetime.date
) -> None:
    """The rules of an obituary, in the module's docstring, as messages under ``path``."""

    def refuse(field: str, message: str) -> None:
        errors.setdefault(f"{path}.{field}", []).append(message)

    if notice.body.strip():
        refuse(
            "body",
            "訃報には本文を入れられません。掲載する内容は訃報の各項目に入力してください"
            "(項目ごとにご遺族の同意を記録します)。",
        )
    agreed = list(notice.consent_fields or [])
    unknown = [name for name in agreed if name not in OBITUARY_FIELDS]
    if unknown:
        refuse("consent_fields", "掲載に同意された項目の指定が正しくありません。")
    started = any(
        (notice.consent_by.strip(), notice.consent_relation.strip(), notice.consent_on, agreed)
    )
    if not started:
        return
    if not notice.consent_by.strip():
        refuse("consent_by", "同意されたご遺族のお名前を入力してください。")
    if notice.consent_on is None:
        refuse("consent_on", "同意を得た日を入力してください。")
    elif notice.consent_on > today:
        refuse("consent_on", "同意を得た日に先の日付は入れられません。")
    if not agreed:
        refuse("consent_fields", "掲載に同意された項目を1つ以上選んでください。")
    for name in OBITUARY_FIELDS:
        if name not in agreed and getattr(notice, name) not in ("", None):
            refuse(name, NOT_CONSENTED)
    if notice.web_until is None and isinstance(issue_date, datetime.date):
        notice.web_until = default_web_until(issue_date)
    if notice.web_until is not None and isinstance(issue_date, datetime.date):
        if notice.web_until < issue_date:
            refuse("web_until", "ウェブ掲載の最終日は発行日以降の日付にしてください。")
        elif notice.web_until > default_web_until(issue_date):
            refuse(
                "web_until",
                f"訃報をウェブに載せられるのは発行日から{obituary_web_days()}日までです"
                f"({default_web_until(issue_date):%Y年%-m月%-d日}まで)。",
            )
    if notice.died_on is not None:
        if notice.consent_on is not None and notice.died_on > notice.consent_on:
            refuse("died_on", "ご逝去の日が、同意を得た日より後になっています。")
        if isinstance(issue_date, datetime.date) and notice.died_on > issue_date:
            refuse("died_on", "ご逝去の日が、発行日より後になっています。")
    if notice.age is not None and notice.age > MAX_AGE:
        refuse("age", f"享年は{MAX_AGE}以下で入力してください。")


def _notice_errors(
    notice: Notice,
    path: str,
    errors: dict[str, list[str]],
    issue_date: Any,
    today: datetime.date,
) -> None:
    if notice.is_obituary:
        notice.title = notice.title.strip() or OBITUARY_TITLE
        notice.organisation = None
        _check_obituary(notice, path, errors, issue_date, today)
    else:
        notice.consent_fields = []
        notice.consent_recorded_by = None
    collect_errors(notice, path, errors, exclude=["issue"])


def consent_problems(notices: Sequence[Notice]) -> dict[str, list[str]]:
    """Why the notices cannot be on a published issue: each obituary without the family's
    recorded consent, named with its place in the issue."""
    errors: dict[str, list[str]] = {}
    for index, notice in enumerate(notices):
        if notice.is_obituary and not (notice.has_consent and notice.web_until):
            errors.setdefault(f"notices[{index}]", []).append(
                f"お知らせ{index + 1}「{notice.title}」は、ご遺族の同意(同意を得た日・"
                "同意されたご遺族のお名前・掲載する項目)が記録されていない訃報です。"
                "同意を記録するか、このお知らせを削除してから発行してください。"
            )
    return errors


def _rows[M: (Article, Notice)](
    model: type[M],
    existing: dict[int, M],
    rows: Sequence[Mapping[str, Any]],
    name: str,
    errors: dict[str, list[str]],
) -> list[tuple[M, Mapping[str, Any]]]:
    """The rows of the editor matched with the issue's own records (by ``id``); a row with
    the id of anything else is refused."""
    matched: list[tuple[M, Mapping[str, Any]]] = []
    for index, row in enumerate(rows):
        pk = row.get("id")
        if pk and pk not in existing:
            errors.setdefault(f"{name}[{index}]", []).append(
                "この行は別の号のもの、またはすでに削除されています。ページを開き直してください。"
            )
            continue
        obj = existing.pop(pk) if pk else model()
        obj.position = index
        matched.append((obj, row))
    return matched


@transaction.atomic
def newsletter_issue_save(
    *,
    issue: NewsletterIssue,
    values: Mapping[str, Any],
    articles: Sequence[Mapping[str, Any]],
    notices: Sequence[Mapping[str, Any]],
    actor: Any,
    today: datetime.date | None = None,
) -> NewsletterIssue:
    """Replace an issue's own fields, its articles and its notices with those of the editor.

    Rows carry the ``id`` of the article or notice they edit (none for a new one); the
    issue's articles and notices not among them are deleted, in the order given. An
    article's ``image`` is a new upload whose content the form has checked (an image of 5 MB
    or less), kept under a random name; ``remove_image`` drops the current one. A notice's
    ``organisation`` is the id of one of :func:`queries.organisation_choices`.
    Everything is checked before anything is written (IssueRefusedError with messages by
    path, such as ``notices[1].consent_on``); the rules of obituaries are in the module's
    docstring. Side effects: image files written (and removed ones deleted after commit);
    one audit entry for the issue, and one per obituary whose consent was recorded or
    changed; a published issue is indexed again for the search."""
    today = today or timezone.localdate()
    issue = NewsletterIssue.objects.select_for_update().select_related("council").get(pk=issue.pk)
    errors: dict[str, list[str]] = {}
    before = _snapshot(issue, ISSUE_FIELDS)
    for name in ISSUE_FIELDS:
        if name in values:
            setattr(issue, name, values[name])
    collect_errors(issue, "", errors)

    kept_articles = {article.pk: article for article in issue.articles.all()}
    article_rows = _rows(Article, kept_articles, articles, "articles", errors)
    uploads: list[tuple[Article, ContentFile[bytes]]] = []
    dropped_images: list[str] = [str(a.image.name) for a in kept_articles.values() if a.image]
    for index, (article, row) in enumerate(article_rows):
        path = f"articles[{index}]"
        for name in ARTICLE_FIELDS:
            if name in row:
                setattr(article, name, row[name])
        upload = row.get("image")
        if (upload or row.get("remove_image")) and article.image:
            dropped_images.append(str(article.image.name))
            article.image = ""
        if upload:
            try:
                uploads.append((article, reencode_image(upload)))
            except ValidationError as error:
                errors.setdefault(f"{path}.image", []).extend(error.messages)
        if (upload or article.image) and not article.image_alt.strip():
            errors.setdefault(f"{path}.image_alt", []).append(
                "写真を載せるときは、写真の説明(代替テキスト)を入力してください。"
            )
        if not (upload or article.image) and (article.image_alt or article.caption):
            article.image_alt = article.caption = ""
        collect_errors(article, path, errors, exclude=["issue", "image", "image_alt"])

    kept_notices = {notice.pk: notice for notice in issue.notices.all()}
    notice_rows = _rows(Notice, kept_notices, notices, "notices", errors)
    allowed = dict(queries.organisation_choices(issue.council))
    consent_before: dict[int, dict[str, Any]] = {}
    for index, (notice, row) in enumerate(notice_rows):
        path = f"notices[{index}]"
        consent_before[id(notice)] = _snapshot(notice, CONSENT_FIELDS) if notice.pk else {}
        for name in (*NOTICE_FIELDS, *CONSENT_FIELDS):
            if name in row:
                setattr(notice, name, row[name])
        organisation = row.get("organisation")
        if organisation and int(organisation) not in allowed:
            errors.setdefault(f"{path}.organisation", []).append(
                "お知らせ元には、協議会・その構成団体・市町村を選んでください。"
            )
        notice.organisation_id = int(organisation) if organisation else None
        _notice_errors(notice, path, errors, issue.issue_date, today)
    if issue.status == IssueStatus.PUBLISHED:
        for key, messages in consent_problems([n for n, _row in notice_rows]).items():
            errors.setdefault(key, []).extend(messages)
    if errors:
        raise IssueRefusedError(errors)

    issue.updated_at = timezone.now()
    issue.save()
    removed = [*kept_articles.values(), *kept_notices.values()]
    for obj in removed:
        obj.delete()
    written: list[str] = []
    try:
        for article, upload in uploads:
            article.image.save(str(upload.name), upload, save=False)
            written.append(str(article.image.name))
        for article, _row in article_rows:
            article.issue = issue
            article.save()
    except BaseException:
        _delete_images(written)
        raise
    kept = {str(article.image.name) for article, _row in article_rows if article.image}
    stale = [name for name in dropped_images if name not in kept]
    if stale:
        transaction.on_commit(functools.partial(_delete_images, stale))
    for notice, _row in notice_rows:
        notice.issue = issue
        _record_consent(notice, consent_before[id(notice)], actor)
        notice.save()
        _audit_consent(notice, consent_before[id(notice)], actor)
    changes = audit.diff(before, _snapshot(issue, ISSUE_FIELDS))
    changes["articles"] = len(article_rows)
    changes["notices"] = len(notice_rows)
    audit.record(actor=actor, action="newsletter.issue_update", obj=issue, changes=changes)
    search_index.refresh(search.KIND, [issue.pk])
    return issue


def _consent_changed(notice: Notice, before: dict[str, Any]) -> bool:
    """Whether the editor recorded, changed or removed the family's consent (``before`` is
    empty for a new notice)."""
    if not notice.is_obituary:
        return False
    if not before:
        return notice.has_consent
    return _snapshot(notice, CONSENT_FIELDS) != before


def _record_consent(notice: Notice, before: dict[str, Any], actor: Any) -> None:
    if not notice.is_obituary:
        return
    if not notice.has_consent:
        notice.consent_recorded_by = None
    elif _consent_changed(notice, before):
        notice.consent_recorded_by = actor if getattr(actor, "is_authenticated", False) else None


def _audit_consent(notice: Notice, before: dict[str, Any], actor: Any) -> None:
    if not notice.is_obituary or not _consent_changed(notice, before):
        return
    after = {name: getattr(notice, name) for name in CONSENT_AUDITED}
    was = {name: before.get(name, "") for name in CONSENT_AUDITED}
    audit.record(
        actor=actor,
        action="newsletter.obituary_consent",
        obj=notice,
        changes={**audit.diff(was, after), "consented": notice.has_consent},
    )


def _delete_images(names: Sequence[str]) -> None:
    for name in names:
        default_storage.delete(name)


def _set_status(
    issue: NewsletterIssue,
    *,
    status: IssueStatus,
    actor: Any,
    check: Callable[[NewsletterIssue], dict[str, list[str]]] | None = None,
) -> NewsletterIssue:
    issue = NewsletterIssue.objects.select_for_update().get(pk=issue.pk)
    before = issue.status
    if before == status:
        done = (
            "すでに発行されています。"
            if status == IssueStatus.PUBLISHED
            else "まだ発行されていません。"
        )
        raise IssueRefusedError({"status": [f"{issue}は{done}"]})
    if check is not None and (errors := check(issue)):
        raise IssueRefusedError(errors)
    issue.status = status
    issue.updated_at = timezone.now()
    issue.published_at = issue.updated_at if status == IssueStatus.PUBLISHED else None
    issue.save(update_fields=["status", "published_at", "updated_at"])
    search_index.refresh(search.KIND, [issue.pk])
    audit.record(
        actor=actor,
        action=f"newsletter.issue_{'publish' if status == IssueStatus.PUBLISHED else 'withdraw'}",
        obj=issue,
        changes={"status": [before, status]},
    )
    return issue


def _publishable(issue: NewsletterIssue) -> dict[str, list[str]]:
    notices = list(issue.notices.order_by("position", "pk"))
    errors = consent_problems(notices)
    if not notices and not issue.articles.exists():
        errors["__all__"] = ["記事かお知らせを1件以上入れてから発行してください。"]
    return errors


@transaction.atomic
def newsletter_issue_publish(*, issue: NewsletterIssue, actor: Any) -> NewsletterIssue:
    """Publish a draft issue: its page, its images and its entry in the feed become public.
    Refused (IssueRefusedError, nothing changes) for an empty issue or one holding an
    obituary without the family's recorded consent, naming each such notice.
    Side effects: one audit entry; the issue is indexed for the search (never its
    obituaries)."""
    return _set_status(issue, status=IssueStatus.PUBLISHED, actor=actor, check=_publishable)


@transaction.atomic
def newsletter_issue_withdraw(*, issue: NewsletterIssue, actor: Any) -> NewsletterIssue:
    """Take a published issue back to draft: its page, images and feed entry are no longer
    public. Side effects: one audit entry; the issue leaves the search index."""
    return _set_status(issue, status=IssueStatus.DRAFT, actor=actor)


def newsletter_pdf_start(*, issue: NewsletterIssue, actor: Any) -> Job:
    """Make the A4 two-column print file of an issue in the background. Side effects: a job
    (see kyodo.core.jobs) with its audit entry; the file is kept with the job."""
    from kyodo.publications.tasks import NEWSLETTER_PDF

    return job_start(
        actor=actor,
        kind=NEWSLETTER_PDF,
        title=f"{issue}の印刷用PDF",
        params={"issue": issue.pk},
        organisation=issue.council,
    )
