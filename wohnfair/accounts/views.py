from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wohnfair.accounts import services
from wohnfair.accounts.access import (
    get_for_organisation_or_404,
    managers_only,
    public,
    staff_required,
)
from wohnfair.accounts.forms import AcceptInvitationForm, InvitationForm, RoleForm
from wohnfair.accounts.models import Invitation, Membership, User
from wohnfair.audit.services import log_access


@managers_only()
def team(request: HttpRequest) -> HttpResponse:
    organisation = request.membership.organisation
    members = (
        Membership.objects.of_organisation(organisation)
        .select_related("user")
        .order_by("-is_active", "user__display_name", "user__email")
    )
    invitations = Invitation.objects.pending().filter(organisation=organisation)
    log_access(request, "team.viewed")
    return render(
        request,
        "accounts/team.html",
        {
            "members": members,
            "invitations": invitations,
            "form": InvitationForm(membership=request.membership),
        },
    )


@managers_only()
def invite(request: HttpRequest) -> HttpResponse:
    form = InvitationForm(request.POST or None, membership=request.membership)
    if request.method == "POST" and form.is_valid():
        services.invite_member(
            organisation=request.membership.organisation,
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
            invited_by=request.user,
        )
        messages.success(
            request,
            _("Die Einladung an %(email)s ist verschickt. Sie gilt 7 Tage.")
            % {"email": form.cleaned_data["email"]},
        )
        return redirect("accounts:team")
    return render(
        request, "accounts/invite.html", {"form": form}, status=400 if form.errors else 200
    )


@managers_only()
def member(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_for_organisation_or_404(
        request, Membership.objects.select_related("user"), pk=pk
    )
    form = RoleForm(
        request.POST or None, membership=request.membership, initial={"role": membership.role}
    )
    is_self = membership.pk == request.membership.pk
    if request.method == "POST":
        if is_self:
            messages.error(request, _("Sie können Ihre eigene Rolle nicht ändern."))
            return redirect("accounts:member", pk=membership.pk)
        if form.is_valid():
            services.change_role(membership, form.cleaned_data["role"], by=request.user)
            messages.success(request, _("Die Rolle ist geändert."))
            return redirect("accounts:team")
    return render(
        request,
        "accounts/member.html",
        {"member": membership, "form": form, "is_self": is_self},
        status=400 if form.errors else 200,
    )


@managers_only()
@require_POST
def deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_for_organisation_or_404(request, Membership.objects.all(), pk=pk)
    if membership.pk == request.membership.pk:
        messages.error(request, _("Sie können sich nicht selbst deaktivieren."))
    elif membership.is_active:
        services.deactivate_member(membership, by=request.user)
        messages.success(
            request,
            _("%(name)s ist deaktiviert und überall abgemeldet.") % {"name": membership.user},
        )
    return redirect("accounts:team")


@managers_only()
@require_POST
def reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_for_organisation_or_404(request, Membership.objects.all(), pk=pk)
    if not membership.is_active:
        services.reactivate_member(membership, by=request.user)
        messages.success(request, _("%(name)s ist wieder aktiv.") % {"name": membership.user})
    return redirect("accounts:team")


@staff_required()
@require_POST
def switch_organisation(request: HttpRequest) -> HttpResponse:
    membership = services.switch_organisation(request, request.POST.get("organisation"))
    if membership is None:
        messages.error(request, _("Diese Organisation steht Ihnen nicht zur Verfügung."))
    else:
        messages.success(
            request,
            _("Sie arbeiten jetzt in %(organisation)s.")
            % {"organisation": membership.organisation.name},
        )
    return redirect("staff:dashboard")


@public
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = services.find_invitation(token)
    except services.InvitationError as error:
        return render(
            request, "accounts/invitation_invalid.html", {"reason": str(error)}, status=410
        )

    signed_in_as_invitee = request.user.is_authenticated and request.user.email == invitation.email
    if request.user.is_authenticated and not signed_in_as_invitee:
        return render(
            request,
            "accounts/invitation_invalid.html",
            {
                "reason": _(
                    "Diese Einladung gilt für eine andere E-Mail-Adresse. "
                    "Bitte melden Sie sich zuerst ab."
                )
            },
            status=403,
        )
    existing_account = (
        invitation.email
        and not signed_in_as_invitee
        and (User.objects.filter(email__iexact=invitation.email).exists())
    )
    if existing_account:
        # The person already has an account: they sign in and come back here.
        messages.info(request, _("Bitte melden Sie sich an, um die Einladung anzunehmen."))
        return redirect(f"{reverse('account_login')}?next={request.path}")

    form = AcceptInvitationForm(request.POST or None, invitation=invitation)
    if request.method == "POST" and (signed_in_as_invitee or form.is_valid()):
        try:
            if signed_in_as_invitee:
                membership = services.accept_invitation(token, user=request.user)
            else:
                membership = services.accept_invitation(
                    token,
                    display_name=form.cleaned_data["display_name"],
                    password=form.cleaned_data["password1"],
                )
        except services.InvitationError as error:
            return render(
                request, "accounts/invitation_invalid.html", {"reason": str(error)}, status=410
            )
        messages.success(
            request,
            _("Willkommen bei %(organisation)s.") % {"organisation": membership.organisation.name},
        )
        if signed_in_as_invitee:
            services.switch_organisation(request, membership.organisation_id)
            return redirect("staff:dashboard")
        return redirect("account_login")
    return render(
        request,
        "accounts/accept_invitation.html",
        {"invitation": invitation, "form": form, "signed_in_as_invitee": signed_in_as_invitee},
        status=400 if form.errors else 200,
    )
