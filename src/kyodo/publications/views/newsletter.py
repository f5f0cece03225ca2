"""Pages of the newsletter (協議会だより): the public list, issue pages with their images and
the feed; the editors' list, the start of an issue, the one-page editor, publishing and
withdrawing.

An issue's page that shows an obituary asks search engines not to index it, in the page
(``noindex``) and in its response (``X-Robots-Tag``); the feed never carries one.
"""

from __future__ import annotations

import mimetypes
from typing import Any

from django.contrib import messages
from django.contrib.syndication.views import Feed
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_POST

from kyodo.core.forms import form_errors
from kyodo.core.permissions import public, requires, requires_object
from kyodo.core.queries import latest_job
from kyodo.core.requests import report_refusal
from kyodo.directory.models import Organisation
from kyodo.publications.forms.newsletter import (
    IssueCreateForm,
    ListFilterForm,
    NewsletterEditor,
)
from kyodo.publications.models import IssueStatus, NewsletterIssue
from kyodo.publications.queries import newsletter as queries
from kyodo.publications.queries.councils import councils_for
from kyodo.publications.services import newsletter as services
from kyodo.publications.tasks import NEWSLETTER_PDF

NOINDEX = "noindex"


@public
def newsletter_list(request: HttpRequest) -> HttpResponse:
    councils = list(queries.publishing_councils())
    form = ListFilterForm(request.GET or None, councils=councils)
    council = form.cleaned_data.get("council") if form.is_valid() else None
    issues = list(queries.published_issues(council)[: queries.LIST_LIMIT])
    return render(
        request,
        "publications/newsletter/list.html",
        {
            "form": form,
            "council": council,
            "issues": issues,
            "feed_url": reverse("publications:newsletter_feed")
            + (f"?council={council.pk}" if council else ""),
            "page_title": f"{council.name}の協議会だより" if council else "協議会だより",
            "noindex": bool(request.GET),
        },
        status=400 if form.errors else 200,
    )


@public
def newsletter_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # Public, but a draft is found only by its editors: anyone else gets 404, not 403.
    issue = queries.issue_for_reader(pk, request.user)
    today = timezone.localdate()
    notices = queries.shown_notices(issue, today)
    draft = issue.status == IssueStatus.DRAFT
    manages = request.user.has_perm("publications.change_issue", issue)
    hidden = [n for n in issue.notices.all() if n not in notices] if manages else []
    noindex = draft or queries.shows_obituary(notices)
    response = render(
        request,
        "publications/newsletter/issue.html",
        {
            "issue": issue,
            "articles": issue.articles.all(),
            "groups": queries.grouped(notices),
            "hidden_notices": hidden,
            "print_job": latest_job(NEWSLETTER_PDF, {"issue": issue.pk}) if manages else None,
            "draft": draft,
            "manages": manages,
            "page_owner": issue.council,
            "page_title": str(issue),
            "page_updated": issue.updated_at,
            "noindex": noindex,
        },
    )
    if noindex:
        response["X-Robots-Tag"] = NOINDEX
    return response


@public
def newsletter_image(request: HttpRequest, pk: int, article: int) -> FileResponse:
    """An article's photo, served only while its issue may be read (media is not public)."""
    issue = queries.issue_for_reader(pk, request.user)
    found = queries.article_with_image(issue, article)
    content_type = mimetypes.guess_type(str(found.image.name))[0] or "application/octet-stream"
    response = FileResponse(found.image.open("rb"), content_type=content_type)
    response["Cache-Control"] = (
        # A withdrawn issue's photos must leave shared caches soon: five minutes at most.
        "private, max-age=300" if issue.status == "draft" else "public, max-age=300"
    )
    return response


class NewsletterFeed(Feed):  # type: ignore[type-arg]
    """The newest published issues, as Atom. Items list the headings of articles and of the
    notices a feed may carry: never an obituary, whatever its consent or date."""

    feed_type = Atom1Feed
    description_template = None

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Organisation | None:
        council = request.GET.get("council", "")
        if not council.isdigit():
            return None
        return queries.publishing_councils().filter(pk=int(council)).first()

    def title(self, obj: Organisation | None) -> str:
        return f"{obj.name}の協議会だより" if obj else "協議会だより"

    def subtitle(self, obj: Organisation | None) -> str:
        return "コミュニティ協議会が発行した協議会だよりの新しい号"

    def link(self, obj: Organisation | None) -> str:
        address = reverse("publications:newsletter_list")
        return f"{address}?council={obj.pk}" if obj else address

    def items(self, obj: Organisation | None) -> list[NewsletterIssue]:
        return queries.feed_issues(obj)

    def item_title(self, item: NewsletterIssue) -> str:
        return f"{item}({item.council.name})"

    def item_description(self, item: NewsletterIssue) -> str:
        return queries.feed_summary(item)

    def item_link(self, item: NewsletterIssue) -> str:
        return reverse("publications:newsletter", args=[item.pk])

    def item_pubdate(self, item: NewsletterIssue) -> Any:
        return item.published_at

    def item_updateddate(self, item: NewsletterIssue) -> Any:
        return item.updated_at


# --- The editors' side ------------------------------------------------------------------


@requires("publications.manage")
def newsletter_manage(request: HttpRequest) -> HttpResponse:
    councils = councils_for(request.user)
    return render(
        request,
        "publications/newsletter/manage.html",
        {
            "councils": councils,
            "issues": queries.issues_to_manage(councils),
            "page_title": "協議会だよりの編集",
            "noindex": True,
        },
    )


@requires("publications.manage")
def newsletter_create(request: HttpRequest) -> HttpResponse:
    councils = councils_for(request.user)
    if not councils:
        raise PermissionDenied
    chosen = next((c for c in councils if str(c.pk) == request.GET.get("council")), None)
    chosen = chosen or (councils[0] if len(councils) == 1 else None)
    initial: dict[str, Any] = {"issue_date": timezone.localdate()}
    if chosen is not None:
        defaults = queries.issue_defaults(chosen)
        initial.update(council=chosen.pk, name=defaults.name, number=defaults.number)
    form = IssueCreateForm(request.POST or None, councils=councils, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            issue = services.newsletter_issue_create(
                council=data["council"],
                name=data["name"] or "",
                number=data["number"],
                issue_date=data["issue_date"],
                actor=request.user,
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            messages.success(request, f"{issue}を作りました。記事とお知らせを入力してください。")
            return redirect("publications:newsletter_edit", pk=issue.pk)
    return render(
        request,
        "publications/newsletter/create.html",
        {
            "form": form,
            "errors": form_errors(form, ""),
            "page_title": "協議会だよりの号を作る",
            "noindex": True,
        },
        status=400 if request.method == "POST" else 200,
    )


@requires_object("publications.change_issue", load=queries.issue_by_pk)
def newsletter_edit(request: HttpRequest, issue: NewsletterIssue) -> HttpResponse:
    editor = NewsletterEditor(
        request.POST or None,
        request.FILES or None,
        issue=issue,
        organisations=queries.organisation_choices(issue.council),
    )
    if request.method == "POST" and editor.is_valid():
        try:
            services.newsletter_issue_save(
                issue=issue,
                values=editor.values(),
                articles=editor.rows("articles"),
                notices=editor.rows("notices"),
                actor=request.user,
            )
        except ValidationError as error:
            editor.add_service_errors(error)
        else:
            messages.success(
                request, f"{issue.name} 第{editor.values()['number']}号を保存しました。"
            )
            return redirect("publications:newsletter_edit", pk=issue.pk)
    errors = editor.error_summary() if request.method == "POST" else []
    return render(
        request,
        "publications/newsletter/edit.html",
        {
            "issue": issue,
            "editor": editor,
            "errors": errors,
            "uploads_lost": bool(errors and request.FILES),
            "page_title": f"{issue}を編集",
            "noindex": True,
        },
        status=400 if request.method == "POST" else 200,
    )


def _change_status(request: HttpRequest, issue: NewsletterIssue, *, publish: bool) -> HttpResponse:
    change = services.newsletter_issue_publish if publish else services.newsletter_issue_withdraw
    try:
        change(issue=issue, actor=request.user)
    except ValidationError as error:
        report_refusal(request, error)
        return redirect("publications:newsletter_edit", pk=issue.pk)
    if publish:
        messages.success(request, f"{issue}を発行しました。ウェブのページとフィードに載りました。")
        return redirect("publications:newsletter", pk=issue.pk)
    messages.success(
        request, f"{issue}の発行を取り消しました。公開のページとフィードから外れます。"
    )
    return redirect("publications:newsletter_edit", pk=issue.pk)


@require_POST
@requires_object("publications.change_issue", load=queries.issue_by_pk)
def newsletter_publish(request: HttpRequest, issue: NewsletterIssue) -> HttpResponse:
    return _change_status(request, issue, publish=True)


@require_POST
@requires_object("publications.change_issue", load=queries.issue_by_pk)
def newsletter_withdraw(request: HttpRequest, issue: NewsletterIssue) -> HttpResponse:
    return _change_status(request, issue, publish=False)


@require_POST
@requires_object("publications.change_issue", load=queries.issue_by_pk)
def newsletter_pdf(request: HttpRequest, issue: NewsletterIssue) -> HttpResponse:
    return redirect(services.newsletter_pdf_start(issue=issue, actor=request.user))


urlpatterns: list[URLPattern] = [
    path("publications/newsletters/<int:pk>/pdf/", newsletter_pdf, name="newsletter_pdf"),
    path("publications/newsletters/", newsletter_list, name="newsletter_list"),
    path("publications/newsletters/feed.xml", public(NewsletterFeed()), name="newsletter_feed"),
    path("publications/newsletters/<int:pk>/", newsletter_detail, name="newsletter"),
    path(
        "publications/newsletters/<int:pk>/images/<int:article>/",
        newsletter_image,
        name="newsletter_image",
    ),
    path("publications/newsletters/manage/", newsletter_manage, name="newsletter_manage"),
    path("publications/newsletters/manage/new/", newsletter_create, name="newsletter_create"),
    path("publications/newsletters/<int:pk>/edit/", newsletter_edit, name="newsletter_edit"),
    path(
        "publications/newsletters/<int:pk>/publish/", newsletter_publish, name="newsletter_publish"
    ),
    path(
        "publications/newsletters/<int:pk>/withdraw/",
        newsletter_withdraw,
        name="newsletter_withdraw",
    ),
]
