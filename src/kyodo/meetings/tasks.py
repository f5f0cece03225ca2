"""Background work of meetings: the PDF of each published results page."""

from __future__ import annotations

from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.tasks import task
from django.template.loader import render_to_string

from kyodo.meetings.models import Revision


@task()
def render_results_pdf(*, revision_id: int) -> str:
    """Render a revision of the results page as an A4 PDF with Japanese fonts embedded and
    keep it with the revision. Returns the stored file name."""
    from weasyprint import CSS, HTML  # imported here: only the worker needs it

    revision = Revision.objects.select_related("meeting__network__secretariat__parent").get(
        pk=revision_id
    )
    html = render_to_string("meetings/results_pdf.html", {"revision": revision})
    stylesheet = finders.find("kyodo/print.css")
    pdf = HTML(string=html).write_pdf(stylesheets=[CSS(filename=stylesheet)])
    name = f"meeting-{revision.meeting_id}-rev{revision.number}.pdf"
    revision.pdf.save(name, ContentFile(pdf), save=False)
    stored = revision.pdf.name or ""
    Revision.objects.filter(pk=revision.pk).update(pdf=stored)
    return stored
