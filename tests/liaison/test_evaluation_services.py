"""The collaboration evaluation's services: programmes, a round built on the questionnaire
engine, sheets added later, a department's answer, and bad input refused with nothing
saved."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from kyodo.core.dates import format_fiscal_year
from kyodo.core.models import AuditEntry
from kyodo.directory import services as directory_services
from kyodo.directory.models import Organisation, OrganisationKind
from kyodo.liaison.models import CollaborationLevel, EvaluationRound, EvaluationSheet, Programme
from kyodo.liaison.queries import evaluation as queries
from kyodo.liaison.services import evaluation as services
from kyodo.surveys.models import Answer, QuestionKind, Response, Survey, SurveyStatus

pytestmark = pytest.mark.django_db

YES, PARTLY, NO = CollaborationLevel.YES, CollaborationLevel.PARTLY, CollaborationLevel.NO


def programme(department, name, *, code="", active=True, actor) -> Programme:
    """A programme of the department's municipality, saved by ``actor``."""
    return services.programme_save(
        municipality=department.parent,
        department=department,
        values={"code": code, "name": name, "description": "", "is_active": active},
        actor=actor,
    )


def start(scheme, year=None) -> EvaluationRound:
    return services.round_start(
        municipality=scheme.city, fiscal_year=year or scheme.fiscal_year, actor=scheme.manager
    )


def sheet_of(evaluation, programme) -> EvaluationSheet:
    return EvaluationSheet.objects.select_related("respondent").get(
        round=evaluation, programme=programme
    )


def answer(sheet, level, *, actor, comment="", partners=(), other="", version=None):
    return services.sheet_answer(
        sheet=sheet,
        level=level,
        comment=comment,
        partners=list(partners),
        other_partners=other,
        version=version,
        actor=actor,
    )


def test_starting_a_round_builds_the_questionnaire_and_a_sheet_per_active_programme(scheme):
    kept = programme(
        scheme.managing, "地域コミュニティ協議会運営支援", code="01-001", actor=scheme.manager
    )
    programme(scheme.managing, "終わった事業", active=False, actor=scheme.manager)
    evaluation = start(scheme)
    survey = evaluation.survey
    assert survey.title == f"{format_fiscal_year(scheme.fiscal_year)} 事務事業評価(協働)"
    assert (survey.owner, survey.status) == (scheme.city, SurveyStatus.OPEN)
    level, comment = survey.questions.order_by("position")
    assert (level, comment) == (evaluation.level_question, evaluation.comment_question)
    assert (level.text, level.kind, level.required) == (
        "協働ができていますか",
        QuestionKind.SINGLE,
        True,
    )
    assert [o.label for o in level.options.all()] == [
        "できている",
        "一部できている",
        "できていない",
    ]
    assert (comment.text, comment.kind) == (
        "コメント(協働の状況、課題、次年度に向けて)",
        QuestionKind.LONG_TEXT,
    )
    sheet = EvaluationSheet.objects.get(round=evaluation)
    assert sheet.programme == kept
    respondent = sheet.respondent
    assert (respondent.source, respondent.organisation, respondent.name) == (
        f"liaison.programme:{kept.pk}",
        scheme.managing,
        "地域コミュニティ協議会運営支援",
    )
    entry = AuditEntry.objects.get(action="liaison.round_start")
    assert (entry.actor, entry.changes["sheets"]) == (scheme.manager, 1)


def test_a_second_round_for_the_same_year_is_refused(scheme):
    start(scheme)
    surveys = Survey.objects.count()
    with pytest.raises(ValidationError) as refused:
        start(scheme)
    assert "この年度の協働評価はすでにあります。" in refused.value.messages
    assert Survey.objects.count() == surveys
    with pytest.raises(ValidationError) as refused:
        start(scheme, year=1999)
    assert "年度は2000年度から2100年度の間で指定してください。" in refused.value.messages


def test_programmes_added_later_get_their_sheet_on_request(scheme):
    programme(scheme.managing, "町内会加入促進", actor=scheme.manager)
    evaluation = start(scheme)
    programme(scheme.personnel, "職員研修(協働)", actor=scheme.manager)
    assert services.round_add_sheets(evaluation=evaluation, actor=scheme.manager) == 1
    assert services.round_add_sheets(evaluation=evaluation, actor=scheme.manager) == 0
    assert evaluation.sheets.count() == 2
    programme(scheme.personnel, "職員提案制度", actor=scheme.manager)
    services.round_set_open(evaluation=evaluation, is_open=False, actor=scheme.manager)
    with pytest.raises(ValidationError) as refused:
        services.round_add_sheets(evaluation=evaluation, actor=scheme.manager)
    assert "締め切った協働評価にはシートを追加できません" in refused.value.messages[0]
    assert evaluation.sheets.count() == 2


def test_a_name_already_used_in_the_department_is_refused_beside_the_name(scheme):
    programme(scheme.managing, "町内会加入促進", actor=scheme.manager)
    with pytest.raises(ValidationError) as refused:
        programme(scheme.managing, "町内会加入促進", actor=scheme.manager)
    assert refused.value.message_dict == {
        "name": ["この課には同じ名前の事務事業がすでにあります。"]
    }
    programme(
        scheme.personnel, "町内会加入促進", actor=scheme.manager
    )  # another department may use the name
    assert Programme.objects.filter(name="町内会加入促進").count() == 2
    with pytest.raises(ValidationError):
        programme(
            scheme.area, "協議会の事業", actor=scheme.manager
        )  # a council is not a department
    assert Programme.objects.count() == 2


def test_an_answer_is_kept_in_the_engine_and_a_new_save_needs_the_current_version(scheme):
    item = programme(scheme.managing, "地域担当職員制度", actor=scheme.manager)
    evaluation = start(scheme)
    sheet = sheet_of(evaluation, item)
    association = Organisation.objects.get(name="(デモ)みなみ一丁目町内会")
    answer(
        sheet,
        PARTLY,
        actor=scheme.manager,
        comment="行事への参加は増えた。",
        partners=[scheme.area, association],
        other="民生委員",
    )
    response = Response.objects.get(respondent=sheet.respondent)
    assert response.version == 1
    answers = {a.question_id: a for a in Answer.objects.filter(response=response)}
    assert answers[evaluation.level_question_id].option.label == "一部できている"
    assert answers[evaluation.comment_question_id].text == "行事への参加は増えた。"
    sheet.refresh_from_db()
    assert set(sheet.partners.all()) == {scheme.area, association}
    assert sheet.other_partners == "民生委員"

    answer(sheet, YES, actor=scheme.manager, comment="改善した。", version=1)
    with pytest.raises(ValidationError) as refused:  # a colleague's form, read at version 1
        answer(sheet, NO, actor=scheme.manager, comment="古い内容", version=1)
    assert "別の画面で回答が更新されました" in refused.value.messages[0]
    rows = queries.sheets_of_departments(scheme.city, scheme.fiscal_year, [scheme.managing.pk])
    assert [(r.level, r.comment, r.partners) for r in rows] == [(YES, "改善した。", "")]
    assert Response.objects.get(respondent=sheet.respondent).version == 2


@pytest.mark.parametrize(
    ("level", "partner", "message"),
    [
        ("", None, "「協働ができていますか」の答えを選んでください。"),
        ("maybe", None, "「協働ができていますか」の答えを選んでください。"),
        (YES, "elsewhere", "はこの市町村の地域団体として選べません。"),
        (YES, "department", "はこの市町村の地域団体として選べません。"),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_saved(scheme, level, partner, message):
    item = programme(scheme.managing, "地域担当職員制度", actor=scheme.manager)
    sheet = sheet_of(start(scheme), item)
    partners = []
    if partner == "elsewhere":
        town = Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY).exclude(
            pk=scheme.city.pk
        )[0]
        partners = [
            directory_services.organisation_create(
                actor=None,
                kind=OrganisationKind.COMMUNITY_COUNCIL,
                name="よその校区コミュニティ協議会",
                parent=town,
            )
        ]
    elif partner == "department":
        partners = [scheme.personnel]
    with pytest.raises(ValidationError) as refused:
        answer(sheet, level, actor=scheme.manager, comment="書いた", partners=partners)
    assert any(message in text for text in refused.value.messages)
    assert not Response.objects.exists()
    assert not sheet.partners.exists()


def test_a_closed_round_takes_no_answers(scheme):
    item = programme(scheme.managing, "地域担当職員制度", actor=scheme.manager)
    evaluation = start(scheme)
    services.round_set_open(evaluation=evaluation, is_open=False, actor=scheme.manager)
    with pytest.raises(ValidationError) as refused:
        answer(sheet_of(evaluation, item), YES, actor=scheme.manager)
    assert refused.value.messages == [
        "この年度の協働評価は締め切られています。回答の追加・修正はできません。"
    ]
    assert not Response.objects.exists()
    services.round_set_open(evaluation=evaluation, is_open=True, actor=scheme.manager)
    answer(sheet_of(evaluation, item), YES, actor=scheme.manager)
    assert Response.objects.count() == 1


def test_department_editors_answer_only_their_own_sheets(scheme, demo):
    mine = programme(scheme.managing, "地域担当職員制度", actor=scheme.manager)
    theirs = programme(scheme.other_department, "地域公民館講座", actor=scheme.manager)
    evaluation = start(scheme)
    assert scheme.manager.has_perm("liaison.answer_sheet", sheet_of(evaluation, mine))
    assert not scheme.unassigned.has_perm("liaison.answer_sheet", sheet_of(evaluation, mine))
    assert scheme.unassigned.has_perm("liaison.answer_sheet", sheet_of(evaluation, theirs))
    assert not scheme.manager.has_perm("liaison.answer_sheet", sheet_of(evaluation, theirs))
    assert scheme.manager.has_perm("liaison.change_programme", theirs)
    assert not scheme.clerk.has_perm("liaison.change_programme", theirs)
    for outsider in (demo.resident, demo.officer, demo.secretary):
        assert not outsider.has_perm("liaison.view_evaluation", scheme.city)
    # The service holds any caller to the same rule, not only the page.
    with pytest.raises(ValidationError) as refused:
        answer(sheet_of(evaluation, theirs), YES, actor=scheme.manager)
    assert refused.value.messages == ["この事務事業評価シートに回答できるのは、担当課の職員です。"]
    assert not Response.objects.exists()


def move(item, department, *, actor) -> Programme:
    return services.programme_save(
        municipality=department.parent,
        department=department,
        values={"name": item.name},
        programme=item,
        actor=actor,
    )


def test_only_who_may_change_the_departments_programmes_saves_one(scheme, demo):
    ours = programme(scheme.personnel, "職員研修(協働)", actor=scheme.clerk)
    theirs = programme(scheme.managing, "町内会加入促進", actor=scheme.manager)
    refusals = [
        # the clerk adds to another department, takes its programme, hands theirs away
        (lambda: programme(scheme.managing, "よその課の事業", actor=scheme.clerk), "地域振興課"),
        (lambda: move(theirs, scheme.personnel, actor=scheme.clerk), "人事課"),
        (lambda: move(ours, scheme.other_department, actor=scheme.clerk), "生涯学習課"),
        (lambda: programme(scheme.personnel, "住民の事業", actor=demo.resident), "人事課"),
    ]
    for attempt, department in refusals:
        with pytest.raises(ValidationError) as refused:
            attempt()
        assert refused.value.message_dict == {
            "department": [f"{department}の事務事業を登録・変更する権限がありません。"]
        }
    assert sorted(Programme.objects.values_list("name", "department__name")) == [
        ("町内会加入促進", "地域振興課"),
        ("職員研修(協働)", "人事課"),
    ]
    assert AuditEntry.objects.filter(action="liaison.programme_change").count() == 0


def test_a_department_of_another_municipality_is_refused(scheme):
    town = Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY).exclude(
        pk=scheme.city.pk
    )[0]
    elsewhere = directory_services.organisation_create(
        actor=None, kind=OrganisationKind.DEPARTMENT, name="企画課", parent=town
    )
    item = programme(scheme.managing, "町内会加入促進", actor=scheme.manager)
    with pytest.raises(ValidationError) as refused:
        services.programme_save(
            municipality=scheme.city,
            department=elsewhere,
            values={"name": "よその町の事業"},
            actor=scheme.manager,
        )
    assert refused.value.message_dict == {
        "department": [f"{scheme.city.name}の課を選んでください。"]
    }
    with pytest.raises(ValidationError):
        move(item, elsewhere, actor=scheme.manager)  # the town's page, the city's programme
    item.refresh_from_db()
    assert item.department == scheme.managing
    assert Programme.objects.count() == 1


def test_a_moved_programme_leaves_its_past_sheets_with_the_old_department(scheme):
    item = programme(scheme.personnel, "職員研修(協働)", actor=scheme.clerk)
    last_year = start(scheme, scheme.fiscal_year - 1)
    old_sheet = sheet_of(last_year, item)
    move(item, scheme.other_department, actor=scheme.manager)
    this_year = start(scheme)
    new_sheet = sheet_of(this_year, item)
    assert (old_sheet.department, new_sheet.department) == (
        scheme.personnel,
        scheme.other_department,
    )
    assert scheme.clerk.has_perm("liaison.answer_sheet", old_sheet)
    assert not scheme.unassigned.has_perm("liaison.answer_sheet", old_sheet)
    assert scheme.unassigned.has_perm("liaison.answer_sheet", new_sheet)
    assert not scheme.clerk.has_perm("liaison.answer_sheet", new_sheet)
