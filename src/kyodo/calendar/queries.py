"""Reads of the calendar: filtered entries, their occurrences in a window, the month grid,
and the iCalendar feed. Each page costs a fixed number of queries whatever the number of
entries; occurrences of recurring entries are expanded in Python from one row each."""

from __future__ import annotations

import datetime
import hashlib
import unicodedata
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, Max, Q
from django.shortcuts import get_object_or_404
from icalendar import Calendar, Event, Timezone

from kyodo.calendar import recurrence
from kyodo.calendar.models import (
    VISIBLE_STATUSES,
    Entry,
    EntryException,
    EntryKind,
    EntryQuerySet,
    EntryStatus,
    ObserverPolicy,
)
from kyodo.core.dates import holiday_name
from kyodo.core.services import site_url
from kyodo.directory.models import Organisation, OrganisationKind
from kyodo.directory.queries import descendant_ids
from kyodo.directory.rules import roles_of

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
OBSERVABLE = (ObserverPolicy.OPEN, ObserverPolicy.ADVANCE)
# Areas a calendar can be narrowed to: a municipality or a community council, with
# everything under it in the organisation tree.
AREA_KINDS = (OrganisationKind.MUNICIPALITY, OrganisationKind.COMMUNITY_COUNCIL)
# The agenda list shows at most this many occurrences; narrower filters show the rest.
LIST_LIMIT = 500


@dataclass(frozen=True)
class Filters:
    """What a calendar page or feed shows. The same filters, in the same URL parameters,
    drive the month grid, the week and agenda lists, the iCal feed and the API."""

    area: Organisation | None = None
    organisation: Organisation | None = None
    kind: str = ""
    observable: bool = False
    words: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (self.area or self.organisation or self.kind or self.observable or self.words)


def normalise(text: str) -> str:
    """NFKC: full-width letters and digits and half-width katakana compare equal."""
    return unicodedata.normalize("NFKC", text).strip()


def split_words(text: str) -> tuple[str, ...]:
    return tuple(word for word in normalise(text).split() if word)[:5]


def filtered(filters: Filters, *, visible_only: bool = True) -> EntryQuerySet:
    """The entries the filters select, without a date window."""
    entries = Entry.objects.all()
    if visible_only:
        entries = entries.visible()
    if filters.area is not None:
        entries = entries.filter(organisation_id__in=descendant_ids(filters.area))
    if filters.organisation is not None:
        entries = entries.filter(organisation=filters.organisation)
    if filters.kind:
        entries = entries.filter(kind=filters.kind)
    if filters.observable:
        entries = entries.filter(kind=EntryKind.MEETING, observer_policy__in=OBSERVABLE).exclude(
            status=EntryStatus.CANCELLED
        )
    for word in filters.words:
        entries = entries.filter(
            Q(title__icontains=word)
            | Q(title_kana__icontains=word)
            | Q(description__icontains=word)
            | Q(agenda__icontains=word)
            | Q(venue_name__icontains=word)
            | Q(address__icontains=word)
            | Q(organiser_name__icontains=word)
            | Q(organisation__name__icontains=word)
        )
    return entries


@dataclass(frozen=True)
class Occurrence:
    """One time an entry takes place: the entry itself, or one date of a recurring one."""

    entry: Entry
    start: datetime.date
    end: datetime.date

    @property
    def sort_key(self) -> tuple[datetime.date, datetime.time, str, int]:
        return (
            self.start,
            self.entry.start_time or datetime.time.min,
            self.entry.title,
            self.entry.pk,
        )


def occurrences(
    entries: Iterable[Entry], first: datetime.date, last: datetime.date
) -> list[Occurrence]:
    """Every occurrence touching first..last, in order. Entries must come with their
    exceptions prefetched (see :func:`window`)."""
    found = []
    for entry in entries:
        length = entry.end_date - entry.start_date
        skipped = [exception.date for exception in entry.exceptions.all()] if entry.repeat else []
        for start in recurrence.occurrence_dates(entry, first, last, skipped):
            found.append(Occurrence(entry, start, start + length))
    found.sort(key=lambda occurrence: occurrence.sort_key)
    return found


def window(filters: Filters, first: datetime.date, last: datetime.date) -> list[Occurrence]:
    """The occurrences the filters select between first and last (inclusive)."""
    entries = (
        filtered(filters)
        .overlapping(first, last)
        .select_related("organisation")
        .prefetch_related("exceptions")
    )
    return occurrences(entries, first, last)


@dataclass
class Day:
    date: datetime.date
    in_month: bool
    holiday: str | None
    occurrences: list[Occurrence] = field(default_factory=list)

    @property
    def weekday(self) -> int:
        """0 for Sunday to 6 for Saturday, the order of a Japanese calendar."""
        return (self.date.weekday() + 1) % 7


def add_months(month: datetime.date, count: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def month_span(month: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first Sunday on or before the 1st to the last Saturday on or after the month's end:
    the days a month grid shows."""
    first = month - datetime.timedelta(days=(month.weekday() + 1) % 7)
    end = add_months(month, 1) - datetime.timedelta(days=1)
    last = end + datetime.timedelta(days=(5 - end.weekday()) % 7)
    return first, last


def days(
    first: datetime.date, last: datetime.date, found: list[Occurrence], month: int | None = None
) -> list[Day]:
    """Each day from first to last with the occurrences that cover it."""
    result = []
    by_day: dict[datetime.date, list[Occurrence]] = defaultdict(list)
    for occurrence in found:
        day = max(occurrence.start, first)
        while day <= min(occurrence.end, last):
            by_day[day].append(occurrence)
            day += datetime.timedelta(days=1)
    day = first
    while day <= last:
        result.append(
            Day(
                date=day,
                in_month=month is None or day.month == month,
                holiday=holiday_name(day),
                occurrences=by_day.get(day, []),
            )
        )
        day += datetime.timedelta(days=1)
    return result


def month_weeks(filters: Filters, month: datetime.date) -> list[list[Day]]:
    first, last = month_span(month)
    every_day = days(first, last, window(filters, first, last), month.month)
    return [every_day[index : index + 7] for index in range(0, len(every_day), 7)]


def entry_by_pk(pk: int) -> Entry:
    return get_object_or_404(
        Entry.objects.select_related("organisation__parent").prefetch_related("exceptions"),
        pk=pk,
    )


def upcoming_dates(entry: Entry, today: datetime.date, count: int = 12) -> list[datetime.date]:
    """The next dates of a recurring entry, for its page."""
    skipped = [exception.date for exception in entry.exceptions.all()]
    assert entry.repeat_until is not None
    dates = recurrence.occurrence_dates(entry, today, entry.repeat_until, skipped)
    return dates[:count]


def postable_organisations(user: Any) -> list[Organisation]:
    """The organisations whose entries the user posts: those they are an officer, staff
    member or contact of, and the members of a network whose secretariat they are (site
    administrators: every organisation)."""
    organisations = Organisation.objects.order_by("kind", "lgcode", "kana", "name")
    if not getattr(user, "is_superuser", False):
        roles = roles_of(user)
        # As calendar.post_entry: a network's secretariat also posts for its members.
        organisations = organisations.filter(
            Q(pk__in=roles.editable_org_ids)
            | Q(
                network_memberships__network_id__in=roles.secretariat_network_ids,
                network_memberships__left_on__isnull=True,
            )
        ).distinct()
    return list(organisations)


def entries_to_manage(organisation_ids: Iterable[int]) -> list[Entry]:
    return list(
        Entry.objects.filter(organisation_id__in=list(organisation_ids))
        .select_related("organisation")
        .order_by("-start_date", "-pk")[:300]
    )


# --- iCalendar (RFC 5545) -----------------------------------------------------------------


def _moment(day: datetime.date, time: datetime.time | None) -> Any:
    if time is None:
        return day
    return datetime.datetime.combine(day, time, tzinfo=TOKYO)


def _description(entry: Entry, url: str) -> str:
    lines = []
    if entry.is_cancelled:
        lines.append(f"【中止】{entry.cancel_reason}".rstrip())
    if entry.kind == EntryKind.MEETING:
        lines.append(f"傍聴: {entry.get_observer_policy_display()}")
        if entry.observer_how:
            lines.append(f"傍聴の申込方法: {entry.observer_how}")
        if entry.agenda:
            lines.append(f"議題: {entry.agenda}")
    if entry.date_note:
        lines.append(entry.date_note)
    lines.append(entry.description)
    lines.append(f"主催: {entry.organiser}")
    if entry.fee_amount is not None:
        fee = "無料" if entry.fee_amount == 0 else f"{entry.fee_amount:,}円"
        lines.append(f"料金: {fee} {entry.fee_detail}".rstrip())
    if entry.apply_method:
        lines.append(f"申込方法: {entry.apply_method}")
    if entry.contact_name or entry.contact_phone:
        lines.append(f"問い合わせ: {entry.contact_name} {entry.contact_phone}".rstrip())
    lines.append(url)
    return "\n".join(line for line in lines if line)


def ical_event(entry: Entry, exceptions: Iterable[datetime.date], url: str) -> Event:
    event = Event()
    event.add("uid", f"{entry.uid}@kyodo")
    event.add("dtstamp", entry.updated_at)
    event.add("created", entry.created_at)
    event.add("last-modified", entry.updated_at)
    event.add("sequence", entry.sequence)
    prefix = "【中止】" if entry.is_cancelled else ""
    event.add("summary", f"{prefix}{entry.title}")
    event.add("dtstart", _moment(entry.start_date, entry.start_time))
    if entry.is_all_day:
        # DTEND of an all-day entry is the day after its last day (RFC 5545 3.6.1).
        event.add("dtend", entry.end_date + datetime.timedelta(days=1))
    else:
        event.add("dtend", _moment(entry.end_date, entry.end_time))
    if entry.repeat and entry.repeat_until is not None:
        until: Any = entry.repeat_until
        if not entry.is_all_day:
            until = _moment(entry.repeat_until, entry.start_time).astimezone(datetime.UTC)
        event.add("rrule", recurrence.ical_rule(entry, until))
        skipped = sorted(exceptions)
        if skipped:
            event.add("exdate", [_moment(day, entry.start_time) for day in skipped])
    location = " ".join(part for part in (entry.venue_name, entry.building) if part)
    event.add("location", f"{location}({entry.address})" if entry.address else location)
    if entry.latitude is not None and entry.longitude is not None:
        event.add("geo", (float(entry.latitude), float(entry.longitude)))
    event.add("url", url)
    categories = [entry.get_kind_display()]
    if entry.kind == EntryKind.MEETING:
        categories.append(entry.get_observer_policy_display())
    event.add("categories", categories)
    event.add("status", "CANCELLED" if entry.is_cancelled else "CONFIRMED")
    event.add("description", _description(entry, url))
    return event


def stored_ical(entry: Entry, exceptions: Iterable[datetime.date]) -> str:
    """The VEVENT the feeds serve, with the entry's canonical address (``SITE_URL``)."""
    event: bytes = ical_event(entry, exceptions, site_url(entry.get_absolute_url())).to_ical()
    return event.decode()


def _is_fresh(entry: Entry) -> bool:
    """Whether the stored VEVENT still says what the entry and its organisation say (an
    organisation renamed since, or a site moved to another address, is a reason to render
    it again)."""
    return (
        bool(entry.ical)
        and entry.ical_site == settings.SITE_URL
        and entry.updated_at >= entry.organisation.updated_at
    )


def _calendar_head(name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//kyodo//calendar//JA")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Tokyo")
    calendar.add_component(Timezone.from_tzid("Asia/Tokyo"))
    whole: bytes = calendar.to_ical()
    return whole.removesuffix(b"END:VCALENDAR\r\n")


def feed_version(entries: EntryQuerySet) -> tuple[str, datetime.datetime | None]:
    """An ETag and a Last-Modified time for the feed of ``entries`` (drafts included, so that
    withdrawing one moves the time), in one query, so that calendar applications polling an
    unchanged feed get 304 Not Modified instead of the whole file. Withdrawing an entry
    changes the count; renaming an organisation changes its stamp."""
    found = entries.aggregate(
        count=Count("pk", filter=Q(status__in=VISIBLE_STATUSES)),
        entries=Max("updated_at"),
        organisations=Max("organisation__updated_at"),
    )
    stamps = [stamp for stamp in (found["entries"], found["organisations"]) if stamp]
    latest = max(stamps) if stamps else None
    parts = f"{found['count']}:{found['entries']}:{found['organisations']}:{settings.SITE_URL}"
    return hashlib.sha256(parts.encode()).hexdigest()[:32], latest


def feed(entries: EntryQuerySet, *, name: str) -> Iterator[bytes]:
    """The filtered calendar as an RFC 5545 stream: the calendar's header and time zone,
    then one VEVENT per entry as rows arrive from the database, then the end. One query (the
    entries through a cursor), and one more for the exception dates if a stored VEVENT is
    out of date, whatever the number of entries. Each VEVENT is the one stored at the
    entry's last change, rendered again only if it is missing or older than its
    organisation's last change or the site's address."""
    entries = entries.visible().select_related("organisation").order_by("start_date", "pk")
    # Only an entry whose stored VEVENT is out of date needs its exception dates; they are
    # read, for all entries at once, the first time one does.
    skipped: dict[int, list[datetime.date]] | None = None
    yield _calendar_head(name)
    for entry in entries.iterator(chunk_size=500):
        if _is_fresh(entry):
            yield entry.ical.encode()
            continue
        if skipped is None:
            skipped = defaultdict(list)
            for entry_id, day in EntryException.objects.filter(
                entry__in=entries.exclude(repeat="").values("pk")
            ).values_list("entry_id", "date"):
                skipped[entry_id].append(day)
        yield stored_ical(entry, skipped.get(entry.pk, ())).encode()
    yield b"END:VCALENDAR\r\n"


def entry_ics(entry: Entry, url: str) -> bytes:
    head = _calendar_head(entry.title)
    event: bytes = ical_event(entry, [e.date for e in entry.exceptions.all()], url).to_ical()
    return head + event + b"END:VCALENDAR\r\n"


# --- The JSON API --------------------------------------------------------------------------


def listed(filters: Filters) -> Any:
    """The visible entries the filters select, in a stable order (first day, start time, id)
    with their organisation and exception dates: a page of them costs three queries (count,
    rows, exceptions) whatever its length."""
    return (
        filtered(filters)
        .select_related("organisation")
        .prefetch_related("exceptions")
        .order_by("start_date", "start_time", "pk")
    )
