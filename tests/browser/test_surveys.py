"""A meeting's questionnaire in a browser: the secretariat opens and follows it, an attendee
answers through the private link, with the conditional question appearing as they choose."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from kyodo.meetings import demo as meetings_demo
from kyodo.meetings.models import Meeting
from kyodo.surveys import services
from kyodo.surveys.models import Response
from tests.browser.axe import assert_no_axe_violations
from tests.browser.support import csp_reports, sign_in
from tests.surveys.conftest import QUESTIONS

pytestmark = pytest.mark.browser


def test_respondent_answers_and_the_secretariat_follows_the_results(
    page: Page, live_demo, console
) -> None:
    meetings_demo.load(live_demo.network)
    survey = Meeting.objects.get(fiscal_year=2026).questionnaire
    services.survey_save(survey=survey, fields={}, questions=QUESTIONS, actor=None)
    respondent = services.respondents_add(
        survey=survey, people=[{"name": "鹿児 太郎", "email": "taro@example.jp"}], actor=None
    )[0]

    sign_in(page, "secretariat@kyodo.example")
    page.goto(f"/surveys/{survey.pk}/edit/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("アンケートを編集")
    assert_no_axe_violations(page)
    page.goto(f"/surveys/{survey.pk}/")
    page.get_by_role("button", name="回答の受付を始める").click()
    expect(page.get_by_role("status")).to_contain_text("状態を「回答受付中」にしました。")
    page.get_by_role("button", name="ログアウト").click()

    page.goto(respondent.get_absolute_url())
    expect(page.get_by_text("鹿児 太郎 様の回答ページです。")).to_be_visible()
    conditional = page.get_by_role("group", name="問4 取り組んでいる地区の数")
    expect(conditional).to_be_hidden()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="回答を送信").click()
    expect(page.get_by_role("alert")).to_contain_text("問1: この質問は回答必須です。")
    assert_no_axe_violations(page)
    page.get_by_label("4", exact=True).check()
    page.get_by_label("講演").check()
    page.get_by_label("事例紹介").check()
    page.get_by_label("取り組んでいる", exact=True).check()
    expect(conditional).to_be_visible()
    conditional.get_by_role("spinbutton").fill("12")
    page.get_by_label("検討中").check()  # changes mind: the conditional question goes away
    expect(conditional).to_be_hidden()
    page.get_by_role("group", name="問6 感想・ご意見").get_by_role("textbox").fill("参考になった")
    page.get_by_role("button", name="回答を送信").click()
    expect(page.get_by_role("status")).to_contain_text("回答を受け付けました。")
    saved = Response.objects.get(respondent=respondent)
    assert sorted(saved.answers.exclude(option=None).values_list("option__label", flat=True)) == [
        "事例紹介",
        "検討中",
        "講演",
    ]
    assert not saved.answers.filter(question__position=4).exists()
    expect(page.get_by_role("button", name="回答を修正して送信")).to_be_visible()

    sign_in(page, "secretariat@kyodo.example")
    page.goto(f"/surveys/{survey.pk}/")
    expect(page.get_by_role("img", name="問2の回答の内訳(グラフ)")).to_be_visible()
    expect(page.get_by_role("cell", name="100.0%").first).to_be_visible()
    assert_no_axe_violations(page)
    assert not csp_reports(console)
