"""Long work in the background: a person starts it, watches its progress on
``/jobs/<id>/``, downloads the file it made, reads why it failed and tries again.

A feature registers a *runner* for a kind of job and starts jobs of that kind::

    # calendar/tasks.py
    from kyodo.core.jobs import JobFailed, JobOutput, Progress, runner

    @runner("calendar.year_pdf")
    def year_pdf(job: Job, progress: Progress) -> JobOutput:
        progress(10, "行事を集めています")
        if not entries:
            raise JobFailed("この年度の行事がまだ登録されていません。")
        ...
        return JobOutput(name="年間行事カレンダー.pdf", content=pdf, content_type="application/pdf")

    # calendar/views.py
    job = job_start(actor=request.user, kind="calendar.year_pdf", title="…",
                    params={"year": 2027}, organisation=organisation)
    return redirect(job)

Runners register when their module is imported. ``CoreConfig.ready()`` imports every installed
app's ``tasks`` module (``autodiscover_modules("tasks")``, as the admin does with ``admin``), so
the web server and ``kyodo db_worker`` know the same kinds: a runner lives in its app's
``tasks.py`` or in a module that ``tasks.py`` imports.

The ``Job`` row is what users see; one task, ``core.tasks.run_job``, runs every kind through
:func:`run`. A runner reports progress with ``progress(percent, note)``, which writes at once
(outside any transaction of the runner's own, so call it there) for the page that polls. It
fails with a message for the person by raising :class:`JobFailed`; any other exception is
logged with its traceback and the person reads a general message.
"""

from __future__ import annotations

import functools
import json
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from kyodo.core import audit
from kyodo.core.models import Job, JobStatus

logger = logging.getLogger(__name__)

UNEXPECTED_ERROR = (
    "処理中に予期しないエラーが発生しました。もう一度お試しください。"
    "繰り返し失敗するときは、サイトの管理者にお問い合わせください。"
)
NOT_QUEUED = "処理の受付に失敗しました。しばらくしてから、もう一度お試しください。"
INTERRUPTED = "処理が途中で中断されました。もう一度お試しください。"
UNKNOWN_KIND = (
    "この種類の処理({kind})は現在のシステムでは実行できません。"
    "サイトの管理者にお問い合わせください。"
)


class JobFailed(Exception):  # noqa: N818 — the name says what happened, as the callers read it
    """Raised by a runner with a message in Japanese that the person should read: what went
    wrong and what they can do about it."""


Progress = Callable[[int, str], None]


@dataclass
class JobOutput:
    """The file a runner made: its download name (Japanese is fine), bytes and MIME type."""

    name: str
    content: bytes
    content_type: str

    def __post_init__(self) -> None:
        # A title may hold 「/」 (みなみ/きた だより): the download name keeps it readable but
        # never names a folder or carries a control character.
        name = "".join("_" if c in "/\\" or ord(c) < 32 else c for c in self.name).strip()
        if not name.strip("._"):
            raise ValueError(f"A job's file needs a name: {self.name!r}")
        stem, dot, extension = name.rpartition(".")
        if dot and len(extension) <= 10 and len(name) > 200:
            name = f"{stem[: 199 - len(extension)]}.{extension}"
        self.name = name[:200]


RunnerFn = Callable[[Job, Progress], JobOutput | None]

_RUNNERS: dict[str, RunnerFn] = {}


def runner(kind: str) -> Callable[[RunnerFn], RunnerFn]:
    """Register ``fn(job, progress)`` as the runner of jobs of ``kind``. It returns a
    :class:`JobOutput` to offer a file, or None when the work leaves none (mail sent)."""

    def register(fn: RunnerFn) -> RunnerFn:
        known = _RUNNERS.get(kind)
        if known is not None and _name(known) != _name(fn):
            raise ValueError(f"Job kind {kind!r} already has a runner: {_name(known)}")
        _RUNNERS[kind] = fn
        return fn

    return register


def _name(fn: RunnerFn) -> str:
    return f"{fn.__module__}.{fn.__qualname__}"


def is_registered(kind: str) -> bool:
    return kind in _RUNNERS


def canonical_params(params: dict[str, Any]) -> dict[str, Any]:
    """``params`` as stored: plain JSON with keys in order, so the same parameters written in
    another order are the same row to :func:`kyodo.core.queries.latest_job` on every database."""
    canonical: dict[str, Any] = json.loads(json.dumps(params, sort_keys=True))
    return canonical


def _enqueue(job_id: uuid.UUID) -> None:
    from kyodo.core.tasks import run_job  # the task module imports this one

    try:
        result = run_job.enqueue(job_id=str(job_id))
    except Exception:
        # The change is committed; a job no worker will ever run must not wait forever.
        logger.exception("Job %s could not be queued.", job_id)
        Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
            status=JobStatus.FAILED, error=NOT_QUEUED, finished_at=timezone.now()
        )
        return
    Job.objects.filter(pk=job_id).update(task_result_id=result.id)


@transaction.atomic
def job_start(
    *, actor: Any, kind: str, title: str, params: dict[str, Any], organisation: Any = None
) -> Job:
    """Record a job of a registered ``kind`` and queue it for the worker.

    Side effects: one audit entry (``job.start``); after commit, the task ``run_job`` is
    enqueued and its result id kept on the job. Raises ValueError for an unknown kind (a
    programming error, not the person's)."""
    if not is_registered(kind):
        raise ValueError(f"No runner is registered for job kind {kind!r}.")
    job = Job(
        kind=kind,
        title=title,
        params=canonical_params(params),
        started_by=actor if getattr(actor, "is_authenticated", False) else None,
        organisation=organisation,
    )
    job.full_clean()
    job.save()
    audit.record(actor=actor, action="job.start", obj=job, changes={"kind": ["", kind]})
    transaction.on_commit(functools.partial(_enqueue, job.pk))
    return job


@transaction.atomic
def job_retry(*, job: Job, actor: Any) -> Job:
    """Run a failed job again from the start, with the same parameters; also a running job
    whose worker has been silent too long (``Job.is_stale``: killed, out of memory).

    Side effects: the job is queued again (progress, note, error and times cleared, attempts
    + 1), one audit entry (``job.retry``); after commit, the task is enqueued. A worker of an
    earlier attempt that wakes up can no longer change the job (its writes name its attempt).
    Raises ValidationError when the job has not failed (it is waiting, working or done)."""
    locked = Job.objects.select_for_update().get(pk=job.pk)
    if locked.status != JobStatus.FAILED and not locked.is_stale():
        raise ValidationError(
            "やり直せるのは失敗した処理だけです。この処理は「%(status)s」です。",
            code="not_failed",
            params={"status": locked.get_status_display()},
        )
    attempts = locked.attempts
    locked.status = JobStatus.QUEUED
    locked.progress = 0
    locked.progress_note = ""
    locked.error = ""
    locked.attempts = attempts + 1
    locked.started_at = None
    locked.heartbeat_at = None
    locked.finished_at = None
    locked.task_result_id = ""
    locked.save()
    audit.record(
        actor=actor,
        action="job.retry",
        obj=locked,
        changes={"attempts": [str(attempts), str(locked.attempts)]},
    )
    transaction.on_commit(functools.partial(_enqueue, locked.pk))
    return locked


def run(job_id: uuid.UUID | str) -> None:
    """Do a queued job: mark it running, call its runner, keep the file it made and mark it
    succeeded, or mark it failed with a reason for the person. A job that is not waiting (run
    already, or by a duplicate task) is left alone. No exception leaves a job running."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=now, heartbeat_at=now, progress=0, progress_note=""
    )
    if not claimed:
        logger.warning("Job %s is not waiting to run; nothing to do.", job_id)
        return
    job = Job.objects.get(pk=job_id)
    fn = _RUNNERS.get(job.kind)
    if fn is None:
        logger.error("Job %s: no runner is registered for kind %r.", job.pk, job.kind)
        _fail(job, UNKNOWN_KIND.format(kind=job.kind))
        return
    try:
        _succeed(job, fn(job, _progress_of(job)))
    except JobFailed as failure:
        _fail(job, str(failure) or UNEXPECTED_ERROR)
    except Exception:
        logger.exception("Job %s (%s, attempt %s) failed.", job.pk, job.kind, job.attempts)
        _fail(job, UNEXPECTED_ERROR)
    except BaseException:
        # The worker is stopping (Ctrl-C, SystemExit): say so, and let it stop.
        _fail(job, INTERRUPTED)
        raise


def _progress_of(job: Job) -> Progress:
    def progress(percent: int, note: str) -> None:
        job.progress = max(0, min(100, int(percent)))
        job.progress_note = note[:200]
        _this_attempt(job).update(
            progress=job.progress, progress_note=job.progress_note, heartbeat_at=timezone.now()
        )

    return progress


def _succeed(job: Job, output: JobOutput | None) -> None:
    values: dict[str, Any] = {}
    if output is not None:
        job.file.save(output.name, ContentFile(output.content), save=False)
        values = {
            "file": job.file.name,
            "file_name": output.name,
            "content_type": output.content_type,
        }
    try:
        updated = _this_attempt(job).update(
            status=JobStatus.SUCCEEDED, progress=100, finished_at=timezone.now(), **values
        )
    except BaseException:
        if output is not None:
            job.file.delete(save=False)  # kept by no row
        raise
    if not updated and output is not None:
        job.file.delete(save=False)


def _this_attempt(job: Job) -> QuerySet[Job]:
    """The job, while this attempt is the one running it (a retry starts another)."""
    return Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, attempts=job.attempts)


def _fail(job: Job, message: str) -> None:
    _this_attempt(job).update(status=JobStatus.FAILED, error=message, finished_at=timezone.now())
