from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class MaximumLengthValidator:
    """ASVS 5.0 allows passwords of at least 64 characters; we accept up to 128."""

    def __init__(self, max_length: int = 128) -> None:
        self.max_length = max_length

    def validate(self, password: str, user: object = None) -> None:
        if len(password) > self.max_length:
            raise ValidationError(
                ngettext(
                    "Das Passwort darf höchstens %(max)d Zeichen lang sein.",
                    "Das Passwort darf höchstens %(max)d Zeichen lang sein.",
                    self.max_length,
                )
                % {"max": self.max_length},
                code="password_too_long",
            )

    def get_help_text(self) -> str:
        return _("Höchstens %(max)d Zeichen.") % {"max": self.max_length}
