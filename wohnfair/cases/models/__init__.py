"""The case file. Split by topic; import models from here."""

from .case import (
    CASE_ROLES,
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

__all__ = [
    "CASE_ROLES",
    "Case",
    "CaseAssignment",
    "CaseCounter",
    "CaseQuerySet",
    "CaseStatus",
    "CaseType",
    "Consent",
    "ConsentPurpose",
    "ConsentText",
    "District",
    "Document",
    "ErasureRecord",
    "Incident",
    "Note",
    "Person",
    "PersonRole",
    "Respondent",
    "Term",
    "Vocabulary",
    "WhoCame",
    "name_search_token",
]
