"""Recruitment requests (動員依頼): an organiser asks the heads of several neighbourhood
associations (町内会長) for participants in an event, with a number wanted per age band;
each head answers how many they can send per band; the totals stand against the target."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyodo.directory.models import Organisation


class AgeBand(models.TextChoices):
    TEENS = "teens", _("10代以下")
    TWENTIES = "20s", _("20代")
    THIRTIES = "30s", _("30代")
    FORTIES = "40s", _("40代")
    FIFTIES = "50s", _("50代")
    SIXTIES = "60s", _("60代")
    SEVENTIES_PLUS = "70plus", _("70代以上")


class RecruitmentStatus(models.TextChoices):
    OPEN = "open", _("回答受付中")
    CLOSED = "closed", _("締切")


class RecruitmentRequest(models.Model):
    organiser = models.ForeignKey(
        Organisation,
        verbose_name=_("依頼元"),
        on_delete=models.PROTECT,
        related_name="liaison_recruitments",
    )
    entry = models.ForeignKey(
        "calendar.Entry",
        verbose_name=_("行事(カレンダー)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    title = models.CharField(_("行事名"), max_length=200)
    event_date = models.DateField(_("行事の日"))
    message = models.TextField(_("依頼文"), max_length=4000)
    answer_by = models.DateField(_("回答期限"))
    status = models.CharField(
        _("状態"),
        max_length=10,
        choices=RecruitmentStatus.choices,
        default=RecruitmentStatus.OPEN,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("動員依頼")
        verbose_name_plural = _("動員依頼")
        ordering = ("-event_date", "-pk")
        constraints = (
            models.CheckConstraint(
                condition=Q(answer_by__lte=models.F("event_date")),
                name="liaison_recruitment_answer_before_event",
                violation_error_message="回答期限は行事の日までの日にしてください。",
            ),
        )

    def __str__(self) -> str:
        return self.title


class RecruitmentTarget(models.Model):
    request = models.ForeignKey(
        RecruitmentRequest, on_delete=models.CASCADE, related_name="targets"
    )
    band = models.CharField(_("年代"), max_length=8, choices=AgeBand.choices)
    wanted = models.PositiveIntegerField(_("希望人数"))

    class Meta:
        verbose_name = _("年代別の希望人数")
        verbose_name_plural = _("年代別の希望人数")
        constraints = (
            models.UniqueConstraint(fields=("request", "band"), name="liaison_target_band"),
            models.CheckConstraint(
                condition=Q(wanted__gte=0, wanted__lte=10000),
                name="liaison_target_wanted_range",
                violation_error_message="希望人数は0人から10,000人の間で入力してください。",
            ),
        )

    def __str__(self) -> str:
        return f"{self.get_band_display()} {self.wanted}人"


class RecruitmentAsk(models.Model):
    """The request as sent to one association; its head answers per band."""

    request = models.ForeignKey(RecruitmentRequest, on_delete=models.CASCADE, related_name="asks")
    association = models.ForeignKey(
        Organisation,
        verbose_name=_("自治会・町内会"),
        on_delete=models.PROTECT,
        related_name="liaison_recruitment_asks",
    )
    answered_at = models.DateTimeField(_("回答日時"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(_("連絡事項"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("動員依頼先")
        verbose_name_plural = _("動員依頼先")
        ordering = ("request", "association")
        constraints = (
            models.UniqueConstraint(fields=("request", "association"), name="liaison_ask_unique"),
        )

    def __str__(self) -> str:
        return f"{self.request} / {self.association}"


class RecruitmentAnswer(models.Model):
    ask = models.ForeignKey(RecruitmentAsk, on_delete=models.CASCADE, related_name="answers")
    band = models.CharField(_("年代"), max_length=8, choices=AgeBand.choices)
    count = models.PositiveIntegerField(_("参加できる人数"))

    class Meta:
        verbose_name = _("年代別の回答")
        verbose_name_plural = _("年代別の回答")
        constraints = (
            models.UniqueConstraint(fields=("ask", "band"), name="liaison_answer_band"),
            models.CheckConstraint(
                condition=Q(count__gte=0, count__lte=10000),
                name="liaison_answer_count_range",
                violation_error_message="人数は0人から10,000人の間で入力してください。",
            ),
        )

    def __str__(self) -> str:
        return f"{self.get_band_display()} {self.count}人"
