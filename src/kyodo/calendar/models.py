"""The community calendar: the events and meetings that organisations post, with whether
outsiders may observe a meeting (傍聴の可否).

Dates and times are stored as the local wall-clock date and time in Japan, as the
organisers write them and as the open-data event list carries them (開始日 / 開始時間);
feeds attach Asia/Tokyo to them. An entry without times is an all-day entry.
"""

from __future__ import annotations

import datetime
import uuid
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyodo.directory.models import Organisation

if TYPE_CHECKING:
    from django_stubs_ext.db.models.manager import RelatedManager

# A recurring entry must say until when it repeats, and at most this long: every occurrence
# can then be listed (in the open-data file too) and none runs on forever by mistake.
MAX_REPEAT_DAYS = 3 * 366


class EntryKind(models.TextChoices):
    EVENT = "event", _("行事・イベント")
    MEETING = "meeting", _("会議")


class EntryStatus(models.TextChoices):
    DRAFT = "draft", _("下書き")
    PUBLISHED = "published", _("公開中")
    CANCELLED = "cancelled", _("中止")


# What the public sees: a cancelled entry stays visible, marked as cancelled.
VISIBLE_STATUSES = (EntryStatus.PUBLISHED, EntryStatus.CANCELLED)


class ObserverPolicy(models.TextChoices):
    OPEN = "open", _("傍聴可")
    CLOSED = "closed", _("傍聴不可")
    ADVANCE = "advance", _("傍聴要事前申込")


class Repeat(models.TextChoices):
    NONE = "", _("繰り返さない")
    WEEKLY = "weekly", _("毎週(同じ曜日)")
    MONTHLY_WEEKDAY = "monthly_weekday", _("毎月(第N何曜日)")
    MONTHLY_DAY = "monthly_day", _("毎月(同じ日付)")


class EntryQuerySet(models.QuerySet["Entry"]):
    def visible(self) -> EntryQuerySet:
        return self.filter(status__in=VISIBLE_STATUSES)

    def overlapping(self, first: datetime.date, last: datetime.date) -> EntryQuerySet:
        """Entries with an occurrence that may fall between ``first`` and ``last`` inclusive."""
        return self.filter(start_date__lte=last, last_date__gte=first)


class Entry(models.Model):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("組織"),
        on_delete=models.PROTECT,
        related_name="calendar_entries",
    )
    kind = models.CharField(_("種類"), max_length=16, choices=EntryKind.choices)
    status = models.CharField(
        _("状態"), max_length=16, choices=EntryStatus.choices, default=EntryStatus.DRAFT
    )
    title = models.CharField(_("名称"), max_length=200)
    title_kana = models.CharField(
        _("名称のよみがな"), max_length=200, help_text=_("カタカナまたはひらがな")
    )
    title_en = models.CharField(_("名称(英語)"), max_length=200, blank=True)
    start_date = models.DateField(_("開始日"))
    end_date = models.DateField(_("終了日"))
    start_time = models.TimeField(
        _("開始時間"), null=True, blank=True, help_text=_("終日の行事は空欄")
    )
    end_time = models.TimeField(_("終了時間"), null=True, blank=True)
    date_note = models.CharField(
        _("日時の特記事項"), max_length=200, blank=True, help_text=_("例: 雨天の場合は翌週に延期")
    )
    repeat = models.CharField(
        _("繰り返し"), max_length=16, choices=Repeat.choices, default=Repeat.NONE, blank=True
    )
    repeat_interval = models.PositiveSmallIntegerField(
        _("間隔"), default=1, help_text=_("2なら隔週・隔月")
    )
    repeat_until = models.DateField(_("繰り返しの終了日"), null=True, blank=True)
    # The last day on which the entry takes place; kept by save() so that a month's entries
    # are found with one indexed range query.
    last_date = models.DateField(editable=False)
    description = models.TextField(_("説明"))
    fee_amount = models.PositiveIntegerField(
        _("料金(基本)"), null=True, blank=True, help_text=_("円。無料なら0")
    )
    fee_detail = models.CharField(_("料金(詳細)"), max_length=200, blank=True)
    contact_name = models.CharField(_("連絡先名称"), max_length=200, blank=True)
    contact_phone = models.CharField(_("連絡先電話番号"), max_length=20, blank=True)
    contact_extension = models.CharField(_("連絡先内線番号"), max_length=10, blank=True)
    organiser_name = models.CharField(
        _("主催者"), max_length=200, blank=True, help_text=_("空欄なら組織名")
    )
    venue_name = models.CharField(_("場所名称"), max_length=200)
    address = models.CharField(_("住所"), max_length=300)
    building = models.CharField(_("方書"), max_length=200, blank=True, help_text=_("建物名・部屋"))
    latitude = models.DecimalField(_("緯度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(
        _("経度"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    access = models.CharField(_("アクセス方法"), max_length=300, blank=True)
    parking = models.CharField(_("駐車場情報"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("定員"), null=True, blank=True)
    apply_by_date = models.DateField(_("参加申込終了日"), null=True, blank=True)
    apply_by_time = models.TimeField(_("参加申込終了時間"), null=True, blank=True)
    apply_method = models.CharField(_("参加申込方法"), max_length=300, blank=True)
    url = models.URLField(_("URL"), blank=True)
    notes = models.TextField(_("備考"), blank=True)
    observer_policy = models.CharField(
        _("傍聴"), max_length=16, choices=ObserverPolicy.choices, blank=True
    )
    observer_how = models.TextField(
        _("傍聴の申込方法"), blank=True, help_text=_("申込先・締切など")
    )
    agenda = models.TextField(_("議題"), blank=True)
    cancel_reason = models.CharField(_("中止の理由"), max_length=300, blank=True)
    # The entry's VEVENT as the feeds serve it, rendered by the services on every change so
    # that a feed of thousands of entries streams stored text (see queries.feed).
    ical = models.TextField(blank=True, editable=False)
    # The site address the stored VEVENT links to: a moved site renders it again.
    ical_site = models.CharField(max_length=200, blank=True, editable=False)
    # RFC 5545 SEQUENCE: raised on every change after publication, so calendar
    # applications replace their copy.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    published_at = models.DateTimeField(_("公開日時"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("作成日時"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("更新日時"), default=timezone.now, editable=False)

    objects = EntryQuerySet.as_manager()

    if TYPE_CHECKING:
        exceptions: RelatedManager[EntryException]

    class Meta:
        verbose_name = _("行事・会議")
        verbose_name_plural = _("行事・会議")
        ordering = ("start_date", "start_time", "pk")
        indexes = (
            models.Index(fields=("status", "last_date", "start_date"), name="entry_window"),
            models.Index(fields=("organisation", "start_date"), name="entry_organisation"),
        )
        constraints = (
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="entry_ends_after_start",
                violation_error_message="終了日は開始日以降の日にしてください。",
            ),
            models.CheckConstraint(
                condition=Q(start_time__isnull=True, end_time__isnull=True)
                | Q(start_time__isnull=False, end_time__isnull=False),
                name="entry_times_both_or_none",
                violation_error_message="開始時間と終了時間は両方入力するか、終日なら両方空欄にしてください。",
            ),
            models.CheckConstraint(
                condition=~Q(end_date=F("start_date"))
                | Q(start_time__isnull=True)
                | Q(end_time__gt=F("start_time")),
                name="entry_time_order",
                violation_error_message="終了時間は開始時間より後にしてください。",
            ),
            models.CheckConstraint(
                condition=Q(kind=EntryKind.MEETING, observer_policy__in=ObserverPolicy.values)
                | Q(kind=EntryKind.EVENT, observer_policy=""),
                name="entry_observer_policy_for_meetings",
                violation_error_message="会議には傍聴の可否を選んでください(行事には不要です)。",
            ),
            models.CheckConstraint(
                condition=Q(repeat="", repeat_until__isnull=True)
                | (
                    ~Q(repeat="")
                    & Q(repeat_until__isnull=False)
                    & Q(repeat_until__gte=F("start_date"))
                    & Q(end_date=F("start_date"))
                ),
                name="entry_repeat_shape",
                violation_error_message=(
                    "繰り返す行事は1日のものに限り、開始日以降の繰り返しの終了日が必要です。"
                ),
            ),
            models.CheckConstraint(
                condition=Q(repeat_interval__gte=1, repeat_interval__lte=12),
                name="entry_repeat_interval_range",
                violation_error_message="繰り返しの間隔は1から12にしてください。",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="entry_latitude_range",
                violation_error_message="緯度は-90から90の範囲で入力してください。",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="entry_longitude_range",
                violation_error_message="経度は-180から180の範囲で入力してください。",
            ),
            models.CheckConstraint(
                condition=Q(status=EntryStatus.CANCELLED) | Q(cancel_reason=""),
                name="entry_cancel_reason_only_when_cancelled",
            ),
        )

    def __str__(self) -> str:
        return self.title

    def save(self, *args: object, **kwargs: object) -> None:
        last = self.repeat_until if self.repeat else None
        self.last_date = last or self.end_date
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def get_absolute_url(self) -> str:
        return reverse("calendar:entry", kwargs={"pk": self.pk})

    @property
    def is_all_day(self) -> bool:
        return self.start_time is None

    @property
    def is_cancelled(self) -> bool:
        return self.status == EntryStatus.CANCELLED

    @property
    def organiser(self) -> str:
        return self.organiser_name or self.organisation.name


class EntryException(models.Model):
    """A date on which a recurring entry does not take place (RFC 5545 EXDATE)."""

    entry = models.ForeignKey(
        Entry, verbose_name=_("行事・会議"), on_delete=models.CASCADE, related_name="exceptions"
    )
    date = models.DateField(_("休止日"))
    note = models.CharField(_("理由"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("休止日")
        verbose_name_plural = _("休止日")
        ordering = ("date",)
        constraints = (
            models.UniqueConstraint(fields=("entry", "date"), name="entry_exception_unique"),
        )

    def __str__(self) -> str:
        return f"{self.entry} {self.date:%Y-%m-%d}"
