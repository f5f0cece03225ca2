"""Setting up a municipality's liaison scheme: which department runs it, which reads the
personnel indicator, and how long a handover lasts by default."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from kyodo.core import audit
from kyodo.core.services import collect_errors
from kyodo.directory.models import Organisation, OrganisationKind
from kyodo.liaison.models import LiaisonScheme

SCHEME_FIELDS = ("managing_department", "personnel_department", "handover_days")


@transaction.atomic
def scheme_save(
    *, municipality: Organisation, values: Mapping[str, Any], actor: Any
) -> LiaisonScheme:
    """Create or change the municipality's scheme. Both departments must be departments of
    this municipality. The actor must be allowed to (``liaison.configure_scheme``): who runs
    the scheme decides who sees every area's key people. Side effects: one audit entry with
    the changes."""
    if not actor.has_perm("liaison.configure_scheme", municipality):
        raise ValidationError("地域担当職員制度を設定できるのは、制度を所管する課の職員です。")
    if municipality.kind != OrganisationKind.MUNICIPALITY:
        raise ValidationError("地域担当職員制度は市町村ごとに設定します。")
    scheme = LiaisonScheme.objects.select_for_update().filter(
        municipality=municipality
    ).first() or LiaisonScheme(municipality=municipality)
    before = {name: str(getattr(scheme, name, "") or "") for name in SCHEME_FIELDS}
    for name in SCHEME_FIELDS:
        if name in values:
            setattr(scheme, name, values[name])
    errors: dict[str, list[str]] = {}
    for name in ("managing_department", "personnel_department"):
        department = getattr(scheme, name, None)
        if department is not None and (
            department.kind != OrganisationKind.DEPARTMENT
            or department.parent_id != municipality.pk
        ):
            errors.setdefault(name, []).append(f"{municipality.name}の課を選んでください。")
    collect_errors(scheme, "", errors, exclude=["municipality"])
    if errors:
        raise ValidationError(errors)
    created = scheme.pk is None
    scheme.save()
    after = {name: str(getattr(scheme, name) or "") for name in SCHEME_FIELDS}
    audit.record(
        actor=actor,
        action="liaison.scheme.create" if created else "liaison.scheme.update",
        obj=scheme,
        changes=audit.diff(before, after),
    )
    return scheme
