"""Demo publications of the demo council: its ledger over three fiscal years, the annual
event calendar of the coming year with advertisements and delivery, and two newsletter
issues. All people, shops and figures are invented and marked (デモ)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from kyodo.calendar import services as calendar_services
from kyodo.calendar.demo import ASSOCIATION, CONTACT, HALL, nth_weekday
from kyodo.calendar.models import EntryKind
from kyodo.core.dates import fiscal_year
from kyodo.directory.models import Organisation, User
from kyodo.publications.models import LedgerCategory, NoticeKind
from kyodo.publications.services import annual, newsletter
from kyodo.publications.services.ledger import ledger_line_save

COUNCIL = "(デモ)みなみ校区コミュニティ協議会"
OFFICER = "officer@kyodo.example"

# The council's and the association's yearly events, as the year-end committee gathers
# them: (organisation, month, weekday (Mon 0), nth, title, kana, start time).
YEARLY_EVENTS = [
    (COUNCIL, 1, 6, 2, "校区新年会", "こうくしんねんかい", datetime.time(11, 0)),
    (COUNCIL, 2, 6, 3, "校区防災訓練", "こうくぼうさいくんれん", datetime.time(9, 0)),
    (ASSOCIATION, 3, 6, 1, "町内一斉清掃(春)", "ちょうないいっせいせいそう", datetime.time(7, 0)),
    (COUNCIL, 4, 5, 4, "協議会総会", "きょうぎかいそうかい", datetime.time(14, 0)),
    (ASSOCIATION, 5, 6, 2, "町内会総会", "ちょうないかいそうかい", datetime.time(10, 0)),
    (COUNCIL, 6, 6, 4, "ふれあいグラウンドゴルフ大会", "ふれあいぐらうんどごるふたいかい", None),
    (COUNCIL, 7, 5, 4, "校区夏祭り", "こうくなつまつり", datetime.time(17, 0)),
    (ASSOCIATION, 8, 6, 1, "ラジオ体操の会", "らじおたいそうのかい", datetime.time(6, 30)),
    (COUNCIL, 9, 6, 3, "敬老会", "けいろうかい", datetime.time(10, 0)),
    (COUNCIL, 10, 6, 2, "校区大運動会", "こうくだいうんどうかい", datetime.time(8, 30)),
    (COUNCIL, 11, 6, 1, "校区文化祭", "こうくぶんかさい", datetime.time(9, 30)),
    (COUNCIL, 11, 5, 4, "金婚の集い", "きんこんのつどい", datetime.time(13, 0)),
    (ASSOCIATION, 12, 6, 3, "もちつき大会", "もちつきたいかい", datetime.time(9, 0)),
]
SPONSORS = [
    # (sponsor, width, height, fee, text, paid)
    ("(デモ)みなみ商店街振興組合", 2, 2, 30000, "みなみ商店街\n毎月10日は10%引きの日", True),
    ("(デモ)みなみ歯科クリニック", 2, 1, 15000, "みなみ歯科\n土曜も診療 099-000-1111", True),
    ("(デモ)みなみ不動産", 1, 1, 8000, "住まいの相談 みなみ不動産", True),
    ("(デモ)みなみ整骨院", 1, 1, 8000, "みなみ整骨院 予約不要", False),
    ("(デモ)南ベーカリー", 1, 1, 8000, "焼きたてパン 朝7時から", True),
    ("(デモ)みなみ保険事務所", 2, 1, 15000, "くらしの保険相談 みなみ保険事務所", False),
    ("(デモ)みなみ生花店", 1, 1, 8000, "お祝い・お供えの花 みなみ生花店", True),
]


def _ledger(council: Organisation, officer: User, this_year: int) -> None:
    """Three fiscal years of income and spending, growing as in the case city: member fees
    raised by 200 yen a household to pay for the calendar, advertising income rising."""
    for offset, (households, grant) in enumerate([(820, 300000), (815, 250000), (812, 200000)]):
        year = this_year - 2 + offset
        fee = 1200 if offset == 0 else 1400  # 区費 raised by 200 yen for the calendar
        lines: list[dict[str, Any]] = [
            {
                "date": datetime.date(year, 5, 20),
                "category": LedgerCategory.MEMBER_FEES,
                "description": f"区費 {households}世帯 × {fee}円(各町内会から)",
                "amount": households * fee,
            },
            {
                "date": datetime.date(year, 6, 10),
                "category": LedgerCategory.GRANTS,
                "description": "(デモ)地域コミュニティ活動交付金",
                "amount": grant,
            },
            {
                "date": datetime.date(year, 8, 20),
                "category": LedgerCategory.DONATIONS,
                "description": "夏祭りへのご寄付(デモ)",
                "amount": 30000 + offset * 5000,
            },
            {
                "date": datetime.date(year + 1, 1, 25),
                "category": LedgerCategory.PRINTING,
                "description": "年間行事カレンダー印刷代 900部",
                "amount": 180000,
            },
            {
                "date": datetime.date(year, 11, 5),
                "category": LedgerCategory.ACTIVITIES,
                "description": "校区夏祭り・文化祭の事業費",
                "amount": 260000,
            },
            {
                "date": datetime.date(year, 7, 1),
                "category": LedgerCategory.PRINTING,
                "description": "協議会だより印刷代(年4回)",
                "amount": 64000,
            },
        ]
        for values in lines:
            if values["date"] <= timezone.localdate():
                ledger_line_save(council=council, values={"note": "", **values}, actor=officer)


def _past_calendars(council: Organisation, officer: User, this_year: int) -> None:
    """The calendars of the two years before, final, their advertisements paid in the
    December they were made: the advertising income of earlier fiscal years."""
    for fiscal in (this_year - 2, this_year - 1):
        calendar = annual.calendar_create(
            council=council, year=fiscal + 1, year_kind="calendar", actor=officer
        )
        for index, (sponsor, width, height, fee, text, _paid) in enumerate(SPONSORS):
            annual.ad_slot_save(
                calendar=calendar,
                values={
                    "sponsor": sponsor,
                    "sponsor_contact": "",
                    "width": width,
                    "height": height,
                    "fee": fee - 1000 * (this_year - fiscal) if fee > 8000 else fee,
                    "text": text,
                    "invoiced_on": datetime.date(fiscal, 11, 20),
                    "paid_on": datetime.date(fiscal, 12, 10 + index),
                },
                actor=officer,
            )
        annual.calendar_take_draft(calendar=calendar, message="", actor=officer)
        annual.calendar_finalise(calendar=calendar, actor=officer)


def _yearly_events(year: int, officer: User) -> None:
    """The year's events in the community calendar, published, as organisers post them."""
    for name, month, weekday, nth, title, kana, start in YEARLY_EVENTS:
        day = nth_weekday(datetime.date(year, month, 1), weekday, nth)
        calendar_services.entry_save(
            organisation=Organisation.objects.get(name=name),
            values={
                "kind": EntryKind.EVENT,
                "title": title,
                "title_kana": kana,
                "start_date": day,
                "end_date": day,
                "start_time": start,
                "end_time": start.replace(hour=start.hour + 2) if start else None,
                "description": f"(デモ){title}です。どなたでも参加できます。",
                **HALL,
                **CONTACT,
            },
            exceptions=[],
            actor=officer,
            publish=True,
        )


def _annual_calendar(council: Organisation, officer: User, today: datetime.date) -> None:
    """The coming year's calendar as the year-end committee has it in December: two drafts
    (the second adds a late event), out for comments, advertisements sold and delivery
    counts recorded."""
    year = today.year + 1 if today.month >= 10 else today.year
    _yearly_events(year, officer)
    calendar = annual.calendar_create(
        council=council, year=year, year_kind="calendar", actor=officer
    )
    annual.calendar_update(
        calendar=calendar,
        values={"print_run": 900, "unit_print_cost": 200, "include_members": True},
        actor=officer,
    )
    annual.calendar_take_draft(
        calendar=calendar, message="第1稿です。各町内会の行事をご確認ください。", actor=officer
    )
    late = datetime.date(year, 3, 20)
    calendar_services.entry_save(
        organisation=council,
        values={
            "kind": EntryKind.EVENT,
            "title": "校区ウォーキング大会",
            "title_kana": "こうくうぉーきんぐたいかい",
            "start_date": late,
            "end_date": late,
            "start_time": datetime.time(9, 0),
            "end_time": datetime.time(12, 0),
            "description": "(デモ)校区を歩いて地域の歴史を知る催しです。",
            **HALL,
            **CONTACT,
        },
        exceptions=[],
        actor=officer,
        publish=True,
    )
    annual.calendar_take_draft(
        calendar=calendar,
        message="第2稿です。校区ウォーキング大会を追加しました。",
        actor=officer,
    )
    annual.calendar_open_review(
        calendar=calendar, comments_until=today + datetime.timedelta(days=14), actor=officer
    )
    draft = calendar.drafts.order_by("-number").first()
    assert draft is not None
    annual.calendar_comment_add(
        draft=draft,
        organisation=Organisation.objects.get(name=ASSOCIATION),
        body="町内一斉清掃(春)は雨天の場合、翌週に延期と書き添えてください。",
        actor=officer,
    )
    for sponsor, width, height, fee, text, paid in SPONSORS:
        annual.ad_slot_save(
            calendar=calendar,
            values={
                "sponsor": sponsor,
                "sponsor_contact": "",
                "width": width,
                "height": height,
                "fee": fee,
                "text": text,
                "invoiced_on": today - datetime.timedelta(days=20),
                "paid_on": today - datetime.timedelta(days=5) if paid else None,
            },
            actor=officer,
        )
    association = Organisation.objects.get(name=ASSOCIATION)
    annual.deliveries_save(
        calendar=calendar,
        rows={association.pk: {"households": 412, "copies": 420, "note": "班長経由で配布"}},
        actor=officer,
    )


def _newsletter(council: Organisation, officer: User, today: datetime.date) -> None:
    """Two issues of the council's newsletter; the second carries the notices the city
    cannot publish: the golden-wedding gathering and an obituary with the family's consent."""
    first = newsletter.newsletter_issue_create(
        council=council, issue_date=today - datetime.timedelta(days=90), actor=officer,
        name="みなみ校区だより",
    )  # fmt: skip
    newsletter.newsletter_issue_save(
        issue=first,
        values={},
        articles=[
            {
                "heading": "校区夏祭りを開催しました",
                "body": "(デモ)約600人の皆さんにご来場いただきました。"
                "準備と片付けにご協力いただいた各町内会の皆さん、ありがとうございました。",
            }
        ],
        notices=[
            {
                "kind": NoticeKind.ORGANISATION,
                "title": "グラウンドゴルフ愛好会 会員募集",
                "body": "毎週水曜日の朝、校区グラウンドで活動しています。",
            }
        ],
        actor=officer,
    )
    newsletter.newsletter_issue_publish(issue=first, actor=officer)
    second = newsletter.newsletter_issue_create(
        council=council, issue_date=today - datetime.timedelta(days=7), actor=officer
    )
    newsletter.newsletter_issue_save(
        issue=second,
        values={"editor_note": "来年の年間行事カレンダーの広告を募集しています(事務局まで)。"},
        articles=[
            {
                "heading": "校区文化祭に多くのご来場",
                "body": "(デモ)子ども会の作品展示、高齢者クラブの書道、"
                "中学校吹奏楽部の演奏などでにぎわいました。",
            },
            {
                "heading": "年間行事カレンダーを作っています",
                "body": "(デモ)年末の実行委員会で来年のカレンダーを作っています。"
                "各町内会の行事は原稿のページでご確認ください。",
            },
        ],
        notices=[
            {
                "kind": NoticeKind.CELEBRATION,
                "title": "金婚の集いを開きました",
                "body": "(デモ)結婚50年を迎えられた6組のご夫婦をお祝いしました。",
            },
            {
                "kind": NoticeKind.MUNICIPAL,
                "title": "(市から)ごみの収集日が変わります",
                "body": "(デモ)来年4月から、燃やせるごみの収集日が火曜・金曜になります。",
            },
            {
                "kind": NoticeKind.OBITUARY,
                "title": "訃報",
                "deceased_name": "(デモ)南 花子 様",
                "age": 92,
                "area": "みなみ一丁目",
                "died_on": today - datetime.timedelta(days=10),
                "funeral": "",
                "chief_mourner": "",
                "consent_by": "(デモ)南 次郎",
                "consent_relation": "長男",
                "consent_on": today - datetime.timedelta(days=9),
                "consent_fields": ["deceased_name", "age", "area", "died_on"],
            },
        ],
        actor=officer,
    )
    newsletter.newsletter_issue_publish(issue=second, actor=officer)


def load() -> None:
    council = Organisation.objects.get(name=COUNCIL)
    officer = User.objects.get(email=OFFICER)
    today = timezone.localdate()
    _ledger(council, officer, fiscal_year(today))
    _past_calendars(council, officer, fiscal_year(today))
    _annual_calendar(council, officer, today)
    _newsletter(council, officer, today)
