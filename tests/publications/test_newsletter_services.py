"""The rules of the newsletter's services, above all those of obituaries: consent before
publishing, only consented fields kept and shown, a last day on the web, and an audit entry
for every consent recorded."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from kyodo.core.models import AuditEntry
from kyodo.publications.models import IssueStatus, NewsletterIssue, Notice
from kyodo.publications.queries import newsletter as queries
from kyodo.publications.services import newsletter as services
from tests.publications.newsletter_fixtures import (
    CONSENT_DAY,
    ISSUE_DATE,
    MOURNER,
    READING_DAY,
    _media,
    article,
    make_issue,
    member_officer,
    notice,
    obituary,
    other_council,
    save,
)

__all__ = ["_media", "make_issue", "member_officer", "other_council"]

pytestmark = pytest.mark.django_db


def test_a_new_issue_takes_the_name_and_next_number_of_the_previous_one(demo) -> None:
    first = services.newsletter_issue_create(
        council=demo.council, issue_date=ISSUE_DATE, actor=demo.officer
    )
    assert (first.name, first.number) == ("(デモ)みなみ校区コミュニティ協議会だより", 1)
    first.name = "みなみ校区だより"
    first.save()
    second = services.newsletter_issue_create(
        council=demo.council, issue_date=ISSUE_DATE, actor=demo.officer
    )
    assert (second.name, second.number) == ("みなみ校区だより", 2)
    assert AuditEntry.objects.filter(action="newsletter.issue_create").count() == 2


def test_a_number_already_used_is_refused(demo) -> None:
    services.newsletter_issue_create(
        council=demo.council, issue_date=ISSUE_DATE, number=5, actor=demo.officer
    )
    with pytest.raises(ValidationError) as refused:
        services.newsletter_issue_create(
            council=demo.council, issue_date=ISSUE_DATE, number=5, actor=demo.officer
        )
    assert "この号はすでにあります。別の号数にしてください。" in refused.value.messages
    assert NewsletterIssue.objects.count() == 1


def test_an_issue_with_an_obituary_without_consent_is_not_published(make_issue, demo) -> None:
    issue = make_issue(publish=False, notices=[notice(), obituary(consent=False)])
    with pytest.raises(ValidationError) as refused:
        services.newsletter_issue_publish(issue=issue, actor=demo.officer)
    assert refused.value.message_dict == {
        "notices[1]": [
            "お知らせ2「訃報」は、ご遺族の同意(同意を得た日・同意されたご遺族のお名前・"
            "掲載する項目)が記録されていない訃報です。"
            "同意を記録するか、このお知らせを削除してから発行してください。"
        ]
    }
    issue.refresh_from_db()
    assert (issue.status, issue.published_at) == (IssueStatus.DRAFT, None)
    assert not AuditEntry.objects.filter(action="newsletter.issue_publish").exists()


def test_an_empty_issue_is_not_published(demo) -> None:
    issue = services.newsletter_issue_create(
        council=demo.council, issue_date=ISSUE_DATE, actor=demo.officer
    )
    with pytest.raises(ValidationError) as refused:
        services.newsletter_issue_publish(issue=issue, actor=demo.officer)
    assert refused.value.messages == ["記事かお知らせを1件以上入れてから発行してください。"]


def test_a_published_issue_cannot_be_saved_with_an_obituary_without_consent(
    make_issue, demo
) -> None:
    issue = make_issue(notices=[obituary()])
    with pytest.raises(ValidationError) as refused:
        save(issue, demo.officer, notices=[obituary(consent=False)])
    assert list(refused.value.message_dict) == ["notices[0]"]
    assert Notice.objects.get().consent_by == MOURNER


def test_consent_is_recorded_whole(make_issue, demo) -> None:
    issue = make_issue(publish=False)
    with pytest.raises(ValidationError) as refused:
        save(
            issue,
            demo.officer,
            notices=[obituary(consent=False, consent_relation="長女", consent_fields=["age"])],
        )
    assert refused.value.message_dict == {
        "notices[0].consent_by": ["同意されたご遺族のお名前を入力してください。"],
        "notices[0].consent_on": ["同意を得た日を入力してください。"],
        "notices[0].deceased_name": [services.NOT_CONSENTED],
        "notices[0].area": [services.NOT_CONSENTED],
        "notices[0].died_on": [services.NOT_CONSENTED],
        "notices[0].funeral": [services.NOT_CONSENTED],
    }
    assert not Notice.objects.exists()


def test_a_field_the_family_did_not_agree_to_is_not_kept(make_issue, demo) -> None:
    issue = make_issue(publish=False)
    with pytest.raises(ValidationError) as refused:
        save(issue, demo.officer, notices=[obituary(chief_mourner=MOURNER)])
    assert refused.value.message_dict == {"notices[0].chief_mourner": [services.NOT_CONSENTED]}
    assert not Notice.objects.exists()


def test_an_obituary_carries_no_free_text(make_issue, demo) -> None:
    issue = make_issue(publish=False)
    with pytest.raises(ValidationError) as refused:
        save(issue, demo.officer, notices=[obituary(body="喪主は鳴子花子さんです。")])
    assert list(refused.value.message_dict) == ["notices[0].body"]


def test_consent_is_audited_with_who_recorded_it_and_the_web_period_defaults(
    make_issue, demo, settings
) -> None:
    settings.KYODO_OBITUARY_WEB_DAYS = 14
    issue = make_issue(notices=[obituary()])
    saved = Notice.objects.get()
    assert saved.title == "訃報"
    assert saved.consent_recorded_by == demo.officer
    assert saved.web_until == ISSUE_DATE + datetime.timedelta(days=14)
    entry = AuditEntry.objects.get(action="newsletter.obituary_consent")
    assert entry.actor == demo.officer
    assert entry.object_id == str(saved.pk)
    assert entry.changes == {
        "consent_relation": ["", "長女"],
        "consent_on": ["", str(CONSENT_DAY)],
        "consent_fields": ["", "['deceased_name', 'age', 'area', 'died_on', 'funeral']"],
        "web_until": ["", "2026-12-15"],
        "consented": True,
    }
    # Saving again unchanged records no new consent.
    save(issue, demo.officer, notices=[{**obituary(), "id": saved.pk}])
    assert AuditEntry.objects.filter(action="newsletter.obituary_consent").count() == 1


def test_the_public_sees_only_consented_fields_until_the_last_day(make_issue) -> None:
    issue = make_issue(notices=[notice(), obituary(chief_mourner="")])
    issue = queries.issue_by_pk(issue.pk)
    shown = queries.shown_notices(issue, READING_DAY)
    assert [n.kind for n in shown] == ["celebration", "obituary"]
    assert [(name, value) for name, _label, value in shown[1].consented()] == [
        ("deceased_name", "鳴子 太郎"),
        ("age", 88),
        ("area", "鳴子温泉 湯元"),
        ("died_on", datetime.date(2026, 11, 18)),
        ("funeral", "11月22日 午前10時 鳴子斎場"),
    ]
    last_day = shown[1].web_until
    assert [n.kind for n in queries.shown_notices(issue, last_day)] == ["celebration", "obituary"]
    after = last_day + datetime.timedelta(days=1)
    assert [n.kind for n in queries.shown_notices(issue, after)] == ["celebration"]


def test_a_public_search_never_gets_an_obituary(make_issue) -> None:
    issue = queries.issue_by_pk(make_issue(articles=[article()], notices=[notice(), obituary()]).pk)
    assert [n.title for n in queries.public_notices(issue, READING_DAY)] == ["金婚の集い"]
    text = queries.public_issue_text(issue, READING_DAY)
    assert "餅つき大会を開きました" in text
    assert "金婚の集い" in text
    assert "鳴子 太郎" not in text
    assert "鳴子斎場" not in text
    assert "訃報" not in text


def test_a_draft_gives_a_public_search_nothing(make_issue) -> None:
    issue = queries.issue_by_pk(make_issue(publish=False, notices=[notice()]).pk)
    assert queries.public_notices(issue, READING_DAY) == []
    assert queries.public_issue_text(issue, READING_DAY) == ""


def test_withdrawing_takes_the_issue_back_to_draft(make_issue, demo) -> None:
    issue = make_issue()
    services.newsletter_issue_withdraw(issue=issue, actor=demo.officer)
    issue.refresh_from_db()
    assert (issue.status, issue.published_at) == (IssueStatus.DRAFT, None)
    assert AuditEntry.objects.filter(action="newsletter.issue_withdraw").count() == 1
    with pytest.raises(ValidationError):
        services.newsletter_issue_withdraw(issue=issue, actor=demo.officer)


def test_a_row_of_another_issue_is_refused(make_issue, demo) -> None:
    first = make_issue(notices=[notice()])
    second = make_issue(number=2)
    theirs = first.notices.get()
    with pytest.raises(ValidationError) as refused:
        save(second, demo.officer, notices=[{**notice(title="書き換え"), "id": theirs.pk}])
    assert list(refused.value.message_dict) == ["notices[0]"]
    theirs.refresh_from_db()
    assert theirs.title == "金婚の集い"


def test_an_obituary_is_named_by_number_in_the_audit_log(demo, make_issue) -> None:
    issue = make_issue(notices=[obituary(title="故 鳴子太郎 様")])
    notice = issue.notices.get()
    assert str(notice) == f"訃報(お知らせ #{notice.pk})"
    logged = AuditEntry.objects.filter(object_type="publications.notice")
    assert logged.exists()
    assert not [entry for entry in logged if "鳴子" in entry.object_repr]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"web_until": datetime.date(9999, 12, 31)}, "web_until", "発行日から30日まで"),
        ({"died_on": datetime.date(2026, 11, 25)}, "died_on", "同意を得た日より後"),
        ({"age": 1000}, "age", "享年は130以下"),
    ],
)
def test_an_obituary_cannot_stay_on_the_web_for_ever_or_carry_impossible_facts(
    demo, make_issue, changes, field, message
) -> None:
    with pytest.raises(ValidationError) as refused:
        make_issue(notices=[obituary(**changes)])
    assert any(message in m for m in refused.value.message_dict[f"notices[0].{field}"])
    assert not Notice.objects.exists()
