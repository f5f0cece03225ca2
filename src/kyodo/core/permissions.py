"""Every view declares what it needs, with one of these decorators.

A test walks every URL pattern and fails when a view carries no declaration, so a new page
cannot be added without saying who may see it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Literal

import rules
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase

Access = Literal["public", "authenticated"] | str
ACCESS_ATTRIBUTE = "kyodo_access"


def _declare(view: Any, access: Access) -> Any:
    setattr(view, ACCESS_ATTRIBUTE, access)
    return view


def public[View: Callable[..., HttpResponseBase]](view: View) -> View:
    """Anyone, signed in or not."""
    return _declare(view, "public")  # type: ignore[no-any-return]


def _deny(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


def login_required[View: Callable[..., HttpResponseBase]](view: View) -> View:
    """Any signed-in account (a resident or more)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return _deny(request)
        return view(request, *args, **kwargs)

    return _declare(wrapper, "authenticated")  # type: ignore[no-any-return]


def requires[View: Callable[..., HttpResponseBase]](perm: str) -> Callable[[View], View]:
    """A permission that does not depend on an object (for example, adding an organisation)."""

    def decorator(view: View) -> View:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.has_perm(perm):
                return _deny(request)
            return view(request, *args, **kwargs)

        return _declare(wrapper, perm)  # type: ignore[no-any-return]

    return decorator


def has_object_perm(user: Any, perm: str, obj: Any, *, personal_data: bool = False) -> bool:
    """``user.has_perm``, except that for ``personal_data`` the rule alone decides: Django
    grants a superuser every permission, but an area's personal data is for the people who
    work with it, not for whoever runs the site."""
    if personal_data:
        return bool(getattr(user, "is_active", False)) and bool(
            rules.has_perm(perm, user, obj)  # type: ignore[no-untyped-call]
        )
    return bool(user.has_perm(perm, obj))


def requires_object[View: Callable[..., HttpResponseBase]](
    perm: str, *, load: Callable[..., Any], personal_data: bool = False
) -> Callable[[View], View]:
    """A permission on the object named by the URL.

    ``load`` receives the URL keyword arguments and returns the object (raising Http404 when
    absent); the view receives the object instead of its keys, so it can only act on an
    object whose permission was checked. With ``personal_data`` the site administrator gets
    no exception from the rule (see :func:`has_object_perm`).
    """

    def decorator(view: View) -> View:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            obj = load(**kwargs)
            if not has_object_perm(request.user, perm, obj, personal_data=personal_data):
                return _deny(request)
            return view(request, obj, *args)

        return _declare(wrapper, perm)  # type: ignore[no-any-return]

    return decorator
