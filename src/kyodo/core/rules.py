"""Who may see and retry a background job: the people who may edit the organisation it was
done for (today, not when it was started: someone who left their post no longer gets its
files), the person who started a job done for no organisation, and site administrators."""

from __future__ import annotations

from typing import Any

import rules

from kyodo.core.models import Job
from kyodo.directory.rules import can_edit_organisation, is_site_admin


@rules.predicate
def started_the_job_for_no_organisation(user: Any, job: Job | None) -> bool:
    return (
        job is not None
        and getattr(user, "is_authenticated", False)
        and job.organisation_id is None
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


can_see_job = is_site_admin | started_the_job_for_no_organisation | edits_the_job_organisation

rules.add_perm("core.view_job", can_see_job)
rules.add_perm("core.retry_job", can_see_job)
