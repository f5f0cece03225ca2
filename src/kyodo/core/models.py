"""Shared primitives: the audit log, page feedback, API tokens and background jobs."""

from __future__ import annotations

import datetime
import uuid
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One change made through a service, written in the same transaction as the change."""

    at = models.DateTimeField(_("日時"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作者"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("操作"), max_length=64)
    object_type = models.CharField(_("対象の種類"), max_length=64)
    object_id = models.CharField(_("対象のID"), max_length=64)
    object_repr = models.CharField(_("対象"), max_length=200)
    changes = models.JSONField(_("変更内容"), default=dict, blank=True)

    class Meta:
        verbose_name = _("操作記録")
        verbose_name_plural = _("操作記録")
        ordering = ("-at", "-pk")
        indexes = (models.Index(fields=("object_type", "object_id")),)

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"


class Usefulness(models.TextChoices):
    USEFUL = "useful", _("役に立った")
    NEUTRAL = "neutral", _("どちらともいえない")
    NOT_USEFUL = "not_useful", _("役に立たなかった")


class Findability(models.TextChoices):
    EASY = "easy", _("見つけやすかった")
    NEUTRAL = "neutral", _("どちらともいえない")
    HARD = "hard", _("見つけにくかった")


class PageFeedback(models.Model):
    """An anonymous answer to the two questions at the foot of a page. No personal data is
    asked or stored: not the name, not the address, not the IP address."""

    path = models.CharField(_("ページ"), max_length=300, db_index=True)
    page_title = models.CharField(_("ページ名"), max_length=200)
    owner = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("ページの担当組織"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="page_feedback",
    )
    usefulness = models.CharField(
        _("このページの情報は役に立ちましたか？"),
        max_length=16,
        choices=Usefulness.choices,
        blank=True,
    )
    findability = models.CharField(
        _("このページは見つけやすかったですか？"),
        max_length=16,
        choices=Findability.choices,
        blank=True,
    )
    comment = models.TextField(_("ご意見"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("受付日時"), default=timezone.now)

    class Meta:
        verbose_name = _("ページへのご意見")
        verbose_name_plural = _("ページへのご意見")
        ordering = ("-created_at", "-pk")
        constraints = (
            models.CheckConstraint(
                condition=~models.Q(usefulness="", findability="", comment=""),
                name="page_feedback_not_empty",
            ),
        )

    def __str__(self) -> str:
        return f"{self.path} {self.created_at:%Y-%m-%d}"


class ApiToken(models.Model):
    """A personal token for the JSON API. Only a hash is stored; the key is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("用途"), max_length=100)
    prefix = models.CharField(_("先頭の文字"), max_length=8)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("作成日時"), default=timezone.now)
    last_used_at = models.DateTimeField(_("最終利用日時"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("失効日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("APIトークン")
        verbose_name_plural = _("APIトークン")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.user} {self.name} ({self.prefix}…)"


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("待機中")
    RUNNING = "running", _("処理中")
    SUCCEEDED = "succeeded", _("完了")
    FAILED = "failed", _("失敗")


ACTIVE_JOB_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING)
FINISHED_JOB_STATUSES = (JobStatus.SUCCEEDED, JobStatus.FAILED)


def job_file_path(job: Job, name: str) -> str:
    """Where a job's file is kept: an ASCII name made of the job's id and attempt, so the
    user's (Japanese) download name never reaches the file system."""
    suffix = "".join(PurePath(name).suffixes[-1:]).lower()
    if not suffix.isascii() or not suffix[1:].isalnum():
        suffix = ""
    return f"jobs/{job.created_at:%Y/%m}/{job.pk.hex}-{job.attempts}{suffix}"


STALE_JOB_AFTER = datetime.timedelta(minutes=30)


class Job(models.Model):
    """Long work done by the task worker for a person: a PDF, a bulk mailing. The row is the
    record users see (status, progress, the file, why it failed); kyodo.core.jobs writes it.
    The file lives under MEDIA_ROOT/jobs/ and is only ever served by the permission-checked
    download view."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("処理の種類"), max_length=64)
    title = models.CharField(_("名称"), max_length=200)
    params = models.JSONField(_("条件"), default=dict, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("開始した人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("組織"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="jobs",
    )
    status = models.CharField(
        _("状態"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("進み具合(%)"), default=0)
    progress_note = models.CharField(_("進み具合の説明"), max_length=200, blank=True)
    file = models.FileField(_("ファイル"), upload_to=job_file_path, blank=True, max_length=200)
    file_name = models.CharField(_("ダウンロード時のファイル名"), max_length=200, blank=True)
    content_type = models.CharField(_("ファイルの形式"), max_length=100, blank=True)
    error = models.TextField(_("失敗の理由"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("実行回数"), default=1)
    created_at = models.DateTimeField(_("受付日時"), default=timezone.now)
    started_at = models.DateTimeField(_("開始日時"), null=True, blank=True)
    # Written when the job starts and at every progress report: a running job silent for
    # longer than STALE_JOB_AFTER lost its worker (killed, out of memory, machine restarted).
    heartbeat_at = models.DateTimeField(_("最後の進捗報告"), null=True, blank=True)
    finished_at = models.DateTimeField(_("終了日時"), null=True, blank=True)
    task_result_id = models.CharField(_("タスクのID"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("バックグラウンド処理")
        verbose_name_plural = _("バックグラウンド処理")
        ordering = ("-created_at",)
        indexes = (
            models.Index(fields=("started_by", "-created_at"), name="job_started_by_idx"),
            models.Index(fields=("kind", "-created_at"), name="job_kind_idx"),
        )
        constraints = (
            models.CheckConstraint(
                condition=Q(progress__gte=0, progress__lte=100),
                name="job_progress_percent",
                violation_error_message="進み具合は0から100にしてください。",
            ),
            models.CheckConstraint(condition=Q(attempts__gte=1), name="job_attempts_positive"),
            # A file only for a finished, successful job, and then with its download name.
            models.CheckConstraint(
                condition=Q(file="", file_name="", content_type="")
                | (Q(status=JobStatus.SUCCEEDED) & ~Q(file="") & ~Q(file_name="")),
                name="job_file_only_when_succeeded",
            ),
            # A failed job always says why; no other job carries a reason.
            models.CheckConstraint(
                condition=(Q(status=JobStatus.FAILED) & ~Q(error=""))
                | (~Q(status=JobStatus.FAILED) & Q(error="")),
                name="job_error_iff_failed",
            ),
            models.CheckConstraint(
                condition=Q(status__in=FINISHED_JOB_STATUSES, finished_at__isnull=False)
                | Q(status__in=ACTIVE_JOB_STATUSES, finished_at__isnull=True),
                name="job_finished_at_iff_finished",
            ),
            models.CheckConstraint(
                condition=~Q(status=JobStatus.RUNNING) | Q(started_at__isnull=False),
                name="job_running_has_started",
            ),
        )

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("core:job", kwargs={"pk": self.pk})

    def is_stale(self, now: datetime.datetime | None = None) -> bool:
        """Running, but no word from its worker for STALE_JOB_AFTER: it may be tried again."""
        last = self.heartbeat_at or self.started_at
        return (
            self.status == JobStatus.RUNNING
            and last is not None
            and last < (now or timezone.now()) - STALE_JOB_AFTER
        )

    @property
    def is_active(self) -> bool:
        """Still waiting or working: the page keeps asking for news."""
        return self.status in ACTIVE_JOB_STATUSES


class TermsField(models.TextField):  # type: ignore[type-arg]
    """A ``tsvector`` on PostgreSQL (a GIN index on the column), written as a literal with
    weights and positions by kyodo.core.search.text.Terms.tsvector; plain text elsewhere."""

    def db_type(self, connection: Any) -> str | None:
        if connection.vendor == "postgresql":
            return "tsvector"
        return super().db_type(connection)

    def get_placeholder_sql(
        self, value: object, compiler: Any, connection: Any
    ) -> tuple[str, tuple[object, ...]]:
        if hasattr(value, "as_sql"):
            sql, params = compiler.compile(value)
        else:
            sql, params = "%s", (value,)
        if connection.vendor == "postgresql":
            return f"{sql}::tsvector", tuple(params)
        return sql, tuple(params)


class SearchAudience(models.TextChoices):
    PUBLIC = "public", _("公開")
    MEMBERS = "members", _("ネットワークの会員のみ")


class SearchDocument(models.Model):
    """One row of the site search index (kyodo.core.search): a page as the search sees it.

    Rows are derived data. Services refresh them in the same transaction as the change they
    index, and ``kyodo search_rebuild`` writes them all again from the records. The
    organisation and network are plain numbers, not foreign keys, so that the index does not
    tie the apps together.

    The primary key is not a counter: it orders the rows newest first and names the kind
    (kyodo.core.search.index.document_id), so both engines rank by it and count kinds
    without reading the rows. Each engine keeps the tokens in its own columns, filled by
    kyodo.core.search.index: on SQLite ``title_terms``, ``body_terms`` and
    ``facet_terms`` feed an FTS5 table through triggers; on PostgreSQL ``terms`` is a
    ``tsvector`` with a GIN index. Both are created by the migration."""

    id = models.BigIntegerField(primary_key=True)
    kind = models.CharField(_("種類"), max_length=20)
    object_id = models.PositiveBigIntegerField(_("対象のID"))
    audience = models.CharField(
        _("公開範囲"), max_length=10, choices=SearchAudience.choices, default=SearchAudience.PUBLIC
    )
    network_id = models.PositiveBigIntegerField(_("ネットワーク"), null=True, blank=True)
    municipality_id = models.PositiveBigIntegerField(_("市町村"), null=True, blank=True)
    fiscal_year = models.PositiveSmallIntegerField(_("年度"), null=True, blank=True)
    date = models.DateField(_("日付"), null=True, blank=True)
    url = models.CharField(_("URL"), max_length=300)
    title = models.CharField(_("題名"), max_length=300)
    body = models.TextField(_("本文"), blank=True)
    title_terms = models.TextField(blank=True, editable=False)
    body_terms = models.TextField(blank=True, editable=False)
    facet_terms = models.TextField(blank=True, editable=False)
    terms = TermsField(null=True, blank=True, editable=False)
    indexed_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("検索索引")
        verbose_name_plural = _("検索索引")
        constraints = (
            models.UniqueConstraint(fields=("kind", "object_id"), name="search_document_once"),
        )
        indexes = (models.Index(fields=("fiscal_year",), name="search_fiscal_year"),)

    def __str__(self) -> str:
        return f"{self.kind}#{self.object_id}"
