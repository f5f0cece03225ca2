"""Background jobs in a browser: the page of a finished job offers its file, a failed one
says why and runs again at the press of a button, and a waiting one updates itself (htmx)
until its file is ready. axe-core checks each state."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from kyodo.core import jobs
from kyodo.core.jobs import JobOutput, Progress, job_start, runner
from kyodo.core.models import Job, JobStatus
from tests.browser.axe import assert_no_axe_violations
from tests.browser.support import csp_reports, sign_in

pytestmark = pytest.mark.browser

TITLE = "年間行事カレンダー(A3) 令和9年"
PDF_NAME = "年間行事カレンダー(A3) 令和9年.pdf"


@runner("tests.browser.calendar_pdf")
def calendar_pdf(job: Job, progress: Progress) -> JobOutput:
    progress(50, "6か月分を作成しました")
    return JobOutput(name=PDF_NAME, content=b"%PDF-1.7\n%%EOF\n", content_type="application/pdf")


@runner("tests.browser.flaky")
def flaky(job: Job, progress: Progress) -> JobOutput:
    if job.attempts == 1:
        raise jobs.JobFailed("印刷用の書体が見つかりませんでした。もう一度お試しください。")
    return JobOutput(name=PDF_NAME, content=b"%PDF-1.7\n%%EOF\n", content_type="application/pdf")


@pytest.fixture
def immediate(settings, tmp_path: Path) -> None:
    """Jobs run as soon as they are queued, in the thread that queues them."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path


def test_a_failed_job_says_why_and_succeeds_when_run_again(
    page: Page, live_demo, immediate, console
) -> None:
    job = job_start(
        actor=live_demo.officer,
        kind="tests.browser.flaky",
        title=TITLE,
        params={"year": 2027},
        organisation=live_demo.council,
    )
    sign_in(page, "officer@kyodo.example")
    page.goto(f"/jobs/{job.pk}/")

    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator("#job-status")).to_contain_text("状態: 失敗")
    expect(page.locator("#job-status")).to_contain_text(
        "印刷用の書体が見つかりませんでした。もう一度お試しください。"
    )
    assert_no_axe_violations(page)

    page.get_by_role("button", name="もう一度実行する").click()
    expect(page.get_by_role("status")).to_contain_text("もう一度実行するよう受け付けました。")
    expect(page.locator("#job-status")).to_contain_text("状態: 完了")
    download = page.get_by_role("link", name=f"ダウンロード: {PDF_NAME}")
    expect(download).to_be_visible()
    expect(page.get_by_role("term").filter(has_text="実行回数")).to_be_visible()
    assert_no_axe_violations(page)

    with page.expect_download() as info:
        download.click()
    assert info.value.suggested_filename == PDF_NAME

    page.get_by_role("link", name="依頼した処理").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("依頼した処理")
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    assert_no_axe_violations(page)
    assert csp_reports(console) == []


def test_a_waiting_job_page_updates_itself_until_the_file_is_ready(
    page: Page, live_demo, settings, tmp_path: Path, console
) -> None:
    settings.MEDIA_ROOT = tmp_path
    # The database backend keeps the job waiting: no worker runs in the tests.
    job = job_start(
        actor=live_demo.officer,
        kind="tests.browser.calendar_pdf",
        title=TITLE,
        params={"year": 2027},
        organisation=live_demo.council,
    )
    sign_in(page, "officer@kyodo.example")
    page.goto(f"/jobs/{job.pk}/")

    status = page.locator("#job-status")
    expect(status).to_contain_text("状態: 待機中")
    expect(page.get_by_role("link", name="再読み込み")).to_be_visible()
    expect(page.get_by_role("progressbar", name="進み具合")).to_have_attribute("value", "0")
    assert_no_axe_violations(page)

    jobs.run(job.pk)  # as the worker would

    expect(status).to_contain_text("状態: 完了", timeout=10_000)
    expect(page.get_by_role("link", name=f"ダウンロード: {PDF_NAME}")).to_be_visible()
    expect(page.get_by_role("link", name="再読み込み")).to_have_count(0)
    expect(page.get_by_role("progressbar", name="進み具合")).to_have_attribute("value", "100")
    assert Job.objects.get(pk=job.pk).status == JobStatus.SUCCEEDED
    assert_no_axe_violations(page)
    assert csp_reports(console) == []
