"""Field classification of the audit app (see ``wohnfair.lib.classification``).

Audit entries hold who did what on which object, with codes and ids only,
never content; they are technical records of the processing itself.
"""

from wohnfair.lib.classification import FieldClass

T = FieldClass.TECHNICAL

FIELDS = {
    "AuditEntry": {
        "id": T,
        "created_at": T,
        "actor": T,
        "organisation": T,
        "action": T,
        "object_type": T,
        "object_id": T,
        "details": T,
    },
}
