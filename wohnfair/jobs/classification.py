"""Field classification of the jobs app (see ``wohnfair.lib.classification``)."""

from wohnfair.lib.classification import FieldClass

T = FieldClass.TECHNICAL

FIELDS = {
    "ScheduledRun": {
        "id": T,
        "job": T,
        "slot": T,
        "enqueued_at": T,
        "task_result_id": T,
    },
}
