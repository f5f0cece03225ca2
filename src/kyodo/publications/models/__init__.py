"""What a community council publishes and pays for: the annual event calendar
(年間行事カレンダー) with its advertisements and delivery, the newsletter (協議会だより) with
its notices, and the council's own ledger (自主財源)."""

from kyodo.publications.models.annual import (
    AD_GRID,
    AdSlot,
    AnnualCalendar,
    CalendarComment,
    CalendarDraft,
    CalendarStatus,
    Delivery,
    DraftLine,
    SheetFormat,
    YearKind,
)
from kyodo.publications.models.ledger import Direction, LedgerCategory, LedgerLine
from kyodo.publications.models.newsletter import (
    OBITUARY_FIELDS,
    Article,
    IssueStatus,
    NewsletterIssue,
    Notice,
    NoticeKind,
)

__all__ = [
    "AD_GRID",
    "OBITUARY_FIELDS",
    "AdSlot",
    "AnnualCalendar",
    "Article",
    "CalendarComment",
    "CalendarDraft",
    "CalendarStatus",
    "Delivery",
    "Direction",
    "DraftLine",
    "IssueStatus",
    "LedgerCategory",
    "LedgerLine",
    "NewsletterIssue",
    "Notice",
    "NoticeKind",
    "SheetFormat",
    "YearKind",
]
