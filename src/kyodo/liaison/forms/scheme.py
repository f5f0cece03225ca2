"""Input of a municipality's liaison scheme."""

from __future__ import annotations

from typing import Any

from django import forms

from kyodo.core.forms import model_fields
from kyodo.directory.models import Organisation, OrganisationKind
from kyodo.liaison.models import LiaisonScheme


@model_fields(LiaisonScheme, ("managing_department", "personnel_department", "handover_days"))
class SchemeForm(forms.Form):
    def __init__(self, *args: Any, municipality: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        departments = Organisation.objects.filter(
            parent=municipality, kind=OrganisationKind.DEPARTMENT
        ).order_by("kana", "name")
        for name in ("managing_department", "personnel_department"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = departments
        self.fields["handover_days"].widget.attrs.update({"min": 1, "max": 90})

    def values(self) -> dict[str, Any]:
        return dict(self.cleaned_data)
