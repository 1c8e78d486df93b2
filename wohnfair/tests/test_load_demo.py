import io

from django.core.management import call_command

from wohnfair.accounts.models import Membership, Organisation, User


def test_demo_data_loads_and_a_second_run_adds_nothing(db):
    call_command("load_demo", stdout=io.StringIO())
    counts = (User.objects.count(), Organisation.objects.count(), Membership.objects.count())
    call_command("load_demo", stdout=io.StringIO())
    assert counts == (
        User.objects.count(),
        Organisation.objects.count(),
        Membership.objects.count(),
    )
    assert counts == (7, 3, 7)


def test_demo_logins_work(client, db):
    call_command("load_demo", stdout=io.StringIO())
    network = Organisation.objects.get(code="ADA")
    assert set(network.member_organisations.values_list("code", flat=True)) == {"PL", "BO"}
    response = client.post(
        "/konto/login/", {"login": "beratung@bochum.example", "password": "wohnfair-demo"}
    )
    assert response.status_code == 302
    assert "Beratungsstelle Bochum" in client.get("/staff/").text
    assert User.objects.get(email="admin@wohnfair.example").is_superuser
