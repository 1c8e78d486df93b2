from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wohnfair.accounts.access import staff_required
from wohnfair.accounts.models import Role
from wohnfair.audit.models import AuditEntry
from wohnfair.audit.services import log_access
from wohnfair.cases import deadlines
from wohnfair.cases.access import cases_for, get_case_for_user
from wohnfair.cases.forms import CloseForm, NoteForm, StatusForm
from wohnfair.cases.models import (
    Case,
    Consent,
    Document,
    Incident,
    Intervention,
    MediationSession,
    Note,
    Person,
    Task,
)

# Audit actions that belong in the case's timeline, with how to say them.
TIMELINE_ACTIONS = {
    "case.opened": gettext_lazy("Fall angelegt"),
    "case.status_changed": gettext_lazy("Status geändert"),
    "case.closed": gettext_lazy("Fall abgeschlossen"),
    "case.reopened": gettext_lazy("Fall wieder eröffnet"),
    "case.assigned": gettext_lazy("Zuständigkeit geändert"),
    "case.restriction_changed": gettext_lazy("Vertraulichkeit geändert"),
}


@dataclass
class TimelineEntry:
    when: datetime | date
    kind: str
    title: str
    obj: Any = None
    who: Any = None

    @property
    def sort_key(self) -> datetime:
        if isinstance(self.when, datetime):
            return timezone.localtime(self.when).replace(tzinfo=None)
        return datetime(self.when.year, self.when.month, self.when.day)


def load_case(request: HttpRequest, number: str) -> Case:
    """The case with everything the page shows, in a fixed number of queries."""
    queryset = (
        cases_for(request)
        .select_related(
            "organisation",
            "channel",
            "outcome",
            "closing_reason",
            "created_by",
            "agg_check__assessed_by",
            "report",
        )
        .prefetch_related(
            Prefetch("persons", queryset=Person.objects.prefetch_related("characteristics")),
            Prefetch(
                "incidents",
                queryset=Incident.objects.select_related(
                    "district", "lebensbereich", "form", "ebene", "respondent__kind"
                ).prefetch_related("merkmale", "evidence"),
            ),
            Prefetch("notes", queryset=Note.objects.select_related("author")),
            Prefetch("documents", queryset=Document.objects.select_related("uploaded_by")),
            Prefetch("consents", queryset=Consent.objects.select_related("text")),
            "counsellors",
            Prefetch("interventions", queryset=Intervention.objects.select_related("kind", "by")),
            Prefetch("tasks", queryset=Task.objects.select_related("assignee")),
            Prefetch(
                "mediation_sessions",
                queryset=MediationSession.objects.prefetch_related("participants"),
            ),
            "agreements",
        )
    )
    try:
        return queryset.get(number=number)
    except Case.DoesNotExist:
        raise Http404 from None


def timeline_for(case: Case, events: list[AuditEntry]) -> list[TimelineEntry]:
    entries = [
        TimelineEntry(incident.date, "incident", _("Vorfall"), incident)
        for incident in case.incidents.all()
    ]
    entries += [
        TimelineEntry(note.created_at, "note", _("Notiz"), note, note.author)
        for note in case.notes.all()
    ]
    entries += [
        TimelineEntry(
            document.uploaded_at, "document", _("Dokument"), document, document.uploaded_by
        )
        for document in case.documents.all()
    ]
    for consent in case.consents.all():
        entries.append(
            TimelineEntry(consent.given_on, "consent", _("Einwilligung erteilt"), consent)
        )
        if consent.withdrawn_on:
            entries.append(
                TimelineEntry(
                    consent.withdrawn_on, "consent", _("Einwilligung widerrufen"), consent
                )
            )
    entries += [
        TimelineEntry(
            event.created_at, "event", str(TIMELINE_ACTIONS[event.action]), event, event.actor
        )
        for event in events
        if event.action in TIMELINE_ACTIONS
    ]
    return sorted(entries, key=lambda entry: entry.sort_key, reverse=True)


@staff_required(Role.COUNSELLOR, Role.LEAD)
def case_detail(request: HttpRequest, number: str) -> HttpResponse:
    case = load_case(request, number)
    log_access(request, "case.viewed", case)
    events = list(
        AuditEntry.objects.for_object(case)
        .filter(action__in=list(TIMELINE_ACTIONS))
        .select_related("actor")
    )
    persons = list(case.persons.all())
    return render(
        request,
        "cases/detail.html",
        {
            "case": case,
            "persons": persons,
            "incidents": list(case.incidents.all()),
            "documents": list(case.documents.all()),
            "consents": list(case.consents.all()),
            "counsellors": list(case.counsellors.all()),
            "timeline": timeline_for(case, events),
            "deadline_rows": deadlines.panel_rows(case),
            "note_form": NoteForm(),
            "status_form": StatusForm(),
            "close_form": CloseForm(case=case, initial={"closed_on": timezone.localdate()}),
            "is_lead": request.membership.role == Role.LEAD,
        },
    )


@staff_required(Role.LEAD)
def case_audit_trail(request: HttpRequest, number: str) -> HttpResponse:
    case = get_case_for_user(request, number)
    log_access(request, "case.audit_viewed", case)
    entries = AuditEntry.objects.for_object(case).select_related("actor")
    page = Paginator(entries, 50).get_page(request.GET.get("seite"))
    return render(request, "cases/audit_trail.html", {"case": case, "page": page})
