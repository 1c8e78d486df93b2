from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from wohnfair.accounts.access import managers_only
from wohnfair.audit.models import AuditEntry


@managers_only()
def log(request: HttpRequest) -> HttpResponse:
    entries = AuditEntry.objects.of_organisation(request.membership.organisation).select_related(
        "actor"
    )
    action = request.GET.get("aktion", "").strip()
    if action:
        entries = entries.filter(action__startswith=action)
    page = Paginator(entries, 50).get_page(request.GET.get("seite"))
    return render(request, "audit/log.html", {"page": page, "action": action})
