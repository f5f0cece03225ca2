"""Fixtures of the newsletter's tests, imported by each test module (kept out of conftest.py,
which the annual calendar's tests own)."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from kyodo.directory import services as directory
from kyodo.directory.models import MembershipRole, Organisation, OrganisationKind, User
from kyodo.publications.models import NewsletterIssue
from kyodo.publications.services import newsletter as services

ISSUE_DATE = datetime.date(2026, 12, 1)
CONSENT_DAY = datetime.date(2026, 11, 20)
# A day the tests read pages on: within every obituary's default web period.
READING_DAY = datetime.date(2026, 12, 10)
MOURNER = "鳴子 花子"


def png(size: tuple[int, int] = (8, 6)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


def upload(name: str = "mochi.png", content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png() if content is None else content, "image/png")


def article(**changes: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "heading": "餅つき大会を開きました",
        "body": "12月の第1日曜日に公民館で餅つき大会を開き、120人が参加しました。",
        "image_alt": "",
        "caption": "",
    }
    row.update(changes)
    return row


def notice(**changes: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "kind": "celebration",
        "title": "金婚の集い",
        "body": "結婚50年を迎えたご夫婦をお祝いします。1月15日 公民館にて。",
        "organisation": None,
    }
    row.update(changes)
    return row


def obituary(*, consent: bool = True, **changes: Any) -> dict[str, Any]:
    """An obituary whose family agreed to show everything but the chief mourner (left
    empty, as the service requires)."""
    row: dict[str, Any] = {
        "kind": "obituary",
        "title": "",
        "body": "",
        "deceased_name": "鳴子 太郎",
        "age": 88,
        "area": "鳴子温泉 湯元",
        "died_on": datetime.date(2026, 11, 18),
        "funeral": "11月22日 午前10時 鳴子斎場",
        "chief_mourner": "",
    }
    if consent:
        row.update(
            consent_by=MOURNER,
            consent_relation="長女",
            consent_on=CONSENT_DAY,
            consent_fields=["deceased_name", "age", "area", "died_on", "funeral"],
        )
    row.update(changes)
    return row


def save(
    issue: NewsletterIssue,
    actor: User,
    *,
    articles: list[dict[str, Any]] | None = None,
    notices: list[dict[str, Any]] | None = None,
    **values: Any,
) -> NewsletterIssue:
    return services.newsletter_issue_save(
        issue=issue,
        values=values,
        articles=articles if articles is not None else [article()],
        notices=notices if notices is not None else [],
        actor=actor,
        today=READING_DAY,
    )


@pytest.fixture(autouse=True)
def _media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def make_issue(demo):
    """A saved issue of the demo council, published unless told otherwise."""

    def make(
        *,
        publish: bool = True,
        council: Organisation | None = None,
        number: int | None = None,
        articles: list[dict[str, Any]] | None = None,
        notices: list[dict[str, Any]] | None = None,
    ) -> NewsletterIssue:
        issue = services.newsletter_issue_create(
            council=council or demo.council,
            issue_date=ISSUE_DATE,
            number=number,
            actor=demo.officer,
        )
        save(issue, demo.officer, articles=articles, notices=notices)
        if publish:
            services.newsletter_issue_publish(issue=issue, actor=demo.officer)
        issue.refresh_from_db()
        return issue

    return make


@pytest.fixture
def other_council(demo) -> tuple[Organisation, User]:
    """Another council of the city, with its own officer."""
    council = directory.organisation_create(
        actor=None,
        kind=OrganisationKind.COMMUNITY_COUNCIL,
        name="(テスト)きた校区コミュニティ協議会",
        kana="きたこうくこみゅにてぃきょうぎかい",
        parent=demo.kagoshima_city,
    )
    user = directory.user_create(
        actor=None, email="kita@kyodo.example", name="北 次郎", password="kyodo-demo"
    )
    person = directory.person_create(actor=None, family_name="北", given_name="次郎", user=user)
    directory.membership_create(
        actor=None, person=person, organisation=council, role=MembershipRole.OFFICER, title="会長"
    )
    return council, user


@pytest.fixture
def member_officer(demo) -> User:
    """An officer of a neighbourhood association that belongs to the demo council."""
    association = Organisation.objects.get(name="(デモ)みなみ一丁目町内会")
    user = directory.user_create(
        actor=None, email="chonai@kyodo.example", name="町内 三郎", password="kyodo-demo"
    )
    person = directory.person_create(actor=None, family_name="町内", given_name="三郎", user=user)
    directory.membership_create(
        actor=None,
        person=person,
        organisation=association,
        role=MembershipRole.OFFICER,
        title="会長",
    )
    return user
