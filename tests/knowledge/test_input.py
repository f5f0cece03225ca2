"""Bad input is refused with a Japanese message and nothing is saved: an empty title, a
body too long, a file that is not a PDF though named .pdf, an outside post without its
source. A real PDF is kept and downloaded by whoever may read the post."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kyodo.core.models import AuditEntry
from kyodo.knowledge.demo import minimal_pdf
from kyodo.knowledge.models import MAX_BODY, Audience, Post, PostAttachment
from tests.knowledge.conftest import client_for


def form(kn, **changes):
    values = {
        "network": kn.network.pk,
        "organisation": kn.city_a.pk,
        "kind": "practice",
        "scope": "inside",
        "source": "",
        "title": "研修会を開きました",
        "body": "本文です。",
        "audience": "public",
        "status": "published",
    }
    values.update(changes)
    return values


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": "   "}, "このフィールドは必須です。"),
        ({"body": "あ" * (MAX_BODY + 1)}, f"{MAX_BODY}文字以内で入力してください"),
        ({"scope": "outside", "source": ""}, "県外の自治体・団体の名称を入力してください。"),
        (
            {
                "attachment": SimpleUploadedFile(
                    "資料.pdf", b"PK\x03\x04 not a pdf at all", content_type="application/pdf"
                )
            },
            "PDFファイルではありません。",
        ),
    ],
)
def test_bad_input_is_refused_with_a_japanese_message_and_nothing_saved(kn, changes, message):
    response = client_for(kn.officer_a).post(reverse("knowledge:post_new"), form(kn, **changes))
    assert response.status_code == 400
    page = response.content.decode()
    assert "入力内容に誤りがあります" in page
    assert message in page
    assert not Post.objects.exists()
    assert not PostAttachment.objects.exists()
    assert not AuditEntry.objects.filter(object_type="knowledge.post").exists()


def test_the_service_refuses_a_blank_title_and_a_body_too_long(kn):
    with pytest.raises(ValidationError) as caught:
        kn.post(title=" ", body="x" * (MAX_BODY + 1))
    assert caught.value.message_dict == {
        "title": ["題名を入力してください。"],
        "body": [f"本文は{MAX_BODY:,}文字以内で入力してください(現在{MAX_BODY + 1:,}文字)。"],
    }
    assert not Post.objects.exists()


def test_a_pdf_is_kept_and_served_only_to_those_who_may_read_the_post(kn, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pdf = minimal_pdf("hello")
    response = client_for(kn.officer_a).post(
        reverse("knowledge:post_new"),
        form(
            kn,
            audience="members",
            attachment_title="研修資料",
            attachment=SimpleUploadedFile("x.pdf", pdf, content_type="application/pdf"),
        ),
    )
    assert response.status_code == 302
    post = Post.objects.get()
    attachment = post.attachments.get()
    assert (attachment.title, attachment.size, post.audience) == (
        "研修資料",
        len(pdf),
        Audience.MEMBERS,
    )
    url = reverse("knowledge:post_file", args=[post.pk, attachment.pk])
    download = client_for(kn.officer_b).get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == pdf
    assert client_for(kn.resident).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 404

    client_for(kn.officer_a).post(
        reverse("knowledge:post_file_delete", args=[post.pk, attachment.pk])
    )
    assert not post.attachments.exists()
