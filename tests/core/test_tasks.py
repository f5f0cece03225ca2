import pytest
from django.core.management import call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from kyodo.core.tasks import send_mail

pytestmark = pytest.mark.django_db(transaction=True)


def test_mail_is_queued_in_the_database_and_sent_by_the_worker(mailoutbox) -> None:
    with transaction.atomic():
        transaction.on_commit(
            lambda: send_mail.enqueue(subject="会議のご案内", body="本文", to=["a@kyodo.example"])
        )
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    assert mailoutbox == []

    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)

    assert [(m.subject, m.to) for m in mailoutbox] == [("会議のご案内", ["a@kyodo.example"])]
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def failing_change() -> None:
    with transaction.atomic():
        transaction.on_commit(lambda: send_mail.enqueue(subject="x", body="y", to=["a@b.jp"]))
        raise RuntimeError("the change failed")


def test_rolled_back_change_queues_nothing() -> None:
    with pytest.raises(RuntimeError, match="the change failed"):
        failing_change()
    assert DBTaskResult.objects.count() == 0
