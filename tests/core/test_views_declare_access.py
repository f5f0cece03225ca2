"""Every URL's view says who may use it; a view with no declaration fails here."""

from collections.abc import Iterator
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

from kyodo.core.permissions import ACCESS_ATTRIBUTE

# Django's admin checks its own permission; KyodoAdminSite limits it to site administrators
# (tested in test_admin.py). The JSON API declares authentication per operation (tested below).
SELF_GUARDED_NAMESPACES = {"admin", "api"}


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


def test_every_api_operation_declares_authentication_and_writes_need_a_login() -> None:
    from kyodo.core.api import READ_AUTH, WRITE_AUTH, api

    operations = [
        (method, path, operation)
        for prefix, router in api._routers
        for path, path_view in router.path_operations.items()
        for operation in path_view.operations
        for method in operation.methods
    ]
    assert len(operations) >= 4
    for method, path, operation in operations:
        expected = READ_AUTH if method == "GET" else WRITE_AUTH
        assert operation.auth_callbacks == expected, f"{method} {path}"
