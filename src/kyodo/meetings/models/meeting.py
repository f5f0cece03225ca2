"""The record of a meeting, from which invitations, registration and the published
開催結果 page are produced."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyodo.core.dates import fiscal_year, format_fiscal_year
from kyodo.directory.models import Network, Organisation, Person

if TYPE_CHECKING:
    from django_stubs_ext.db.models.manager import RelatedManager

    from kyodo.meetings.models.breakout import BreakoutSession
    from kyodo.meetings.models.questions import Question


class MeetingStatus(models.TextChoices):
    DRAFT = "draft", _("下書き")
    OPEN = "open", _("参加受付中")
    HELD = "held", _("開催済み")
    PUBLISHED = "published", _("結果公開")


MAX_GROUPING_CHOICES = 20
MAX_GROUPING_CHOICE_LENGTH = 50


def grouping_problem(label: str, choices: Any) -> tuple[str, str] | None:
    """What is wrong with a grouping question (field, message), if anything: a question
    needs two choices or more, each a short distinct text, and choices need a question."""
    if not isinstance(choices, list) or not all(isinstance(c, str) for c in choices):
        return "grouping_choices", "選択肢は文字列のリストにしてください。"
    if choices and not label.strip():
        return "grouping_label", "選択肢を設定するときは、質問も入力してください。"
    if label.strip() and len(choices) < 2:
        return "grouping_choices", "選択肢を2つ以上入力してください。"
    if len(choices) > MAX_GROUPING_CHOICES:
        return "grouping_choices", f"選択肢は{MAX_GROUPING_CHOICES}個までです。"
    if any(not c.strip() or len(c) > MAX_GROUPING_CHOICE_LENGTH for c in choices):
        return (
            "grouping_choices",
            f"選択肢は1字以上{MAX_GROUPING_CHOICE_LENGTH}字以内にしてください。",
        )
    if len(set(choices)) != len(choices):
        return "grouping_choices", "同じ選択肢が重複しています。"
    return None


class MeetingQuerySet(models.QuerySet["Meeting"]):
    def published(self) -> MeetingQuerySet:
        return self.filter(status=MeetingStatus.PUBLISHED)

    def in_fiscal_year(self, network: Network, fiscal_year: int) -> MeetingQuerySet:
        return self.filter(network=network, fiscal_year=fiscal_year)


class Meeting(models.Model):
    network = models.ForeignKey(
        Network, verbose_name=_("ネットワーク"), on_delete=models.PROTECT, related_name="meetings"
    )
    fiscal_year = models.PositiveSmallIntegerField(
        _("年度"),
        help_text=_("年度の始まる西暦年(令和2年度なら2020)。"),
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
    )
    ordinal = models.PositiveSmallIntegerField(
        _("回"), help_text=_("第N回のN。"), validators=[MinValueValidator(1), MaxValueValidator(99)]
    )
    kind = models.CharField(_("種類"), max_length=30, default="会議")
    title = models.CharField(
        _("名称"), max_length=200, blank=True, help_text=_("空欄なら年度・回・種類から作ります。")
    )
    starts_at = models.DateTimeField(_("開始日時"))
    ends_at = models.DateTimeField(_("終了日時"))
    theme = models.CharField(_("テーマ"), max_length=200, blank=True)
    content = models.CharField(
        _("内容"), max_length=200, blank=True, help_text=_("例: 事例紹介,トークセッション")
    )
    attendee_description = models.CharField(
        _("出席者の内訳"),
        max_length=200,
        blank=True,
        help_text=_("例: 市町村,県地域振興局・支庁等の担当職員"),
    )
    attendee_count_manual = models.PositiveIntegerField(
        _("出席者数(手入力)"),
        null=True,
        blank=True,
        help_text=_("出欠を別に数えたときだけ入力します。空欄なら出席の記録から数えます。"),
    )
    capacity = models.PositiveIntegerField(
        _("定員"), null=True, blank=True, validators=[MaxValueValidator(100_000)]
    )
    registration_deadline = models.DateTimeField(_("申込締切"), null=True, blank=True)
    grouping_label = models.CharField(
        _("グループ分けの質問"),
        max_length=100,
        blank=True,
        help_text=_("参加申込で参加者ごとに選んでもらいます。例: コミプラのフェーズ"),
    )
    grouping_choices = models.JSONField(
        _("グループ分けの選択肢"),
        default=list,
        blank=True,
        help_text=_("例: 1・2 と 3・4"),
    )
    status = models.CharField(
        _("状態"), max_length=12, choices=MeetingStatus.choices, default=MeetingStatus.DRAFT
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    questionnaire = models.OneToOneField(
        "surveys.Survey",
        verbose_name=_("アンケート"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="meeting",
    )

    objects = MeetingQuerySet.as_manager()

    if TYPE_CHECKING:
        venues: RelatedManager[Venue]
        people: RelatedManager[MeetingPerson]
        programme_items: RelatedManager[ProgrammeItem]
        sections: RelatedManager[Section]
        footnotes: RelatedManager[Footnote]
        attachments: RelatedManager[Attachment]
        revisions: RelatedManager[Revision]
        registrations: RelatedManager[Registration]
        questions: RelatedManager[Question]
        breakout_sessions: RelatedManager[BreakoutSession]

    class Meta:
        verbose_name = _("会議")
        verbose_name_plural = _("会議")
        ordering = ("network", "fiscal_year", "starts_at", "pk")
        constraints = (
            models.UniqueConstraint(
                fields=("network", "fiscal_year", "kind", "ordinal"),
                name="meeting_unique_ordinal_in_year",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gte=F("starts_at")),
                name="meeting_ends_after_start",
                violation_error_message="終了日時は開始日時より後にしてください。",
            ),
            models.CheckConstraint(
                condition=Q(ordinal__gte=1),
                name="meeting_ordinal_positive",
                violation_error_message="回は1以上の数字にしてください。",
            ),
        )

    def __str__(self) -> str:
        return self.display_title

    def get_absolute_url(self) -> str:
        return reverse("meetings:detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        errors: dict[str, list[Any]] = {}
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            errors["ends_at"] = [_("終了日時は開始日時より後にしてください。")]
        elif self.starts_at and self.fiscal_year:
            actual = fiscal_year(timezone.localdate(self.starts_at))
            if actual != self.fiscal_year:
                errors["fiscal_year"] = [
                    _(
                        "開始日時は%(actual)sです。年度を%(actual)sにするか、"
                        "開始日時を確かめてください。"
                    )
                    % {"actual": format_fiscal_year(actual)}
                ]
        problem = grouping_problem(self.grouping_label, self.grouping_choices)
        if problem:
            field, message = problem
            errors[field] = [message]
        if errors:
            raise ValidationError(errors)

    @property
    def derived_title(self) -> str:
        """「令和2年度共生・協働推進かごしま自治体ネットワーク第3回会議」."""
        year = format_fiscal_year(self.fiscal_year)
        return f"{year}{self.network.name}第{self.ordinal}回{self.kind}"

    @property
    def display_title(self) -> str:
        return self.title or self.derived_title


class VenueKind(models.TextChoices):
    PHYSICAL = "physical", _("会場")
    ONLINE = "online", _("オンライン")


class Venue(models.Model):
    """Where the meeting happens; a meeting may have several at once (県庁 and the regional
    offices, or a room and Zoom)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="venues")
    order = models.PositiveSmallIntegerField(_("順番"), default=0)
    kind = models.CharField(_("種類"), max_length=10, choices=VenueKind.choices)
    name = models.CharField(_("名称"), max_length=200, blank=True)
    address = models.CharField(_("所在地"), max_length=300, blank=True)
    online_tool = models.CharField(
        _("会議ツール"), max_length=50, blank=True, help_text=_("例: Zoom")
    )
    join_url = models.URLField(
        _("参加用URL"), blank=True, help_text=_("参加登録した人にだけ表示します。")
    )

    class Meta:
        verbose_name = _("会場")
        verbose_name_plural = _("会場")
        ordering = ("meeting", "order", "pk")
        constraints = (
            models.CheckConstraint(
                condition=Q(kind="online") | Q(join_url="", online_tool=""),
                name="venue_online_fields_only_online",
                violation_error_message="会議ツールと参加用URLはオンラインの会場にだけ設定できます。",
            ),
            models.CheckConstraint(
                condition=Q(kind="physical", name__gt="") | Q(kind="online"),
                name="venue_physical_has_name",
                violation_error_message="会場の名称を入力してください。",
            ),
        )

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """「鹿児島県庁(Web開催)」 as the published results write it."""
        if self.kind == VenueKind.ONLINE:
            return f"{self.name}(Web開催)" if self.name else f"Web開催({self.online_tool})"
        return self.name


class MeetingPerson(models.Model):
    """Someone with a role: coordinator, lecturer, presenter. The name may be missing when the
    results name only the affiliation (「宮城県大崎市職員」)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="people")
    order = models.PositiveSmallIntegerField(_("順番"), default=0)
    role = models.CharField(_("役割"), max_length=50)
    person = models.ForeignKey(
        Person, verbose_name=_("名簿の人"), on_delete=models.SET_NULL, null=True, blank=True
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("会員組織"), on_delete=models.SET_NULL, null=True, blank=True
    )
    name = models.CharField(_("氏名"), max_length=100, blank=True)
    affiliation = models.CharField(_("所属・肩書"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("講師等")
        verbose_name_plural = _("講師等")
        ordering = ("meeting", "order", "pk")
        constraints = (
            models.CheckConstraint(
                condition=Q(name__gt="") | Q(affiliation__gt=""),
                name="meeting_person_named",
                violation_error_message="氏名か所属・肩書のどちらかを入力してください。",
            ),
        )

    def __str__(self) -> str:
        return f"{self.role}:{self.label}"

    @property
    def label(self) -> str:
        """「山浦陽一氏(大分大学経済学部准教授,…)」 or just 「宮城県大崎市職員」."""
        if not self.name:
            return self.affiliation
        return f"{self.name}氏({self.affiliation})" if self.affiliation else f"{self.name}氏"


class ProgrammeItem(models.Model):
    """One line of the programme (次第). Items nest; parallel 分科会 are items marked so."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="programme_items")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    order = models.PositiveSmallIntegerField(_("順番"), default=0)
    title = models.CharField(_("項目"), max_length=300)
    is_breakout = models.BooleanField(_("分科会"), default=False)
    note = models.TextField(_("補足"), blank=True)

    class Meta:
        verbose_name = _("次第の項目")
        verbose_name_plural = _("次第の項目")
        ordering = ("meeting", "order", "pk")

    def __str__(self) -> str:
        return self.title


class Section(models.Model):
    """A paragraph of narrative on the results page, in order, with an optional heading."""

    class Placement(models.TextChoices):
        INTRODUCTION = "introduction", _("概要の前")
        SUMMARY = "summary", _("開催概要の後")
        PROGRAMME = "programme", _("次第の後")
        CLOSING = "closing", _("まとめ")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="sections")
    placement = models.CharField(_("位置"), max_length=16, choices=Placement.choices)
    order = models.PositiveSmallIntegerField(_("順番"), default=0)
    heading = models.CharField(_("見出し"), max_length=200, blank=True)
    body = models.TextField(_("本文"))

    class Meta:
        verbose_name = _("本文の段落")
        verbose_name_plural = _("本文の段落")
        ordering = ("meeting", "order", "pk")

    def __str__(self) -> str:
        return self.heading or self.body[:30]


class Footnote(models.Model):
    """A term explained below the text (※1 …)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="footnotes")
    number = models.PositiveSmallIntegerField(_("番号"))
    term = models.CharField(_("用語"), max_length=100)
    text = models.TextField(_("説明"))

    class Meta:
        verbose_name = _("注釈")
        verbose_name_plural = _("注釈")
        ordering = ("meeting", "number")
        constraints = (
            models.UniqueConstraint(fields=("meeting", "number"), name="footnote_unique_number"),
        )

    def __str__(self) -> str:
        return f"※{self.number} {self.term}"


class Attachment(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attachments")
    order = models.PositiveSmallIntegerField(_("順番"), default=0)
    title = models.CharField(_("資料名"), max_length=200)
    file = models.FileField(_("ファイル(PDF)"), upload_to="meetings/%Y/")
    size = models.PositiveIntegerField(_("大きさ(バイト)"), default=0)

    class Meta:
        verbose_name = _("資料")
        verbose_name_plural = _("資料")
        ordering = ("meeting", "order", "pk")

    def __str__(self) -> str:
        return self.title


class Revision(models.Model):
    """One publication of the results page. The public page shows the latest; staff can read
    the earlier ones. The rendered body is kept, so a published page never changes silently."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveSmallIntegerField(_("版"))
    published_at = models.DateTimeField(_("公開日時"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    title = models.CharField(_("名称"), max_length=200)
    body_html = models.TextField(_("本文(HTML)"))
    attendee_count = models.PositiveIntegerField(_("出席者数"), null=True)
    pdf = models.FileField(_("PDF"), upload_to="meetings/results/", blank=True)

    class Meta:
        verbose_name = _("公開版")
        verbose_name_plural = _("公開版")
        ordering = ("meeting", "-number")
        constraints = (
            models.UniqueConstraint(fields=("meeting", "number"), name="revision_unique_number"),
        )

    def __str__(self) -> str:
        return f"{self.title} 第{self.number}版"


class AttendanceMode(models.TextChoices):
    IN_PERSON = "in_person", _("会場で参加")
    ONLINE = "online", _("オンラインで参加")


class Registration(models.Model):
    """A member organisation's registration of its attendees, made by its contact."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="registrations")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="meeting_registrations"
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    if TYPE_CHECKING:
        attendees: RelatedManager[Attendee]

    class Meta:
        verbose_name = _("参加申込")
        verbose_name_plural = _("参加申込")
        constraints = (
            models.UniqueConstraint(
                fields=("meeting", "organisation"), name="registration_one_per_organisation"
            ),
        )

    def __str__(self) -> str:
        return f"{self.meeting} / {self.organisation}"


class Attendee(models.Model):
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="attendees"
    )
    name = models.CharField(_("氏名"), max_length=100)
    department = models.CharField(_("所属課"), max_length=100, blank=True)
    email = models.EmailField(_("メールアドレス"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    mode = models.CharField(_("参加方法"), max_length=10, choices=AttendanceMode.choices)
    grouping_answer = models.CharField(
        _("グループ分けの回答"),
        max_length=50,
        blank=True,
        help_text=_("会議のグループ分けの質問への回答(選択肢のどれか)。"),
    )
    attended = models.BooleanField(_("出席"), null=True, blank=True)

    class Meta:
        verbose_name = _("参加者")
        verbose_name_plural = _("参加者")
        ordering = ("registration", "pk")

    def __str__(self) -> str:
        return self.name


class Invitation(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    email = models.EmailField(_("送信先"))
    sent_at = models.DateTimeField(_("送信日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("案内")
        verbose_name_plural = _("案内")
        constraints = (
            models.UniqueConstraint(
                fields=("meeting", "organisation", "email"), name="invitation_unique"
            ),
        )

    def __str__(self) -> str:
        return f"{self.meeting} → {self.organisation}"
