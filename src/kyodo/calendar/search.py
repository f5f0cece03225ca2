"""Calendar entries as the site search finds them (kind ``entry``).

An entry is found while the public calendar shows it: published, or cancelled (it stays
listed, marked as cancelled); a draft never. The document holds what the entry's public page
says about the event, except the contact person and telephone number: a community
council's contact is often a resident's own name and phone, which the page shows to those
who came for the event but which a site-wide search should not lead to."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.db.models import QuerySet
from django.dispatch import receiver

from kyodo.calendar.models import Entry, EntryKind
from kyodo.core.dates import fiscal_year
from kyodo.core.models import SearchAudience
from kyodo.core.search import index
from kyodo.core.search.registry import Document, Source, register
from kyodo.directory.queries import municipality_of
from kyodo.directory.signals import organisations_renamed_or_moved

KIND = "entry"


def queryset() -> QuerySet[Entry]:
    # The organisation's parents, for municipality_of from an association under a council.
    return Entry.objects.visible().select_related("organisation__parent__parent__parent")


def build(entry: Entry) -> Document | None:
    observing = ""
    if entry.kind == EntryKind.MEETING:
        observing = f"傍聴: {entry.get_observer_policy_display()}"
    lines = [
        f"中止: {entry.cancel_reason}" if entry.is_cancelled else "",
        entry.get_kind_display(),
        entry.date_note,
        " ".join(part for part in (entry.venue_name, entry.building, entry.address) if part),
        entry.access,
        entry.parking,
        observing,
        entry.observer_how if entry.kind == EntryKind.MEETING else "",
        f"主催: {entry.organiser}",
        entry.fee_detail,
        entry.apply_method,
        entry.description,
        entry.agenda,
        entry.notes,
    ]
    municipality = municipality_of(entry.organisation)
    return Document(
        title=f"【中止】{entry.title}" if entry.is_cancelled else entry.title,
        body="\n".join(line for line in lines if line),
        url=entry.get_absolute_url(),
        audience=SearchAudience.PUBLIC,
        network_id=None,
        municipality_id=municipality.pk if municipality else None,
        fiscal_year=fiscal_year(entry.start_date),
        date=entry.start_date,
    )


register(Source(kind=KIND, label="行事・会議予定", order=50, queryset=queryset, build=build))


@receiver(organisations_renamed_or_moved, dispatch_uid="calendar.search")
def refresh_entries_of(*, organisation_ids: Collection[int], **kwargs: Any) -> None:
    """An entry shows its organisation's name as the organiser and counts in the
    organisation's municipality."""
    entries = Entry.objects.visible().filter(organisation_id__in=organisation_ids)
    index.refresh(KIND, entries.values_list("pk", flat=True))
