"""Pages of an area's people: the area at a glance (assigned staff, key people, open
matters, handovers), a key person's record and editor, the open matters' editor, and the
handover plan with its checklist.

Every page here is personal data (``personal_data=True``): the rule alone decides, so the
site administrator gets nothing unless the rule says so. Pages are never cached."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from kyodo.core.dates import fiscal_year
from kyodo.core.forms import add_service_errors, form_errors
from kyodo.core.permissions import has_object_perm, requires_object
from kyodo.core.requests import report_refusal
from kyodo.directory.models import Organisation
from kyodo.liaison.forms.area import (
    CompleteForm,
    HandoverForm,
    ItemForm,
    KeyPersonForm,
    MatterForm,
    key_person_initial,
)
from kyodo.liaison.models import Handover, KeyPerson, MatterStatus, OpenMatter
from kyodo.liaison.queries import area as queries
from kyodo.liaison.services import area as services


def _can(request: HttpRequest, perm: str, obj: Any) -> bool:
    return has_object_perm(request.user, perm, obj, personal_data=True)


def _area_url(area: Organisation, anchor: str = "") -> str:
    return reverse("liaison:area", args=[area.pk]) + anchor


def _handover_url(handover: Handover) -> str:
    return reverse("liaison:handover", args=[handover.pk])


# --- The area ---------------------------------------------------------------------------


@requires_object("liaison.view_key_people", load=queries.area_by_pk, personal_data=True)
@never_cache
def area_page(request: HttpRequest, area: Organisation) -> HttpResponse:
    today = timezone.localdate()
    key_people = queries.key_people(area)
    services.key_people_viewed(key_people=key_people, actor=request.user)
    handovers = queries.handovers(area)
    return render(
        request,
        "liaison/area/area.html",
        {
            "area": area,
            "fiscal_year": fiscal_year(today),
            "assignments": queries.assignments(area, today),
            "key_people": key_people,
            "matters": queries.matters(area),
            "handovers": handovers,
            "viewable_handovers": {
                handover.pk
                for handover in handovers
                if _can(request, "liaison.view_handover", handover)
            },
            "can_change": _can(request, "liaison.change_key_people", area),
            "can_plan": _can(request, "liaison.plan_handover", area),
            "page_title": f"{area.name} 地域のキーマンと引継ぎ",
            "noindex": True,
        },
    )


# --- Key people -------------------------------------------------------------------------


@requires_object("liaison.view_key_people", load=queries.key_person_by_pk, personal_data=True)
@never_cache
def key_person_page(request: HttpRequest, key_person: KeyPerson) -> HttpResponse:
    services.key_person_viewed(key_person=key_person, actor=request.user)
    return render(
        request,
        "liaison/area/key_person.html",
        {
            "area": key_person.area,
            "key_person": key_person,
            "can_change": _can(request, "liaison.change_key_people", key_person),
            "page_title": f"地域のキーマン({key_person.role_in_area})",
            "noindex": True,
        },
    )


def _key_person_form(
    request: HttpRequest, area: Organisation, key_person: KeyPerson | None
) -> HttpResponse:
    initial = key_person_initial(key_person) if key_person else None
    form = KeyPersonForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.key_person_save(
                area=area, key_person=key_person, values=form.values(), actor=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            done = "追加しました" if key_person is None else "更新しました"
            messages.success(request, f"地域のキーマン「{saved.name}」さんを{done}。")
            return redirect("liaison:key_person", saved.pk)
    if key_person is not None:
        # The editor shows the record: a view like any other.
        services.key_person_viewed(key_person=key_person, actor=request.user)
    return render(
        request,
        "liaison/area/key_person_form.html",
        {
            "area": area,
            "key_person": key_person,
            "form": form,
            "errors": form_errors(form, ""),
            "page_title": "地域のキーマンの追加" if key_person is None else "地域のキーマンの修正",
            "noindex": True,
        },
        status=400 if request.method == "POST" else 200,
    )


@requires_object("liaison.change_key_people", load=queries.area_by_pk, personal_data=True)
@never_cache
def key_person_new(request: HttpRequest, area: Organisation) -> HttpResponse:
    return _key_person_form(request, area, None)


@requires_object("liaison.change_key_people", load=queries.key_person_by_pk, personal_data=True)
@never_cache
def key_person_edit(request: HttpRequest, key_person: KeyPerson) -> HttpResponse:
    return _key_person_form(request, key_person.area, key_person)


# --- Open matters -----------------------------------------------------------------------


def _matter_form(
    request: HttpRequest, area: Organisation, matter: OpenMatter | None
) -> HttpResponse:
    initial = {"title": matter.title, "detail": matter.detail} if matter else None
    form = MatterForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.matter_save(
                area=area, matter=matter, values=form.values(), actor=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            done = "追加しました" if matter is None else "更新しました"
            messages.success(request, f"懸案事項「{saved.title}」を{done}。")
            return redirect(_area_url(area, "#matters"))
    return render(
        request,
        "liaison/area/matter_form.html",
        {
            "area": area,
            "matter": matter,
            "form": form,
            "errors": form_errors(form, ""),
            "page_title": "懸案事項の追加" if matter is None else "懸案事項の修正",
            "noindex": True,
        },
        status=400 if request.method == "POST" else 200,
    )


@requires_object("liaison.change_key_people", load=queries.area_by_pk, personal_data=True)
@never_cache
def matter_new(request: HttpRequest, area: Organisation) -> HttpResponse:
    return _matter_form(request, area, None)


@requires_object("liaison.change_key_people", load=queries.matter_by_pk, personal_data=True)
@never_cache
def matter_edit(request: HttpRequest, matter: OpenMatter) -> HttpResponse:
    return _matter_form(request, matter.area, matter)


@require_POST
@requires_object("liaison.change_key_people", load=queries.matter_by_pk, personal_data=True)
def matter_close(request: HttpRequest, matter: OpenMatter) -> HttpResponse:
    reopen = request.POST.get("status") == MatterStatus.OPEN
    status = MatterStatus.OPEN if reopen else MatterStatus.CLOSED
    services.matter_set_status(matter=matter, status=status, actor=request.user)
    done = "対応中に戻しました" if reopen else "解決済みにしました"
    messages.success(request, f"懸案事項「{matter.title}」を{done}。")
    return redirect(_area_url(matter.area, "#matters"))


# --- Handover ---------------------------------------------------------------------------


@requires_object("liaison.plan_handover", load=queries.area_by_pk, personal_data=True)
@never_cache
def handover_new(request: HttpRequest, area: Organisation) -> HttpResponse:
    today = timezone.localdate()
    scheme = queries.scheme_of(area)
    outgoing = queries.current_assignees(area, today)
    if not _can(request, "liaison.manage_scheme", area):
        # Staff plan their own handover only.
        outgoing = outgoing.filter(user__pk=request.user.pk or 0)
    form = HandoverForm(
        request.POST or None,
        initial={"starts_on": today},
        outgoing=outgoing,
        incoming=queries.incoming_candidates(area),
        days=scheme.handover_days if scheme else 7,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            handover = services.handover_plan(
                area=area,
                outgoing=data["outgoing"],
                incoming=data["incoming"],
                starts_on=data["starts_on"],
                ends_on=data.get("ends_on"),
                note=data.get("note", ""),
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"{handover.incoming.full_name}さんへの引継ぎ計画を作りました"
                f"(項目{handover.items.count()}件)。",
            )
            return redirect(_handover_url(handover))
    return render(
        request,
        "liaison/area/handover_form.html",
        {
            "area": area,
            "form": form,
            "errors": form_errors(form, ""),
            "page_title": f"{area.name} 引継ぎ計画の作成",
            "noindex": True,
        },
        status=400 if request.method == "POST" else 200,
    )


def _handover_page(
    request: HttpRequest,
    handover: Handover,
    *,
    item_form: ItemForm | None = None,
    complete_form: CompleteForm | None = None,
) -> HttpResponse:
    checklist = queries.items(handover)
    can_change = _can(request, "liaison.change_handover", handover)
    can_complete = _can(request, "liaison.complete_handover", handover)
    if can_change and item_form is None:
        item_form = ItemForm(prefix="item")
    if can_complete and complete_form is None:
        complete_form = CompleteForm(prefix="complete")
    errors = [
        *(form_errors(item_form, "追加する項目") if item_form else []),
        *(form_errors(complete_form, "完了") if complete_form else []),
    ]
    return render(
        request,
        "liaison/area/handover.html",
        {
            "area": handover.area,
            "handover": handover,
            "items": checklist,
            "progress": queries.progress(checklist),
            "can_change": can_change,
            "can_complete": can_complete,
            "can_cancel": _can(request, "liaison.cancel_handover", handover),
            "can_read_area": _can(request, "liaison.view_key_people", handover.area),
            "item_form": item_form if can_change else None,
            "complete_form": complete_form if can_complete else None,
            "errors": errors,
            "page_title": (
                f"{handover.area.name} 引継ぎ計画({handover.outgoing.full_name}さんから"
                f"{handover.incoming.full_name}さんへ)"
            ),
            "noindex": True,
        },
        status=400 if errors else 200,
    )


@requires_object("liaison.view_handover", load=queries.handover_by_pk, personal_data=True)
@never_cache
def handover_page(request: HttpRequest, handover: Handover) -> HttpResponse:
    return _handover_page(request, handover)


@require_POST
@requires_object("liaison.change_handover", load=queries.handover_by_pk, personal_data=True)
def handover_item_done(request: HttpRequest, handover: Handover) -> HttpResponse:
    try:
        item_id = int(request.POST.get("item", ""))
    except ValueError:
        item_id = 0
    done = request.POST.get("done") == "1"
    try:
        item = services.handover_item_mark(
            handover=handover, item_id=item_id, done=done, actor=request.user
        )
    except ValidationError as error:
        report_refusal(request, error)
        return redirect(_handover_url(handover))
    state = "済みにしました" if done else "未了に戻しました"
    messages.success(request, f"{item.position}.「{item.label}」を{state}。")
    return redirect(_handover_url(handover) + f"#item-{item.pk}")


@require_POST
@requires_object("liaison.change_handover", load=queries.handover_by_pk, personal_data=True)
def handover_item_new(request: HttpRequest, handover: Handover) -> HttpResponse:
    form = ItemForm(request.POST, prefix="item")
    if form.is_valid():
        try:
            item = services.handover_item_add(
                handover=handover,
                label=form.cleaned_data["label"],
                note=form.cleaned_data.get("note", ""),
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"項目「{item.label}」を追加しました。")
            return redirect(_handover_url(handover) + f"#item-{item.pk}")
    return _handover_page(request, handover, item_form=form)


@require_POST
@requires_object("liaison.complete_handover", load=queries.handover_by_pk, personal_data=True)
def handover_complete(request: HttpRequest, handover: Handover) -> HttpResponse:
    form = CompleteForm(request.POST, prefix="complete")
    if form.is_valid():
        try:
            services.handover_complete(
                handover=handover,
                force=form.cleaned_data["force"],
                note=form.cleaned_data.get("note", ""),
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"引継ぎを完了しました。{handover.incoming.full_name}さんがこの地域の担当になり、"
                f"{handover.outgoing.full_name}さんの担当は今日で終わりました。",
            )
            return redirect(_handover_url(handover))
    return _handover_page(request, handover, complete_form=form)


@require_POST
@requires_object("liaison.cancel_handover", load=queries.handover_by_pk, personal_data=True)
def handover_cancel(request: HttpRequest, handover: Handover) -> HttpResponse:
    try:
        services.handover_cancel(handover=handover, actor=request.user)
    except ValidationError as error:
        report_refusal(request, error)
    else:
        messages.success(request, "引継ぎ計画を取りやめました。")
    return redirect(_handover_url(handover))


urlpatterns: list[URLPattern] = [
    path("liaison/areas/<int:area_pk>/", area_page, name="area"),
    path("liaison/areas/<int:area_pk>/people/new/", key_person_new, name="key_person_new"),
    path("liaison/people/<int:pk>/", key_person_page, name="key_person"),
    path("liaison/people/<int:pk>/edit/", key_person_edit, name="key_person_edit"),
    path("liaison/areas/<int:area_pk>/matters/new/", matter_new, name="matter_new"),
    path("liaison/areas/<int:area_pk>/matters/<int:pk>/edit/", matter_edit, name="matter_edit"),
    path(
        "liaison/areas/<int:area_pk>/matters/<int:pk>/status/", matter_close, name="matter_status"
    ),
    path("liaison/areas/<int:area_pk>/handovers/new/", handover_new, name="handover_new"),
    path("liaison/handovers/<int:pk>/", handover_page, name="handover"),
    path("liaison/handovers/<int:pk>/items/done/", handover_item_done, name="handover_item_done"),
    path("liaison/handovers/<int:pk>/items/new/", handover_item_new, name="handover_item_new"),
    path("liaison/handovers/<int:pk>/complete/", handover_complete, name="handover_complete"),
    path("liaison/handovers/<int:pk>/cancel/", handover_cancel, name="handover_cancel"),
]
