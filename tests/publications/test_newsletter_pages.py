"""The newsletter's pages as people use them: the public list, issue pages with their photos
and obituaries, the feed, the editors' pages and who may open each."""

from __future__ import annotations

import datetime
import io
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from PIL import Image

from kyodo.publications.models import Article, IssueStatus, NewsletterIssue, Notice
from tests.htmlforms import _FormReader, form_fields
from tests.publications.newsletter_fixtures import (
    MOURNER,
    _media,
    article,
    make_issue,
    member_officer,
    notice,
    obituary,
    other_council,
    png,
    upload,
)

__all__ = ["_media", "make_issue", "member_officer", "other_council"]

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def feed_entries(content: bytes) -> list[ET.Element]:
    feed = ET.fromstring(content)  # noqa: S314 - the feed our own test server wrote
    return feed.findall(f"{ATOM}entry")


def page(client: Client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.content.decode()[:2000]
    return response.content.decode()


# --- The public ---------------------------------------------------------------------------


def test_an_obituary_shows_only_the_consented_fields_and_is_not_indexed(
    client: Client, make_issue
) -> None:
    issue = make_issue(notices=[notice(), obituary()])
    # Even a value that reached the database by another way than the editor stays hidden.
    Notice.objects.filter(kind="obituary").update(chief_mourner="鳴子 次郎")
    response = client.get(f"/publications/newsletters/{issue.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "鳴子 太郎" in html
    assert "88歳" in html
    assert "鳴子斎場" in html
    assert "鳴子 次郎" not in html
    assert MOURNER not in html  # who consented is never public
    assert "長女" not in html
    assert '<meta name="robots" content="noindex">' in html
    assert response["X-Robots-Tag"] == "noindex"
    assert "金婚の集い" in html


def test_an_obituary_leaves_the_web_after_its_last_day(client: Client, make_issue) -> None:
    issue = make_issue(notices=[notice(), obituary()])
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Notice.objects.filter(kind="obituary").update(web_until=yesterday)
    response = client.get(f"/publications/newsletters/{issue.pk}/")
    html = response.content.decode()
    assert "鳴子 太郎" not in html
    assert "訃報" not in html
    assert "金婚の集い" in html
    assert 'content="noindex"' not in html
    assert "X-Robots-Tag" not in response


def test_an_obituary_is_never_in_the_feed(client: Client, make_issue) -> None:
    make_issue(articles=[article()], notices=[notice(), obituary()])
    response = client.get("/publications/newsletters/feed.xml")
    assert response.status_code == 200
    body = response.content.decode()
    entries = feed_entries(response.content)
    assert [e.findtext(f"{ATOM}title") for e in entries] == [
        "(デモ)みなみ校区コミュニティ協議会だより 第1号((デモ)みなみ校区コミュニティ協議会)"
    ]
    assert entries[0].findtext(f"{ATOM}summary") == "餅つき大会を開きました、金婚の集い"
    for secret in ("鳴子 太郎", "鳴子斎場", "湯元", "訃報", MOURNER):
        assert secret not in body


def test_the_feed_leaves_out_drafts_and_can_follow_one_council(
    client: Client, make_issue, other_council
) -> None:
    make_issue()
    make_issue(number=2, publish=False)
    council, _officer = other_council
    make_issue(council=council)
    assert len(feed_entries(client.get("/publications/newsletters/feed.xml").content)) == 2
    response = client.get(f"/publications/newsletters/feed.xml?council={council.pk}")
    assert [e.findtext(f"{ATOM}title") for e in feed_entries(response.content)] == [
        "(テスト)きた校区コミュニティ協議会だより 第1号((テスト)きた校区コミュニティ協議会)"
    ]


def test_the_list_shows_published_issues_and_filters_by_council(
    client: Client, make_issue, other_council
) -> None:
    make_issue(articles=[article()])
    make_issue(number=2, publish=False)
    council, _officer = other_council
    make_issue(council=council)
    html = page(client, "/publications/newsletters/")
    assert "(デモ)みなみ校区コミュニティ協議会だより 第1号" in html
    assert "第2号" not in html
    assert "(テスト)きた校区コミュニティ協議会だより 第1号" in html
    html = page(client, f"/publications/newsletters/?council={council.pk}")
    assert "みなみ校区コミュニティ協議会だより 第1号" not in html
    assert "(テスト)きた校区コミュニティ協議会だより 第1号" in html
    page(client, "/publications/newsletters/?council=999999", status=400)


def test_a_draft_is_not_found_by_the_public_and_previewed_by_its_editors(
    client: Client, make_issue, demo, other_council
) -> None:
    issue = make_issue(publish=False, notices=[notice(), obituary(consent=False)])
    url = f"/publications/newsletters/{issue.pk}/"
    page(client, url, status=404)
    client.force_login(demo.resident)
    page(client, url, status=404)
    client.force_login(other_council[1])
    page(client, url, status=404)
    client.force_login(demo.officer)
    response = client.get(url)
    html = response.content.decode()
    assert "<strong>下書き</strong>" in html
    assert response["X-Robots-Tag"] == "noindex"
    # The preview shows what would be public: not an obituary without consent.
    assert "鳴子 太郎" not in html
    assert "ご遺族の同意が記録されていない" in html


def test_photos_are_served_while_their_issue_may_be_read(client: Client, make_issue, demo) -> None:
    issue = make_issue(articles=[article(image=upload(), image_alt="餅をつく子どもたち")])
    photo = Article.objects.get()
    assert photo.image.name.startswith("publications/articles/")
    assert photo.image.name.endswith(".png")
    html = page(client, f"/publications/newsletters/{issue.pk}/")
    url = f"/publications/newsletters/{issue.pk}/images/{photo.pk}/"
    assert f'<img src="{url}" alt="餅をつく子どもたち"' in html
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    # Served as stored: the picture re-encoded without what the camera embedded.
    served = Image.open(io.BytesIO(b"".join(response.streaming_content)))
    assert (served.format, served.size) == ("PNG", Image.open(io.BytesIO(png())).size)
    issue.status, issue.published_at = IssueStatus.DRAFT, None
    issue.save()
    assert client.get(url).status_code == 404
    client.force_login(demo.officer)
    assert client.get(url).status_code == 200


# --- Who may edit -------------------------------------------------------------------------


def test_only_the_councils_editors_open_the_editor(
    client: Client, make_issue, demo, other_council, member_officer
) -> None:
    issue = make_issue(publish=False)
    url = f"/publications/newsletters/{issue.pk}/edit/"
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    for user in (other_council[1], member_officer, demo.resident):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(f"/publications/newsletters/{issue.pk}/publish/").status_code == 403
    issue.refresh_from_db()
    assert issue.status == IssueStatus.DRAFT
    client.force_login(demo.officer)
    assert client.get(url).status_code == 200


def test_the_editors_list_shows_only_ones_own_councils(
    client: Client, make_issue, demo, other_council, member_officer
) -> None:
    make_issue()
    council, officer = other_council
    make_issue(council=council)
    client.force_login(officer)
    html = page(client, "/publications/newsletters/manage/")
    assert "(テスト)きた校区コミュニティ協議会だより 第1号" in html
    assert "みなみ校区コミュニティ協議会だより" not in html
    # An association may publish its own newsletter, not its council's.
    client.force_login(member_officer)
    html = page(client, "/publications/newsletters/manage/")
    assert "(デモ)みなみ一丁目町内会" in html
    assert "みなみ校区コミュニティ協議会だより" not in html
    # City staff see the page, but edit no council's newsletter.
    client.force_login(demo.staff)
    html = page(client, "/publications/newsletters/manage/")
    assert "協議会だよりを編集できる協議会はありません。" in html
    client.force_login(demo.resident)
    page(client, "/publications/newsletters/manage/", status=403)


def test_an_officer_starts_an_issue_with_the_defaults(client: Client, make_issue, demo) -> None:
    make_issue()
    client.force_login(demo.officer)
    fields = form_fields(page(client, "/publications/newsletters/manage/new/"), "form")
    assert fields["council"] == str(demo.council.pk)
    assert fields["name"] == "(デモ)みなみ校区コミュニティ協議会だより"
    assert fields["number"] == "2"
    fields["issue_date"] = "2027-01-01"
    response = client.post("/publications/newsletters/manage/new/", fields)
    issue = NewsletterIssue.objects.get(number=2)
    assert response["Location"] == f"/publications/newsletters/{issue.pk}/edit/"
    assert (issue.issue_date, issue.status) == (datetime.date(2027, 1, 1), IssueStatus.DRAFT)


# --- The editor ---------------------------------------------------------------------------


def editor_fields(client: Client, issue: NewsletterIssue) -> dict[str, Any]:
    """What the editor's form submits unchanged; the consent's checkboxes as lists."""
    reader = _FormReader("newsletter-form")
    reader.feed(page(client, f"/publications/newsletters/{issue.pk}/edit/"))
    fields: dict[str, Any] = {}
    for name, value in reader.fields:
        if name.endswith("consent_fields"):
            fields.setdefault(name, []).append(value)
        else:
            fields[name] = value
    return fields


def test_saving_the_editor_unchanged_keeps_the_issue(client: Client, make_issue, demo) -> None:
    issue = make_issue(
        articles=[article(image=upload(), image_alt="餅つき"), article(heading="次号予告")],
        notices=[notice(organisation=demo.council.pk), obituary()],
    )

    def state() -> list[tuple]:
        return [
            *Article.objects.order_by("position").values_list("pk", "heading", "image"),
            *Notice.objects.order_by("position").values_list(
                "pk", "title", "organisation", "consent_fields", "web_until", "deceased_name"
            ),
        ]

    before = state()
    client.force_login(demo.officer)
    fields = editor_fields(client, issue)
    response = client.post(f"/publications/newsletters/{issue.pk}/edit/", fields)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert state() == before


def test_an_officer_adds_an_article_with_a_photo_and_an_obituary(
    client: Client, make_issue, demo
) -> None:
    issue = make_issue(publish=False)
    client.force_login(demo.officer)
    fields = editor_fields(client, issue)
    fields.update(
        {
            "articles-1-heading": "秋の清掃活動",
            "articles-1-body": "11月に校区の一斉清掃を行いました。",
            "articles-1-image_alt": "ごみ袋を持つ参加者",
            "articles-1-caption": "参加者のみなさん",
            "articles-1-ORDER": "2",
            "notices-0-kind": "obituary",
            "notices-0-deceased_name": "鳴子 太郎",
            "notices-0-age": "88",
            "notices-0-consent_by": MOURNER,
            "notices-0-consent_relation": "長女",
            "notices-0-consent_on": "2026-11-20",
            "notices-0-consent_fields": ["deceased_name", "age"],
            "notices-0-ORDER": "1",
        }
    )
    fields["articles-1-image"] = upload("seisou.jpg")
    response = client.post(f"/publications/newsletters/{issue.pk}/edit/", fields)
    assert response.status_code == 302, response.content.decode()[:3000]
    added = Article.objects.get(heading="秋の清掃活動")
    assert added.image
    assert added.image_alt == "ごみ袋を持つ参加者"
    saved = Notice.objects.get()
    assert (saved.title, saved.consent_fields, saved.consent_recorded_by) == (
        "訃報",
        ["deceased_name", "age"],
        demo.officer,
    )
    assert saved.web_until == issue.issue_date + datetime.timedelta(days=30)


def test_a_file_that_is_not_an_image_is_refused_and_nothing_is_saved(
    client: Client, make_issue, demo
) -> None:
    issue = make_issue(publish=False)
    client.force_login(demo.officer)
    fields = editor_fields(client, issue)
    fields.update(
        {
            "issue-editor_note": "今月もありがとうございました。",
            "articles-0-image_alt": "写真",
            "articles-0-image": upload("photo.png", b"%PDF-1.4 not an image"),
        }
    )
    response = client.post(f"/publications/newsletters/{issue.pk}/edit/", fields)
    assert response.status_code == 400
    html = response.content.decode()
    assert "入力内容に誤りがあります(1件)。何も保存されていません。" in html
    assert "写真・図として読み取れないファイルです。" in html
    assert "選んだ写真は保存されていません。" in html
    issue.refresh_from_db()
    assert issue.editor_note == ""
    assert not Article.objects.exclude(image="").exists()


def test_an_image_larger_than_5_mb_is_refused(client: Client, make_issue, demo) -> None:
    issue = make_issue(publish=False)
    client.force_login(demo.officer)
    fields = editor_fields(client, issue)
    fields["articles-0-image_alt"] = "写真"
    fields["articles-0-image"] = upload("big.png", png() + b"\0" * (5 * 1024 * 1024))
    response = client.post(f"/publications/newsletters/{issue.pk}/edit/", fields)
    assert response.status_code == 400
    assert "写真のファイルが大きすぎます" in response.content.decode()
    assert not Article.objects.exclude(image="").exists()


def test_a_photo_without_its_description_is_refused(client: Client, make_issue, demo) -> None:
    issue = make_issue(publish=False)
    client.force_login(demo.officer)
    fields = editor_fields(client, issue)
    fields["articles-0-image"] = upload()
    response = client.post(f"/publications/newsletters/{issue.pk}/edit/", fields)
    assert response.status_code == 400
    assert (
        "記事 1 写真の説明(代替テキスト): "
        "写真を載せるときは、写真の説明(代替テキスト)を入力してください。"
    ) in response.content.decode()
    assert not Article.objects.exclude(image="").exists()


def test_oversized_text_is_refused(client: Client, make_issue, demo) -> None:
    issue = make_issue(publish=False)
    client.force_login(demo.officer)
    fields = editor_fields(client, issue)
    fields["articles-0-body"] = "あ" * 8001
    fields["issue-name"] = "だ" * 101
    response = client.post(f"/publications/newsletters/{issue.pk}/edit/", fields)
    assert response.status_code == 400
    html = response.content.decode()
    assert "入力内容に誤りがあります(2件)。" in html
    assert "この値は 8000 文字以下でなければなりません( 8001 文字になっています)。" in html
    assert Article.objects.get().body == article()["body"]


def test_an_unconsented_field_typed_in_the_editor_is_refused_at_that_field(
    client: Client, make_issue, demo
) -> None:
    issue = make_issue(publish=False, notices=[obituary()])
    client.force_login(demo.officer)
    fields = editor_fields(client, issue)
    fields["notices-0-chief_mourner"] = "鳴子 次郎"
    response = client.post(f"/publications/newsletters/{issue.pk}/edit/", fields)
    assert response.status_code == 400
    html = response.content.decode()
    assert "お知らせ 1 喪主: ご遺族が掲載に同意していない項目です。" in html
    assert Notice.objects.get().chief_mourner == ""


def test_publishing_without_consent_is_refused_with_the_notice_named(
    client: Client, make_issue, demo
) -> None:
    issue = make_issue(publish=False, notices=[obituary(consent=False)])
    client.force_login(demo.officer)
    response = client.post(f"/publications/newsletters/{issue.pk}/publish/", follow=True)
    html = response.content.decode()
    assert "お知らせ1「訃報」は、ご遺族の同意" in html
    issue.refresh_from_db()
    assert issue.status == IssueStatus.DRAFT
    page(client, f"/publications/newsletters/{issue.pk}/")
    client.logout()
    page(client, f"/publications/newsletters/{issue.pk}/", status=404)


def test_publishing_and_withdrawing_from_the_editor(client: Client, make_issue, demo) -> None:
    issue = make_issue(publish=False, notices=[obituary()])
    client.force_login(demo.officer)
    response = client.post(f"/publications/newsletters/{issue.pk}/publish/")
    assert response["Location"] == f"/publications/newsletters/{issue.pk}/"
    issue.refresh_from_db()
    assert issue.status == IssueStatus.PUBLISHED
    client.post(f"/publications/newsletters/{issue.pk}/withdraw/")
    issue.refresh_from_db()
    assert issue.status == IssueStatus.DRAFT
