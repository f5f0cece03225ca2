"""The council's newsletter (協議会だより): numbered issues with articles and notices,
including what the municipality cannot publish itself, such as obituaries (訃報) and the
golden-wedding gathering (金婚の集い).

An obituary is personal data of a family in mourning. It is shown only with the family's
recorded consent, only with the fields they agreed to, only until its date on the web, and
never in feeds, open data, public search or search engines.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyodo.directory.models import Organisation

if TYPE_CHECKING:
    from django_stubs_ext.db.models.manager import RelatedManager


class IssueStatus(models.TextChoices):
    DRAFT = "draft", _("編集中")
    PUBLISHED = "published", _("発行済み")


class NoticeKind(models.TextChoices):
    OBITUARY = "obituary", _("訃報")
    CELEBRATION = "celebration", _("お祝い(金婚の集いなど)")
    ORGANISATION = "organisation", _("団体からのお知らせ")
    MUNICIPAL = "municipal", _("市町村からのお知らせ")


# The parts of an obituary a family may agree to show, in the order they are printed.
OBITUARY_FIELDS: dict[str, str] = {
    "deceased_name": "故人のお名前",
    "age": "享年",
    "area": "お住まいの地区",
    "died_on": "ご逝去の日",
    "funeral": "通夜・葬儀",
    "chief_mourner": "喪主",
}


class NewsletterIssue(models.Model):
    council = models.ForeignKey(
        Organisation,
        verbose_name=_("協議会"),
        on_delete=models.PROTECT,
        related_name="newsletter_issues",
    )
    name = models.CharField(_("紙名"), max_length=100)
    number = models.PositiveIntegerField(_("号"))
    issue_date = models.DateField(_("発行日"))
    status = models.CharField(
        _("状態"), max_length=16, choices=IssueStatus.choices, default=IssueStatus.DRAFT
    )
    editor_note = models.CharField(_("編集後記"), max_length=1000, blank=True)
    published_at = models.DateTimeField(_("発行日時"), null=True, blank=True)
    created_at = models.DateTimeField(_("作成日時"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新日時"), default=timezone.now)

    articles: RelatedManager[Article]
    notices: RelatedManager[Notice]

    class Meta:
        verbose_name = _("協議会だより")
        verbose_name_plural = _("協議会だより")
        ordering = ("council", "-number")
        constraints = (
            models.UniqueConstraint(
                fields=("council", "number"),
                name="newsletter_issue_number",
                violation_error_message=_("この号はすでにあります。別の号数にしてください。"),
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="newsletter_issue_number_gte_1",
                violation_error_message=_("号数は1以上で入力してください。"),
            ),
            models.CheckConstraint(
                condition=Q(status=IssueStatus.PUBLISHED, published_at__isnull=False)
                | Q(status=IssueStatus.DRAFT, published_at__isnull=True),
                name="newsletter_issue_published_has_date",
            ),
        )

    def __str__(self) -> str:
        return f"{self.name} 第{self.number}号"


class Article(models.Model):
    issue = models.ForeignKey(
        NewsletterIssue,
        verbose_name=_("号"),
        on_delete=models.CASCADE,
        related_name="articles",
    )
    position = models.PositiveSmallIntegerField(_("順番"), default=0)
    heading = models.CharField(_("見出し"), max_length=100)
    body = models.TextField(_("本文"), max_length=8000)
    image = models.ImageField(
        _("写真・図"), upload_to="publications/articles/", blank=True, max_length=200
    )
    image_alt = models.CharField(_("写真の説明(代替テキスト)"), max_length=200, blank=True)
    caption = models.CharField(_("写真のキャプション"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("記事")
        verbose_name_plural = _("記事")
        ordering = ("issue", "position", "pk")
        constraints = (
            models.CheckConstraint(
                condition=Q(image="") | ~Q(image_alt=""),
                name="article_image_has_alt",
                violation_error_message=_(
                    "写真を載せるときは、写真の説明(代替テキスト)を入力してください。"
                ),
            ),
        )

    def __str__(self) -> str:
        return self.heading


class Notice(models.Model):
    issue = models.ForeignKey(
        NewsletterIssue,
        verbose_name=_("号"),
        on_delete=models.CASCADE,
        related_name="notices",
    )
    position = models.PositiveSmallIntegerField(_("順番"), default=0)
    kind = models.CharField(_("種類"), max_length=16, choices=NoticeKind.choices)
    title = models.CharField(_("見出し"), max_length=100)
    body = models.TextField(_("本文"), max_length=4000, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("お知らせ元"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The obituary itself. Kept empty for every other kind (a constraint holds it).
    deceased_name = models.CharField(_("故人のお名前"), max_length=100, blank=True)
    age = models.PositiveSmallIntegerField(_("享年"), null=True, blank=True)
    area = models.CharField(_("お住まいの地区"), max_length=100, blank=True)
    died_on = models.DateField(_("ご逝去の日"), null=True, blank=True)
    funeral = models.TextField(_("通夜・葬儀"), max_length=500, blank=True)
    chief_mourner = models.CharField(_("喪主"), max_length=100, blank=True)
    # The family's consent, as recorded by the editor who received it.
    consent_by = models.CharField(_("同意されたご遺族のお名前"), max_length=100, blank=True)
    consent_relation = models.CharField(_("故人との続柄"), max_length=50, blank=True)
    consent_on = models.DateField(_("同意を得た日"), null=True, blank=True)
    consent_fields = models.JSONField(_("掲載に同意された項目"), default=list, blank=True)
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("同意を記録した人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    web_until = models.DateField(_("ウェブ掲載の最終日"), null=True, blank=True)

    class Meta:
        verbose_name = _("お知らせ")
        verbose_name_plural = _("お知らせ")
        ordering = ("issue", "position", "pk")
        constraints = (
            models.CheckConstraint(
                condition=Q(kind=NoticeKind.OBITUARY)
                | Q(
                    deceased_name="",
                    age__isnull=True,
                    area="",
                    died_on__isnull=True,
                    funeral="",
                    chief_mourner="",
                    consent_by="",
                    consent_relation="",
                    consent_on__isnull=True,
                    web_until__isnull=True,
                ),
                name="notice_obituary_fields_only_for_obituaries",
                violation_error_message=_("訃報の項目は訃報のお知らせにだけ入力できます。"),
            ),
            models.CheckConstraint(
                condition=Q(consent_on__isnull=True) | ~Q(consent_by=""),
                name="notice_consent_names_who",
                violation_error_message=_(
                    "同意を得た日を入れるときは、同意されたご遺族のお名前も入力してください。"
                ),
            ),
        )

    def __str__(self) -> str:
        # Written into the audit log, which outlives the notice and the consent: an obituary
        # is named by its number, never by a title an editor may have put a name in.
        if self.kind == NoticeKind.OBITUARY:
            return f"{self.get_kind_display()}(お知らせ #{self.pk})"
        return f"{self.get_kind_display()} {self.title}"

    @property
    def is_obituary(self) -> bool:
        return self.kind == NoticeKind.OBITUARY

    @property
    def has_consent(self) -> bool:
        return bool(self.consent_on and self.consent_by and self.consent_fields)

    def on_web(self, today: datetime.date) -> bool:
        """Whether the public may see this notice today."""
        if not self.is_obituary:
            return True
        return self.has_consent and self.web_until is not None and today <= self.web_until

    def consented(self) -> list[tuple[str, str, object]]:
        """The obituary's fields the family agreed to show, as (name, label, value), in print
        order, leaving out empty ones."""
        agreed = set(self.consent_fields or [])
        return [
            (name, label, getattr(self, name))
            for name, label in OBITUARY_FIELDS.items()
            if name in agreed and getattr(self, name) not in ("", None)
        ]
