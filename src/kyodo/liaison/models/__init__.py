"""The municipal side of collaboration: area liaison staff and their participation in local
events, an area's key people and the handover when staff move, the yearly collaboration
evaluation of every programme, workshops, and recruitment through association heads."""

from kyodo.liaison.models.area import (
    Handover,
    HandoverItem,
    HandoverStatus,
    ItemKind,
    KeyPerson,
    MatterStatus,
    OpenMatter,
)
from kyodo.liaison.models.evaluation import (
    COLLABORATION_QUESTION,
    ROUND_TAKEN,
    CollaborationLevel,
    EvaluationRound,
    EvaluationSheet,
    Programme,
)
from kyodo.liaison.models.recruitment import (
    AgeBand,
    RecruitmentAnswer,
    RecruitmentAsk,
    RecruitmentRequest,
    RecruitmentStatus,
    RecruitmentTarget,
)
from kyodo.liaison.models.staff import (
    FISCAL_YEAR_RANGE,
    Assignment,
    AssignmentRole,
    LiaisonScheme,
    Participation,
    RequestStatus,
    StaffRequest,
)
from kyodo.liaison.models.workshops import (
    FacilitationRequest,
    SessionKind,
    WorkshopSeries,
    WorkshopSession,
)

__all__ = [
    "COLLABORATION_QUESTION",
    "FISCAL_YEAR_RANGE",
    "ROUND_TAKEN",
    "AgeBand",
    "Assignment",
    "AssignmentRole",
    "CollaborationLevel",
    "EvaluationRound",
    "EvaluationSheet",
    "FacilitationRequest",
    "Handover",
    "HandoverItem",
    "HandoverStatus",
    "ItemKind",
    "KeyPerson",
    "LiaisonScheme",
    "MatterStatus",
    "OpenMatter",
    "Participation",
    "Programme",
    "RecruitmentAnswer",
    "RecruitmentAsk",
    "RecruitmentRequest",
    "RecruitmentStatus",
    "RecruitmentTarget",
    "RequestStatus",
    "SessionKind",
    "StaffRequest",
    "WorkshopSeries",
    "WorkshopSession",
]
