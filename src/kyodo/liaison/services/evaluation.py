"""Every write of the collaboration evaluation (協働評価): a department's programmes, the
yearly round (one questionnaire of the municipality, one sheet per programme) and a
department's answer to a sheet, stored through the questionnaire engine."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from kyodo.core import audit
from kyodo.core.dates import format_fiscal_year
from kyodo.core.services import collect_errors
from kyodo.directory.models import Organisation, OrganisationKind
from kyodo.liaison.models import (
    COLLABORATION_QUESTION,
    ROUND_TAKEN,
    CollaborationLevel,
    EvaluationRound,
    EvaluationSheet,
    Programme,
)
from kyodo.liaison.queries.evaluation import partners_of, programmes_of
from kyodo.surveys import services as surveys
from kyodo.surveys.models import Option, QuestionKind, Respondent, SurveyStatus

PROGRAMME_FIELDS = ("code", "name", "description", "is_active")
COMMENT_QUESTION = "コメント(協働の状況、課題、次年度に向けて)"
NAME_TAKEN = "この課には同じ名前の事務事業がすでにあります。"
ROUND_CLOSED = "この年度の協働評価は締め切られています。回答の追加・修正はできません。"


def round_questions() -> list[dict[str, Any]]:
    """The round's two fixed questions: the level, with one option per
    :class:`CollaborationLevel` in order, and the comment."""
    return [
        {
            "kind": QuestionKind.SINGLE,
            "text": COLLABORATION_QUESTION,
            "required": True,
            "options": [str(level.label) for level in CollaborationLevel],
        },
        {
            "kind": QuestionKind.LONG_TEXT,
            "text": COMMENT_QUESTION,
            "help_text": "協働の相手とどのように取り組んだか、うまくいかなかった点などを書きます。",
        },
    ]


# --- Programmes ---------------------------------------------------------------------------


@transaction.atomic
def programme_save(
    *,
    municipality: Organisation,
    department: Organisation,
    values: Mapping[str, Any],
    actor: Any,
    programme: Programme | None = None,
) -> Programme:
    """Add a programme (事務事業) to a department of the municipality, or change one of its
    programmes (also moving it to another of its departments). The actor must be allowed to
    change programmes (``liaison.change_programme``) of the department, and of the
    programme's department before a move. Raises ValidationError with every problem at once,
    the name already used in the department beside the name; nothing is saved then.
    Side effects: one audit entry."""
    if (
        department.kind != OrganisationKind.DEPARTMENT
        or department.parent_id != municipality.pk
        or (programme is not None and programme.department.parent_id != municipality.pk)
    ):
        raise ValidationError({"department": [f"{municipality.name}の課を選んでください。"]})
    if not actor.has_perm("liaison.change_programme", department) or (
        programme is not None and not actor.has_perm("liaison.change_programme", programme)
    ):
        raise ValidationError(
            {"department": [f"{department.name}の事務事業を登録・変更する権限がありません。"]}
        )
    creating = programme is None
    if programme is None:
        programme = Programme()
        before: dict[str, str] = {}
    else:
        before = {name: str(getattr(programme, name)) for name in ("department", *PROGRAMME_FIELDS)}
    programme.department = department
    for name in PROGRAMME_FIELDS:
        if name in values:
            setattr(programme, name, values[name])
    errors: dict[str, list[str]] = {}
    collect_errors(programme, "", errors)
    if NAME_TAKEN in errors.get("__all__", []):
        errors["__all__"].remove(NAME_TAKEN)
        errors.setdefault("name", []).append(NAME_TAKEN)
        if not errors["__all__"]:
            del errors["__all__"]
    if errors:
        raise ValidationError(errors)
    programme.save()
    after = {name: str(getattr(programme, name)) for name in ("department", *PROGRAMME_FIELDS)}
    audit.record(
        actor=actor,
        action="liaison.programme_create" if creating else "liaison.programme_change",
        obj=programme,
        changes=audit.diff(before, after),
    )
    return programme


# --- Rounds -------------------------------------------------------------------------------


@transaction.atomic
def round_start(*, municipality: Organisation, fiscal_year: int, actor: Any) -> EvaluationRound:
    """Start the year's evaluation: the municipality's questionnaire with the two fixed
    questions, a sheet for every active programme, and the questionnaire opened for answers.
    A second round for the same year is refused with the constraint's message, also when
    another start of the same year commits between the check and the insert.
    Side effects: the survey and its respondents (with their audit entries), one entry."""
    if municipality.kind != OrganisationKind.MUNICIPALITY:
        raise ValidationError("協働評価は市町村ごとに行います。")
    evaluation = EvaluationRound(municipality=municipality, fiscal_year=fiscal_year)
    errors: dict[str, list[str]] = {}
    # Checks the constraints too: a round of the year already there is refused here.
    collect_errors(evaluation, "", errors, exclude=["survey", "level_question", "comment_question"])
    if errors:
        raise ValidationError(errors)
    survey = surveys.survey_create(
        owner=municipality,
        title=f"{format_fiscal_year(fiscal_year)} 事務事業評価(協働)",
        description=(
            "事務事業ごとに、市民・地域団体との協働ができているかを評価します。"
            "評価の理由や課題をコメントに書いてください。"
        ),
        questions=round_questions(),
        actor=actor,
    )
    level, comment = survey.questions.order_by("position")
    evaluation.survey = survey
    evaluation.level_question = level
    evaluation.comment_question = comment
    try:
        with transaction.atomic():  # a savepoint, so the failed insert leaves us usable
            evaluation.save()
    except IntegrityError as error:  # a simultaneous start of the year got there first
        raise ValidationError(ROUND_TAKEN) from error
    added = _add_sheets(evaluation, actor=actor)
    evaluation.survey = surveys.survey_set_status(
        survey=survey, status=SurveyStatus.OPEN, actor=actor
    )
    audit.record(
        actor=actor,
        action="liaison.round_start",
        obj=evaluation,
        changes={"fiscal_year": fiscal_year, "sheets": added},
    )
    return evaluation


def _add_sheets(evaluation: EvaluationRound, *, actor: Any) -> int:
    """A sheet for every active programme of the municipality without one in the round."""
    have = set(evaluation.sheets.values_list("programme_id", flat=True))
    programmes = [
        programme
        for programme in programmes_of(evaluation.municipality).filter(is_active=True)
        if programme.pk not in have
    ]
    if not programmes:
        return 0
    sources = {f"liaison.programme:{programme.pk}": programme for programme in programmes}
    surveys.respondents_add(
        survey=evaluation.survey,
        people=[
            {
                "name": programme.name[:100],
                "organisation": programme.department,
                "source": source,
            }
            for source, programme in sources.items()
        ],
        actor=actor,
    )
    respondents = Respondent.objects.filter(survey=evaluation.survey, source__in=list(sources))
    EvaluationSheet.objects.bulk_create(
        EvaluationSheet(
            round=evaluation, programme=sources[respondent.source], respondent=respondent
        )
        for respondent in respondents
    )
    return len(programmes)


@transaction.atomic
def round_add_sheets(*, evaluation: EvaluationRound, actor: Any) -> int:
    """Give the programmes added (or made active) since the round started their sheet.
    Refused once the round is closed. Returns how many sheets were added.
    Side effects: respondents of the survey, one audit entry."""
    evaluation = EvaluationRound.objects.select_for_update().get(pk=evaluation.pk)
    if evaluation.survey.status != SurveyStatus.OPEN:
        raise ValidationError(
            "締め切った協働評価にはシートを追加できません。受付を再開してから追加してください。"
        )
    added = _add_sheets(evaluation, actor=actor)
    audit.record(
        actor=actor, action="liaison.round_add_sheets", obj=evaluation, changes={"added": added}
    )
    return added


@transaction.atomic
def round_set_open(*, evaluation: EvaluationRound, is_open: bool, actor: Any) -> EvaluationRound:
    """Close the round (no more answers or changes) or open it again.
    Side effects: the survey's status, one audit entry."""
    evaluation.survey = surveys.survey_set_status(
        survey=evaluation.survey,
        status=SurveyStatus.OPEN if is_open else SurveyStatus.CLOSED,
        actor=actor,
    )
    audit.record(
        actor=actor,
        action="liaison.round_open" if is_open else "liaison.round_close",
        obj=evaluation,
    )
    return evaluation


# --- A department's answer ----------------------------------------------------------------


@transaction.atomic
def sheet_answer(
    *,
    sheet: EvaluationSheet,
    level: str,
    comment: str,
    partners: Iterable[Organisation],
    other_partners: str,
    version: int | None,
    actor: Any,
) -> EvaluationSheet:
    """Store a department's answer to a programme's sheet: the level and the comment in the
    questionnaire engine (``version`` as the form read it, so a save made meanwhile by a
    colleague is not overwritten), the partners on the sheet. Refused, with nothing saved:
    an actor who is not of the sheet's department, no level, a partner that is not a
    community organisation of the municipality, a closed round, a stale version. Side
    effects: the engine's response and its audit entry, one entry for the sheet."""
    sheet = EvaluationSheet.objects.select_related(
        "round__municipality", "round__survey", "respondent"
    ).get(pk=sheet.pk)
    evaluation = sheet.round
    if not actor.has_perm("liaison.answer_sheet", sheet):
        raise ValidationError("この事務事業評価シートに回答できるのは、担当課の職員です。")
    if not evaluation.survey.accepts_answers():
        raise ValidationError(ROUND_CLOSED)
    errors: dict[str, list[str]] = {}
    option = None
    if level not in CollaborationLevel.values:
        errors["level"] = ["「協働ができていますか」の答えを選んでください。"]
    else:
        label = str(CollaborationLevel(level).label)
        option = Option.objects.filter(
            question_id=evaluation.level_question_id, label=label
        ).first()
        if option is None:
            errors["level"] = [
                f"評価の選択肢「{label}」が見つかりません。管理者に連絡してください。"
            ]
    chosen = list(partners)
    allowed = set(
        partners_of(evaluation.municipality)
        .filter(pk__in=[p.pk for p in chosen])
        .values_list("pk", flat=True)
    )
    strangers = [p.name for p in chosen if p.pk not in allowed]
    if strangers:
        errors["partners"] = [
            f"「{'」「'.join(strangers)}」はこの市町村の地域団体として選べません。"
        ]
    other_partners = other_partners.strip()
    sheet.other_partners = other_partners
    collect_errors(sheet, "", errors, exclude=["round", "programme", "respondent", "partners"])
    if errors:
        raise ValidationError(errors)
    fields = {
        f"q{evaluation.level_question_id}": "level",
        f"q{evaluation.comment_question_id}": "comment",
    }
    try:
        surveys.response_submit(
            respondent=sheet.respondent,
            answers={
                evaluation.level_question_id: option.pk if option else None,
                evaluation.comment_question_id: comment,
            },
            version=version,
            actor=actor,
        )
    except surveys.AnswerRefusedError as refused:
        raise ValidationError(
            {fields.get(key, key): messages for key, messages in refused.message_dict.items()}
        ) from refused
    before = sorted(sheet.partners.values_list("pk", flat=True))
    sheet.save(update_fields=["other_partners"])
    sheet.partners.set(chosen)
    audit.record(
        actor=actor,
        action="liaison.sheet_answer",
        obj=sheet,
        changes={
            "level": level,
            "partners": [before, sorted(p.pk for p in chosen)],
            "version": (version or 0) + 1,
        },
    )
    return sheet
