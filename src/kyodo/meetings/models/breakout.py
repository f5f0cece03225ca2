"""Breakout groups (分科会・グループ分け): a session of a meeting (「感想共有」) splits the
registered attendees into groups, each with a facilitator, a note-taker and its notes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyodo.meetings.models.meeting import Attendee, Meeting

if TYPE_CHECKING:
    from django_stubs_ext.db.models.manager import RelatedManager

MAX_NOTES_LENGTH = 5000


class BreakoutMode(models.TextChoices):
    MIX = "mix", _("団体・地域を混ぜる")
    ATTRIBUTE = "attribute", _("申込時の回答ごと")


class BreakoutSession(models.Model):
    """One round of group work in a meeting, with how its groups were last formed."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="breakout_sessions")
    title = models.CharField(_("名称"), max_length=100, default="感想共有")
    mode = models.CharField(
        _("分け方"), max_length=12, choices=BreakoutMode.choices, default=BreakoutMode.MIX
    )
    group_count = models.PositiveSmallIntegerField(_("グループ数"))
    assigned_at = models.DateTimeField(_("グループ分けの日時"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    if TYPE_CHECKING:
        groups: RelatedManager[BreakoutGroup]
        members: RelatedManager[BreakoutMember]

    class Meta:
        verbose_name = _("グループ分け")
        verbose_name_plural = _("グループ分け")
        ordering = ("meeting", "created_at", "pk")
        constraints = (
            models.CheckConstraint(
                condition=Q(group_count__gte=1),
                name="breakout_session_has_groups",
                violation_error_message="グループ数は1以上にしてください。",
            ),
        )

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meetings:breakout", kwargs={"pk": self.meeting_id, "session": self.pk})


class BreakoutGroup(models.Model):
    """A group of a session: its place in the list, its name (also the Zoom room's), its
    facilitator and note-taker (members of the group), and the notes taken."""

    session = models.ForeignKey(BreakoutSession, on_delete=models.CASCADE, related_name="groups")
    position = models.PositiveSmallIntegerField(_("番号"))
    name = models.CharField(_("グループ名"), max_length=100)
    value = models.CharField(
        _("回答"), max_length=50, blank=True, help_text=_("回答ごとに分けたときの、この組の回答。")
    )
    facilitator = models.ForeignKey(
        Attendee,
        verbose_name=_("ファシリテーター"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note_taker = models.ForeignKey(
        Attendee,
        verbose_name=_("記録係"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    notes = models.TextField(_("記録(感想共有)"), max_length=MAX_NOTES_LENGTH, blank=True)
    notes_published = models.BooleanField(
        _("結果ページに掲載"),
        default=False,
        help_text=_("次に開催結果を公開(更新)したとき、グループ名とともに載ります。"),
    )
    updated_at = models.DateTimeField(default=timezone.now)

    if TYPE_CHECKING:
        members: RelatedManager[BreakoutMember]

    class Meta:
        verbose_name = _("グループ")
        verbose_name_plural = _("グループ")
        ordering = ("session", "position")
        constraints = (
            models.UniqueConstraint(
                fields=("session", "position"), name="breakout_group_unique_position"
            ),
            models.CheckConstraint(
                condition=Q(notes_published=False) | ~Q(notes=""),
                name="breakout_group_published_has_notes",
                violation_error_message="記録を入力してから掲載してください。",
            ),
            models.CheckConstraint(
                condition=Q(facilitator__isnull=True)
                | Q(note_taker__isnull=True)
                | ~Q(facilitator=F("note_taker")),
                name="breakout_group_two_roles_two_people",
                violation_error_message="ファシリテーターと記録係は別の人にしてください。",
            ),
        )

    def __str__(self) -> str:
        return self.name


class BreakoutMember(models.Model):
    """An attendee's place in a session: in one group at most (the database refuses a
    second), and locked when placed by hand so that forming the groups again keeps it."""

    session = models.ForeignKey(BreakoutSession, on_delete=models.CASCADE, related_name="members")
    group = models.ForeignKey(BreakoutGroup, on_delete=models.CASCADE, related_name="members")
    attendee = models.ForeignKey(Attendee, on_delete=models.CASCADE, related_name="+")
    locked = models.BooleanField(_("固定"), default=False)

    class Meta:
        verbose_name = _("グループの参加者")
        verbose_name_plural = _("グループの参加者")
        ordering = ("group", "pk")
        constraints = (
            models.UniqueConstraint(
                fields=("session", "attendee"), name="breakout_member_one_group_per_session"
            ),
        )

    def __str__(self) -> str:
        return f"{self.group_id}/{self.attendee_id}"
