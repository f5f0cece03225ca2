"""Who may see and retry a background job: the person who started it, the people who may
edit the organisation it was done for, and site administrators."""

from __future__ import annotations

from typing import Any

import rules

from kyodo.core.models import Job
from kyodo.directory.rules import can_edit_organisation, is_site_admin


@rules.predicate
def started_the_job(user: Any, job: Job | None) -> bool:
    return (
        job is not None
        and getattr(user, "is_authenticated", False)
        and job.started_by_id is not None
        and job.started_by_id == user.pk
    )


@rules.predicate
def edits_the_job_organisation(user: Any, job: Job | None) -> bool:
    return (
        job is not None
        and job.organisation is not None
        and bool(can_edit_organisation(user, job.organisation))
    )


can_see_job = is_site_admin | started_the_job | edits_the_job_organisation

rules.add_perm("core.view_job", can_see_job)
rules.add_perm("core.retry_job", can_see_job)
