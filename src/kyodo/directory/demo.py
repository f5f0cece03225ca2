"""Demo data: the prefecture-wide municipal network of Kagoshima, its real members loaded from
the bundled list of municipalities by code, and a few clearly marked demo people and groups."""

from __future__ import annotations

import datetime
from importlib import resources

from django.db import transaction

from kyodo.directory import services
from kyodo.directory.models import MembershipRole, Network, Organisation, OrganisationKind

NETWORK_SLUG = "kagoshima"
DEMO_PASSWORD = "kyodo-demo"  # noqa: S105 - printed by `make run`; demo data only

REGIONAL_OFFICES = (
    ("鹿児島地域振興局", "かごしまちいきしんこうきょく"),
    ("南薩地域振興局", "なんさつちいきしんこうきょく"),
    ("北薩地域振興局", "ほくさつちいきしんこうきょく"),
    ("姶良・伊佐地域振興局", "あいら・いさちいきしんこうきょく"),
    ("大隅地域振興局", "おおすみちいきしんこうきょく"),
    ("熊毛支庁", "くまげしちょう"),
    ("大島支庁", "おおしましちょう"),
)

DEMO_ACCOUNTS = (
    # email, name, what the account shows
    ("admin@kyodo.example", "サイト管理者", "サイト管理者(管理画面を含むすべて)"),
    ("secretariat@kyodo.example", "協働 花子", "ネットワーク事務局(鹿児島県 共生・協働推進課)"),
    ("staff@kyodo.example", "鹿児 太郎", "市町村職員(鹿児島市)"),
    ("officer@kyodo.example", "南 一郎", "組織の役員(デモ みなみ校区コミュニティ協議会 会長)"),
    ("resident@kyodo.example", "住民 さくら", "住民(ログインのみ)"),
)

DEMO_KANA = {
    "secretariat@kyodo.example": ("きょうどう", "はなこ"),
    "staff@kyodo.example": ("かご", "たろう"),
    "officer@kyodo.example": ("みなみ", "いちろう"),
}


def municipalities_csv() -> str:
    return (
        resources.files("kyodo.directory")
        .joinpath("data/kagoshima-municipalities.csv")
        .read_text(encoding="utf-8")
    )


def is_loaded() -> bool:
    return Network.objects.filter(slug=NETWORK_SLUG).exists()


@transaction.atomic
def load() -> bool:
    """Load the demo once; return False when it was already there."""
    if is_loaded():
        return False
    actor = None
    prefecture = services.organisation_create(
        actor=actor,
        kind=OrganisationKind.PREFECTURE,
        name="鹿児島県",
        kana="かごしまけん",
        lgcode="460001",
        postal_code="890-8577",
        address="鹿児島市鴨池新町10番1号",
        phone="099-286-2111",
    )
    offices = [
        services.organisation_create(
            actor=actor,
            kind=OrganisationKind.REGIONAL_OFFICE,
            name=name,
            kana=kana,
            parent=prefecture,
        )
        for name, kana in REGIONAL_OFFICES
    ]
    centre = services.organisation_create(
        actor=actor,
        kind=OrganisationKind.CENTRE,
        name="共生・協働センター",
        kana="きょうせい・きょうどうせんたー",
        parent=prefecture,
    )
    secretariat = services.organisation_create(
        actor=actor,
        kind=OrganisationKind.DEPARTMENT,
        name="共生・協働推進課",
        kana="きょうせい・きょうどうすいしんか",
        parent=prefecture,
        postal_code="890-8577",
        address="鹿児島市鴨池新町10番1号",
        phone="099-286-2111",
    )
    services.municipalities_import(text=municipalities_csv(), prefecture=prefecture, actor=actor)
    municipalities = list(Organisation.objects.municipalities().order_by("lgcode"))

    network = services.network_create(
        actor=actor,
        name="共生・協働推進かごしま自治体ネットワーク",
        short_name="かごしま自治体ネットワーク",
        slug=NETWORK_SLUG,
        founded_on=datetime.date(2005, 7, 1),
        founded_precision="month",
        secretariat=secretariat,
        description=(
            "人口減少や少子高齢化の急激な進展の中,地域社会や行政を取り巻く状況が更に厳しくなる"
            "ことが予想される状況を見据え,県では,地域の多様な主体が連携・協力して地域課題の解決"
            "等に主体的に取り組む仕組み作りを支援しています。\n\n"
            "「共生・協働推進かごしま自治体ネットワーク」は,"
            "県(地域振興局・支庁,共生・協働センターを含む)及び全市町村の担当課を会員として,"
            "県・市町村が連携して共生・協働による地域社会づくりを推進することを目的とし,"
            "平成17年7月に設置されました。年3回の意見交換,研修会等を実施しているほか,"
            "県内外のNPO施策や共生・協働の取組等に関する情報共有・情報発信を行っています。"
        ),
        purpose="県・市町村が連携して共生・協働による地域社会づくりを推進すること。",
        activities=(
            "年3回の意見交換,研修会等の実施\n"
            "県内外のNPO施策や共生・協働の取組等に関する情報共有・情報発信"
        ),
    )
    services.network_add_members(
        network=network,
        organisations=[prefecture, *offices, centre, *municipalities],
        actor=actor,
        joined_on=datetime.date(2005, 7, 1),
    )
    _load_demo_community(municipalities[0], secretariat)
    return True


def _load_demo_community(city: Organisation, secretariat: Organisation) -> None:
    """Invented, clearly marked people and groups so every role can be tried out."""
    actor = None
    council = services.organisation_create(
        actor=actor,
        kind=OrganisationKind.COMMUNITY_COUNCIL,
        name="(デモ)みなみ校区コミュニティ協議会",
        kana="みなみこうくこみゅにてぃきょうぎかい",
        parent=city,
        description="デモ用の架空の協議会です。校区内の町内会・子ども会・NPOなどで構成しています。",
    )
    services.organisation_create(
        actor=actor,
        kind=OrganisationKind.NEIGHBOURHOOD_ASSOCIATION,
        name="(デモ)みなみ一丁目町内会",
        kana="みなみいっちょうめちょうないかい",
        parent=council,
    )
    services.organisation_create(
        actor=actor,
        kind=OrganisationKind.NPO,
        name="(デモ)NPO法人みなみ地域づくりサポート",
        kana="みなみちいきづくりさぽーと",
        parent=city,
    )
    admin, secretary, staff, officer, _resident = (
        services.user_create(
            actor=actor,
            email=email,
            name=name,
            password=DEMO_PASSWORD,
            is_staff=email.startswith("admin@"),
            is_superuser=email.startswith("admin@"),
        )
        for email, name, _label in DEMO_ACCOUNTS
    )
    del admin
    fiscal_start = datetime.date(2026, 4, 1)
    for user, organisation, role, title, public, ends, note in (
        (secretary, secretariat, MembershipRole.STAFF, "主事", True, None, ""),
        (staff, city, MembershipRole.STAFF, "地域づくり担当", False, None, ""),
        (
            officer,
            council,
            MembershipRole.OFFICER,
            "会長",
            True,
            datetime.date(2027, 3, 31),
            "輪番制(1年)",
        ),
    ):
        family, _, given = user.name.partition(" ")
        family_kana, given_kana = DEMO_KANA.get(user.email, ("", ""))
        person = services.person_create(
            actor=actor,
            family_name=family,
            given_name=given,
            family_kana=family_kana,
            given_kana=given_kana,
            email=user.email,
            user=user,
        )
        services.membership_create(
            actor=actor,
            person=person,
            organisation=organisation,
            role=role,
            title=title,
            is_public_contact=public,
            starts_on=fiscal_start,
            ends_on=ends,
            rotation_note=note,
        )
