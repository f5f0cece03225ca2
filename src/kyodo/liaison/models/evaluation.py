"""The yearly collaboration evaluation (協働評価): each department's programmes (事務事業)
get an evaluation sheet per fiscal year asking 「協働ができていますか」, built on the
questionnaire engine — a round is one questionnaire of the municipality, each programme's
sheet is one respondent of it, answered by the programme's department."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyodo.directory.models import Organisation
from kyodo.liaison.models.staff import _fiscal_year_check


class Programme(models.Model):
    department = models.ForeignKey(
        Organisation,
        verbose_name=_("担当課"),
        on_delete=models.PROTECT,
        related_name="liaison_programmes",
    )
    code = models.CharField(_("事業番号"), max_length=20, blank=True)
    name = models.CharField(_("事務事業名"), max_length=200)
    description = models.TextField(_("概要"), max_length=2000, blank=True)
    is_active = models.BooleanField(_("実施中"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("事務事業")
        verbose_name_plural = _("事務事業")
        ordering = ("department", "code", "name")
        constraints = (
            models.UniqueConstraint(
                fields=("department", "name"),
                name="liaison_programme_name_unique",
                violation_error_message="この課には同じ名前の事務事業がすでにあります。",
            ),
        )

    def __str__(self) -> str:
        return self.name


class CollaborationLevel(models.TextChoices):
    """The three answers to 「協働ができていますか」, in the order the sheet offers them; the
    round's questionnaire holds one option per level, in this order."""

    YES = "yes", _("できている")
    PARTLY = "partly", _("一部できている")
    NO = "no", _("できていない")


COLLABORATION_QUESTION = "協働ができていますか"
ROUND_TAKEN = "この年度の協働評価はすでにあります。"


class EvaluationRound(models.Model):
    municipality = models.ForeignKey(
        Organisation,
        verbose_name=_("市町村"),
        on_delete=models.PROTECT,
        related_name="liaison_evaluation_rounds",
    )
    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    survey = models.OneToOneField(
        "surveys.Survey",
        on_delete=models.PROTECT,
        related_name="liaison_round",
    )
    # The engine's questions the summary reads; fixed when the round is made.
    level_question = models.ForeignKey(
        "surveys.SurveyQuestion", on_delete=models.PROTECT, related_name="+"
    )
    comment_question = models.ForeignKey(
        "surveys.SurveyQuestion", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("協働評価")
        verbose_name_plural = _("協働評価")
        ordering = ("municipality", "-fiscal_year")
        constraints = (
            models.UniqueConstraint(
                fields=("municipality", "fiscal_year"),
                name="liaison_round_unique",
                violation_error_message=ROUND_TAKEN,
            ),
            _fiscal_year_check("liaison_round_fiscal_year_range"),
        )

    def __str__(self) -> str:
        from kyodo.core.dates import format_fiscal_year

        return f"{self.municipality} {format_fiscal_year(self.fiscal_year)} 協働評価"


class EvaluationSheet(models.Model):
    """A programme's sheet in a round: the answers live in the engine (``respondent``);
    the partner organisations are kept here as links to the directory."""

    round = models.ForeignKey(EvaluationRound, on_delete=models.CASCADE, related_name="sheets")
    programme = models.ForeignKey(
        Programme, verbose_name=_("事務事業"), on_delete=models.PROTECT, related_name="sheets"
    )
    respondent = models.OneToOneField(
        "surveys.Respondent", on_delete=models.PROTECT, related_name="liaison_sheet"
    )
    partners = models.ManyToManyField(
        Organisation, verbose_name=_("協働の相手"), blank=True, related_name="+"
    )
    other_partners = models.CharField(
        _("その他の協働の相手"),
        max_length=500,
        blank=True,
        help_text=_("名簿にない団体・個人。読点(、)で区切ってください。"),
    )

    class Meta:
        verbose_name = _("事務事業評価シート")
        verbose_name_plural = _("事務事業評価シート")
        ordering = ("round", "programme")
        constraints = (
            models.UniqueConstraint(
                fields=("round", "programme"),
                name="liaison_sheet_unique",
                violation_error_message="この事務事業のシートはすでにあります。",
            ),
        )

    def __str__(self) -> str:
        return f"{self.programme} 評価シート"

    @property
    def department(self) -> Organisation:
        """The department that answers the sheet and is counted for it: the programme's
        department when the sheet was made, kept as the engine's respondent's organisation,
        so moving a programme later leaves the past years where they were. (The programme's
        department should that one have been deleted since.)"""
        return self.respondent.organisation or self.programme.department


__all__ = [
    "COLLABORATION_QUESTION",
    "ROUND_TAKEN",
    "CollaborationLevel",
    "EvaluationRound",
    "EvaluationSheet",
    "Programme",
]
