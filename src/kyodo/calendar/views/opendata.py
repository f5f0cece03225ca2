"""Placeholder until this module is written (calendar issue in progress)."""

from django.http import Http404, HttpRequest, HttpResponse

from kyodo.core.permissions import public


@public
def entries_import(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


@public
def event_csv(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


@public
def opendata(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404
