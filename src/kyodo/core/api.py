"""The JSON API under /api/: one NinjaAPI, its authentication, and the apps' routers.

Reading works for anyone, with what they may see; writing needs a signed-in session (with
its CSRF token) or a personal token sent as ``Authorization: Bearer kyodo_…``. Each operation
checks the object permission from the apps' rules, as the HTML views do.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.security import APIKeyCookie, HttpBearer, SessionAuth

from kyodo.core.services import api_token_user


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_user(token)
        if user is not None:
            request.user = user
        return user


class OptionalSession(APIKeyCookie):
    """Lets anonymous readers through; a signed-in session is used when there is one."""

    param_name = "sessionid"

    def _get_key(self, request: HttpRequest) -> Any:
        return True

    def authenticate(self, request: HttpRequest, key: Any) -> Any:
        return request.user


WRITE_AUTH = [TokenAuth(), SessionAuth()]
READ_AUTH = [TokenAuth(), OptionalSession(csrf=False)]

api = NinjaAPI(
    title="kyodo API",
    version="1",
    description="会議の記録の作成・取得・更新・一覧。書き込みはネットワークの事務局のみ。",
    urls_namespace="api",
    docs_url=None,  # the interactive docs load scripts from a CDN, which our CSP forbids
    openapi_url="/openapi.json",
)


def register_routers() -> None:
    from kyodo.meetings.api import router as meetings_router

    api.add_router("/", meetings_router)


register_routers()
