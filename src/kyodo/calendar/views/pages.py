"""Placeholder until this module is written (calendar issue in progress)."""

from django.http import Http404, HttpRequest, HttpResponse

from kyodo.core.permissions import public


@public
def agenda(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


@public
def entry_detail(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


@public
def entry_ics(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


@public
def feed(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


@public
def month(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


@public
def week(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404
