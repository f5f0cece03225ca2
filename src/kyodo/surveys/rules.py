"""Who may build a questionnaire, read its answers and export them: the staff of the
organisation that runs it (for a meeting's questionnaire, the network's secretariat)."""

from __future__ import annotations

from typing import Any

import rules

from kyodo.directory.rules import is_site_admin, roles_of
from kyodo.surveys.models import Survey


@rules.predicate
def is_survey_owner(user: Any, survey: Survey | None) -> bool:
    return survey is not None and survey.owner_id in roles_of(user).editable_org_ids


@rules.predicate
def runs_surveys(user: Any) -> bool:
    return bool(roles_of(user).editable_org_ids)


rules.add_perm("surveys.manage_survey", is_site_admin | is_survey_owner)
rules.add_perm("surveys.list_surveys", is_site_admin | runs_surveys)
