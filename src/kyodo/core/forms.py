from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import Field as DbField
from django.db.models import Model
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


# --- Shared by the editors of every app -------------------------------------------------

LOCAL_DATETIME = "%Y-%m-%dT%H:%M"


class LocalDateTimeInput(forms.DateTimeInput):
    """The browser's own date and time picker; values are wall-clock time in Asia/Tokyo."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format=LOCAL_DATETIME)


def model_fields[F: type[forms.Form]](
    model: type[Model],
    names: tuple[str, ...],
    *,
    initial: dict[str, Any] | None = None,
    **options: Any,
) -> Callable[[F], F]:
    """Give a form the model's fields, with the model's labels, help, lengths and limits, so
    the page and the database say the same; ``options`` as for ``fields_for_model``."""
    initial = initial or {}

    def formfield(db_field: DbField[Any, Any], **kwargs: Any) -> forms.Field | None:
        if db_field.name in initial:  # with an initial choice, a list has no "---------" row
            kwargs["initial"] = initial[db_field.name]
        return db_field.formfield(**kwargs)

    def decorate(form: F) -> F:
        fields = forms.fields_for_model(
            model, fields=names, formfield_callback=formfield, **options
        )
        form.base_fields = {**fields, **form.base_fields}
        return form

    return decorate


class RowForm(forms.Form):
    """One row of a list in the record; a row left blank is skipped."""

    def row(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("DELETE", "ORDER")}


class RowFormSet(forms.BaseFormSet[RowForm]):
    """Rows in the order shown (or as renumbered in 順番), without blank and deleted rows."""

    title = ""

    def add_fields(self, form: RowForm, index: int | None) -> None:
        super().add_fields(form, index)
        if self.can_order:
            form.fields["ORDER"].label = "順番"
        form.fields["DELETE"].label = "この行を削除"

    def rows(self) -> list[RowForm]:
        if self.can_order:
            return list(self.ordered_forms)
        return [
            form
            for index, form in enumerate(self.forms)
            if (index < self.initial_form_count() or form.has_changed())
            and not form.cleaned_data.get("DELETE")
        ]


def row_formset(form: type[RowForm], title: str, *, extra: int, order: bool) -> type[RowFormSet]:
    formset = forms.formset_factory(
        form,
        formset=RowFormSet,
        extra=extra,
        can_delete=True,
        can_order=order,
        max_num=200,
        absolute_max=200,
        validate_max=True,
    )
    return cast(type[RowFormSet], type(f"{form.__name__}Set", (formset,), {"title": title}))


def form_errors(form: forms.Form, where: str) -> list[tuple[str, str, str]]:
    if not form.is_bound:
        return []
    found = []
    for field, messages in form.errors.items():
        label = str(form.fields[field].label) if field in form.fields else ""
        anchor = form[field].id_for_label if field in form.fields else ""
        found += [(" ".join(filter(None, (where, label))), str(m), anchor) for m in messages]
    return found


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's refusal on the form that sent the values: messages about a field of
    the form beside that field, the rest at the top (a service checks more than a form can,
    such as free space, other rows, or the state of the record)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for name, problems in error.message_dict.items():
        form.add_error(name if name in form.fields else None, problems)


class SearchForm(forms.Form):
    """The filters of the site search. The words themselves are read by
    kyodo.core.search.text.parse, which never refuses; a filter that is not one of the
    choices is dropped with a message, and the search runs without it."""

    q = forms.CharField(label=_("検索語"), required=False, strip=False)
    kind = forms.ChoiceField(label=_("種類"), required=False)
    municipality = forms.TypedChoiceField(label=_("市町村"), required=False, coerce=int)
    year = forms.TypedChoiceField(label=_("年度"), required=False, coerce=int)

    def __init__(
        self,
        data: Any,
        *,
        kinds: list[tuple[str, str]],
        municipalities: list[tuple[int, str]],
        years: list[tuple[int, str]],
    ) -> None:
        super().__init__(data)
        for name, choices in (("kind", kinds), ("municipality", municipalities), ("year", years)):
            cast(forms.ChoiceField, self.fields[name]).choices = [("", _("すべて")), *choices]
