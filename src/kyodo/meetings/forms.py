from __future__ import annotations

from django import forms

from kyodo.meetings.models import MeetingStatus


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label="状態",
        choices=[
            (MeetingStatus.DRAFT, MeetingStatus.DRAFT.label),
            (MeetingStatus.OPEN, MeetingStatus.OPEN.label),
            (MeetingStatus.HELD, MeetingStatus.HELD.label),
        ],
    )


class CopyForm(forms.Form):
    fiscal_year = forms.IntegerField(label="年度(西暦の開始年)", min_value=2000, max_value=2100)
