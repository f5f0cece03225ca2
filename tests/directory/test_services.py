import pytest
from django.core.exceptions import ValidationError

from kyodo.core.models import AuditEntry
from kyodo.directory import demo as demo_data
from kyodo.directory import services
from kyodo.directory.models import Organisation, OrganisationKind

pytestmark = pytest.mark.django_db


def test_demo_loads_the_network_with_its_real_members_once(demo) -> None:
    assert demo.network.name == "共生・協働推進かごしま自治体ネットワーク"
    assert str(demo.network.founded_on) == "2005-07-01"
    members = Organisation.objects.filter(network_memberships__network=demo.network)
    kinds = {kind: members.filter(kind=kind).count() for kind in OrganisationKind.values}
    assert kinds["prefecture"] == 1
    assert kinds["regional_office"] == 7
    assert kinds["centre"] == 1
    assert kinds["municipality"] == 43
    assert members.filter(kind="municipality", municipality_type="市").count() == 19
    assert members.filter(kind="municipality", municipality_type="町").count() == 20
    assert members.filter(kind="municipality", municipality_type="村").count() == 4
    assert demo_data.load() is False
    assert Organisation.objects.municipalities().count() == 43


def test_update_writes_an_audit_entry_with_the_changed_fields(demo) -> None:
    services.organisation_update(
        organisation=demo.council, actor=demo.officer, values={"phone": "099-000-0000"}
    )
    entry = AuditEntry.objects.filter(action="organisation.update").get()
    assert entry.actor == demo.officer
    assert entry.object_id == str(demo.council.pk)
    assert entry.changes == {"phone": ["", "099-000-0000"]}


def test_update_with_wrong_check_digit_saves_nothing(demo) -> None:
    city = demo.kagoshima_city
    before = (city.lgcode, city.updated_at)
    audits = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as error:
        services.organisation_update(
            organisation=city, actor=demo.secretary, values={"lgcode": "462013", "phone": "1"}
        )
    assert "検査数字" in " ".join(error.value.messages)
    city = Organisation.objects.get(pk=city.pk)
    assert (city.lgcode, city.updated_at) == before
    assert city.phone == ""
    assert AuditEntry.objects.count() == audits


def test_unchanged_update_writes_no_audit_entry(demo) -> None:
    audits = AuditEntry.objects.count()
    services.organisation_update(
        organisation=demo.council, actor=demo.officer, values={"name": demo.council.name}
    )
    assert AuditEntry.objects.count() == audits


def test_lgcode_is_refused_on_organisations_that_are_not_local_governments(demo) -> None:
    with pytest.raises(ValidationError):
        services.organisation_create(
            actor=None, kind=OrganisationKind.NPO, name="NPO", lgcode="462012"
        )


CSV_HEADER = "lgcode,code5,name,kana,type,gun,bureau\n"


def test_import_is_all_or_nothing_with_a_report_for_every_row(demo) -> None:
    text = CSV_HEADER + (
        "462012,46201,鹿児島市,かごしまし,市,,鹿児島地域振興局\n"
        "462013,46201,誤り市,あやまりし,市,,鹿児島地域振興局\n"
        "469998,46999,新しい町,あたらしいちょう,町,テスト郡,存在しない振興局\n"
    )
    with pytest.raises(services.ImportRefusedError) as refused:
        services.municipalities_import(text=text, prefecture=demo.prefecture, actor=demo.admin)
    rows = refused.value.report.rows
    assert [(row.line, row.errors == []) for row in rows] == [(2, True), (3, False), (4, False)]
    assert "462012" in rows[1].errors[0]
    assert "存在しない振興局" in rows[2].errors[0]
    assert not Organisation.objects.filter(name__in=["誤り市", "新しい町"]).exists()


def test_import_updates_existing_rows_by_code(demo) -> None:
    text = CSV_HEADER + "462012,46201,鹿児島市,かごしまし,市,,鹿児島地域振興局\n"
    report = services.municipalities_import(text=text, prefecture=demo.prefecture, actor=demo.admin)
    assert [row.status for row in report.rows] == ["unchanged"]
    renamed = text.replace("かごしまし", "カゴシマシ")
    report = services.municipalities_import(
        text="\ufeff" + renamed, prefecture=demo.prefecture, actor=demo.admin
    )
    assert [row.status for row in report.rows] == ["updated"]
    assert Organisation.objects.get(lgcode="462012").kana == "カゴシマシ"


def test_import_without_required_columns_is_refused(demo) -> None:
    with pytest.raises(services.ImportRefusedError) as refused:
        services.municipalities_import(
            text="code,name\n1,x\n", prefecture=demo.prefecture, actor=demo.admin
        )
    assert "列がありません" in refused.value.report.rows[0].errors[0]
