"""Demo of an area's people: four invented key people of the demo council (marked (デモ)),
two open matters, and a handover from the demo staff member to the colleague taking over,
started today with its first lines done. The checklist comes from the council's regular
board meeting in the calendar demo; a monthly one is added here if the calendar has none."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from kyodo.calendar import services as calendar_services
from kyodo.calendar.models import Entry, EntryKind, ObserverPolicy, Repeat
from kyodo.directory.models import Person
from kyodo.liaison.services import area as services

if TYPE_CHECKING:
    from kyodo.liaison.demo import DemoContext

KEY_PEOPLE = [
    {
        "name": "(デモ)南 一郎",
        "kana": "みなみ いちろう",
        "role_in_area": "みなみ一丁目町内会長",
        "contact": "099-000-1111(自宅、夜7時以降)",
        "approach": "毎月第1日曜日の一斉清掃のあとに声をかけると、ゆっくり話を聞いてくれます。"
        "急ぎの相談は電話で。",
        "notes": "町内会歴20年。防災倉庫の鍵を預かっている。",
    },
    {
        "name": "(デモ)北川 花子",
        "kana": "きたがわ はなこ",
        "role_in_area": "民生委員・児童委員",
        "contact": "099-000-2222",
        "approach": "高齢者の見守りの話から入ると協力的です。訪問の前に必ず電話で予約を。",
        "notes": "",
    },
    {
        "name": "(デモ)東 健",
        "kana": "ひがし けん",
        "role_in_area": "みなみ校区コミュニティ協議会 会長",
        "contact": "協議会事務局(099-000-0000)経由",
        "approach": "役員会の前の30分に事務局で会えます。資料は前日までに紙で渡すと喜ばれます。",
        "notes": "来年度で会長を退く意向。後任候補は副会長。",
    },
    {
        "name": "(デモ)西田 春子",
        "kana": "にしだ はるこ",
        "role_in_area": "子ども会育成連絡協議会長",
        "contact": "nishida@example.jp",
        "approach": "メールの返事が早い方です。平日昼は仕事のため連絡がつきにくい。",
        "notes": "",
    },
]

MATTERS = [
    {
        "title": "防災倉庫の鍵の管理方法の見直し",
        "detail": "現在は町内会長お一人が鍵を預かっている。夜間の災害に備え、"
        "複数人で管理する方法を協議会の防災部会と相談中。次回の役員会で案を示す予定。",
    },
    {
        "title": "もちつき大会の駐車場不足",
        "detail": "昨年は近隣の道路に路上駐車が多く苦情があった。小学校の運動場の一部を"
        "駐車場にできないか、教育委員会と調整中。",
    },
]


def _regular_meeting(context: DemoContext) -> None:
    """A monthly board meeting for the council, unless the calendar demo made one."""
    has_one = (
        Entry.objects.filter(organisation=context.area, kind=EntryKind.MEETING)
        .exclude(repeat="")
        .exists()
    )
    if has_one:
        return
    first = context.today.replace(day=1)
    start = first + datetime.timedelta(days=(1 - first.weekday()) % 7 + 7)  # second Tuesday
    calendar_services.entry_save(
        organisation=context.area,
        values={
            "kind": EntryKind.MEETING,
            "title": "定例役員会",
            "title_kana": "ていれいやくいんかい",
            "start_date": start,
            "end_date": start,
            "start_time": datetime.time(19, 0),
            "end_time": datetime.time(20, 30),
            "repeat": Repeat.MONTHLY_WEEKDAY,
            "repeat_until": start + datetime.timedelta(days=180),
            "description": "協議会の役員が毎月の事業の進み具合を共有します。",
            "observer_policy": ObserverPolicy.ADVANCE,
            "observer_how": "事務局へお電話ください。",
            "venue_name": "(デモ)みなみ地区公民館",
            "address": "鹿児島県鹿児島市みなみ町1番1号",
        },
        publish=True,
        actor=context.manager,
    )


def load(context: DemoContext) -> None:
    for values in KEY_PEOPLE:
        services.key_person_save(area=context.area, values=values, actor=context.liaison)
    for values in MATTERS:
        services.matter_save(area=context.area, values=values, actor=context.liaison)
    _regular_meeting(context)
    handover = services.handover_plan(
        area=context.area,
        outgoing=Person.objects.get(user=context.liaison),
        incoming=Person.objects.get(user=context.incoming),
        starts_on=context.today,
        note="人事異動に合わせた引継ぎ。キーマンへの紹介は前任が同行する。",
        actor=context.manager,
    )
    for item in handover.items.order_by("position")[:2]:
        services.handover_item_mark(
            handover=handover, item_id=item.pk, done=True, actor=context.liaison
        )
