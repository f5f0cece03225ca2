"""Demo meetings: the network's 令和2年度第3回会議 exactly as its results were published, and a
meeting of the current year copied from it and open for registration."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction

from kyodo.core.dates import TOKYO
from kyodo.directory.models import Network
from kyodo.meetings import services
from kyodo.meetings.models import Meeting, MeetingStatus

SEED_MEETING: dict[str, Any] = {
    "fiscal_year": 2020,
    "ordinal": 3,
    "kind": "会議",
    "starts_at": "2020-11-19T09:30:00+09:00",
    "ends_at": "2020-11-19T12:00:00+09:00",
    "theme": "地域と行政の協働の考え方と手法",
    "content": "事例紹介,トークセッション",
    "attendee_description": "市町村,県地域振興局・支庁等の担当職員",
    "attendee_count_manual": 51,
    "status": MeetingStatus.HELD,
    "venues": [
        {
            "kind": "online",
            "name": "鹿児島県庁",
            "online_tool": "Zoom",
            "join_url": "https://meet.kyodo.example/j/2020-3",
        }
    ],
    "people": [
        {
            "role": "コーディネーター",
            "name": "山浦陽一",
            "affiliation": "大分大学経済学部准教授,(一社)コミュニティサポートおおいた理事",
        },
        {"role": "講師(事例紹介者)", "affiliation": "宮城県大崎市職員"},
    ],
    "programme": [
        {"title": "開会・課長あいさつ"},
        {"title": "前回の振り返り,趣旨説明"},
        {"title": "講演"},
        {"title": "ブレイクアウトセッション(感想共有)"},
        {"title": "質疑応答"},
        {"title": "総括"},
        {"title": "閉会・課長あいさつ"},
    ],
    "sections": [
        {
            "placement": "summary",
            "body": (
                "第3回会議は,Web会議ツールZoomを使用し,「地域と行政の協働の考え方と手法」をテーマに,"
                "第2回に引き続き,大分大学経済学部准教授で,一般社団法人コミュニティサポートおおいた"
                "理事の山浦陽一氏をコーディネーターとして,宮城県大崎市の事例紹介及びグループワークを"
                "行いました。"
            ),
        },
        {
            "placement": "programme",
            "heading": "講演",
            "body": (
                "講師の経験から見えてきた「協働をめぐる課題」や大崎市の新たな地域コミュニティの仕組み"
                "づくり「大崎市地域自治体制整備実証事業」,地域コミュニティの取組事例を通して,"
                "地域主体の課題解決と行政との協働を進めていくためのポイントを御紹介いただきました。"
            ),
        },
        {
            "placement": "closing",
            "heading": "総括",
            "body": (
                "大崎市では,地域がやりたいことをまず応援し,サポートする。それが,地域の自主性を"
                "育て,行政がやりたいことやメリットになることにも繋がっている。"
            ),
        },
    ],
}

# The published page of the seed meeting was last updated on 2022-12-07.
SEED_PUBLISHED_AT = datetime.datetime(2022, 12, 7, 9, 0, tzinfo=TOKYO)


@transaction.atomic
def load(network: Network) -> None:
    if Meeting.objects.filter(network=network).exists():
        return
    seed = services.meeting_save_record(network=network, record=SEED_MEETING, actor=None)
    services.meeting_publish(meeting=seed, actor=None, published_at=SEED_PUBLISHED_AT)
    upcoming = services.meeting_copy(meeting=seed, actor=None, fiscal_year=2026)
    services.meeting_save_record(
        network=network,
        meeting=upcoming,
        actor=None,
        record={
            **SEED_MEETING,
            "fiscal_year": 2026,
            "ordinal": upcoming.ordinal,
            "starts_at": "2027-01-21T13:30:00+09:00",
            "ends_at": "2027-01-21T16:00:00+09:00",
            "theme": "地域コミュニティの担い手づくり",
            "attendee_count_manual": None,
            "capacity": 80,
            "registration_deadline": "2027-01-14T17:00:00+09:00",
            "status": MeetingStatus.OPEN,
            "people": [
                {
                    "role": "コーディネーター",
                    "name": "山浦陽一",
                    "affiliation": SEED_MEETING["people"][0]["affiliation"],
                }
            ],
            "sections": [],
            "venues": [
                {"kind": "physical", "name": "鹿児島県庁", "address": "鹿児島市鴨池新町10番1号"},
                {
                    "kind": "online",
                    "online_tool": "Zoom",
                    "join_url": "https://meet.kyodo.example/j/2026-1",
                },
            ],
        },
    )
