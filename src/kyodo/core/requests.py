"""Small facts about the request, shared by the views of every app."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest


def is_htmx(request: HttpRequest) -> bool:
    """The request is htmx's partial update, answered with a template partial."""
    return request.headers.get("HX-Request") == "true"


def report_refusal(request: HttpRequest, error: ValidationError) -> None:
    """Tell the person, on the next page, each reason a service refused a button's action
    (a form-less POST: publish, delete, finalise)."""
    for problem in error.messages:
        messages.error(request, problem)
