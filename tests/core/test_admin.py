import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_admin_is_for_site_administrators_only(client: Client, demo) -> None:
    client.force_login(demo.secretary)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")

    client.force_login(demo.admin)
    response = client.get("/admin/directory/organisation/")
    assert response.status_code == 200
    assert "鹿児島市" in response.content.decode()


def test_admin_refuses_staff_flag_without_superuser(client: Client, demo) -> None:
    demo.staff.is_staff = True
    demo.staff.save()
    client.force_login(demo.staff)
    assert client.get("/admin/").status_code == 302
