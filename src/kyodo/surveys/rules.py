"""Who may build a questionnaire, read its answers and export them: the staff of the
organisation that runs it (for a meeting's questionnaire, the network's secretariat) —
unless another app runs it with its own pages and rules (see :func:`register_managed_elsewhere`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import rules
from django.db.models import QuerySet

from kyodo.directory.rules import is_site_admin, roles_of
from kyodo.surveys.models import Survey

# --- Questionnaires another app runs --------------------------------------------------------
# An app may build a questionnaire with the engine and run it through its own pages and rules
# (a collaboration evaluation's round is opened and closed by the evaluation's managers, its
# sheets answered by the departments). The engine's pages must then leave it alone: its owner's
# editors would otherwise reopen it or add a required question behind that app's back.

ManagedSurveys = Callable[[QuerySet[Survey]], QuerySet[Survey]]
_MANAGED_ELSEWHERE: dict[str, ManagedSurveys] = {}


def register_managed_elsewhere(name: str, managed: ManagedSurveys) -> None:
    """Declare that the app called ``name`` (shown to people: 「協働評価」) runs the surveys
    ``managed`` picks out of the queryset it is given; the engine's pages then refuse them
    (``surveys.manage_survey``: build, open, close, results, exports — superusers pass every
    rule, as everywhere), the survey list names the app instead of linking them, and
    ``survey_save`` adds no question to them, whoever asks. Call it from the app's
    ``AppConfig.ready()``; registering a name again replaces its check."""
    _MANAGED_ELSEWHERE[name] = managed


def managed_elsewhere(surveys: Iterable[Survey]) -> dict[int, str]:
    """The surveys among these that another app runs, with that app's name (one query per
    registered app, whatever the number of surveys)."""
    ids = [survey.pk for survey in surveys]
    found: dict[int, str] = {}
    if not ids:
        return found
    for name, managed in _MANAGED_ELSEWHERE.items():
        for pk in managed(Survey.objects.filter(pk__in=ids)).values_list("pk", flat=True):
            found.setdefault(pk, name)
    return found


def manager_of(survey: Survey) -> str | None:
    """The name of the app that runs the survey, ``None`` for the engine's own; asked once
    per survey object."""
    if not hasattr(survey, "_kyodo_managed_by"):
        survey._kyodo_managed_by = managed_elsewhere([survey]).get(survey.pk)  # type: ignore[attr-defined]
    found: str | None = survey._kyodo_managed_by  # type: ignore[attr-defined]
    return found


@rules.predicate
def is_survey_owner(user: Any, survey: Survey | None) -> bool:
    return survey is not None and survey.owner_id in roles_of(user).editable_org_ids


@rules.predicate
def is_managed_elsewhere(user: Any, survey: Survey | None) -> bool:
    return survey is not None and manager_of(survey) is not None


@rules.predicate
def runs_surveys(user: Any) -> bool:
    return bool(roles_of(user).editable_org_ids)


# Every page of a questionnaire (builder, status, results, exports) checks this one rule.
rules.add_perm("surveys.manage_survey", (is_site_admin | is_survey_owner) & ~is_managed_elsewhere)
rules.add_perm("surveys.list_surveys", is_site_admin | runs_surveys)
