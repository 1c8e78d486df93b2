"""Field classification of the accounts app (see ``wohnfair.lib.classification``)."""

from wohnfair.lib.classification import FieldClass

P = FieldClass.PERSONAL
S = FieldClass.STATISTICAL
T = FieldClass.TECHNICAL

FIELDS = {
    # Staff accounts: the e-mail address and name identify an employee.
    "User": {
        "id": T,
        "password": T,  # a slow hash only
        "last_login": T,
        "is_superuser": T,
        "email": P,
        "display_name": P,
        "is_active": T,
        "is_staff": T,
        "date_joined": T,
        "groups": T,
        "user_permissions": T,
    },
    # Organisations are legal entities, the unit statistics are counted by.
    "Organisation": {
        "id": T,
        "name": S,
        "code": S,
        "kind": S,
        "state": S,
        "networks": S,
        "retention_months": T,
        "reminder_lead_days": T,
        "waiting_alert_days": T,
        "created_at": T,
    },
    "Membership": {
        "id": T,
        "user": T,
        "organisation": T,
        "role": T,
        "is_active": T,
        "created_at": T,
        "deactivated_at": T,
    },
    "Invitation": {
        "id": T,
        "organisation": T,
        "email": P,
        "role": T,
        "token_hash": T,
        "invited_by": T,
        "created_at": T,
        "expires_at": T,
        "accepted_at": T,
        "accepted_by": T,
        "revoked_at": T,
    },
}
