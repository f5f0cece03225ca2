"""Input of the council's ledger."""

from __future__ import annotations

import datetime
import re
import unicodedata
from typing import Any

from django import forms

from kyodo.calendar.services import FIRST_DAY, LAST_DAY, OUT_OF_RANGE
from kyodo.core.forms import model_fields
from kyodo.publications.models import LedgerCategory, LedgerLine

MAX_AMOUNT = 10**11  # a hundred billion yen: no council books more in one line
NOT_A_NUMBER = "金額は数字で入力してください(例: 12000、12,000円)。"
_SEPARATORS = re.compile(r"[,、\s]|円$")


class AmountField(forms.CharField):
    """Yen as people type them: 「12,000」「１２０００円」「12000」. Anything else is refused
    with a message, never guessed."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})

    def clean(self, value: Any) -> int | None:
        text = super().clean(value)
        if not text:
            return None
        digits = _SEPARATORS.sub("", unicodedata.normalize("NFKC", text).strip())
        if not digits.isascii() or not digits.isdigit():
            raise forms.ValidationError(NOT_A_NUMBER, code="not_a_number")
        amount = int(digits)
        if amount <= 0:
            raise forms.ValidationError("金額は1円以上で入力してください。", code="min_value")
        if amount > MAX_AMOUNT:
            raise forms.ValidationError("金額が大きすぎます。", code="max_value")
        return amount


@model_fields(
    LedgerLine,
    ("date", "category", "description", "note"),
    widgets={"date": forms.DateInput(attrs={"type": "date"})},
)
class LedgerLineForm(forms.Form):
    amount = AmountField(label="金額(円)")

    field_order = ("date", "category", "description", "amount", "note")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Advertising income comes from the paid advertisement slots, never typed in.
        field = self.fields["category"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            (value, label)
            for value, label in LedgerCategory.choices
            if value != LedgerCategory.ADVERTISING
        ]
        self.order_fields(self.field_order)

    def clean_date(self) -> datetime.date:
        date: datetime.date = self.cleaned_data["date"]
        if not FIRST_DAY <= date <= LAST_DAY:
            raise forms.ValidationError(OUT_OF_RANGE, code="out_of_range")
        return date

    def values(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


def line_initial(line: LedgerLine) -> dict[str, Any]:
    return {
        "date": line.date,
        "category": line.category,
        "description": line.description,
        "amount": f"{line.amount}",
        "note": line.note,
    }
