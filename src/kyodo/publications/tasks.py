"""Background work of the publications: the request to members to check a draft of the
annual calendar, sent to every address as one job with progress (see kyodo.core.jobs).

Each address that was sent is recorded in the audit log against the draft, naming the job,
so retrying a job that failed half way sends only to the addresses that did not get it.
"""

from __future__ import annotations

import csv
import io

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from kyodo.core import audit
from kyodo.core.exports import inert
from kyodo.core.jobs import JobFailed, JobOutput, Progress, runner
from kyodo.core.models import AuditEntry, Job
from kyodo.core.services import site_url
from kyodo.publications.models import AnnualCalendar, CalendarDraft, NewsletterIssue, SheetFormat
from kyodo.publications.queries.annual import review_recipients

REVIEW_MAIL = "publications.review_request_mail"
SENT = "publications.review_mail_sent"


@runner(REVIEW_MAIL)
def review_request_mail(job: Job, progress: Progress) -> JobOutput:
    draft = (
        CalendarDraft.objects.select_related("calendar__council")
        .filter(pk=job.params.get("draft"))
        .first()
    )
    if draft is None:
        raise JobFailed("原稿が見つかりません。削除された可能性があります。")
    calendar = draft.calendar
    recipients = review_recipients(calendar)
    if not recipients:
        raise JobFailed(
            "送り先がありません。加入団体の役員・担当者のメールアドレスを名簿に登録してください。"
        )
    already = set(
        AuditEntry.objects.filter(
            action=SENT, object_type="publications.calendardraft", object_id=str(draft.pk)
        )
        .filter(changes__job=str(job.pk))
        .values_list("changes__to", flat=True)
    )
    url = site_url(reverse("publications:draft", args=[calendar.pk, draft.number]))
    subject = f"【原稿のご確認】{calendar.title}(第{draft.number}稿)"
    report: list[tuple[str, str, str]] = []
    failed: list[str] = []
    for index, (organisation, address) in enumerate(recipients, start=1):
        if address in already:
            report.append((organisation.name, address, "送信済み(前回)"))
            continue
        body = render_to_string(
            "publications/mail/review_request.txt",
            {"organisation": organisation, "calendar": calendar, "draft": draft, "url": url},
        )
        message = EmailMultiAlternatives(subject=subject, body=body, to=[address])
        try:
            message.send()
        except Exception:
            failed.append(address)
            report.append((organisation.name, address, "送信できませんでした"))
        else:
            audit.record(
                actor=job.started_by,
                action=SENT,
                obj=draft,
                changes={"job": str(job.pk), "to": address},
            )
            report.append((organisation.name, address, "送信しました"))
        progress(index * 100 // len(recipients), f"{index}/{len(recipients)}件")
    if failed:
        raise JobFailed(
            f"{len(recipients)}件のうち{len(failed)}件を送信できませんでした"
            f"({'、'.join(failed[:5])}{'ほか' if len(failed) > 5 else ''})。"
            "「もう一度実行」を押すと、送れなかった宛先にだけ送ります。"
        )
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["団体", "メールアドレス", "結果"])
    writer.writerows([[inert(cell) for cell in row] for row in report])
    return JobOutput(
        name=f"原稿確認依頼_送信結果_第{draft.number}稿.csv",
        content=("\ufeff" + buffer.getvalue()).encode(),
        content_type="text/csv",
    )


# --- Print files --------------------------------------------------------------------------

ANNUAL_PDF = "publications.annual_calendar_pdf"
NEWSLETTER_PDF = "publications.newsletter_pdf"


@runner(ANNUAL_PDF)
def annual_calendar_pdf(job: Job, progress: Progress) -> JobOutput:
    """The print file of a calendar's newest draft (the final one once it is final)."""
    from kyodo.publications.pdf import render_annual_calendar  # only the worker needs it

    calendar = (
        AnnualCalendar.objects.select_related("council")
        .filter(pk=job.params.get("calendar"))
        .first()
    )
    sheet = str(job.params.get("sheet", ""))
    if calendar is None:
        raise JobFailed("カレンダーが見つかりません。削除された可能性があります。")
    if sheet not in SheetFormat.values:
        raise JobFailed("用紙の指定が正しくありません。")
    if not calendar.drafts.exists():
        raise JobFailed("原稿がありません。先に原稿を作ってください。")
    content = render_annual_calendar(calendar, sheet, progress=progress)
    label = SheetFormat(sheet).label.split("(")[0].replace(" ", "_")
    return JobOutput(
        name=f"{calendar.title}_{label}.pdf", content=content, content_type="application/pdf"
    )


@runner(NEWSLETTER_PDF)
def newsletter_pdf(job: Job, progress: Progress) -> JobOutput:
    """The A4 two-column print file of a newsletter issue, obituaries as consented."""
    from kyodo.publications.pdf import render_newsletter  # only the worker needs it

    issue = (
        NewsletterIssue.objects.select_related("council").filter(pk=job.params.get("issue")).first()
    )
    if issue is None:
        raise JobFailed("この号が見つかりません。削除された可能性があります。")
    content = render_newsletter(issue, progress=progress)
    return JobOutput(
        name=f"{issue.name}_第{issue.number}号.pdf", content=content, content_type="application/pdf"
    )
