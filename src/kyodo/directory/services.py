"""Every write to the directory. Keyword-only, atomic, audited."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils import timezone

from kyodo.core import audit
from kyodo.core.codes import check_digit
from kyodo.core.search import index as search_index
from kyodo.core.services import create_audited
from kyodo.directory import search, signals
from kyodo.directory.models import (
    Membership,
    MunicipalityType,
    Network,
    NetworkMembership,
    Organisation,
    OrganisationKind,
    Person,
    User,
)
from kyodo.directory.queries import descendant_ids

ORGANISATION_EDITABLE_FIELDS = (
    "kind",
    "name",
    "kana",
    "parent",
    "lgcode",
    "municipality_type",
    "district",
    "regional_office",
    "postal_code",
    "address",
    "phone",
    "fax",
    "email",
    "website",
    "description",
)


def _snapshot(obj: Organisation) -> dict[str, Any]:
    return model_to_dict(obj, fields=ORGANISATION_EDITABLE_FIELDS)


@transaction.atomic
def organisation_create(*, actor: Any, **values: Any) -> Organisation:
    """Create an organisation after full validation. Side effects: one audit entry; the
    organisation is indexed for the search."""
    organisation = _create(actor=actor, values=values)
    search_index.refresh(search.KIND, [organisation.pk])
    return organisation


def _create(*, actor: Any, values: Mapping[str, Any]) -> Organisation:
    return create_audited(
        Organisation,
        actor=actor,
        action="organisation.create",
        audit_fields=ORGANISATION_EDITABLE_FIELDS,
        **values,
    )


@transaction.atomic
def organisation_update(
    *, organisation: Organisation, actor: Any, values: Mapping[str, Any]
) -> Organisation:
    """Change an organisation's record. Validation runs before anything is written, so a
    refused change (a wrong check digit, say) leaves the stored record as it was.
    Side effects: one audit entry listing the changed fields; ``updated_at`` moves; the
    organisation is indexed again for the search, with the organisations under it when it
    moved in the tree (their municipality may have changed); when renamed or moved,
    :data:`signals.organisations_renamed_or_moved` is sent so that other apps refresh the
    documents that show the organisation."""
    _reindex(_update(organisation=organisation, actor=actor, values=values))
    return organisation


@dataclass
class _Reach:
    """What a change of organisations reaches in the search index: the organisations whose
    own documents change, and those renamed or moved, which other apps' documents show."""

    documents: set[int] = field(default_factory=set)
    renamed_or_moved: set[int] = field(default_factory=set)

    def add(self, other: _Reach) -> None:
        self.documents |= other.documents
        self.renamed_or_moved |= other.renamed_or_moved


def organisation_reindex(*, organisation_ids: set[int]) -> None:
    """After a change made outside these services (Django's admin): the organisations and
    the documents of other apps that show them are indexed again. Organisations deleted
    meanwhile leave the index."""
    _reindex(_Reach(documents=set(organisation_ids), renamed_or_moved=set(organisation_ids)))


def _reindex(reach: _Reach) -> None:
    search_index.refresh(search.KIND, reach.documents)
    if reach.renamed_or_moved:
        signals.organisations_renamed_or_moved.send(
            sender=Organisation, organisation_ids=frozenset(reach.renamed_or_moved)
        )


def _update(*, organisation: Organisation, actor: Any, values: Mapping[str, Any]) -> _Reach:
    """The body of :func:`organisation_update`; returns what the change reaches in the
    search index (nothing when nothing changed)."""
    unknown = set(values) - set(ORGANISATION_EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    # Compare with the stored row, not the instance: a bound ModelForm has already written
    # the submitted values onto the instance it was given.
    stored = Organisation.objects.select_for_update().get(pk=organisation.pk)
    before = _snapshot(stored)
    for name, value in values.items():
        setattr(organisation, name, value)
    organisation.full_clean()
    changes = audit.diff(before, _snapshot(organisation))
    if not changes:
        return _Reach()
    organisation.updated_at = timezone.now()
    organisation.save()
    audit.record(actor=actor, action="organisation.update", obj=organisation, changes=changes)
    if changes.keys() & {"kind", "parent"}:
        moved = descendant_ids(organisation)
        return _Reach(documents=moved, renamed_or_moved=moved)
    renamed = {organisation.pk} if "name" in changes else set()
    return _Reach(documents={organisation.pk}, renamed_or_moved=renamed)


def network_create(*, actor: Any, **values: Any) -> Network:
    """Side effects: one audit entry."""
    return create_audited(Network, actor=actor, action="network.create", **values)


@transaction.atomic
def network_add_members(
    *,
    network: Network,
    organisations: Iterable[Organisation],
    actor: Any,
    joined_on: datetime.date | None = None,
) -> int:
    """Add organisations to a network; ones already in it are left alone. Returns how many
    were added. Side effects: one audit entry."""
    existing = set(network.memberships.values_list("organisation_id", flat=True))
    new = [
        NetworkMembership(network=network, organisation=org, joined_on=joined_on)
        for org in organisations
        if org.pk not in existing
    ]
    NetworkMembership.objects.bulk_create(new)
    if new:
        network.updated_at = timezone.now()
        network.save(update_fields=["updated_at"])
        audit.record(
            actor=actor,
            action="network.add_members",
            obj=network,
            changes={"added": [m.organisation.name for m in new]},
        )
    return len(new)


def person_create(*, actor: Any, **values: Any) -> Person:
    """Side effects: one audit entry."""
    return create_audited(Person, actor=actor, action="person.create", **values)


def membership_create(*, actor: Any, **values: Any) -> Membership:
    """Side effects: one audit entry."""
    return create_audited(Membership, actor=actor, action="membership.create", **values)


@transaction.atomic
def user_create(*, actor: Any, email: str, name: str, password: str, **extra: Any) -> User:
    user = User.objects.create_user(email, password, name=name, **extra)
    audit.record(actor=actor, action="user.create", obj=user)
    return user


# --- Import of municipalities -----------------------------------------------------------

MUNICIPALITY_COLUMNS = ("lgcode", "code5", "name", "kana", "type", "gun", "bureau")


@dataclass
class RowResult:
    line: int
    name: str
    status: str  # "created", "updated", "unchanged" or "error"
    errors: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    rows: list[RowResult]

    @property
    def ok(self) -> bool:
        return not any(row.errors for row in self.rows)

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)


class ImportRefusedError(Exception):
    """Raised when any row is wrong; nothing of the file has been saved."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__("import refused")
        self.report = report


def _municipality_row_errors(
    row: Mapping[str, str], offices: Mapping[str, Organisation]
) -> list[str]:
    errors: list[str] = []
    code5, lgcode = row.get("code5", ""), row.get("lgcode", "")
    if not (len(code5) == 5 and code5.isascii() and code5.isdigit()):
        errors.append(f"code5「{code5}」は半角数字5桁ではありません。")
    elif lgcode != f"{code5}{check_digit(code5)}":
        errors.append(
            f"lgcode「{lgcode}」は{code5}の検査数字付きコード{code5}{check_digit(code5)}と"
            "一致しません。"
        )
    if not row.get("name"):
        errors.append("name(名称)が空です。")
    if row.get("type") not in MunicipalityType.values:
        errors.append(f"type「{row.get('type', '')}」は市・町・村のいずれでもありません。")
    if row.get("bureau") not in offices:
        errors.append(
            f"bureau「{row.get('bureau', '')}」という地域振興局・支庁は登録されていません。"
        )
    return errors


@transaction.atomic
def municipalities_import(*, text: str, prefecture: Organisation, actor: Any) -> ImportReport:
    """Create or update the prefecture's municipalities from a CSV keyed by local government
    code. All or nothing: if any row is wrong, :class:`ImportRefusedError` carries the
    row-by-row report and the transaction is rolled back. Side effects: audit entries; the
    created and changed organisations are indexed for the search, in one refresh, and one
    :data:`signals.organisations_renamed_or_moved` names those renamed."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = set(MUNICIPALITY_COLUMNS) - set(reader.fieldnames or ())
    if missing:
        raise ImportRefusedError(
            ImportReport(
                [RowResult(1, "", "error", [f"列がありません: {', '.join(sorted(missing))}"])]
            )
        )
    offices = {
        office.name: office
        for office in Organisation.objects.filter(kind=OrganisationKind.REGIONAL_OFFICE)
    }
    existing = {org.lgcode: org for org in Organisation.objects.municipalities()}
    report = ImportReport([])
    reach = _Reach()
    for line, row in enumerate(reader, start=2):
        row = {key: (value or "").strip() for key, value in row.items() if key}
        result = RowResult(
            line, row.get("name", ""), "error", _municipality_row_errors(row, offices)
        )
        report.rows.append(result)
        if result.errors:
            continue
        values = {
            "kind": OrganisationKind.MUNICIPALITY,
            "name": row["name"],
            "kana": row["kana"],
            "parent": prefecture,
            "lgcode": row["lgcode"],
            "municipality_type": row["type"],
            "district": row["gun"],
            "regional_office": offices[row["bureau"]],
        }
        current = existing.get(row["lgcode"])
        try:
            if current is None:
                created = _create(actor=actor, values=values)
                existing[row["lgcode"]] = created
                reach.documents.add(created.pk)
                result.status = "created"
            else:
                affected = _update(organisation=current, actor=actor, values=values)
                reach.add(affected)
                result.status = "updated" if affected.documents else "unchanged"
        except ValidationError as error:
            result.errors.extend(error.messages)
    if not report.ok:
        raise ImportRefusedError(report)
    _reindex(reach)
    return report
