"""API keys (create, shown once; revoke) and the statistics exchange (export, import)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wohnfair.accounts.access import staff_required
from wohnfair.accounts.models import Membership, Role
from wohnfair.audit.services import log_action
from wohnfair.monitoring.aggregation import Filters
from wohnfair.monitoring.models import PoolImport
from wohnfair.monitoring.network_figures import exchange_document, exchange_vocabularies
from wohnfair.monitoring.policy_forms import ApiTokenForm
from wohnfair.monitoring.pooling import MAX_BYTES, PoolingError, import_exchange, parse_exchange
from wohnfair.monitoring.pooling_forms import ExportForm, UploadForm, last_year
from wohnfair.monitoring.tokens import API_ROLES, create_token, revoke_token, tokens_visible_to


@staff_required(*API_ROLES)
def api_tokens(request: HttpRequest) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    form = ApiTokenForm(request.POST if request.method == "POST" else None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        new_token = create_token(
            membership, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
        )
        form = ApiTokenForm()
    return render(
        request,
        "monitoring/api_tokens.html",
        {
            "form": form,
            "new_token": new_token,
            "tokens": tokens_visible_to(membership),
            "now": timezone.now(),
        },
        status=400 if form.errors else 200,
    )


@require_POST
@staff_required(*API_ROLES)
def revoke_api_token(request: HttpRequest, pk: int) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    record = next((t for t in tokens_visible_to(membership) if t.pk == pk), None)
    if record is None:
        raise Http404
    revoke_token(record, by=request.user)  # type: ignore[arg-type]
    messages.success(request, _("Der API-Schlüssel wurde widerrufen."))
    return redirect("monitoring:api_tokens")


# --- statistics exchange -------------------------------------------------------------------

EXPORT_ROLES = (Role.LEAD, Role.ADMINISTRATOR)
IMPORT_ROLES = (Role.LEAD, Role.NETWORK_ANALYST)
SIGNING_SALT = "wohnfair.monitoring.pool_import"
PREVIEW_MAX_AGE = 60 * 60


def _can_export(membership: Membership) -> bool:
    return not membership.organisation.is_network and membership.role in EXPORT_ROLES


def _can_import(membership: Membership) -> bool:
    return membership.organisation.is_network and membership.role in IMPORT_ROLES


@staff_required(Role.LEAD, Role.ADMINISTRATOR, Role.NETWORK_ANALYST)
def pooling(request: HttpRequest) -> HttpResponse:
    """Export (offices) or upload, preview and confirm an import (networks)."""
    membership = request.membership  # type: ignore[attr-defined]
    organisation = membership.organisation
    if not (_can_export(membership) or _can_import(membership)):
        raise PermissionDenied(_("Ihre Rolle erlaubt diese Seite nicht."))
    context: dict[str, Any] = {"organisation": organisation, "can_export": False}
    status = 200
    if _can_export(membership):
        start, end = last_year()
        context["can_export"] = True
        context["export_form"] = ExportForm(
            initial={"start": start, "end": end, "granularity": "total"}
        )
        return render(request, "monitoring/pooling.html", context)
    upload_form = UploadForm()
    if request.method == "POST" and "payload" in request.POST:
        try:
            raw = signing.loads(request.POST["payload"], salt=SIGNING_SALT, max_age=PREVIEW_MAX_AGE)
            exchange = parse_exchange(raw, exchange_vocabularies())
            record = import_exchange(organisation, exchange, by=request.user)  # type: ignore[arg-type]
        except signing.BadSignature:
            context["import_error"] = _(
                "Die Vorschau ist abgelaufen oder ungültig. Bitte laden Sie die Datei erneut hoch."
            )
            status = 400
        except PoolingError as error:
            context["import_error"] = str(error)
            status = 400
        else:
            messages.success(
                request,
                _("Importiert: %(name)s, %(start)s bis %(end)s, %(cells)s Zellen.")
                % {
                    "name": record.source_name,
                    "start": record.period_start.strftime("%d.%m.%Y"),
                    "end": record.period_end.strftime("%d.%m.%Y"),
                    "cells": exchange.cell_count,
                },
            )
            return redirect("monitoring:pooling")
    elif request.method == "POST":
        upload_form = UploadForm(request.POST, request.FILES)
        if upload_form.is_valid():
            raw_bytes = upload_form.cleaned_data["file"].read(MAX_BYTES + 1)
            try:
                text = raw_bytes.decode("utf-8")
                exchange = parse_exchange(text, exchange_vocabularies())
            except UnicodeDecodeError:
                upload_form.add_error("file", _("Die Datei ist kein UTF-8-Text."))
            except PoolingError as error:
                upload_form.add_error("file", str(error))
            else:
                context["preview"] = exchange
                context["payload"] = signing.dumps(text, salt=SIGNING_SALT, compress=True)
        if upload_form.errors:
            status = 400
    context["upload_form"] = upload_form
    context["imports"] = list(PoolImport.objects.of_organisation(organisation))
    return render(request, "monitoring/pooling.html", context, status=status)


@staff_required(*EXPORT_ROLES)
def pooling_export(request: HttpRequest) -> HttpResponse:
    """Download the office's pooled, suppressed figures in the exchange format."""
    membership = request.membership  # type: ignore[attr-defined]
    if not _can_export(membership):
        raise PermissionDenied(_("Nur eine Beratungsstelle kann ihre Zahlen exportieren."))
    form = ExportForm(request.GET)
    if not form.is_valid():
        return render(
            request,
            "monitoring/pooling.html",
            {"organisation": membership.organisation, "can_export": True, "export_form": form},
            status=400,
        )
    filters = Filters(form.cleaned_data["period"], form.cleaned_data["granularity"])
    document = exchange_document(membership.organisation, filters)
    log_action(
        request.user,
        membership.organisation,
        "monitoring.pool_exported",
        start=filters.period.start.isoformat(),
        end=filters.period.end.isoformat(),
    )
    name = (
        f"wohnfair-statistik-{membership.organisation.code.lower()}-"
        f"{filters.period.start.isoformat()}-{filters.period.end.isoformat()}.json"
    )
    response = JsonResponse(document, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
