"""Who may do what on the municipal side of collaboration.

- **Managers**: the editors (staff, contacts) of the department that runs a municipality's
  liaison scheme (``LiaisonScheme.managing_department``). They assign staff to areas,
  decide areas' requests, plan handovers, run the collaboration evaluation, and see every
  area's key people and every staff member's participation report.
- **Personnel** (``LiaisonScheme.personnel_department``): read the participation reports
  and their CSV; nothing about key people.
- **Assigned staff**: a person with a current assignment (this fiscal year, not ended by a
  completed handover) to an area reads and changes its key people and open matters.
- **Incoming staff of a handover**: reads the area's key people and open matters from the
  day the plan starts; writes once the handover completes and they are assigned.
- **Every staff member** logs and reads their own participation.
- **The area** (officers of the community council) asks for a particular staff member.
- **Departments** answer the evaluation sheets of their own programmes and the
  facilitation requests sent to them; **association heads** (officers of a
  neighbourhood association) answer the recruitment requests sent to their association.

Site administrators run the site but are not given key people: personal data of an area
is for the people who work with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import rules
from django.db.models import Q, QuerySet
from django.utils import timezone

from kyodo.directory.models import (
    Membership,
    MembershipRole,
    Organisation,
    OrganisationKind,
    Person,
)
from kyodo.directory.queries import municipality_of
from kyodo.directory.rules import is_officer_of, is_site_admin, roles_of
from kyodo.liaison.models import (
    Assignment,
    EvaluationSheet,
    FacilitationRequest,
    Handover,
    HandoverStatus,
    KeyPerson,
    LiaisonScheme,
    OpenMatter,
    Participation,
    RecruitmentAsk,
    RecruitmentRequest,
    WorkshopSeries,
)


@dataclass(frozen=True)
class LiaisonRoles:
    person_id: int | None
    managed_municipality_ids: frozenset[int]
    personnel_municipality_ids: frozenset[int]
    assigned_area_ids: frozenset[int]
    handover_area_ids: frozenset[int]

    @property
    def readable_area_ids(self) -> frozenset[int]:
        return self.assigned_area_ids | self.handover_area_ids


_NOBODY = LiaisonRoles(None, frozenset(), frozenset(), frozenset(), frozenset())


def liaison_roles(user: Any) -> LiaisonRoles:
    """The user's liaison roles today, computed once per user object (so once per request):
    five queries for a signed-in person, none for a visitor."""
    if not getattr(user, "is_authenticated", False):
        return _NOBODY
    cached: LiaisonRoles | None = getattr(user, "_kyodo_liaison_roles", None)
    if cached is not None:
        return cached
    person_id = Person.objects.filter(user=user).values_list("pk", flat=True).first()
    if person_id is None:
        result = _NOBODY
    else:
        editable = roles_of(user).editable_org_ids
        managed: set[int] = set()
        personnel: set[int] = set()
        if editable:
            for municipality, managing, personnel_dept in LiaisonScheme.objects.values_list(
                "municipality_id", "managing_department_id", "personnel_department_id"
            ).filter(municipality__in=_municipalities_of(editable)):
                if managing in editable:
                    managed.add(municipality)
                if personnel_dept in editable:
                    personnel.add(municipality)
        today = timezone.localdate()
        # Only while the person still works for the area's municipality (its own staff or a
        # department's): someone who has left keeps no assignment's or handover's access.
        acting = roles_of(user).acting_org_ids
        assigned = frozenset(
            area
            for area, municipality in Assignment.objects.current(today)
            .filter(person_id=person_id)
            .values_list("area_id", "area__parent_id")
            if municipality in acting
        )
        handing_over = frozenset(
            area
            for area, municipality in Handover.objects.started(today)
            .filter(incoming_id=person_id)
            .values_list("area_id", "area__parent_id")
            if municipality in acting
        )
        result = LiaisonRoles(
            person_id=person_id,
            managed_municipality_ids=frozenset(managed),
            personnel_municipality_ids=frozenset(personnel),
            assigned_area_ids=assigned,
            handover_area_ids=handing_over,
        )
    user._kyodo_liaison_roles = result
    return result


def _municipalities_of(org_ids: frozenset[int]) -> list[int]:
    """The municipalities the organisations belong to (themselves, or their parent for a
    department)."""
    rows = Organisation.objects.filter(pk__in=org_ids).values_list("pk", "kind", "parent_id")
    found = []
    for pk, kind, parent in rows:
        if kind == OrganisationKind.MUNICIPALITY:
            found.append(pk)
        elif parent is not None:
            found.append(parent)
    return found


@dataclass(frozen=True)
class StaffReport:
    """The subject of a participation report: one staff member's work for one municipality."""

    person: Person
    municipality: Organisation


def _area_of(obj: Any) -> Organisation | None:
    if isinstance(obj, Organisation):
        return obj
    if isinstance(obj, (KeyPerson, OpenMatter, Handover)):
        return obj.area
    return getattr(obj, "area", None)


def _organisation_of(obj: Any) -> Organisation | None:
    """The organisation whose municipality decides: the object itself, or its area,
    municipality, department (programmes) or the round's municipality (sheets)."""
    if obj is None or isinstance(obj, Organisation):
        return obj
    for attribute in ("area", "municipality", "department"):
        found = getattr(obj, attribute, None)
        if isinstance(found, Organisation):
            return found
    round_ = getattr(obj, "round", None)
    return getattr(round_, "municipality", None)


@rules.predicate
def manages_municipality(user: Any, obj: Any) -> bool:
    """A manager of the scheme of ``obj``'s municipality (``obj`` is the municipality, one of
    its areas or departments, or anything with an ``area``)."""
    managed = liaison_roles(user).managed_municipality_ids
    if not managed:
        return False
    municipality = municipality_of(_organisation_of(obj))
    return municipality is not None and municipality.pk in managed


@rules.predicate
def is_personnel_of(user: Any, obj: Any) -> bool:
    """Personnel of ``obj``'s municipality (a municipality or a :class:`StaffReport`)."""
    municipality = municipality_of(_organisation_of(obj))
    return (
        municipality is not None
        and municipality.pk in liaison_roles(user).personnel_municipality_ids
    )


@rules.predicate
def is_assigned_to_area(user: Any, obj: Any) -> bool:
    area = _area_of(obj)
    return area is not None and area.pk in liaison_roles(user).assigned_area_ids


@rules.predicate
def is_incoming_to_area(user: Any, obj: Any) -> bool:
    area = _area_of(obj)
    return area is not None and area.pk in liaison_roles(user).handover_area_ids


@rules.predicate
def is_the_staff_member(user: Any, obj: Any) -> bool:
    """``obj`` is the user's own Person or report, or a participation logged by them."""
    person_id = liaison_roles(user).person_id
    if person_id is None or obj is None:
        return False
    if isinstance(obj, StaffReport):
        return obj.person.pk == person_id
    if isinstance(obj, Person):
        return obj.pk == person_id
    if isinstance(obj, Participation):
        return obj.person_id == person_id
    return False


@rules.predicate
def is_party_to_handover(user: Any, handover: Handover | None) -> bool:
    """The outgoing person of the plan; or its incoming person once the plan has started
    and unless it was cancelled — before that day the plan's checklist (which names the
    key people's roles and the open matters) is not theirs to read."""
    person_id = liaison_roles(user).person_id
    if handover is None or person_id is None:
        return False
    if person_id == handover.outgoing_id:
        return True
    return (
        person_id == handover.incoming_id
        and handover.status != HandoverStatus.CANCELLED
        and handover.starts_on <= timezone.localdate()
    )


@rules.predicate
def handover_is_open(user: Any, handover: Handover | None) -> bool:
    return handover is not None and handover.status == HandoverStatus.PLANNED


@rules.predicate
def is_municipal_staff_of(user: Any, obj: Any) -> bool:
    """Acts for ``obj``'s municipality: staff of the municipality itself or one of its
    departments."""
    municipality = municipality_of(_organisation_of(obj))
    return municipality is not None and municipality.pk in roles_of(user).acting_org_ids


@rules.predicate
def edits_organiser(user: Any, obj: WorkshopSeries | RecruitmentRequest | None) -> bool:
    return obj is not None and is_officer_of(user, obj.organiser)


@rules.predicate
def edits_requested_department(user: Any, obj: FacilitationRequest | None) -> bool:
    return obj is not None and is_officer_of(user, obj.department)


@rules.predicate
def heads_the_association(user: Any, ask: RecruitmentAsk | None) -> bool:
    return ask is not None and is_officer_of(user, ask.association)


def staff_people_of(municipality: Organisation) -> QuerySet[Person]:
    """The people who may be assigned as liaison staff: current staff and contacts of the
    municipality and its departments."""
    organisations = Organisation.objects.filter(
        Q(pk=municipality.pk) | Q(parent_id=municipality.pk, kind=OrganisationKind.DEPARTMENT)
    )
    return Person.objects.filter(
        memberships__in=Membership.objects.current().filter(
            organisation__in=organisations,
            role__in=(MembershipRole.STAFF, MembershipRole.CONTACT),
        )
    ).distinct()


# people area: the handover plan's outgoing person.
@rules.predicate
def is_outgoing_of_handover(user: Any, handover: Handover | None) -> bool:
    person_id = liaison_roles(user).person_id
    return handover is not None and person_id is not None and person_id == handover.outgoing_id


# Evaluation area: a programme (事務事業) belongs to one department, whose editors keep it;
# a sheet to the department that had the programme when the sheet was made, whose editors
# answer it — moving a programme does not hand over past years' sheets.
def _department_id_of(obj: Any) -> int | None:
    if isinstance(obj, Organisation):
        return obj.pk if obj.kind == OrganisationKind.DEPARTMENT else None
    if isinstance(obj, EvaluationSheet):
        return obj.department.pk
    department_id = getattr(obj, "department_id", None)  # a programme
    return department_id if isinstance(department_id, int) else None


@rules.predicate
def edits_programme_department(user: Any, obj: Any) -> bool:
    """An editor (staff, contact) of the department of ``obj``: a department, a programme or
    an evaluation sheet."""
    department_id = _department_id_of(obj)
    return department_id is not None and department_id in roles_of(user).editable_org_ids


# Workshops and recruitment (area "work"): who organises, who is asked, who may look.
ORGANISER_KINDS = (
    OrganisationKind.MUNICIPALITY,
    OrganisationKind.DEPARTMENT,
    OrganisationKind.COMMUNITY_COUNCIL,
)


def organiser_ids_of(user: Any) -> frozenset[int]:
    """The organisations the user may organise workshops and recruitment for: the
    municipalities, departments and community councils they edit (one query, once per
    user object)."""
    editable = roles_of(user).editable_org_ids
    if not editable:
        return frozenset()
    cached: frozenset[int] | None = getattr(user, "_kyodo_liaison_organisers", None)
    if cached is None:
        cached = frozenset(
            Organisation.objects.filter(pk__in=editable, kind__in=ORGANISER_KINDS).values_list(
                "pk", flat=True
            )
        )
        user._kyodo_liaison_organisers = cached
    return cached


@rules.predicate
def edits_any_organisation(user: Any) -> bool:
    return bool(roles_of(user).editable_org_ids)


@rules.predicate
def may_organise(user: Any) -> bool:
    return bool(organiser_ids_of(user))


def _series_of(obj: Any) -> WorkshopSeries | None:
    if isinstance(obj, WorkshopSeries) or obj is None:
        return obj
    return getattr(obj, "series", None)


@rules.predicate
def organises_series(user: Any, obj: Any) -> bool:
    """Edits the organiser of a series, or of the series of a session or request."""
    series = _series_of(obj)
    return series is not None and is_officer_of(user, series.organiser)


@rules.predicate
def is_officer_of_series_area(user: Any, obj: Any) -> bool:
    series = _series_of(obj)
    return series is not None and series.area_id is not None and is_officer_of(user, series.area)


@rules.predicate
def is_asked_to_facilitate(user: Any, obj: Any) -> bool:
    """Edits a department this series asked to facilitate (whatever its answer)."""
    series = _series_of(obj)
    editable = roles_of(user).editable_org_ids
    return (
        series is not None
        and bool(editable)
        and FacilitationRequest.objects.filter(
            series_id=series.pk, department_id__in=editable
        ).exists()
    )


# Key people and open matters (personal data of an area).
reads_area = is_assigned_to_area | is_incoming_to_area | manages_municipality
writes_area = is_assigned_to_area | manages_municipality
rules.add_perm("liaison.view_key_people", reads_area)
rules.add_perm("liaison.change_key_people", writes_area)
# A plan is made by a manager or by the area's assigned staff for themselves (the service
# holds them to it), and called off by a manager or its outgoing person.
rules.add_perm("liaison.plan_handover", writes_area)
rules.add_perm(
    "liaison.cancel_handover",
    handover_is_open & (is_outgoing_of_handover | manages_municipality),
)

# The scheme: assignments, areas' requests, handover plans.
rules.add_perm("liaison.manage_scheme", manages_municipality)
rules.add_perm("liaison.request_staff", is_officer_of)
rules.add_perm(
    "liaison.view_handover", is_party_to_handover | is_assigned_to_area | manages_municipality
)
rules.add_perm(
    "liaison.change_handover",
    handover_is_open & (is_party_to_handover | manages_municipality),
)
rules.add_perm("liaison.complete_handover", handover_is_open & manages_municipality)

# Participation and the personnel indicator.
rules.add_perm("liaison.log_participation", rules.is_authenticated)
rules.add_perm("liaison.change_participation", is_the_staff_member)
rules.add_perm(
    "liaison.view_participation_report",
    is_the_staff_member | manages_municipality | is_personnel_of,
)
rules.add_perm("liaison.view_municipality_reports", manages_municipality | is_personnel_of)

# Collaboration evaluation.
rules.add_perm("liaison.manage_evaluation", manages_municipality | is_site_admin)
rules.add_perm(
    "liaison.view_evaluation", is_municipal_staff_of | manages_municipality | is_site_admin
)
rules.add_perm("liaison.answer_sheet", edits_programme_department)
# Programmes: managers keep every department's, a department's editors their own (the
# list offers only the departments a person may add to).
rules.add_perm(
    "liaison.change_programme", manages_municipality | is_site_admin | edits_programme_department
)

# Workshops and recruitment.
rules.add_perm("liaison.list_workshops", edits_any_organisation)
rules.add_perm("liaison.add_workshop", may_organise)
rules.add_perm(
    "liaison.view_workshop",
    organises_series | is_officer_of_series_area | is_asked_to_facilitate,
)
rules.add_perm("liaison.change_workshop", organises_series)
rules.add_perm("liaison.answer_facilitation", edits_requested_department)
rules.add_perm("liaison.list_recruitment", edits_any_organisation)
rules.add_perm("liaison.add_recruitment", may_organise)
rules.add_perm("liaison.view_recruitment", edits_organiser)
rules.add_perm("liaison.change_recruitment", edits_organiser)
rules.add_perm("liaison.answer_recruitment", heads_the_association)


# The start page and the scheme's settings.
@rules.predicate
def works_in_liaison(user: Any) -> bool:
    """Municipal staff, or an officer of any organisation (an area asks for staff, a head
    answers recruitment requests)."""
    roles = roles_of(user)
    return roles.government_staff or bool(roles.editable_org_ids)


rules.add_perm("liaison.use", works_in_liaison)


@rules.predicate
def has_no_scheme_yet(user: Any, municipality: Organisation | None) -> bool:
    return (
        municipality is not None
        and not LiaisonScheme.objects.filter(municipality_id=municipality.pk).exists()
    )


# The municipality's own editors start the scheme; once it exists only its managers change
# it, so nobody else can name themselves the managing department.
rules.add_perm(
    "liaison.configure_scheme",
    is_site_admin | (has_no_scheme_yet & is_officer_of) | manages_municipality,
)

__all__ = [
    "LiaisonRoles",
    "StaffReport",
    "liaison_roles",
    "staff_people_of",
]
