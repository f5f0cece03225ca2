"""Reads of the questionnaire engine. The summary is computed by the database in a fixed
number of queries, however many responses there are."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Avg, Count, F, Max, Min, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from kyodo.surveys.models import (
    SCALE_POINTS,
    Answer,
    QuestionKind,
    Respondent,
    Response,
    Survey,
    SurveyQuestion,
)

TEXTS_SHOWN = 50


def questions(survey: Survey) -> list[SurveyQuestion]:
    """The questions in order, with their options and display conditions (3 queries)."""
    return list(
        SurveyQuestion.objects.filter(survey=survey)
        .prefetch_related("options", "show_if_options")
        .order_by("position")
    )


def is_shown(question: SurveyQuestion, chosen: Mapping[int, set[int]]) -> bool:
    """Whether a question is asked, given the options chosen so far (question id → option
    ids) in the questions before it. A question whose condition question is itself not
    shown has no choice recorded, so it is not shown either."""
    if question.show_if_id is None:
        return True
    wanted = {o.pk for o in question.show_if_options.all()}
    return bool(chosen.get(question.show_if_id, set()) & wanted)


class LinkError(Exception):
    """A private link that leads to no respondent of this questionnaire."""


def respondent_for_link(survey_pk: int, token: str) -> Respondent:
    """The respondent a private link stands for, or 404 with a message that tells a link of
    another questionnaire from an unknown one."""
    respondent = (
        Respondent.objects.select_related("survey", "organisation").filter(token=token).first()
    )
    if respondent is None:
        raise LinkError(
            "この回答用リンクは見つかりません。依頼メールのリンクをそのまま開いてください。"
        )
    if respondent.survey_id != survey_pk:
        raise LinkError(
            "この回答用リンクは別のアンケートのものです。依頼メールのリンクをそのまま開いてください。"
        )
    return respondent


def respondent_of_user(survey: Survey, user: Any) -> Respondent | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Respondent.objects.filter(survey=survey, user=user).first()


def response_of(respondent: Respondent) -> tuple[Response | None, dict[int, Any]]:
    """The respondent's response, if any, and its answers as the form takes them."""
    response = Response.objects.filter(respondent=respondent).first()
    values: dict[int, Any] = {}
    if response is None:
        return None, values
    for answer in response.answers.select_related("question"):
        kind = answer.question.kind
        if kind == QuestionKind.MULTIPLE:
            values.setdefault(answer.question_id, []).append(answer.option_id)
        elif kind == QuestionKind.SINGLE:
            values[answer.question_id] = answer.option_id
        elif kind in QuestionKind.numeric():
            values[answer.question_id] = answer.number
        else:
            values[answer.question_id] = answer.text
    return response, values


# --- The summary --------------------------------------------------------------------------


@dataclass
class Bar:
    label: str
    count: int
    percent: float = 0.0


@dataclass
class QuestionSummary:
    question: SurveyQuestion
    answered: int = 0
    bars: list[Bar] = field(default_factory=list)
    average: float | None = None
    minimum: int | None = None
    maximum: int | None = None
    texts: list[str] = field(default_factory=list)

    @property
    def chart_height(self) -> int:
        return 28 * len(self.bars) + 8

    @property
    def more_texts(self) -> int:
        return max(self.answered - len(self.texts), 0)


@dataclass
class Summary:
    survey: Survey
    respondents: int
    responses: int
    questions: list[QuestionSummary]


def summary(survey: Survey, *, on_results_only: bool = False) -> Summary:
    """Counts per option (a multiple-choice answer counts once for each option chosen),
    the distribution and average of scales, numbers' average and range, and the latest free
    texts. Eight queries whatever the number of responses."""
    chosen = SurveyQuestion.objects.filter(survey=survey)
    if on_results_only:
        chosen = chosen.filter(on_results=True)
    found = list(chosen.prefetch_related("options").order_by("position"))
    ids = [q.pk for q in found]
    answers = Answer.objects.filter(question_id__in=ids)
    counts = Respondent.objects.filter(survey=survey).aggregate(
        asked=Count("pk"), answered=Count("response")
    )
    per_option = dict(
        answers.filter(option__isnull=False)
        .values("option_id")
        .annotate(n=Count("pk"))
        .values_list("option_id", "n")
    )
    numeric = {
        row["question_id"]: row
        for row in answers.filter(number__isnull=False)
        .values("question_id")
        .annotate(avg=Avg("number"), low=Min("number"), high=Max("number"))
    }
    per_value = {
        (row["question_id"], row["number"]): row["n"]
        for row in answers.filter(question__kind=QuestionKind.SCALE)
        .values("question_id", "number")
        .annotate(n=Count("pk"))
    }
    answered = dict(
        answers.values("question_id")
        .annotate(n=Count("response_id", distinct=True))
        .values_list("question_id", "n")
    )
    texts: dict[int, list[str]] = {}
    latest = (
        answers.exclude(text="")
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("question_id")],
                order_by=F("response__updated_at").desc(),
            )
        )
        .filter(rank__lte=TEXTS_SHOWN)
        .values_list("question_id", "text")
    )
    for question_id, text in latest:
        texts.setdefault(question_id, []).append(text)
    result = []
    for question in found:
        entry = QuestionSummary(question=question, answered=answered.get(question.pk, 0))
        if question.kind in QuestionKind.with_options():
            entry.bars = [
                Bar(option.label, per_option.get(option.pk, 0)) for option in question.options.all()
            ]
        elif question.kind == QuestionKind.SCALE:
            entry.bars = [
                Bar(_scale_label(question, point), per_value.get((question.pk, point), 0))
                for point in range(1, SCALE_POINTS + 1)
            ]
        if question.pk in numeric:
            row = numeric[question.pk]
            entry.average = float(row["avg"])
            entry.minimum, entry.maximum = row["low"], row["high"]
        entry.texts = texts.get(question.pk, [])
        for bar in entry.bars:
            bar.percent = round(100 * bar.count / entry.answered, 1) if entry.answered else 0.0
        result.append(entry)
    return Summary(
        survey=survey, respondents=counts["asked"], responses=counts["answered"], questions=result
    )


def _scale_label(question: SurveyQuestion, point: int) -> str:
    words = {1: question.scale_low, SCALE_POINTS: question.scale_high}
    return f"{point}({words[point]})" if words.get(point) else str(point)


# --- Export -------------------------------------------------------------------------------


def export_rows(survey: Survey) -> tuple[list[str], Iterator[list[Any]]]:
    """A header and one row per response, answers in question order; options chosen in a
    multiple-choice question are joined with 「、」. Three queries, answers streamed."""
    asked = list(survey.questions.order_by("position"))
    header = ["回答番号", "氏名", "団体", "最初の回答日時", "最終更新日時"] + [
        f"問{q.position} {q.text}" for q in asked
    ]
    columns = {q.pk: index for index, q in enumerate(asked)}

    def rows() -> Iterator[list[Any]]:
        responses = Response.objects.filter(survey=survey).select_related(
            "respondent__organisation"
        )
        answers = (
            Answer.objects.filter(response__survey=survey)
            .select_related("option")
            .order_by("response_id", "option__position", "pk")
            .iterator(chunk_size=2000)
        )
        pending = next(answers, None)
        for response in responses.order_by("pk").iterator(chunk_size=2000):
            values: list[list[str]] = [[] for _ in asked]
            while pending is not None and pending.response_id == response.pk:
                cell = values[columns[pending.question_id]]
                if pending.option is not None:
                    cell.append(pending.option.label)
                elif pending.number is not None:
                    cell.append(str(pending.number))
                else:
                    cell.append(pending.text)
                pending = next(answers, None)
            respondent = response.respondent
            yield [
                response.pk,
                respondent.name,
                respondent.organisation.name if respondent.organisation else "",
                timezone.localtime(response.submitted_at).strftime("%Y-%m-%d %H:%M"),
                timezone.localtime(response.updated_at).strftime("%Y-%m-%d %H:%M"),
                *("、".join(cell) for cell in values),
            ]

    return header, rows()


def progress(survey: Survey) -> dict[str, Any]:
    """How many were asked and answered, and who has not answered yet (names only)."""
    waiting = list(
        Respondent.objects.filter(survey=survey, response__isnull=True)
        .select_related("organisation")
        .order_by("organisation__lgcode", "pk")
    )
    totals = Respondent.objects.filter(survey=survey).aggregate(
        asked=Count("pk"), answered=Count("pk", filter=Q(response__isnull=False))
    )
    return {**totals, "waiting": waiting}


def surveys_of(owner_ids: Collection[int] | None) -> QuerySet[Survey]:
    """The questionnaires of these organisations (``None``: every one), newest first."""
    found = Survey.objects.select_related("owner").order_by("-created_at")
    return found if owner_ids is None else found.filter(owner_id__in=owner_ids)
