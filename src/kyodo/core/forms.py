from __future__ import annotations

from typing import Any

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from kyodo.core.models import Findability, Usefulness

FEEDBACK_SALT = "kyodo.page-feedback"


def page_token(*, path: str, title: str, owner_id: int | None) -> str:
    """Signed page identity for the feedback form, so an answer cannot be filed against
    another page or routed to another organisation by editing hidden fields."""
    return signing.dumps({"p": path, "t": title[:200], "o": owner_id}, salt=FEEDBACK_SALT)


class PageFeedbackForm(forms.Form):
    page = forms.CharField(widget=forms.HiddenInput)
    usefulness = forms.ChoiceField(
        label=_("このページの情報は役に立ちましたか？"),
        choices=Usefulness.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    findability = forms.ChoiceField(
        label=_("このページは見つけやすかったですか？"),
        choices=Findability.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    comment = forms.CharField(
        label=_("ご意見・ご感想"),
        help_text=_(
            "このフォームからのご意見には回答できません。"
            "個人情報(氏名・住所・電話番号など)は入力しないでください。"
        ),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 1000}),
        max_length=1000,
        required=False,
    )
    # A field people never see; forms that fill it are from robots.
    website = forms.CharField(
        required=False, widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"})
    )

    def clean_page(self) -> dict[str, Any]:
        try:
            data: dict[str, Any] = signing.loads(
                self.cleaned_data["page"], salt=FEEDBACK_SALT, max_age=60 * 60 * 24 * 7
            )
        except signing.BadSignature as error:
            raise forms.ValidationError(
                _(
                    "ページの情報を確認できませんでした。ページを再読み込みしてから送信してください。"
                )
            ) from error
        return data

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if not (cleaned.get("usefulness") or cleaned.get("findability") or cleaned.get("comment")):
            raise forms.ValidationError(
                _("いずれかの質問にお答えいただくか、ご意見をご記入ください。")
            )
        return cleaned
