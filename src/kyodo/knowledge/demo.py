"""Demo knowledge: the network's themes, a few posts from inside and outside the
prefecture (one for members only, one with a PDF), the case city of the seed meeting
(宮城県大崎市) as the first case study with one invented case after it, and themes on the
seed meeting's published Q&A. Invented records are marked (デモ); the 大崎市 case retells
only what the published results of the 令和2年度第3回会議 say."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction

from kyodo.directory.demo import NETWORK_SLUG
from kyodo.directory.models import Network, Organisation, User
from kyodo.knowledge import services
from kyodo.knowledge.models import (
    Audience,
    Phase,
    PostKind,
    Scope,
    Status,
    Theme,
)
from kyodo.meetings.models import Meeting, Question

THEMES = (
    "担い手・役員",
    "広報・情報発信",
    "財源・広告",
    "地域担当職員",
    "行政との協働",
    "ワークショップ",
    "NPO施策",
)

# Published Q&A of the seed meeting (by the start of the question) and their themes.
QA_THEMES = (
    ("担当職員以外にも", ("地域担当職員", "行政との協働")),
    ("組織同士の交流機会", ("広報・情報発信",)),
    ("住民が主体的に", ("行政との協働",)),
    ("役員のなり手がいない", ("担い手・役員",)),
    ("「熱意ある職員の人事異動", ("地域担当職員",)),
    ("ワークショップのコツ", ("ワークショップ",)),
    ("メンバー集め", ("担い手・役員",)),
    ("鳴子まちづくり協議会", ("広報・情報発信",)),
    ("各種協議会等の自主財源", ("財源・広告",)),
    ("年間行事カレンダーの配布", ("財源・広告", "広報・情報発信")),
    ("カレンダーどう作る", ("財源・広告", "広報・情報発信")),
    ("コミュニティ協議会の評価指標", ("行政との協働",)),
    ("地域担当職員制度", ("地域担当職員",)),
)

OSAKI_SUMMARY = (
    "大崎市は,新たな地域コミュニティの仕組みづくり「大崎市地域自治体制整備実証事業」に取り組み,"
    "地域の自治組織(まちづくり協議会)が主体となって地域課題の解決に取り組んでいます。"
    "市は「地域がやりたいことをまず応援し,サポートする」姿勢をとり,それが地域の自主性を育て,"
    "行政がやりたいことやメリットにもつながっています。\n"
    "令和2年度第3回会議(Web開催)で,大崎市職員が事例として紹介しました。"
)
OSAKI_WORKED = (
    "財源: 年間行事カレンダーを作り,その広告料収入を協議会の自主財源にしている。当初は市の交付金で"
    "作成して無料で配布し,現在は区費を200円値上げして財源にしている。自治会の集合体なので,"
    "自治会の予算を全体で活用するケースもある。\n"
    "広報: 年末に実行委員会を開き,楽しい雰囲気でカレンダーを作っている。10年が経過し,"
    "各団体から地域への情報提供が定着した。協議会だよりには,行政がどうしても載せられない情報"
    "(訃報周知,金婚の集いなど)を載せるところもある。\n"
    "地域担当職員: 人事評価の指標に「地域行事にどれだけ参加しているか」を入れている。"
    "職員が地域と一緒に熱心に取り組む姿勢を見せ,それが地域にも伝わった。\n"
    "引継ぎ: 担当の交代では,地域のキーマンの紹介も含め1週間かけて丁寧に引き継ぐ。\n"
    "評価: 協働がうまくいっているかは数値で表れないため,事務事業評価シートに"
    "「協働ができていますか」という設問を入れ,そのコメントで判断している。\n"
    "ワークショップ: 本番3回に対し,事前の打ち合わせや反省会(振り返り)を10〜20回行う。"
    "地域が自らファシリテーションできない場合は,できる部署の職員に正式に依頼する。\n"
    "人集め: 参加しやすい雰囲気を大事にして少しずつ輪を広げ,場合によっては町内会長に"
    "(年代別に何人など)動員を頼む。"
)
OSAKI_DID_NOT = (
    "役員のなり手: 以前は意欲や能力のある方が長く役員を担っていたが,今は短期間の輪番制になるなど"
    "役員の質が変化している。若者の未加入よりも,役員を担ってきた高齢者が役を担えなくなり"
    "脱会することの方が深刻。\n"
    "住民が主体的に動く仕掛けは大崎市でも難しく,話し合いの数と質を大切にしてきた。\n"
    "熱意ある職員の人事異動とともに地域との信頼関係が崩れることは,どの自治体でも避けにくい課題。"
)


def minimal_pdf(text: str) -> bytes:
    """A one-page PDF with one line of ASCII text, built by hand for the demo."""
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


@transaction.atomic
def load() -> None:
    network = Network.objects.select_related("secretariat").get(slug=NETWORK_SLUG)
    if Theme.objects.filter(network=network).exists():
        return
    themes = {
        name: Theme.objects.create(network=network, name=name, order=order)
        for order, name in enumerate(THEMES, 1)
    }
    secretary = User.objects.get(email="secretariat@kyodo.example")
    staff = User.objects.get(email="staff@kyodo.example")
    secretariat = network.secretariat
    city = Organisation.objects.get(lgcode="462012")
    seed = Meeting.objects.get(network=network, fiscal_year=2020, ordinal=3, kind="会議")

    _load_cases(network, themes, secretariat, city, seed, secretary, staff)
    _load_posts(network, secretariat, city, secretary, staff)
    for start, names in QA_THEMES:
        question = Question.objects.select_related("meeting").get(
            meeting=seed, text__startswith=start
        )
        services.question_themes_set(
            question=question, themes=[themes[name] for name in names], actor=secretary
        )


def _load_cases(
    network: Network,
    themes: dict[str, Theme],
    secretariat: Organisation,
    city: Organisation,
    seed: Meeting,
    secretary: User,
    staff: User,
) -> None:
    services.case_create(
        network=network,
        organisation=secretariat,
        scope=Scope.OUTSIDE,
        source="宮城県大崎市",
        title="大崎市の地域自治組織と行政の協働(年間行事カレンダー・地域担当職員・協働の評価)",
        phase=None,
        summary=OSAKI_SUMMARY,
        what_worked=OSAKI_WORKED,
        what_did_not=OSAKI_DID_NOT,
        contact_department="鹿児島県 共生・協働推進課(ネットワーク事務局)",
        contact_details="電話 099-286-2111(代表)",
        audience=Audience.PUBLIC,
        status=Status.PUBLISHED,
        themes=[themes[name] for name in THEMES if name != "NPO施策"],
        meetings=[seed],
        actor=secretary,
    )
    services.case_create(
        network=network,
        organisation=city,
        scope=Scope.INSIDE,
        source="",
        title="(デモ)みなみ校区コミュニティ協議会の立ち上げと役員の輪番制",
        phase=Phase.TWO,
        summary=(
            "(デモ用の架空の事例です。)校区内の町内会・子ども会・NPOが集まり,"
            "話し合いを重ねてコミュニティ協議会を設立しました。"
        ),
        what_worked="設立前にワークショップを5回開き,地域の課題と,やりたいことを出し合った。",
        what_did_not="役員が1年の輪番制のため,活動の引継ぎに毎年苦労している。",
        contact_department="鹿児島市 地域づくり担当",
        contact_details="(デモ)電話 099-000-0000",
        audience=Audience.PUBLIC,
        status=Status.PUBLISHED,
        themes=[themes["担い手・役員"], themes["ワークショップ"]],
        meetings=[],
        actor=staff,
    )


def _load_posts(
    network: Network,
    secretariat: Organisation,
    city: Organisation,
    secretary: User,
    staff: User,
) -> None:
    common: dict[str, Any] = {"network": network, "status": Status.PUBLISHED}
    services.post_create(
        **common,
        organisation=secretariat,
        kind=PostKind.PRACTICE,
        scope=Scope.OUTSIDE,
        source="宮城県大崎市",
        title="年間行事カレンダーの広告料で協議会の自主財源をつくる(大崎市)",
        body=(
            "令和2年度第3回会議で紹介された大崎市の取組です。地域の各種協議会は,年間行事"
            "カレンダーの広告料収入を自主財源にしています。当初は市の交付金で作成して無料で配布し,"
            "現在は区費を200円値上げして財源にしています。"
        ),
        audience=Audience.PUBLIC,
        actor=secretary,
    )
    services.post_create(
        **common,
        organisation=secretariat,
        kind=PostKind.NPO_POLICY,
        scope=Scope.INSIDE,
        source="",
        title="(デモ)共生・協働の地域社会づくりに関する県の支援制度",
        body=(
            "(デモ用の架空のお知らせです。)地域コミュニティ組織やNPOと市町村が協働して"
            "取り組む事業への県の支援制度を紹介します。詳しくは事務局までお問い合わせください。"
        ),
        audience=Audience.PUBLIC,
        actor=secretary,
    )
    services.post_create(
        **common,
        organisation=secretariat,
        kind=PostKind.NOTICE,
        scope=Scope.INSIDE,
        source="",
        title="(デモ)次回会議の事前アンケートへのご協力のお願い(会員向け)",
        body=(
            "(デモ用の架空のお知らせです。)次回会議のグループワークの参考にするため,"
            "各市町村のコミプラの取組状況をお知らせください。"
        ),
        audience=Audience.MEMBERS,
        actor=secretary,
    )
    services.post_create(
        **common,
        organisation=city,
        kind=PostKind.PRACTICE,
        scope=Scope.INSIDE,
        source="",
        title="(デモ)校区コミュニティ協議会の役員研修会を開きました",
        body=(
            "(デモ用の架空の記事です。)校区コミュニティ協議会の役員を対象に,"
            "会計と引継ぎの研修会を開きました。当日の資料を掲載します。"
        ),
        audience=Audience.PUBLIC,
        actor=staff,
        attachment_title="研修会資料",
        attachment=ContentFile(minimal_pdf("kyodo demo"), name="demo.pdf"),
    )
