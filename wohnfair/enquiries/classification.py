"""Field classification of enquiries (see ``wohnfair.lib.classification``)."""

from wohnfair.lib.classification import FieldClass

P = FieldClass.PERSONAL
A9 = FieldClass.SPECIAL_CATEGORY
S = FieldClass.STATISTICAL
T = FieldClass.TECHNICAL

FIELDS = {
    "Enquiry": {
        "id": T,
        "organisation": S,
        "kind": S,
        "status": S,
        "language": S,
        "submission_token": T,
        "proof_of_work_verified": T,
        "name": P,
        "email": P,
        "phone": P,
        # Free text may carry anything, special categories included (as the description
        # of a report): encrypted, never counted or exported.
        "message": A9,
        "parties": A9,
        "address_area": P,
        "other_party_knows": S,
        "preferred_contact": T,
        "court_stage": S,
        "office_involved": S,
        "amount_needed": S,
        "page_address": T,
        "assigned_to": T,
        "case": T,
        "created_at": T,
        "updated_at": T,
        "closed_at": T,
    },
    "WebsiteSettings": {
        "id": T,
        "site": T,
        "organisation": T,
        "newsletter_sender_name": T,
    },
}
