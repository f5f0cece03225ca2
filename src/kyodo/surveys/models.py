"""Questionnaires (アンケート): questions of six kinds, the people asked, and their answers.

The engine knows nothing of what a questionnaire is about. A meeting's post-meeting
questionnaire or a programme's evaluation sheet points at a :class:`Survey`; the survey's
``owner`` organisation manages it, and each person asked is a :class:`Respondent` with a
private link (token) and, when known, their account."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyodo.directory.models import Organisation

if TYPE_CHECKING:
    from django_stubs_ext.db.models.manager import RelatedManager

SCALE_POINTS = 5


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", _("準備中")
    OPEN = "open", _("回答受付中")
    CLOSED = "closed", _("締切")


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("1つ選択")
    MULTIPLE = "multiple", _("複数選択")
    SCALE = "scale", _("5段階評価")
    NUMBER = "number", _("数値")
    SHORT_TEXT = "short_text", _("記述(1行)")
    LONG_TEXT = "long_text", _("記述(複数行)")

    @classmethod
    def with_options(cls) -> tuple[str, ...]:
        return (cls.SINGLE, cls.MULTIPLE)

    @classmethod
    def numeric(cls) -> tuple[str, ...]:
        return (cls.SCALE, cls.NUMBER)

    @classmethod
    def textual(cls) -> tuple[str, ...]:
        return (cls.SHORT_TEXT, cls.LONG_TEXT)


class Survey(models.Model):
    title = models.CharField(_("アンケート名"), max_length=200)
    description = models.TextField(
        _("回答者への説明"),
        max_length=2000,
        blank=True,
        help_text=_("回答ページの冒頭に表示します。"),
    )
    owner = models.ForeignKey(
        Organisation,
        verbose_name=_("実施する組織"),
        on_delete=models.PROTECT,
        related_name="surveys",
    )
    status = models.CharField(
        _("状態"), max_length=10, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT
    )
    closes_at = models.DateTimeField(
        _("回答締切"),
        null=True,
        blank=True,
        help_text=_("この日時を過ぎると回答・修正できません。"),
    )
    created_at = models.DateTimeField(default=timezone.now)

    if TYPE_CHECKING:
        questions: RelatedManager[SurveyQuestion]
        respondents: RelatedManager[Respondent]
        responses: RelatedManager[Response]

    class Meta:
        verbose_name = _("アンケート")
        verbose_name_plural = _("アンケート")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("surveys:results", args=[self.pk])

    def accepts_answers(self, now: object = None) -> bool:
        moment = now or timezone.now()
        return self.status == SurveyStatus.OPEN and (
            self.closes_at is None or moment < self.closes_at  # type: ignore[operator]
        )


class SurveyQuestion(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("順番"))
    kind = models.CharField(_("回答の形式"), max_length=12, choices=QuestionKind.choices)
    text = models.CharField(_("質問"), max_length=500)
    help_text = models.CharField(_("補足"), max_length=500, blank=True)
    required = models.BooleanField(_("回答必須"), default=False)
    scale_low = models.CharField(
        _("1の意味"), max_length=30, blank=True, help_text=_("5段階評価のとき。例: 不満")
    )
    scale_high = models.CharField(
        _("5の意味"), max_length=30, blank=True, help_text=_("5段階評価のとき。例: 満足")
    )
    number_min = models.IntegerField(_("最小値"), null=True, blank=True)
    number_max = models.IntegerField(_("最大値"), null=True, blank=True)
    # Conditional display: shown (and required) only when the earlier question ``show_if`` was
    # answered with one of ``show_if_options``.
    show_if = models.ForeignKey(
        "self",
        verbose_name=_("表示条件の質問"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dependants",
    )
    show_if_options: models.ManyToManyField[Option, Any] = models.ManyToManyField(
        "Option", verbose_name=_("表示条件の選択肢"), blank=True, related_name="+"
    )
    on_results = models.BooleanField(
        _("結果ページに掲載"),
        default=False,
        help_text=_("集計結果を公開する会議結果などのページに載せます。"),
    )

    if TYPE_CHECKING:
        options: RelatedManager[Option]

    class Meta:
        verbose_name = _("質問")
        verbose_name_plural = _("質問")
        ordering = ("survey", "position")
        constraints = (
            models.UniqueConstraint(
                fields=("survey", "position"), name="survey_question_position_unique"
            ),
            models.CheckConstraint(
                condition=Q(number_min__isnull=True)
                | Q(number_max__isnull=True)
                | Q(number_min__lte=models.F("number_max")),
                name="survey_question_number_range",
                violation_error_message=_("最小値は最大値以下にしてください。"),
            ),
        )

    def __str__(self) -> str:
        return f"問{self.position} {self.text}"


class Option(models.Model):
    question = models.ForeignKey(SurveyQuestion, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField(_("順番"))
    label = models.CharField(_("選択肢"), max_length=200)

    class Meta:
        verbose_name = _("選択肢")
        verbose_name_plural = _("選択肢")
        ordering = ("question", "position")
        constraints = (
            models.UniqueConstraint(
                fields=("question", "label"), name="survey_option_label_unique"
            ),
        )

    def __str__(self) -> str:
        return self.label


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Respondent(models.Model):
    """A person asked to answer: reached by a private link, or signed in as ``user``.
    ``source`` names what they were asked for (e.g. ``meetings.attendee:12``), so asking the
    same people again adds nobody twice."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="respondents")
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    name = models.CharField(_("氏名"), max_length=100)
    email = models.EmailField(_("メールアドレス"), blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("団体"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    source = models.CharField(max_length=100, blank=True)
    sent_at = models.DateTimeField(_("依頼の送信日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("回答依頼先")
        verbose_name_plural = _("回答依頼先")
        ordering = ("survey", "pk")
        constraints = (
            models.UniqueConstraint(
                fields=("survey", "source"),
                condition=~Q(source=""),
                name="survey_respondent_source_unique",
            ),
        )

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("surveys:answer", args=[self.survey_id, self.token])


class Response(models.Model):
    """One respondent's answers; ``version`` counts the saves, so a form loaded before another
    save cannot overwrite it."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    respondent = models.OneToOneField(Respondent, on_delete=models.CASCADE, related_name="response")
    version = models.PositiveIntegerField(default=1)
    submitted_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    if TYPE_CHECKING:
        answers: RelatedManager[Answer]

    class Meta:
        verbose_name = _("回答")
        verbose_name_plural = _("回答")

    def __str__(self) -> str:
        return f"{self.survey} / {self.respondent}"


class Answer(models.Model):
    """One answer to one question: a chosen option (a multiple choice has one row per option
    chosen, so counting rows per option counts answers, not combinations), a number (scale
    1–5 or number), or text."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(SurveyQuestion, on_delete=models.PROTECT, related_name="answers")
    option = models.ForeignKey(
        Option, on_delete=models.PROTECT, null=True, blank=True, related_name="answers"
    )
    number = models.IntegerField(null=True, blank=True)
    text = models.TextField(blank=True, max_length=4000)

    class Meta:
        verbose_name = _("回答内容")
        verbose_name_plural = _("回答内容")
        constraints = (
            models.UniqueConstraint(
                fields=("response", "question", "option"),
                condition=Q(option__isnull=False),
                name="survey_answer_option_once",
            ),
            models.UniqueConstraint(
                fields=("response", "question"),
                condition=Q(option__isnull=True),
                name="survey_answer_value_once",
            ),
            models.CheckConstraint(
                condition=Q(option__isnull=False, number__isnull=True, text="")
                | Q(option__isnull=True, number__isnull=False, text="")
                | (Q(option__isnull=True, number__isnull=True) & ~Q(text="")),
                name="survey_answer_one_value",
            ),
        )
        indexes = (models.Index(fields=("question", "option")),)

    def __str__(self) -> str:
        return f"{self.question_id}: {self.option_id or self.number or self.text[:20]}"
