from django.db import models
from django.utils.translation import gettext_lazy as _


class ScheduledRun(models.Model):
    """One due run of a periodic job, claimed by exactly one scheduler.

    The unique constraint on (job, slot) is the lock: any number of scheduler
    processes may try to claim the same slot, only one insert succeeds.
    """

    job = models.CharField(_("Aufgabe"), max_length=100)
    slot = models.DateTimeField(_("fällig ab"))
    enqueued_at = models.DateTimeField(auto_now_add=True)
    task_result_id = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("geplanter Lauf")
        verbose_name_plural = _("geplante Läufe")
        constraints = [models.UniqueConstraint(fields=["job", "slot"], name="one_run_per_slot")]
        ordering = ["-slot"]

    def __str__(self) -> str:
        return f"{self.job} @ {self.slot:%Y-%m-%d %H:%M}"
