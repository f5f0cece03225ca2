"""Breakout groups: the secretariat forms groups from the registered attendees, adjusts them
by hand, names facilitators and note-takers, exports Zoom's pre-assignment CSV and a roster,
and publishes each group's notes on the results page."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from kyodo.core.models import AuditEntry
from kyodo.directory.models import Organisation
from kyodo.meetings import queries, services
from kyodo.meetings.models import (
    Attendee,
    BreakoutMember,
    BreakoutSession,
    Meeting,
    Registration,
)

pytestmark = pytest.mark.django_db
PHASES = ["1・2", "3・4"]


def register(meeting: Meeting, organisations: list[Organisation], sizes: list[int]) -> None:
    """Attendees as members' staff register them: numbered names and addresses, answers to
    the grouping question taking turns."""
    number = 0
    for organisation, size in zip(organisations, sizes, strict=True):
        registration = Registration.objects.create(meeting=meeting, organisation=organisation)
        for _ in range(size):
            number += 1
            Attendee.objects.create(
                registration=registration,
                name=f"参加者{number:02d}",
                department="地域づくり担当課",
                email=f"attendee{number:02d}@kyodo.example",
                mode="online",
                grouping_answer=PHASES[number % 2],
            )


@pytest.fixture
def meeting(open_meeting: Meeting, demo) -> Meeting:
    """The open meeting with 51 registered attendees from 40 member organisations (eleven
    sent two people) and the grouping question コミプラのフェーズ."""
    Meeting.objects.filter(pk=open_meeting.pk).update(
        grouping_label="コミプラのフェーズ", grouping_choices=PHASES
    )
    members = list(demo.network.members.order_by("kind", "lgcode", "pk")[:40])
    register(open_meeting, members, [2] * 11 + [1] * 29)
    open_meeting.refresh_from_db()
    assert Attendee.objects.filter(registration__meeting=open_meeting).count() == 51
    return open_meeting


def form_groups(client: Client, meeting: Meeting, *, mode: str = "mix", count: int = 10):
    return client.post(
        f"/meetings/{meeting.pk}/breakouts/",
        {"title": "感想共有", "mode": mode, "group_count": str(count)},
    )


def groups_of(session: BreakoutSession) -> dict[str, list[Attendee]]:
    members = BreakoutMember.objects.filter(session=session).select_related(
        "group", "attendee__registration"
    )
    found: dict[str, list[Attendee]] = {g.name: [] for g in session.groups.order_by("position")}
    for member in members.order_by("group__position", "attendee_id"):
        found[member.group.name].append(member.attendee)
    return found


def test_mix_of_51_attendees_from_40_organisations_is_balanced_and_keeps_colleagues_apart(
    client: Client, demo, meeting
) -> None:
    client.force_login(demo.secretary)
    response = form_groups(client, meeting, count=10)
    session = BreakoutSession.objects.get(meeting=meeting)
    assert response.status_code == 302
    assert response["Location"] == f"/meetings/{meeting.pk}/breakouts/{session.pk}/"
    groups = groups_of(session)
    assert list(groups) == [f"グループ{n}" for n in range(1, 11)]
    sizes = [len(members) for members in groups.values()]
    assert sorted(sizes) == [5] * 9 + [6]
    for members in groups.values():
        organisations = [a.registration.organisation_id for a in members]
        assert len(organisations) == len(set(organisations))
    html = client.get(response["Location"]).content.decode()
    assert '<dd id="same-organisation-pairs">0組</dd>' in html
    assert "10グループ、51名(1グループ5〜6名)" in html
    assert AuditEntry.objects.filter(action="breakout.assign", object_id=str(session.pk)).exists()


def test_by_attribute_puts_every_attendee_in_a_group_of_their_answer(
    client: Client, demo, meeting
) -> None:
    client.force_login(demo.secretary)
    form_groups(client, meeting, mode="attribute", count=6)
    session = BreakoutSession.objects.get(meeting=meeting)
    groups = list(session.groups.order_by("position"))
    # 26 answered 1・2 and 25 answered 3・4: three groups each.
    assert [(g.name, g.value) for g in groups] == [
        ("1・2 A", "1・2"),
        ("1・2 B", "1・2"),
        ("1・2 C", "1・2"),
        ("3・4 A", "3・4"),
        ("3・4 B", "3・4"),
        ("3・4 C", "3・4"),
    ]
    members = BreakoutMember.objects.filter(session=session).select_related("group", "attendee")
    assert members.count() == 51
    assert all(m.attendee.grouping_answer == m.group.value for m in members)
    html = client.get(session.get_absolute_url()).content.decode()
    assert "<dt>回答と違うグループの人</dt><dd>0名</dd>" in html


def test_those_who_gave_no_answer_get_their_own_group_and_hand_names_stay(demo, meeting) -> None:
    Attendee.objects.filter(
        pk__in=Attendee.objects.filter(registration__meeting=meeting).order_by("pk")[:5]
    ).update(grouping_answer="")
    session = services.breakout_create(
        meeting=meeting, actor=None, title="分科会", mode="attribute", group_count=3
    )
    assert list(session.groups.values_list("name", "value")) == [
        ("1・2", "1・2"),
        ("3・4", "3・4"),
        ("未回答", ""),
    ]
    first = session.groups.get(position=1)
    services.breakout_group_update(group=first, actor=None, name="フェーズ1・2の市町村")
    services.breakout_assign(session=session, actor=None, mode="attribute", group_count=4)
    assert list(session.groups.values_list("name", flat=True)) == [
        "フェーズ1・2の市町村",
        "1・2 B",
        "3・4",
        "未回答",
    ]
    services.breakout_assign(session=session, actor=None, mode="mix", group_count=4)
    assert list(session.groups.values_list("name", flat=True)) == [
        "グループ1",
        "グループ2",
        "グループ3",
        "グループ4",
    ]


def test_forming_again_keeps_locked_and_moved_members_where_they_were_put(
    client: Client, demo, meeting
) -> None:
    client.force_login(demo.secretary)
    form_groups(client, meeting, count=10)
    session = BreakoutSession.objects.get(meeting=meeting)
    url = session.get_absolute_url()
    first, second, third = Attendee.objects.filter(registration__meeting=meeting)[:3]
    member = BreakoutMember.objects.get(session=session, attendee=first)
    response = client.post(f"{url}lock/", {"attendee": first.pk, "locked": "1"})
    assert response.status_code == 302
    target = session.groups.get(position=3)
    response = client.post(f"{url}move/", {"move-attendee": second.pk, "move-group": target.pk})
    assert response["Location"] == f"{url}#group-3"
    moved = BreakoutMember.objects.get(session=session, attendee=second)
    assert (moved.group, moved.locked) == (target, True)

    response = client.post(f"{url}assign/", {"mode": "mix", "group_count": "8"})
    assert response.status_code == 302
    assert BreakoutMember.objects.get(session=session, attendee=first).group == member.group
    assert BreakoutMember.objects.get(session=session, attendee=second).group == target
    assert not BreakoutMember.objects.get(session=session, attendee=third).locked
    assert session.groups.count() == 8
    sizes = Counter(BreakoutMember.objects.filter(session=session).values_list("group", flat=True))
    assert max(sizes.values()) - min(sizes.values()) <= 1
    # Unlocked, the attendee may go elsewhere next time.
    client.post(f"{url}lock/", {"attendee": first.pk, "locked": "0"})
    assert not BreakoutMember.objects.get(session=session, attendee=first).locked
    assert AuditEntry.objects.filter(action="breakout.unlock").count() == 1


def test_swap_exchanges_two_attendees_and_locks_both(client: Client, demo, meeting) -> None:
    client.force_login(demo.secretary)
    form_groups(client, meeting, count=5)
    session = BreakoutSession.objects.get(meeting=meeting)
    one = BreakoutMember.objects.filter(session=session, group__position=1).first()
    two = BreakoutMember.objects.filter(session=session, group__position=2).first()
    assert one is not None
    assert two is not None
    response = client.post(
        f"{session.get_absolute_url()}swap/",
        {"swap-attendee": one.attendee_id, "swap-other": two.attendee_id},
        follow=True,
    )
    assert "のグループを入れ替え、固定しました。" in response.content.decode()
    one.refresh_from_db()
    two.refresh_from_db()
    assert (one.group.position, one.locked, two.group.position, two.locked) == (2, True, 1, True)
    # Two of the same group cannot be swapped.
    other = BreakoutMember.objects.filter(session=session, group__position=2).exclude(pk=one.pk)[0]
    response = client.post(
        f"{session.get_absolute_url()}swap/",
        {"swap-attendee": one.attendee_id, "swap-other": other.attendee_id},
        follow=True,
    )
    assert "同じグループの2人は入れ替えられません。" in response.content.decode()


def test_facilitator_and_note_taker_are_members_and_lose_the_role_when_moved(
    client: Client, demo, meeting
) -> None:
    client.force_login(demo.secretary)
    form_groups(client, meeting, count=5)
    session = BreakoutSession.objects.get(meeting=meeting)
    group, other = session.groups.order_by("position")[:2]
    mine = [m.attendee_id for m in group.members.order_by("attendee_id")]
    theirs = other.members.first()
    assert theirs is not None
    url = f"{session.get_absolute_url()}groups/{group.pk}/"
    prefix = f"group-{group.pk}"
    data = {
        f"{prefix}-name": "グループ1",
        f"{prefix}-facilitator": str(theirs.attendee_id),
        f"{prefix}-note_taker": "",
        f"{prefix}-notes": "",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    group.refresh_from_db()
    assert group.facilitator is None

    # One person cannot hold both roles.
    data |= {f"{prefix}-facilitator": str(mine[0]), f"{prefix}-note_taker": str(mine[0])}
    response = client.post(url, data)
    assert response.status_code == 400
    assert "記録係: ファシリテーターと記録係は別の人にしてください。" in response.content.decode()
    data |= {f"{prefix}-note_taker": str(mine[1])}
    assert client.post(url, data).status_code == 302
    group.refresh_from_db()
    assert (group.facilitator_id, group.note_taker_id) == (mine[0], mine[1])
    roster = client.get(f"{session.get_absolute_url()}roster/").content.decode()
    facilitator = Attendee.objects.get(pk=mine[0])
    assert (
        f'<td class="roster__role"><strong>ファシリテーター</strong></td>'
        f'<th scope="row">{facilitator.name}</th>'
    ) in roster

    # Moved to another group, the facilitator leaves the role behind.
    services.breakout_move(session=session, attendee=facilitator, group=other, actor=demo.secretary)
    group.refresh_from_db()
    assert (group.facilitator_id, group.note_taker_id) == (None, mine[1])


def test_refusals_say_why_and_change_nothing(client: Client, demo, meeting, seed_meeting) -> None:
    client.force_login(demo.secretary)
    response = form_groups(client, meeting, count=52)
    assert response.status_code == 400
    assert "グループ数は参加者の数(51名)以下にしてください。" in response.content.decode()
    response = form_groups(client, meeting, count=0)
    assert response.status_code == 400
    assert not BreakoutSession.objects.filter(meeting=meeting).exists()

    form_groups(client, meeting, count=5)
    session = BreakoutSession.objects.get(meeting=meeting)
    before = list(session.members.values_list("attendee_id", "group_id"))
    response = client.post(
        f"{session.get_absolute_url()}assign/", {"mode": "mix", "group_count": "0"}
    )
    assert response.status_code == 400
    with pytest.raises(ValidationError) as refused:
        services.breakout_assign(session=session, actor=None, mode="mix", group_count=0)
    assert refused.value.messages == ["グループ数は1以上にしてください。"]

    # An attendee of another meeting cannot be put into these groups.
    stranger = Attendee.objects.filter(registration__meeting=seed_meeting).first()
    response = client.post(
        f"{session.get_absolute_url()}move/",
        {"move-attendee": stranger.pk, "move-group": session.groups.first().pk},
        follow=True,
    )
    assert "この会議の参加者を選んでください。" in response.content.decode()
    with pytest.raises(ValidationError) as refused:
        services.breakout_move(
            session=session, attendee=stranger, group=session.groups.first(), actor=None
        )
    assert refused.value.messages == [f"{stranger.name}さんはこの会議の参加者ではありません。"]
    assert list(session.members.values_list("attendee_id", "group_id")) == before

    # Without a grouping question there is nothing to group by.
    Meeting.objects.filter(pk=meeting.pk).update(grouping_label="", grouping_choices=[])
    meeting.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        services.breakout_assign(session=session, actor=None, mode="attribute", group_count=2)
    assert "この会議にはグループ分けの質問がありません。" in refused.value.messages[0]


def test_registration_refuses_an_answer_not_offered(demo, meeting) -> None:
    with pytest.raises(ValidationError) as refused:
        services.registration_submit(
            meeting=meeting,
            organisation=demo.kagoshima_city,
            attendees=[{"name": "鹿児 太郎", "mode": "online", "grouping_answer": "5"}],
            actor=demo.staff,
        )
    assert refused.value.messages == [
        "「コミプラのフェーズ」の回答「5」は選択肢にありません。選択肢: 1・2、3・4"
    ]


def test_zoom_csv_reads_back_with_the_exact_header_and_inert_cells(
    client: Client, demo, meeting
) -> None:
    Attendee.objects.filter(name="参加者07").update(email="")
    client.force_login(demo.secretary)
    form_groups(client, meeting, count=4)
    session = BreakoutSession.objects.get(meeting=meeting)
    session.groups.filter(position=1).update(name='=HYPERLINK("http://x")')
    response = client.get(f"{session.get_absolute_url()}zoom.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "zoom.csv" in response["Content-Disposition"]
    body = response.content.decode("utf-8")
    assert body.startswith("Pre-assign Room Name,Email Address\r\n")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == ["Pre-assign Room Name", "Email Address"]
    expected = [
        [("'" + name) if name.startswith("=") else name, attendee.email]
        for name, members in groups_of(session).items()
        for attendee in members
        if attendee.email
    ]
    assert rows[1:] == expected
    assert len(expected) == 50
    assert rows[1][0] == '\'=HYPERLINK("http://x")'
    page = client.get(session.get_absolute_url()).content.decode()
    assert "メールアドレスのない1名はCSVに入りません。" in page
    assert "参加者07(" in page


def test_only_the_secretariat_of_the_meetings_network_manages_breakouts(
    client: Client, demo, meeting, other_secretary
) -> None:
    session = services.breakout_create(
        meeting=meeting, actor=demo.secretary, title="感想共有", mode="mix", group_count=3
    )
    group = session.groups.first()
    urls = [
        f"/meetings/{meeting.pk}/breakouts/",
        session.get_absolute_url(),
        f"{session.get_absolute_url()}zoom.csv",
        f"{session.get_absolute_url()}roster/",
    ]
    posts = [
        f"{session.get_absolute_url()}{action}/" for action in ("assign", "move", "swap", "lock")
    ] + [f"{session.get_absolute_url()}groups/{group.pk}/", f"{session.get_absolute_url()}delete/"]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    for user in (demo.officer, demo.staff, demo.resident, other_secretary):
        client.force_login(user)
        assert [client.get(url).status_code for url in urls] == [403] * len(urls)
        assert [client.post(url).status_code for url in posts] == [403] * len(posts)
    assert BreakoutSession.objects.filter(pk=session.pk).exists()
    client.force_login(demo.admin)
    assert client.get(session.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("size", [1, 50])
def test_breakout_page_reads_a_fixed_number_of_queries(
    client: Client, demo, open_meeting, django_assert_num_queries, size: int
) -> None:
    members = list(demo.network.members.order_by("kind", "lgcode", "pk")[:size])
    register(open_meeting, members, [1] * size)
    session = services.breakout_create(
        meeting=open_meeting,
        actor=demo.secretary,
        title="感想共有",
        mode="mix",
        group_count=max(size // 5, 1),
    )
    group = session.groups.first()
    first = group.members.first()
    services.breakout_group_update(
        group=group, actor=None, facilitator=first.attendee, notes="記録", notes_published=True
    )
    client.force_login(demo.secretary)
    client.get(session.get_absolute_url())  # warm the session and permission caches
    with django_assert_num_queries(9):
        html = client.get(session.get_absolute_url()).content.decode()
    assert html.count('<th scope="row">参加者') == size
    with django_assert_num_queries(9):
        roster = client.get(f"{session.get_absolute_url()}roster/").content.decode()
    assert roster.count('<th scope="row">参加者') == size


def test_published_notes_appear_on_the_results_page_and_the_others_do_not(
    client: Client, demo, meeting
) -> None:
    session = services.breakout_create(
        meeting=meeting, actor=demo.secretary, title="感想共有", mode="mix", group_count=3
    )
    first, second, third = session.groups.order_by("position")
    services.breakout_group_update(
        group=first, actor=None, notes="担い手づくりの工夫を共有した。", notes_published=True
    )
    services.breakout_group_update(group=second, actor=None, notes="非公開の記録")
    services.breakout_group_update(
        group=third,
        actor=None,
        name="離島の市町村",
        notes="移動の負担が話題に。\n次回も続けたい。",
        notes_published=True,
    )
    with pytest.raises(ValidationError) as refused:
        services.breakout_group_update(group=second, actor=None, notes="", notes_published=True)
    assert refused.value.messages == ["記録を入力してから掲載してください。"]

    services.meeting_publish(meeting=meeting, actor=demo.secretary)
    html = client.get(meeting.get_absolute_url()).content.decode()
    notes = html[html.index("<h2>グループ別の感想共有</h2>") :]
    found = re.findall(r"<dt>([^<]+)</dt><dd>(.*?)</dd>", notes[: notes.index("</dl>")])
    assert found == [
        ("グループ1", "担い手づくりの工夫を共有した。"),
        ("離島の市町村", "移動の負担が話題に。<br>次回も続けたい。"),
    ]
    assert "非公開の記録" not in html
    # The members' names never reach the public page.
    assert "参加者01" not in html


def test_editor_and_api_carry_the_grouping_question(client: Client, demo, meeting) -> None:
    record = queries.meeting_record(meeting)
    assert (record["grouping_label"], record["grouping_choices"]) == ("コミプラのフェーズ", PHASES)
    record["grouping_choices"] = ["1・2"]
    with pytest.raises(ValidationError) as refused:
        services.meeting_save_record(
            network=meeting.network, record=record, actor=None, meeting=meeting
        )
    assert refused.value.message_dict == {"grouping_choices": ["選択肢を2つ以上入力してください。"]}
    client.force_login(demo.secretary)
    html = client.get(f"/meetings/{meeting.pk}/edit/").content.decode()
    assert re.search(
        r'<textarea name="meeting-grouping_choices"[^>]*>\n?1・2\n3・4</textarea>', html
    )


def test_registration_form_asks_the_grouping_question(client: Client, demo, meeting) -> None:
    Registration.objects.filter(meeting=meeting, organisation=demo.kagoshima_city).delete()
    client.force_login(demo.staff)
    url = f"/meetings/{meeting.pk}/register/"
    html = client.get(url).content.decode()
    assert '<label for="id_attendee-0-grouping_answer">コミプラのフェーズ' in html
    data = {
        "organisation": str(demo.kagoshima_city.pk),
        "attendee-TOTAL_FORMS": "3",
        "attendee-INITIAL_FORMS": "0",
        "attendee-MIN_NUM_FORMS": "0",
        "attendee-MAX_NUM_FORMS": "30",
        "attendee-0-name": "鹿児 太郎",
        "attendee-0-mode": "online",
        "attendee-0-grouping_answer": "3・4",
    }
    assert client.post(url, data).status_code == 302
    attendee = Attendee.objects.get(
        registration__organisation=demo.kagoshima_city, registration__meeting=meeting
    )
    assert attendee.grouping_answer == "3・4"
    response = client.post(url, {**data, "attendee-0-grouping_answer": "5"})
    assert response.status_code == 400
    attendee.refresh_from_db()
    assert attendee.grouping_answer == "3・4"


def test_demo_seed_meeting_has_51_attendees_from_40_organisations_in_eight_groups(
    client: Client, seed_meeting
) -> None:
    session = BreakoutSession.objects.get(meeting=seed_meeting)
    board = queries.breakout_board(session)
    assert (board.member_count, board.smallest, board.largest) == (51, 6, 7)
    assert len({a.registration.organisation_id for a in board.attendees}) == 40
    assert board.same_organisation_pairs == 0
    assert sorted(a.name for a in board.without_email) == ["(デモ)参加者07", "(デモ)参加者30"]
    # The notes are not published: the results page is as it was published.
    html = client.get(seed_meeting.get_absolute_url()).content.decode()
    assert "グループ別の" not in html
    assert "(デモ)" not in html
