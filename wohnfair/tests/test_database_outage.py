from django.db import OperationalError
from django.test import Client, override_settings
from django.urls import path

from wohnfair.accounts.access import public


@public
def broken_view(request):
    raise OperationalError(
        "could not connect to server: Connection refused\n"
        '\tIs the server running on host "db.internal"'
    )


urlpatterns = [path("kaputt/", broken_view)]


@override_settings(ROOT_URLCONF=__name__)
def test_database_outage_gets_a_friendly_503_without_internals(db):
    response = Client(raise_request_exception=False).get("/kaputt/")
    assert response.status_code == 503
    assert "Vorübergehend nicht erreichbar" in response.text
    assert "db.internal" not in response.text
    assert "Connection refused" not in response.text
    assert response["Retry-After"] == "60"


def test_the_service_answers_normally_again_afterwards(client, db):
    assert client.get("/").status_code == 200
