"""What the network shares: posts (情報発信) on NPO policy and collaboration practice from
inside and outside the prefecture, case studies (事例) of community platforms (コミプラ),
and the themes that sort them and the published Q&A of the network's meetings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyodo.directory.models import Network, Organisation

if TYPE_CHECKING:
    from django_stubs_ext.db.models.manager import RelatedManager


class Theme(models.Model):
    """One heading of a network's short, ordered list (担い手・役員, 広報・情報発信, …)."""

    network = models.ForeignKey(
        Network, verbose_name=_("ネットワーク"), on_delete=models.CASCADE, related_name="themes"
    )
    name = models.CharField(_("テーマ"), max_length=50)
    order = models.PositiveSmallIntegerField(_("順番"), default=0)

    class Meta:
        verbose_name = _("テーマ")
        verbose_name_plural = _("テーマ")
        ordering = ("network", "order", "pk")
        constraints = (
            models.UniqueConstraint(fields=("network", "name"), name="knowledge_theme_unique"),
        )

    def __str__(self) -> str:
        return self.name


class Audience(models.TextChoices):
    PUBLIC = "public", _("公開")
    MEMBERS = "members", _("会員のみ")


class Status(models.TextChoices):
    DRAFT = "draft", _("下書き")
    PUBLISHED = "published", _("公開中")
    WITHDRAWN = "withdrawn", _("取り下げ")


class Scope(models.TextChoices):
    INSIDE = "inside", _("県内")
    OUTSIDE = "outside", _("県外")


class PostKind(models.TextChoices):
    NPO_POLICY = "npo_policy", _("NPO施策")
    NOTICE = "notice", _("お知らせ")
    PRACTICE = "practice", _("協働の取組")


class Phase(models.IntegerChoices):
    """The four phases of building a community platform (コミプラ)."""

    ONE = 1, _("フェーズ1(準備・合意形成)")
    TWO = 2, _("フェーズ2(組織の設立)")
    THREE = 3, _("フェーズ3(活動の展開)")
    FOUR = 4, _("フェーズ4(自立・発展)")


MAX_BODY = 20_000


def _visible(network_ids: frozenset[int]) -> Q:
    """Published, and public or of a network the reader is a member of."""
    return Q(status=Status.PUBLISHED) & (
        Q(audience=Audience.PUBLIC) | Q(network_id__in=sorted(network_ids))
    )


class PostQuerySet(models.QuerySet["Post"]):
    def visible_to(self, network_ids: frozenset[int]) -> PostQuerySet:
        return self.filter(_visible(network_ids))


class CaseQuerySet(models.QuerySet["Case"]):
    def visible_to(self, network_ids: frozenset[int]) -> CaseQuerySet:
        return self.filter(_visible(network_ids))


class Publishable(models.Model):
    """What posts and cases share: whose they are, who may read them, and their state."""

    network = models.ForeignKey(
        Network, verbose_name=_("ネットワーク"), on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("組織"), on_delete=models.PROTECT, related_name="+"
    )
    scope = models.CharField(_("県内・県外"), max_length=10, choices=Scope.choices)
    source = models.CharField(
        _("県外の自治体・団体"),
        max_length=100,
        blank=True,
        help_text=_("県外の情報のときに入力します。例: 宮城県大崎市"),
    )
    title = models.CharField(_("題名"), max_length=200)
    audience = models.CharField(
        _("公開範囲"),
        max_length=10,
        choices=Audience.choices,
        default=Audience.PUBLIC,
        help_text=_("「会員のみ」はネットワークの会員組織の方がログインしたときだけ表示します。"),
    )
    status = models.CharField(
        _("状態"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("公開日時"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("作成日時"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("更新日時"), default=timezone.now, editable=False)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title

    @property
    def place(self) -> str:
        """Where it comes from: the outside body as typed, or the organisation."""
        return self.source if self.scope == Scope.OUTSIDE else self.organisation.name


def _publishable_constraints(prefix: str) -> tuple[models.BaseConstraint, ...]:
    return (
        models.CheckConstraint(
            condition=Q(scope=Scope.INSIDE) | ~Q(source=""),
            name=f"{prefix}_outside_has_source",
            violation_error_message="県外の情報は、県外の自治体・団体の名称を入力してください。",
        ),
        models.CheckConstraint(
            condition=~Q(status=Status.PUBLISHED) | Q(published_at__isnull=False),
            name=f"{prefix}_published_has_date",
        ),
        models.CheckConstraint(
            condition=~Q(title=""),
            name=f"{prefix}_has_title",
            violation_error_message="題名を入力してください。",
        ),
    )


class Post(Publishable):
    """A piece of news or information (情報発信) from the secretariat or a member."""

    kind = models.CharField(_("種類"), max_length=12, choices=PostKind.choices)
    body = models.TextField(_("本文"), max_length=MAX_BODY)

    objects = PostQuerySet.as_manager()

    if TYPE_CHECKING:
        attachments: RelatedManager[PostAttachment]

    class Meta:
        verbose_name = _("情報発信")
        verbose_name_plural = _("情報発信")
        ordering = ("-published_at", "-pk")
        constraints = _publishable_constraints("knowledge_post")
        indexes = (models.Index(fields=("status", "-published_at"), name="knowledge_post_list"),)

    def get_absolute_url(self) -> str:
        return reverse("knowledge:post", kwargs={"pk": self.pk})


class Case(Publishable):
    """A case study (事例) of a municipality's or an organisation's practice: what it did,
    what worked and what did not, whom to ask, and the meetings where it was presented. For
    a case inside the prefecture the organisation is the one the case is about; for one
    outside, the organisation that wrote it up, and ``source`` names the body."""

    themes = models.ManyToManyField(Theme, verbose_name=_("テーマ"), blank=True, related_name="+")
    phase = models.PositiveSmallIntegerField(
        _("コミプラのフェーズ"), choices=Phase.choices, null=True, blank=True
    )
    summary = models.TextField(_("概要"), max_length=MAX_BODY)
    what_worked = models.TextField(_("うまくいったこと"), max_length=MAX_BODY, blank=True)
    what_did_not = models.TextField(
        _("課題・うまくいかなかったこと"), max_length=MAX_BODY, blank=True
    )
    contact_department = models.CharField(
        _("問い合わせ先(担当課・窓口)"), max_length=200, blank=True
    )
    contact_details = models.CharField(
        _("問い合わせ先の電話・メール"),
        max_length=200,
        blank=True,
        help_text=_("組織の窓口の連絡先を入力します(個人の連絡先は入力しないでください)。"),
    )
    meetings = models.ManyToManyField(
        "meetings.Meeting", verbose_name=_("紹介した会議"), blank=True, related_name="+"
    )

    objects = CaseQuerySet.as_manager()

    if TYPE_CHECKING:
        attachments: RelatedManager[CaseAttachment]

    class Meta:
        verbose_name = _("事例")
        verbose_name_plural = _("事例")
        ordering = ("-published_at", "-pk")
        constraints = (
            *_publishable_constraints("knowledge_case"),
            models.CheckConstraint(
                condition=Q(phase__isnull=True) | Q(phase__gte=1, phase__lte=4),
                name="knowledge_case_phase_1_to_4",
                violation_error_message="フェーズは1から4のどれかにしてください。",
            ),
        )

    def get_absolute_url(self) -> str:
        return reverse("knowledge:case", kwargs={"pk": self.pk})


class Attachment(models.Model):
    """A PDF kept with a post or a case, checked by its content when it was uploaded."""

    order = models.PositiveSmallIntegerField(_("順番"), default=0)
    title = models.CharField(_("資料名"), max_length=200)
    file = models.FileField(_("ファイル(PDF)"), upload_to="knowledge/%Y/", max_length=200)
    size = models.PositiveIntegerField(_("大きさ(バイト)"), default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title


class PostAttachment(Attachment):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="attachments")

    class Meta:
        verbose_name = _("情報発信の資料")
        verbose_name_plural = _("情報発信の資料")
        ordering = ("post", "order", "pk")


class CaseAttachment(Attachment):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")

    class Meta:
        verbose_name = _("事例の資料")
        verbose_name_plural = _("事例の資料")
        ordering = ("case", "order", "pk")


class QuestionTheme(models.Model):
    """A theme the secretariat gave a published question of a meeting, for the Q&A pages."""

    question = models.ForeignKey(
        "meetings.Question", on_delete=models.CASCADE, related_name="knowledge_themes"
    )
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="question_links")

    class Meta:
        verbose_name = _("Q&Aのテーマ")
        verbose_name_plural = _("Q&Aのテーマ")
        constraints = (
            models.UniqueConstraint(
                fields=("question", "theme"), name="knowledge_question_theme_once"
            ),
        )

    def __str__(self) -> str:
        return f"{self.question_id}/{self.theme_id}"
