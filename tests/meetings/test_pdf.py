import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from kyodo.meetings import services
from kyodo.meetings.models import Revision

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_published_results_get_a_pdf_with_japanese_fonts_embedded(
    client: Client, demo, seed_meeting, media: Path, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_publish(meeting=seed_meeting, actor=demo.secretary)
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    revision = Revision.objects.filter(meeting=seed_meeting).order_by("-number").first()
    assert revision is not None
    assert revision.pdf.name.endswith("-rev2.pdf")
    pdf_path = media / revision.pdf.name

    fonts = subprocess.run(["pdffonts", str(pdf_path)], capture_output=True, text=True, check=True)
    assert "Noto-Sans-CJK-JP" in fonts.stdout
    assert all(line.split()[-5] == "yes" for line in fonts.stdout.splitlines()[2:])  # embedded
    text = subprocess.run(
        ["pdftotext", str(pdf_path), "-"], capture_output=True, text=True, check=True
    ).stdout
    compact = "".join(text.split())
    assert "第3回会議の開催結果" in compact
    assert "令和2年11月19日木曜日9時30分から12時00分" in compact
    assert "51名(市町村,県地域振興局・支庁等の担当職員)" in compact

    response = client.get(f"/meetings/{seed_meeting.pk}/results.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert "この開催結果のPDF" in client.get(f"/meetings/{seed_meeting.pk}/").content.decode()


def test_pdf_is_404_until_rendered(client: Client, seed_meeting, media: Path) -> None:
    assert client.get(f"/meetings/{seed_meeting.pk}/results.pdf").status_code == 404


pytestmark = [pytestmark, pytest.mark.skipif(not shutil.which("pdffonts"), reason="poppler-utils")]
