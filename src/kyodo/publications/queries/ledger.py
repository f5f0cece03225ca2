"""Reads of the council's ledger: the lines of a fiscal year and the sums by category."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404

from kyodo.directory.models import Organisation
from kyodo.publications.models import LedgerCategory, LedgerLine
from kyodo.publications.models.ledger import EXPENSE_CATEGORIES, INCOME_CATEGORIES
from kyodo.publications.rules import PUBLISHER_KINDS


def council_by_pk(*, council_pk: int, **_: Any) -> Organisation:
    return get_object_or_404(Organisation, pk=council_pk, kind__in=PUBLISHER_KINDS)


@dataclass(frozen=True)
class CouncilYear:
    """A council's fiscal year, named by a URL; the rules read ``council`` from it."""

    council: Organisation
    fiscal_year: int


FIRST_YEAR, LAST_YEAR = 2000, 2100


def council_year(*, council_pk: int, fiscal_year: int, **_: Any) -> CouncilYear:
    if not FIRST_YEAR <= fiscal_year <= LAST_YEAR:
        raise Http404
    return CouncilYear(council=council_by_pk(council_pk=council_pk), fiscal_year=fiscal_year)


def line_by_pk(*, pk: int, **_: Any) -> LedgerLine:
    return get_object_or_404(
        LedgerLine.objects.select_related("council", "ad_slot__calendar"), pk=pk
    )


def lines(council: Organisation, fiscal_year: int) -> QuerySet[LedgerLine]:
    return LedgerLine.objects.filter(council=council, fiscal_year=fiscal_year).select_related(
        "ad_slot__calendar"
    )


@dataclass
class CategorySum:
    category: LedgerCategory
    amount: int
    count: int


@dataclass
class YearSummary:
    fiscal_year: int
    income: list[CategorySum] = field(default_factory=list)
    expense: list[CategorySum] = field(default_factory=list)

    @property
    def income_total(self) -> int:
        return sum(row.amount for row in self.income)

    @property
    def expense_total(self) -> int:
        return sum(row.amount for row in self.expense)

    @property
    def balance(self) -> int:
        return self.income_total - self.expense_total

    def amount(self, category: str) -> int:
        return next((r.amount for r in [*self.income, *self.expense] if r.category == category), 0)


def _summaries(council: Organisation, years: Sequence[int]) -> dict[int, YearSummary]:
    sums = (
        LedgerLine.objects.filter(council=council, fiscal_year__in=years)
        .values("fiscal_year", "category")
        .annotate(amount=Sum("amount"), count=Count("pk"))
    )
    found: dict[tuple[int, str], tuple[int, int]] = {
        (row["fiscal_year"], row["category"]): (int(row["amount"] or 0), int(row["count"]))
        for row in sums
    }
    result = {}
    for year in years:

        def rows(categories: Sequence[LedgerCategory], year: int = year) -> list[CategorySum]:
            return [
                CategorySum(
                    category=category,
                    amount=found.get((year, category), (0, 0))[0],
                    count=found.get((year, category), (0, 0))[1],
                )
                for category in categories
            ]

        result[year] = YearSummary(
            fiscal_year=year, income=rows(INCOME_CATEGORIES), expense=rows(EXPENSE_CATEGORIES)
        )
    return result


def year_summary(council: Organisation, fiscal_year: int) -> YearSummary:
    """Income and expense of one fiscal year by category, every category listed (0 when
    nothing was booked). One query."""
    return _summaries(council, [fiscal_year])[fiscal_year]


def years_with_lines(council: Organisation) -> list[int]:
    return sorted(
        LedgerLine.objects.filter(council=council).values_list("fiscal_year", flat=True).distinct()
    )


def summaries_across_years(council: Organisation, *, around: int) -> list[YearSummary]:
    """Every fiscal year with lines, plus ``around`` (the year shown), oldest first."""
    years = sorted({*years_with_lines(council), around})
    summaries = _summaries(council, years)
    return [summaries[year] for year in years]
