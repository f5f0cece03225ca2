"""Demo of the collaboration evaluation: programmes of 地域振興課, 長寿あんしん課 and
生涯学習課, each answered by its department's demo editor (the demo manager for 地域振興課),
last year's round closed with every sheet answered,
and this year's round open with most sheets answered."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kyodo.directory.models import Organisation, User
from kyodo.liaison.models import CollaborationLevel, EvaluationRound, Programme
from kyodo.liaison.queries.evaluation import partners_of
from kyodo.liaison.services import evaluation as services

if TYPE_CHECKING:
    from kyodo.liaison.demo import DemoContext

YES, PARTLY, NO = CollaborationLevel.YES, CollaborationLevel.PARTLY, CollaborationLevel.NO

# (department key, code, name, description)
PROGRAMMES = [
    (
        "managing",
        "01-001",
        "地域コミュニティ協議会運営支援",
        "校区コミュニティ協議会の運営費の交付と、設立・運営の相談。",
    ),
    (
        "managing",
        "01-002",
        "地域担当職員制度",
        "職員が担当する校区の行事や会議に参加し、地域と市をつなぐ。",
    ),
    ("managing", "01-003", "町内会加入促進", "転入者への案内と、町内会の加入促進の取組への支援。"),
    (
        "welfare",
        "02-001",
        "高齢者見守りネットワーク",
        "町内会・民生委員・事業者と連携した見守り活動。",
    ),
    (
        "welfare",
        "02-002",
        "地域サロン活動支援",
        "公民館などで開かれる高齢者サロンの立ち上げと運営の支援。",
    ),
    ("welfare", "02-003", "介護予防教室", "地域に出向いて行う介護予防の体操教室。"),
    ("learning", "03-001", "地域公民館講座", "地域の人が講師となる公民館講座の企画。"),
    ("learning", "03-002", "子ども居場所づくり", "放課後の子どもの居場所を地域団体と運営する。"),
]

# Last year every sheet answered; this year two are still waiting (None).
SheetAnswer = tuple[CollaborationLevel, str, bool] | None
ANSWERS: dict[str, list[SheetAnswer]] = {
    "last": [
        (YES, "協議会の総会・役員会に毎回参加し、会計の相談にも応じた。", True),
        (PARTLY, "行事への参加は増えたが、地域からの相談は担当職員に偏っている。", True),
        (NO, "加入率の低下が続き、町内会と一緒に取り組む場を作れなかった。", False),
        (YES, "町内会・民生委員と月1回の情報交換会を開いた。", True),
        (PARTLY, "サロンの数は増えたが、運営の担い手が固定している。", True),
        (NO, "市の直営で実施しており、地域との協働はできていない。", False),
        (PARTLY, "講師の発掘を地域に依頼したが、実施は一部の公民館にとどまった。", True),
        (YES, "NPOと協議会が運営し、市は場所の確保と広報を担った。", True),
    ],
    "this": [
        (YES, "担当職員が地域の会議に出て、交付金の使い方を一緒に考えた。", True),
        (YES, "参加の記録を人事評価に使い始め、参加が定着した。", True),
        (PARTLY, "転入者向けの案内を町内会と作ったが、配布は市だけで行った。", True),
        (YES, "見守りの対象を事業者と共有する仕組みができた。", True),
        None,
        (PARTLY, "教室の一部を地域の自主グループに移した。", True),
        (PARTLY, "", False),
        None,
    ],
}


def load(context: DemoContext) -> None:
    departments = {
        "managing": context.managing,
        "welfare": context.welfare,
        "learning": context.learning,
    }
    editors = {
        "managing": context.manager,
        "welfare": context.welfare_editor,
        "learning": context.learning_editor,
    }
    programmes: list[tuple[str, Programme]] = []
    for key, code, name, description in PROGRAMMES:
        programme = services.programme_save(
            municipality=context.city,
            department=departments[key],
            values={"code": code, "name": name, "description": description, "is_active": True},
            actor=editors[key],
        )
        programmes.append((key, programme))
    partners = list(partners_of(context.city))
    for label, year in (("last", context.fiscal_year - 1), ("this", context.fiscal_year)):
        evaluation = services.round_start(
            municipality=context.city, fiscal_year=year, actor=context.manager
        )
        _answer(evaluation, programmes, ANSWERS[label], editors, partners)
        if label == "last":
            services.round_set_open(evaluation=evaluation, is_open=False, actor=context.manager)


def _answer(
    evaluation: EvaluationRound,
    programmes: list[tuple[str, Programme]],
    answers: list[SheetAnswer],
    editors: dict[str, User],
    partners: list[Organisation],
) -> None:
    sheets = {sheet.programme_id: sheet for sheet in evaluation.sheets.all()}
    for index, ((key, programme), answer) in enumerate(zip(programmes, answers, strict=True)):
        if answer is None:
            continue
        level, comment, with_partners = answer
        services.sheet_answer(
            sheet=sheets[programme.pk],
            level=level,
            comment=comment,
            partners=partners[index % len(partners) :][:2] if with_partners and partners else [],
            other_partners="民生委員・児童委員協議会" if key == "welfare" else "",
            version=None,
            actor=editors[key],
        )
