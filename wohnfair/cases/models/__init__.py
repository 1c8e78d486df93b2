"""The case file. Split by topic; import models from here."""

from .case import (
    CASE_ROLES,
    LANGUAGE_CHOICES,
    Case,
    CaseAssignment,
    CaseCounter,
    CaseQuerySet,
    CaseStatus,
    CaseType,
    WhoCame,
)
from .incidents import Incident
from .people import Person, PersonRole, Respondent, name_search_token
from .records import Consent, Document, ErasureRecord, Note
from .vocabulary import ConsentPurpose, ConsentText, District, Term, Vocabulary
from .workflow import (
    AggAssessment,
    Agreement,
    Deadline,
    Intervention,
    Letter,
    LetterTemplate,
    MediationSession,
    Notification,
    PeriodRule,
    ReminderSent,
    Task,
)

__all__ = [
    "CASE_ROLES",
    "LANGUAGE_CHOICES",
    "AggAssessment",
    "Agreement",
    "Case",
    "CaseAssignment",
    "CaseCounter",
    "CaseQuerySet",
    "CaseStatus",
    "CaseType",
    "Consent",
    "ConsentPurpose",
    "ConsentText",
    "Deadline",
    "District",
    "Document",
    "ErasureRecord",
    "Incident",
    "Intervention",
    "Letter",
    "LetterTemplate",
    "MediationSession",
    "Note",
    "Notification",
    "PeriodRule",
    "Person",
    "PersonRole",
    "ReminderSent",
    "Respondent",
    "Task",
    "Term",
    "Vocabulary",
    "WhoCame",
    "name_search_token",
]
