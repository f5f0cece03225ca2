"""Input of breakout groups: forming them, moving, swapping and locking attendees, and a
group's facilitator, note-taker and notes. The rules (who may be put where) are the
services'; these forms only read the input."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from kyodo.core.forms import model_fields
from kyodo.meetings.models import Attendee, BreakoutGroup, BreakoutMode, Meeting
from kyodo.meetings.services.breakout import MAX_GROUPS


def attendee_label(attendee: Attendee) -> str:
    """「鹿児 太郎(鹿児島市)」; the attendee comes with registration__organisation."""
    return f"{attendee.name}({attendee.registration.organisation.name})"


class AssignForm(forms.Form):
    mode = forms.ChoiceField(label="分け方", choices=BreakoutMode.choices)
    group_count = forms.IntegerField(
        label="グループ数", min_value=1, max_value=MAX_GROUPS, initial=5
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["mode"]
        assert isinstance(field, forms.ChoiceField)
        if meeting.grouping_label:
            field.choices = [
                (BreakoutMode.MIX, BreakoutMode.MIX.label),
                (
                    BreakoutMode.ATTRIBUTE,
                    f"{BreakoutMode.ATTRIBUTE.label}({meeting.grouping_label})",
                ),
            ]
            field.help_text = (
                f"「{BreakoutMode.ATTRIBUTE.label}」は、参加申込の「{meeting.grouping_label}」"
                "の回答ごとに1つ以上のグループを作ります。"
            )
        else:
            field.choices = [(BreakoutMode.MIX, BreakoutMode.MIX.label)]
            field.help_text = (
                "同じ団体の人が別々のグループになり、地域振興局・支庁や市町村の規模も"
                "散らばるように分けます。"
            )


class BreakoutForm(AssignForm):
    title = forms.CharField(
        label="名称", max_length=100, initial="感想共有", help_text="例: 感想共有、分科会"
    )
    field_order = ("title", "mode", "group_count")


def _offer(field: forms.Field, choices: Sequence[tuple[Any, str]]) -> None:
    assert isinstance(field.widget, forms.Select)
    field.widget.choices = [("", "選択してください"), *choices]


class _AttendeeSelect(forms.Form):
    """Attendees chosen from a list (the service checks they belong to the meeting)."""

    attendee_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, attendees: Sequence[Attendee] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.attendee_fields:
            _offer(self.fields[name], [(a.pk, attendee_label(a)) for a in attendees])


class MoveForm(_AttendeeSelect):
    attendee = forms.IntegerField(label="移動する参加者", widget=forms.Select)
    group = forms.IntegerField(label="移動先のグループ", widget=forms.Select)
    attendee_fields = ("attendee",)

    def __init__(self, *args: Any, groups: Sequence[BreakoutGroup] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _offer(self.fields["group"], [(group.pk, group.name) for group in groups])


class SwapForm(_AttendeeSelect):
    attendee = forms.IntegerField(label="入れ替える参加者", widget=forms.Select)
    other = forms.IntegerField(label="入れ替える相手", widget=forms.Select)
    attendee_fields = ("attendee", "other")


class LockForm(forms.Form):
    attendee = forms.IntegerField(widget=forms.HiddenInput)
    locked = forms.BooleanField(required=False, widget=forms.HiddenInput)


@model_fields(
    BreakoutGroup,
    ("name", "notes", "notes_published"),
    widgets={"notes": forms.Textarea(attrs={"rows": 4})},
    help_texts={"notes": "グループで出た感想や意見(5000字まで)。"},
)
class GroupForm(forms.Form):
    """A group's name, roles and notes; the roles are chosen among its members."""

    facilitator = forms.TypedChoiceField(
        label="ファシリテーター", coerce=int, required=False, empty_value=None
    )
    note_taker = forms.TypedChoiceField(
        label="記録係", coerce=int, required=False, empty_value=None
    )
    field_order = ("name", "facilitator", "note_taker", "notes", "notes_published")

    def __init__(self, *args: Any, members: Sequence[Attendee], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("facilitator", "note_taker"):
            field = self.fields[name]
            assert isinstance(field, forms.TypedChoiceField)
            field.choices = [("", "(なし)"), *((a.pk, a.name) for a in members)]
        self.order_fields(self.field_order)
