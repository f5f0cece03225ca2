"""What a final calendar keeps as printed, and how a review round treats the members: one
request mail per draft, no comments after the deadline, readers of the final calendar see
what is printed."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kyodo.core.models import Job
from kyodo.publications.models import AdSlot, CalendarComment, CalendarStatus
from kyodo.publications.services import annual as services
from tests.publications.conftest import client_for

pytestmark = pytest.mark.django_db


def ad(calendar, demo, **values):
    return services.ad_slot_save(
        calendar=calendar,
        values={"sponsor": "みなみ商店", "width": 1, "height": 1, "fee": 8000, "text": "営業中",
                **values},
        actor=demo.officer,
    )  # fmt: skip


def finalised(calendar, demo):
    services.calendar_take_draft(calendar=calendar, message="", actor=demo.officer)
    return services.calendar_finalise(calendar=calendar, actor=demo.officer)


def test_a_final_calendar_keeps_its_printed_advertisements_but_takes_payments(calendar, demo):
    slot = ad(calendar, demo)
    calendar = finalised(calendar, demo)
    for change in ({"text": "閉店セール"}, {"width": 2}, {"sponsor": "きた商店"}):
        with pytest.raises(ValidationError, match="紙面に出る内容"):
            services.ad_slot_save(calendar=calendar, slot=slot, values=change, actor=demo.officer)
    with pytest.raises(ValidationError, match="紙面に出る内容"):
        services.ad_slot_save(
            calendar=calendar, slot=slot, values={}, column=5, row=2, actor=demo.officer
        )
    with pytest.raises(ValidationError, match="紙面に出る内容"):
        ad(calendar, demo, sponsor="追加の広告主")
    with pytest.raises(ValidationError, match="紙面に出る内容"):
        services.ad_slot_delete(slot=slot, actor=demo.officer)
    paid = services.ad_slot_save(
        calendar=calendar,
        slot=slot,
        values={"fee": 7000, "invoiced_on": datetime.date(2026, 12, 1),
                "paid_on": datetime.date(2026, 12, 5)},
        actor=demo.officer,
    )  # fmt: skip
    assert (paid.fee, paid.text, AdSlot.objects.count()) == (7000, "営業中", 1)
    assert paid.ledger_line.amount == 7000


def test_a_final_calendar_keeps_its_title_but_takes_the_print_run(calendar, demo):
    calendar = finalised(calendar, demo)
    with pytest.raises(ValidationError):
        services.calendar_update(calendar=calendar, values={"title": "別の題"}, actor=demo.officer)
    updated = services.calendar_update(
        calendar=calendar, values={"print_run": 1200}, actor=demo.officer
    )
    assert (updated.print_run, updated.title) == (1200, calendar.title)


def test_readers_of_a_final_calendar_see_what_is_printed(calendar, demo, make_entry, client):
    make_entry("どんど焼き")
    finalised(calendar, demo)
    make_entry("後から登録した行事")
    page = client.get(f"/publications/calendars/{calendar.pk}/").content.decode()
    assert "確定版・第1稿" in page
    assert "どんど焼き" in page
    assert "後から登録した行事" not in page
    # The editors still see the entries as they are now, to decide on a new draft.
    editor_page = client_for(demo.officer).get(f"/publications/calendars/{calendar.pk}/")
    assert "後から登録した行事" in editor_page.content.decode()


def test_no_comments_after_the_deadline(calendar, demo, member_officer, association):
    services.calendar_take_draft(calendar=calendar, message="", actor=demo.officer)
    services.calendar_open_review(
        calendar=calendar, comments_until=timezone.localdate(), actor=demo.officer
    )
    draft = calendar.drafts.get()
    calendar.refresh_from_db()
    type(calendar).objects.filter(pk=calendar.pk).update(comments_until=datetime.date(2020, 1, 1))
    with pytest.raises(ValidationError, match="締切日を過ぎた"):
        services.calendar_comment_add(
            draft=draft, organisation=association, body="遅れた意見", actor=member_officer
        )
    response = client_for(member_officer).post(
        f"/publications/calendars/{calendar.pk}/drafts/1/comments/",
        {"organisation": association.pk, "body": "遅れた意見"},
    )
    assert response.status_code == 403
    assert not CalendarComment.objects.exists()


def test_members_are_asked_once_per_draft(calendar, demo):
    services.calendar_take_draft(calendar=calendar, message="", actor=demo.officer)
    services.calendar_open_review(calendar=calendar, comments_until=None, actor=demo.officer)
    later = timezone.localdate() + datetime.timedelta(days=30)
    moved = services.calendar_open_review(
        calendar=calendar, comments_until=later, actor=demo.officer
    )
    assert (moved.status, moved.comments_until) == (CalendarStatus.REVIEW, later)
    assert Job.objects.count() == 1
    # A new draft while out for review is a new request.
    services.calendar_take_draft(calendar=calendar, message="第2稿", actor=demo.officer)
    services.calendar_open_review(calendar=calendar, comments_until=later, actor=demo.officer)
    assert sorted(job.params["draft"] for job in Job.objects.all()) == sorted(
        calendar.drafts.values_list("pk", flat=True)
    )


def test_an_association_chair_sees_the_copies_for_their_households(
    calendar, demo, member_officer, association, other_officer
):
    services.deliveries_save(
        calendar=calendar,
        rows={association.pk: {"households": 412, "copies": 420, "note": "班長経由"}},
        actor=demo.officer,
    )
    services.calendar_take_draft(calendar=calendar, message="", actor=demo.officer)
    page = client_for(member_officer).get(f"/publications/calendars/{calendar.pk}/")
    assert f"{association.name}への配布" in page.content.decode()
    assert "420部(412世帯)" in page.content.decode()
    finalised = services.calendar_finalise(calendar=calendar, actor=demo.officer)
    # Everyone may read a final calendar; nobody else reads the association's counts.
    other = client_for(other_officer).get(f"/publications/calendars/{finalised.pk}/")
    assert other.status_code == 200
    assert "420部" not in other.content.decode()
