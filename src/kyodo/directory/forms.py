from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.utils.translation import gettext_lazy as _

from kyodo.directory.models import Organisation, OrganisationKind
from kyodo.directory.services import ORGANISATION_EDITABLE_FIELDS


class OrganisationForm(forms.ModelForm[Organisation]):
    """Validates an organisation's record; the service saves it."""

    class Meta:
        model = Organisation
        fields: tuple[str, ...] = ORGANISATION_EDITABLE_FIELDS
        widgets: ClassVar[dict[str, forms.Widget]] = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "postal_code": forms.TextInput(attrs={"autocomplete": "postal-code"}),
            "address": forms.TextInput(attrs={"autocomplete": "street-address"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            "fax": forms.TextInput(attrs={"inputmode": "tel"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "lgcode": forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 6}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "parent" not in self.fields:
            return
        self.fields["regional_office"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            kind=OrganisationKind.REGIONAL_OFFICE
        )
        self.fields["parent"].queryset = Organisation.objects.exclude(  # type: ignore[attr-defined]
            kind__in=[OrganisationKind.NEIGHBOURHOOD_ASSOCIATION, OrganisationKind.NPO]
        )
        if self.instance.pk:
            self.fields["parent"].queryset = self.fields["parent"].queryset.exclude(  # type: ignore[attr-defined]
                pk=self.instance.pk
            )

    def clean_lgcode(self) -> str:
        # Full-width digits typed with a Japanese input method are the same code.
        value: str = self.cleaned_data.get("lgcode", "")
        return value.translate(str.maketrans("０１２３４５６７８９", "0123456789")).strip()

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        kind, lgcode = cleaned.get("kind"), cleaned.get("lgcode")
        if (
            "kind" in self.fields
            and lgcode
            and kind not in (OrganisationKind.PREFECTURE, OrganisationKind.MUNICIPALITY)
        ):
            self.add_error("lgcode", _("地方公共団体コードは都道府県と市町村にだけ設定できます。"))
        return cleaned


STRUCTURE_FIELDS = ("kind", "parent", "lgcode", "municipality_type", "district", "regional_office")


class OrganisationDetailsForm(OrganisationForm):
    """What an organisation's own officers may change: its details, not its place in the
    tree (which decides what its people may do elsewhere)."""

    class Meta(OrganisationForm.Meta):
        fields = tuple(f for f in ORGANISATION_EDITABLE_FIELDS if f not in STRUCTURE_FIELDS)
