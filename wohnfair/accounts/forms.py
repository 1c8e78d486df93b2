from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from wohnfair.accounts.models import Invitation, Membership, Organisation, Role

OFFICE_ROLES = [Role.COUNSELLOR, Role.LEAD, Role.EDITOR, Role.TESTING_COORDINATOR]
NETWORK_ROLES = [Role.NETWORK_ANALYST, Role.LEAD]


def roles_for(organisation: Organisation, *, granted_by: Membership) -> list[tuple[str, str]]:
    """Roles a manager may hand out here; only administrators make administrators."""
    roles = list(NETWORK_ROLES if organisation.is_network else OFFICE_ROLES)
    if granted_by.role == Role.ADMINISTRATOR:
        roles.append(Role.ADMINISTRATOR)
    return [(role.value, role.label) for role in roles]


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-Mail-Adresse"), max_length=254)
    role = forms.ChoiceField(label=_("Rolle"))

    def __init__(self, *args: Any, membership: Membership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = membership.organisation
        self.fields["role"].choices = roles_for(self.organisation, granted_by=membership)

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if Membership.objects.active().filter(
            organisation=self.organisation, user__email__iexact=email
        ):
            raise forms.ValidationError(
                _("Diese Person ist bereits Mitglied von %(organisation)s."),
                params={"organisation": self.organisation.name},
            )
        return email


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Rolle"))

    def __init__(self, *args: Any, membership: Membership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = roles_for(membership.organisation, granted_by=membership)


class AcceptInvitationForm(forms.Form):
    """Sets up the account of a new member; existing users only confirm."""

    display_name = forms.CharField(label=_("Ihr Name"), max_length=150)
    password1 = forms.CharField(
        label=_("Passwort"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Passwort wiederholen"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, invitation: Invitation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.invitation = invitation

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password1 = cleaned.get("password1")
        password2 = cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("Die beiden Passwörter stimmen nicht überein."))
        elif password1:
            from wohnfair.accounts.models import User

            candidate = User(email=self.invitation.email, display_name=cleaned.get("display_name"))
            try:
                password_validation.validate_password(password1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned
