"""Reads of the collaboration evaluation (協働評価): programmes, rounds, a department's sheets
and the summary by department and year. Every list is read in a fixed number of queries,
however many programmes and answers there are."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404

from kyodo.core.dates import format_fiscal_year
from kyodo.directory.models import Organisation, OrganisationKind
from kyodo.directory.rules import roles_of
from kyodo.liaison.models import (
    FISCAL_YEAR_RANGE,
    CollaborationLevel,
    EvaluationRound,
    EvaluationSheet,
    Programme,
)
from kyodo.surveys.models import Answer, Response, SurveyStatus

# The organisations a department may name as partners: the municipality's community
# councils, neighbourhood associations and NPOs.
PARTNER_KINDS = (
    OrganisationKind.COMMUNITY_COUNCIL,
    OrganisationKind.NEIGHBOURHOOD_ASSOCIATION,
    OrganisationKind.NPO,
)
UNANSWERED = "未回答"
LEVEL_BY_LABEL = {str(level.label): level for level in CollaborationLevel}


# --- Loading what a URL names -------------------------------------------------------------


def municipality_by_pk(*, municipality_pk: int, **_: Any) -> Organisation:
    return get_object_or_404(Organisation, pk=municipality_pk, kind=OrganisationKind.MUNICIPALITY)


@dataclass(frozen=True)
class MunicipalityYear:
    """A municipality's fiscal year, named by a URL; the rules read ``municipality``."""

    municipality: Organisation
    fiscal_year: int


def municipality_year(*, municipality_pk: int, fiscal_year: int, **_: Any) -> MunicipalityYear:
    low, high = FISCAL_YEAR_RANGE
    if not low <= fiscal_year <= high:
        raise Http404
    return MunicipalityYear(municipality_by_pk(municipality_pk=municipality_pk), fiscal_year)


def programme_by_pk(*, pk: int, **_: Any) -> Programme:
    return get_object_or_404(
        Programme.objects.select_related("department__parent"),
        pk=pk,
        department__kind=OrganisationKind.DEPARTMENT,
    )


def round_by_pk(*, pk: int, **_: Any) -> EvaluationRound:
    return get_object_or_404(
        EvaluationRound.objects.select_related("municipality", "survey"), pk=pk
    )


def sheet_by_pk(*, pk: int, **_: Any) -> EvaluationSheet:
    return get_object_or_404(
        EvaluationSheet.objects.select_related(
            "programme__department",
            "respondent__organisation",
            "round__municipality",
            "round__survey",
            "round__level_question",
            "round__comment_question",
        ),
        pk=pk,
    )


# --- Programmes ---------------------------------------------------------------------------


def departments_of(municipality: Organisation) -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        parent=municipality, kind=OrganisationKind.DEPARTMENT
    ).order_by("kana", "name")


def departments_for(user: Any, municipality: Organisation) -> QuerySet[Organisation]:
    """The departments whose programmes the person may add and change: every department
    for the evaluation's managers, their own department(s) for everyone else."""
    found = departments_of(municipality)
    if user.has_perm("liaison.manage_evaluation", municipality):
        return found
    return found.filter(pk__in=roles_of(user).editable_org_ids)


def programmes_of(municipality: Organisation) -> QuerySet[Programme]:
    """Every programme of the municipality's departments, by department, code and name."""
    return (
        Programme.objects.filter(
            department__parent=municipality, department__kind=OrganisationKind.DEPARTMENT
        )
        .select_related("department__parent")
        .order_by("department__kana", "department__name", "code", "name")
    )


def partners_of(municipality: Organisation) -> QuerySet[Organisation]:
    """The community organisations under the municipality in the tree (a council, an
    association under a council, an NPO under the municipality, a council or an
    association)."""
    return Organisation.objects.filter(
        Q(parent=municipality)
        | Q(parent__parent=municipality)
        | Q(parent__parent__parent=municipality),
        kind__in=PARTNER_KINDS,
    ).order_by("kind", "kana", "name")


# --- Rounds -------------------------------------------------------------------------------


@dataclass
class RoundRow:
    round: EvaluationRound
    sheets: int
    answered: int
    missing: int  # active programmes without a sheet in this round

    @property
    def is_open(self) -> bool:
        return self.round.survey.status == SurveyStatus.OPEN


def rounds_of(municipality: Organisation) -> list[RoundRow]:
    """The municipality's rounds, newest year first, with how many sheets are answered and
    how many active programmes have no sheet yet. Three queries."""
    rounds = list(
        EvaluationRound.objects.filter(municipality=municipality)
        .select_related("survey")
        .annotate(
            sheet_count=Count("sheets", distinct=True),
            answered_count=Count(
                "sheets", filter=Q(sheets__respondent__response__isnull=False), distinct=True
            ),
        )
        .order_by("-fiscal_year")
    )
    if not rounds:
        return []
    active = set(programmes_of(municipality).filter(is_active=True).values_list("pk", flat=True))
    with_sheet: dict[int, set[int]] = {}
    for round_id, programme_id in EvaluationSheet.objects.filter(round__in=rounds).values_list(
        "round_id", "programme_id"
    ):
        with_sheet.setdefault(round_id, set()).add(programme_id)
    return [
        RoundRow(
            round=found,
            sheets=found.sheet_count,
            answered=found.answered_count,
            missing=len(active - with_sheet.get(found.pk, set())),
        )
        for found in rounds
    ]


def round_for(municipality: Organisation, fiscal_year: int) -> EvaluationRound | None:
    return (
        EvaluationRound.objects.filter(municipality=municipality, fiscal_year=fiscal_year)
        .select_related("survey")
        .first()
    )


# --- Sheets -------------------------------------------------------------------------------


def _with_answers(sheets: QuerySet[EvaluationSheet]) -> QuerySet[EvaluationSheet]:
    """Each sheet with its level's label (``level_label``, ``None`` when unanswered), its
    comment, when it was last saved, and its partners — two queries for any number —, by
    the department that answers it."""
    answers = Answer.objects.filter(response__respondent_id=OuterRef("respondent_id"))
    return (
        sheets.select_related("programme__department", "respondent__organisation", "round")
        .annotate(
            level_label=Subquery(
                answers.filter(question_id=OuterRef("round__level_question_id")).values(
                    "option__label"
                )[:1]
            ),
            comment=Subquery(
                answers.filter(question_id=OuterRef("round__comment_question_id")).values("text")[
                    :1
                ]
            ),
            updated_at=F("respondent__response__updated_at"),
        )
        .prefetch_related(
            Prefetch("partners", queryset=Organisation.objects.order_by("kind", "kana", "name"))
        )
        .order_by(
            "respondent__organisation__kana",
            "respondent__organisation__name",
            "programme__code",
            "programme__name",
        )
    )


@dataclass
class SheetRow:
    sheet: EvaluationSheet
    level: CollaborationLevel | None
    comment: str
    partners: str

    @property
    def level_label(self) -> str:
        return str(self.level.label) if self.level else UNANSWERED

    @property
    def programme(self) -> Programme:
        return self.sheet.programme

    @property
    def department(self) -> Organisation:
        return self.sheet.department


def _rows(sheets: Iterable[EvaluationSheet]) -> list[SheetRow]:
    rows = []
    for sheet in sheets:
        names = [partner.name for partner in sheet.partners.all()]
        if sheet.other_partners:
            names.append(sheet.other_partners)
        rows.append(
            SheetRow(
                sheet=sheet,
                level=LEVEL_BY_LABEL.get(sheet.level_label or ""),  # type: ignore[attr-defined]
                comment=sheet.comment or "",  # type: ignore[attr-defined]
                partners="、".join(names),
            )
        )
    return rows


def sheets_of_departments(
    municipality: Organisation, fiscal_year: int, department_ids: Iterable[int]
) -> list[SheetRow]:
    """The year's sheets these departments answer, with their answers (three queries)."""
    return _rows(
        _with_answers(
            EvaluationSheet.objects.filter(
                round__municipality=municipality,
                round__fiscal_year=fiscal_year,
                respondent__organisation_id__in=list(department_ids),
            )
        )
    )


def sheets_for(user: Any, municipality: Organisation, fiscal_year: int) -> list[SheetRow]:
    """The year's sheets of the departments the person edits."""
    return sheets_of_departments(municipality, fiscal_year, roles_of(user).editable_org_ids)


def sheet_initial(sheet: EvaluationSheet) -> tuple[int | None, dict[str, Any]]:
    """The version of the sheet's saved answer (``None`` before the first) and its values
    as the sheet's form takes them (three queries)."""
    response = Response.objects.filter(respondent_id=sheet.respondent_id).first()
    partners = list(sheet.partners.values_list("pk", flat=True))
    initial: dict[str, Any] = {"other_partners": sheet.other_partners, "partners": partners}
    if response is None:
        return None, initial
    evaluation = sheet.round
    for question_id, label, text in Answer.objects.filter(response=response).values_list(
        "question_id", "option__label", "text"
    ):
        if question_id == evaluation.level_question_id and label in LEVEL_BY_LABEL:
            initial["level"] = LEVEL_BY_LABEL[label].value
        elif question_id == evaluation.comment_question_id:
            initial["comment"] = text
    return response.version, initial


# --- The summary --------------------------------------------------------------------------

LEVELS: tuple[CollaborationLevel, ...] = tuple(CollaborationLevel)


@dataclass
class Counts:
    """How many sheets gave each level, and how many are not answered."""

    label: str
    by_level: dict[CollaborationLevel, int] = field(default_factory=dict)
    unanswered: int = 0

    @property
    def total(self) -> int:
        return sum(self.by_level.values()) + self.unanswered

    @property
    def cells(self) -> list[tuple[str, int]]:
        """(label, count) for each level in order, then 未回答."""
        return [(str(level.label), self.by_level.get(level, 0)) for level in LEVELS] + [
            (UNANSWERED, self.unanswered)
        ]

    def add(self, other: Counts) -> None:
        for level, count in other.by_level.items():
            self.by_level[level] = self.by_level.get(level, 0) + count
        self.unanswered += other.unanswered


@dataclass
class DepartmentSummary:
    department: Organisation
    counts: Counts
    rows: list[SheetRow]


@dataclass
class Summary:
    round: EvaluationRound | None
    departments: list[DepartmentSummary]
    totals: Counts

    @property
    def rows(self) -> list[SheetRow]:
        return [row for department in self.departments for row in department.rows]


def _level_counts(
    answers: QuerySet[Answer], group: str
) -> dict[Any, dict[CollaborationLevel, int]]:
    """Counts of the level answers grouped by ``group`` (one aggregate query)."""
    counts: dict[Any, dict[CollaborationLevel, int]] = {}
    for key, label, count in (
        answers.filter(option__isnull=False)
        .values(group, "option__label")
        .annotate(n=Count("pk"))
        .values_list(group, "option__label", "n")
    ):
        level = LEVEL_BY_LABEL.get(label)
        if level is not None:
            counts.setdefault(key, {})[level] = count
    return counts


def summary(municipality: Organisation, fiscal_year: int) -> Summary:
    """Per department that answered the sheets (:attr:`EvaluationSheet.department`: a
    programme moved since stays under its department of that year), the sheets giving each
    level and those not answered, with every sheet's comment and partners; totals over the
    departments. The counts are taken from the same rows the page lists; four queries
    whatever the number of programmes."""
    found = round_for(municipality, fiscal_year)
    if found is None:
        return Summary(round=None, departments=[], totals=Counts(label="合計"))
    rows = _rows(_with_answers(EvaluationSheet.objects.filter(round=found)))
    departments: dict[int, DepartmentSummary] = {}
    for row in rows:
        department = row.department
        entry = departments.get(department.pk)
        if entry is None:
            entry = departments[department.pk] = DepartmentSummary(
                department=department, counts=Counts(label=department.name), rows=[]
            )
        entry.rows.append(row)
        if row.level is None:
            entry.counts.unanswered += 1
        else:
            entry.counts.by_level[row.level] = entry.counts.by_level.get(row.level, 0) + 1
    totals = Counts(label="合計")
    for entry in departments.values():
        totals.add(entry.counts)
    return Summary(round=found, departments=list(departments.values()), totals=totals)


def years_of(municipality: Organisation) -> list[tuple[int, Counts]]:
    """The municipality's totals for every round, oldest first (three queries)."""
    years = list(
        EvaluationRound.objects.filter(municipality=municipality)
        .order_by("fiscal_year")
        .values_list("fiscal_year", flat=True)
    )
    if not years:
        return []
    counted = _level_counts(
        Answer.objects.filter(
            response__survey__liaison_round__municipality=municipality,
            question_id=F("response__survey__liaison_round__level_question_id"),
        ),
        "response__survey__liaison_round__fiscal_year",
    )
    sheets = dict(
        EvaluationSheet.objects.filter(round__municipality=municipality)
        .values("round__fiscal_year")
        .annotate(n=Count("pk"))
        .values_list("round__fiscal_year", "n")
    )
    result = []
    for year in years:
        counts = Counts(label=format_fiscal_year(year), by_level=counted.get(year, {}))
        counts.unanswered = sheets.get(year, 0) - sum(counts.by_level.values())
        result.append((year, counts))
    return result


def export_rows(summary: Summary) -> Sequence[tuple[str, str, str, str, str, str]]:
    """The summary's sheets as the CSV has them: the same rows, in the same order, as the
    page's comments."""
    return [
        (
            row.department.name,
            row.programme.code,
            row.programme.name,
            row.level_label,
            row.comment,
            row.partners,
        )
        for row in summary.rows
    ]
