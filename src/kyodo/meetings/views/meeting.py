"""Pages of a meeting: the year plan, the record editor, publication, materials,
registration and attendance."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from kyodo.core.dates import fiscal_year as fiscal_year_of
from kyodo.core.permissions import requires_object
from kyodo.directory.models import Network
from kyodo.directory.queries import network_by_slug
from kyodo.meetings import queries, services
from kyodo.meetings.forms import (
    KIND_SUGGESTIONS,
    ROLE_SUGGESTIONS,
    AttachmentForm,
    AttendeeFormSet,
    CopyForm,
    MeetingEditor,
    OrganisationChoiceForm,
    StatusForm,
)
from kyodo.meetings.models import Meeting, MeetingStatus


def _network_year(slug: str, year: int | None = None) -> tuple[Network, int]:
    year = year if year is not None else fiscal_year_of(timezone.localdate())
    if not 2000 <= year <= 2100:
        raise Http404
    return network_by_slug(slug), year


@requires_object("directory.view_network", load=network_by_slug)
def year_plan_current(request: HttpRequest, network: Network) -> HttpResponse:
    return redirect(
        "meetings:year_plan", slug=network.slug, year=fiscal_year_of(timezone.localdate())
    )


@requires_object("directory.view_network", load=_network_year)
def year_plan(request: HttpRequest, network_year: tuple[Network, int]) -> HttpResponse:
    network, year = network_year
    manages = request.user.has_perm("meetings.manage_network_meetings", network)
    return render(
        request,
        "meetings/year_plan.html",
        {
            "network": network,
            "year": year,
            "meetings": queries.year_plan(network, year, include_unpublished=manages),
            "years": queries.fiscal_years_with_meetings(network, include_unpublished=manages),
            "manages": manages,
            "page_owner": network.secretariat,
            "page_title": f"{network.name} 会議の予定と結果",
        },
    )


def _edit(
    request: HttpRequest, network: Network, meeting: Meeting | None, record: dict[str, Any]
) -> HttpResponse:
    """The record editor, for a new meeting or an existing one. Nothing is saved unless the
    whole record is valid; the errors are listed at the top and shown at each field."""
    editor = MeetingEditor(request.POST or None, network=network, record=record)
    if request.method == "POST" and editor.is_valid():
        try:
            saved = services.meeting_save_record(
                network=network, record=editor.record(), actor=request.user, meeting=meeting
            )
        except services.RecordError as error:
            editor.add_record_errors(error.message_dict)
        else:
            messages.success(request, f"「{saved.display_title}」の記録を保存しました。")
            if "continue" in request.POST:
                return redirect("meetings:edit", pk=saved.pk)
            return redirect(saved)
    title = f"{meeting.display_title}の記録を編集" if meeting else "会議を追加"
    return render(
        request,
        "meetings/edit.html",
        {
            "network": network,
            "meeting": meeting,
            "editor": editor,
            "errors": editor.error_summary() if request.method == "POST" else [],
            "kind_suggestions": KIND_SUGGESTIONS,
            "role_suggestions": ROLE_SUGGESTIONS,
            "page_title": title,
        },
        status=400 if request.method == "POST" else 200,
    )


@requires_object("meetings.manage_network_meetings", load=network_by_slug)
def meeting_create(request: HttpRequest, network: Network) -> HttpResponse:
    form = CopyForm(request.GET)
    year = (
        form.cleaned_data["fiscal_year"]
        if form.is_valid()
        else fiscal_year_of(timezone.localdate())
    )
    record = {
        "fiscal_year": year,
        "kind": KIND_SUGGESTIONS[0],
        "ordinal": queries.next_ordinal(network, year, KIND_SUGGESTIONS[0]),
    }
    return _edit(request, network, None, record)


@requires_object("meetings.change_meeting", load=queries.meeting_by_pk)
def meeting_edit(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    return _edit(request, meeting.network, meeting, queries.meeting_record(meeting))


@requires_object("meetings.view_meeting", load=queries.meeting_by_pk)
def meeting_detail(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    manages = request.user.has_perm("meetings.change_meeting", meeting)
    may_register = request.user.has_perm("meetings.register", meeting)
    revision = (
        queries.latest_revision(meeting) if meeting.status == MeetingStatus.PUBLISHED else None
    )
    context: dict[str, Any] = {
        "meeting": meeting,
        "network": meeting.network,
        "revision": revision,
        "manages": manages,
        "may_register": may_register,
        "may_view_questions": request.user.has_perm("meetings.view_questions", meeting)
        and meeting.status != MeetingStatus.PUBLISHED,
        "join_venues": queries.join_venues(meeting, request.user, manages=manages),
        "page_owner": meeting.network.secretariat,
        "page_title": f"{meeting.display_title}の開催結果" if revision else meeting.display_title,
        "page_updated": revision.published_at if revision else None,
    }
    if revision is None:
        context["preview"] = queries.results_context(meeting)
    if manages:
        context["status_form"] = StatusForm(initial={"status": meeting.status})
        context["copy_form"] = CopyForm(initial={"fiscal_year": meeting.fiscal_year + 1})
        context["revisions"] = list(meeting.revisions.order_by("-number"))
    return render(request, "meetings/detail.html", context)


@requires_object("meetings.view_revisions", load=queries.meeting_with_parts)
def revision_detail(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    revision = queries.revision(meeting, queries.requested_part(meeting, "number"))
    return render(
        request,
        "meetings/revision.html",
        {"meeting": meeting, "revision": revision, "network": meeting.network},
    )


@requires_object("meetings.change_meeting", load=queries.meeting_by_pk)
def meeting_attachments(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        services.attachment_add(
            meeting=meeting,
            title=form.cleaned_data["title"],
            upload=form.cleaned_data["file"],
            actor=request.user,
        )
        messages.success(request, f"資料「{form.cleaned_data['title']}」を追加しました。")
        return redirect("meetings:attachments", pk=meeting.pk)
    return render(
        request,
        "meetings/attachments.html",
        {
            "meeting": meeting,
            "network": meeting.network,
            "form": form,
            "attachments": list(meeting.attachments.all()),
            "page_title": f"{meeting.display_title}の資料",
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@requires_object("meetings.change_meeting", load=queries.meeting_with_parts)
def attachment_delete(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    attachment = queries.attachment(meeting, queries.requested_part(meeting, "attachment"))
    services.attachment_remove(attachment=attachment, actor=request.user)
    messages.success(request, f"資料「{attachment.title}」を削除しました。")
    if meeting.status == MeetingStatus.PUBLISHED:
        messages.warning(
            request, "公開中の開催結果には、更新して公開するまで資料へのリンクが残ります。"
        )
    return redirect("meetings:attachments", pk=meeting.pk)


@requires_object("meetings.view_meeting", load=queries.meeting_with_parts)
def attachment_download(request: HttpRequest, meeting: Meeting) -> FileResponse:
    attachment = queries.attachment(meeting, queries.requested_part(meeting, "attachment"))
    return FileResponse(
        attachment.file.open("rb"),
        content_type="application/pdf",
        filename=f"{attachment.title}.pdf",
    )


@require_POST
@requires_object("meetings.change_meeting", load=queries.meeting_by_pk)
def meeting_publish(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    revision = services.meeting_publish(meeting=meeting, actor=request.user)
    messages.success(request, f"開催結果を公開しました(第{revision.number}版)。")
    return redirect(meeting)


@require_POST
@requires_object("meetings.change_meeting", load=queries.meeting_by_pk)
def meeting_status(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    form = StatusForm(request.POST)
    if form.is_valid():
        services.meeting_set_status(
            meeting=meeting, status=form.cleaned_data["status"], actor=request.user
        )
        messages.success(request, f"状態を「{meeting.get_status_display()}」にしました。")
    else:
        messages.error(request, "状態を変更できませんでした。選択肢から選んでください。")
    return redirect(meeting)


@require_POST
@requires_object("meetings.change_meeting", load=queries.meeting_by_pk)
def meeting_copy(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    form = CopyForm(request.POST)
    if not form.is_valid():
        messages.error(request, "年度は2000から2100の数字で入力してください。")
        return redirect(meeting)
    copy = services.meeting_copy(
        meeting=meeting, actor=request.user, fiscal_year=form.cleaned_data["fiscal_year"]
    )
    messages.success(request, f"「{copy.display_title}」を下書きとして作成しました。")
    return redirect(copy)


@requires_object("meetings.register", load=queries.meeting_by_pk)
def meeting_register(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    organisations = queries.registrable_organisations(meeting, request.user)
    chooser = OrganisationChoiceForm(request.POST or None, organisations=organisations)
    organisation = organisations[0] if len(organisations) == 1 else None
    existing = queries.registration_for(meeting, organisation) if organisation else None
    initial = (
        [
            {
                "name": a.name,
                "department": a.department,
                "email": a.email,
                "mode": a.mode,
                "grouping_answer": a.grouping_answer,
            }
            for a in existing.attendees.all()
        ]
        if existing
        else []
    )
    formset = AttendeeFormSet(
        request.POST or None,
        initial=initial,
        prefix="attendee",
        form_kwargs={"meeting": meeting},
    )
    errors: list[str] = []
    if request.method == "POST" and chooser.is_valid() and formset.is_valid():
        try:
            services.registration_submit(
                meeting=meeting,
                organisation=chooser.cleaned_data["organisation"],
                attendees=formset.attendees(),
                actor=request.user,
            )
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, "参加申込を受け付けました。確認のメールをお送りします。")
            return redirect(meeting)
    return render(
        request,
        "meetings/register.html",
        {
            "meeting": meeting,
            "network": meeting.network,
            "chooser": chooser,
            "formset": formset,
            "existing": existing,
            "refusals": errors,
            "registered": queries.registered_count(meeting),
        },
        status=400 if request.method == "POST" else 200,
    )


@requires_object("meetings.manage_attendance", load=queries.meeting_by_pk)
def meeting_attendance(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    if request.method == "POST":
        attended = {int(pk) for pk in request.POST.getlist("attended") if pk.isdigit()}
        present = services.attendance_record(
            meeting=meeting, attended_ids=attended, actor=request.user
        )
        messages.success(request, f"出欠を記録しました(出席 {present}名)。")
        return redirect("meetings:attendance", pk=meeting.pk)
    return render(
        request,
        "meetings/attendance.html",
        {
            "meeting": meeting,
            "network": meeting.network,
            "registrations": queries.attendance_sheet(meeting),
        },
    )


@require_POST
@requires_object("meetings.change_meeting", load=queries.meeting_by_pk)
def meeting_invite(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    queued, without_address = services.meeting_invite(meeting=meeting, actor=request.user)
    messages.success(request, f"案内メールを{queued}通、送信の予約をしました。")
    if without_address:
        names = "、".join(org.name for org in without_address[:10])
        more = f" ほか{len(without_address) - 10}団体" if len(without_address) > 10 else ""
        messages.warning(
            request, f"連絡先のメールアドレスがない会員 {len(without_address)}団体: {names}{more}"
        )
    return redirect(meeting)


@requires_object("meetings.view_meeting", load=queries.meeting_by_pk)
def meeting_ics(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    manages = request.user.has_perm("meetings.change_meeting", meeting)
    with_join_url = bool(queries.join_venues(meeting, request.user, manages=manages))
    response = HttpResponse(
        queries.meeting_ics(meeting, with_join_url=with_join_url),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response


@requires_object("meetings.view_meeting", load=queries.meeting_by_pk)
def results_pdf(request: HttpRequest, meeting: Meeting) -> FileResponse:
    revision = (
        queries.latest_revision(meeting) if meeting.status == MeetingStatus.PUBLISHED else None
    )
    if revision is None or not revision.pdf:
        raise Http404("PDFはまだ作成されていません。")
    return FileResponse(
        revision.pdf.open("rb"),
        content_type="application/pdf",
        filename=f"meeting-{meeting.pk}-results.pdf",
    )
