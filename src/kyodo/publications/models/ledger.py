"""The council's own money (自主財源): one line per receipt or payment, by fiscal year.

Advertising income is never typed in: each paid advertisement slot of the annual calendar
has exactly one ledger line, written and removed by the services as the slot is marked paid
or not, so the ledger's advertising income always equals the paid slots.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyodo.core.dates import fiscal_year
from kyodo.directory.models import Organisation


class Direction(models.TextChoices):
    INCOME = "income", _("収入")
    EXPENSE = "expense", _("支出")


class LedgerCategory(models.TextChoices):
    ADVERTISING = "advertising", _("広告料収入")
    MEMBER_FEES = "member_fees", _("区費・会費")
    GRANTS = "grants", _("交付金・補助金")
    DONATIONS = "donations", _("寄付金")
    OTHER_INCOME = "other_income", _("その他の収入")
    PRINTING = "printing", _("印刷費")
    DELIVERY = "delivery", _("配布費")
    ACTIVITIES = "activities", _("事業費")
    OTHER_EXPENSE = "other_expense", _("その他の支出")


INCOME_CATEGORIES = (
    LedgerCategory.ADVERTISING,
    LedgerCategory.MEMBER_FEES,
    LedgerCategory.GRANTS,
    LedgerCategory.DONATIONS,
    LedgerCategory.OTHER_INCOME,
)
EXPENSE_CATEGORIES = tuple(c for c in LedgerCategory if c not in INCOME_CATEGORIES)


class LedgerLine(models.Model):
    council = models.ForeignKey(
        Organisation,
        verbose_name=_("協議会"),
        on_delete=models.PROTECT,
        related_name="ledger_lines",
    )
    fiscal_year = models.PositiveSmallIntegerField(_("年度"), editable=False)
    date = models.DateField(_("日付"))
    category = models.CharField(_("科目"), max_length=20, choices=LedgerCategory.choices)
    description = models.CharField(_("摘要"), max_length=200)
    amount = models.PositiveBigIntegerField(_("金額(円)"))
    ad_slot = models.OneToOneField(
        "publications.AdSlot",
        verbose_name=_("広告枠"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="ledger_line",
    )
    note = models.CharField(_("備考"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("記入者"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("記入日時"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新日時"), default=timezone.now)

    class Meta:
        verbose_name = _("出納")
        verbose_name_plural = _("出納")
        ordering = ("council", "date", "pk")
        indexes = (models.Index(fields=("council", "fiscal_year")),)
        constraints = (
            models.CheckConstraint(
                condition=Q(
                    date__gte=datetime.date(2000, 1, 1), date__lte=datetime.date(2100, 12, 31)
                ),
                name="ledger_date_range",
                violation_error_message=_(
                    "日付は2000年1月1日から2100年12月31日までの範囲で入力してください。"
                ),
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="ledger_amount_positive",
                violation_error_message=_("金額は1円以上で入力してください。"),
            ),
            models.CheckConstraint(
                condition=Q(category=LedgerCategory.ADVERTISING, ad_slot__isnull=False)
                | (~Q(category=LedgerCategory.ADVERTISING) & Q(ad_slot__isnull=True)),
                name="ledger_advertising_from_slots",
                violation_error_message=_(
                    "広告料収入は広告枠の入金から自動で記帳されます。直接は入力できません。"
                ),
            ),
        )

    def __str__(self) -> str:
        return f"{self.date} {self.get_category_display()} {self.amount}円"

    def save(self, *args: object, **kwargs: object) -> None:
        self.fiscal_year = fiscal_year(self.date)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def direction(self) -> Direction:
        return Direction.INCOME if self.category in INCOME_CATEGORIES else Direction.EXPENSE
