"""Demo entries of the demo council, one of its associations and the NPO, placed around the
day the demo is loaded so the calendar always has something this month and next. All
people and groups are invented and marked (デモ)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from kyodo.calendar import services
from kyodo.calendar.models import EntryKind, EntryStatus, ObserverPolicy, Repeat
from kyodo.calendar.queries import add_months
from kyodo.directory.models import Organisation

COUNCIL = "(デモ)みなみ校区コミュニティ協議会"
ASSOCIATION = "(デモ)みなみ一丁目町内会"
NPO = "(デモ)NPO法人みなみ地域づくりサポート"
HALL = {
    "venue_name": "(デモ)みなみ地区公民館",
    "address": "鹿児島県鹿児島市みなみ町1番1号",
    "latitude": "31.596554",
    "longitude": "130.557116",
    "access": "市電「みなみ町」電停から徒歩5分",
    "parking": "10台(満車の場合は近隣の有料駐車場をご利用ください)",
}
CONTACT = {"contact_name": "みなみ校区コミュニティ協議会 事務局", "contact_phone": "099-000-0000"}


def nth_weekday(month: datetime.date, weekday: int, nth: int) -> datetime.date:
    """The nth (1-based) given weekday (Monday 0) of the month."""
    first = month.replace(day=1)
    return first + datetime.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))


def _entries(today: datetime.date) -> list[tuple[str, dict[str, Any], list[datetime.date], str]]:
    """(organisation, values, exception dates, status) of each demo entry."""
    this = today.replace(day=1)
    following, later = add_months(this, 1), add_months(this, 2)
    board_start = nth_weekday(this, 1, 2)  # second Tuesday
    sweep_start = nth_weekday(this, 6, 1)  # first Sunday
    until = add_months(this, 6) - datetime.timedelta(days=1)
    time = datetime.time
    return [
        (
            COUNCIL,
            {
                "kind": EntryKind.MEETING,
                "title": "定例役員会",
                "title_kana": "ていれいやくいんかい",
                "start_date": board_start,
                "end_date": board_start,
                "start_time": time(19, 0),
                "end_time": time(20, 30),
                "repeat": Repeat.MONTHLY_WEEKDAY,
                "repeat_until": until,
                "description": "協議会の役員が毎月の事業の進み具合と各部会の報告を共有します。",
                "agenda": "1. 各部会の報告\n2. 年間行事カレンダーの広告募集について\n3. その他",
                "observer_policy": ObserverPolicy.ADVANCE,
                "observer_how": "開催日の3日前までに事務局(099-000-0000)へお電話ください。"
                "傍聴席は5席です。",
                "building": "2階 研修室",
                **HALL,
                **CONTACT,
            },
            [nth_weekday(add_months(this, 3), 1, 2)],
            EntryStatus.PUBLISHED,
        ),
        (
            COUNCIL,
            {
                "kind": EntryKind.EVENT,
                "title": "校区一斉清掃",
                "title_kana": "こうくいっせいせいそう",
                "start_date": sweep_start,
                "end_date": sweep_start,
                "start_time": time(8, 0),
                "end_time": time(9, 0),
                "repeat": Repeat.MONTHLY_WEEKDAY,
                "repeat_until": until,
                "date_note": "雨天の場合は中止します。",
                "description": "校区内の道路・公園・河川敷を各町内会で分担して清掃します。"
                "軍手とごみ袋は各町内会で用意します。",
                "venue_name": "校区内の各町内会の集合場所",
                "address": "鹿児島県鹿児島市みなみ町",
                "fee_amount": 0,
                **CONTACT,
            },
            [nth_weekday(add_months(this, 2), 6, 1)],
            EntryStatus.PUBLISHED,
        ),
        (
            COUNCIL,
            {
                "kind": EntryKind.MEETING,
                "title": "年間行事カレンダー編集委員会",
                "title_kana": "ねんかんぎょうじかれんだーへんしゅういいんかい",
                "start_date": today + datetime.timedelta(days=10),
                "end_date": today + datetime.timedelta(days=10),
                "start_time": time(18, 30),
                "end_time": time(20, 0),
                "description": "来年の年間行事カレンダーの原稿と広告枠を確認します。",
                "agenda": "1. 各町内会の行事予定の確認\n2. 広告主と掲載位置",
                "observer_policy": ObserverPolicy.CLOSED,
                "observer_how": "広告主との契約内容を扱うため傍聴できません。",
                "building": "1階 会議室",
                **HALL,
                **CONTACT,
            },
            [],
            EntryStatus.PUBLISHED,
        ),
        (
            COUNCIL,
            {
                "kind": EntryKind.EVENT,
                "title": "子ども会クリスマス会",
                "title_kana": "こどもかいくりすますかい",
                "start_date": today + datetime.timedelta(days=14),
                "end_date": today + datetime.timedelta(days=14),
                "start_time": time(13, 0),
                "end_time": time(15, 0),
                "description": "校区の子ども会合同のお楽しみ会です。"
                "ゲームと手作りのおやつがあります。",
                "fee_amount": 300,
                "fee_detail": "子ども1人300円(保護者は無料)",
                "capacity": 40,
                "apply_by_date": today + datetime.timedelta(days=7),
                "apply_method": "各町内会の子ども会育成会長へ申し込んでください。",
                "building": "1階 ホール",
                **HALL,
                **CONTACT,
            },
            [],
            EntryStatus.PUBLISHED,
        ),
        (
            COUNCIL,
            {
                "kind": EntryKind.EVENT,
                "title": "もちつき大会",
                "title_kana": "もちつきたいかい",
                "start_date": today + datetime.timedelta(days=21),
                "end_date": today + datetime.timedelta(days=21),
                "start_time": time(9, 30),
                "end_time": time(12, 0),
                "description": "地域の皆さんでもちをつき、高齢者の方にお届けします。",
                "venue_name": "(デモ)みなみ小学校 運動場",
                "address": "鹿児島県鹿児島市みなみ町2番2号",
                **CONTACT,
            },
            [],
            EntryStatus.CANCELLED,
        ),
        (
            COUNCIL,
            {
                "kind": EntryKind.MEETING,
                "title": "校区総会",
                "title_kana": "こうくそうかい",
                "start_date": nth_weekday(later, 6, 3),
                "end_date": nth_weekday(later, 6, 3),
                "start_time": time(10, 0),
                "end_time": time(12, 0),
                "description": "事業報告・決算、事業計画・予算、役員の選任を審議します。",
                "agenda": "1. 事業報告・決算\n2. 事業計画・予算\n3. 役員の選任(輪番制)",
                "observer_policy": ObserverPolicy.OPEN,
                "observer_how": "どなたでも傍聴できます。当日会場で受付をしてください。",
                "building": "1階 ホール",
                **HALL,
                **CONTACT,
            },
            [],
            EntryStatus.PUBLISHED,
        ),
        (
            ASSOCIATION,
            {
                "kind": EntryKind.MEETING,
                "title": "町内会 班長会",
                "title_kana": "ちょうないかい はんちょうかい",
                "start_date": nth_weekday(following, 4, 4),
                "end_date": nth_weekday(following, 4, 4),
                "start_time": time(19, 30),
                "end_time": time(20, 30),
                "description": "回覧板の順番と防犯灯の点検について話し合います。",
                "observer_policy": ObserverPolicy.OPEN,
                "venue_name": "(デモ)みなみ一丁目集会所",
                "address": "鹿児島県鹿児島市みなみ町1丁目3番",
            },
            [],
            EntryStatus.PUBLISHED,
        ),
        (
            NPO,
            {
                "kind": EntryKind.EVENT,
                "title": "地域の写真展「みなみの四季」",
                "title_kana": "ちいきのしゃしんてん みなみのしき",
                "title_en": "Minami Through the Seasons: Photo Exhibition",
                "start_date": following + datetime.timedelta(days=5),
                "end_date": following + datetime.timedelta(days=7),
                "description": "住民が撮影した校区の風景写真を展示します。入退場自由です。",
                "fee_amount": 0,
                "building": "1階 ロビー",
                **HALL,
                "contact_name": "NPO法人みなみ地域づくりサポート",
                "url": "https://example.org/minami/photo",
            },
            [],
            EntryStatus.PUBLISHED,
        ),
        (
            NPO,
            {
                "kind": EntryKind.EVENT,
                "title": "協働ワークショップ(準備中)",
                "title_kana": "きょうどうわーくしょっぷ",
                "start_date": later + datetime.timedelta(days=10),
                "end_date": later + datetime.timedelta(days=10),
                "description": "地域の課題を話し合うワークショップの1回目です(内容を調整中)。",
                **HALL,
            },
            [],
            EntryStatus.DRAFT,
        ),
    ]


def load() -> None:
    today = timezone.localdate()
    organisations = {
        o.name: o for o in Organisation.objects.filter(name__in=[COUNCIL, ASSOCIATION, NPO])
    }
    for name, values, exceptions, status in _entries(today):
        entry = services.entry_save(
            organisation=organisations[name],
            values=values,
            exceptions=exceptions,
            publish=status != EntryStatus.DRAFT,
            actor=None,
        )
        if status == EntryStatus.CANCELLED:
            services.entry_set_status(
                entry=entry, status=status, reason="会場の改修工事のため", actor=None
            )
