"""PDF materials of a meeting: uploaded by the secretariat, checked by content, linked from
the results page, downloadable by whoever may see the meeting."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from kyodo.core.files import check_pdf
from kyodo.core.models import AuditEntry
from kyodo.meetings import services
from kyodo.meetings.models import Attachment

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _media(settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def upload(client: Client, meeting, title: str, content: bytes, name: str = "資料.pdf"):
    return client.post(
        f"/meetings/{meeting.pk}/attachments/",
        {"title": title, "file": SimpleUploadedFile(name, content, "application/pdf")},
    )


def test_secretariat_adds_a_pdf_and_it_is_linked_from_the_published_page(
    client: Client, seed_meeting, demo, tmp_path: Path
) -> None:
    client.force_login(demo.secretary)
    response = upload(client, seed_meeting, "講演資料(山浦陽一氏)", PDF)
    assert response.status_code == 302
    attachment = Attachment.objects.get(meeting=seed_meeting)
    assert attachment.title == "講演資料(山浦陽一氏)"
    assert attachment.size == len(PDF)
    # Stored under a random name in the media folder, not under the name it came with.
    stored = tmp_path / attachment.file.name
    assert stored.read_bytes() == PDF
    assert "資料" not in attachment.file.name
    assert AuditEntry.objects.filter(action="meeting.attachment_add").count() == 1

    client.post(f"/meetings/{seed_meeting.pk}/publish/")
    client.logout()
    html = client.get(seed_meeting.get_absolute_url()).content.decode()
    link = f"/meetings/{seed_meeting.pk}/attachments/{attachment.pk}/"
    assert f'<a href="{link}">講演資料(山浦陽一氏)(PDF:' in html
    download = client.get(link)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == PDF


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (PNG, "写真.pdf", "PDFファイルではありません。"),
        (b"", "空.pdf", "入力されたファイルは空です。"),
        (b"%PDF-1.7\n truncated", "途中まで.pdf", "PDFファイルではありません。"),
    ],
)
def test_a_file_that_is_not_a_pdf_is_refused_whatever_its_name(
    client: Client, seed_meeting, demo, tmp_path: Path, content: bytes, name: str, message: str
) -> None:
    client.force_login(demo.secretary)
    response = upload(client, seed_meeting, "資料", content, name)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Attachment.objects.exists()
    assert not any(tmp_path.rglob("*.pdf"))


def test_too_large_a_pdf_is_refused() -> None:
    with pytest.raises(ValidationError) as error:
        check_pdf(io.BytesIO(PDF), size=len(PDF), max_bytes=len(PDF) - 1)
    assert "ファイルが大きすぎます" in error.value.messages[0]
    check_pdf(io.BytesIO(PDF), size=len(PDF))  # the same file within the limit is accepted


def test_removing_an_attachment_deletes_its_file(
    client: Client, seed_meeting, demo, tmp_path: Path, django_capture_on_commit_callbacks
) -> None:
    attachment = services.attachment_add(
        meeting=seed_meeting,
        title="配布資料",
        upload=SimpleUploadedFile("a.pdf", PDF),
        actor=demo.secretary,
    )
    stored = tmp_path / attachment.file.name
    assert stored.exists()
    client.force_login(demo.secretary)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/meetings/{seed_meeting.pk}/attachments/{attachment.pk}/delete/")
    assert response.status_code == 302
    assert not Attachment.objects.exists()
    assert not stored.exists()


def test_attachments_of_an_unpublished_meeting_stay_private(
    client: Client, open_meeting, demo
) -> None:
    attachment = services.attachment_add(
        meeting=open_meeting,
        title="案内",
        upload=SimpleUploadedFile("a.pdf", PDF),
        actor=demo.secretary,
    )
    url = f"/meetings/{open_meeting.pk}/attachments/{attachment.pk}/"
    assert client.get(url).status_code == 302  # to sign in
    client.force_login(demo.resident)
    assert client.get(url).status_code == 403
    client.force_login(demo.staff)  # a member's staff sees an open meeting and its papers
    assert client.get(url).status_code == 200
    # Another meeting's number in the URL finds nothing.
    assert (
        client.get(f"/meetings/{open_meeting.pk - 1}/attachments/{attachment.pk}/").status_code
        == 404
    )


@pytest.mark.parametrize("who", ["officer", "staff", "resident"])
def test_only_the_secretariat_uploads_or_deletes(client: Client, seed_meeting, demo, who) -> None:
    attachment = services.attachment_add(
        meeting=seed_meeting,
        title="配布資料",
        upload=SimpleUploadedFile("a.pdf", PDF),
        actor=demo.secretary,
    )
    client.force_login(getattr(demo, who))
    assert upload(client, seed_meeting, "資料", PDF).status_code == 403
    delete = client.post(f"/meetings/{seed_meeting.pk}/attachments/{attachment.pk}/delete/")
    assert delete.status_code == 403
    assert Attachment.objects.count() == 1
