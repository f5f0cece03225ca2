"""What an area's liaison staff know and pass on: its key people (地域のキーマン), its open
matters (懸案事項), and the handover plan (引継ぎ) when staff move — by default a full week,
introducing each key person, attending each regular council meeting, handing over each
open matter.

Key people are personal data: only the area's assigned staff, the incoming person of a
started handover, and the scheme's managers see them, and every view and change is audited
(see ``rules.py`` and ``services``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyodo.directory.models import Organisation, Person


class KeyPerson(models.Model):
    area = models.ForeignKey(
        Organisation,
        verbose_name=_("地域"),
        on_delete=models.CASCADE,
        related_name="liaison_key_people",
    )
    name = models.CharField(_("氏名"), max_length=100)
    kana = models.CharField(_("よみがな"), max_length=100, blank=True)
    role_in_area = models.CharField(
        _("地域での役割"), max_length=200, help_text=_("例: 〇〇町内会長、民生委員")
    )
    contact = models.CharField(
        _("連絡先"), max_length=300, blank=True, help_text=_("電話番号、メールアドレスなど")
    )
    approach = models.TextField(
        _("接し方のこつ"), max_length=2000, blank=True, help_text=_("どのように相談するとよいか")
    )
    notes = models.TextField(_("メモ"), max_length=4000, blank=True)
    is_active = models.BooleanField(
        _("現在も地域で活動"),
        default=True,
        help_text=_("役を退いた方は外すと、引継ぎの紹介先に入りません。"),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("地域のキーマン")
        verbose_name_plural = _("地域のキーマン")
        ordering = ("area", "-is_active", "kana", "name")

    def __str__(self) -> str:
        # Audit entries name a key person by number, never by name.
        return f"地域のキーマン #{self.pk}"


class MatterStatus(models.TextChoices):
    OPEN = "open", _("対応中")
    CLOSED = "closed", _("解決済み")


class OpenMatter(models.Model):
    """Something the area and the liaison staff are working on that a successor must know."""

    area = models.ForeignKey(
        Organisation,
        verbose_name=_("地域"),
        on_delete=models.CASCADE,
        related_name="liaison_matters",
    )
    title = models.CharField(_("件名"), max_length=200)
    detail = models.TextField(_("経過と今後"), max_length=4000, blank=True)
    status = models.CharField(
        _("状態"), max_length=10, choices=MatterStatus.choices, default=MatterStatus.OPEN
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("懸案事項")
        verbose_name_plural = _("懸案事項")
        ordering = ("area", "status", "-updated_at")

    def __str__(self) -> str:
        # Titles often name people ("〇〇さんの件"); the audit log names a matter by number.
        return f"懸案事項 #{self.pk}"


class HandoverStatus(models.TextChoices):
    PLANNED = "planned", _("計画中")
    COMPLETED = "completed", _("完了")
    CANCELLED = "cancelled", _("取りやめ")


class HandoverQuerySet(models.QuerySet["Handover"]):
    def started(self, on: object = None) -> HandoverQuerySet:
        """Plans under way on ``on`` (default today): started and neither completed nor
        cancelled."""
        day = on or timezone.localdate()
        return self.filter(status=HandoverStatus.PLANNED, starts_on__lte=day)


class Handover(models.Model):
    area = models.ForeignKey(
        Organisation,
        verbose_name=_("地域"),
        on_delete=models.CASCADE,
        related_name="liaison_handovers",
    )
    outgoing = models.ForeignKey(
        Person,
        verbose_name=_("前任"),
        on_delete=models.PROTECT,
        related_name="liaison_handovers_out",
    )
    incoming = models.ForeignKey(
        Person,
        verbose_name=_("後任"),
        on_delete=models.PROTECT,
        related_name="liaison_handovers_in",
    )
    starts_on = models.DateField(_("開始日"))
    ends_on = models.DateField(_("終了予定日"))
    status = models.CharField(
        _("状態"), max_length=10, choices=HandoverStatus.choices, default=HandoverStatus.PLANNED
    )
    note = models.TextField(_("メモ"), max_length=2000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    completed_at = models.DateTimeField(_("完了日時"), null=True, blank=True)

    objects = HandoverQuerySet.as_manager()

    class Meta:
        verbose_name = _("引継ぎ")
        verbose_name_plural = _("引継ぎ")
        ordering = ("-starts_on", "-pk")
        constraints = (
            models.CheckConstraint(
                condition=~Q(outgoing=models.F("incoming")),
                name="liaison_handover_different_people",
                violation_error_message="前任と後任に同じ職員は指定できません。",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="liaison_handover_ends_after_start",
                violation_error_message="終了予定日は開始日以降の日にしてください。",
            ),
            models.CheckConstraint(
                condition=Q(status="completed", completed_at__isnull=False)
                | (~Q(status="completed") & Q(completed_at__isnull=True)),
                name="liaison_handover_completed_at",
            ),
            models.UniqueConstraint(
                fields=("area", "incoming"),
                condition=Q(status="planned"),
                name="liaison_handover_one_open_per_incoming",
                violation_error_message="この後任への引継ぎ計画がすでにあります。",
            ),
        )

    def __str__(self) -> str:
        return f"{self.area} {self.outgoing} → {self.incoming}"


class ItemKind(models.TextChoices):
    INTRODUCE = "introduce", _("キーマンの紹介")
    MEETING = "meeting", _("定例会議への同席")
    MATTER = "matter", _("懸案事項の引継ぎ")
    OTHER = "other", _("その他")


class HandoverItem(models.Model):
    """One checklist line, generated from the area when the plan is made, or added by hand."""

    handover = models.ForeignKey(Handover, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("順番"))
    kind = models.CharField(_("種類"), max_length=10, choices=ItemKind.choices)
    label = models.CharField(_("内容"), max_length=300)
    key_person = models.ForeignKey(
        KeyPerson, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    entry = models.ForeignKey(
        "calendar.Entry", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The day of a recurring meeting the item is about.
    entry_date = models.DateField(_("会議の日"), null=True, blank=True)
    matter = models.ForeignKey(
        OpenMatter, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    done_at = models.DateTimeField(_("済んだ日時"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("メモ"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("引継ぎの項目")
        verbose_name_plural = _("引継ぎの項目")
        ordering = ("handover", "position")
        constraints = (
            models.UniqueConstraint(
                fields=("handover", "position"), name="liaison_handover_item_position"
            ),
        )

    def __str__(self) -> str:
        return self.label
