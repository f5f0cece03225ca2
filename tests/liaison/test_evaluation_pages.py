"""The collaboration evaluation's pages: the summary for a year equals the answers given per
department (page and CSV), a department answers its sheet, bad input is refused with a
message and nothing saved, who may see what, and query counts that do not grow."""

from __future__ import annotations

import csv
import io

import pytest
from django.db.models.signals import post_save
from django.test import Client
from django.urls import reverse

from kyodo.core.dates import format_fiscal_year
from kyodo.directory import services as directory_services
from kyodo.directory.models import Organisation, OrganisationKind
from kyodo.liaison.models import EvaluationRound, Programme
from kyodo.liaison.services import evaluation as services
from kyodo.surveys.models import Response, Survey
from tests.liaison.conftest import client_for, member_of
from tests.liaison.test_evaluation_services import (
    NO,
    PARTLY,
    YES,
    answer,
    programme,
    sheet_of,
    start,
)

pytestmark = pytest.mark.django_db

SHEET_QUERIES = 10


def summary_url(scheme) -> str:
    return reverse("liaison:evaluation_summary", args=[scheme.city.pk, scheme.fiscal_year])


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def counts_row(name: str, *counts: int) -> str:
    cells = "".join(f'<td class="number">{n}</td>' for n in counts)
    return f'<th scope="row">{name}</th>{cells}<td class="number">{sum(counts)}</td></tr>'


@pytest.fixture
def answered(scheme):
    """Three departments, eight programmes, mixed answers and one sheet not answered."""
    plan = [
        (scheme.managing, "01-001", "協議会運営支援", YES, scheme.manager),
        (scheme.managing, "01-002", "地域担当職員制度", YES, scheme.manager),
        (scheme.managing, "01-003", "町内会加入促進", PARTLY, scheme.manager),
        (scheme.personnel, "02-001", "職員研修(協働)", NO, scheme.clerk),
        (scheme.personnel, "02-002", "職員提案制度", None, None),
        (scheme.other_department, "03-001", "地域公民館講座", PARTLY, scheme.unassigned),
        (scheme.other_department, "03-002", "子ども居場所づくり", NO, scheme.other_liaison),
        (scheme.other_department, "03-003", "家庭教育学級", YES, scheme.unassigned),
    ]
    made = [
        (programme(d, name, code=code, actor=scheme.manager), level, who)
        for d, code, name, level, who in plan
    ]
    evaluation = start(scheme)
    for item, level, who in made:
        if level is not None:
            answer(
                sheet_of(evaluation, item),
                level,
                actor=who,
                comment=f"{item.name}のコメント",
                partners=[scheme.area] if level == YES else [],
            )
    return evaluation


def test_the_summary_for_a_year_equals_the_answers_per_department(scheme, answered):
    page = client_for(scheme.manager).get(summary_url(scheme)).content.decode()
    # できている / 一部できている / できていない / 未回答, then the total
    assert counts_row("地域振興課", 2, 1, 0, 0) in page
    assert counts_row("人事課", 0, 0, 1, 1) in page
    assert counts_row("生涯学習課", 1, 1, 1, 0) in page
    assert counts_row("合計", 3, 2, 2, 1) in page
    # The chart's text alternative names every count.
    assert "地域振興課: できている 2件、一部できている 1件、できていない 0件、未回答 0件" in page
    assert '<th scope="row">職員提案制度</th>' in page
    assert "地域公民館講座のコメント" in page

    response = client_for(scheme.manager).get(
        reverse("liaison:evaluation_csv", args=[scheme.city.pk, scheme.fiscal_year])
    )
    rows = csv_rows(response)
    assert rows[0] == [
        "担当課",
        "事業番号",
        "事務事業名",
        "協働ができていますか",
        "コメント",
        "協働の相手",
    ]
    council = scheme.area.name
    assert rows[1:] == [
        ["人事課", "02-001", "職員研修(協働)", "できていない", "職員研修(協働)のコメント", ""],
        ["人事課", "02-002", "職員提案制度", "未回答", "", ""],
        [
            "地域振興課",
            "01-001",
            "協議会運営支援",
            "できている",
            "協議会運営支援のコメント",
            council,
        ],
        [
            "地域振興課",
            "01-002",
            "地域担当職員制度",
            "できている",
            "地域担当職員制度のコメント",
            council,
        ],
        [
            "地域振興課",
            "01-003",
            "町内会加入促進",
            "一部できている",
            "町内会加入促進のコメント",
            "",
        ],
        [
            "生涯学習課",
            "03-001",
            "地域公民館講座",
            "一部できている",
            "地域公民館講座のコメント",
            "",
        ],
        [
            "生涯学習課",
            "03-002",
            "子ども居場所づくり",
            "できていない",
            "子ども居場所づくりのコメント",
            "",
        ],
        ["生涯学習課", "03-003", "家庭教育学級", "できている", "家庭教育学級のコメント", council],
    ]
    # The CSV's counts agree with the page's.
    levels = [row[3] for row in rows[1:]]
    assert (levels.count("できている"), levels.count("未回答")) == (3, 1)


def test_the_years_chart_counts_each_rounds_answers(scheme, answered):
    item = Programme.objects.get(name="協議会運営支援")
    earlier = start(scheme, year=scheme.fiscal_year - 1)
    answer(sheet_of(earlier, item), NO, actor=scheme.manager)
    page = client_for(scheme.clerk).get(summary_url(scheme)).content.decode()
    assert 'id="year-counts"' in page
    table = page[page.index('id="year-counts"') :]
    assert (
        counts_row_link(scheme, scheme.fiscal_year - 1)
        + "".join(f'<td class="number">{n}</td>' for n in (0, 0, 1, 7, 8))
        in table
    )
    assert "".join(f'<td class="number">{n}</td>' for n in (3, 2, 2, 1, 8)) in table


def counts_row_link(scheme, year: int) -> str:
    url = reverse("liaison:evaluation_summary", args=[scheme.city.pk, year])
    return f'<th scope="row"><a href="{url}">{format_fiscal_year(year)}</a></th>'


def test_a_department_answers_its_sheet_through_the_page(scheme, answered):
    item = Programme.objects.get(name="職員提案制度")
    sheet = sheet_of(answered, item)
    url = reverse("liaison:evaluation_sheet", args=[sheet.pk])
    client = client_for(scheme.clerk)
    assert 'name="version"' in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "level": PARTLY,
            "comment": "提案の審査に地域の委員が入った。",
            "partners": [str(scheme.area.pk)],
            "other_partners": "商工会",
            "version": "",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "liaison:evaluation_mine", args=[scheme.city.pk, scheme.fiscal_year]
    )
    mine = client.get(response["Location"]).content.decode()
    assert "「職員提案制度」の評価シートを保存しました。" in mine
    assert "一部できている" in mine
    page = client.get(url).content.decode()
    assert 'name="version" value="1"' in page
    assert "提案の審査に地域の委員が入った。" in page
    summary = client.get(summary_url(scheme)).content.decode()
    assert counts_row("人事課", 0, 1, 1, 0) in summary


def test_a_sheet_without_a_level_is_refused_and_nothing_is_saved(scheme, answered):
    sheet = sheet_of(answered, Programme.objects.get(name="職員提案制度"))
    response = client_for(scheme.clerk).post(
        reverse("liaison:evaluation_sheet", args=[sheet.pk]),
        {"comment": "選び忘れ", "partners": [str(scheme.area.pk)], "version": ""},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "何も保存されていません" in page
    assert "「協働ができていますか」の答えを選んでください。" in page
    assert not Response.objects.filter(respondent=sheet.respondent).exists()
    assert not sheet.partners.exists()


def test_a_stale_form_and_a_closed_round_are_refused_with_a_message(scheme, answered):
    sheet = sheet_of(answered, Programme.objects.get(name="職員研修(協働)"))
    url = reverse("liaison:evaluation_sheet", args=[sheet.pk])
    client = client_for(scheme.clerk)
    data = {"level": YES, "comment": "更新", "version": "1"}
    assert client.post(url, data).status_code == 302
    stale = client.post(url, {**data, "level": NO})  # still the form read at version 1
    assert stale.status_code == 400
    assert "別の画面で回答が更新されました" in stale.content.decode()
    client_for(scheme.manager).post(
        reverse("liaison:evaluation_round_status", args=[answered.pk]), {"action": "close"}
    )
    closed = client.post(url, {**data, "version": "2"})
    assert closed.status_code == 400
    assert "この年度の協働評価は締め切られています。" in closed.content.decode()
    assert Response.objects.get(respondent=sheet.respondent).version == 2


def test_only_the_programmes_department_answers_its_sheet(scheme, answered):
    sheet = sheet_of(answered, Programme.objects.get(name="職員提案制度"))
    url = reverse("liaison:evaluation_sheet", args=[sheet.pk])
    for outsider in (scheme.manager, scheme.unassigned, scheme.liaison):
        client = client_for(outsider)
        assert client.get(url).status_code == 403
        assert client.post(url, {"level": YES, "version": ""}).status_code == 403
    assert not Response.objects.filter(respondent=sheet.respondent).exists()


def test_residents_and_other_municipalities_get_403(scheme, answered, demo):
    town = Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY).exclude(
        pk=scheme.city.pk
    )[0]
    department = directory_services.organisation_create(
        actor=None, kind=OrganisationKind.DEPARTMENT, name="企画課", parent=town
    )
    elsewhere = member_of(department, "kikaku@example.jp", "企画 四郎")
    sheet = sheet_of(answered, Programme.objects.get(name="協議会運営支援"))
    item = Programme.objects.get(name="協議会運営支援")
    year = (scheme.city.pk, scheme.fiscal_year)
    urls = [
        reverse("liaison:evaluation_programmes", args=[scheme.city.pk]),
        reverse("liaison:programme_edit", args=[item.pk]),
        reverse("liaison:evaluation_rounds", args=[scheme.city.pk]),
        reverse("liaison:evaluation_summary", args=year),
        reverse("liaison:evaluation_csv", args=year),
        reverse("liaison:evaluation_mine", args=year),
        reverse("liaison:evaluation_sheet", args=[sheet.pk]),
    ]
    for user in (demo.resident, demo.officer, elsewhere):
        client = client_for(user)
        for url in urls:
            assert client.get(url).status_code == 403, (user, url)
    for url in urls:
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    # Department staff read the summary but do not run the rounds.
    client = client_for(scheme.clerk)
    assert client.get(reverse("liaison:evaluation_summary", args=year)).status_code == 200
    assert (
        client.post(
            reverse("liaison:evaluation_rounds", args=[scheme.city.pk]),
            {"fiscal_year": scheme.fiscal_year + 1},
        ).status_code
        == 403
    )
    for name in ("evaluation_round_status", "evaluation_round_add_sheets"):
        assert (
            client.post(reverse(f"liaison:{name}", args=[answered.pk]), {"action": "close"})
        ).status_code == 403
    assert EvaluationRound.objects.count() == 1
    assert answered.survey.status == "open"


def test_a_manager_starts_a_round_and_a_second_one_is_refused(scheme):
    programme(scheme.personnel, "職員研修(協働)", actor=scheme.manager)
    client = client_for(scheme.manager)
    url = reverse("liaison:evaluation_rounds", args=[scheme.city.pk])
    response = client.post(url, {"fiscal_year": scheme.fiscal_year})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "の協働評価を始めました(シート1件)。" in page
    again = client.post(url, {"fiscal_year": scheme.fiscal_year})
    assert again.status_code == 400
    assert "この年度の協働評価はすでにあります。" in again.content.decode()
    assert EvaluationRound.objects.count() == 1
    programme(scheme.other_department, "地域公民館講座", actor=scheme.manager)
    assert "シートを追加" in client.get(url).content.decode()
    evaluation = EvaluationRound.objects.get()
    client.post(reverse("liaison:evaluation_round_add_sheets", args=[evaluation.pk]))
    assert evaluation.sheets.count() == 2
    assert "シートを追加" not in client.get(url).content.decode()


def test_department_editors_keep_their_own_programmes(scheme):
    url = reverse("liaison:evaluation_programmes", args=[scheme.city.pk])
    clerk = client_for(scheme.clerk)
    added = clerk.post(url, {"department": scheme.personnel.pk, "name": "職員研修(協働)"})
    assert added.status_code == 302
    refused = clerk.post(url, {"department": scheme.managing.pk, "name": "よその課の事業"})
    assert refused.status_code == 400
    assert "正しく選択してください" in refused.content.decode()
    duplicate = clerk.post(url, {"department": scheme.personnel.pk, "name": "職員研修(協働)"})
    assert duplicate.status_code == 400
    assert "この課には同じ名前の事務事業がすでにあります。" in duplicate.content.decode()
    assert list(Programme.objects.values_list("name", flat=True)) == ["職員研修(協働)"]
    item = Programme.objects.get()
    edit = reverse("liaison:programme_edit", args=[item.pk])
    assert client_for(scheme.unassigned).get(edit).status_code == 403
    changed = client_for(scheme.manager).post(
        edit,
        {"department": scheme.personnel.pk, "code": "02-001", "name": "職員研修", "is_active": ""},
    )
    assert changed.status_code == 302
    item.refresh_from_db()
    assert (item.code, item.name, item.is_active) == ("02-001", "職員研修", False)


@pytest.mark.parametrize("size", [1, 50])
def test_the_pages_run_the_same_queries_for_any_number_of_programmes(
    scheme, size, django_assert_num_queries
):
    departments = [scheme.managing, scheme.personnel, scheme.other_department]
    made = [
        programme(departments[n % 3], f"事業{n}", code=f"{n:03}", actor=scheme.manager)
        for n in range(size)
    ]
    evaluation = start(scheme)
    editors = {scheme.managing: scheme.manager, scheme.personnel: scheme.clerk}
    for n, item in enumerate(made):
        who = editors.get(item.department, scheme.unassigned)
        answer(
            sheet_of(evaluation, item),
            [YES, PARTLY, NO][n % 3],
            actor=who,
            comment="コメント",
            partners=[scheme.area],
        )
    client = client_for(scheme.manager)
    year = (scheme.city.pk, scheme.fiscal_year)
    expected = {
        reverse("liaison:evaluation_summary", args=year): 11,
        reverse("liaison:evaluation_mine", args=year): 8,
        reverse("liaison:evaluation_rounds", args=[scheme.city.pk]): 13,
        reverse("liaison:evaluation_programmes", args=[scheme.city.pk]): 13,
    }
    for url, count in expected.items():
        client.get(url)  # warm the session and the permission caches
        with django_assert_num_queries(count):
            assert client.get(url).status_code == 200, url
    # A sheet's page, by its department: the same whatever the number of sheets.
    editor = client_for(scheme.manager)
    url = reverse("liaison:evaluation_sheet", args=[sheet_of(evaluation, made[0]).pk])
    editor.get(url)
    with django_assert_num_queries(SHEET_QUERIES):
        assert editor.get(url).status_code == 200


def test_moving_a_programme_leaves_last_years_summary_and_sheet_as_they_were(scheme):
    item = programme(scheme.personnel, "職員研修(協働)", code="02-001", actor=scheme.clerk)
    last = scheme.fiscal_year - 1
    last_round = start(scheme, last)
    answer(sheet_of(last_round, item), YES, actor=scheme.clerk, comment="研修を地域で開いた")
    services.round_set_open(evaluation=last_round, is_open=False, actor=scheme.manager)
    services.programme_save(
        municipality=scheme.city,
        department=scheme.other_department,
        values={"name": item.name},
        programme=item,
        actor=scheme.manager,
    )
    this_round = start(scheme)
    manager = client_for(scheme.manager)

    page = manager.get(reverse("liaison:evaluation_summary", args=[scheme.city.pk, last]))
    assert counts_row("人事課", 1, 0, 0, 0) in page.content.decode()
    assert "生涯学習課" not in page.content.decode()
    csv_last = manager.get(reverse("liaison:evaluation_csv", args=[scheme.city.pk, last]))
    assert csv_rows(csv_last)[1:] == [
        ["人事課", "02-001", "職員研修(協働)", "できている", "研修を地域で開いた", ""]
    ]
    page = manager.get(summary_url(scheme)).content.decode()
    assert counts_row("生涯学習課", 0, 0, 0, 1) in page
    assert "人事課" not in page

    # Last year's sheet stays the old department's to open; this year's is the new one's.
    clerk, learning = client_for(scheme.clerk), client_for(scheme.unassigned)
    old_url = reverse("liaison:evaluation_sheet", args=[sheet_of(last_round, item).pk])
    new_url = reverse("liaison:evaluation_sheet", args=[sheet_of(this_round, item).pk])
    old_page = clerk.get(old_url)
    assert old_page.status_code == 200
    assert "<dt>担当課</dt><dd>人事課</dd>" in old_page.content.decode()
    assert learning.get(old_url).status_code == 403
    assert learning.get(new_url).status_code == 200
    assert clerk.get(new_url).status_code == 403
    mine_last = reverse("liaison:evaluation_mine", args=[scheme.city.pk, last])
    assert old_url in clerk.get(mine_last).content.decode()
    assert old_url not in learning.get(mine_last).content.decode()


def test_a_round_started_meanwhile_by_someone_else_is_refused_with_a_message(scheme):
    """Two managers start the same year at once: the other request commits its round after
    this one's check. Simulated by adding that round while this one builds its survey."""
    url = reverse("liaison:evaluation_rounds", args=[scheme.city.pk])

    def other_request(sender, instance, created, **kwargs):
        post_save.disconnect(other_request, sender=Survey)
        services.round_start(
            municipality=scheme.city, fiscal_year=scheme.fiscal_year, actor=scheme.manager
        )

    post_save.connect(other_request, sender=Survey, weak=False)
    try:
        response = client_for(scheme.manager).post(url, {"fiscal_year": scheme.fiscal_year})
    finally:
        post_save.disconnect(other_request, sender=Survey)
    assert response.status_code == 400
    assert "この年度の協働評価はすでにあります。" in response.content.decode()
