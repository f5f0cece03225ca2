"""Every URL's view says who may use it; a view with no declaration fails here."""

from collections.abc import Iterator
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

from kyodo.core.permissions import ACCESS_ATTRIBUTE

# Django's admin checks its own permission; KyodoAdminSite limits it to site administrators
# (tested in test_admin.py).
SELF_GUARDED_NAMESPACES = {"admin"}


def walk(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in SELF_GUARDED_NAMESPACES:
                continue
            yield from walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def test_every_view_declares_who_may_use_it() -> None:
    routes = list(walk(get_resolver().url_patterns))
    undeclared = [route for route, view in routes if not hasattr(view, ACCESS_ATTRIBUTE)]
    assert undeclared == []
    # The walk really reached the application's pages.
    assert {"", "organisations/<int:pk>/edit/", "networks/<slug:slug>/members/"} <= {
        route for route, _view in routes
    }


def test_editing_views_declare_the_object_permission() -> None:
    access = {
        route: getattr(view, ACCESS_ATTRIBUTE) for route, view in walk(get_resolver().url_patterns)
    }
    assert access["organisations/<int:pk>/edit/"] == "directory.change_organisation"
    assert access["organisations/new/"] == "directory.add_organisation"
    assert access["organisations/<int:pk>/feedback/"] == "core.view_page_feedback"
    assert access[""] == "public"
