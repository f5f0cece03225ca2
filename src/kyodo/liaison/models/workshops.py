"""Workshops run with an area: a series of main sessions (本番) and the many preparation
(事前の打ち合わせ) and reflection (振り返り) meetings around them — the case city holds 10–20
for every three main sessions — and requests to another department to facilitate
(ファシリテーションの依頼), accepted or declined."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyodo.directory.models import Organisation, Person
from kyodo.liaison.models.staff import RequestStatus


class WorkshopSeries(models.Model):
    organiser = models.ForeignKey(
        Organisation,
        verbose_name=_("主催"),
        on_delete=models.PROTECT,
        related_name="liaison_workshops",
        help_text=_("ワークショップを運営する課または地域の団体"),
    )
    area = models.ForeignKey(
        Organisation,
        verbose_name=_("地域"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="liaison_area_workshops",
    )
    title = models.CharField(_("名称"), max_length=200)
    purpose = models.TextField(_("ねらい"), max_length=2000, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("ワークショップ")
        verbose_name_plural = _("ワークショップ")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return self.title


class SessionKind(models.TextChoices):
    MAIN = "main", _("本番")
    PREPARATION = "preparation", _("事前の打ち合わせ")
    REFLECTION = "reflection", _("振り返り")


class WorkshopSession(models.Model):
    series = models.ForeignKey(WorkshopSeries, on_delete=models.CASCADE, related_name="sessions")
    kind = models.CharField(_("種類"), max_length=12, choices=SessionKind.choices)
    date = models.DateField(_("日付"))
    start_time = models.TimeField(_("開始時間"), null=True, blank=True)
    end_time = models.TimeField(_("終了時間"), null=True, blank=True)
    venue = models.CharField(_("場所"), max_length=200, blank=True)
    title = models.CharField(_("内容"), max_length=200)
    participants = models.PositiveIntegerField(_("参加人数"), null=True, blank=True)
    note = models.TextField(_("記録"), max_length=4000, blank=True)
    # A main session may also be published on the calendar.
    entry = models.ForeignKey(
        "calendar.Entry",
        verbose_name=_("カレンダーの予定"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("ワークショップの回")
        verbose_name_plural = _("ワークショップの回")
        ordering = ("series", "date", "start_time", "pk")
        constraints = (
            models.CheckConstraint(
                condition=Q(end_time__isnull=True)
                | Q(start_time__isnull=True)
                | Q(end_time__gt=models.F("start_time")),
                name="liaison_session_ends_after_start",
                violation_error_message="終了時間は開始時間より後にしてください。",
            ),
            models.CheckConstraint(
                condition=Q(date__gte="2000-01-01", date__lte="2100-12-31"),
                name="liaison_session_date_range",
                violation_error_message="日付は2000年から2100年の間で入力してください。",
            ),
        )

    def __str__(self) -> str:
        return f"{self.date} {self.title}"


class FacilitationRequest(models.Model):
    """A formal request to a department that can facilitate (全庁横断的に地域を支える)."""

    series = models.ForeignKey(
        WorkshopSeries, on_delete=models.CASCADE, related_name="facilitation_requests"
    )
    department = models.ForeignKey(
        Organisation,
        verbose_name=_("依頼先の課"),
        on_delete=models.PROTECT,
        related_name="liaison_facilitation_requests",
    )
    sessions = models.ManyToManyField(
        WorkshopSession, verbose_name=_("依頼する回"), blank=True, related_name="+"
    )
    message = models.TextField(_("依頼の内容"), max_length=4000)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now, editable=False)
    status = models.CharField(
        _("状態"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    facilitator = models.ForeignKey(
        Person,
        verbose_name=_("担当するファシリテーター"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    reply = models.TextField(_("回答"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("ファシリテーションの依頼")
        verbose_name_plural = _("ファシリテーションの依頼")
        ordering = ("-requested_at",)
        constraints = (
            models.CheckConstraint(
                condition=Q(status="pending", answered_at__isnull=True)
                | (~Q(status="pending") & Q(answered_at__isnull=False)),
                name="liaison_facilitation_answered_at",
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | Q(facilitator__isnull=True),
                name="liaison_facilitation_no_facilitator_when_declined",
            ),
        )

    def __str__(self) -> str:
        return f"{self.series} → {self.department}"
