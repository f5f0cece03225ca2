"""Recruitment requests (動員依頼): the request with numbers per age band sent to association
heads, their answers, the totals against the target, bad input and who may see what."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kyodo.calendar.models import Entry, EntryKind, EntryStatus
from kyodo.core.models import AuditEntry
from kyodo.directory import services as directory_services
from kyodo.directory.models import MembershipRole, Organisation, OrganisationKind, User
from kyodo.liaison.models import (
    AgeBand,
    RecruitmentAnswer,
    RecruitmentAsk,
    RecruitmentRequest,
    RecruitmentStatus,
)
from kyodo.liaison.queries import recruitment as queries
from kyodo.liaison.services import recruitment as services
from tests.liaison.conftest import client_for, member_of

pytestmark = pytest.mark.django_db

EVENT = datetime.date(2026, 8, 22)
BANDS = [band.value for band in AgeBand]


@dataclass
class Heads:
    association: Organisation
    head: User
    second: Organisation
    second_head: User


@pytest.fixture
def heads(scheme) -> Heads:
    association = Organisation.objects.get(name="(デモ)みなみ一丁目町内会")
    second = directory_services.organisation_create(
        actor=None,
        kind=OrganisationKind.NEIGHBOURHOOD_ASSOCIATION,
        name="みなみ二丁目町内会",
        kana="みなみにちょうめ",
        parent=scheme.area,
    )
    return Heads(
        association=association,
        head=member_of(association, "chonai@kyodo.example", "町内 一子", MembershipRole.OFFICER),
        second=second,
        second_head=member_of(
            second, "nichome@kyodo.example", "二丁目 二郎", MembershipRole.OFFICER
        ),
    )


def wanted(**numbers: int) -> dict[str, int]:
    return {band: numbers.get(f"b{band}", 0) for band in BANDS}


def create(scheme, associations, **values) -> RecruitmentRequest:
    arguments = {
        "organiser": scheme.managing,
        "title": "みなみ校区 夏祭り",
        "event_date": EVENT,
        "answer_by": EVENT - datetime.timedelta(days=14),
        "message": "夏祭りの運営に参加できる方を年代別にお知らせください。",
        "wanted": wanted(b20s=4, b30s=6, b60s=2),
        "associations": associations,
        "actor": scheme.manager,
    }
    arguments.update(values)
    return services.recruitment_create(**arguments)


def form_data(heads, **changes) -> dict[str, object]:
    data: dict[str, object] = {
        "organiser": "",
        "title": "みなみ校区 夏祭り",
        "event_date": "2026-08-22",
        "answer_by": "2026-08-01",
        "message": "夏祭りの運営に参加できる方を年代別にお知らせください。",
        "associations": [heads.association.pk, heads.second.pk],
        **{f"wanted_{band}": "" for band in BANDS},
    }
    data.update(changes)
    return data


def answer(ask, actor, **numbers: int) -> RecruitmentAsk:
    return services.recruitment_answer(ask=ask, counts=wanted(**numbers), note="", actor=actor)


def test_a_request_is_created_with_targets_per_band_and_mailed_to_each_head(
    scheme, heads, settings, django_capture_on_commit_callbacks, mailoutbox
):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    data = form_data(
        heads,
        organiser=scheme.managing.pk,
        wanted_20s="４",  # full-width digits
        wanted_30s="6人",
        wanted_60s=" 2 ",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(scheme.manager).post(reverse("liaison:recruitment_new"), data)
    request = RecruitmentRequest.objects.get()
    assert response["Location"] == reverse("liaison:recruitment", args=[request.pk])
    assert queries.wanted_of(request) == wanted(b20s=4, b30s=6, b60s=2)
    assert sorted(a.association.name for a in request.asks.all()) == sorted(
        [heads.association.name, heads.second.name]
    )
    assert sorted(m.to[0] for m in mailoutbox) == ["chonai@kyodo.example", "nichome@kyodo.example"]
    mail = next(m for m in mailoutbox if m.to == ["chonai@kyodo.example"])
    ask = request.asks.get(association=heads.association)
    assert reverse("liaison:recruitment_ask", args=[ask.pk]) in mail.body
    assert "夏祭り" in mail.subject
    assert AuditEntry.objects.filter(
        action="liaison.recruitment.create", actor=scheme.manager
    ).exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"wanted_20s": "-1"}, "人数は0以上で入力してください。"),
        ({"wanted_70plus": "－３"}, "人数は0以上で入力してください。"),
        ({"wanted_40s": "数人"}, "人数は数字で入力してください"),
        ({"answer_by": "2026-08-23"}, "回答期限は行事の日までの日にしてください。"),
        ({"associations": []}, "依頼する自治会・町内会を1つ以上選んでください。"),
        ({"wanted_20s": ""}, "希望人数を1人以上入力してください。"),
        ({"event_date": "1999-08-01", "answer_by": "1999-07-01"}, "2000年から2100年"),
        ({"title": ""}, "行事名を入力するか、カレンダーから行事を選んでください。"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_saved(
    scheme, heads, changes, message, django_capture_on_commit_callbacks
):
    data = form_data(heads, organiser=scheme.managing.pk, wanted_20s="3")
    data.update(changes)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client_for(scheme.manager).post(reverse("liaison:recruitment_new"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "何も保存されていません" in page
    assert message in page
    assert not RecruitmentRequest.objects.exists()
    assert callbacks == []


def test_the_service_refuses_what_the_form_would_and_saves_nothing(scheme, heads):
    elsewhere = Organisation.objects.municipalities().exclude(pk=scheme.city.pk).first()
    far_council = directory_services.organisation_create(
        actor=None, kind=OrganisationKind.COMMUNITY_COUNCIL, name="よその協議会", parent=elsewhere
    )
    far = directory_services.organisation_create(
        actor=None,
        kind=OrganisationKind.NEIGHBOURHOOD_ASSOCIATION,
        name="よその町内会",
        parent=far_council,
    )
    cases = [
        ({"wanted": wanted(b20s=-2, b30s=5)}, "wanted_20s", services.NEGATIVE),
        (
            {"answer_by": EVENT + datetime.timedelta(days=1)},
            "answer_by",
            services.ANSWER_AFTER_EVENT,
        ),
        ({"associations": []}, "associations", services.NO_ASSOCIATIONS),
        ({"associations": [far]}, "associations", services.ASSOCIATION_ELSEWHERE),
        ({"wanted": wanted()}, "__all__", services.NOBODY_WANTED),
    ]
    for values, field, message in cases:
        arguments = {"associations": [heads.association], **values}
        with pytest.raises(ValidationError) as refused:
            create(scheme, **arguments)
        assert message in refused.value.message_dict[field], values
    assert not RecruitmentRequest.objects.exists()
    assert not RecruitmentAsk.objects.exists()


def test_a_published_calendar_entry_fills_the_title_and_date(scheme, heads, demo):
    entry = Entry.objects.create(
        organisation=scheme.area,
        kind=EntryKind.EVENT,
        status=EntryStatus.PUBLISHED,
        title="みなみ校区 夏まつり",
        title_kana="みなみこうくなつまつり",
        start_date=timezone.localdate() + datetime.timedelta(days=40),
        end_date=timezone.localdate() + datetime.timedelta(days=40),
        description="夏の夕べ",
        venue_name="みなみ小学校",
        address="鹿児島市",
    )
    client = client_for(demo.officer)
    page = client.get(reverse("liaison:recruitment_new")).content.decode()
    assert "みなみ校区 夏まつり" in page
    data = form_data(
        heads,
        organiser=scheme.area.pk,
        entry=entry.pk,
        title="",
        event_date="",
        answer_by=(timezone.localdate() + datetime.timedelta(days=20)).isoformat(),
        wanted_teens="10",
    )
    response = client.post(reverse("liaison:recruitment_new"), data)
    assert response.status_code == 302, response.context["errors"]
    request = RecruitmentRequest.objects.get()
    assert (request.title, request.event_date, request.entry) == (
        entry.title,
        entry.start_date,
        entry,
    )
    # Another organiser's entry is not the organiser's event.
    with pytest.raises(ValidationError) as refused:
        create(scheme, [heads.association], entry=entry)
    assert refused.value.message_dict["entry"] == [services.ENTRY_ELSEWHERE]


def test_totals_equal_the_sum_of_the_heads_answers(scheme, heads):
    request = create(scheme, [heads.association, heads.second])
    first = request.asks.get(association=heads.association)
    second = request.asks.get(association=heads.second)
    client = client_for(heads.head)
    response = client.post(
        reverse("liaison:recruitment_ask", args=[first.pk]),
        {"count_20s": "３", "count_30s": "2", "note": "当日は公民館に集合します。"},
    )
    assert response.status_code == 302
    answer(second, heads.second_head, b20s=2, b30s=5, b60s=1, b70plus=3)
    totals = queries.totals(request)
    by_band = {row.band.value: (row.wanted, row.offered) for row in totals.bands}
    assert by_band["20s"] == (4, 5)
    assert by_band["30s"] == (6, 7)
    assert by_band["60s"] == (2, 1)
    assert by_band["70plus"] == (0, 3)
    assert totals.offered == sum(RecruitmentAnswer.objects.values_list("count", flat=True)) == 16
    assert (totals.wanted, totals.surplus, totals.answered_count) == (12, 4, 2)
    page = client_for(scheme.manager).get(reverse("liaison:recruitment", args=[request.pk]))
    html = page.content.decode()
    assert "1人不足" in html  # 60s
    assert "3人超過" in html  # 70s and over
    assert "希望 12人に対して回答の合計 <strong>16人</strong>(4人超過)" in html
    assert "当日は公民館に集合します。" in html


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    answers=st.lists(
        st.lists(st.integers(min_value=0, max_value=40), min_size=7, max_size=7),
        min_size=2,
        max_size=2,
    )
)
def test_the_band_totals_are_the_sums_of_any_answers(scheme, heads, answers):
    RecruitmentRequest.objects.all().delete()
    request = create(scheme, [heads.association, heads.second])
    asks = [
        (request.asks.get(association=heads.association), heads.head),
        (request.asks.get(association=heads.second), heads.second_head),
    ]
    for (ask, head), counts in zip(asks, answers, strict=True):
        services.recruitment_answer(
            ask=ask, counts=dict(zip(BANDS, counts, strict=True)), actor=head
        )
    totals = queries.totals(request)
    assert [row.offered for row in totals.bands] == [
        a + b for a, b in zip(answers[0], answers[1], strict=True)
    ]
    assert totals.offered == sum(map(sum, answers))


def test_a_bad_band_leaves_the_whole_answer_unchanged(scheme, heads):
    request = create(scheme, [heads.association])
    ask = request.asks.get()
    answer(ask, heads.head, b20s=3, b30s=2)
    client = client_for(heads.head)
    response = client.post(
        reverse("liaison:recruitment_ask", args=[ask.pk]),
        {"count_20s": "9", "count_30s": "9", "count_40s": "-1"},
    )
    assert response.status_code == 400
    assert "人数は0以上で入力してください。" in response.content.decode()
    with pytest.raises(ValidationError):
        services.recruitment_answer(
            ask=ask, counts={**wanted(b20s=9, b30s=9), "40s": -1}, actor=heads.head
        )
    assert queries.answers_of(ask) == {**wanted(b20s=3, b30s=2)}


def test_a_head_changes_the_answer_until_the_request_is_closed(scheme, heads):
    request = create(scheme, [heads.association])
    ask = request.asks.get()
    answer(ask, heads.head, b20s=3)
    answer(ask, heads.head, b20s=1, b50s=2)
    assert queries.answers_of(ask) == wanted(b20s=1, b50s=2)
    changed = AuditEntry.objects.filter(action="liaison.recruitment.answer").order_by("pk").last()
    assert changed.changes["20s"] == ["3", "1"]
    client_for(scheme.manager).post(reverse("liaison:recruitment_close", args=[request.pk]))
    request.refresh_from_db()
    assert request.status == RecruitmentStatus.CLOSED
    client = client_for(heads.head)
    url = reverse("liaison:recruitment_ask", args=[ask.pk])
    response = client.post(url, {"count_20s": "5"}, follow=True)
    assert "この動員依頼は締め切られたため、回答できません。" in response.content.decode()
    with pytest.raises(ValidationError) as refused:
        answer(ask, heads.head, b20s=5)
    assert refused.value.messages == [services.CLOSED]
    assert queries.answers_of(ask) == wanted(b20s=1, b50s=2)
    page = client.get(url).content.decode()
    assert "回答は変更できません" in page
    assert 'name="count_20s"' not in page


def test_who_may_see_the_requests_and_the_asks(scheme, heads, demo):
    request = create(scheme, [heads.association, heads.second])
    first = request.asks.get(association=heads.association)
    second = request.asks.get(association=heads.second)
    totals = reverse("liaison:recruitment", args=[request.pk])
    close = reverse("liaison:recruitment_close", args=[request.pk])
    ask_url = reverse("liaison:recruitment_ask", args=[first.pk])
    head = client_for(heads.head)
    assert head.get(ask_url).status_code == 200
    # A head sees neither another association's ask nor the organiser's totals.
    assert head.get(reverse("liaison:recruitment_ask", args=[second.pk])).status_code == 403
    assert head.get(totals).status_code == 403
    assert head.post(close).status_code == 403
    # Only the association's heads answer: not even the organiser.
    assert client_for(scheme.manager).get(ask_url).status_code == 403
    for outsider in (demo.resident, scheme.unassigned):
        client = client_for(outsider)
        assert client.get(totals).status_code == 403
        assert client.get(ask_url).status_code == 403
    resident = client_for(demo.resident)
    assert resident.get(reverse("liaison:recruitment_list")).status_code == 403
    assert resident.get(reverse("liaison:recruitment_new")).status_code == 403
    # A head may list the asks but not create a request (an association does not organise).
    assert head.get(reverse("liaison:recruitment_new")).status_code == 403
    listing = head.get(reverse("liaison:recruitment_list")).content.decode()
    assert ask_url in listing
    assert totals not in listing
    for url in (totals, ask_url, reverse("liaison:recruitment_list")):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    request.refresh_from_db()
    assert request.status == RecruitmentStatus.OPEN


@pytest.mark.parametrize("size", [1, 50])
def test_the_pages_run_the_same_queries_for_any_number_of_asks(
    scheme, heads, size, django_assert_num_queries
):
    associations = [heads.association] + [
        directory_services.organisation_create(
            actor=None,
            kind=OrganisationKind.NEIGHBOURHOOD_ASSOCIATION,
            name=f"みなみ{index}丁目町内会",
            parent=scheme.area,
        )
        for index in range(size - 1)
    ]
    request = create(scheme, associations)
    for ask in request.asks.all()[:25]:
        RecruitmentAnswer.objects.bulk_create(
            RecruitmentAnswer(ask=ask, band=band, count=1) for band in BANDS
        )
        ask.answered_at = timezone.now()
        ask.save()
    for index in range(size - 1):
        create(scheme, [heads.association], title=f"行事 {index}")
    manager, head = client_for(scheme.manager), client_for(heads.head)
    urls = {
        manager: [
            (reverse("liaison:recruitment", args=[request.pk]), 8),
            (reverse("liaison:recruitment_list"), 7),
        ],
        head: [
            (reverse("liaison:recruitment_list"), 9),
            (
                reverse(
                    "liaison:recruitment_ask",
                    args=[request.asks.get(association=heads.association).pk],
                ),
                7,
            ),
        ],
    }
    for client, pages in urls.items():
        for url, count in pages:
            client.get(url)
            with django_assert_num_queries(count):
                assert client.get(url).status_code == 200, url
