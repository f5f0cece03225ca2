"""Demo publications of the demo council: its ledger over three fiscal years, the annual
event calendar of the coming year with advertisements and delivery, and two newsletter
issues. All people, shops and figures are invented and marked (デモ)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from kyodo.core.dates import fiscal_year
from kyodo.directory.models import Organisation, User
from kyodo.publications.models import LedgerCategory
from kyodo.publications.services.ledger import ledger_line_save

COUNCIL = "(デモ)みなみ校区コミュニティ協議会"
OFFICER = "officer@kyodo.example"


def _ledger(council: Organisation, officer: User, this_year: int) -> None:
    """Three fiscal years of income and spending, growing as in the case city: member fees
    raised by 200 yen a household to pay for the calendar, advertising income rising."""
    for offset, (households, grant) in enumerate([(820, 300000), (815, 250000), (812, 200000)]):
        year = this_year - 2 + offset
        fee = 1200 if offset == 0 else 1400  # 区費 raised by 200 yen for the calendar
        lines: list[dict[str, Any]] = [
            {
                "date": datetime.date(year, 5, 20),
                "category": LedgerCategory.MEMBER_FEES,
                "description": f"区費 {households}世帯 × {fee}円(各町内会から)",
                "amount": households * fee,
            },
            {
                "date": datetime.date(year, 6, 10),
                "category": LedgerCategory.GRANTS,
                "description": "(デモ)地域コミュニティ活動交付金",
                "amount": grant,
            },
            {
                "date": datetime.date(year, 8, 20),
                "category": LedgerCategory.DONATIONS,
                "description": "夏祭りへのご寄付(デモ)",
                "amount": 30000 + offset * 5000,
            },
            {
                "date": datetime.date(year + 1, 1, 25),
                "category": LedgerCategory.PRINTING,
                "description": "年間行事カレンダー印刷代 900部",
                "amount": 180000,
            },
            {
                "date": datetime.date(year, 11, 5),
                "category": LedgerCategory.ACTIVITIES,
                "description": "校区夏祭り・文化祭の事業費",
                "amount": 260000,
            },
            {
                "date": datetime.date(year, 7, 1),
                "category": LedgerCategory.PRINTING,
                "description": "協議会だより印刷代(年4回)",
                "amount": 64000,
            },
        ]
        for values in lines:
            if values["date"] <= timezone.localdate():
                ledger_line_save(council=council, values={"note": "", **values}, actor=officer)


def load() -> None:
    council = Organisation.objects.get(name=COUNCIL)
    officer = User.objects.get(email=OFFICER)
    _ledger(council, officer, fiscal_year(timezone.localdate()))
