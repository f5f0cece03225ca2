"""The annual event calendar (年間行事カレンダー): made every year-end by the council's
committee from the entries of the council and its member associations, paid for by
advertisements, printed and delivered free to every household.

The committee works on numbered drafts. Each draft is a frozen list of lines taken from the
calendar entries at that moment, so members comment on what they saw and the next draft can
show what changed. The print files are made from the final draft, never from live entries.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyodo.core.dates import format_date, format_era_year, format_fiscal_year, to_wareki
from kyodo.directory.models import Organisation

if TYPE_CHECKING:
    from django_stubs_ext.db.models.manager import RelatedManager


class YearKind(models.TextChoices):
    CALENDAR = "calendar", _("暦年(1月〜12月)")
    FISCAL = "fiscal", _("年度(4月〜翌年3月)")


class CalendarStatus(models.TextChoices):
    EDITING = "editing", _("作成中")
    REVIEW = "review", _("意見募集中")
    FINAL = "final", _("確定")


class SheetFormat(models.TextChoices):
    A3 = "a3", _("A3 壁掛け(1枚)")
    A2 = "a2", _("A2 壁掛け(1枚)")
    A4_BOOKLET = "a4_booklet", _("A4 冊子")


@dataclass(frozen=True)
class AdGrid:
    """The advertisement band of the sheet, in boxes. An advertisement takes a rectangle of
    boxes; the booklet prints the same band on its advertisement page."""

    columns: int
    rows: int

    @property
    def cells(self) -> int:
        return self.columns * self.rows


AD_GRID = AdGrid(columns=8, rows=3)


class DraftLine(TypedDict):
    """One occurrence as printed: kept as plain values so a draft never changes later."""

    uid: str  # the calendar entry's UID
    date: str  # YYYY-MM-DD, the day it is printed on
    end_date: str  # YYYY-MM-DD, the same as date for a one-day occurrence
    start_time: str  # hh:mm, or "" for all day
    title: str
    organisation: str  # the organiser as printed (short name)
    kind: str  # calendar EntryKind value
    cancelled: bool


class AnnualCalendar(models.Model):
    council = models.ForeignKey(
        Organisation,
        verbose_name=_("協議会"),
        on_delete=models.PROTECT,
        related_name="annual_calendars",
    )
    year = models.PositiveSmallIntegerField(_("年"))
    year_kind = models.CharField(
        _("期間"), max_length=16, choices=YearKind.choices, default=YearKind.CALENDAR
    )
    title = models.CharField(_("表題"), max_length=200)
    status = models.CharField(
        _("状態"), max_length=16, choices=CalendarStatus.choices, default=CalendarStatus.EDITING
    )
    include_members = models.BooleanField(_("加入団体(町内会等)の行事も載せる"), default=True)
    excluded_entries = models.ManyToManyField(
        "calendar.Entry",
        verbose_name=_("載せない行事"),
        blank=True,
        related_name="+",
    )
    comments_until = models.DateField(_("意見の締切日"), null=True, blank=True)
    print_run = models.PositiveIntegerField(_("印刷部数"), default=0)
    unit_print_cost = models.PositiveIntegerField(_("1部あたりの印刷費(円)"), default=0)
    notes = models.TextField(_("メモ"), max_length=4000, blank=True)
    finalised_at = models.DateTimeField(_("確定日時"), null=True, blank=True)
    created_at = models.DateTimeField(_("作成日時"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新日時"), default=timezone.now)

    drafts: RelatedManager[CalendarDraft]
    ad_slots: RelatedManager[AdSlot]
    deliveries: RelatedManager[Delivery]

    class Meta:
        verbose_name = _("年間行事カレンダー")
        verbose_name_plural = _("年間行事カレンダー")
        ordering = ("council", "-year")
        constraints = (
            models.UniqueConstraint(
                fields=("council", "year", "year_kind"),
                name="annual_calendar_one_per_year",
                violation_error_message=_("この協議会のこの年のカレンダーはすでにあります。"),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100),
                name="annual_calendar_year_range",
                violation_error_message=_("年は2000年から2100年の間で入力してください。"),
            ),
            models.CheckConstraint(
                condition=Q(status=CalendarStatus.FINAL, finalised_at__isnull=False)
                | (~Q(status=CalendarStatus.FINAL) & Q(finalised_at__isnull=True)),
                name="annual_calendar_final_has_date",
            ),
        )

    def __str__(self) -> str:
        return self.title

    @property
    def first_day(self) -> datetime.date:
        month = 1 if self.year_kind == YearKind.CALENDAR else 4
        return datetime.date(self.year, month, 1)

    @property
    def last_day(self) -> datetime.date:
        if self.year_kind == YearKind.CALENDAR:
            return datetime.date(self.year, 12, 31)
        return datetime.date(self.year + 1, 3, 31)

    @property
    def months(self) -> list[tuple[int, int]]:
        """The twelve (year, month) pairs of the sheet, in order."""
        first = self.first_day
        return [
            (first.year + (first.month - 1 + i) // 12, (first.month - 1 + i) % 12 + 1)
            for i in range(12)
        ]

    @property
    def period_label(self) -> str:
        """「令和9年(2027年)」 or 「令和9年度(2027年度)」."""
        if self.year_kind == YearKind.CALENDAR:
            return f"{format_era_year(*to_wareki(self.first_day))}({self.year}年)"
        return f"{format_fiscal_year(self.year)}({self.year}年度)"

    @property
    def period_range(self) -> str:
        return f"{format_date(self.first_day)}〜{format_date(self.last_day)}"


class CalendarDraft(models.Model):
    calendar = models.ForeignKey(
        AnnualCalendar,
        verbose_name=_("カレンダー"),
        on_delete=models.CASCADE,
        related_name="drafts",
    )
    number = models.PositiveSmallIntegerField(_("版"))
    lines = models.JSONField(_("掲載する行事"), default=list)
    message = models.TextField(_("委員へのお知らせ"), max_length=2000, blank=True)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("作成者"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    taken_at = models.DateTimeField(_("作成日時"), default=timezone.now)

    comments: RelatedManager[CalendarComment]

    class Meta:
        verbose_name = _("カレンダー原稿")
        verbose_name_plural = _("カレンダー原稿")
        ordering = ("calendar", "number")
        constraints = (
            models.UniqueConstraint(fields=("calendar", "number"), name="calendar_draft_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="calendar_draft_number_gte_1"),
        )

    def __str__(self) -> str:
        return f"{self.calendar} 第{self.number}稿"

    @property
    def draft_lines(self) -> list[DraftLine]:
        return list(self.lines)


class CalendarComment(models.Model):
    """A member's comment on a draft (「この行事の日付が違う」), answered by the committee."""

    draft = models.ForeignKey(
        CalendarDraft,
        verbose_name=_("原稿"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("団体"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("投稿者"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    author_name = models.CharField(_("投稿者名"), max_length=100)
    body = models.TextField(_("意見"), max_length=2000)
    reply = models.TextField(_("回答"), max_length=2000, blank=True)
    resolved_at = models.DateTimeField(_("対応日時"), null=True, blank=True)
    created_at = models.DateTimeField(_("投稿日時"), default=timezone.now)

    class Meta:
        verbose_name = _("原稿への意見")
        verbose_name_plural = _("原稿への意見")
        ordering = ("draft", "created_at", "pk")
        constraints = (
            models.CheckConstraint(condition=~Q(body=""), name="calendar_comment_not_empty"),
        )

    def __str__(self) -> str:
        return f"{self.draft} {self.author_name}"


class AdSlot(models.Model):
    """An advertisement on the sheet: a rectangle of boxes in the advertisement band, the
    sponsor's artwork or text, the fee, and whether it was invoiced and paid. A paid slot
    is the ledger's advertising income (see the ledger services)."""

    calendar = models.ForeignKey(
        AnnualCalendar,
        verbose_name=_("カレンダー"),
        on_delete=models.CASCADE,
        related_name="ad_slots",
    )
    sponsor = models.CharField(_("広告主"), max_length=100)
    sponsor_contact = models.CharField(_("広告主の担当者・連絡先"), max_length=200, blank=True)
    column = models.PositiveSmallIntegerField(_("位置(左から)"))
    row = models.PositiveSmallIntegerField(_("位置(上から)"))
    width = models.PositiveSmallIntegerField(_("横の枠数"), default=1)
    height = models.PositiveSmallIntegerField(_("縦の枠数"), default=1)
    fee = models.PositiveIntegerField(_("広告料(円)"))
    text = models.TextField(_("広告文"), max_length=300, blank=True)
    artwork = models.ImageField(
        _("広告の画像"), upload_to="publications/ads/", blank=True, max_length=200
    )
    invoiced_on = models.DateField(_("請求日"), null=True, blank=True)
    paid_on = models.DateField(_("入金日"), null=True, blank=True)
    created_at = models.DateTimeField(_("登録日時"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新日時"), default=timezone.now)

    class Meta:
        verbose_name = _("広告枠")
        verbose_name_plural = _("広告枠")
        ordering = ("calendar", "row", "column")
        constraints = (
            models.CheckConstraint(
                condition=Q(width__gte=1, height__gte=1),
                name="ad_slot_size_positive",
                violation_error_message=_("広告の大きさは1枠以上にしてください。"),
            ),
            models.CheckConstraint(
                condition=Q(column__lt=AD_GRID.columns - F("width") + 1)
                & Q(row__lt=AD_GRID.rows - F("height") + 1),
                name="ad_slot_inside_band",
                violation_error_message=_("広告が広告欄からはみ出しています。"),
            ),
            models.CheckConstraint(
                condition=~Q(text="", artwork=""),
                name="ad_slot_has_content",
                violation_error_message=_("広告の画像か広告文のどちらかを入れてください。"),
            ),
            models.CheckConstraint(
                condition=Q(paid_on__isnull=True)
                | Q(invoiced_on__isnull=True)
                | Q(paid_on__gte=F("invoiced_on")),
                name="ad_slot_paid_after_invoice",
                violation_error_message=_("入金日は請求日より後の日付にしてください。"),
            ),
        )

    def __str__(self) -> str:
        return f"{self.sponsor}({self.width}×{self.height}枠)"

    @property
    def cells(self) -> set[tuple[int, int]]:
        return {
            (self.column + dx, self.row + dy)
            for dx in range(self.width)
            for dy in range(self.height)
        }


class Delivery(models.Model):
    """How many copies an association receives for its households (全戸配布)."""

    calendar = models.ForeignKey(
        AnnualCalendar,
        verbose_name=_("カレンダー"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    association = models.ForeignKey(
        Organisation,
        verbose_name=_("配布先の団体"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    households = models.PositiveIntegerField(_("世帯数"), default=0)
    copies = models.PositiveIntegerField(_("配布部数"), default=0)
    delivered_on = models.DateField(_("配布日"), null=True, blank=True)
    note = models.CharField(_("備考"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("配布")
        verbose_name_plural = _("配布")
        ordering = ("calendar", "association__kana", "association__name")
        constraints = (
            models.UniqueConstraint(
                fields=("calendar", "association"),
                name="delivery_one_per_association",
                violation_error_message=_("この団体への配布はすでに登録されています。"),
            ),
        )

    def __str__(self) -> str:
        return f"{self.calendar} → {self.association}"
