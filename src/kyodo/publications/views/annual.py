"""Pages of the annual event calendar: the list of calendars, a calendar with the lines it
prints and its drafts, a draft with what changed and the members' comments, the
advertisement band and the delivery counts."""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_POST

from kyodo.calendar.models import Entry
from kyodo.core.forms import add_service_errors, form_errors
from kyodo.core.models import Job
from kyodo.core.permissions import requires, requires_object
from kyodo.core.queries import latest_jobs
from kyodo.core.requests import report_refusal
from kyodo.publications.forms.annual import (
    AdSlotForm,
    CalendarCreateForm,
    CalendarSettingsForm,
    CommentForm,
    DeliveryForm,
    DraftForm,
    ExcludeForm,
    ReplyForm,
    ReviewForm,
    ad_slot_initial,
)
from kyodo.publications.models import (
    AD_GRID,
    AdSlot,
    AnnualCalendar,
    CalendarDraft,
    CalendarStatus,
    SheetFormat,
)
from kyodo.publications.queries import annual as queries
from kyodo.publications.queries.councils import councils_for
from kyodo.publications.services import annual as services
from kyodo.publications.tasks import ANNUAL_PDF


def _to_calendar(calendar: AnnualCalendar) -> HttpResponse:
    return redirect("publications:calendar", pk=calendar.pk)


# --- Calendars ------------------------------------------------------------------------------


@requires("publications.manage")
def calendar_list(request: HttpRequest) -> HttpResponse:
    councils = councils_for(request.user)
    form = CalendarCreateForm(request.POST or None, councils=councils)
    if request.method == "POST" and form.is_valid():
        council = form.cleaned_data["council"]
        if not request.user.has_perm("publications.change_calendar", council):
            raise PermissionDenied
        try:
            calendar = services.calendar_create(
                council=council,
                year=form.cleaned_data["year"],
                year_kind=form.cleaned_data["year_kind"],
                title=form.cleaned_data["title"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"「{calendar.title}」を作りました。")
            return _to_calendar(calendar)
    return render(
        request,
        "publications/annual/list.html",
        {
            "calendars": queries.calendars_for(request.user),
            "form": form if councils else None,
            "errors": form_errors(form, ""),
            "page_title": "年間行事カレンダー",
            "noindex": True,
        },
        status=400 if request.method == "POST" else 200,
    )


def _print_files(calendar: AnnualCalendar) -> list[tuple[SheetFormat, Job | None]]:
    sheets = list(SheetFormat)
    jobs = latest_jobs(
        ANNUAL_PDF, [{"calendar": calendar.pk, "sheet": sheet.value} for sheet in sheets]
    )
    return list(zip(sheets, jobs, strict=True))


@requires_object("publications.view_calendar", load=queries.calendar_by_pk)
def calendar_detail(request: HttpRequest, calendar: AnnualCalendar) -> HttpResponse:
    can_edit = request.user.has_perm("publications.change_calendar", calendar)
    # Readers of a final calendar see what is printed; editors see the entries as they are
    # now, to decide whether a new draft is needed.
    printed = (
        calendar.drafts.order_by("-number").first()
        if calendar.status == CalendarStatus.FINAL and not can_edit
        else None
    )
    lines = queries.draft_lines(printed) if printed else queries.current_lines(calendar)
    drafts = (
        queries.drafts(calendar)
        if request.user.has_perm("publications.view_drafts", calendar)
        else []
    )
    newest = drafts[0] if drafts else None
    return render(
        request,
        "publications/annual/calendar.html",
        {
            "calendar": calendar,
            "can_edit": can_edit,
            "can_exclude": can_edit and calendar.status != CalendarStatus.FINAL,
            "months": queries.by_month(calendar, lines),
            "line_count": len(lines),
            "printed": printed,
            "my_deliveries": [] if can_edit else queries.deliveries_for(calendar, request.user),
            "excluded": queries.excluded_entries(calendar) if can_edit else [],
            "drafts": drafts,
            "newest": newest,
            "pending": (
                queries.changes(queries.draft_lines(newest), lines)
                if newest is not None and can_edit
                else None
            ),
            "pending_caption": f"第{newest.number}稿からの変更" if newest else "",
            "draft_form": DraftForm(),
            "review_form": ReviewForm(initial={"comments_until": calendar.comments_until}),
            "print_files": _print_files(calendar) if can_edit else [],
            "page_title": calendar.title,
            "noindex": True,
        },
    )


@requires_object("publications.change_calendar", load=queries.calendar_by_pk)
def calendar_settings(request: HttpRequest, calendar: AnnualCalendar) -> HttpResponse:
    form = CalendarSettingsForm(
        request.POST or None,
        initial={name: getattr(calendar, name) for name in services.CALENDAR_FIELDS},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.calendar_update(calendar=calendar, values=form.values(), actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "カレンダーの設定を保存しました。")
            return _to_calendar(calendar)
    return render(
        request,
        "publications/annual/settings.html",
        {
            "calendar": calendar,
            "form": form,
            "errors": form_errors(form, ""),
            "page_title": f"{calendar.title}の設定",
            "noindex": True,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@requires_object("publications.change_calendar", load=queries.calendar_by_pk)
def calendar_exclude(request: HttpRequest, calendar: AnnualCalendar) -> HttpResponse:
    form = ExcludeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "行事の指定が正しくありません。")
        return _to_calendar(calendar)
    entry = get_object_or_404(
        Entry.objects.select_related("organisation"), pk=form.cleaned_data["entry"]
    )
    excluded = form.cleaned_data["excluded"]
    try:
        services.calendar_set_excluded(
            calendar=calendar, entry=entry, excluded=excluded, actor=request.user
        )
    except ValidationError as error:
        report_refusal(request, error)
    else:
        done = "をカレンダーに載せないことにしました" if excluded else "を再びカレンダーに載せます"
        messages.success(request, f"「{entry.title}」{done}。")
    return _to_calendar(calendar)


@require_POST
@requires_object("publications.change_calendar", load=queries.calendar_by_pk)
def draft_take(request: HttpRequest, calendar: AnnualCalendar) -> HttpResponse:
    form = DraftForm(request.POST)
    if not form.is_valid():
        messages.error(request, "委員へのお知らせは2000文字までにしてください。")
        return _to_calendar(calendar)
    try:
        draft = services.calendar_take_draft(
            calendar=calendar, message=form.cleaned_data["message"], actor=request.user
        )
    except ValidationError as error:
        report_refusal(request, error)
        return _to_calendar(calendar)
    messages.success(request, f"第{draft.number}稿を作りました({len(draft.lines)}件)。")
    return redirect("publications:draft", pk=calendar.pk, number=draft.number)


@require_POST
@requires_object("publications.change_calendar", load=queries.calendar_by_pk)
def calendar_review(request: HttpRequest, calendar: AnnualCalendar) -> HttpResponse:
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, "意見の締切日を正しく入力してください(例: 2026-12-20)。")
        return _to_calendar(calendar)
    try:
        services.calendar_open_review(
            calendar=calendar,
            comments_until=form.cleaned_data["comments_until"],
            actor=request.user,
        )
    except ValidationError as error:
        report_refusal(request, error)
    else:
        messages.success(request, "最新の原稿への意見募集を始めました。")
    return _to_calendar(calendar)


@require_POST
@requires_object("publications.change_calendar", load=queries.calendar_by_pk)
def calendar_finalise(request: HttpRequest, calendar: AnnualCalendar) -> HttpResponse:
    try:
        services.calendar_finalise(calendar=calendar, actor=request.user)
    except ValidationError as error:
        report_refusal(request, error)
    else:
        messages.success(request, "最新の原稿でカレンダーを確定しました。")
    return _to_calendar(calendar)


@require_POST
@requires_object("publications.change_calendar", load=queries.calendar_by_pk)
def calendar_reopen(request: HttpRequest, calendar: AnnualCalendar) -> HttpResponse:
    try:
        services.calendar_reopen(calendar=calendar, actor=request.user)
    except ValidationError as error:
        report_refusal(request, error)
    else:
        messages.success(request, "カレンダーを作成中に戻しました。")
    return _to_calendar(calendar)


# --- Drafts and comments --------------------------------------------------------------------


def _draft_page(
    request: HttpRequest, draft: CalendarDraft, form: CommentForm | None, *, status: int = 200
) -> HttpResponse:
    calendar = draft.calendar
    lines = queries.draft_lines(draft)
    previous = queries.previous_draft(draft)
    can_edit = request.user.has_perm("publications.change_calendar", calendar)
    return render(
        request,
        "publications/annual/draft.html",
        {
            "calendar": calendar,
            "draft": draft,
            "previous": previous,
            "months": queries.by_month(calendar, lines),
            "line_count": len(lines),
            "changes": (
                queries.changes(queries.draft_lines(previous), lines)
                if previous is not None
                else None
            ),
            "changes_caption": f"第{previous.number}稿からの変更" if previous else "",
            "comments": queries.comments(draft),
            "form": form,
            "errors": form_errors(form, "") if form is not None else [],
            "can_edit": can_edit,
            "page_title": f"{calendar.title} 第{draft.number}稿",
            "noindex": True,
        },
        status=status,
    )


def _comment_form(request: HttpRequest, draft: CalendarDraft) -> CommentForm | None:
    if not request.user.has_perm("publications.comment_draft", draft):
        return None
    organisations = queries.commenting_organisations(request.user, draft.calendar)
    if not organisations:
        return None
    return CommentForm(request.POST or None, organisations=organisations)


@requires_object("publications.view_drafts", load=queries.draft_by_number)
def draft_detail(request: HttpRequest, draft: CalendarDraft) -> HttpResponse:
    return _draft_page(request, draft, _comment_form(request, draft))


@require_POST
@requires_object("publications.comment_draft", load=queries.draft_by_number)
def comment_add(request: HttpRequest, draft: CalendarDraft) -> HttpResponse:
    form = _comment_form(request, draft)
    if form is None:
        raise PermissionDenied
    if form.is_valid():
        try:
            services.calendar_comment_add(
                draft=draft,
                organisation=form.cleaned_data["organisation"],
                body=form.cleaned_data["body"],
                actor=request.user,
            )
        except ValidationError as error:
            for name, problems in error.message_dict.items():
                for problem in problems:
                    form.add_error(name if name in form.fields else None, problem)
        else:
            messages.success(request, "意見を送りました。委員会から回答があればここに載ります。")
            return redirect(
                reverse("publications:draft", args=[draft.calendar_id, draft.number]) + "#comments"
            )
    return _draft_page(request, draft, form, status=400)


@require_POST
@requires_object("publications.change_calendar", load=queries.calendar_by_pk)
def comment_reply(request: HttpRequest, calendar: AnnualCalendar) -> HttpResponse:
    comment = queries.comment(calendar, queries.requested_part(calendar, "comment"))
    form = ReplyForm(request.POST)
    where = reverse("publications:draft", args=[calendar.pk, comment.draft.number])
    if not form.is_valid():
        messages.error(request, "回答は2000文字までにしてください。")
        return redirect(f"{where}#comment-{comment.pk}")
    services.calendar_comment_reply(
        comment=comment,
        reply=form.cleaned_data["reply"],
        resolved=form.cleaned_data["resolved"],
        actor=request.user,
    )
    messages.success(request, f"{comment.author_name}さんの意見への回答を保存しました。")
    return redirect(f"{where}#comment-{comment.pk}")


# --- Advertisements -------------------------------------------------------------------------


@requires_object("publications.change_calendar", load=queries.calendar_by_pk)
def ads(request: HttpRequest, calendar: AnnualCalendar) -> HttpResponse:
    slots = queries.ad_slots(calendar)
    return render(
        request,
        "publications/annual/ads.html",
        {
            "calendar": calendar,
            "slots": slots,
            "band": queries.band(slots),
            "columns": range(1, AD_GRID.columns + 1),
            "grid": AD_GRID,
            "totals": queries.ad_totals(slots),
            "free": queries.free_cells_label(queries.taken_cells(slots)),
            "page_title": f"{calendar.title}の広告",
            "noindex": True,
        },
    )


def _ad_editor(request: HttpRequest, calendar: AnnualCalendar, slot: AdSlot | None) -> HttpResponse:
    form = AdSlotForm(
        request.POST or None,
        request.FILES or None,
        initial=ad_slot_initial(slot) if slot else {"width": 1, "height": 1},
        has_artwork=bool(slot and slot.artwork),
    )
    if request.method == "POST" and form.is_valid():
        column, row = form.position()
        try:
            saved = services.ad_slot_save(
                calendar=calendar,
                slot=slot,
                values=form.values(),
                column=column,
                row=row,
                artwork=form.cleaned_data["artwork"],
                remove_artwork=form.cleaned_data.get("remove_artwork", False),
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"「{saved.sponsor}」の広告({saved.width}×{saved.height}枠)を"
                f"上から{saved.row + 1}段目・左から{saved.column + 1}枠目に保存しました。",
            )
            return redirect("publications:ads", pk=calendar.pk)
    slots = queries.ad_slots(calendar)
    return render(
        request,
        "publications/annual/ad_edit.html",
        {
            "calendar": calendar,
            "slot": slot,
            "form": form,
            "errors": form_errors(form, ""),
            "band": queries.band(slots),
            "columns": range(1, AD_GRID.columns + 1),
            "free": queries.free_cells_label(queries.taken_cells(s for s in slots if s != slot)),
            "page_title": f"「{slot.sponsor}」の広告を編集" if slot else "広告を追加",
            "noindex": True,
        },
        status=400 if request.method == "POST" else 200,
    )


@requires_object("publications.change_calendar", load=queries.calendar_by_pk)
def ad_create(request: HttpRequest, calendar: AnnualCalendar) -> HttpResponse:
    return _ad_editor(request, calendar, None)


@requires_object("publications.change_calendar", load=queries.calendar_by_pk)
def ad_edit(request: HttpRequest, calendar: AnnualCalendar) -> HttpResponse:
    slot = queries.ad_slot(calendar, queries.requested_part(calendar, "slot"))
    return _ad_editor(request, calendar, slot)


@require_POST
@requires_object("publications.change_calendar", load=queries.calendar_by_pk)
def ad_delete(request: HttpRequest, calendar: AnnualCalendar) -> HttpResponse:
    slot = queries.ad_slot(calendar, queries.requested_part(calendar, "slot"))
    services.ad_slot_delete(slot=slot, actor=request.user)
    messages.success(request, f"「{slot.sponsor}」の広告を削除しました。")
    return redirect("publications:ads", pk=calendar.pk)


@requires_object("publications.change_calendar", load=queries.calendar_by_pk)
def ad_artwork(request: HttpRequest, calendar: AnnualCalendar) -> FileResponse:
    slot = queries.ad_slot(calendar, queries.requested_part(calendar, "slot"))
    if not slot.artwork:
        raise Http404
    content_type = mimetypes.guess_type(slot.artwork.name or "")[0] or "application/octet-stream"
    return FileResponse(slot.artwork.open("rb"), content_type=content_type)


# --- Delivery -------------------------------------------------------------------------------


@requires_object("publications.change_calendar", load=queries.calendar_by_pk)
def deliveries(request: HttpRequest, calendar: AnnualCalendar) -> HttpResponse:
    rows = queries.delivery_rows(calendar)
    forms = [
        (
            row,
            DeliveryForm(
                request.POST or None,
                prefix=f"a{row.association.pk}",
                initial=(
                    {name: getattr(row.delivery, name) for name in services.DELIVERY_FIELDS}
                    if row.delivery
                    else {"households": None, "copies": None}
                ),
            ),
        )
        for row in rows
    ]
    errors = [error for row, form in forms for error in form_errors(form, row.association.name)]
    if request.method == "POST" and not errors:
        try:
            services.deliveries_save(
                calendar=calendar,
                rows={row.association.pk: form.values() for row, form in forms},
                actor=request.user,
            )
        except ValidationError as error:
            names = {str(row.association.pk): row.association.name for row in rows}
            for key, problems in error.message_dict.items():
                where = names.get(key.split(".")[0], "")
                errors += [(where, problem, "") for problem in problems]
        else:
            messages.success(request, "配布部数を保存しました。")
            return redirect("publications:deliveries", pk=calendar.pk)
    totals = queries.delivery_totals(calendar, rows)
    return render(
        request,
        "publications/annual/deliveries.html",
        {
            "calendar": calendar,
            "forms": forms,
            "errors": errors,
            "totals": totals,
            "page_title": f"{calendar.title}の配布",
            "noindex": True,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@requires_object("publications.change_calendar", load=queries.calendar_by_pk)
def calendar_pdf(request: HttpRequest, calendar: AnnualCalendar) -> HttpResponse:
    try:
        job = services.calendar_pdf_start(
            calendar=calendar, sheet=request.POST.get("sheet", ""), actor=request.user
        )
    except ValidationError as error:
        report_refusal(request, error)
        return _to_calendar(calendar)
    return redirect(job)


urlpatterns: list[URLPattern] = [
    path("publications/calendars/<int:pk>/pdf/", calendar_pdf, name="calendar_pdf"),
    path("publications/calendars/", calendar_list, name="calendar_list"),
    path("publications/calendars/<int:pk>/", calendar_detail, name="calendar"),
    path("publications/calendars/<int:pk>/settings/", calendar_settings, name="calendar_settings"),
    path("publications/calendars/<int:pk>/exclude/", calendar_exclude, name="calendar_exclude"),
    path("publications/calendars/<int:pk>/drafts/new/", draft_take, name="draft_take"),
    path("publications/calendars/<int:pk>/review/", calendar_review, name="calendar_review"),
    path("publications/calendars/<int:pk>/finalise/", calendar_finalise, name="calendar_finalise"),
    path("publications/calendars/<int:pk>/reopen/", calendar_reopen, name="calendar_reopen"),
    path("publications/calendars/<int:pk>/drafts/<int:number>/", draft_detail, name="draft"),
    path(
        "publications/calendars/<int:pk>/drafts/<int:number>/comments/",
        comment_add,
        name="comment_add",
    ),
    path(
        "publications/calendars/<int:pk>/comments/<int:comment>/reply/",
        comment_reply,
        name="comment_reply",
    ),
    path("publications/calendars/<int:pk>/ads/", ads, name="ads"),
    path("publications/calendars/<int:pk>/ads/new/", ad_create, name="ad_create"),
    path("publications/calendars/<int:pk>/ads/<int:slot>/", ad_edit, name="ad_edit"),
    path("publications/calendars/<int:pk>/ads/<int:slot>/delete/", ad_delete, name="ad_delete"),
    path("publications/calendars/<int:pk>/ads/<int:slot>/artwork/", ad_artwork, name="ad_artwork"),
    path("publications/calendars/<int:pk>/deliveries/", deliveries, name="deliveries"),
]
