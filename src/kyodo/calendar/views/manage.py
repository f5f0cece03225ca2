"""Placeholder until this module is written (calendar issue in progress)."""

from django.http import Http404, HttpRequest, HttpResponse

from kyodo.core.permissions import public


@public
def entry_create(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


@public
def entry_delete(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


@public
def entry_edit(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


@public
def entry_status(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


@public
def manage(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404
