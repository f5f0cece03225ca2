"""The handover (引継ぎ): the plan and its checklist generated from the area, bad input,
ticking lines, completion, and access that follows the plan — the incoming person reads
from the start day, the outgoing person stops writing on completion and not before."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kyodo.calendar import services as calendar_services
from kyodo.calendar.models import EntryKind, ObserverPolicy, Repeat
from kyodo.core.models import AuditEntry
from kyodo.liaison.models import (
    Assignment,
    AssignmentRole,
    Handover,
    HandoverItem,
    HandoverStatus,
    ItemKind,
    KeyPerson,
    MatterStatus,
)
from kyodo.liaison.services import area as services
from tests.liaison.conftest import client_for, member_of, person_of
from tests.liaison.test_people_area import VALUES, area_staff

pytestmark = pytest.mark.django_db


def today() -> datetime.date:
    return timezone.localdate()


def days(count: int) -> datetime.date:
    return today() + datetime.timedelta(days=count)


def meeting(scheme, title: str, start: datetime.date, *, publish=True, exceptions=(), **values):
    return calendar_services.entry_save(
        organisation=scheme.area,
        values={
            "kind": EntryKind.MEETING,
            "title": title,
            "title_kana": "かいぎ",
            "start_date": start,
            "end_date": start,
            "description": "役員の会議",
            "observer_policy": ObserverPolicy.OPEN,
            "venue_name": "公民館",
            "address": "鹿児島市みなみ町1番1号",
            **values,
        },
        exceptions=exceptions,
        publish=publish,
        actor=scheme.manager,
    )


def plan(scheme, outgoing, incoming, *, starts_on=None, actor=None, **values) -> Handover:
    return services.handover_plan(
        area=scheme.area,
        outgoing=person_of(outgoing),
        incoming=person_of(incoming),
        starts_on=starts_on or today(),
        actor=actor or scheme.manager,
        **values,
    )


def form(outgoing, incoming, starts_on, ends_on="", note="") -> dict[str, object]:
    return {
        "outgoing": person_of(outgoing).pk,
        "incoming": person_of(incoming).pk,
        "starts_on": starts_on.isoformat(),
        "ends_on": ends_on and ends_on.isoformat(),
        "note": note,
    }


def test_a_manager_plans_a_week_with_lines_generated_from_the_area(scheme) -> None:
    staff = area_staff(scheme)
    for name, role, active in [
        ("南 一郎", "みなみ一丁目町内会長", True),
        ("北川 花子", "民生委員", True),
        ("東 健", "前会長", False),
    ]:
        services.key_person_save(
            area=scheme.area,
            values={**VALUES, "name": name, "kana": name, "role_in_area": role}
            | {"is_active": active},
            actor=staff,
        )
    services.matter_save(area=scheme.area, values={"title": "防災倉庫の鍵"}, actor=staff)
    closed = services.matter_save(area=scheme.area, values={"title": "済んだ件"}, actor=staff)
    services.matter_set_status(matter=closed, status=MatterStatus.CLOSED, actor=staff)
    starts = days(2)
    # Weekly from three days before the start; its first date in the plan is skipped.
    board = meeting(
        scheme,
        "定例役員会",
        starts - datetime.timedelta(days=3),
        repeat=Repeat.WEEKLY,
        repeat_until=starts + datetime.timedelta(days=60),
        exceptions=[starts + datetime.timedelta(days=4)],
    )
    meeting(scheme, "臨時総会", starts + datetime.timedelta(days=1))  # a one-off: not listed
    meeting(
        scheme,
        "下書きの定例会",
        starts,
        publish=False,
        repeat=Repeat.WEEKLY,
        repeat_until=starts + datetime.timedelta(days=60),
    )

    response = client_for(scheme.manager).post(
        reverse("liaison:handover_new", args=[scheme.area.pk]),
        form(staff, scheme.unassigned, starts, note="異動に合わせて"),
    )
    handover = Handover.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("liaison:handover", args=[handover.pk])
    assert (handover.starts_on, handover.ends_on) == (starts, starts + datetime.timedelta(days=6))
    assert handover.outgoing == person_of(staff)
    assert handover.incoming == person_of(scheme.unassigned)
    lines = list(handover.items.values_list("position", "kind", "label", "entry_date"))
    assert lines == [
        (1, ItemKind.INTRODUCE, "民生委員の紹介", None),
        (2, ItemKind.INTRODUCE, "みなみ一丁目町内会長の紹介", None),
        (3, ItemKind.MEETING, lines[2][2], starts + datetime.timedelta(days=11)),
        (4, ItemKind.MATTER, "懸案事項「防災倉庫の鍵」の引継ぎ", None),
    ]
    assert lines[2][2].startswith("定例役員会(")
    assert handover.items.get(position=3).entry == board
    assert {item.key_person.name for item in handover.items.filter(kind=ItemKind.INTRODUCE)} == {
        "南 一郎",
        "北川 花子",
    }
    entry = AuditEntry.objects.get(action="liaison.handover.plan")
    assert (entry.actor, entry.changes["items"]) == (scheme.manager, ["", "4"])


def test_without_a_regular_meeting_the_one_off_meetings_in_the_plan_are_listed(scheme) -> None:
    starts = today()
    inside = meeting(scheme, "夏祭り実行委員会", starts + datetime.timedelta(days=3))
    meeting(scheme, "来月の総会", starts + datetime.timedelta(days=20))
    # A regular meeting whose dates are all over is no longer regular.
    meeting(
        scheme,
        "昨年の定例会",
        starts - datetime.timedelta(days=60),
        repeat=Repeat.WEEKLY,
        repeat_until=starts - datetime.timedelta(days=30),
    )
    handover = plan(scheme, area_staff(scheme), scheme.unassigned)
    meetings = list(handover.items.filter(kind=ItemKind.MEETING))
    assert [(item.entry, item.entry_date) for item in meetings] == [
        (inside, starts + datetime.timedelta(days=3))
    ]


def nothing_saved() -> None:
    assert not Handover.objects.exists()
    assert not HandoverItem.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="liaison.handover").exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"same": True}, "前任と後任に同じ職員は指定できません。"),
        ({"starts_on": -1}, "開始日は今日以降の日にしてください。"),
        ({"ends_on": -1}, "終了予定日は開始日以降の日にしてください。"),
    ],
)
def test_bad_plans_are_refused_with_a_message_and_nothing_saved(scheme, change, message) -> None:
    staff = area_staff(scheme)
    services.key_person_save(area=scheme.area, values=VALUES, actor=staff)
    starts = days(change.get("starts_on", 1))
    ends = starts + datetime.timedelta(days=change["ends_on"]) if "ends_on" in change else ""
    incoming = staff if change.get("same") else scheme.unassigned
    response = client_for(scheme.manager).post(
        reverse("liaison:handover_new", args=[scheme.area.pk]), form(staff, incoming, starts, ends)
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "何も保存されていません" in page
    assert message in page
    nothing_saved()
    with pytest.raises(ValidationError) as refused:
        services.handover_plan(
            area=scheme.area,
            outgoing=person_of(staff),
            incoming=person_of(incoming),
            starts_on=starts,
            ends_on=ends or None,
            actor=scheme.manager,
        )
    assert message in str(refused.value.messages)
    nothing_saved()


def test_the_outgoing_must_be_assigned_and_staff_plan_only_their_own_handover(scheme) -> None:
    staff = area_staff(scheme)
    with pytest.raises(ValidationError) as refused:
        plan(scheme, scheme.unassigned, scheme.other_liaison)
    assert "いまこの地域を担当している職員" in str(refused.value.messages)
    with pytest.raises(ValidationError) as refused:
        plan(scheme, scheme.liaison, scheme.unassigned, actor=staff)
    assert "ご自身の担当分だけ" in str(refused.value.messages)
    nothing_saved()
    # The staff member's own handover, through the page that offers only them.
    client = client_for(staff)
    page = client.get(reverse("liaison:handover_new", args=[scheme.area.pk])).content.decode()
    assert f'value="{person_of(staff).pk}"' in page
    # The page header, the outgoing (only them) and among the incoming.
    assert page.count("南担当 四郎") == 3
    response = client.post(
        reverse("liaison:handover_new", args=[scheme.area.pk]),
        form(staff, scheme.unassigned, today()),
    )
    assert response.status_code == 302
    assert Handover.objects.get().created_by == staff
    # Someone not assigned to the area plans nothing.
    for user in (scheme.unassigned, scheme.other_liaison, scheme.clerk):
        url = reverse("liaison:handover_new", args=[scheme.area.pk])
        assert client_for(user).get(url).status_code == 403


def test_the_incoming_person_reads_from_the_start_day(scheme) -> None:
    key = services.key_person_save(area=scheme.area, values=VALUES, actor=scheme.manager)
    key_url = reverse("liaison:key_person", args=[key.pk])
    staff = area_staff(scheme)
    tomorrow = plan(scheme, staff, scheme.unassigned, starts_on=days(1))
    assert client_for(scheme.unassigned).get(key_url).status_code == 403
    # Nor the plan, whose checklist names the key people's roles and the open matters.
    handover_url = reverse("liaison:handover", args=[tomorrow.pk])
    assert client_for(scheme.unassigned).get(handover_url).status_code == 403
    item = tomorrow.items.first()
    assert item is not None
    tick = client_for(scheme.unassigned).post(
        reverse("liaison:handover_item_done", args=[tomorrow.pk]), {"item": item.pk, "done": "1"}
    )
    assert tick.status_code == 403
    assert not HandoverItem.objects.filter(done_at__isnull=False).exists()
    services.handover_cancel(handover=tomorrow, actor=scheme.manager)
    started = plan(scheme, staff, scheme.unassigned, starts_on=today())
    assert client_for(scheme.unassigned).get(key_url).status_code == 200
    assert (
        client_for(scheme.unassigned)
        .get(reverse("liaison:handover", args=[started.pk]))
        .status_code
        == 200
    )


def test_a_second_open_plan_for_the_same_incoming_person_is_refused(scheme) -> None:
    staff = area_staff(scheme)
    first = plan(scheme, staff, scheme.unassigned)
    with pytest.raises(ValidationError) as refused:
        plan(scheme, staff, scheme.unassigned, starts_on=days(3))
    assert "この後任への引継ぎ計画がすでにあります。" in refused.value.messages
    assert list(Handover.objects.all()) == [first]
    # The same through the page (a double click on 作成): a message, not an error.
    response = client_for(scheme.manager).post(
        reverse("liaison:handover_new", args=[scheme.area.pk]),
        form(staff, scheme.unassigned, days(3)),
    )
    assert response.status_code == 400
    assert "この後任への引継ぎ計画がすでにあります。" in response.content.decode()
    assert Handover.objects.count() == 1


def test_completion_also_ends_the_outgoing_persons_next_year_assignment(scheme) -> None:
    staff = area_staff(scheme)
    Assignment.objects.create(
        area=scheme.area, person=person_of(staff), fiscal_year=scheme.fiscal_year + 1
    )
    handover = plan(scheme, staff, scheme.unassigned)
    services.handover_complete(
        handover=handover, force=True, note="異動のため", actor=scheme.manager
    )
    assert not Assignment.objects.filter(
        area=scheme.area, person=person_of(staff), ended_on__isnull=True
    ).exists()


def test_the_outgoing_person_writes_until_completion_and_the_incoming_after(scheme) -> None:
    staff = area_staff(scheme)
    Assignment.objects.filter(person=person_of(staff)).update(role=AssignmentRole.SUPPORT)
    key = services.key_person_save(area=scheme.area, values=VALUES, actor=staff)
    handover = plan(scheme, staff, scheme.unassigned)
    edit = reverse("liaison:key_person_edit", args=[key.pk])
    new_matter = reverse("liaison:matter_new", args=[scheme.area.pk])

    # Before completion: the outgoing person writes, the incoming reads only.
    response = client_for(staff).post(edit, {**VALUES, "contact": "090-1111-2222"})
    assert response.status_code == 302
    assert client_for(scheme.unassigned).post(edit, VALUES).status_code == 403

    for item in handover.items.all():
        services.handover_item_mark(handover=handover, item_id=item.pk, done=True, actor=staff)
    response = client_for(scheme.manager).post(
        reverse("liaison:handover_complete", args=[handover.pk])
    )
    assert response.status_code == 302
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.COMPLETED
    assert handover.completed_at is not None

    ended = Assignment.objects.get(area=scheme.area, person=person_of(staff))
    assert ended.ended_on == today()
    started = Assignment.objects.get(area=scheme.area, person=person_of(scheme.unassigned))
    assert (started.fiscal_year, started.role, started.ended_on) == (
        scheme.fiscal_year,
        AssignmentRole.SUPPORT,
        None,
    )
    assert set(
        AuditEntry.objects.filter(actor=scheme.manager).values_list("action", flat=True)
    ) >= {"liaison.assignment.end", "liaison.assignment.create", "liaison.handover.complete"}

    # After completion (fresh clients: the roles are computed once per request).
    outgoing = client_for(staff)
    assert outgoing.get(edit).status_code == 403
    assert outgoing.post(edit, {**VALUES, "contact": "x"}).status_code == 403
    assert outgoing.get(new_matter).status_code == 403
    assert KeyPerson.objects.get().contact == "090-1111-2222"
    incoming = client_for(scheme.unassigned)
    assert incoming.post(edit, {**VALUES, "contact": "099-222-3333"}).status_code == 302
    assert incoming.get(new_matter).status_code == 200
    assert KeyPerson.objects.get().contact == "099-222-3333"


def test_completion_with_undone_lines_needs_the_managers_tick_and_a_note(scheme) -> None:
    services.key_person_save(area=scheme.area, values=VALUES, actor=scheme.manager)
    handover = plan(scheme, area_staff(scheme), scheme.unassigned)
    url = reverse("liaison:handover_complete", args=[handover.pk])
    client = client_for(scheme.manager)

    refused = client.post(url, {"complete-note": "急ぎ"})
    assert refused.status_code == 400
    assert "未了の項目が1件あります" in refused.content.decode()
    no_note = client.post(url, {"complete-force": "on", "complete-note": " "})
    assert no_note.status_code == 400
    assert "理由をメモに書いてください" in no_note.content.decode()
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.PLANNED
    assert not Assignment.objects.filter(person=person_of(scheme.unassigned)).exists()

    done = client.post(url, {"complete-force": "on", "complete-note": "紹介は来週に同行する"})
    assert done.status_code == 302
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.COMPLETED
    assert "紹介は来週に同行する" in handover.note
    entry = AuditEntry.objects.get(action="liaison.handover.complete")
    assert entry.changes["undone_items"] == 1
    # Only a manager completes.
    again = plan(scheme, scheme.unassigned, scheme.other_liaison)
    assert (
        client_for(scheme.unassigned)
        .post(reverse("liaison:handover_complete", args=[again.pk]), {"complete-force": "on"})
        .status_code
        == 403
    )


def test_lines_are_ticked_and_unticked_with_who_and_when(scheme) -> None:
    services.key_person_save(area=scheme.area, values=VALUES, actor=scheme.manager)
    services.matter_save(area=scheme.area, values={"title": "鍵"}, actor=scheme.manager)
    staff = area_staff(scheme)
    handover = plan(scheme, staff, scheme.unassigned)
    first = handover.items.get(position=1)
    url = reverse("liaison:handover_item_done", args=[handover.pk])
    client = client_for(scheme.unassigned)  # the incoming person ticks too
    assert client.post(url, {"item": first.pk, "done": "1"}).status_code == 302
    first.refresh_from_db()
    assert first.done_by == scheme.unassigned
    assert first.done_at is not None
    page = client.get(reverse("liaison:handover", args=[handover.pk])).content.decode()
    assert "2項目中1項目が済み(50%)" in page
    assert '<progress id="handover-progress" max="2" value="1">' in page

    client.post(url, {"item": first.pk, "done": "0"})
    first.refresh_from_db()
    assert (first.done_at, first.done_by) == (None, None)
    assert list(
        AuditEntry.objects.filter(action__startswith="liaison.handover.item_")
        .order_by("pk")
        .values_list("action", "changes")
    ) == [
        ("liaison.handover.item_done", {"item": 1}),
        ("liaison.handover.item_undone", {"item": 1}),
    ]

    added = client_for(staff).post(
        reverse("liaison:handover_item_new", args=[handover.pk]),
        {"item-label": "公民館の鍵の受け渡し", "item-note": ""},
    )
    assert added.status_code == 302
    assert handover.items.get(position=3).label == "公民館の鍵の受け渡し"
    empty = client_for(staff).post(
        reverse("liaison:handover_item_new", args=[handover.pk]), {"item-label": " "}
    )
    assert empty.status_code == 400
    assert handover.items.count() == 3

    # A line of another plan is not this plan's to tick.
    other = services.handover_plan(
        area=scheme.other_area,
        outgoing=person_of(scheme.other_liaison),
        incoming=person_of(scheme.clerk),
        starts_on=today(),
        actor=scheme.manager,
    )
    HandoverItem.objects.create(handover=other, position=1, kind=ItemKind.OTHER, label="x")
    foreign = other.items.get()
    client.post(url, {"item": foreign.pk, "done": "1"})
    foreign.refresh_from_db()
    assert foreign.done_at is None


def test_the_plan_page_is_for_its_two_people_the_area_staff_and_the_managers(scheme, demo) -> None:
    staff = area_staff(scheme)
    handover = plan(scheme, staff, scheme.unassigned, starts_on=days(3))
    url = reverse("liaison:handover", args=[handover.pk])
    for user in (scheme.manager, staff):
        assert client_for(user).get(url).status_code == 200, user
    # The incoming person from the start day on (see the test above).
    for user in (scheme.unassigned, scheme.other_liaison, scheme.clerk, demo.resident, demo.admin):
        assert client_for(user).get(url).status_code == 403, user
        assert (
            client_for(user)
            .post(
                reverse("liaison:handover_item_done", args=[handover.pk]), {"item": 1, "done": "1"}
            )
            .status_code
            == 403
        )
    assert Client().get(url).status_code == 302


def test_a_cancelled_plan_takes_the_incoming_persons_reading_away(scheme) -> None:
    staff = area_staff(scheme)
    key = services.key_person_save(area=scheme.area, values=VALUES, actor=staff)
    handover = plan(scheme, staff, scheme.unassigned)
    cancel = reverse("liaison:handover_cancel", args=[handover.pk])
    assert client_for(scheme.unassigned).post(cancel).status_code == 403
    assert client_for(staff).post(cancel).status_code == 302
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.CANCELLED
    url = reverse("liaison:key_person", args=[key.pk])
    assert client_for(scheme.unassigned).get(url).status_code == 403
    # A closed plan is not ticked any more.
    item = handover.items.get()
    client_for(scheme.manager).post(
        reverse("liaison:handover_item_done", args=[handover.pk]), {"item": item.pk, "done": "1"}
    )
    item.refresh_from_db()
    assert item.done_at is None


@pytest.mark.parametrize("size", [1, 50])
def test_the_plan_page_runs_the_same_queries_for_any_number_of_lines(
    scheme, size, django_assert_num_queries
) -> None:
    staff = area_staff(scheme)
    for index in range(size):
        services.key_person_save(
            area=scheme.area,
            values={**VALUES, "name": f"地域 {index}号", "role_in_area": f"{index}丁目町内会長"},
            actor=staff,
        )
    handover = plan(scheme, staff, scheme.unassigned)
    for item in handover.items.all()[: size // 2 + 1]:
        services.handover_item_mark(handover=handover, item_id=item.pk, done=True, actor=staff)
    client = client_for(scheme.manager)
    url = reverse("liaison:handover", args=[handover.pk])
    client.get(url)
    with django_assert_num_queries(11):
        response = client.get(url)
    assert response.content.decode().count('<tr id="item-') == size


@pytest.mark.parametrize("size", [1, 50])
def test_the_plan_form_runs_the_same_queries_for_any_number_of_staff(
    scheme, size, django_assert_num_queries
) -> None:
    for index in range(size):
        member_of(scheme.other_department, f"s{index}@kyodo.example", f"職員 {index}")
    client = client_for(scheme.manager)
    url = reverse("liaison:handover_new", args=[scheme.area.pk])
    client.get(url)
    with django_assert_num_queries(13):
        assert client.get(url).status_code == 200


def test_the_incoming_person_also_takes_over_the_coming_year(scheme) -> None:
    staff = area_staff(scheme)
    Assignment.objects.create(
        area=scheme.area,
        person=person_of(staff),
        fiscal_year=scheme.fiscal_year + 1,
        role=AssignmentRole.SUPPORT,
    )
    handover = plan(scheme, staff, scheme.unassigned)
    services.handover_complete(
        handover=handover, force=True, note="異動のため", actor=scheme.manager
    )
    taken = Assignment.objects.filter(
        area=scheme.area, person=person_of(scheme.unassigned), ended_on__isnull=True
    ).order_by("fiscal_year")
    assert [(a.fiscal_year, a.role) for a in taken] == [
        (scheme.fiscal_year, AssignmentRole.LEAD),
        (scheme.fiscal_year + 1, AssignmentRole.SUPPORT),
    ]


def test_the_start_page_shows_a_future_plan_to_the_incoming_person_without_a_link(scheme):
    staff = area_staff(scheme)
    handover = plan(scheme, staff, scheme.unassigned, starts_on=days(5))
    page = client_for(scheme.unassigned).get("/liaison/").content.decode()
    assert "の引継ぎ(開始日から開けます)" in page
    assert reverse("liaison:handover", args=[handover.pk]) not in page
    page = client_for(staff).get("/liaison/").content.decode()
    assert reverse("liaison:handover", args=[handover.pk]) in page
