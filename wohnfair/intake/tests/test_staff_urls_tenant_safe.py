"""Every staff URL that names a report, tried by everyone who must not reach it."""

import pytest
from django.urls import get_resolver, reverse

from wohnfair.accounts.models import Role
from wohnfair.intake.models import Report, ReportFile
from wohnfair.intake.tests.staff_helpers import make_report, member


def intake_routes():
    for pattern in get_resolver().url_patterns:
        for inner in [pattern, *getattr(pattern, "url_patterns", [])]:
            if getattr(inner, "app_name", None) == "intake":
                return inner.url_patterns
    raise AssertionError("intake URLs not found")


REPORT_ROUTES = [p.name for p in intake_routes() if "reference" in p.pattern.converters]
STAFF_ONLY = {"assign", "reply", "open_case", "download_file"}


@pytest.fixture
def report(org_a):
    report = make_report(org_a, contact_name="Aylin Demir")
    ReportFile.objects.create(
        report=report,
        original_name="anzeige.png",
        storage_name="t" * 32,
        content_type="image/png",
        size=1,
        sha256="0" * 64,
    )
    return report


@pytest.fixture
def other_network_admin(db):
    from wohnfair.accounts.models import Organisation
    from wohnfair.accounts.tests.factories import OrganisationFactory

    other = OrganisationFactory(name="Anderes Netz", code="AN", kind=Organisation.Kind.NETWORK)
    return member(other, Role.ADMINISTRATOR, "admin@anderes-netz.example")


@pytest.fixture
def office_admin(org_a):
    return member(org_a, Role.ADMINISTRATOR, "admin@a.example")


def url_for(name, report):
    if name == "download_file":
        return reverse("intake:download_file", args=[report.reference, report.files.get().pk])
    return reverse(f"intake:{name}", args=[report.reference])


def test_the_walk_covers_the_report_urls():
    assert set(REPORT_ROUTES) == {
        "detail",
        "assign",
        "reply",
        "set_status",
        "forward",
        "open_case",
        "download_file",
    }


@pytest.mark.parametrize("name", REPORT_ROUTES)
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize(
    "intruder",
    [
        "lead_b",
        "counsellor_b",
        "network_analyst",
        "editor_a",
        "office_admin",
        "other_network_admin",
    ],
)
def test_outsiders_get_404_on_every_report_url(login, report, request, name, method, intruder):
    user = request.getfixturevalue(intruder)
    before = Report.objects.unscoped("test").get(pk=report.pk)
    response = getattr(login(user), method)(
        url_for(name, report),
        {
            "status": "spam",
            "assignee": user.pk,
            "kind": "answer",
            "answer-text": "x",
            "organisation": user.memberships.get().organisation_id,
        },
    )
    assert response.status_code == 404
    after = Report.objects.unscoped("test").get(pk=report.pk)
    assert (after.status, after.organisation_id, after.assigned_to_id, after.updated_at) == (
        before.status,
        before.organisation_id,
        before.assigned_to_id,
        before.updated_at,
    )
    assert not report.messages.exists()


@pytest.mark.parametrize("name", sorted(STAFF_ONLY))
def test_a_network_administrator_gets_404_where_only_counsellors_act(login, network, name, report):
    admin = member(network, Role.ADMINISTRATOR, "admin@netzwerk.example")
    assert login(admin).get(url_for(name, report)).status_code == 404


@pytest.mark.parametrize("name", REPORT_ROUTES)
def test_an_unknown_reference_answers_404(login, counsellor_a, report, name):
    path = url_for(name, report).replace(report.reference, "T-0000-FFFFFF")
    assert login(counsellor_a).get(path).status_code == 404


@pytest.mark.parametrize("name", REPORT_ROUTES)
def test_anonymous_is_sent_to_login(client, report, name):
    response = client.get(url_for(name, report))
    assert response.status_code == 302
    assert response.url.startswith("/konto/login/")


@pytest.mark.parametrize("name", ["intake:queue", "intake:enter_report", "intake:catchment"])
def test_anonymous_is_sent_to_login_from_the_pages_without_reference(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith("/konto/login/")


@pytest.mark.parametrize("persona", ["editor_a", "network_analyst"])
@pytest.mark.parametrize("name", ["intake:queue", "intake:enter_report", "intake:catchment"])
def test_roles_without_reports_are_refused_the_pages_without_reference(
    login, request, persona, name
):
    assert login(request.getfixturevalue(persona)).get(reverse(name)).status_code == 403
