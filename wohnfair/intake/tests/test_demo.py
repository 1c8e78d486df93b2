"""The demo reports load once, in four languages and every state, and their printed
receipt codes open the follow-up page."""

from wohnfair.accounts import demo as accounts_demo
from wohnfair.intake import demo
from wohnfair.intake.models import ReportMessage
from wohnfair.intake.tests.conftest import all_reports


def test_demo_reports_load_once_and_their_codes_work(client):
    accounts_demo.load()
    pairs = demo.load()
    assert len(pairs) == len(demo.REPORTS) == 12
    assert demo.load() == pairs  # idempotent, same codes
    assert all_reports().count() == 12
    reports = list(all_reports())
    assert {report.language for report in reports} == {"de", "en", "tr", "ar"}
    assert {report.status for report in reports} == {
        "received",
        "in_progress",
        "closed",
        "spam",
        "duplicate",
    }
    assert sum(report.is_anonymous for report in reports) >= 5
    assert any(report.organisation is None for report in reports)  # network queue
    assert ReportMessage.objects.filter(internal=True).exists()
    reference, code = pairs[1]
    page = client.post("/melden/status/", {"receipt": code}).text
    assert reference in page
    assert "Vielen Dank für Ihre Meldung" in page
    assert "Testing beim Makler" not in page  # internal note
