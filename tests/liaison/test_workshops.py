"""Workshops: a series with main sessions and preparation / reflection meetings shown with
their ratio, who may see and change it, and requests to another department to facilitate."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kyodo.core.models import AuditEntry
from kyodo.directory import services as directory_services
from kyodo.directory.models import Organisation, OrganisationKind
from kyodo.liaison.models import (
    FacilitationRequest,
    RequestStatus,
    SessionKind,
    WorkshopSeries,
    WorkshopSession,
)
from kyodo.liaison.queries.workshops import Ratio
from kyodo.liaison.services import workshops as services
from tests.liaison.conftest import client_for, member_of, person_of

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 6, 1)


def make_series(scheme, **values) -> WorkshopSeries:
    return services.series_create(
        organiser=values.pop("organiser", scheme.managing),
        title=values.pop("title", "みなみ校区 防災ワークショップ"),
        area=values.pop("area", scheme.area),
        actor=scheme.manager,
        **values,
    )


def add_sessions(series, actor, kind, count, start=DAY) -> list[WorkshopSession]:
    return [
        services.session_save(
            series=series,
            values={
                "kind": kind,
                "date": start + datetime.timedelta(days=index),
                "title": f"{SessionKind(kind).label} {index + 1}",
            },
            actor=actor,
        )
        for index in range(count)
    ]


def workshop_url(series) -> str:
    return reverse("liaison:workshop", args=[series.pk])


@pytest.mark.parametrize(
    ("main", "preparation", "reflection", "expected"),
    [(3, 12, 6, "6.0"), (3, 10, 5, "5.0"), (3, 7, 3, "3.3"), (1, 0, 0, "0.0")],
)
def test_the_ratio_is_preparation_and_reflection_per_main_session(
    scheme, main, preparation, reflection, expected
):
    series = make_series(scheme)
    add_sessions(series, scheme.manager, SessionKind.MAIN, main)
    add_sessions(series, scheme.manager, SessionKind.PREPARATION, preparation)
    add_sessions(series, scheme.manager, SessionKind.REFLECTION, reflection)
    ratio = Ratio.of_sessions(series.sessions.all())
    assert (ratio.main, ratio.preparation, ratio.reflection) == (main, preparation, reflection)
    assert ratio.per_main_text == expected
    page = client_for(scheme.manager).get(workshop_url(series)).content.decode()
    assert f"本番1回あたり 準備・振り返り <strong>{expected}回</strong>" in page
    assert f"本番{main}回に対して{preparation + reflection}回" in page


def test_a_series_without_main_sessions_says_the_ratio_cannot_be_computed_yet(scheme):
    series = make_series(scheme)
    add_sessions(series, scheme.manager, SessionKind.PREPARATION, 4)
    assert Ratio.of_sessions(series.sessions.all()).per_main is None
    page = client_for(scheme.manager).get(workshop_url(series)).content.decode()
    assert "本番の回がまだないため、本番1回あたりの回数は計算できません" in page
    listing = client_for(scheme.manager).get(reverse("liaison:workshop_list")).content.decode()
    assert "—(本番なし)" in listing


def test_sessions_are_shown_in_date_order_with_their_kind(scheme):
    series = make_series(scheme)
    add_sessions(series, scheme.manager, SessionKind.REFLECTION, 1, start=DAY.replace(month=8))
    add_sessions(series, scheme.manager, SessionKind.MAIN, 1, start=DAY.replace(month=7))
    add_sessions(series, scheme.manager, SessionKind.PREPARATION, 1, start=DAY)
    page = client_for(scheme.manager).get(workshop_url(series)).content.decode()
    positions = [page.index(text) for text in ("事前の打ち合わせ 1", "本番 1", "振り返り 1")]
    assert positions == sorted(positions)
    assert "令和8年6月1日" in page


def test_a_manager_creates_a_series_and_adds_a_session_through_the_pages(scheme):
    client = client_for(scheme.manager)
    new = client.get(reverse("liaison:workshop_new")).content.decode()
    assert "地域振興課" in new
    assert scheme.area.name in new
    response = client.post(
        reverse("liaison:workshop_new"),
        {"organiser": scheme.managing.pk, "title": "子ども食堂づくり", "area": scheme.area.pk},
    )
    series = WorkshopSeries.objects.get(title="子ども食堂づくり")
    assert response["Location"] == workshop_url(series)
    assert (series.organiser, series.area) == (scheme.managing, scheme.area)
    response = client.post(
        reverse("liaison:workshop_session_new", args=[series.pk]),
        {
            "kind": SessionKind.MAIN,
            "date": "2026-07-12",
            "start_time": "13:30",
            "end_time": "16:00",
            "title": "第1回 ワークショップ",
            "venue": "みなみ地区公民館",
            "participants": "２４",
        },
    )
    assert response.status_code == 302
    session = series.sessions.get()
    assert (session.participants, session.start_time) == (24, datetime.time(13, 30))
    assert AuditEntry.objects.filter(
        action="liaison.workshop.add_session", actor=scheme.manager
    ).exists()


def test_the_series_area_must_be_a_council_of_the_same_municipality(scheme):
    elsewhere = Organisation.objects.municipalities().exclude(pk=scheme.city.pk).first()
    council = directory_services.organisation_create(
        actor=None, kind=OrganisationKind.COMMUNITY_COUNCIL, name="よその協議会", parent=elsewhere
    )
    with pytest.raises(ValidationError) as refused:
        make_series(scheme, area=council)
    assert refused.value.message_dict["area"] == [services.AREA_ELSEWHERE]
    assert not WorkshopSeries.objects.exists()


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"date": "1999-12-31"}, "date", "日付は2000年から2100年の間で入力してください。"),
        ({"date": "2101-01-01"}, "date", "日付は2000年から2100年の間で入力してください。"),
        (
            {"start_time": "15:00", "end_time": "14:00"},
            "end_time",
            "終了時間は開始時間より後にしてください。",
        ),
        (
            {"start_time": "15:00", "end_time": "15:00"},
            "end_time",
            "終了時間は開始時間より後にしてください。",
        ),
        ({"participants": "-3"}, "participants", "人数は0以上で入力してください。"),
        ({"participants": "たくさん"}, "participants", "人数は数字で入力してください"),
    ],
)
def test_a_bad_session_is_refused_with_a_message_and_nothing_is_saved(
    scheme, values, field, message
):
    series = make_series(scheme)
    data = {"kind": SessionKind.PREPARATION, "date": "2026-06-01", "title": "打ち合わせ"}
    data.update(values)
    response = client_for(scheme.manager).post(
        reverse("liaison:workshop_session_new", args=[series.pk]), data
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "何も保存されていません" in page
    assert message in page
    assert response.context["form"].errors[field]
    assert not WorkshopSession.objects.exists()


def test_the_service_refuses_an_end_before_the_start_too(scheme):
    series = make_series(scheme)
    with pytest.raises(ValidationError) as refused:
        services.session_save(
            series=series,
            values={
                "kind": SessionKind.MAIN,
                "date": DAY,
                "title": "本番",
                "start_time": datetime.time(15),
                "end_time": datetime.time(10),
            },
            actor=scheme.manager,
        )
    assert "終了時間は開始時間より後にしてください。" in refused.value.messages
    assert not WorkshopSession.objects.exists()


def test_sessions_are_changed_and_deleted_with_an_audit_entry(scheme):
    series = make_series(scheme)
    (session,) = add_sessions(series, scheme.manager, SessionKind.MAIN, 1)
    client = client_for(scheme.manager)
    response = client.post(
        reverse("liaison:workshop_session_edit", args=[session.pk]),
        {"kind": SessionKind.REFLECTION, "date": "2026-06-02", "title": "振り返り会"},
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.kind, session.title) == (SessionKind.REFLECTION, "振り返り会")
    changed = AuditEntry.objects.get(action="liaison.workshop.change_session")
    assert changed.changes["kind"] == ["main", "reflection"]
    client.post(reverse("liaison:workshop_session_delete", args=[session.pk]))
    assert not WorkshopSession.objects.exists()
    assert AuditEntry.objects.filter(action="liaison.workshop.delete_session").count() == 1


def test_who_may_see_and_change_a_series(scheme, demo):
    series = make_series(scheme)
    (session,) = add_sessions(series, scheme.manager, SessionKind.MAIN, 1)
    elsewhere = Organisation.objects.municipalities().exclude(pk=scheme.city.pk).first()
    far_department = directory_services.organisation_create(
        actor=None, kind=OrganisationKind.DEPARTMENT, name="地域振興課", parent=elsewhere
    )
    far_staff = member_of(far_department, "yoso@kyodo.example", "よその 職員")
    view = workshop_url(series)
    change = [
        reverse("liaison:workshop_session_new", args=[series.pk]),
        reverse("liaison:workshop_session_edit", args=[session.pk]),
        reverse("liaison:facilitation_new", args=[series.pk]),
    ]
    # Another municipality's department, another department not asked, a resident.
    for outsider in (far_staff, scheme.unassigned, demo.resident):
        client = client_for(outsider)
        assert client.get(view).status_code == 403, outsider
        for url in change:
            assert client.get(url).status_code == 403, (outsider, url)
    assert client_for(demo.resident).get(reverse("liaison:workshop_list")).status_code == 403
    # The area's officers read it, but do not change it.
    officer = client_for(demo.officer)
    assert officer.get(view).status_code == 200
    assert officer.get(change[0]).status_code == 403
    # A department asked to facilitate reads it from the request on.
    services.facilitation_request(
        series=series,
        department=scheme.other_department,
        sessions=[session],
        message="進行をお願いします。",
        actor=scheme.manager,
    )
    asked = client_for(scheme.unassigned)
    assert asked.get(view).status_code == 200
    assert asked.get(change[0]).status_code == 403
    listing = asked.get(reverse("liaison:workshop_list")).content.decode()
    assert series.title in listing
    # Visitors are sent to sign in; nothing was deleted by anybody.
    for url in [view, *change, reverse("liaison:workshop_list")]:
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert (
        client_for(far_staff)
        .post(reverse("liaison:workshop_session_delete", args=[session.pk]))
        .status_code
        == 403
    )
    assert WorkshopSession.objects.filter(pk=session.pk).exists()


def test_facilitation_cannot_be_asked_of_the_organisers_own_department(scheme):
    series = make_series(scheme)
    sessions = add_sessions(series, scheme.manager, SessionKind.MAIN, 2)
    with pytest.raises(ValidationError) as refused:
        services.facilitation_request(
            series=series,
            department=scheme.managing,
            sessions=sessions,
            message="お願いします",
            actor=scheme.manager,
        )
    assert refused.value.message_dict["department"] == [services.OWN_DEPARTMENT]
    response = client_for(scheme.manager).post(
        reverse("liaison:facilitation_new", args=[series.pk]),
        {
            "department": scheme.managing.pk,
            "sessions": [s.pk for s in sessions],
            "message": "お願いします",
        },
    )
    assert response.status_code == 400
    assert "依頼先は同じ市町村のほかの課から選んでください。" in response.content.decode()
    assert not FacilitationRequest.objects.exists()


def test_facilitation_needs_a_session_of_this_series_and_a_department_of_this_city(scheme):
    series = make_series(scheme)
    other = make_series(scheme, title="別のワークショップ")
    (foreign,) = add_sessions(other, scheme.manager, SessionKind.MAIN, 1)
    elsewhere = Organisation.objects.municipalities().exclude(pk=scheme.city.pk).first()
    far = directory_services.organisation_create(
        actor=None, kind=OrganisationKind.DEPARTMENT, name="福祉課", parent=elsewhere
    )
    for department, sessions, field, message in (
        (scheme.other_department, [], "sessions", services.NO_SESSIONS),
        (scheme.other_department, [foreign], "sessions", services.SESSION_ELSEWHERE),
        (far, [foreign], "department", services.DEPARTMENT_ELSEWHERE),
    ):
        with pytest.raises(ValidationError) as refused:
            services.facilitation_request(
                series=series,
                department=department,
                sessions=sessions,
                message="お願いします",
                actor=scheme.manager,
            )
        assert message in refused.value.message_dict[field]
    assert not FacilitationRequest.objects.exists()


def ask_other_department(scheme, sessions=None) -> FacilitationRequest:
    series = make_series(scheme)
    sessions = sessions or add_sessions(series, scheme.manager, SessionKind.MAIN, 3)
    response = client_for(scheme.manager).post(
        reverse("liaison:facilitation_new", args=[series.pk]),
        {
            "department": scheme.other_department.pk,
            "sessions": [s.pk for s in sessions[:2]],
            "message": "地域の話し合いの進行をお願いできませんか。",
        },
    )
    assert response.status_code == 302
    return FacilitationRequest.objects.get(series=series)


def test_the_department_accepts_and_the_organiser_is_mailed_after_commit(
    scheme, settings, django_capture_on_commit_callbacks, mailoutbox
):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    request = ask_other_department(scheme)
    assert request.sessions.count() == 2
    client = client_for(scheme.unassigned)
    listing = client.get(reverse("liaison:facilitation_list")).content.decode()
    assert request.series.title in listing
    assert "回答待ち" in listing
    answer = reverse("liaison:facilitation", args=[request.pk])
    facilitator = person_of(scheme.other_liaison)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(answer, {"decision": "accept", "facilitator": facilitator.pk})
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.facilitator, request.answered_by) == (
        RequestStatus.APPROVED,
        facilitator,
        scheme.unassigned,
    )
    assert [m.to for m in mailoutbox] == [[scheme.manager.email]]
    # Once answered, the department may be asked again; before, it may not.
    again = services.facilitation_request(
        series=request.series,
        department=scheme.other_department,
        sessions=list(request.sessions.all()),
        message="次の回もお願いします。",
        actor=scheme.manager,
    )
    assert again.status == RequestStatus.PENDING
    with pytest.raises(ValidationError) as refused:
        services.facilitation_request(
            series=request.series,
            department=scheme.other_department,
            sessions=list(request.sessions.all()),
            message="重ねてお願いします。",
            actor=scheme.manager,
        )
    assert refused.value.message_dict["department"] == [services.ALREADY_ASKED]
    assert request.series.facilitation_requests.count() == 2
    assert "お引き受けします" in mailoutbox[0].body
    assert facilitator.full_name in mailoutbox[0].body
    assert workshop_url(request.series) in mailoutbox[0].body
    # Answering again is refused, on the page and in the service.
    response = client.post(answer, {"decision": "decline", "reply": "やはり無理です"}, follow=True)
    assert "この依頼にはすでに回答しています。" in response.content.decode()
    with pytest.raises(ValidationError) as refused:
        services.facilitation_answer(
            request=request, accept=False, reply="無理です", actor=scheme.unassigned
        )
    assert refused.value.messages == ["この依頼にはすでに回答しています。"]
    request.refresh_from_db()
    assert request.status == RequestStatus.APPROVED
    assert len(mailoutbox) == 1


def test_a_decline_needs_a_reply_and_a_facilitator_must_be_of_the_department(
    scheme, django_capture_on_commit_callbacks, mailoutbox
):
    request = ask_other_department(scheme)
    client = client_for(scheme.unassigned)
    answer = reverse("liaison:facilitation", args=[request.pk])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(answer, {"decision": "decline", "reply": "  "})
    assert response.status_code == 400
    assert services.NO_REPLY in response.content.decode()
    with pytest.raises(ValidationError) as refused:
        services.facilitation_answer(
            request=request, accept=False, reply="", actor=scheme.unassigned
        )
    assert refused.value.message_dict == {"reply": [services.NO_REPLY]}
    with pytest.raises(ValidationError) as refused:
        services.facilitation_answer(
            request=request,
            accept=True,
            facilitator=person_of(scheme.manager),
            actor=scheme.unassigned,
        )
    assert refused.value.message_dict == {"facilitator": [services.FACILITATOR_ELSEWHERE]}
    request.refresh_from_db()
    assert (request.status, request.answered_at, request.reply) == (RequestStatus.PENDING, None, "")
    assert callbacks == []
    assert mailoutbox == []
    # The organiser may not answer its own request.
    assert client_for(scheme.manager).get(answer).status_code == 403


def test_a_decline_with_a_reply_is_recorded(scheme):
    request = ask_other_department(scheme)
    response = client_for(scheme.unassigned).post(
        reverse("liaison:facilitation", args=[request.pk]),
        {"decision": "decline", "reply": "その週は別の事業と重なっています。"},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.facilitator) == (RequestStatus.DECLINED, None)
    page = client_for(scheme.manager).get(workshop_url(request.series)).content.decode()
    assert "お断り" in page
    assert "その週は別の事業と重なっています。" in page


@pytest.mark.parametrize("size", [1, 50])
def test_the_series_page_runs_the_same_queries_for_any_number_of_sessions(
    scheme, size, django_assert_num_queries
):
    series = make_series(scheme)
    sessions = add_sessions(series, scheme.manager, SessionKind.PREPARATION, size)
    services.facilitation_request(
        series=series,
        department=scheme.other_department,
        sessions=sessions,
        message="お願いします",
        actor=scheme.manager,
    )
    client = client_for(scheme.manager)
    client.get(workshop_url(series))
    with django_assert_num_queries(8):
        assert client.get(workshop_url(series)).status_code == 200


@pytest.mark.parametrize("size", [1, 50])
def test_the_lists_run_the_same_queries_for_any_number_of_series(
    scheme, size, django_assert_num_queries
):
    for index in range(size):
        series = make_series(scheme, title=f"ワークショップ {index}")
        sessions = add_sessions(series, scheme.manager, SessionKind.MAIN, 2)
        services.facilitation_request(
            series=series,
            department=scheme.other_department,
            sessions=sessions,
            message="お願いします",
            actor=scheme.manager,
        )
    manager, department = client_for(scheme.manager), client_for(scheme.unassigned)
    manager.get(reverse("liaison:workshop_list"))
    department.get(reverse("liaison:facilitation_list"))
    with django_assert_num_queries(6):
        page = manager.get(reverse("liaison:workshop_list"))
    assert page.content.decode().count(">0.0回<") == size
    with django_assert_num_queries(6):
        assert department.get(reverse("liaison:facilitation_list")).status_code == 200


def test_the_services_refuse_an_organiser_the_actor_does_not_edit(scheme):
    """Not only the form's choices: any caller of the services is held to the rule."""
    from kyodo.liaison.services import recruitment as recruitment_services
    from kyodo.liaison.services import workshops as workshop_services

    with pytest.raises(ValidationError) as refused:
        workshop_services.series_create(
            organiser=scheme.managing, title="よその課のワークショップ", actor=scheme.unassigned
        )
    assert "主催には、あなたが担当する組織を選んでください。" in refused.value.messages
    with pytest.raises(ValidationError) as refused:
        recruitment_services.recruitment_create(
            organiser=scheme.managing,
            title="夏祭り",
            event_date=timezone.localdate() + datetime.timedelta(days=30),
            answer_by=timezone.localdate() + datetime.timedelta(days=20),
            message="お願いします",
            wanted={"20s": 3},
            associations=[],
            actor=scheme.unassigned,
        )
    assert "依頼元には、あなたが担当する組織を選んでください。" in refused.value.messages
    assert not WorkshopSeries.objects.exists()
