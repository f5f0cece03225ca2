"""Area liaison staff (地域担当職員): the municipality's scheme, who is assigned to which area
(community council) in a fiscal year, an area's request for a particular staff member, and
the staff's log of local events they took part in — the personnel indicator
「地域行事にどれだけ参加しているか」."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyodo.directory.models import Organisation, Person

# Fiscal years kyodo accepts anywhere in this app: wide enough for history, narrow enough to
# catch a typed 20255.
FISCAL_YEAR_RANGE = (2000, 2100)


def _fiscal_year_check(name: str, field: str = "fiscal_year") -> models.CheckConstraint:
    low, high = FISCAL_YEAR_RANGE
    return models.CheckConstraint(
        condition=Q(**{f"{field}__gte": low, f"{field}__lte": high}),
        name=name,
        violation_error_message=f"年度は{low}年度から{high}年度の間で指定してください。",
    )


class LiaisonScheme(models.Model):
    """A municipality's liaison-staff scheme. Its managing department (地域づくり担当課)
    assigns staff and sees every area's key people; its personnel department (人事担当課)
    reads the participation reports, nothing else."""

    municipality = models.OneToOneField(
        Organisation,
        verbose_name=_("市町村"),
        on_delete=models.CASCADE,
        related_name="liaison_scheme",
    )
    managing_department = models.ForeignKey(
        Organisation,
        verbose_name=_("制度を所管する課"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    personnel_department = models.ForeignKey(
        Organisation,
        verbose_name=_("人事担当課"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    handover_days = models.PositiveSmallIntegerField(
        _("引継ぎの標準日数"),
        default=7,
        help_text=_("引継ぎ計画の期間の初期値(日)。"),
    )

    class Meta:
        verbose_name = _("地域担当職員制度")
        verbose_name_plural = _("地域担当職員制度")
        constraints = (
            models.CheckConstraint(
                condition=Q(handover_days__gte=1, handover_days__lte=90),
                name="liaison_scheme_handover_days_range",
                violation_error_message="引継ぎの標準日数は1日から90日の間で指定してください。",
            ),
        )

    def __str__(self) -> str:
        return f"{self.municipality} 地域担当職員制度"


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("主担当")
    SUPPORT = "support", _("副担当")


class AssignmentQuerySet(models.QuerySet["Assignment"]):
    def current(self, on: object = None) -> AssignmentQuerySet:
        """Assignments in force on ``on`` (default today): the fiscal year of the day, and
        not ended by a completed handover."""
        from kyodo.core.dates import fiscal_year

        day = on or timezone.localdate()
        return self.filter(fiscal_year=fiscal_year(day)).filter(  # type: ignore[arg-type]
            Q(ended_on__isnull=True) | Q(ended_on__gt=day)
        )


class Assignment(models.Model):
    """A staff member assigned to an area (community council) for a fiscal year."""

    area = models.ForeignKey(
        Organisation,
        verbose_name=_("担当地域"),
        on_delete=models.CASCADE,
        related_name="liaison_assignments",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("職員"),
        on_delete=models.PROTECT,
        related_name="liaison_assignments",
    )
    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    role = models.CharField(
        _("担当の別"), max_length=10, choices=AssignmentRole.choices, default=AssignmentRole.LEAD
    )
    # Set when a handover to someone else completes: the assignment no longer counts from
    # this day on.
    ended_on = models.DateField(_("担当の終了日"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("地域担当の割当て")
        verbose_name_plural = _("地域担当の割当て")
        ordering = ("-fiscal_year", "area", "role", "person")
        constraints = (
            models.UniqueConstraint(
                fields=("area", "person", "fiscal_year"),
                name="liaison_assignment_unique",
                violation_error_message="この職員はこの年度すでにこの地域の担当です。",
            ),
            _fiscal_year_check("liaison_assignment_fiscal_year_range"),
        )

    def __str__(self) -> str:
        return f"{self.area} {self.person}({self.get_role_display()})"


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("回答待ち")
    APPROVED = "approved", _("承認")
    DECLINED = "declined", _("見送り")


class StaffRequest(models.Model):
    """An area asks for a particular staff member for a fiscal year (地域が職員を選ぶ); the
    municipality approves (which assigns them) or declines, with a reason."""

    area = models.ForeignKey(
        Organisation,
        verbose_name=_("地域"),
        on_delete=models.CASCADE,
        related_name="liaison_staff_requests",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("希望する職員"),
        on_delete=models.PROTECT,
        related_name="liaison_requests_for",
    )
    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    reason = models.TextField(_("希望の理由"), max_length=2000)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now, editable=False)
    status = models.CharField(
        _("状態"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("回答の理由"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("担当職員の希望")
        verbose_name_plural = _("担当職員の希望")
        ordering = ("-requested_at",)
        constraints = (
            _fiscal_year_check("liaison_request_fiscal_year_range"),
            models.UniqueConstraint(
                fields=("area", "person", "fiscal_year"),
                condition=Q(status="pending"),
                name="liaison_request_one_pending",
                violation_error_message="この職員への希望はすでに回答待ちです。",
            ),
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True)
                | (~Q(status="pending") & Q(decided_at__isnull=False)),
                name="liaison_request_decided_when_answered",
            ),
        )

    def __str__(self) -> str:
        return f"{self.area}: {self.person} の希望"


class Participation(models.Model):
    """A staff member took part in a local event: a calendar entry (and which day of it),
    or an event typed in by hand. Counted by the fiscal year of its date."""

    person = models.ForeignKey(
        Person,
        verbose_name=_("職員"),
        on_delete=models.PROTECT,
        related_name="liaison_participations",
    )
    municipality = models.ForeignKey(
        Organisation,
        verbose_name=_("市町村"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    area = models.ForeignKey(
        Organisation,
        verbose_name=_("地域"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    entry = models.ForeignKey(
        "calendar.Entry",
        verbose_name=_("行事(カレンダー)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="liaison_participations",
    )
    # Kept even when linked, so the report still says what it was if the entry is deleted.
    title = models.CharField(_("行事名"), max_length=200)
    date = models.DateField(_("参加日"))
    fiscal_year = models.PositiveSmallIntegerField(_("年度"), editable=False)
    hours = models.DecimalField(_("時間"), max_digits=4, decimal_places=1)
    note = models.TextField(_("メモ"), max_length=2000, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("地域行事への参加")
        verbose_name_plural = _("地域行事への参加")
        ordering = ("-date", "-pk")
        indexes = (
            models.Index(
                fields=("municipality", "fiscal_year", "person"), name="liaison_part_report"
            ),
        )
        constraints = (
            models.CheckConstraint(
                condition=Q(hours__gt=Decimal(0), hours__lte=Decimal(24)),
                name="liaison_participation_hours_range",
                violation_error_message="時間は0.1時間から24時間の間で入力してください。",
            ),
            models.CheckConstraint(
                condition=Q(date__gte="2000-01-01", date__lte="2100-12-31"),
                name="liaison_participation_date_range",
                violation_error_message="参加日は2000年から2100年の間で入力してください。",
            ),
            _fiscal_year_check("liaison_participation_fiscal_year_range"),
        )

    def __str__(self) -> str:
        return f"{self.date} {self.title}"
