"""Demo meetings: the network's 令和2年度第3回会議 exactly as its results were published (with
invented attendees split into breakout groups for its 感想共有), and a meeting of the current
year copied from it, open for registration and asking the コミプラ phase for grouping."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction

from kyodo.core.dates import TOKYO
from kyodo.directory.models import Network, OrganisationKind
from kyodo.meetings import services
from kyodo.meetings.models import Attendee, Meeting, MeetingStatus, Registration

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

SEED_QUESTIONS: list[tuple[str, str]] = [
    (
        "担当職員以外にもコミュニティ協議会の理解を深めてもらう研修会以外の方法は?",
        "人材育成担当課とのタイアップが重要。各セクションと地域づくり担当課では,仕事のやり方や質が異なる。まずは,それをお互いに共有することが大事(各セクションはケースごとに,地域づくり担当課は地域全体を見渡して仕事をする)。静岡県裾野市では,勤務時間外に若手約30人が集まり,協働意識を高めていこうという自主的なミーティングを実施。",
    ),
    (
        "組織同士の交流機会について",
        "組織同士の学びや,交流を深める仕掛けとして,HPに各組織のイベントや会議の情報を(外部からの傍聴の可否を含め)掲載している。",
    ),
    (
        "住民が主体的に動く仕掛けは?",
        "大崎市でも難しい。話し合いの数・質を大切にしてきた。やるかやらないかではなく,どのようにしたいのか・どうあるべきか論の話し合いをすることで,住民の気持ち・機運を高めている。",
    ),
    (
        "役員のなり手がいない・・・",
        "以前は,意欲や能力もある方が長期にわたり役員を担っていたが,今は短期間の輪番制になるなど,役員の質が変化してきている。行政はそれを認識した上で,地域をサポートする必要がある。若者の未加入問題よりも,役員を担ってきた高齢者が役を担えなくなり脱会することの方が深刻。",
    ),
    (
        "「熱意ある職員の人事異動と共に崩れる地域との信頼関係」とありましたが、どの自治体でも避けられない課題だと思います。大崎市での対策は。",
        "引継ぎは,(地域のキーマンの紹介も含め)1週間かけて丁寧にやる。",
    ),
    (
        "大崎市の自治組織がこれほど自主的に取り組めている最も大きな要因は何だと思うか。",
        "職員も地域と一緒に熱心に取り組む姿勢を見せる。それが地域にも伝わったのではないか。東日本大震災での避難所運営も地域の方が率先して運営。",
    ),
    (
        "ワークショップのコツは?",
        "本番以外が大事。本番3回に対して,丹念な事前の打ち合わせや反省会(振り返り)を10~20回する。地域が自分たちでファシリテーションをできない場合は,できる部署の職員に正式に依頼するなど,全庁横断的に地域をサポートする雰囲気をつくる。行政職員が地域に行くだけで,地域の人に喜ばれる。",
    ),
    (
        "時間外手当は?",
        "職員は手当が出るが,地域の方は出ない。市民と行政とで立場が異なるからこそ,対等に向き合える(協働が成り立つ)。",
    ),
    (
        "メンバー集めが一番大変?",
        "人が参加しやすい雰囲気を大事にして,少しずつ輪を広げていくやり方を取っている。場合によっては,町内会長に(年代別に何人など)動員を頼むこともある。",
    ),
    (
        "鳴子まちづくり協議会の訃報周知事業について,産声も周知しているのか。",
        "産声はやっていない。金婚の集いを載せることはある。行政がどうしても載せられない情報を協議会だよりに載せるところもある。",
    ),
    (
        "各種協議会等の自主財源はどのように確保されているのか?",
        "年間行事カレンダーの広告料収入。また,自治会の集合体なので自治会の予算を全体で活用するケースもある。",
    ),
    (
        "年間行事カレンダーの配布は無料?",
        "当初は市の交付金で作成したため,無料。現在は,区費を200円値上げし財源にしている。",
    ),
    (
        "カレンダーどう作る?",
        "作るのは大変。年末に実行委員会を開き,楽しい雰囲気で作っている。今は,10年が経過し,各団体の間でも地域への情報提供が定着しており,盛りだくさんで入れられない情報もある。",
    ),
    (
        "コミュニティ協議会の評価指標について",
        "協働がうまくいっているかの評価は,数値で表れないため,事務事業評価シートの中に「協働ができていますか」という設問を入れ,そのコメントで判断している。",
    ),
    (
        "地域担当職員制度について",
        "東北では山形県が熱心。地域が職員を選択できれば面白いかも。大崎市では,人事評価の指標として「地域行事にどれだけ参加しているか」を入れている。",
    ),
]
SEED_ANSWERED_BY = "宮城県大崎市職員"

# The published page of the seed meeting was last updated on 2022-12-07.
SEED_PUBLISHED_AT = datetime.datetime(2022, 12, 7, 9, 0, tzinfo=TOKYO)


@transaction.atomic
def load(network: Network) -> None:
    if Meeting.objects.filter(network=network).exists():
        return
    seed = services.meeting_save_record(network=network, record=SEED_MEETING, actor=None)
    for text, answer in SEED_QUESTIONS:
        question = services.question_submit(meeting=seed, actor=None, text=text)
        services.question_moderate(
            question=question,
            actor=None,
            answer=answer,
            answered_by=SEED_ANSWERED_BY,
            published=True,
        )
    services.meeting_publish(meeting=seed, actor=None, published_at=SEED_PUBLISHED_AT)
    _load_demo_breakouts(seed)
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
            "grouping_label": "コミプラのフェーズ",
            "grouping_choices": ["1・2", "3・4"],
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
    # The usual end-of-meeting questionnaire, prepared and waiting to be opened.
    services.meeting_questionnaire_create(meeting=upcoming, actor=None)


DEMO_DEPARTMENTS = ("地域振興課", "企画課", "総務課", "市民協働課", "地域づくり推進課")


def _load_demo_breakouts(meeting: Meeting) -> None:
    """Invented attendees for the seed meeting, 51 from 40 member organisations as the
    published count says (the prefecture and ten municipalities sent two each), split into
    groups for the 感想共有 after the lecture. Their notes are not published, so the results
    page stays as it was published."""
    members = list(meeting.network.members.order_by("kind", "lgcode", "pk"))
    prefecture = [m for m in members if m.kind == OrganisationKind.PREFECTURE]
    offices = [m for m in members if m.kind == OrganisationKind.REGIONAL_OFFICE]
    municipalities = [m for m in members if m.kind == OrganisationKind.MUNICIPALITY][:32]
    sending = [(org, 2) for org in prefecture + municipalities[:10]]
    sending += [(org, 1) for org in offices + municipalities[10:]]
    attendees: list[Attendee] = []
    for organisation, count in sending:
        registration = Registration.objects.create(meeting=meeting, organisation=organisation)
        for _ in range(count):
            number = len(attendees) + 1
            attendees.append(
                Attendee(
                    registration=registration,
                    name=f"(デモ)参加者{number:02d}",
                    department=DEMO_DEPARTMENTS[number % len(DEMO_DEPARTMENTS)],
                    # Two without an address, as happens: the page lists them for Zoom.
                    email="" if number in (7, 30) else f"attendee{number:02d}@kyodo.example",
                    mode="online",
                    attended=True,
                )
            )
    Attendee.objects.bulk_create(attendees)
    session = services.breakout_create(
        meeting=meeting, actor=None, title="感想共有", mode="mix", group_count=8
    )
    first = session.groups.get(position=1)
    services.breakout_group_update(
        group=first,
        actor=None,
        notes=(
            "(デモ)大崎市の「地域がやりたいことをまず応援する」姿勢を、"
            "自分たちの市町村でどう生かせるかを話し合った。"
        ),
    )
