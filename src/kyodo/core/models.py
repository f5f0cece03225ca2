"""Shared primitives: the audit log and page feedback."""

from __future__ import annotations

from django.conf import settings
from django.db import models
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
