"""Pages of breakout groups (分科会・グループ分け), for the meeting's secretariat: form the
groups, adjust them by hand, name facilitators and note-takers, record the notes, and take
the Zoom pre-assignment CSV and a printable roster."""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from kyodo.core.permissions import requires_object
from kyodo.meetings import queries, services
from kyodo.meetings.forms import (
    AssignForm,
    BreakoutForm,
    GroupForm,
    LockForm,
    MoveForm,
    SwapForm,
)
from kyodo.meetings.models import Attendee, BreakoutSession, Meeting

PERM = "meetings.manage_breakouts"


def _session(meeting: Meeting) -> BreakoutSession:
    return queries.breakout_session(meeting, queries.requested_part(meeting, "session"))


@requires_object(PERM, load=queries.meeting_by_pk)
def breakouts(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    """The meeting's rounds of group work, and a form to start one."""
    form = BreakoutForm(request.POST or None, meeting=meeting)
    refusal = ""
    if request.method == "POST" and form.is_valid():
        try:
            session = services.breakout_create(
                meeting=meeting, actor=request.user, **form.cleaned_data
            )
        except services.BreakoutRefusedError as error:
            refusal = error.messages[0]
        else:
            messages.success(
                request, f"「{session.title}」のグループを{session.group_count}つ作りました。"
            )
            return redirect(session)
    return render(
        request,
        "meetings/breakouts.html",
        {
            "meeting": meeting,
            "network": meeting.network,
            "sessions": queries.breakout_sessions(meeting),
            "registered": len(queries.breakout_people(meeting)),
            "form": form,
            "refusal": refusal,
            "page_title": f"グループ分け | {meeting.display_title}",
        },
        status=400 if request.method == "POST" else 200,
    )


def _board_page(
    request: HttpRequest,
    meeting: Meeting,
    session: BreakoutSession,
    *,
    assign: AssignForm | None = None,
    group_form: tuple[int, GroupForm] | None = None,
    refusal: str = "",
    status: int = 200,
) -> HttpResponse:
    board = queries.breakout_board(session)
    group_forms = []
    for entry in board.groups:
        if group_form is not None and group_form[0] == entry.group.pk:
            form = group_form[1]
        else:
            form = GroupForm(
                initial={
                    "name": entry.group.name,
                    "facilitator": entry.group.facilitator_id,
                    "note_taker": entry.group.note_taker_id,
                    "notes": entry.group.notes,
                    "notes_published": entry.group.notes_published,
                },
                members=[member.attendee for member in entry.members],
                prefix=f"group-{entry.group.pk}",
            )
        group_forms.append((entry, form))
    groups = [entry.group for entry in board.groups]
    return render(
        request,
        "meetings/breakout.html",
        {
            "meeting": meeting,
            "network": meeting.network,
            "session": session,
            "board": board,
            "group_forms": group_forms,
            "assign": assign
            or AssignForm(
                initial={"mode": session.mode, "group_count": session.group_count},
                meeting=meeting,
            ),
            "move": MoveForm(attendees=board.attendees, groups=groups, prefix="move"),
            "swap": SwapForm(attendees=board.attendees, prefix="swap"),
            "refusal": refusal,
            "group_errors": group_form is not None and bool(group_form[1].errors),
            "page_title": f"{session.title}のグループ分け | {meeting.display_title}",
        },
        status=status,
    )


@requires_object(PERM, load=queries.meeting_with_parts)
def breakout(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    return _board_page(request, meeting, _session(meeting))


@require_POST
@requires_object(PERM, load=queries.meeting_with_parts)
def breakout_assign(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    session = _session(meeting)
    form = AssignForm(request.POST, meeting=meeting)
    if form.is_valid():
        try:
            plan = services.breakout_assign(
                session=session, actor=request.user, **form.cleaned_data
            )
        except services.BreakoutRefusedError as error:
            return _board_page(
                request, meeting, session, assign=form, refusal=error.messages[0], status=400
            )
        messages.success(
            request,
            f"グループを{len(plan.sizes)}つに分けました(同じ団体の人が同じグループにいる組: "
            f"{plan.same_organisation_pairs}組)。",
        )
        return redirect(session)
    return _board_page(request, meeting, session, assign=form, status=400)


def _attendee(meeting: Meeting, pk: Any) -> Attendee:
    attendee = queries.breakout_attendee(meeting, pk)
    if attendee is None:
        raise services.BreakoutRefusedError("この会議の参加者を選んでください。")
    return attendee


@require_POST
@requires_object(PERM, load=queries.meeting_with_parts)
def breakout_move(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    session = _session(meeting)
    form = MoveForm(request.POST, prefix="move")
    if not form.is_valid():
        messages.error(request, "移動する参加者と移動先のグループを選んでください。")
        return redirect(session)
    try:
        attendee = _attendee(meeting, form.cleaned_data["attendee"])
        group = session.groups.filter(pk=form.cleaned_data["group"]).first()
        if group is None:
            raise services.BreakoutRefusedError("このグループ分けのグループを選んでください。")
        services.breakout_move(session=session, attendee=attendee, group=group, actor=request.user)
    except services.BreakoutRefusedError as error:
        messages.error(request, error.messages[0])
        return redirect(session)
    messages.success(request, f"{attendee.name}さんを「{group.name}」へ移動し、固定しました。")
    return redirect(f"{session.get_absolute_url()}#group-{group.position}")


@require_POST
@requires_object(PERM, load=queries.meeting_with_parts)
def breakout_swap(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    session = _session(meeting)
    form = SwapForm(request.POST, prefix="swap")
    if not form.is_valid():
        messages.error(request, "入れ替える2人を選んでください。")
        return redirect(session)
    try:
        first = _attendee(meeting, form.cleaned_data["attendee"])
        second = _attendee(meeting, form.cleaned_data["other"])
        services.breakout_swap(session=session, attendee=first, other=second, actor=request.user)
    except services.BreakoutRefusedError as error:
        messages.error(request, error.messages[0])
        return redirect(session)
    messages.success(
        request, f"{first.name}さんと{second.name}さんのグループを入れ替え、固定しました。"
    )
    return redirect(session)


@require_POST
@requires_object(PERM, load=queries.meeting_with_parts)
def breakout_lock(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    session = _session(meeting)
    form = LockForm(request.POST)
    if not form.is_valid():
        messages.error(request, "参加者を選んでください。")
        return redirect(session)
    try:
        attendee = _attendee(meeting, form.cleaned_data["attendee"])
        member = services.breakout_lock(
            session=session,
            attendee=attendee,
            locked=form.cleaned_data["locked"],
            actor=request.user,
        )
    except services.BreakoutRefusedError as error:
        messages.error(request, error.messages[0])
        return redirect(session)
    state = "固定しました" if member.locked else "固定を解除しました"
    messages.success(request, f"{attendee.name}さんを{state}。")
    return redirect(f"{session.get_absolute_url()}#group-{member.group.position}")


@require_POST
@requires_object(PERM, load=queries.meeting_with_parts)
def breakout_group(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    session = _session(meeting)
    group = queries.breakout_group(session, queries.requested_part(meeting, "group"))
    members = queries.breakout_group_members(group)
    form = GroupForm(request.POST, members=members, prefix=f"group-{group.pk}")
    if form.is_valid():
        by_pk = {attendee.pk: attendee for attendee in members}
        values = {
            **form.cleaned_data,
            "facilitator": by_pk.get(form.cleaned_data["facilitator"]),
            "note_taker": by_pk.get(form.cleaned_data["note_taker"]),
        }
        try:
            services.breakout_group_update(group=group, actor=request.user, **values)
        except services.BreakoutRefusedError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, f"「{values['name']}」を保存しました。")
            return redirect(f"{session.get_absolute_url()}#group-{group.position}")
    return _board_page(request, meeting, session, group_form=(group.pk, form), status=400)


@require_POST
@requires_object(PERM, load=queries.meeting_with_parts)
def breakout_delete(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    session = _session(meeting)
    services.breakout_delete(session=session, actor=request.user)
    messages.success(request, f"「{session.title}」のグループ分けを削除しました。")
    return redirect("meetings:breakouts", pk=meeting.pk)


@requires_object(PERM, load=queries.meeting_with_parts)
def breakout_zoom_csv(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    """Zoom's breakout room pre-assignment file: UTF-8, the header Zoom expects, one row per
    member with an e-mail address."""
    session = _session(meeting)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="meeting-{meeting.pk}-breakout-{session.pk}-zoom.csv"'
    )
    writer = csv.writer(response, lineterminator="\r\n")
    writer.writerow(queries.ZOOM_HEADER)
    writer.writerows(queries.zoom_rows(queries.breakout_board(session)))
    return response


@requires_object(PERM, load=queries.meeting_with_parts)
def breakout_roster(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    """The groups to print or share, for tools without an import (Teams, or a room)."""
    session = _session(meeting)
    return render(
        request,
        "meetings/breakout_roster.html",
        {
            "meeting": meeting,
            "network": meeting.network,
            "session": session,
            "board": queries.breakout_board(session),
            "page_title": f"{session.title} グループ名簿 | {meeting.display_title}",
        },
    )
