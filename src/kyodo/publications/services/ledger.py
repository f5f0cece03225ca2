"""Every write of the council's ledger (自主財源)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from kyodo.core import audit
from kyodo.core.dates import fiscal_year
from kyodo.core.services import collect_errors
from kyodo.directory.models import Organisation
from kyodo.publications.models import AdSlot, LedgerCategory, LedgerLine

# What a person types for a line; the fiscal year follows from the date.
LINE_FIELDS = ("date", "category", "description", "amount", "note")
FROM_SLOTS = (
    "広告料収入は年間行事カレンダーの広告枠の入金から自動で記帳されます。"
    "広告枠の画面で入金日を入力してください。"
)


@transaction.atomic
def ledger_line_save(
    *,
    council: Organisation,
    values: dict[str, Any],
    actor: Any,
    line: LedgerLine | None = None,
) -> LedgerLine:
    """Add a receipt or payment to the council's ledger, or change one. Advertising income
    is refused here: it is written from the paid advertisement slots only. Raises
    ValidationError with every problem at once; nothing is saved then. Writes an audit
    entry."""
    if line is not None and line.ad_slot_id is not None:
        raise ValidationError(FROM_SLOTS, code="from_slots")
    if values.get("category") == LedgerCategory.ADVERTISING:
        raise ValidationError({"category": FROM_SLOTS})
    creating = line is None
    if line is None:
        line = LedgerLine(council=council, created_by=actor if actor.is_authenticated else None)
        before: dict[str, str] = {}
    else:
        before = {name: str(getattr(line, name)) for name in LINE_FIELDS}
    for name in LINE_FIELDS:
        setattr(line, name, values.get(name, getattr(line, name)))
    if line.date is not None:
        line.fiscal_year = fiscal_year(line.date)
    line.updated_at = timezone.now()
    errors: dict[str, list[str]] = {}
    collect_errors(line, "", errors, exclude=("fiscal_year",))
    if errors:
        raise ValidationError(errors)
    line.save()
    after = {name: str(getattr(line, name)) for name in LINE_FIELDS}
    audit.record(
        actor=actor,
        action="ledger.add_line" if creating else "ledger.change_line",
        obj=line,
        changes=audit.diff(before, after),
    )
    return line


@transaction.atomic
def ledger_line_delete(*, line: LedgerLine, actor: Any) -> None:
    """Remove a line typed by a person (advertising lines go with their slot's payment).
    Writes an audit entry with what was removed."""
    if line.ad_slot_id is not None:
        raise ValidationError(FROM_SLOTS, code="from_slots")
    audit.record(
        actor=actor,
        action="ledger.delete_line",
        obj=line,
        changes={name: [str(getattr(line, name)), ""] for name in LINE_FIELDS},
    )
    line.delete()


@transaction.atomic
def ledger_sync_ad_slot(*, slot: AdSlot, actor: Any) -> LedgerLine | None:
    """Keep the advertising income line of one advertisement slot equal to the slot: a paid
    slot has one line (dated the day it was paid, for its fee), an unpaid slot none. Called by
    every service that saves a slot, in the same transaction. Writes an audit entry when the
    line is added, changed or removed."""
    line = LedgerLine.objects.filter(ad_slot=slot).first()
    if slot.paid_on is None or slot.fee == 0:
        if line is not None:
            audit.record(
                actor=actor,
                action="ledger.remove_ad_income",
                obj=line,
                changes={"amount": [str(line.amount), ""]},
            )
            line.delete()
        return None
    values = {
        "council_id": slot.calendar.council_id,
        "date": slot.paid_on,
        "category": LedgerCategory.ADVERTISING,
        "description": f"広告料 {slot.sponsor}({slot.calendar.title})"[:200],
        "amount": slot.fee,
    }
    if line is None:
        line = LedgerLine(ad_slot=slot, created_by=actor if actor.is_authenticated else None)
        before: dict[str, str] = {}
    else:
        before = {name: str(getattr(line, name)) for name in values}
    for name, value in values.items():
        setattr(line, name, value)
    line.updated_at = timezone.now()
    line.full_clean()
    line.save()
    after = {name: str(getattr(line, name)) for name in values}
    if before != after:
        audit.record(
            actor=actor, action="ledger.sync_ad_income", obj=line, changes=audit.diff(before, after)
        )
    return line
