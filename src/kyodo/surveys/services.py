"""Every write of the questionnaire engine: building a questionnaire, opening and closing it,
asking people, and storing their answers."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import PROTECT, F, ForeignObjectRel, ProtectedError
from django.template.loader import render_to_string
from django.utils import timezone

from kyodo.core import audit
from kyodo.core.services import collect_errors, site_url
from kyodo.core.tasks import send_mail
from kyodo.directory.models import Organisation
from kyodo.surveys import queries
from kyodo.surveys.models import (
    SCALE_POINTS,
    Answer,
    Option,
    QuestionKind,
    Respondent,
    Response,
    Survey,
    SurveyQuestion,
    SurveyStatus,
)
from kyodo.surveys.rules import manager_of

SURVEY_FIELDS = ("title", "description", "closes_at")
QUESTION_FIELDS = (
    "kind",
    "text",
    "help_text",
    "required",
    "scale_low",
    "scale_high",
    "number_min",
    "number_max",
    "on_results",
)
MAX_OPTIONS = 50


@transaction.atomic
def survey_create(
    *,
    owner: Organisation,
    title: str,
    actor: Any,
    description: str = "",
    questions: Sequence[Mapping[str, Any]] = (),
) -> Survey:
    """A new questionnaire in preparation, with its questions if given.
    Side effects: audit entries (creation and questions)."""
    survey = Survey(owner=owner, title=title, description=description)
    errors: dict[str, list[str]] = {}
    collect_errors(survey, "", errors, exclude=["owner"])
    if errors:
        raise ValidationError(errors)
    survey.save()
    audit.record(actor=actor, action="survey.create", obj=survey, changes={"title": title})
    if questions:
        survey_save(survey=survey, fields={}, questions=questions, actor=actor)
    return survey


@transaction.atomic
def survey_save(
    *,
    survey: Survey,
    fields: Mapping[str, Any],
    questions: Sequence[Mapping[str, Any]],
    actor: Any,
) -> Survey:
    """Replace the questionnaire's own fields and its list of questions.

    Each question is a mapping of :data:`QUESTION_FIELDS` plus ``id`` (an existing question
    kept, or absent for a new one), ``options`` (labels, in order) and, for conditional
    display, ``show_if`` (the 1-based number of an earlier choice question in this list) with
    ``show_if_options`` (labels of its options). Questions and options already answered can be
    reworded and reordered but not removed, and their kind cannot change, so no answer loses
    its meaning; a question another model keeps (a collaboration evaluation's fixed
    questions) is not removed and keeps its kind and options, and a questionnaire another app
    runs (:func:`kyodo.surveys.rules.register_managed_elsewhere`) takes no new question, since
    that app's answer forms ask only the questions they know. Everything is checked first;
    on any error :class:`ValidationError` maps paths (``questions[2].options``) to messages
    and nothing is saved.
    Side effects: one audit entry."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    errors: dict[str, list[str]] = {}
    before = {name: getattr(survey, name) for name in SURVEY_FIELDS}
    for name in SURVEY_FIELDS:
        if name in fields:
            setattr(survey, name, fields[name])
    collect_errors(survey, "", errors, exclude=["owner"])
    existing = {q.pk: q for q in survey.questions.prefetch_related("options")}
    answered_questions = set(
        Answer.objects.filter(question__survey=survey).values_list("question_id", flat=True)
    )
    answered_options = set(
        Answer.objects.filter(question__survey=survey, option__isnull=False).values_list(
            "option_id", flat=True
        )
    )
    fixed = _used_elsewhere(survey)
    managed_by = manager_of(survey)
    kinds_before = {pk: question.kind for pk, question in existing.items()}
    planned: list[tuple[SurveyQuestion, list[str], int | None, list[str]]] = []
    for index, row in enumerate(questions):
        path = f"questions[{index}]"
        question = _planned_question(row, survey, existing, answered_questions, path, errors)
        if managed_by and not row.get("id"):
            errors.setdefault(path, []).append(
                f"このアンケートは{managed_by}の画面で管理しているため、質問を追加できません。"
            )
        if question.pk in fixed:
            _check_fixed(question, kinds_before[question.pk], row, fixed[question.pk], path, errors)
        question.position = index + 1
        labels = _option_labels(row, question, path, errors)
        for option in existing[question.pk].options.all() if question.pk else ():
            if option.pk in answered_options and option.label not in labels:
                errors.setdefault(f"{path}.options", []).append(
                    f"選択肢「{option.label}」には回答があるため、削除・変更できません。"
                )
        show_if = row.get("show_if")
        show_if_labels = [str(v) for v in row.get("show_if_options") or [] if str(v).strip()]
        if show_if not in (None, ""):
            _check_condition(int(show_if), show_if_labels, index, planned, path, errors)
        elif show_if_labels:
            errors.setdefault(f"{path}.show_if", []).append(
                "表示条件の選択肢を指定したときは、条件にする質問の番号も指定してください。"
            )
        planned.append((question, labels, int(show_if) if show_if else None, show_if_labels))
    kept_ids = {q.pk for q, *_ in planned if q.pk}
    for pk, question in existing.items():
        if pk not in kept_ids and pk in fixed:
            errors.setdefault("questions", []).append(
                f"「{question.text}」は{fixed[pk]}で使われているため削除できません。"
            )
        elif pk not in kept_ids and pk in answered_questions:
            errors.setdefault("questions", []).append(
                f"「{question.text}」には回答があるため削除できません。"
            )
    if errors:
        raise ValidationError(errors)

    survey.save()
    removed = [pk for pk in existing if pk not in kept_ids]
    SurveyQuestion.objects.filter(pk__in=removed).update(show_if=None)
    SurveyQuestion.objects.filter(show_if_id__in=removed).update(show_if=None)
    try:
        SurveyQuestion.objects.filter(pk__in=removed).delete()
    except ProtectedError as error:  # a use this function does not know of yet
        raise ValidationError(
            {"questions": ["他の機能で使われている質問があるため削除できません。"]}
        ) from error
    # Positions are unique: move the kept questions out of the way before renumbering.
    survey.questions.update(position=F("position") + 10_000)
    saved: list[SurveyQuestion] = []
    for question, labels, show_if, show_if_labels in planned:
        question.show_if = saved[show_if - 1] if show_if else None
        question.save()
        _save_options(question, labels, existing.get(question.pk))
        if show_if:
            question.show_if_options.set(
                Option.objects.filter(question=question.show_if, label__in=show_if_labels)
            )
        else:
            question.show_if_options.clear()
        saved.append(question)
    after = {name: getattr(survey, name) for name in SURVEY_FIELDS}
    changes = audit.diff(
        {k: str(v) for k, v in before.items()}, {k: str(v) for k, v in after.items()}
    )
    changes["questions"] = len(saved)
    audit.record(actor=actor, action="survey.save", obj=survey, changes=changes)
    return survey


def _used_elsewhere(survey: Survey) -> dict[int, str]:
    """The survey's questions that a model outside the engine keeps with PROTECT (a
    collaboration evaluation's level and comment questions), with that model's name: they
    cannot be removed, and their kind and options stay as they are."""
    found: dict[int, str] = {}
    for relation in SurveyQuestion._meta.get_fields(include_hidden=True):
        model = relation.related_model
        if (
            not isinstance(relation, ForeignObjectRel)
            or relation.on_delete is not PROTECT
            or not isinstance(model, type)
            or model._meta.app_label == SurveyQuestion._meta.app_label
        ):
            continue
        name = relation.field.name
        for pk in model._base_manager.filter(**{f"{name}__survey": survey}).values_list(
            name, flat=True
        ):
            found[pk] = str(model._meta.verbose_name)
    return found


def _check_fixed(
    question: SurveyQuestion,
    kind_before: str,
    row: Mapping[str, Any],
    used_by: str,
    path: str,
    errors: dict[str, list[str]],
) -> None:
    if question.kind != kind_before:
        errors.setdefault(f"{path}.kind", []).append(
            f"この質問は{used_by}で使われているため、回答の形式は変更できません。"
        )
    if question.kind in QuestionKind.with_options():
        labels = [str(label).strip() for label in row.get("options") or [] if str(label).strip()]
        if labels != [option.label for option in question.options.all()]:
            errors.setdefault(f"{path}.options", []).append(
                f"この質問は{used_by}で使われているため、選択肢は変更・並べ替えできません。"
            )


def _planned_question(
    row: Mapping[str, Any],
    survey: Survey,
    existing: Mapping[int, SurveyQuestion],
    answered: set[int],
    path: str,
    errors: dict[str, list[str]],
) -> SurveyQuestion:
    values = {name: row[name] for name in QUESTION_FIELDS if name in row and row[name] is not None}
    pk = row.get("id")
    if pk:
        question = existing.get(int(pk))
        if question is None:
            errors.setdefault(path, []).append("このアンケートにない質問です。")
            question = SurveyQuestion(survey=survey)
        elif question.pk in answered and values.get("kind", question.kind) != question.kind:
            errors.setdefault(f"{path}.kind", []).append(
                "回答がある質問の形式は変更できません。新しい質問として追加してください。"
            )
    else:
        question = SurveyQuestion(survey=survey)
    for name, value in values.items():
        setattr(question, name, value)
    question.position = 1  # set by the caller; validated as a number here
    collect_errors(question, path, errors, exclude=["survey", "show_if", "position"])
    if question.kind != QuestionKind.SCALE and (question.scale_low or question.scale_high):
        question.scale_low = question.scale_high = ""
    if question.kind != QuestionKind.NUMBER:
        question.number_min = question.number_max = None
    return question


def _option_labels(
    row: Mapping[str, Any], question: SurveyQuestion, path: str, errors: dict[str, list[str]]
) -> list[str]:
    labels = [str(label).strip() for label in row.get("options") or [] if str(label).strip()]
    if question.kind not in QuestionKind.with_options():
        return []
    if len(labels) < 2:
        errors.setdefault(f"{path}.options", []).append("選択肢を2つ以上入力してください。")
    if len(labels) > MAX_OPTIONS:
        errors.setdefault(f"{path}.options", []).append(f"選択肢は{MAX_OPTIONS}個までです。")
    duplicates = sorted({label for label in labels if labels.count(label) > 1})
    if duplicates:
        errors.setdefault(f"{path}.options", []).append(
            f"選択肢「{'」「'.join(duplicates)}」が重複しています。"
        )
    for label in labels:
        if len(label) > 200:
            errors.setdefault(f"{path}.options", []).append("選択肢は1つ200字までにしてください。")
            break
    return labels


def _check_condition(
    number: int,
    labels: list[str],
    index: int,
    planned: Sequence[tuple[SurveyQuestion, list[str], int | None, list[str]]],
    path: str,
    errors: dict[str, list[str]],
) -> None:
    if not 1 <= number <= index:
        errors.setdefault(f"{path}.show_if", []).append(
            f"表示条件にできるのは、この質問より前の質問(問1〜問{index})です。"
            if index
            else "最初の質問には表示条件を付けられません。"
        )
        return
    condition, options, _show_if, _labels = planned[number - 1]
    if condition.kind not in QuestionKind.with_options():
        errors.setdefault(f"{path}.show_if", []).append(
            f"問{number}は選択式ではないため、表示条件にできません。"
        )
        return
    if not labels:
        errors.setdefault(f"{path}.show_if_options", []).append(
            f"問{number}のどの選択肢のときに表示するかを指定してください。"
        )
    unknown = [label for label in labels if label not in options]
    if unknown:
        errors.setdefault(f"{path}.show_if_options", []).append(
            f"問{number}に選択肢「{'」「'.join(unknown)}」はありません。"
        )


def _save_options(
    question: SurveyQuestion, labels: list[str], before: SurveyQuestion | None
) -> None:
    current = {o.label: o for o in before.options.all()} if before else {}
    gone = [o.pk for label, o in current.items() if label not in labels]
    if gone:
        SurveyQuestion.show_if_options.through.objects.filter(option_id__in=gone).delete()
        Option.objects.filter(pk__in=gone).delete()
    Option.objects.filter(question=question).update(position=F("position") + 10_000)
    for position, label in enumerate(labels, start=1):
        option = current.get(label) or Option(question=question, label=label)
        option.position = position
        option.save()


@transaction.atomic
def survey_set_status(*, survey: Survey, status: str, actor: Any) -> Survey:
    """Open a questionnaire for answers, or close it. Opening needs at least one question.
    Side effects: one audit entry."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if status not in SurveyStatus.values:
        raise ValidationError({"status": ["状態の指定が正しくありません。"]})
    if status == SurveyStatus.OPEN and not survey.questions.exists():
        raise ValidationError({"status": ["質問が1つもないため、回答の受付を始められません。"]})
    if status == SurveyStatus.OPEN and survey.closes_at and survey.closes_at <= timezone.now():
        raise ValidationError(
            {"closes_at": ["回答締切が過ぎています。締切を延ばしてから受付を始めてください。"]}
        )
    before = survey.status
    survey.status = status
    survey.save(update_fields=["status"])
    audit.record(
        actor=actor, action="survey.status", obj=survey, changes={"status": [before, status]}
    )
    return survey


@transaction.atomic
def respondents_add(
    *, survey: Survey, people: Iterable[Mapping[str, Any]], actor: Any
) -> list[Respondent]:
    """Add the people to ask: mappings of ``name``, ``email``, ``organisation``, ``user`` and
    ``source``. A person whose ``source`` is already listed is not added again. Returns the
    respondents added. Side effects: one audit entry."""
    known = set(survey.respondents.exclude(source="").values_list("source", flat=True))
    added = []
    for person in people:
        if person.get("source") and person["source"] in known:
            continue
        respondent = Respondent(survey=survey, **person)
        respondent.full_clean(exclude=["survey", "token"])
        respondent.save()
        added.append(respondent)
    audit.record(
        actor=actor, action="survey.respondents_add", obj=survey, changes={"added": len(added)}
    )
    return added


@transaction.atomic
def survey_request(*, survey: Survey, actor: Any, context: Mapping[str, Any] | None = None) -> int:
    """E-mail each respondent who has an address and has not been asked yet their own link,
    sent by the task worker after the transaction commits. ``context`` adds to the message's
    template context (e.g. the meeting). Returns how many messages were queued.
    Side effects: ``sent_at`` on the respondents, queued mail, one audit entry."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.status != SurveyStatus.OPEN:
        raise ValidationError("回答の受付を始めてから依頼を送ってください。")
    now = timezone.now()
    queued = 0
    for respondent in survey.respondents.filter(sent_at__isnull=True).exclude(email=""):
        body = render_to_string(
            "surveys/mail/request.txt",
            {
                **(context or {}),
                "survey": survey,
                "respondent": respondent,
                "url": site_url(respondent.get_absolute_url()),
            },
        )
        transaction.on_commit(
            functools.partial(
                send_mail.enqueue,
                subject=f"【アンケートのお願い】{survey.title}",
                body=body,
                to=[respondent.email],
            )
        )
        respondent.sent_at = now
        respondent.save(update_fields=["sent_at"])
        queued += 1
    audit.record(actor=actor, action="survey.request", obj=survey, changes={"queued": queued})
    return queued


# --- Answers ------------------------------------------------------------------------------


class AnswerRefusedError(ValidationError):
    """Answers that cannot be stored; ``message_dict`` maps ``q<question id>`` (or
    ``__all__``) to messages in Japanese. Nothing was saved."""


@transaction.atomic
def response_submit(
    *,
    respondent: Respondent,
    answers: Mapping[int, Any],
    version: int | None,
    actor: Any,
    now: datetime.datetime | None = None,
) -> Response:
    """Store a respondent's answers, replacing their earlier ones.

    ``answers`` maps question ids to the value given: an option id (single choice), a list of
    option ids (multiple choice), an int (scale 1–5, number) or text; empty values count as
    unanswered. ``version`` is the version of the response the form was filled from (``None``
    for a first answer): a second first answer, or a save over a newer version, is refused so
    nobody overwrites answers they have not seen. Questions hidden by their display condition
    are not stored. Side effects: one audit entry (without the answers' content)."""
    respondent = (
        Respondent.objects.select_for_update().select_related("survey").get(pk=respondent.pk)
    )
    survey = respondent.survey
    moment = now or timezone.now()
    if not survey.accepts_answers(moment):
        message = (
            "このアンケートはまだ回答を受け付けていません。"
            if survey.status == SurveyStatus.DRAFT
            else "このアンケートの回答は締め切りました。回答の追加・修正はできません。"
        )
        raise AnswerRefusedError({"__all__": [message]})
    response = Response.objects.filter(respondent=respondent).first()
    if response is not None and version is None:
        raise AnswerRefusedError(
            {
                "__all__": [
                    "この依頼先からの回答はすでに送信されています。"
                    "回答を修正するときは、回答ページを開き直してから送信してください。"
                ]
            }
        )
    if response is not None and version != response.version:
        raise AnswerRefusedError(
            {
                "__all__": [
                    "回答ページを開いた後に、別の画面で回答が更新されました。"
                    "ページを開き直して、最新の回答を確認してから送信してください。"
                ]
            }
        )
    if response is None and version is not None:
        raise AnswerRefusedError(
            {"__all__": ["修正する回答が見つかりません。ページを開き直してください。"]}
        )
    questions = queries.questions(survey)
    rows, errors = _answer_rows(questions, answers)
    if errors:
        raise AnswerRefusedError(errors)
    if response is None:
        response = Response.objects.create(
            survey=survey, respondent=respondent, submitted_at=moment, updated_at=moment
        )
        action = "survey.respond"
    else:
        response.answers.all().delete()
        response.version += 1
        response.updated_at = moment
        response.save(update_fields=["version", "updated_at"])
        action = "survey.respond_again"
    for row in rows:
        row.response = response
    Answer.objects.bulk_create(rows)
    audit.record(
        actor=actor,
        action=action,
        obj=response,
        changes={"version": response.version, "answers": len(rows)},
    )
    return response


def _answer_rows(
    questions: Sequence[SurveyQuestion], answers: Mapping[int, Any]
) -> tuple[list[Answer], dict[str, list[str]]]:
    rows: list[Answer] = []
    errors: dict[str, list[str]] = {}
    chosen: dict[int, set[int]] = {}
    for question in questions:
        key = f"q{question.pk}"
        if not queries.is_shown(question, chosen):
            continue
        value: Any = answers.get(question.pk)
        empty = value in (None, "", [], ())
        if empty:
            if question.required:
                errors[key] = ["この質問は回答必須です。"]
            continue
        if question.kind in QuestionKind.with_options():
            offered = {o.pk for o in question.options.all()}
            picked = [value] if question.kind == QuestionKind.SINGLE else list(value)
            try:
                ids = [int(v) for v in picked]
            except (TypeError, ValueError):
                ids = []
            if not ids or any(i not in offered for i in ids) or len(set(ids)) != len(ids):
                errors[key] = ["選択肢の中から選んでください。"]
                continue
            chosen[question.pk] = set(ids)
            rows += [Answer(question=question, option_id=i) for i in ids]
        elif question.kind in QuestionKind.numeric():
            number = _number(value)
            low, high = (
                (1, SCALE_POINTS)
                if question.kind == QuestionKind.SCALE
                else (question.number_min, question.number_max)
            )
            if number is None:
                errors[key] = ["整数で入力してください。"]
            elif (low is not None and number < low) or (high is not None and number > high):
                errors[key] = [_range_message(low, high)]
            else:
                rows.append(Answer(question=question, number=number))
        else:
            text = str(value).strip()
            limit = 200 if question.kind == QuestionKind.SHORT_TEXT else 4000
            if len(text) > limit:
                errors[key] = [f"{limit}字以内で入力してください(いま{len(text)}字)。"]
            elif text:
                rows.append(Answer(question=question, text=text))
            elif question.required:
                errors[key] = ["この質問は回答必須です。"]
    return rows, errors


def _number(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    try:
        return int(str(value).strip())
    except ValueError:
        return None


def _range_message(low: int | None, high: int | None) -> str:
    if low is not None and high is not None:
        return f"{low}から{high}までの整数で入力してください。"
    if low is not None:
        return f"{low}以上の整数で入力してください。"
    return f"{high}以下の整数で入力してください。"
