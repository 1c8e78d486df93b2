"""Field classification of reports (see ``wohnfair.lib.classification``)."""

from wohnfair.lib.classification import FieldClass

P = FieldClass.PERSONAL
A9 = FieldClass.SPECIAL_CATEGORY
S = FieldClass.STATISTICAL
T = FieldClass.TECHNICAL

FIELDS = {
    "Report": {
        "id": T,
        "organisation": S,
        "reference": T,
        "receipt_hash": T,
        "submission_token": T,
        "status": S,
        "language": S,
        "entered_by": T,
        "situations": S,
        "description": A9,
        "incident_date": S,
        "date_is_approximate": S,
        "city": S,
        "district": S,
        "postcode": P,
        "respondent_kind": S,
        "respondent_name": P,
        "grounds": A9,
        "wish": S,
        "contact_name": P,
        "contact_email": P,
        "contact_phone": P,
        "preferred_language": P,
        "call_times": P,
        "consents": T,
        "proof_of_work_verified": T,
        "assigned_to": T,
        "case": T,
        "duplicate_of": T,
        "created_at": T,
        "updated_at": T,
    },
    "ReportFile": {
        "id": T,
        "report": T,
        "message": T,
        "original_name": P,
        "storage_name": T,
        "content_type": T,
        "size": T,
        "sha256": T,
        "created_at": T,
    },
    "ReportMessage": {
        "id": T,
        "report": T,
        "author": T,
        "body": A9,
        "internal": T,
        "created_at": T,
        "read_at": T,
    },
    "CatchmentArea": {"id": T, "organisation": T, "postcode_prefix": T, "district": T},
    # "scope:window:subject"; the subject may be a keyed hash of a client address
    # (pseudonymous, gone a few seconds after its window), never the address itself.
    "RateCounter": {"key": P, "count": T, "expires": T},
    "UsedChallenge": {"challenge": T, "expires": T},
    # The encrypted receipt code of a new report until its confirmation page is delivered.
    "PendingReceipt": {"key": T, "sealed": T, "expires": T, "showing_until": T},
}
