"""Marking the monthly summary stale when counted case data changes.

``cases`` must not know about statistics (monitoring reads cases, never the
other way round), so monitoring listens: to the model signals of the case
models whose fields are counted, and to ``cases.signals.cases_changed`` for
bulk writes that bypass them. Each handler writes ``StaleMonth`` rows for
the (organisation, first-contact month) of the cases touched; nothing else
happens on save (no counting): the next read rebuilds those months.

The month is read from the database, not from the instance in hand, and in
a transaction with the case row locked (``FOR NO KEY UPDATE``, as an update
of it would): a concurrent change of the case's first contact or
organisation then cannot slip between reading the month and committing.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import connection
from django.db.models import Model
from django.db.models.functions import TruncMonth
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from wohnfair.cases.models import Case, Consent, Incident, Intervention, Respondent
from wohnfair.cases.signals import cases_changed
from wohnfair.monitoring.summary import mark_months

REASON = "statistics: the month a changed case counts in"
# Fields that a count depends on, per model (names as in update_fields).
CASE_FIELDS = {
    "organisation",
    "organisation_id",
    "first_contact",
    "case_type",
    "status",
    "channel",
    "channel_id",
    "outcome",
    "outcome_id",
    "closing_reason",
    "closing_reason_id",
    "anonymised_at",
}
CHILD_FIELDS: dict[type[Model], set[str]] = {
    Incident: {"case", "case_id", "lebensbereich", "form", "ebene", "district", "respondent"}
    | {"lebensbereich_id", "form_id", "ebene_id", "district_id", "respondent_id"},
    Intervention: {"case", "case_id", "kind", "kind_id"},
    Consent: {"case", "case_id", "purpose", "withdrawn_on"},
}
MERKMALE = Incident.merkmale.through


def _counted(update_fields: Any, fields: set[str]) -> bool:
    return update_fields is None or bool(set(update_fields) & fields)


def _places(case_ids: set[int | None]) -> list[tuple[int, date]]:
    """(organisation id, first contact) of these cases as the database has them now."""
    ids = {pk for pk in case_ids if pk is not None}
    if not ids:
        return []
    cases = Case.objects.unscoped(REASON).filter(pk__in=ids).order_by("pk")
    if connection.in_atomic_block:
        cases = cases.select_for_update(no_key=True)
    return list(cases.values_list("organisation_id", "first_contact"))


# -- the case ------------------------------------------------------------------------


def case_before_save(sender: Any, instance: Case, update_fields: Any, **kwargs: Any) -> None:
    instance._statistics_before = (  # type: ignore[attr-defined]
        None
        if instance._state.adding or not _counted(update_fields, CASE_FIELDS)
        else next(iter(_places({instance.pk})), None)
    )


def case_saved(sender: Any, instance: Case, update_fields: Any, **kwargs: Any) -> None:
    if not _counted(update_fields, CASE_FIELDS):
        return
    before = getattr(instance, "_statistics_before", None)
    organisation_id, first_contact = instance.organisation_id, instance.first_contact
    if before is not None and update_fields is not None:
        # Fields not written keep the database's values, whatever the instance holds.
        if not {"organisation", "organisation_id"} & set(update_fields):
            organisation_id = before[0]
        if "first_contact" not in update_fields:
            first_contact = before[1]
    mark_months([(organisation_id, first_contact), *([before] if before else [])])


def case_deleted(sender: Any, instance: Case, **kwargs: Any) -> None:
    mark_months([(instance.organisation_id, instance.first_contact)])


# -- rows that belong to a case ---------------------------------------------------------


def child_before_save(sender: Any, instance: Any, update_fields: Any, **kwargs: Any) -> None:
    before = None
    if not instance._state.adding and _counted(update_fields, {"case", "case_id"}):
        # The row may move to another case: the old case's month changes too.
        before = (
            sender._default_manager.filter(pk=instance.pk).values_list("case_id", flat=True).first()
        )
    instance._statistics_case_before = before


def child_saved(sender: Any, instance: Any, update_fields: Any, **kwargs: Any) -> None:
    if _counted(update_fields, CHILD_FIELDS[sender]):
        before = getattr(instance, "_statistics_case_before", None)
        mark_months(_places({instance.case_id, before}))


def child_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    # When the whole case goes, the case is gone by now or goes next (case_deleted).
    mark_months(_places({instance.case_id}))


def _cases_of_incidents(incident_ids: Any) -> set[int | None]:
    return set(Incident.objects.filter(pk__in=incident_ids).values_list("case_id", flat=True))


def merkmale_changed(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **kwargs: Any
) -> None:
    if reverse:  # from a term: pk_set holds incidents
        if action == "pre_clear":
            incidents = MERKMALE.objects.filter(term_id=instance.pk).values("incident_id")
            mark_months(_places(_cases_of_incidents(incidents)))
        elif action in ("post_add", "post_remove"):
            mark_months(_places(_cases_of_incidents(pk_set or ())))
    elif action in ("post_add", "post_remove", "post_clear"):
        mark_months(_places({instance.case_id}))


def merkmal_link_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A row of the Merkmale table written or deleted directly (not through ``set``)."""
    mark_months(_places(_cases_of_incidents([instance.incident_id])))


def respondent_saved(sender: Any, instance: Respondent, update_fields: Any, **kwargs: Any) -> None:
    """The kind of a respondent is counted for every incident that names them."""
    if instance._state.adding or not _counted(update_fields, {"kind", "kind_id"}):
        return
    mark_months(
        Case.objects.unscoped(REASON)
        .filter(incidents__respondent=instance)
        .annotate(_month=TruncMonth("first_contact"))
        .values_list("organisation_id", "_month")
        .distinct()
        .order_by()
    )


def bulk_changed(
    sender: Any, organisation_id: int, months: Any, **kwargs: Any
) -> None:  # cases_changed
    mark_months((organisation_id, month) for month in months)


def connect() -> None:
    uid = "monitoring.summary"
    pre_save.connect(case_before_save, sender=Case, dispatch_uid=f"{uid}.case.pre")
    post_save.connect(case_saved, sender=Case, dispatch_uid=f"{uid}.case.save")
    post_delete.connect(case_deleted, sender=Case, dispatch_uid=f"{uid}.case.delete")
    for model in CHILD_FIELDS:
        name = model.__name__
        pre_save.connect(child_before_save, sender=model, dispatch_uid=f"{uid}.{name}.pre")
        post_save.connect(child_saved, sender=model, dispatch_uid=f"{uid}.{name}.save")
        post_delete.connect(child_deleted, sender=model, dispatch_uid=f"{uid}.{name}.delete")
    m2m_changed.connect(merkmale_changed, sender=MERKMALE, dispatch_uid=f"{uid}.merkmale")
    post_save.connect(merkmal_link_changed, sender=MERKMALE, dispatch_uid=f"{uid}.link.save")
    post_delete.connect(merkmal_link_changed, sender=MERKMALE, dispatch_uid=f"{uid}.link.del")
    post_save.connect(respondent_saved, sender=Respondent, dispatch_uid=f"{uid}.respondent")
    cases_changed.connect(bulk_changed, dispatch_uid=f"{uid}.bulk")
