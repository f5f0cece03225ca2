"""Demo workshop of the demo council: 地域振興課 runs a series of three main sessions with the
area, with fifteen preparation and reflection meetings around them over the fiscal year (the
case city's 10–20 for every three), and 長寿あんしん課 has accepted to facilitate two of them.
All people are invented and marked (デモ)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from kyodo.directory import services as directory_services
from kyodo.directory.models import MembershipRole
from kyodo.liaison.models import SessionKind
from kyodo.liaison.services import workshops as services

if TYPE_CHECKING:
    from kyodo.liaison.demo import DemoContext

HALL = "(デモ)みなみ地区公民館"
# (kind, month, day, title, start, end, participants) across the fiscal year, April first.
SESSIONS = [
    (SessionKind.PREPARATION, 4, 18, "役員との顔合わせ・テーマの相談", 19, 21, 8),
    (SessionKind.PREPARATION, 5, 9, "町内会長との打ち合わせ", 19, 21, 11),
    (SessionKind.PREPARATION, 5, 30, "進め方と役割分担の確認", 19, 21, 9),
    (SessionKind.PREPARATION, 6, 20, "会場下見・資料づくり", 10, 12, 6),
    (SessionKind.MAIN, 7, 5, "第1回 みんなで話そう みなみの防災", 13, 16, 42),
    (SessionKind.REFLECTION, 7, 12, "第1回の振り返り", 19, 21, 10),
    (SessionKind.PREPARATION, 8, 22, "第2回に向けた打ち合わせ", 19, 21, 9),
    (SessionKind.PREPARATION, 9, 12, "避難所運営ゲームの準備", 19, 21, 12),
    (SessionKind.PREPARATION, 9, 26, "ファシリテーターとの打ち合わせ", 18, 20, 7),
    (SessionKind.MAIN, 10, 4, "第2回 避難所を運営してみよう", 13, 16, 51),
    (SessionKind.REFLECTION, 10, 11, "第2回の振り返り", 19, 21, 11),
    (SessionKind.REFLECTION, 10, 25, "参加者アンケートの読み合わせ", 19, 21, 8),
    (SessionKind.PREPARATION, 11, 29, "第3回の内容の相談", 19, 21, 9),
    (SessionKind.PREPARATION, 12, 20, "地区防災計画の素案づくり", 10, 12, 10),
    (SessionKind.PREPARATION, 1, 17, "第3回の最終確認", 19, 21, 8),
    (SessionKind.MAIN, 1, 25, "第3回 みなみ地区防災計画をまとめよう", 13, 16, 47),
    (SessionKind.REFLECTION, 2, 7, "第3回の振り返り", 19, 21, 12),
    (SessionKind.REFLECTION, 3, 7, "1年間の振り返りと来年度の相談", 18, 20, 14),
]


def _date(fiscal_year: int, month: int, day: int) -> datetime.date:
    return datetime.date(fiscal_year if month >= 4 else fiscal_year + 1, month, day)


def load(context: DemoContext) -> None:
    manager = context.manager
    series = services.series_create(
        organiser=context.managing,
        area=context.area,
        title="(デモ)みなみ地区 防災ワークショップ",
        purpose=(
            "地区の防災について住民どうしで話し合い、年度末に地区防災計画の素案をまとめる。"
            "本番3回の前後に、役員・町内会長と丹念に打ち合わせと振り返りを重ねる。"
        ),
        actor=manager,
    )
    sessions = []
    for kind, month, day, title, start, end, participants in SESSIONS:
        date = _date(context.fiscal_year, month, day)
        sessions.append(
            services.session_save(
                series=series,
                values={
                    "kind": kind,
                    "date": date,
                    "start_time": datetime.time(start),
                    "end_time": datetime.time(end),
                    "title": title,
                    "venue": HALL,
                    # Only what has happened has a head count.
                    "participants": participants if date <= context.today else None,
                },
                actor=manager,
            )
        )
    facilitator = directory_services.person_create(
        actor=None, family_name="(デモ)安心", given_name="はるか", email=""
    )
    directory_services.membership_create(
        actor=None,
        person=facilitator,
        organisation=context.welfare,
        role=MembershipRole.STAFF,
        title="主査(ファシリテーター養成講座修了)",
        starts_on=datetime.date(context.fiscal_year, 4, 1),
    )
    request = services.facilitation_request(
        series=series,
        department=context.welfare,
        sessions=[s for s in sessions if s.kind == SessionKind.MAIN][1:],
        message=(
            "第2回・第3回は高齢の参加者が多く、避難の支援が話題の中心になります。"
            "地域の話し合いの進行(ファシリテーション)を、長寿あんしん課の職員にお願いできませんか。"
        ),
        actor=manager,
    )
    services.facilitation_answer(
        notify=False,
        request=request,
        accept=True,
        facilitator=facilitator,
        reply="お引き受けします。事前の打ち合わせ(9月)にも担当が参加します。",
        actor=context.welfare_editor,
    )
