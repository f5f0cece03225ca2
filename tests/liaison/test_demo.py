"""The whole liaison demo loads on top of the other demos, shows each part, and e-mails
nobody."""

from __future__ import annotations

import functools

import pytest

from kyodo.calendar import demo as calendar_demo
from kyodo.core.tasks import send_mail
from kyodo.liaison import demo as liaison_demo
from kyodo.liaison.models import (
    EvaluationRound,
    Handover,
    HandoverStatus,
    KeyPerson,
    RecruitmentAnswer,
    SessionKind,
    WorkshopSession,
)
from kyodo.liaison.rules import liaison_roles
from kyodo.publications import demo as publications_demo

pytestmark = pytest.mark.django_db


def test_the_demo_loads_every_part_and_sends_no_mail(demo, django_capture_on_commit_callbacks):
    calendar_demo.load()
    publications_demo.load()
    with django_capture_on_commit_callbacks() as callbacks:
        context = liaison_demo.load()
    mails = [
        callback
        for callback in callbacks
        if isinstance(callback, functools.partial) and callback.func == send_mail.enqueue
    ]
    assert mails == []
    assert KeyPerson.objects.filter(area=context.area).count() == 4
    handover = Handover.objects.get()
    assert handover.status == HandoverStatus.PLANNED
    # The incoming colleague is not a manager: what they read comes from the handover.
    roles = liaison_roles(context.incoming)
    assert roles.managed_municipality_ids == frozenset()
    assert roles.handover_area_ids == {context.area.pk}
    assert liaison_roles(context.manager).managed_municipality_ids == {context.city.pk}
    assert EvaluationRound.objects.filter(municipality=context.city).count() == 2
    kinds = [session.kind for session in WorkshopSession.objects.all()]
    assert kinds.count(SessionKind.MAIN) == 3
    assert len(kinds) - kinds.count(SessionKind.MAIN) >= 10
    assert RecruitmentAnswer.objects.filter(ask__association=context.association).exists()
