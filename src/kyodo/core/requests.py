"""Small facts about the request, shared by the views of every app."""

from __future__ import annotations

from django.http import HttpRequest


def is_htmx(request: HttpRequest) -> bool:
    """The request is htmx's partial update, answered with a template partial."""
    return request.headers.get("HX-Request") == "true"
