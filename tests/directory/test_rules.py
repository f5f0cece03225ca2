import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError

from kyodo.directory import services
from kyodo.directory.models import Membership, MembershipRole, User
from kyodo.directory.rules import roles_of

pytestmark = pytest.mark.django_db


def test_roles_follow_current_memberships(demo) -> None:
    assert roles_of(demo.secretary).secretariat_network_ids == {demo.network.pk}
    assert roles_of(demo.secretary).government_staff
    assert roles_of(demo.staff).government_staff
    assert not roles_of(demo.staff).secretariat_network_ids
    assert roles_of(demo.officer).editable_org_ids == {demo.council.pk}
    assert not roles_of(demo.officer).government_staff
    assert roles_of(demo.resident).editable_org_ids == frozenset()
    assert roles_of(AnonymousUser()).editable_org_ids == frozenset()


def test_an_officer_whose_term_ended_can_no_longer_edit(demo) -> None:
    Membership.objects.filter(person__user=demo.officer).update(
        ends_on=datetime.date(2020, 3, 31), starts_on=datetime.date(2019, 4, 1)
    )
    assert not demo.officer.has_perm("directory.change_organisation", demo.council)


def test_the_next_rotating_officer_can_edit_from_the_start_of_their_term(demo) -> None:
    person = services.person_create(actor=demo.admin, family_name="住民", user=demo.resident)
    services.membership_create(
        actor=demo.admin,
        person=person,
        organisation=demo.council,
        role=MembershipRole.OFFICER,
        title="会長",
        starts_on=datetime.date(2099, 4, 1),
        rotation_note="輪番制(1年)",
    )
    assert not demo.resident.has_perm("directory.change_organisation", demo.council)
    services.membership_create(
        actor=demo.admin,
        person=person,
        organisation=demo.council,
        role=MembershipRole.OFFICER,
        title="副会長",
        starts_on=datetime.date(2020, 4, 1),
    )
    # Roles are cached on the user object, that is, for one request.
    fresh = User.objects.get(pk=demo.resident.pk)
    assert fresh.has_perm("directory.change_organisation", demo.council)


def test_a_term_cannot_end_before_it_starts(demo) -> None:
    person = services.person_create(actor=demo.admin, family_name="山田")
    with pytest.raises(ValidationError, match="任期の終了は開始より後の日にしてください"):
        services.membership_create(
            actor=demo.admin,
            person=person,
            organisation=demo.council,
            role=MembershipRole.OFFICER,
            starts_on=datetime.date(2026, 4, 1),
            ends_on=datetime.date(2026, 3, 31),
        )


def test_site_admin_may_do_everything(demo) -> None:
    assert demo.admin.has_perm("directory.change_organisation", demo.kagoshima_city)
    assert demo.admin.has_perm("directory.add_organisation")
    assert demo.admin.has_perm("core.view_page_feedback", demo.council)
