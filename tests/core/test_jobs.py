"""Background jobs: a person starts long work, watches it, downloads the file, reads why it
failed and tries again. The jobs run on Django's immediate task backend, through the same
``run_job`` task the worker runs."""

from __future__ import annotations

import datetime
import logging
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.tasks.backends.dummy import DummyBackend
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from kyodo.core import jobs
from kyodo.core.jobs import JobFailed, JobOutput, Progress, job_retry, job_start, runner
from kyodo.core.models import STALE_JOB_AFTER, AuditEntry, Job, JobStatus
from kyodo.core.queries import latest_job

PDF = b"%PDF-1.7\n% a calendar\n%%EOF\n"
PDF_NAME = "年間行事カレンダー(A3) 令和9年.pdf"
REFUSAL = "令和9年の行事がまだ登録されていません。行事を登録してから、もう一度お試しください。"

# What each runner saw in the database while it ran, by job id.
seen: dict[str, list[Any]] = {}


@runner("tests.calendar_pdf")
def calendar_pdf(job: Job, progress: Progress) -> JobOutput:
    progress(40, "12か月のうち5か月を作成しました")
    seen.setdefault(str(job.pk), []).append(
        Job.objects.values_list("status", "progress", "progress_note").get(pk=job.pk)
    )
    return JobOutput(name=PDF_NAME, content=PDF, content_type="application/pdf")


@runner("tests.refuses")
def refuses(job: Job, progress: Progress) -> JobOutput:
    progress(10, "行事を集めています")
    raise JobFailed(REFUSAL)


@runner("tests.crashes")
def crashes(job: Job, progress: Progress) -> JobOutput:
    raise RuntimeError("the printer caught fire")


@runner("tests.flaky")
def flaky(job: Job, progress: Progress) -> JobOutput:
    if job.attempts == 1:
        raise RuntimeError("the mail server did not answer")
    return JobOutput(name="送信結果.csv", content=b"ok\r\n", content_type="text/csv")


@runner("tests.mails")
def mails(job: Job, progress: Progress) -> None:
    progress(100, "120通を送信しました")


@pytest.fixture(autouse=True)
def _immediate(settings, tmp_path: Path) -> None:
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def start(demo, django_capture_on_commit_callbacks):
    """Start a job as the demo officer for their council and let it run; return it fresh."""

    def start(kind: str, *, actor: Any = None, organisation: Any = "council", **params: Any) -> Job:
        with django_capture_on_commit_callbacks(execute=True):
            job = job_start(
                actor=actor or demo.officer,
                kind=kind,
                title="年間行事カレンダー(A3) 令和9年",
                params=params or {"year": 2027},
                organisation=demo.council if organisation == "council" else organisation,
            )
        job.refresh_from_db()
        return job

    return start


def page(client: Client, job: Job) -> str:
    response = client.get(f"/jobs/{job.pk}/")
    assert response.status_code == 200
    return response.content.decode()


# --- Running ---------------------------------------------------------------------------------


def test_a_successful_job_keeps_its_file_and_reports_progress_as_it_goes(
    start, tmp_path: Path
) -> None:
    job = start("tests.calendar_pdf")

    assert seen[str(job.pk)] == [("running", 40, "12か月のうち5か月を作成しました")]
    assert job.status == JobStatus.SUCCEEDED
    assert (job.progress, job.progress_note) == (100, "12か月のうち5か月を作成しました")
    assert (job.file_name, job.content_type, job.error) == (PDF_NAME, "application/pdf", "")
    assert job.file.name.startswith(f"jobs/{job.created_at:%Y/%m}/{job.pk.hex}-1")
    assert job.file.name.endswith(".pdf")
    assert job.file.name.isascii()
    assert (tmp_path / job.file.name).read_bytes() == PDF
    assert job.task_result_id != ""
    assert job.started_at is not None
    assert job.finished_at is not None
    assert job.started_at <= job.finished_at


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_runs_a_job_and_the_job_names_its_task(
    demo, settings, tmp_path: Path
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    job = job_start(
        actor=demo.officer, kind="tests.calendar_pdf", title="カレンダー", params={"year": 2027}
    )
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED
    task = DBTaskResult.objects.get()
    assert str(task.id) == job.task_result_id

    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)

    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert (tmp_path / job.file.name).read_bytes() == PDF
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_start_is_audited_and_queues_only_after_commit(demo) -> None:
    job = job_start(
        actor=demo.officer, kind="tests.calendar_pdf", title="カレンダー", params={"year": 2027}
    )
    # Without the commit, nothing ran.
    job.refresh_from_db()
    assert (job.status, job.task_result_id) == (JobStatus.QUEUED, "")
    entry = AuditEntry.objects.get(action="job.start")
    assert (entry.actor, entry.object_id, entry.changes) == (
        demo.officer,
        str(job.pk),
        {"kind": ["", "tests.calendar_pdf"]},
    )


def test_a_job_without_a_file_succeeds_with_its_note(start) -> None:
    job = start("tests.mails")
    assert (job.status, job.progress_note, job.file.name) == (
        "succeeded",
        "120通を送信しました",
        "",
    )


def test_job_failed_keeps_the_runners_message_for_the_person(start, client: Client, demo) -> None:
    job = start("tests.refuses")

    assert (job.status, job.error, job.progress) == (JobStatus.FAILED, REFUSAL, 10)
    assert job.finished_at is not None
    assert not job.file
    client.force_login(demo.officer)
    html = page(client, job)
    assert REFUSAL in html
    assert "失敗" in html
    assert f'action="/jobs/{job.pk}/retry"' in html
    assert "hx-get" not in html


def test_an_unexpected_error_is_logged_and_the_person_reads_a_general_message(
    start, caplog
) -> None:
    with caplog.at_level(logging.ERROR, logger="kyodo.core.jobs"):
        job = start("tests.crashes")

    assert job.status == JobStatus.FAILED
    assert job.error == jobs.UNEXPECTED_ERROR
    assert job.error.startswith("処理中に予期しないエラーが発生しました。もう一度お試しください。")
    assert "printer" not in job.error
    assert job.finished_at is not None
    assert Job.objects.filter(status=JobStatus.RUNNING).count() == 0
    [record] = [r for r in caplog.records if r.name == "kyodo.core.jobs"]
    assert str(job.pk) in record.getMessage()
    assert record.exc_info is not None
    assert "the printer caught fire" in str(record.exc_info[1])


def test_a_job_of_a_kind_no_longer_registered_fails_clearly(demo) -> None:
    job = Job.objects.create(kind="tests.withdrawn", title="古い処理", started_by=demo.officer)
    jobs.run(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error == (
        "この種類の処理(tests.withdrawn)は現在のシステムでは実行できません。"
        "サイトの管理者にお問い合わせください。"
    )


class RefusingBackend(DummyBackend):
    """A task queue that is down (the database of the queue, a broker)."""

    def enqueue(self, task: Any, args: Any, kwargs: Any) -> Any:
        raise ConnectionError("the queue is down")


def test_a_job_that_cannot_be_queued_fails_instead_of_waiting_forever(
    start, settings, caplog
) -> None:
    settings.TASKS = {"default": {"BACKEND": f"{__name__}.RefusingBackend"}}
    with caplog.at_level(logging.ERROR, logger="kyodo.core.jobs"):
        job = start("tests.calendar_pdf")
    assert (job.status, job.error, job.task_result_id) == (
        JobStatus.FAILED,
        "処理の受付に失敗しました。しばらくしてから、もう一度お試しください。",
        "",
    )
    assert "could not be queued" in caplog.text


def test_starting_a_kind_without_a_runner_is_refused(demo) -> None:
    with pytest.raises(ValueError, match=r"tests\.unknown"):
        job_start(actor=demo.officer, kind="tests.unknown", title="?", params={})
    assert Job.objects.count() == 0


def test_a_job_runs_once_even_if_its_task_runs_twice(start) -> None:
    job = start("tests.calendar_pdf")
    jobs.run(job.pk)
    assert len(seen[str(job.pk)]) == 1
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED


def test_a_runner_cannot_take_a_kind_registered_by_another() -> None:
    with pytest.raises(ValueError, match="already has a runner"):

        @runner("tests.calendar_pdf")
        def another(job: Job, progress: Progress) -> None:
            return None


# --- Retrying --------------------------------------------------------------------------------


def test_a_failed_job_retried_runs_again_and_succeeds(
    start, client: Client, demo, django_capture_on_commit_callbacks
) -> None:
    job = start("tests.flaky")
    assert (job.status, job.attempts) == (JobStatus.FAILED, 1)
    first_task = job.task_result_id

    client.force_login(demo.officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/jobs/{job.pk}/retry")
    assert (response.status_code, response["Location"]) == (302, f"/jobs/{job.pk}/")

    job.refresh_from_db()
    assert (job.status, job.attempts, job.error) == (JobStatus.SUCCEEDED, 2, "")
    assert job.task_result_id not in ("", first_task)
    assert job.file.name.endswith("-2.csv")
    html = page(client, job)
    assert "もう一度実行するよう受け付けました。" in html
    assert f'href="/jobs/{job.pk}/download"' in html
    assert "実行回数" in html
    entry = AuditEntry.objects.get(action="job.retry")
    assert (entry.actor, entry.changes) == (demo.officer, {"attempts": ["1", "2"]})


def test_retrying_a_job_that_failed_again_counts_the_attempts(start, demo) -> None:
    job = start("tests.refuses")
    retried = job_retry(job=job, actor=demo.officer)
    assert (retried.status, retried.attempts, retried.error, retried.progress) == (
        JobStatus.QUEUED,
        2,
        "",
        0,
    )
    assert retried.finished_at is None
    assert retried.started_at is None


def test_retrying_a_succeeded_job_is_refused(start, client: Client, demo) -> None:
    job = start("tests.calendar_pdf")
    with pytest.raises(ValidationError) as refused:
        job_retry(job=job, actor=demo.officer)
    assert refused.value.messages == [
        "やり直せるのは失敗した処理だけです。この処理は「完了」です。"
    ]

    client.force_login(demo.officer)
    response = client.post(f"/jobs/{job.pk}/retry", follow=True)
    assert "やり直せるのは失敗した処理だけです。" in response.content.decode()
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.SUCCEEDED, 1)
    assert not AuditEntry.objects.filter(action="job.retry").exists()


def test_retry_needs_a_post(start, client: Client, demo) -> None:
    job = start("tests.refuses")
    client.force_login(demo.officer)
    assert client.get(f"/jobs/{job.pk}/retry").status_code == 405


# --- The pages -------------------------------------------------------------------------------


def test_the_download_is_the_file_under_its_japanese_name(start, client: Client, demo) -> None:
    job = start("tests.calendar_pdf")
    client.force_login(demo.officer)

    assert f'href="/jobs/{job.pk}/download"' in page(client, job)
    response = client.get(f"/jobs/{job.pk}/download")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{quote(PDF_NAME)}"
    assert response["Cache-Control"] == "private, no-store"


def test_there_is_nothing_to_download_until_the_job_succeeds(start, client: Client, demo) -> None:
    client.force_login(demo.officer)
    assert client.get(f"/jobs/{start('tests.refuses').pk}/download").status_code == 404
    assert client.get(f"/jobs/{start('tests.mails').pk}/download").status_code == 404


def test_a_waiting_job_page_polls_and_says_how_to_reload(client: Client, demo) -> None:
    job = job_start(actor=demo.officer, kind="tests.calendar_pdf", title="カレンダー", params={})
    client.force_login(demo.officer)

    html = page(client, job)
    assert f'hx-get="/jobs/{job.pk}/" hx-trigger="every 2s" hx-swap="innerHTML"' in html
    assert 'aria-live="polite"' in html
    assert f'<a id="job-reload" href="/jobs/{job.pk}/">再読み込み</a>' in html
    assert '<progress id="job-progress" max="100" value="0">0%</progress>' in html
    assert "<script>" not in html
    assert "http-equiv" not in html

    partial = client.get(f"/jobs/{job.pk}/", headers={"HX-Request": "true"})
    assert partial.status_code == 200
    assert "待機中" in partial.content.decode()
    assert "<h1>" not in partial.content.decode()

    jobs.run(job.pk)
    done = client.get(f"/jobs/{job.pk}/", headers={"HX-Request": "true"})
    # 286 tells htmx to stop polling; it still shows the answer.
    assert done.status_code == 286
    assert "完了" in done.content.decode()
    assert f'href="/jobs/{job.pk}/download"' in done.content.decode()


def test_my_jobs_lists_the_jobs_i_started(start, client: Client, demo) -> None:
    mine = start("tests.calendar_pdf")
    failed = start("tests.refuses")
    start("tests.calendar_pdf", actor=demo.secretary)
    client.force_login(demo.officer)

    response = client.get("/jobs/")
    html = response.content.decode()
    assert html.count('href="/jobs/') == 2
    assert f'<a href="/jobs/{mine.pk}/">年間行事カレンダー(A3) 令和9年</a>' in html
    assert f'href="/jobs/{failed.pk}/"' in html
    assert "完了" in html
    assert "失敗" in html
    assert "100%" in html


def test_my_jobs_needs_a_login(client: Client) -> None:
    response = client.get("/jobs/")
    assert (response.status_code, response["Location"]) == (302, "/accounts/login/?next=/jobs/")


# --- Who may see ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who",
    [
        "officer",  # edits the council it was done for
        "admin",
    ],
)
def test_editors_of_the_organisation_and_admins_see_the_job(
    start, client: Client, demo, who: str
) -> None:
    job = start("tests.refuses", actor=demo.secretary)
    client.force_login(getattr(demo, who))
    assert REFUSAL in page(client, job)
    assert client.post(f"/jobs/{job.pk}/retry").status_code == 302


@pytest.mark.parametrize("who", ["resident", "staff"])
def test_others_may_not_see_download_or_retry_a_job(start, client: Client, demo, who) -> None:
    done = start("tests.calendar_pdf")
    failed = start("tests.refuses")
    client.force_login(getattr(demo, who))

    assert client.get(f"/jobs/{done.pk}/").status_code == 403
    assert client.get(f"/jobs/{done.pk}/download").status_code == 403
    assert client.post(f"/jobs/{failed.pk}/retry").status_code == 403
    failed.refresh_from_db()
    assert failed.attempts == 1


def test_a_starter_who_left_the_organisation_no_longer_sees_or_retries_its_job(
    start, client: Client, demo
) -> None:
    job = start("tests.refuses")
    demo.officer.person.memberships.update(starts_on=None, ends_on=datetime.date(2000, 1, 1))
    client.force_login(demo.officer)
    assert client.get(f"/jobs/{job.pk}/").status_code == 403
    assert client.post(f"/jobs/{job.pk}/retry").status_code == 403
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.FAILED, 1)


def test_a_job_for_no_organisation_is_only_the_starters(start, client: Client, demo) -> None:
    job = start("tests.calendar_pdf", actor=demo.resident, organisation=None)
    client.force_login(demo.officer)
    assert client.get(f"/jobs/{job.pk}/").status_code == 403
    client.force_login(demo.resident)
    assert client.get(f"/jobs/{job.pk}/").status_code == 200


def test_anonymous_visitors_are_sent_to_log_in(start, client: Client) -> None:
    job = start("tests.calendar_pdf")
    for url in (f"/jobs/{job.pk}/", f"/jobs/{job.pk}/download"):
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (
            302,
            f"/accounts/login/?next={quote(url)}",
        )
    assert client.post(f"/jobs/{job.pk}/retry").status_code == 302


def test_an_unknown_job_is_not_found(client: Client, demo) -> None:
    client.force_login(demo.officer)
    assert client.get("/jobs/00000000-0000-4000-8000-000000000000/").status_code == 404


# --- Queries ---------------------------------------------------------------------------------


def _many_jobs(demo: Any, count: int) -> None:
    now = timezone.now()
    Job.objects.bulk_create(
        Job(
            kind="tests.calendar_pdf",
            title=f"カレンダー {number}",
            params={"year": 2000 + number},
            started_by=demo.officer,
            organisation=demo.council,
            status=JobStatus.SUCCEEDED,
            progress=100,
            created_at=now - datetime.timedelta(minutes=number),
            started_at=now,
            finished_at=now,
        )
        for number in range(count)
    )


@pytest.mark.parametrize("count", [1, 50])
def test_my_jobs_costs_the_same_queries_for_1_and_50_jobs(
    client: Client, demo, django_assert_num_queries, count: int
) -> None:
    _many_jobs(demo, count)
    client.force_login(demo.officer)
    with django_assert_num_queries(3):  # session, user, jobs
        response = client.get("/jobs/")
    assert response.content.decode().count("カレンダー ") == count


@pytest.mark.parametrize("count", [1, 50])
def test_a_job_page_costs_the_same_queries_for_1_and_50_jobs(
    client: Client, demo, django_assert_num_queries, count: int
) -> None:
    _many_jobs(demo, count)
    job = Job.objects.order_by("created_at").first()
    assert job is not None
    client.force_login(demo.officer)
    # Session, user, the job with its organisation, and the officer's roles (two).
    with django_assert_num_queries(5):
        html = page(client, job)
    assert demo.council.name in html


def test_latest_job_matches_the_parameters_exactly_in_one_query(
    start, demo, django_assert_num_queries
) -> None:
    start("tests.calendar_pdf", year=2027, size="A3")
    newest = start("tests.refuses", year=2027, size="A3")
    again = start("tests.calendar_pdf", size="A3", year=2027)
    start("tests.calendar_pdf", year=2027, size="A4")

    with django_assert_num_queries(1):
        found = latest_job("tests.calendar_pdf", {"year": 2027, "size": "A3"})
    assert found == again
    assert latest_job("tests.refuses", {"size": "A3", "year": 2027}) == newest
    assert latest_job("tests.calendar_pdf", {"year": 2027}) is None
    assert latest_job("tests.mails", {"year": 2027, "size": "A3"}) is None


# --- A worker that died -----------------------------------------------------------------------


def test_a_job_whose_worker_died_can_be_tried_again(start, client: Client, demo) -> None:
    job = start("tests.calendar_pdf")
    silent = timezone.now() - STALE_JOB_AFTER - datetime.timedelta(minutes=1)
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING,
        progress=40,
        file="",
        file_name="",
        content_type="",
        finished_at=None,
        started_at=silent,
        heartbeat_at=silent,
    )
    client.force_login(demo.officer)
    html = page(client, job)
    assert "処理が止まっているようです" in html
    assert "もう一度実行する" in html
    # The stuck attempt's worker comes back to life and reports: it no longer owns the job.
    stuck = Job.objects.get(pk=job.pk)
    job_retry(job=stuck, actor=demo.officer)  # queued again; its task runs after commit
    jobs._progress_of(stuck)(90, "古い処理")
    jobs._fail(stuck, "古い処理の失敗")
    fresh = Job.objects.get(pk=job.pk)
    assert (fresh.status, fresh.attempts, fresh.progress, fresh.error) == (
        JobStatus.QUEUED, 2, 0, ""
    )  # fmt: skip


def test_a_running_job_that_reports_progress_cannot_be_retried(start, demo) -> None:
    job = start("tests.calendar_pdf")
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, file="", file_name="", content_type="", finished_at=None,
        started_at=timezone.now() - STALE_JOB_AFTER * 3, heartbeat_at=timezone.now(),
    )  # fmt: skip
    with pytest.raises(ValidationError):
        job_retry(job=Job.objects.get(pk=job.pk), actor=demo.officer)


def test_a_poll_that_finds_nothing_new_swaps_nothing(client: Client, demo) -> None:
    job = job_start(
        actor=demo.officer, kind="tests.calendar_pdf", title="待機中の処理", params={},
        organisation=demo.council,
    )  # fmt: skip
    client.force_login(demo.officer)
    first = client.get(f"/jobs/{job.pk}/", headers={"HX-Request": "true"})
    assert first.status_code == 200
    seen = first.content.decode().split('name="seen" value="')[1].split('"')[0]
    again = client.get(f"/jobs/{job.pk}/", {"seen": seen}, headers={"HX-Request": "true"})
    assert (again.status_code, again.content) == (204, b"")
    Job.objects.filter(pk=job.pk).update(progress_note="並べています")
    changed = client.get(f"/jobs/{job.pk}/", {"seen": seen}, headers={"HX-Request": "true"})
    assert changed.status_code == 200
    assert "並べています" in changed.content.decode()


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("みなみ/きた だより_第3号.pdf", "みなみ_きた だより_第3号.pdf"),
        ("a\\b\nc.pdf", "a_b_c.pdf"),
        ("長" * 300 + ".pdf", "長" * 196 + ".pdf"),
    ],
)
def test_a_file_name_with_a_slash_or_control_character_is_made_safe(given, kept) -> None:
    assert JobOutput(name=given, content=b"x", content_type="application/pdf").name == kept


def test_a_file_needs_a_name() -> None:
    with pytest.raises(ValueError, match="needs a name"):
        JobOutput(name="/", content=b"x", content_type="application/pdf")
