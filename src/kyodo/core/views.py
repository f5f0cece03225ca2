from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from kyodo.core import jobs, queries, services
from kyodo.core.dates import format_fiscal_year
from kyodo.core.forms import PageFeedbackForm, SearchForm
from kyodo.core.models import Job, JobStatus
from kyodo.core.permissions import login_required, public, requires_object
from kyodo.core.requests import is_htmx
from kyodo.core.search import queries as search_queries
from kyodo.core.search import registry as search_registry
from kyodo.core.search import text as search_text
from kyodo.directory.models import Organisation
from kyodo.directory.queries import municipality_choices, networks_for_home, organisation_by_pk
from kyodo.directory.rules import member_network_ids


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
def search(request: HttpRequest) -> HttpResponse:
    """One search across results pages, Q&A, posts, cases, calendar entries, newsletters and
    organisations. Whatever is typed, the answer is a page: words the index cannot use and
    filters outside the choices come back as messages."""
    municipalities = municipality_choices()
    network_ids = member_network_ids(request.user)
    form = SearchForm(
        request.GET,
        kinds=[(item.kind, item.label) for item in search_registry.sources()],
        municipalities=municipalities,
        years=[
            (year, format_fiscal_year(year)) for year in search_queries.fiscal_years(network_ids)
        ],
    )
    form.is_valid()
    values = form.cleaned_data
    filters = search_queries.Filters(
        kind=values.get("kind") or "",
        municipality_id=values.get("municipality") or None,
        fiscal_year=values.get("year") or None,
    )
    query = search_text.parse(request.GET.get("q"))
    results = search_queries.search(
        query,
        network_ids=network_ids,
        filters=filters,
        page=page_number(request.GET.get("page")),
    )
    names = dict(municipalities)
    results.items = [
        replace(item, municipality=names.get(item.municipality_id or 0, ""))
        for item in results.items
    ]
    return render(
        request,
        "core/search.html",
        {
            "form": form,
            "results": results,
            "page_size": search_queries.PAGE_SIZE,
            "page_title": "サイト内検索",
            "noindex": True,
        },
    )


def page_number(raw: str | None) -> int:
    """The page asked for, 1 when it is not a sensible number."""
    return int(raw) if raw and raw.isascii() and raw.isdigit() and len(raw) < 6 else 1


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


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "core/jobs.html",
        {"jobs": queries.jobs_started_by(request.user), "noindex": True},
    )


# htmx stops polling when the answer has this status (and still shows it).
HTMX_STOP_POLLING = 286


@requires_object("core.view_job", load=queries.job_by_pk)
def job_detail(request: HttpRequest, job: Job) -> HttpResponse:
    stale = job.is_stale()
    seen = f"{job.status}:{job.progress}:{job.attempts}:{stale:d}:{job.progress_note}"
    context = {
        "job": job,
        "may_retry": request.user.has_perm("core.retry_job", job),
        "stale": stale,
        "seen": seen,
        "noindex": True,
    }
    if is_htmx(request):
        if request.GET.get("seen") == seen:
            return HttpResponse(status=204)  # htmx keeps the page as it is
        status = 200 if job.is_active and not context["stale"] else HTMX_STOP_POLLING
        return render(request, "core/job.html#status", context, status=status)
    return render(request, "core/job.html", context)


@requires_object("core.view_job", load=queries.job_by_pk)
def job_download(request: HttpRequest, job: Job) -> FileResponse:
    if job.status != JobStatus.SUCCEEDED or not job.file:
        raise Http404("この処理のファイルはありません。")
    response = FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=job.file_name,
        content_type=job.content_type or "application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@requires_object("core.retry_job", load=queries.job_by_pk)
def job_retry(request: HttpRequest, job: Job) -> HttpResponse:
    try:
        jobs.job_retry(job=job, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "もう一度実行するよう受け付けました。")
    return redirect(job)


def ratelimited(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "core/ratelimited.html", status=429)
