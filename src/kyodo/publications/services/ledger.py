"""Every write of the council's ledger (自主財源)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from kyodo.core import audit
from kyodo.publications.models import AdSlot, LedgerCategory, LedgerLine


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
