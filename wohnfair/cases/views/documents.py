"""Uploading documents to a case file and downloading them, for staff who may see the case."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from wohnfair.accounts.access import staff_required
from wohnfair.accounts.models import Role
from wohnfair.audit.services import log_action
from wohnfair.cases import documents
from wohnfair.cases.access import get_case_for_user


def attachment_disposition(filename: str) -> str:
    """``attachment`` with an ASCII fallback name and the full name per RFC 5987."""
    fallback = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    fallback = re.sub(r"[^A-Za-z0-9._ -]", "_", fallback).strip(" .") or "Dokument"
    header = f'attachment; filename="{fallback}"'
    if fallback != filename:
        header += f"; filename*=UTF-8''{quote(filename, safe='')}"
    return header


@staff_required(Role.COUNSELLOR, Role.LEAD)
@require_POST
def upload(request: HttpRequest, number: str) -> HttpResponse:
    case = get_case_for_user(request, number)
    if not documents.accepts_documents(case):
        messages.error(request, documents.CASE_CLOSED_MESSAGE)
        return redirect(case.get_absolute_url())
    form = documents.DocumentUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            documents.store_document(
                case, form.cleaned_data["file"], by=request.user, title=form.cleaned_data["title"]
            )
        except documents.DuplicateDocument:
            messages.info(request, _("Diese Datei ist in diesem Fall bereits vorhanden."))
            return redirect(case.get_absolute_url())
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, _("Das Dokument wurde hinzugefügt."))
            return redirect(case.get_absolute_url())
    return render(request, "cases/documents/upload.html", {"case": case, "form": form}, status=400)


@staff_required(Role.COUNSELLOR, Role.LEAD)
@require_GET
def download(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    case = get_case_for_user(request, number)
    document = get_object_or_404(case.documents, pk=pk)
    data = documents.read_document(document)
    log_action(
        request.user, case.organisation, "case.document_downloaded", case, document=document.pk
    )
    content_type = document.content_type
    if content_type == "text/plain":
        content_type += "; charset=utf-8"
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = attachment_disposition(documents.download_name(document))
    response["Content-Length"] = str(len(data))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response
