"""A lead writes an annual report and gets its PDF in Chromium; goals, milestones and
report pages pass axe-core."""

from datetime import date

import pytest
from django.core.management import call_command
from django.utils import timezone

from wohnfair.accounts.models import Role
from wohnfair.accounts.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from wohnfair.monitoring.models import Goal, Indicator, Milestone, ReportState, StatisticsReport

pytestmark = pytest.mark.browser


@pytest.fixture
def lead(vocabularies):
    organisation = OrganisationFactory(name="Planerladen Dortmund", code="PL")
    return MembershipFactory(
        organisation=organisation,
        role=Role.LEAD,
        user=UserFactory(email="leitung@planerladen.example", display_name="Lea Leitung"),
    ).user


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_lead_writes_a_report_and_downloads_the_pdf(log_in, visit, page, assert_accessible, lead):
    # The PDF is rendered while the page polls; allow a slow machine more than the default.
    page.set_default_timeout(30_000)
    page.set_default_navigation_timeout(30_000)
    organisation = lead.memberships.get().organisation
    year = timezone.localdate().year
    Goal.objects.create(
        organisation=organisation,
        year=year,
        title="Beratungsfälle eröffnen",
        indicator=Indicator.CASES_OPENED,
        target=30,
    )
    Goal.objects.create(
        organisation=organisation, year=year, title="Workshops", target=6, manual_value=2
    )
    Milestone.objects.create(
        organisation=organisation,
        date=date(1997, 1, 1),
        title="Start des Integrationsprojekts",
        is_public=True,
    )
    log_in(lead)

    visit("/staff/statistik/ziele/")
    assert page.get_by_role("progressbar", name="Fortschritt: Workshops").is_visible()
    assert_accessible()
    visit("/staff/statistik/meilensteine/")
    assert page.get_by_role("link", name="Start des Integrationsprojekts").is_visible()
    assert_accessible()

    visit("/staff/statistik/berichte/")
    assert_accessible()
    page.get_by_role("link", name="Neuer Bericht").click()
    page.wait_for_url("**/staff/statistik/berichte/neu/")
    assert_accessible()
    page.get_by_label("Art des Berichts").select_option(label="Jahresbericht")
    page.get_by_label("Titel").fill(f"Jahresbericht {year}")
    page.get_by_label("Zeitraum von").fill(f"{year}-01-01")
    page.get_by_label("Zeitraum bis").fill(f"{year}-12-31")
    page.get_by_role("button", name="Bericht anlegen").click()
    page.wait_for_url("**/staff/statistik/berichte/*/")
    report = StatisticsReport.objects.of_organisation(organisation).get()

    page.get_by_label("Einleitung").fill("Ein Jahr <b>voller</b> Beratung.")
    page.get_by_role("button", name="Texte speichern").click()
    page.wait_for_url(f"**/staff/statistik/berichte/{report.pk}/")
    assert page.get_by_label("Einleitung").input_value() == "Ein Jahr <b>voller</b> Beratung."
    assert_accessible()

    page.get_by_role("button", name="PDF erstellen").click()
    page.wait_for_url(f"**/staff/statistik/berichte/{report.pk}/")
    assert page.get_by_role("progressbar", name="Fortschritt").is_visible()
    assert "wartet" in page.locator("#report-status [role=status]").inner_text()
    assert_accessible()

    # The worker of the installation (django-tasks-db) picks the queued task up.
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")
    report.refresh_from_db()
    assert report.state == ReportState.DONE

    # htmx polls the status box every two seconds and swaps in the finished state.
    download_link = page.get_by_role("link", name="PDF herunterladen")
    download_link.wait_for(state="visible", timeout=15_000)
    assert "Die PDF-Datei ist fertig." in page.locator("#report-status [role=status]").inner_text()
    assert page.get_by_role("progressbar").count() == 0
    assert_accessible()
    with page.expect_download() as download_info:
        download_link.click()
    download = download_info.value
    assert download.suggested_filename.startswith(f"jahresbericht-{year}")
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
