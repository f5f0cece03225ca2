"""Steps the browser tests share."""

from __future__ import annotations

from playwright.sync_api import ConsoleMessage, Page, expect

from kyodo.directory.demo import DEMO_PASSWORD


def csp_reports(messages: list[ConsoleMessage]) -> list[str]:
    return [
        message.text
        for message in messages
        if "Content Security Policy" in message.text or "Refused to" in message.text
    ]


def sign_in(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("メールアドレス").fill(email)
    page.get_by_label("パスワード").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    expect(page.get_by_role("button", name="ログアウト")).to_be_visible()
