"""The year plan and the published results of the network's meetings, read and managed in
a browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from kyodo.meetings import demo as meetings_demo
from kyodo.meetings import services
from kyodo.meetings.models import Meeting
from tests.browser.axe import assert_no_axe_violations
from tests.browser.support import sign_in
from tests.meetings.test_attachments import PDF

pytestmark = pytest.mark.browser


@pytest.fixture
def live_meetings(live_demo):
    meetings_demo.load(live_demo.network)
    return live_demo


def test_visitor_reads_the_published_results_from_the_year_plan(page: Page, live_meetings) -> None:
    page.goto("/networks/kagoshima/meetings/2020/")
    expect(page.get_by_role("heading", level=1)).to_have_text("令和2年度の会議")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="第3回会議").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "令和2年度共生・協働推進かごしま自治体ネットワーク第3回会議の開催結果"
    )
    expect(page.locator("dl.meeting-facts")).to_contain_text("51名")
    expect(page.locator("main")).not_to_contain_text("meet.kyodo.example")
    assert_no_axe_violations(page)


def test_secretariat_publishes_the_open_meeting_and_sees_its_revisions(
    page: Page, live_meetings
) -> None:
    meeting = Meeting.objects.get(fiscal_year=2026)
    sign_in(page, "secretariat@kyodo.example")
    page.goto("/networks/kagoshima/meetings/2026/")
    expect(page.get_by_role("cell", name="参加受付中")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="第1回会議").click()
    expect(page.get_by_text("以下は記録から作ったプレビューです。")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="開催結果を公開").click()
    expect(page.get_by_role("status")).to_contain_text("開催結果を公開しました(第1版)")
    expect(page.get_by_role("link", name="第1版")).to_be_visible()
    assert meeting.revisions.count() == 1
    assert_no_axe_violations(page)


def test_member_staff_registers_by_form_and_the_page_passes_axe(page: Page, live_meetings) -> None:
    meeting = Meeting.objects.get(fiscal_year=2026)
    sign_in(page, "staff@kyodo.example")
    page.goto(f"/meetings/{meeting.pk}/")
    page.get_by_role("link", name="参加を申し込む").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("参加申込")
    assert_no_axe_violations(page)
    first = page.get_by_role("group", name="参加者 1")
    first.get_by_label("氏名").fill("鹿児 太郎")
    first.get_by_label("メールアドレス").fill("staff@kyodo.example")
    first.get_by_label("参加方法").select_option("online")
    page.get_by_role("button", name="申込む").click()
    expect(page.get_by_role("status")).to_contain_text("参加申込を受け付けました。")
    expect(page.get_by_role("link", name="https://meet.kyodo.example/j/2026-1")).to_be_visible()
    assert meeting.registrations.get().attendees.get().name == "鹿児 太郎"
    assert_no_axe_violations(page)


def test_refused_registration_shows_why_and_passes_axe(page: Page, live_meetings) -> None:
    meeting = Meeting.objects.get(fiscal_year=2026)
    Meeting.objects.filter(pk=meeting.pk).update(capacity=0)
    sign_in(page, "staff@kyodo.example")
    page.goto(f"/meetings/{meeting.pk}/register/")
    first = page.get_by_role("group", name="参加者 1")
    first.get_by_label("氏名").fill("鹿児 太郎")
    first.get_by_label("参加方法").select_option("in_person")
    page.get_by_role("button", name="申込む").click()
    expect(page.get_by_role("alert")).to_contain_text("定員(0名)を超えるため申込できません。")
    assert not meeting.registrations.exists()
    assert_no_axe_violations(page)


def test_secretariat_edits_the_record_adding_rows_with_the_button(
    page: Page, live_meetings, console, tmp_path, settings
) -> None:
    settings.MEDIA_ROOT = tmp_path
    meeting = Meeting.objects.get(fiscal_year=2026)
    programme_rows = meeting.programme_items.count()
    sign_in(page, "secretariat@kyodo.example")
    page.goto(f"/meetings/{meeting.pk}/")
    page.get_by_role("link", name="記録を編集").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("の記録を編集")
    assert_no_axe_violations(page)
    # Four more programme rows than the three blank ones: the button copies an empty row.
    add = page.get_by_role("button", name="次第の行を追加")
    for _ in range(4):
        add.click()
    last = programme_rows + 3 + 4
    expect(page.get_by_role("group", name=f"次第 {last}", exact=True)).to_be_visible()
    row = page.get_by_role("group", name=f"次第 {last}", exact=True)
    row.get_by_label("段").select_option("2")
    row.get_by_label("項目").fill("閉会のあいさつ(追加)")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("の記録を保存しました")
    expect(page.locator("main")).to_contain_text("閉会のあいさつ(追加)")
    # Second level: it became a child of the item before it.
    added = meeting.programme_items.select_related("parent").get(title="閉会のあいさつ(追加)")
    assert added.parent is not None
    assert added.parent.title == "閉会・課長あいさつ"
    assert not [m.text for m in console if "Content Security Policy" in m.text]

    # A mistake is listed at the top and links to the field; nothing is saved.
    page.goto(f"/meetings/{meeting.pk}/edit/")
    page.get_by_label("終了日時").fill("2020-01-01T10:00")
    page.get_by_role("button", name="保存", exact=True).click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("何も保存されていません")
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("終了日時")).to_be_focused()
    assert_no_axe_violations(page)

    page.goto(f"/meetings/{meeting.pk}/attachments/")
    assert_no_axe_violations(page)
    page.get_by_label("資料名").fill("開催案内")
    page.get_by_label("ファイル(PDF、20MBまで)").set_input_files(
        files=[{"name": "案内.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="追加").click()
    expect(page.get_by_role("link", name="開催案内(PDF:")).to_be_visible()
    assert_no_axe_violations(page)


def test_attendee_asks_and_the_moderator_answers_and_publishes(
    page: Page, live_meetings, console
) -> None:
    meeting = Meeting.objects.get(fiscal_year=2026)
    services.registration_submit(
        meeting=meeting,
        organisation=live_meetings.kagoshima_city,
        attendees=[{"name": "鹿児 太郎", "email": "staff@kyodo.example", "mode": "online"}],
        actor=live_meetings.staff,
    )
    sign_in(page, "staff@kyodo.example")
    page.goto(f"/meetings/{meeting.pk}/")
    page.get_by_role("link", name="講師・事例発表者への質問(参加者用)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("講師・事例発表者への質問")
    assert_no_axe_violations(page)
    page.get_by_role("textbox", name="質問").fill("地域担当職員の評価はどうしていますか。")
    page.get_by_role("button", name="質問を送る").click()
    expect(page.get_by_role("status")).to_contain_text("質問を受け付けました。")
    expect(page.locator("#question-list")).to_contain_text("あなたの質問")
    assert_no_axe_violations(page)

    page.get_by_role("button", name="ログアウト").click()
    sign_in(page, "secretariat@kyodo.example")
    page.goto(f"/meetings/{meeting.pk}/questions/moderate/")
    expect(page.get_by_role("cell", name="鹿児 太郎")).to_be_visible()
    assert_no_axe_violations(page)
    # A question asked meanwhile appears without reloading (htmx polls the list).
    services.question_submit(meeting=meeting, actor=None, text="会場からの追加の質問")
    added = page.get_by_role("cell", name="会場からの追加の質問", exact=True)
    expect(added).to_be_visible(timeout=10_000)
    page.get_by_role("link", name=re.compile("^編集・回答.*地域担当職員の評価")).click()
    assert_no_axe_violations(page)
    page.get_by_label("回答", exact=True).fill("人事評価の指標に地域行事への参加を入れています。")
    page.get_by_label("回答者").fill("宮城県大崎市職員")
    page.get_by_label("開催結果に載せる").check()
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status")).to_contain_text("質問を更新しました。")
    page.goto(f"/meetings/{meeting.pk}/")
    page.get_by_role("button", name="開催結果を公開").click()
    qa = page.locator("dl.qa")
    expect(qa).to_contain_text("地域担当職員の評価はどうしていますか。")
    expect(qa).to_contain_text("(回答:宮城県大崎市職員)")
    expect(qa).not_to_contain_text("会場からの追加の質問")
    assert_no_axe_violations(page)
    assert not [m.text for m in console if "Content Security Policy" in m.text]
