"""Questions attendees put to the speakers (質疑応答), their votes, and the answers the
moderator records and publishes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyodo.directory.models import Organisation
from kyodo.meetings.models.meeting import Meeting

if TYPE_CHECKING:
    from django_stubs_ext.db.models.manager import RelatedManager


class Question(models.Model):
    """A question as asked, and as edited for publication with its answer.

    The asker is always known to the secretariat; ``hidden`` keeps the question from other
    attendees (not from the moderator). A duplicate is merged into another question, which
    takes over its votes."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="questions")
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("質問者"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("質問者の団体"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    text = models.TextField(_("質問"), max_length=2000)
    hidden = models.BooleanField(
        _("他の参加者に表示しない"),
        default=False,
        help_text=_("事務局と進行役には表示されます。"),
    )
    published_text = models.TextField(
        _("公開する質問文"),
        max_length=2000,
        blank=True,
        help_text=_("空欄なら質問のとおりに公開します。"),
    )
    answer = models.TextField(_("回答"), max_length=5000, blank=True)
    answered_by = models.CharField(
        _("回答者"), max_length=200, blank=True, help_text=_("例: 宮城県大崎市職員")
    )
    answered_at = models.DateTimeField(_("回答日時"), null=True, blank=True)
    published = models.BooleanField(
        _("開催結果に載せる"), default=False, help_text=_("回答があるときだけ載せられます。")
    )
    position = models.PositiveSmallIntegerField(_("掲載順"), default=0)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("統合先"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged",
    )
    created_at = models.DateTimeField(_("受付日時"), default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    if TYPE_CHECKING:
        votes: RelatedManager[QuestionVote]

    class Meta:
        verbose_name = _("質問")
        verbose_name_plural = _("質問")
        ordering = ("meeting", "position", "created_at", "pk")
        constraints = (
            models.CheckConstraint(
                condition=Q(published=False) | ~Q(answer=""),
                name="question_published_has_answer",
                violation_error_message="回答を入力してから公開してください。",
            ),
            models.CheckConstraint(
                condition=Q(merged_into__isnull=True) | Q(published=False),
                name="question_merged_not_published",
                violation_error_message="統合した質問は公開できません。",
            ),
        )

    def __str__(self) -> str:
        return self.text[:40]

    @property
    def public_text(self) -> str:
        return self.published_text or self.text


class QuestionVote(models.Model):
    """One attendee's vote for a question ("I want to hear this too"); once per question."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("質問への賛同")
        verbose_name_plural = _("質問への賛同")
        constraints = (
            models.UniqueConstraint(fields=("question", "user"), name="question_vote_once"),
        )

    def __str__(self) -> str:
        return f"{self.question_id}/{self.user_id}"
