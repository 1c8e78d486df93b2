"""Counselling workflow: legal periods and deadlines, interventions, tasks, letters,
the AGG check and conflict mediation."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wohnfair.lib.fields import EncryptedTextField


class PeriodRule(models.Model):
    """A legal period as data, so that a change in the law is a new record, not new code.

    ``agg_21_5``: claims under the AGG must be asserted within two months of the
    incident (§ 21(5) AGG). A reform would add a rule with the same code and a
    later ``valid_from``; the rule in force on the start day applies.
    """

    class RunsFrom(models.TextChoices):
        INCIDENT = "incident", _("Vorfall")
        KNOWLEDGE = "knowledge", _("Kenntnis der Benachteiligung")

    code = models.SlugField(_("Code"), max_length=50)
    name = models.CharField(_("Bezeichnung"), max_length=200)
    legal_basis = models.CharField(_("Rechtsgrundlage"), max_length=100)
    months = models.PositiveSmallIntegerField(_("Monate"), default=0)
    days = models.PositiveSmallIntegerField(_("Tage"), default=0)
    runs_from = models.CharField(
        _("Beginn"), max_length=20, choices=RunsFrom.choices, default=RunsFrom.INCIDENT
    )
    valid_from = models.DateField(_("gilt für Fristbeginn ab"))
    valid_until = models.DateField(_("gilt für Fristbeginn bis"), null=True, blank=True)

    class Meta:
        verbose_name = _("Fristregel")
        verbose_name_plural = _("Fristregeln")
        ordering = ["code", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from"], name="period_rule_version")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.legal_basis})"


class Deadline(models.Model):
    """A running legal period of one case; met when the claim is asserted in time."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="deadlines")
    rule = models.ForeignKey(PeriodRule, on_delete=models.PROTECT, related_name="+")
    incident = models.ForeignKey(
        "cases.Incident", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    starts_on = models.DateField(_("Fristbeginn (Ereignis)"))
    due_on = models.DateField(_("Fristende"), db_index=True)
    met_on = models.DateField(_("gewahrt am"), null=True, blank=True)
    met_by = models.ForeignKey(
        "cases.Intervention", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Frist")
        verbose_name_plural = _("Fristen")
        ordering = ["due_on"]

    def __str__(self) -> str:
        return f"{self.case} {self.rule.code} {self.due_on}"

    @property
    def is_open(self) -> bool:
        return self.met_on is None

    def days_left(self, today: date) -> int:
        return (self.due_on - today).days


class ReminderSent(models.Model):
    """One reminder per deadline and lead time; the unique constraint makes it exactly once."""

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="reminders")
    lead_days = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["deadline", "lead_days"], name="one_reminder_per_lead")
        ]

    def __str__(self) -> str:
        return f"{self.deadline_id}/{self.lead_days}"


class Notification(models.Model):
    """A message in a staff member's workspace (deadline reminders, review dates)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    message = models.CharField(_("Nachricht"), max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Benachrichtigung")
        verbose_name_plural = _("Benachrichtigungen")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.message


class Intervention(models.Model):
    """Something the office did on the case (type from the vocabulary ``intervention``)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="interventions")
    kind = models.ForeignKey(
        "cases.Term", on_delete=models.PROTECT, related_name="+", verbose_name=_("Art")
    )
    date = models.DateField(_("Datum"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("wer")
    )
    addressee = models.CharField(_("an wen"), max_length=200, blank=True)
    summary = EncryptedTextField(_("Inhalt"), blank=True)
    result = EncryptedTextField(_("Ergebnis"), blank=True)
    next_step = EncryptedTextField(_("nächster Schritt"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Intervention")
        verbose_name_plural = _("Interventionen")
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.case} {self.date:%d.%m.%Y}"


class Task(models.Model):
    """A to-do on a case, assignable, with a due date. open -> done (``complete_task``)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("Aufgabe"), max_length=200)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="case_tasks",
        verbose_name=_("zuständig"),
    )
    due_on = models.DateField(_("fällig am"), null=True, blank=True, db_index=True)
    done_at = models.DateTimeField(_("erledigt am"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Aufgabe")
        verbose_name_plural = _("Aufgaben")
        ordering = ["done_at", "due_on", "id"]

    def __str__(self) -> str:
        return self.title


class LetterTemplate(models.Model):
    """A letter with placeholders such as ``{{ person.name }}``, edited by leads."""

    class Kind(models.TextChoices):
        COMPLAINT = "complaint", _("Beschwerdebrief")
        CLAIM = "claim", _("Geltendmachung")
        STATEMENT = "statement", _("Bitte um Stellungnahme")
        LAWYER = "lawyer", _("Anschreiben an Anwält*in")
        OTHER = "other", _("sonstiger Brief")

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="letter_templates"
    )
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("Name"), max_length=200)
    subject = models.CharField(_("Betreff"), max_length=300)
    body = models.TextField(_("Text"))
    is_active = models.BooleanField(_("aktiv"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Briefvorlage")
        verbose_name_plural = _("Briefvorlagen")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class Letter(models.Model):
    """A letter drafted from a template; ``finalise_letter`` renders the PDF once."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="letters")
    template = models.ForeignKey(
        LetterTemplate, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    kind = models.CharField(_("Art"), max_length=20, choices=LetterTemplate.Kind.choices)
    recipient = EncryptedTextField(_("Empfänger*in"), blank=True)
    subject = EncryptedTextField(_("Betreff"))
    body = EncryptedTextField(_("Text"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_on = models.DateField(_("versandt am"), null=True, blank=True)
    document = models.ForeignKey(
        "cases.Document", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    intervention = models.ForeignKey(
        Intervention, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("Brief")
        verbose_name_plural = _("Briefe")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.case} {self.get_kind_display()}"

    @property
    def is_final(self) -> bool:
        return self.document_id is not None


class AggAssessment(models.Model):
    """The guided AGG check of a counselling case: answers, rationale and the result.

    An aid for the counsellor, not legal advice. ``cases.agg.assess`` derives the
    result from the answers; it is stored so that later changes of the rules do
    not change what was assessed.
    """

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="agg_check")
    answers = models.JSONField(_("Antworten"), default=dict)
    result = models.JSONField(_("Ergebnis"), default=dict)
    rationale = EncryptedTextField(_("Begründung"), blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assessed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("AGG-Prüfung")
        verbose_name_plural = _("AGG-Prüfungen")

    def __str__(self) -> str:
        return f"{self.case}"


class MediationSession(models.Model):
    """A mediation talk in a neighbourhood or quarter conflict."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="mediation_sessions"
    )
    date = models.DateField(_("Datum"))
    place = models.CharField(_("Ort"), max_length=200, blank=True)
    participants = models.ManyToManyField(
        "cases.Person", blank=True, related_name="+", verbose_name=_("Teilnehmende")
    )
    interpreter = models.CharField(_("Dolmetschen"), max_length=200, blank=True)
    topics = EncryptedTextField(_("Themen"), blank=True)
    notes = EncryptedTextField(_("Verlauf"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Vermittlungsgespräch")
        verbose_name_plural = _("Vermittlungsgespräche")
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.case} {self.date:%d.%m.%Y}"


class Agreement(models.Model):
    """What the parties agreed, with a date to review whether it holds."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="agreements")
    session = models.ForeignKey(
        MediationSession,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agreements",
    )
    text = EncryptedTextField(_("Vereinbarung"))
    agreed_on = models.DateField(_("vereinbart am"))
    review_on = models.DateField(_("überprüfen am"), null=True, blank=True, db_index=True)
    review_reminded_at = models.DateTimeField(null=True, blank=True)
    reviewed_on = models.DateField(_("überprüft am"), null=True, blank=True)
    review_result = EncryptedTextField(_("Ergebnis der Überprüfung"), blank=True)

    class Meta:
        verbose_name = _("Vereinbarung")
        verbose_name_plural = _("Vereinbarungen")
        ordering = ["agreed_on", "id"]

    def __str__(self) -> str:
        return f"{self.case} {self.agreed_on:%d.%m.%Y}"
