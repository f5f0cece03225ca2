"""The JSON API under /api/: one NinjaAPI, its authentication, and the apps' routers.

Reading works for anyone, with what they may see; writing needs a signed-in session (with
its CSRF token) or a personal token sent as ``Authorization: Bearer kyodo_…``. Each operation
checks the object permission from the apps' rules, as the HTML views do.

Every refusal of input has one shape, :class:`ErrorOut`: a sentence and the messages by field
path, in Japanese. A service refuses with 400; input the schema cannot read (a date that is
not a date, a missing field) is refused with 422 before any service runs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, NinjaAPI, Schema
from ninja.errors import ValidationError
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
    description=(
        "会議の記録と、地域の行事・会議のカレンダーの作成・取得・更新・一覧。"
        "会議の記録の書き込みはネットワークの事務局のみ。カレンダーの書き込みは、"
        "その組織の役員・職員・担当者と、会員組織についてはネットワークの事務局のみ。"
    ),
    urls_namespace="api",
    docs_url=None,  # the interactive docs load scripts from a CDN, which our CSP forbids
    openapi_url="/openapi.json",
)


class ErrorOut(Schema):
    detail: str = Field(description="何が起きたかを一文で")
    errors: dict[str, list[str]] = Field(
        default_factory=dict,
        description="項目ごとのメッセージ。キーは項目の位置(例: start_date, venues[1].join_url)、"
        "項目に結び付かないものは __all__",
    )


# What the schema could not read, in the words of the services' own messages. Pydantic's
# English would otherwise reach people who are told every refusal comes in Japanese.
_READ_ERRORS = {
    "missing": "このフィールドは必須です。",
    "date_type": "日付は YYYY-MM-DD の形で入力してください(例: 2026-12-06)。",
    "time_type": "時間は HH:MM の形で入力してください(例: 19:00)。",
    "datetime_type": "日時は YYYY-MM-DDTHH:MM+09:00 の形で入力してください。",
    "int_type": "整数を入力してください。",
    "decimal_type": "数値を入力してください。",
    "float_type": "数値を入力してください。",
    "bool_type": "true か false を指定してください。",
    "string_type": "文字列を入力してください。",
    "list_type": "配列([…])で指定してください。",
    "model_type": "JSON のオブジェクト({…})で送ってください。",
}


def read_error_message(error: Mapping[str, Any]) -> str:
    """One pydantic error in Japanese."""
    kind: str = error.get("type", "")
    context: Mapping[str, Any] = error.get("ctx") or {}
    if kind == "literal_error":
        expected = str(context.get("expected", "")).replace(" or ", ", ")
        return f"次のいずれかを指定してください: {expected}"
    limits = {
        "greater_than_equal": ("ge", "以上"),
        "greater_than": ("gt", "より大きい値"),
        "less_than_equal": ("le", "以下"),
        "less_than": ("lt", "より小さい値"),
    }
    if kind in limits:
        key, words = limits[kind]
        return f"{context.get(key)}{words}にしてください。"
    if kind == "too_long":
        return f"{context.get('max_length')}件以下にしてください。"
    # date_parsing, date_from_datetime_inexact, int_from_float, … share their family's words.
    family = kind.split("_")[0] + "_type"
    return _READ_ERRORS.get(kind) or _READ_ERRORS.get(family) or "値が正しくありません。"


def error_path(location: Sequence[str | int]) -> str:
    """``("body", "payload", "exceptions", 1)`` → ``exceptions[1]``, the services' paths."""
    parts = list(location[1:])
    if location and location[0] == "body" and parts:
        parts = parts[1:]  # the operation's parameter name, which callers never see
    path = ""
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else f".{part}" if path else str(part)
    return path or "__all__"


@api.exception_handler(ValidationError)
def unreadable_input(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        errors.setdefault(error_path(error.get("loc", ())), []).append(read_error_message(error))
    body = {"detail": "入力を読み取れませんでした。", "errors": errors}
    return api.create_response(request, body, status=422)


def register_routers() -> None:
    from kyodo.calendar.api import router as calendar_router
    from kyodo.meetings.api import router as meetings_router

    api.add_router("/", meetings_router)
    api.add_router("/calendar/", calendar_router)


register_routers()
