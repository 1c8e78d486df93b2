"""Every case URL that names an object, tried by everyone who must not reach it."""

import pytest
from django.urls import get_resolver

from wohnfair.cases import services
from wohnfair.cases.models import Document, Respondent
from wohnfair.cases.tests.conftest import term


def case_routes():
    resolver = get_resolver()
    for pattern in resolver.url_patterns:
        if (
            getattr(pattern, "namespace", None) == "cases"
            or getattr(pattern, "app_name", None) == "cases"
        ):
            return pattern.url_patterns
    for pattern in resolver.url_patterns:
        for inner in getattr(pattern, "url_patterns", []):
            if getattr(inner, "app_name", None) == "cases":
                return inner.url_patterns
    raise AssertionError("cases URLs not found")


OBJECT_ROUTES = [p.name for p in case_routes() if p.pattern.converters]


@pytest.fixture
def objects(org_a, counsellor_a, lead_a, make_case):
    case = make_case(org_a, by=lead_a, restricted=True, counsellors=[lead_a])
    respondent = Respondent.objects.create(
        organisation=org_a, kind=term("verursachende", "agent"), name="Makler M."
    )
    incident = case.incidents.get()
    incident.respondent = respondent
    incident.save()
    document = Document.objects.create(
        case=case,
        uploaded_by=lead_a,
        original_name="brief.pdf",
        storage_name="x" * 32,
        content_type="application/pdf",
        size=1,
        sha256="0" * 64,
    )
    services.add_note(case, "vertraulich", by=lead_a)
    workflow = make_workflow_objects(case, lead_a)
    return {
        **workflow,
        "case": case,
        "incident": incident,
        "person": case.persons.get(),
        "consent": case.consents.first(),
        "document": document,
        "respondent": respondent,
    }


def make_workflow_objects(case, user):
    """One of each workflow object on the case, created directly (no services needed)."""
    from datetime import date

    from wohnfair.cases.models import (
        Agreement,
        Deadline,
        Intervention,
        Letter,
        LetterTemplate,
        PeriodRule,
        Task,
    )

    intervention = Intervention.objects.create(
        case=case, kind=term("intervention", "claim"), date=date(2026, 3, 3), by=user
    )
    template = LetterTemplate.objects.create(
        organisation=case.organisation, kind="claim", name="G", subject="S", body="B"
    )
    return {
        "intervention": intervention,
        "task": Task.objects.create(case=case, title="Anrufen", assignee=user, created_by=user),
        "agreement": Agreement.objects.create(case=case, text="Ruhe", agreed_on=date(2026, 3, 4)),
        "deadline": Deadline.objects.create(
            case=case,
            rule=PeriodRule.objects.get(code="agg_21_5"),
            starts_on=date(2026, 2, 20),
            due_on=date(2026, 4, 20),
        ),
        "letter_template": template,
        "letter": Letter.objects.create(
            case=case, template=template, kind="claim", subject="S", body="B", created_by=user
        ),
    }


def url_for(name, objects):
    from django.urls import reverse

    case = objects["case"]
    pk_for = {
        "edit_incident": objects["incident"].pk,
        "edit_person": objects["person"].pk,
        "withdraw_consent": objects["consent"].pk,
        "download_document": objects["document"].pk,
        "export_json": objects["person"].pk,
        "export_pdf": objects["person"].pk,
        "erase_person": objects["person"].pk,
        "respondent": objects["respondent"].pk,
        "edit_intervention": objects["intervention"].pk,
        "complete_task": objects["task"].pk,
        "review_agreement": objects["agreement"].pk,
        "mark_deadline_met": objects["deadline"].pk,
        "letter_template": objects["letter_template"].pk,
        "letter": objects["letter"].pk,
        "letter_finalise": objects["letter"].pk,
    }
    if name in ("respondent", "letter_template"):
        return reverse(f"cases:{name}", args=[pk_for[name]])
    if name in pk_for:
        return reverse(f"cases:{name}", args=[case.number, pk_for[name]])
    return reverse(f"cases:{name}", args=[case.number])


def test_the_walk_covers_the_object_urls():
    assert {
        "detail",
        "close",
        "edit_incident",
        "download_document",
        "erase_person",
        "respondent",
    } <= set(OBJECT_ROUTES)


@pytest.mark.parametrize("name", OBJECT_ROUTES)
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("intruder", ["lead_b", "counsellor_b", "network_analyst", "editor_a"])
def test_outsiders_get_404_on_every_object_url(login, objects, request, name, method, intruder):
    user = request.getfixturevalue(intruder)
    before = objects["case"].updated_at
    response = getattr(login(user), method)(
        url_for(name, objects), {"text": "x", "status": "waiting"}
    )
    # A method the URL never accepts may answer 405, which says nothing about the object.
    wrong_method = response.status_code == 405 and method.upper() not in response["Allow"]
    assert response.status_code == 404 or wrong_method
    objects["case"].refresh_from_db()
    assert objects["case"].updated_at == before


@pytest.mark.parametrize("name", [n for n in OBJECT_ROUTES if n != "respondent"])
def test_unassigned_counsellor_gets_404_on_a_restricted_case(login, objects, counsellor_a, name):
    client = login(counsellor_a)
    statuses = {
        client.get(url_for(name, objects)).status_code,
        client.post(url_for(name, objects)).status_code,
    }
    assert 404 in statuses
    assert statuses <= {404, 405}


@pytest.mark.parametrize("name", OBJECT_ROUTES)
def test_anonymous_is_sent_to_login(client, objects, name):
    response = client.get(url_for(name, objects))
    assert response.status_code == 302
    assert response.url.startswith("/konto/login/")
