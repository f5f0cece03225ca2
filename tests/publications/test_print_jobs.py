"""The long work of the publications runs as background jobs: the print files of the annual
calendar and the newsletter, and the e-mail asking members to check a draft. The person
starts it, is sent to the job's page, and downloads the file when it is ready."""

from __future__ import annotations

import subprocess

import pytest
from django.core import mail
from django.urls import reverse

from kyodo.core.models import AuditEntry, Job, JobStatus
from kyodo.directory.models import Organisation
from kyodo.publications.models import SheetFormat
from kyodo.publications.services import annual as services
from tests.publications.conftest import client_for
from tests.publications.newsletter_fixtures import make_issue, obituary

__all__ = ["make_issue"]

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _run_jobs_at_once(settings) -> None:
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def download(client, job: Job) -> bytes:
    response = client.get(reverse("core:job_download", args=[job.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_the_a3_calendar_is_made_in_the_background_and_downloaded(
    demo, calendar, django_capture_on_commit_callbacks, tmp_path
):
    services.calendar_take_draft(calendar=calendar, message="", actor=demo.officer)
    client = client_for(demo.officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("publications:calendar_pdf", args=[calendar.pk]), {"sheet": SheetFormat.A3}
        )
    job = Job.objects.get()
    assert response["Location"] == job.get_absolute_url()
    job.refresh_from_db()
    assert (job.status, job.progress, job.error) == (JobStatus.SUCCEEDED, 100, "")
    assert job.file_name == f"{calendar.title}_A3_壁掛け.pdf"
    pdf = tmp_path / "calendar.pdf"
    pdf.write_bytes(download(client, job))
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, check=True).stdout
    assert "Pages:           1" in info
    assert "A3" in info
    fonts = subprocess.run(["pdffonts", pdf], capture_output=True, text=True, check=True).stdout
    assert "CJK" in fonts
    # The calendar page links the latest file of each sheet.
    page = client.get(reverse("publications:calendar", args=[calendar.pk])).content.decode()
    assert job.get_absolute_url() in page


def test_no_print_file_without_a_draft_and_none_for_others(demo, calendar, other_officer):
    response = client_for(demo.officer).post(
        reverse("publications:calendar_pdf", args=[calendar.pk]), {"sheet": SheetFormat.A2}
    )
    assert response.status_code == 302
    assert not Job.objects.exists()
    services.calendar_take_draft(calendar=calendar, message="", actor=demo.officer)
    for user in (other_officer, demo.resident):
        response = client_for(user).post(
            reverse("publications:calendar_pdf", args=[calendar.pk]), {"sheet": SheetFormat.A2}
        )
        assert response.status_code == 403
    assert not Job.objects.exists()


def test_the_newsletter_print_file_carries_only_consented_obituary_fields(
    demo, make_issue, django_capture_on_commit_callbacks, tmp_path
):
    issue = make_issue(notices=[obituary()])
    client = client_for(demo.officer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("publications:newsletter_pdf", args=[issue.pk]))
    job = Job.objects.get()
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    pdf = tmp_path / "issue.pdf"
    pdf.write_bytes(download(client, job))
    text = subprocess.run(
        ["pdftotext", pdf, "-"], capture_output=True, text=True, check=True
    ).stdout
    text = text.replace(" ", "")
    notice = issue.notices.get()
    assert notice.consented()
    for name, _label, value in notice.consented():
        if name != "died_on":  # printed in the Japanese calendar
            assert str(value).replace(" ", "") in text
    # Who gave the consent is a record for the editors, never printed.
    assert notice.consent_by.replace(" ", "") not in text


def test_opening_review_mails_every_member_once_as_one_job(
    demo, calendar, member_officer, django_capture_on_commit_callbacks
):
    association = Organisation.objects.get(name="(デモ)みなみ一丁目町内会")
    association.email = "chonai-kai@kyodo.example"
    association.save()
    services.calendar_take_draft(
        calendar=calendar, message="日付をご確認ください。", actor=demo.officer
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.calendar_open_review(calendar=calendar, comments_until=None, actor=demo.officer)
    job = Job.objects.get()
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert "chonai-kai@kyodo.example" in recipients
    assert len(recipients) == len(set(recipients))
    message = next(m for m in mail.outbox if "chonai-kai@kyodo.example" in m.to)
    assert message.subject == f"【原稿のご確認】{calendar.title}(第1稿)"
    assert "日付をご確認ください。" in message.body
    assert f"/publications/calendars/{calendar.pk}/drafts/1/" in message.body
    sent = AuditEntry.objects.filter(action="publications.review_mail_sent")
    assert sent.count() == len(recipients)
