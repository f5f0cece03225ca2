"""The officers' side of the calendar: their organisations' entries, the editor, and
publishing, cancelling, withdrawing and deleting."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from kyodo.calendar import queries, services
from kyodo.calendar.forms import EntryForm, StatusForm, entry_initial
from kyodo.calendar.models import Entry, EntryStatus
from kyodo.core.forms import form_errors
from kyodo.core.permissions import requires, requires_object
from kyodo.core.requests import report_refusal
from kyodo.directory.models import Organisation


def _editor(
    request: HttpRequest,
    form: EntryForm,
    *,
    entry: Entry | None,
    organisation: Organisation | None,
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        owner = organisation or form.cleaned_data["organisation"]
        if not request.user.has_perm("calendar.post_entry", owner):
            raise PermissionDenied
        try:
            saved = services.entry_save(
                organisation=owner,
                entry=entry,
                values=form.values(),
                exceptions=form.cleaned_data["exceptions"],
                publish="publish" in request.POST,
                actor=request.user,
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            state = (
                "公開しました" if saved.status != EntryStatus.DRAFT else "下書きとして保存しました"
            )
            messages.success(request, f"「{saved.title}」を{state}。")
            return redirect(saved)
    return render(
        request,
        "calendar/edit.html",
        {
            "form": form,
            "errors": form_errors(form, ""),
            "entry": entry,
            "page_title": f"「{entry.title}」を編集" if entry else "行事・会議を登録",
            "noindex": True,
        },
        status=400 if request.method == "POST" else 200,
    )


@requires("calendar.manage_entries")
def manage(request: HttpRequest) -> HttpResponse:
    organisations = queries.postable_organisations(request.user)
    return render(
        request,
        "calendar/manage.html",
        {
            "organisations": organisations,
            "entries": queries.entries_to_manage(o.pk for o in organisations),
            "page_title": "行事・会議の管理",
            "noindex": True,
        },
    )


@requires("calendar.manage_entries")
def entry_create(request: HttpRequest) -> HttpResponse:
    organisations = queries.postable_organisations(request.user)
    chosen = request.GET.get("org")
    initial = {"organisation": chosen, "repeat_interval": 1} if chosen else {"repeat_interval": 1}
    form = EntryForm(request.POST or None, organisations=organisations, initial=initial)
    return _editor(request, form, entry=None, organisation=None)


@requires_object("calendar.change_entry", load=queries.entry_by_pk)
def entry_edit(request: HttpRequest, entry: Entry) -> HttpResponse:
    form = EntryForm(request.POST or None, initial=entry_initial(entry))
    return _editor(request, form, entry=entry, organisation=entry.organisation)


_DONE = {
    EntryStatus.PUBLISHED: "公開しました",
    EntryStatus.CANCELLED: "中止にしました。中止と表示して掲載を続けます",
    EntryStatus.DRAFT: "下書きに戻しました。公開のページとフィードから外れます",
}


@require_POST
@requires_object("calendar.change_entry", load=queries.entry_by_pk)
def entry_status(request: HttpRequest, entry: Entry) -> HttpResponse:
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, "状態の指定が正しくありません。")
        return redirect(entry)
    try:
        services.entry_set_status(
            entry=entry,
            status=form.cleaned_data["status"],
            reason=form.cleaned_data["reason"],
            actor=request.user,
        )
    except ValidationError as error:
        report_refusal(request, error)
    else:
        done = _DONE[EntryStatus(form.cleaned_data["status"])]
        messages.success(request, f"「{entry.title}」を{done}。")
    return redirect(entry)


@require_POST
@requires_object("calendar.change_entry", load=queries.entry_by_pk)
def entry_delete(request: HttpRequest, entry: Entry) -> HttpResponse:
    try:
        services.entry_delete(entry=entry, actor=request.user)
    except ValidationError as error:
        report_refusal(request, error)
        return redirect(entry)
    messages.success(request, f"下書き「{entry.title}」を削除しました。")
    return redirect("calendar:manage")
