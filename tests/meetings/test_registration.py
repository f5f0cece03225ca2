import datetime

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from icalendar import Calendar

from kyodo.core.dates import TOKYO
from kyodo.directory.models import Organisation
from kyodo.meetings import services
from kyodo.meetings.models import Attendee, Invitation, Registration

pytestmark = pytest.mark.django_db


def form_data(organisation: Organisation, *attendees: tuple[str, str, str]) -> dict[str, str]:
    data = {
        "organisation": str(organisation.pk),
        "attendee-TOTAL_FORMS": "3",
        "attendee-INITIAL_FORMS": "0",
        "attendee-MIN_NUM_FORMS": "0",
        "attendee-MAX_NUM_FORMS": "30",
    }
    for index, (name, email, mode) in enumerate(attendees):
        data |= {
            f"attendee-{index}-name": name,
            f"attendee-{index}-department": "地域づくり担当課",
            f"attendee-{index}-email": email,
            f"attendee-{index}-mode": mode,
        }
    return data


# The task worker closes its database connection when done, so this test commits for real.
@pytest.mark.django_db(transaction=True)
def test_member_contact_registers_attendees_and_gets_the_ics_by_mail(
    client: Client, demo, open_meeting, django_capture_on_commit_callbacks, mailoutbox
) -> None:
    client.force_login(demo.staff)
    url = f"/meetings/{open_meeting.pk}/register/"
    assert "参加申込" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            form_data(
                demo.kagoshima_city,
                ("鹿児 太郎", "staff@kyodo.example", "online"),
                ("薩摩 二郎", "", "in_person"),
            ),
        )
    assert response.status_code == 302
    registration = Registration.objects.get(meeting=open_meeting)
    assert registration.organisation == demo.kagoshima_city
    assert [(a.name, a.mode, a.user) for a in registration.attendees.all()] == [
        ("鹿児 太郎", "online", demo.staff),
        ("薩摩 二郎", "in_person", None),
    ]
    mail_tasks = DBTaskResult.objects.filter(task_path="kyodo.core.tasks.send_mail")
    assert mail_tasks.filter(status="READY").count() == 1
    # Only the mail: other queued work (the demo's results PDF) is not this test's concern.
    DBTaskResult.objects.exclude(task_path="kyodo.core.tasks.send_mail").delete()
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    [message] = mailoutbox
    assert message.to == ["staff@kyodo.example"]
    assert "薩摩 二郎" in message.body
    [(filename, ics, mimetype)] = message.attachments
    assert (filename, mimetype) == ("meeting.ics", "text/calendar")
    [event] = Calendar.from_ical(ics).walk("VEVENT")
    assert event.decoded("dtstart") == datetime.datetime(2027, 1, 21, 13, 30, tzinfo=TOKYO)
    assert event.decoded("dtend") == datetime.datetime(2027, 1, 21, 16, 0, tzinfo=TOKYO)
    assert "https://meet.kyodo.example/j/2026-1" in str(event["description"])
    # Now registered, the attendee sees the join URL on the meeting page.
    assert (
        "https://meet.kyodo.example/j/2026-1"
        in client.get(f"/meetings/{open_meeting.pk}/").content.decode()
    )


def test_registering_again_replaces_the_list(client: Client, demo, open_meeting) -> None:
    client.force_login(demo.staff)
    url = f"/meetings/{open_meeting.pk}/register/"
    client.post(url, form_data(demo.kagoshima_city, ("一人目", "", "online")))
    client.post(url, form_data(demo.kagoshima_city, ("二人目", "", "online")))
    assert list(
        Attendee.objects.filter(registration__meeting=open_meeting).values_list("name", flat=True)
    ) == ["二人目"]
    assert Registration.objects.filter(meeting=open_meeting).count() == 1


def test_registration_after_the_deadline_is_refused_and_changes_nothing(
    client: Client, demo, open_meeting
) -> None:
    open_meeting.registration_deadline = timezone.now() - datetime.timedelta(minutes=1)
    open_meeting.save()
    client.force_login(demo.staff)
    response = client.post(
        f"/meetings/{open_meeting.pk}/register/",
        form_data(demo.kagoshima_city, ("遅刻 太郎", "", "online")),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "申込できませんでした。内容は変更されていません。" in html
    assert "締切" in html
    assert "過ぎているため、申込できません" in html
    assert Registration.objects.filter(meeting=open_meeting).count() == 0


def test_registration_beyond_capacity_is_refused_and_changes_nothing(
    client: Client, demo, open_meeting
) -> None:
    open_meeting.capacity = 2
    open_meeting.save()
    other = Organisation.objects.get(lgcode="462039")  # 鹿屋市
    services.registration_submit(
        meeting=open_meeting,
        organisation=other,
        attendees=[{"name": "鹿屋 一郎", "mode": "online"}],
        actor=demo.admin,
    )
    client.force_login(demo.staff)
    response = client.post(
        f"/meetings/{open_meeting.pk}/register/",
        form_data(demo.kagoshima_city, ("一", "", "online"), ("二", "", "online")),
    )
    assert response.status_code == 400
    assert "定員(2名)を超えるため申込できません。この団体から申し込めるのはあと1名です。" in (
        response.content.decode()
    )
    assert list(
        Attendee.objects.filter(registration__meeting=open_meeting).values_list("name", flat=True)
    ) == ["鹿屋 一郎"]


def test_empty_registration_is_refused(client: Client, demo, open_meeting) -> None:
    client.force_login(demo.staff)
    response = client.post(f"/meetings/{open_meeting.pk}/register/", form_data(demo.kagoshima_city))
    assert response.status_code == 400
    assert "参加者を1名以上入力してください。" in response.content.decode()


def test_only_member_organisations_register_for_open_meetings(
    client: Client, demo, open_meeting, seed_meeting
) -> None:
    client.force_login(demo.officer)  # a community council is not a member of the network
    assert client.get(f"/meetings/{open_meeting.pk}/register/").status_code == 403
    client.force_login(demo.staff)
    assert client.get(f"/meetings/{seed_meeting.pk}/register/").status_code == 403  # held
    response = client.post(
        f"/meetings/{open_meeting.pk}/register/",
        form_data(Organisation.objects.get(lgcode="462039"), ("なりすまし", "", "online")),
    )
    assert response.status_code == 400  # 鹿屋市 is not the staff member's organisation
    assert Registration.objects.filter(meeting=open_meeting).count() == 0


def test_invitation_goes_once_to_each_member_with_an_address(
    client: Client, demo, open_meeting, django_capture_on_commit_callbacks
) -> None:
    client.force_login(demo.secretary)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/meetings/{open_meeting.pk}/invite/", follow=True)
    html = response.content.decode()
    invited = set(Invitation.objects.values_list("organisation__name", "email"))
    # Staff of a member (鹿児島市) and of a member's department (the prefecture's 担当課);
    # the council's officer, whose council is not a member, is not invited.
    assert invited == {
        ("鹿児島市", "staff@kyodo.example"),
        ("鹿児島県", "secretariat@kyodo.example"),
    }
    assert "案内メールを2通、送信の予約をしました。" in html
    assert "連絡先のメールアドレスがない会員 50団体" in html
    assert DBTaskResult.objects.count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/meetings/{open_meeting.pk}/invite/")
    assert Invitation.objects.count() == 2
    assert DBTaskResult.objects.count() == 2


def test_attendance_is_marked_by_the_secretariat(client: Client, demo, open_meeting) -> None:
    registration = services.registration_submit(
        meeting=open_meeting,
        organisation=demo.kagoshima_city,
        attendees=[{"name": "出席", "mode": "online"}, {"name": "欠席", "mode": "online"}],
        actor=demo.staff,
    )
    present = registration.attendees.get(name="出席")
    client.force_login(demo.staff)
    assert client.get(f"/meetings/{open_meeting.pk}/attendance/").status_code == 403
    client.force_login(demo.secretary)
    client.post(f"/meetings/{open_meeting.pk}/attendance/", {"attended": [str(present.pk)]})
    assert dict(
        Attendee.objects.filter(registration__meeting=open_meeting).values_list("name", "attended")
    ) == {"出席": True, "欠席": False}


def test_ics_download_has_the_join_url_only_for_registered_attendees(
    client: Client, demo, open_meeting
) -> None:
    client.force_login(demo.staff)
    ics = client.get(f"/meetings/{open_meeting.pk}/meeting.ics")
    assert ics["Content-Type"] == "text/calendar; charset=utf-8"
    [event] = Calendar.from_ical(ics.content).walk("VEVENT")
    assert str(event["summary"]) == "令和8年度共生・協働推進かごしま自治体ネットワーク第1回会議"
    assert "meet.kyodo.example" not in str(event.get("description", ""))
