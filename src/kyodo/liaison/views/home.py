"""The liaison start page — what the signed-in person can do here, by role — and the
settings of a municipality's scheme."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path

from kyodo.core.forms import add_service_errors, form_errors
from kyodo.core.permissions import requires, requires_object
from kyodo.directory.models import Organisation
from kyodo.liaison.forms.scheme import SchemeForm
from kyodo.liaison.queries import home as queries
from kyodo.liaison.services.scheme import scheme_save


@requires("liaison.use")
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "liaison/home.html",
        {
            "overview": queries.overview(request.user),
            "page_title": "地域担当・協働の推進",
            "noindex": True,
        },
    )


@requires_object("liaison.configure_scheme", load=queries.municipality_by_pk)
def scheme_edit(request: HttpRequest, municipality: Organisation) -> HttpResponse:
    scheme = queries.scheme_of(municipality)
    initial = (
        {
            "managing_department": scheme.managing_department_id,
            "personnel_department": scheme.personnel_department_id,
            "handover_days": scheme.handover_days,
        }
        if scheme
        else {"handover_days": 7}
    )
    form = SchemeForm(request.POST or None, initial=initial, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        try:
            scheme_save(municipality=municipality, values=form.values(), actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{municipality.name}の地域担当職員制度を保存しました。")
            return redirect("liaison:home")
    return render(
        request,
        "liaison/scheme.html",
        {
            "municipality": municipality,
            "scheme": scheme,
            "form": form,
            "errors": form_errors(form, ""),
            "page_title": f"{municipality.name} 地域担当職員制度の設定",
            "noindex": True,
        },
        status=400 if request.method == "POST" else 200,
    )


urlpatterns: list[URLPattern] = [
    path("liaison/", home, name="home"),
    path("liaison/municipalities/<int:pk>/scheme/", scheme_edit, name="scheme"),
]
