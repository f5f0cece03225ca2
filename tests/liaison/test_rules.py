"""The liaison roles follow from memberships, the scheme, assignments and handovers."""

from __future__ import annotations

import datetime

from django.utils import timezone

from kyodo.core.permissions import has_object_perm
from kyodo.liaison.models import Handover, KeyPerson
from kyodo.liaison.rules import StaffReport, liaison_roles
from tests.liaison.conftest import person_of


def fresh(user):
    for attribute in ("_kyodo_roles", "_kyodo_liaison_roles"):
        user.__dict__.pop(attribute, None)
    return user


def test_manager_personnel_and_assigned_staff_are_recognised(scheme) -> None:
    assert liaison_roles(scheme.manager).managed_municipality_ids == {scheme.city.pk}
    assert liaison_roles(scheme.clerk).personnel_municipality_ids == {scheme.city.pk}
    assert liaison_roles(scheme.liaison).assigned_area_ids == {scheme.area.pk}
    assert liaison_roles(scheme.unassigned).assigned_area_ids == frozenset()


def test_key_people_are_for_the_area_staff_and_managers_only(scheme, demo) -> None:
    key = KeyPerson.objects.create(area=scheme.area, name="地域 長老", role_in_area="町内会長")
    assert scheme.liaison.has_perm("liaison.view_key_people", key)
    assert scheme.liaison.has_perm("liaison.change_key_people", key)
    assert scheme.manager.has_perm("liaison.view_key_people", key)
    for outsider in (scheme.other_liaison, scheme.unassigned, scheme.clerk, demo.admin):
        assert not has_object_perm(outsider, "liaison.view_key_people", key, personal_data=True)


def test_a_started_handover_lets_the_incoming_person_read_but_not_write(scheme) -> None:
    key = KeyPerson.objects.create(area=scheme.area, name="地域 長老", role_in_area="町内会長")
    today = timezone.localdate()
    Handover.objects.create(
        area=scheme.area,
        outgoing=person_of(scheme.liaison),
        incoming=person_of(scheme.unassigned),
        starts_on=today,
        ends_on=today + datetime.timedelta(days=7),
        created_by=scheme.manager,
    )
    newcomer = fresh(scheme.unassigned)
    assert newcomer.has_perm("liaison.view_key_people", key)
    assert not newcomer.has_perm("liaison.change_key_people", key)


def test_a_handover_starting_tomorrow_gives_nothing_today(scheme) -> None:
    key = KeyPerson.objects.create(area=scheme.area, name="地域 長老", role_in_area="町内会長")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    Handover.objects.create(
        area=scheme.area,
        outgoing=person_of(scheme.liaison),
        incoming=person_of(scheme.unassigned),
        starts_on=tomorrow,
        ends_on=tomorrow + datetime.timedelta(days=7),
        created_by=scheme.manager,
    )
    assert not fresh(scheme.unassigned).has_perm("liaison.view_key_people", key)


def test_reports_are_for_the_person_their_managers_and_personnel(scheme) -> None:
    report = StaffReport(person=person_of(scheme.liaison), municipality=scheme.city)
    for reader in (scheme.liaison, scheme.manager, scheme.clerk):
        assert reader.has_perm("liaison.view_participation_report", report), reader
    for outsider in (scheme.other_liaison, scheme.unassigned):
        assert not outsider.has_perm("liaison.view_participation_report", report), outsider


def test_staff_who_have_left_the_municipality_keep_no_access(scheme) -> None:
    """An assignment or a started handover counts only while the person still works for
    the area's municipality."""
    from kyodo.directory.models import Membership

    key = KeyPerson.objects.create(area=scheme.area, name="地域 長老", role_in_area="町内会長")
    today = timezone.localdate()
    Handover.objects.create(
        area=scheme.area,
        outgoing=person_of(scheme.liaison),
        incoming=person_of(scheme.unassigned),
        starts_on=today,
        ends_on=today + datetime.timedelta(days=7),
        created_by=scheme.manager,
    )
    assert has_object_perm(fresh(scheme.liaison), "liaison.change_key_people", key)
    assert has_object_perm(fresh(scheme.unassigned), "liaison.view_key_people", key)
    yesterday = today - datetime.timedelta(days=1)
    for user in (scheme.liaison, scheme.unassigned):
        Membership.objects.filter(person=person_of(user)).update(ends_on=yesterday)
    for user in (scheme.liaison, scheme.unassigned):
        assert not has_object_perm(
            fresh(user), "liaison.view_key_people", key, personal_data=True
        ), user
