"""Pages of the shared knowledge: posts and cases (lists with filters, detail, editor,
withdraw, PDF download), the Q&A of published meetings, and the writer's own records."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from kyodo.core.forms import add_service_errors, form_errors
from kyodo.core.permissions import public, requires
from kyodo.core.requests import report_refusal
from kyodo.knowledge import queries, services
from kyodo.knowledge.forms import (
    CaseFilter,
    CaseForm,
    PostFilter,
    PostForm,
    QaFilter,
    QuestionThemesForm,
)
from kyodo.knowledge.models import Case, CaseAttachment, Post, PostAttachment, Status
from kyodo.knowledge.rules import may_tag_questions

# --- Posts -----------------------------------------------------------------------------------


@public
def post_list(request: HttpRequest) -> HttpResponse:
    form = PostFilter(request.GET)
    form.is_valid()
    page = queries.post_page(
        request.user,
        kind=form.cleaned_data.get("kind") or "",
        scope=form.cleaned_data.get("scope") or "",
        page=request.GET.get("page"),
    )
    return render(
        request,
        "knowledge/post_list.html",
        {
            "form": form,
            "page": page,
            "query": _query_without_page(request),
            "can_write": request.user.has_perm("knowledge.write"),
            "page_title": "情報発信(県内外のNPO施策・協働の取組)",
        },
    )


@public
def post_detail(request: HttpRequest, pk: int) -> HttpResponse:
    post = queries.access_post(pk, user=request.user)
    return render(
        request,
        "knowledge/post_detail.html",
        {
            "item": post,
            "attachments": queries.post_attachments(post),
            "can_change": request.user.has_perm("knowledge.change_item", post),
            "page_title": post.title,
            "page_updated": post.updated_at if post.status == Status.PUBLISHED else None,
            "noindex": post.status != Status.PUBLISHED,
        },
    )


def _editor(
    request: HttpRequest,
    *,
    form_class: type[PostForm] | type[CaseForm],
    item: Post | Case | None,
    save: Any,
    template: str,
    title: str,
) -> HttpResponse:
    initial: dict[str, Any] = {}
    if item is not None:
        initial = {
            name: getattr(item, name) for name in form_class.base_fields if hasattr(item, name)
        }
        if isinstance(item, Case):
            initial["themes"] = list(item.themes.all())
            initial["meetings"] = list(item.meetings.all())
        if item.status == Status.WITHDRAWN:
            initial["status"] = Status.DRAFT
    form = form_class(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        network=item.network if item else None,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        values = form.values()
        try:
            saved = save(
                **values,
                attachment=form.cleaned_data.get("attachment"),
                attachment_title=form.cleaned_data.get("attachment_title") or "",
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            state = (
                "公開しました" if saved.status == Status.PUBLISHED else "下書きとして保存しました"
            )
            messages.success(request, f"「{saved.title}」を{state}。")
            return redirect(saved)
    return render(
        request,
        template,
        {
            "form": form,
            "item": item,
            "attachments": list(item.attachments.all()) if item else [],
            "errors": form_errors(form, ""),
            "page_title": title,
            "noindex": True,
        },
        status=400 if request.method == "POST" else 200,
    )


@requires("knowledge.write")
def post_new(request: HttpRequest) -> HttpResponse:
    return _editor(
        request,
        form_class=PostForm,
        item=None,
        save=services.post_create,
        template="knowledge/post_form.html",
        title="情報発信の作成",
    )


@requires("knowledge.write")
def post_edit(request: HttpRequest, pk: int) -> HttpResponse:
    post = queries.access_post(pk, user=request.user, for_write=True)

    def save(**values: Any) -> Post:
        values.pop("network", None)
        values.pop("organisation", None)
        return services.post_update(post=post, **values)

    return _editor(
        request,
        form_class=PostForm,
        item=post,
        save=save,
        template="knowledge/post_form.html",
        title=f"「{post.title}」の編集",
    )


def _withdraw(request: HttpRequest, item: Post | Case) -> HttpResponse:
    try:
        services.item_withdraw(item=item, actor=request.user)
    except ValidationError as error:
        report_refusal(request, error)
    else:
        messages.success(request, f"「{item.title}」を取り下げました。サイトには表示されません。")
    return redirect(item)


@require_POST
@requires("knowledge.write")
def post_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _withdraw(request, queries.access_post(pk, user=request.user, for_write=True))


def _file(attachment: PostAttachment | CaseAttachment) -> FileResponse:
    return FileResponse(
        attachment.file.open("rb"),
        content_type="application/pdf",
        filename=f"{attachment.title}.pdf",
    )


def _file_delete(
    request: HttpRequest, attachment: PostAttachment | CaseAttachment, editor: str, pk: int
) -> HttpResponse:
    services.attachment_remove(attachment=attachment, actor=request.user)
    messages.success(request, f"資料「{attachment.title}」を削除しました。")
    return redirect(editor, pk=pk)


@public
def post_file(request: HttpRequest, pk: int, file: int) -> FileResponse:
    post = queries.access_post(pk, user=request.user)
    return _file(queries.post_attachment(post, file))


@require_POST
@requires("knowledge.write")
def post_file_delete(request: HttpRequest, pk: int, file: int) -> HttpResponse:
    post = queries.access_post(pk, user=request.user, for_write=True)
    return _file_delete(request, queries.post_attachment(post, file), "knowledge:post_edit", pk)


# --- Cases -----------------------------------------------------------------------------------


@public
def case_list(request: HttpRequest) -> HttpResponse:
    themes = list(queries.all_themes())
    form = CaseFilter(request.GET, themes=themes)
    form.is_valid()
    page = queries.case_page(
        request.user,
        theme=form.cleaned_data.get("theme"),
        phase=form.cleaned_data.get("phase"),
        scope=form.cleaned_data.get("scope") or "",
        page=request.GET.get("page"),
    )
    return render(
        request,
        "knowledge/case_list.html",
        {
            "form": form,
            "page": page,
            "query": _query_without_page(request),
            "can_write": request.user.has_perm("knowledge.write"),
            "page_title": "地域コミュニティの事例",
        },
    )


@public
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = queries.access_case(pk, user=request.user)
    return render(
        request,
        "knowledge/case_detail.html",
        {
            "item": case,
            "attachments": queries.case_attachments(case),
            "meetings": queries.published_meetings_of(case),
            "can_change": request.user.has_perm("knowledge.change_item", case),
            "page_title": case.title,
            "page_updated": case.updated_at if case.status == Status.PUBLISHED else None,
            "noindex": case.status != Status.PUBLISHED,
        },
    )


@requires("knowledge.write")
def case_new(request: HttpRequest) -> HttpResponse:
    return _editor(
        request,
        form_class=CaseForm,
        item=None,
        save=services.case_create,
        template="knowledge/case_form.html",
        title="事例の作成",
    )


@requires("knowledge.write")
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = queries.access_case(pk, user=request.user, for_write=True)

    def save(**values: Any) -> Case:
        values.pop("network", None)
        values.pop("organisation", None)
        return services.case_update(case=case, **values)

    return _editor(
        request,
        form_class=CaseForm,
        item=case,
        save=save,
        template="knowledge/case_form.html",
        title=f"「{case.title}」の編集",
    )


@require_POST
@requires("knowledge.write")
def case_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _withdraw(request, queries.access_case(pk, user=request.user, for_write=True))


@public
def case_file(request: HttpRequest, pk: int, file: int) -> FileResponse:
    case = queries.access_case(pk, user=request.user)
    return _file(queries.case_attachment(case, file))


@require_POST
@requires("knowledge.write")
def case_file_delete(request: HttpRequest, pk: int, file: int) -> HttpResponse:
    case = queries.access_case(pk, user=request.user, for_write=True)
    return _file_delete(request, queries.case_attachment(case, file), "knowledge:case_edit", pk)


# --- Q&A -------------------------------------------------------------------------------------


@public
def qa_list(request: HttpRequest) -> HttpResponse:
    filters = queries.qa_filters()
    form = QaFilter(request.GET, filters=filters)
    form.is_valid()
    page = queries.qa_page(
        theme=form.cleaned_data.get("theme"),
        fiscal_year=form.cleaned_data.get("year"),
        meeting=form.cleaned_data.get("meeting"),
        page=request.GET.get("page"),
    )
    return render(
        request,
        "knowledge/qa_list.html",
        {
            "form": form,
            "page": page,
            "query": _query_without_page(request),
            "page_title": "会議の質疑応答(Q&A)",
        },
    )


@public
def qa_detail(request: HttpRequest, pk: int) -> HttpResponse:
    question = queries.access_qa(pk)
    network_id = question.meeting.network_id
    tagging = may_tag_questions(request.user, network_id)
    form = None
    if tagging:
        form = QuestionThemesForm(
            request.POST or None,
            network_id=network_id,
            initial={"themes": queries.question_themes(question)},
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.question_themes_set(
                    question=question, themes=list(form.cleaned_data["themes"]), actor=request.user
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "テーマを保存しました。")
                return redirect("knowledge:qa", pk=question.pk)
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "knowledge/qa_detail.html",
        {
            "question": question,
            "meeting": question.meeting,
            "themes": queries.question_themes(question),
            "form": form,
            "errors": form_errors(form, "") if form is not None else [],
            "page_title": f"Q&A: {question.public_text[:40]}",
        },
        status=400 if request.method == "POST" else 200,
    )


# --- The writer's own records ----------------------------------------------------------------


@requires("knowledge.write")
def manage(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "knowledge/manage.html",
        {
            "managed": queries.managed(request.user),
            "page_title": "情報発信・事例の管理",
            "noindex": True,
        },
    )


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
