from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from kyodo.core import queries, services
from kyodo.core.forms import PageFeedbackForm
from kyodo.core.permissions import public, requires_object
from kyodo.directory.models import Organisation
from kyodo.directory.queries import networks_for_home, organisation_by_pk


@public
def home(request: HttpRequest) -> HttpResponse:
    networks = networks_for_home()
    return render(
        request,
        "core/home.html",
        {
            "networks": networks,
            "page_owner": networks[0].secretariat if networks else None,
            "page_title": "ホーム",
        },
    )


@public
@require_POST
@ratelimit(key="ip", rate="10/h", method="POST", block=True)
def feedback_submit(request: HttpRequest) -> HttpResponse:
    form = PageFeedbackForm(request.POST)
    htmx = request.headers.get("HX-Request") == "true"
    if form.is_valid() and not form.cleaned_data["website"]:
        page: dict[str, Any] = form.cleaned_data["page"]
        services.page_feedback_submit(
            path=page["p"],
            page_title=page["t"],
            owner_id=page["o"],
            usefulness=form.cleaned_data["usefulness"],
            findability=form.cleaned_data["findability"],
            comment=form.cleaned_data["comment"],
        )
        if htmx:
            return render(request, "core/_feedback.html#thanks")
        messages.success(request, "ご意見をお寄せいただき、ありがとうございました。")
        target = page["p"]
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = "/"
        return redirect(f"{target}#page-feedback")
    if form.is_valid():
        # The hidden field was filled: answer as if accepted, keep nothing.
        return render(request, "core/_feedback.html#thanks")
    template = "core/_feedback.html#form" if htmx else "core/feedback_error.html"
    return render(request, template, {"form": form}, status=400)


@requires_object("core.view_page_feedback", load=organisation_by_pk)
def feedback_dashboard(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    return render(
        request,
        "core/feedback_dashboard.html",
        {
            "organisation": organisation,
            "summaries": queries.page_feedback_summary(organisation),
            "comments": queries.page_feedback_comments(organisation),
        },
    )


def ratelimited(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "core/ratelimited.html", status=429)
