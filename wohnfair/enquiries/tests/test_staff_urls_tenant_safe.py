"""Every staff URL that names an enquiry, tried by everyone who must not reach it."""

import pytest
from django.urls import get_resolver, reverse

from wohnfair.accounts.models import Role
from wohnfair.enquiries.tests.conftest import all_enquiries, make_enquiry
from wohnfair.intake.tests.staff_helpers import member


def enquiry_routes():
    for pattern in get_resolver().url_patterns:
        for inner in [pattern, *getattr(pattern, "url_patterns", [])]:
            if getattr(inner, "app_name", None) == "enquiries":
                return inner.url_patterns
    raise AssertionError("enquiries URLs not found")


OBJECT_ROUTES = [p.name for p in enquiry_routes() if "pk" in p.pattern.converters]


@pytest.fixture
def enquiry(org_a):
    return make_enquiry(org_a, "mediation")


@pytest.fixture
def office_admin(org_a):
    return member(org_a, Role.ADMINISTRATOR, "admin@a.example")


def test_the_walk_covers_the_enquiry_urls():
    assert set(OBJECT_ROUTES) == {"detail", "assign", "set_status", "open_case"}


@pytest.mark.parametrize("name", OBJECT_ROUTES)
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize(
    "intruder", ["lead_b", "counsellor_b", "network_analyst", "editor_a", "office_admin"]
)
def test_outsiders_get_404_on_every_enquiry_url(login, enquiry, request, name, method, intruder):
    user = request.getfixturevalue(intruder)
    before = all_enquiries().get(pk=enquiry.pk)
    response = getattr(login(user), method)(
        reverse(f"enquiries:{name}", args=[enquiry.pk]),
        {"status": "spam", "assignee": user.pk},
    )
    assert response.status_code == 404
    after = all_enquiries().get(pk=enquiry.pk)
    assert (after.status, after.assigned_to_id, after.case_id, after.updated_at) == (
        before.status,
        before.assigned_to_id,
        before.case_id,
        before.updated_at,
    )


@pytest.mark.parametrize("name", OBJECT_ROUTES)
def test_an_unknown_id_answers_404(login, counsellor_a, enquiry, name):
    assert login(counsellor_a).get(reverse(f"enquiries:{name}", args=[999999])).status_code == 404


@pytest.mark.parametrize("name", OBJECT_ROUTES)
def test_anonymous_is_sent_to_login(client, enquiry, name):
    response = client.get(reverse(f"enquiries:{name}", args=[enquiry.pk]))
    assert response.status_code == 302
    assert response.url.startswith("/konto/login/")


def test_anonymous_is_sent_to_login_from_the_inbox(client, db):
    response = client.get(reverse("enquiries:inbox"))
    assert response.status_code == 302
    assert response.url.startswith("/konto/login/")


@pytest.mark.parametrize("persona", ["editor_a", "network_analyst"])
def test_roles_without_enquiries_are_refused_the_inbox(login, request, persona):
    assert (
        login(request.getfixturevalue(persona)).get(reverse("enquiries:inbox")).status_code == 403
    )


def test_the_inbox_never_lists_foreign_ids(login, counsellor_b, enquiry):
    page = login(counsellor_b).get(reverse("enquiries:inbox"), {"status": "all"})
    assert page.status_code == 200
    assert f"/staff/anfragen/{enquiry.pk}/" not in page.text
