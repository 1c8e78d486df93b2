from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


class AccountAdapter(DefaultAccountAdapter):
    """Accounts come only from invitations; nobody signs up on their own."""

    # Staff are addressed formally ("Sie"); allauth's own German uses "du".
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": _(
            "Die E-Mail-Adresse oder das Passwort ist nicht korrekt. Bitte prüfen Sie beides."
        ),
        "too_many_login_attempts": _(
            "Zu viele gescheiterte Anmeldeversuche. Bitte warten Sie 15 Minuten "
            "oder setzen Sie Ihr Passwort zurück."
        ),
        "account_inactive": _("Dieses Konto ist deaktiviert."),
    }

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False
