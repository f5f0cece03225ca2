"""Assigning staff to areas per fiscal year, and an area asking for a particular staff
member: approved (which assigns them) or declined with a reason, the answer mailed."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from kyodo.core.models import AuditEntry
from kyodo.directory import services as directory_services
from kyodo.directory.models import OrganisationKind
from kyodo.liaison.models import Assignment, AssignmentRole, RequestStatus, StaffRequest
from kyodo.liaison.services.staff import (
    DECLINE_NEEDS_REASON,
    assignment_add,
    staff_request_create,
    staff_request_decide,
)
from tests.liaison.conftest import client_for, member_of, person_of

pytestmark = pytest.mark.django_db


def page_url(scheme, year=None):
    return reverse("liaison:assignments", args=[scheme.city.pk, year or scheme.fiscal_year])


def ask(scheme, demo, person=None, year=None, reason="夏祭りでお世話になった方です。"):
    return staff_request_create(
        area=scheme.area,
        person=person or person_of(scheme.unassigned),
        fiscal_year=year or scheme.fiscal_year + 1,
        reason=reason,
        actor=demo.officer,
    )


def test_the_page_lists_every_council_with_its_staff(scheme):
    response = client_for(scheme.manager).get(page_url(scheme))
    assert response.status_code == 200
    page = response.content.decode()
    assert scheme.area.name in page
    assert "きた校区コミュニティ協議会" in page
    assert "担当 太郎(主担当)" in page
    assert "北担当 次郎(主担当)" in page
    previous = page_url(scheme, scheme.fiscal_year - 1)
    following = page_url(scheme, scheme.fiscal_year + 1)
    assert f'href="{previous}"' in page
    assert f'href="{following}"' in page
    assert "担当 太郎(主担当)" not in client_for(scheme.manager).get(following).content.decode()


def test_a_manager_assigns_and_removes_staff_with_audit_entries(scheme):
    client = client_for(scheme.manager)
    response = client.post(
        page_url(scheme),
        {
            "area": str(scheme.other_area.pk),
            "person": str(person_of(scheme.unassigned).pk),
            "role": AssignmentRole.SUPPORT,
        },
    )
    assert response.status_code == 302
    added = Assignment.objects.get(person=person_of(scheme.unassigned))
    assert (added.area, added.fiscal_year, added.role) == (
        scheme.other_area,
        scheme.fiscal_year,
        AssignmentRole.SUPPORT,
    )
    assert AuditEntry.objects.get(action="liaison.assign").actor == scheme.manager
    client.post(reverse("liaison:assignment_remove", args=[added.pk]))
    assert not Assignment.objects.filter(pk=added.pk).exists()
    removed = AuditEntry.objects.get(action="liaison.unassign")
    assert removed.changes["person"] == ["未担当 三郎", ""]


def test_an_assignment_twice_or_of_someone_not_on_staff_is_refused(scheme):
    client = client_for(scheme.manager)
    response = client.post(
        page_url(scheme),
        {"area": str(scheme.area.pk), "person": str(person_of(scheme.liaison).pk), "role": "lead"},
    )
    assert response.status_code == 400
    assert "この職員はこの年度すでにこの地域の担当です。" in response.content.decode()
    villager = member_of(scheme.area, "m@kyodo.example", "住民 一", role="member")
    with pytest.raises(ValidationError) as refused:
        assignment_add(
            municipality=scheme.city,
            area=scheme.area,
            person=person_of(villager),
            fiscal_year=scheme.fiscal_year,
            role="lead",
            actor=scheme.manager,
        )
    assert "この市町村の職員から選んでください。" in refused.value.message_dict["person"]
    assert Assignment.objects.count() == 2


def test_only_managers_see_or_change_assignments(scheme, demo):
    assignment = Assignment.objects.get(person=person_of(scheme.other_liaison))
    for user in (scheme.clerk, scheme.other_liaison, scheme.unassigned, demo.officer):
        client = client_for(user)
        assert client.get(page_url(scheme)).status_code == 403
        assert client.post(page_url(scheme), {"area": str(scheme.area.pk)}).status_code == 403
        remove = reverse("liaison:assignment_remove", args=[assignment.pk])
        assert client.post(remove).status_code == 403
    assert Assignment.objects.filter(pk=assignment.pk).exists()


def test_an_area_asks_for_a_staff_member(scheme, demo):
    url = reverse("liaison:staff_requests", args=[scheme.area.pk])
    client = client_for(demo.officer)
    page = client.get(url).content.decode()
    assert "未担当 三郎" in page  # staff of the city are offered
    data = {
        "person": str(person_of(scheme.unassigned).pk),
        "fiscal_year": str(scheme.fiscal_year + 1),
        "reason": "子ども会の行事に毎年来てくれています。",
    }
    assert client.post(url, data).status_code == 302
    made = StaffRequest.objects.get()
    assert (made.status, made.requested_by, made.fiscal_year) == (
        RequestStatus.PENDING,
        demo.officer,
        scheme.fiscal_year + 1,
    )
    # The same request again, while the first waits, is refused with the constraint's words.
    again = client.post(url, data)
    assert again.status_code == 400
    assert "この職員への希望はすでに回答待ちです。" in again.content.decode()
    assert StaffRequest.objects.count() == 1
    # A past year, or no reason, is refused too.
    for changes in ({"fiscal_year": str(scheme.fiscal_year - 1)}, {"reason": ""}):
        assert client.post(url, {**data, **changes}).status_code == 400
    assert StaffRequest.objects.count() == 1
    # Only the area's officers may ask.
    for user in (scheme.manager, scheme.liaison, demo.resident):
        assert client_for(user).get(url).status_code == 403


def test_approving_assigns_the_person_and_mails_the_requester(
    scheme, demo, django_capture_on_commit_callbacks, mailoutbox, settings
):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    request = ask(scheme, demo)
    page = client_for(scheme.manager).get(page_url(scheme)).content.decode()
    assert "夏祭りでお世話になった方です。" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(scheme.manager).post(
            reverse("liaison:staff_request_decide", args=[request.pk]),
            {"decision": "approve", "role": "support"},
        )
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.decided_by) == (RequestStatus.APPROVED, scheme.manager)
    assignment = Assignment.objects.get(person=request.person, fiscal_year=request.fiscal_year)
    assert (assignment.area, assignment.role) == (scheme.area, AssignmentRole.SUPPORT)
    assert [m.to for m in mailoutbox] == [[demo.officer.email]]
    assert "承認" in mailoutbox[0].subject
    assert f"/liaison/areas/{scheme.area.pk}/requests/" in mailoutbox[0].body
    # Answered once only.
    with pytest.raises(ValidationError):
        staff_request_decide(request=request, approve=False, note="やはり", actor=scheme.manager)


def test_approving_someone_already_assigned_adds_nothing(scheme, demo):
    request = ask(scheme, demo)
    Assignment.objects.create(
        area=scheme.area, person=request.person, fiscal_year=request.fiscal_year
    )
    staff_request_decide(request=request, approve=True, note="", actor=scheme.manager)
    assert Assignment.objects.filter(person=request.person).count() == 1


def test_declining_needs_a_reason(scheme, demo, django_capture_on_commit_callbacks, mailoutbox):
    request = ask(scheme, demo)
    url = reverse("liaison:staff_request_decide", args=[request.pk])
    response = client_for(scheme.manager).post(url, {"decision": "decline", "decision_note": " "})
    assert response.status_code == 400
    assert DECLINE_NEEDS_REASON in response.content.decode()
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client_for(scheme.manager).post(
            url, {"decision": "decline", "decision_note": "来年度は本庁の業務が多いため。"}
        )
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.decision_note) == (
        RequestStatus.DECLINED,
        "来年度は本庁の業務が多いため。",
    )
    assert len(callbacks) == 1
    assert not Assignment.objects.filter(person=request.person).exists()
    assert AuditEntry.objects.filter(action="liaison.decline_request").count() == 1
    answers = client_for(demo.officer).get(reverse("liaison:staff_requests", args=[scheme.area.pk]))
    assert "来年度は本庁の業務が多いため。" in answers.content.decode()


def test_personnel_cannot_decide_requests(scheme, demo):
    request = ask(scheme, demo)
    url = reverse("liaison:staff_request_decide", args=[request.pk])
    assert client_for(scheme.clerk).post(url, {"decision": "approve"}).status_code == 403
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING


@pytest.mark.parametrize("size", [1, 50])
def test_the_assignments_page_runs_the_same_queries_for_any_number_of_rows(
    scheme, demo, size, django_assert_num_queries
):
    for index in range(size):
        area = directory_services.organisation_create(
            actor=None,
            kind=OrganisationKind.COMMUNITY_COUNCIL,
            name=f"第{index}校区コミュニティ協議会",
            parent=scheme.city,
        )
        user = member_of(scheme.managing, f"s{index}@kyodo.example", f"職員 {index}")
        Assignment.objects.create(area=area, person=person_of(user), fiscal_year=scheme.fiscal_year)
        StaffRequest.objects.create(
            area=area,
            person=person_of(user),
            fiscal_year=scheme.fiscal_year + 1,
            reason="理由",
            requested_by=demo.officer,
        )
    client = client_for(scheme.manager)
    client.get(page_url(scheme))
    with django_assert_num_queries(14):
        assert client.get(page_url(scheme)).status_code == 200


def test_approving_someone_who_has_left_is_refused(scheme):
    from kyodo.directory.models import Membership
    from kyodo.liaison.services.staff import staff_request_create, staff_request_decide

    request = staff_request_create(
        area=scheme.other_area,
        person=person_of(scheme.unassigned),
        fiscal_year=scheme.fiscal_year,
        reason="よく来てくれます",
        actor=scheme.manager,
    )
    Membership.objects.filter(person=person_of(scheme.unassigned)).update(
        ends_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    with pytest.raises(ValidationError):
        staff_request_decide(request=request, approve=True, note="", actor=scheme.manager)
    assert not Assignment.objects.filter(person=person_of(scheme.unassigned)).exists()
