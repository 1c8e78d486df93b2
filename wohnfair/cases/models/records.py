from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wohnfair.lib.fields import EncryptedCharField, EncryptedTextField

from .vocabulary import ConsentPurpose


class Note(models.Model):
    """An internal, dated note on a case."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    text = EncryptedTextField(_("Notiz"))

    class Meta:
        verbose_name = _("Notiz")
        verbose_name_plural = _("Notizen")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.case} {self.created_at:%d.%m.%Y}"


class Document(models.Model):
    """An uploaded file; its bytes are encrypted and stored under a random name."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="documents")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    title = EncryptedCharField(_("Titel"), blank=True)
    original_name = EncryptedCharField(_("Dateiname"))
    storage_name = models.CharField(max_length=100, unique=True, editable=False)
    content_type = models.CharField(_("Dateityp"), max_length=100)
    size = models.PositiveIntegerField(_("Größe in Bytes"))
    sha256 = models.CharField(max_length=64, editable=False)

    class Meta:
        verbose_name = _("Dokument")
        verbose_name_plural = _("Dokumente")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.title or self.original_name

    @staticmethod
    def rotate_stored_files() -> int:
        """Re-encrypt the stored files with the newest key (``rotate_encryption_keys``)."""
        from wohnfair.cases.documents import rotate_document_files

        return rotate_document_files()


class Consent(models.Model):
    """Consent of the person seeking advice for one purpose, with the exact text version.

    given -> withdrawn (``withdraw_consent``); a new consent is a new row.
    """

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("Zweck"), max_length=20, choices=ConsentPurpose.choices)
    text = models.ForeignKey(
        "cases.ConsentText", on_delete=models.PROTECT, related_name="+", verbose_name=_("Text")
    )
    given_on = models.DateField(_("erteilt am"))
    withdrawn_on = models.DateField(_("widerrufen am"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        verbose_name = _("Einwilligung")
        verbose_name_plural = _("Einwilligungen")
        ordering = ["purpose", "-given_on"]

    def __str__(self) -> str:
        return f"{self.case} {self.get_purpose_display()}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_on is None


class ErasureRecord(models.Model):
    """A content-free ledger entry: something was erased, when, by whom, why (a code)."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    case_number = models.CharField(max_length=30)
    scope = models.CharField(max_length=30)  # "person", "case", "retention"
    reason = models.CharField(max_length=50)
    erased_at = models.DateTimeField(auto_now_add=True)
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("Löschnachweis")
        verbose_name_plural = _("Löschnachweise")
        ordering = ["-erased_at"]

    def __str__(self) -> str:
        return f"{self.case_number} {self.scope} {self.erased_at:%Y-%m-%d}"
