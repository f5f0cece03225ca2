"""Demo of the municipal side of collaboration in the demo city: its liaison scheme run by
地域振興課 with 人事課 reading the reports, the demo staff member assigned to the demo council,
a colleague about to take over, and — from each area's module — participation, key people,
a handover, the collaboration evaluation, a workshop and a recruitment request. All people
are invented and marked (デモ) where they are named."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from kyodo.core.dates import fiscal_year
from kyodo.directory import services as directory_services
from kyodo.directory.demo import DEMO_PASSWORD
from kyodo.directory.models import MembershipRole, Organisation, OrganisationKind, Person, User
from kyodo.liaison.models import Assignment, AssignmentRole, LiaisonScheme

COUNCIL = "(デモ)みなみ校区コミュニティ協議会"
ASSOCIATION = "(デモ)みなみ一丁目町内会"

# (email, name, organisation key, role, title, what the account shows)
LIAISON_ACCOUNTS = [
    (
        "manager@kyodo.example",
        "振興 課長",
        "managing",
        MembershipRole.STAFF,
        "課長",
        "地域担当職員制度の管理者(鹿児島市 地域振興課)",
    ),
    (
        "newstaff@kyodo.example",
        "新任 みどり",
        "learning",
        MembershipRole.STAFF,
        "主事",
        "デモ協議会の引継ぎを受ける職員(鹿児島市 生涯学習課)",
    ),
    (
        "jinji@kyodo.example",
        "人事 さとし",
        "personnel",
        MembershipRole.STAFF,
        "主査",
        "人事担当(鹿児島市 人事課:参加状況の報告だけを見る)",
    ),
    (
        "chouju@kyodo.example",
        "長寿 はな",
        "welfare",
        MembershipRole.STAFF,
        "主査",
        "長寿あんしん課の職員(協働評価シートに回答、ファシリテーションの依頼に回答)",
    ),
    (
        "gakushu@kyodo.example",
        "生涯 まなぶ",
        "learning",
        MembershipRole.STAFF,
        "主事",
        "生涯学習課の職員(協働評価シートに回答)",
    ),
    (
        "chonai@kyodo.example",
        "町内 一子",
        "association",
        MembershipRole.OFFICER,
        "会長",
        "町内会長(デモ みなみ一丁目町内会:動員依頼に回答)",
    ),
]

# Readings, so lists sorted by よみがな read as they would in the office.
KANA = {
    "manager@kyodo.example": ("しんこう", "かちょう"),
    "newstaff@kyodo.example": ("しんにん", "みどり"),
    "jinji@kyodo.example": ("じんじ", "さとし"),
    "chouju@kyodo.example": ("ちょうじゅ", "はな"),
    "gakushu@kyodo.example": ("しょうがい", "まなぶ"),
    "chonai@kyodo.example": ("ちょうない", "かずこ"),
}


@dataclass
class DemoContext:
    city: Organisation
    managing: Organisation
    personnel: Organisation
    welfare: Organisation
    learning: Organisation
    area: Organisation
    association: Organisation
    manager: User
    liaison: User
    incoming: User
    clerk: User
    head: User
    welfare_editor: User
    learning_editor: User
    officer: User
    fiscal_year: int
    today: datetime.date


def load() -> DemoContext:
    """The scheme, its accounts and assignments, then each area's demo data."""
    from kyodo.liaison.demo import evaluation, people, recruitment, staff, workshops

    context = _load_scheme()
    for module in (staff, people, evaluation, workshops, recruitment):
        module.load(context)
    return context


def _department(city: Organisation, name: str, kana: str) -> Organisation:
    return directory_services.organisation_create(
        actor=None, kind=OrganisationKind.DEPARTMENT, name=name, kana=kana, parent=city
    )


def _load_scheme() -> DemoContext:
    area = Organisation.objects.get(name=COUNCIL)
    city = area.parent
    assert city is not None
    association = Organisation.objects.get(name=ASSOCIATION)
    managing = _department(city, "地域振興課", "ちいきしんこうか")
    personnel = _department(city, "人事課", "じんじか")
    welfare = _department(city, "長寿あんしん課", "ちょうじゅあんしんか")
    learning = _department(city, "生涯学習課", "しょうがいがくしゅうか")
    organisations = {
        "managing": managing,
        "personnel": personnel,
        "welfare": welfare,
        "learning": learning,
        "association": association,
    }
    today = timezone.localdate()
    starts = datetime.date(fiscal_year(today), 4, 1)
    users = {}
    for email, name, key, role, title, _label in LIAISON_ACCOUNTS:
        user = directory_services.user_create(
            actor=None, email=email, name=name, password=DEMO_PASSWORD
        )
        family, _, given = name.partition(" ")
        family_kana, given_kana = KANA[email]
        person = directory_services.person_create(
            actor=None,
            family_name=family,
            given_name=given,
            family_kana=family_kana,
            given_kana=given_kana,
            email=email,
            user=user,
        )
        directory_services.membership_create(
            actor=None,
            person=person,
            organisation=organisations[key],
            role=role,
            title=title,
            starts_on=starts,
        )
        users[email.split("@")[0]] = user
    LiaisonScheme.objects.create(
        municipality=city, managing_department=managing, personnel_department=personnel
    )
    liaison = User.objects.get(email="staff@kyodo.example")
    year = fiscal_year(today)
    for fy in (year - 1, year):
        Assignment.objects.create(
            area=area,
            person=Person.objects.get(user=liaison),
            fiscal_year=fy,
            role=AssignmentRole.LEAD,
        )
    return DemoContext(
        city=city,
        managing=managing,
        personnel=personnel,
        welfare=welfare,
        learning=learning,
        area=area,
        association=association,
        manager=users["manager"],
        liaison=liaison,
        incoming=users["newstaff"],
        clerk=users["jinji"],
        head=users["chonai"],
        welfare_editor=users["chouju"],
        learning_editor=users["gakushu"],
        officer=User.objects.get(email="officer@kyodo.example"),
        fiscal_year=year,
        today=today,
    )
