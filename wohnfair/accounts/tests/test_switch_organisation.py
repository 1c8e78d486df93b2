from wohnfair.accounts.models import Role
from wohnfair.accounts.tests.factories import MembershipFactory


def test_member_of_two_organisations_switches_the_active_one(login, counsellor_a, org_b):
    MembershipFactory(user=counsellor_a, organisation=org_b, role=Role.LEAD)
    client = login(counsellor_a)
    first = client.get("/staff/")
    assert "Beratungsstelle Bochum" in first.text  # alphabetically first
    assert "Planerladen Dortmund" in first.text  # offered in the switcher

    response = client.post(
        "/staff/organisation/",
        {"organisation": counsellor_a.memberships.get(organisation__code="PL").organisation_id},
    )

    assert response.status_code == 302
    page = client.get("/staff/")
    assert '<p class="org-card__name">Planerladen Dortmund</p>' in page.text
    assert "Berater*in" in page.text


def test_switching_to_a_foreign_organisation_is_refused(login, counsellor_a, org_b):
    client = login(counsellor_a)
    response = client.post("/staff/organisation/", {"organisation": org_b.pk}, follow=True)
    assert "steht Ihnen nicht zur Verfügung" in response.text
    assert '<p class="org-card__name">Planerladen Dortmund</p>' in response.text


def test_switching_with_garbage_is_refused(login, counsellor_a):
    client = login(counsellor_a)
    response = client.post("/staff/organisation/", {"organisation": "1 OR 1=1"}, follow=True)
    assert response.status_code == 200
    assert "steht Ihnen nicht zur Verfügung" in response.text
