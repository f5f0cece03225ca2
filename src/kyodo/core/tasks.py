"""Background work shared by every app. Services enqueue with ``transaction.on_commit`` so a
rolled-back change never sends mail.

Every app's ``tasks`` module is imported when Django starts (``CoreConfig.ready``), so the
job runners registered there with ``kyodo.core.jobs.runner`` are known to the worker."""

from __future__ import annotations

from django.core.mail import EmailMultiAlternatives
from django.tasks import task

from kyodo.core import jobs


@task()
def send_mail(
    *,
    subject: str,
    body: str,
    to: list[str],
    html: str = "",
    reply_to: list[str] | None = None,
    attachments: list[tuple[str, str, str]] | None = None,
) -> int:
    """Send one message through Django's mail framework; the worker records failures.
    ``attachments`` are (file name, text content, MIME type), e.g. an .ics invitation."""
    message = EmailMultiAlternatives(subject=subject, body=body, to=to, reply_to=reply_to)
    if html:
        message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments or []:
        message.attach(filename, content, mimetype)
    return message.send()


@task()
def run_job(*, job_id: str) -> None:
    """Run one background job (``kyodo.core.jobs``); the Job row records how it went."""
    jobs.run(job_id)
