"""The counselling workflow in Chromium: from a new case to a sent Geltendmachung letter.

A counsellor takes a Beratungsfall from intake through the AGG check, the
§ 21(5) AGG deadline and the claim letter (PDF) to the outcome; a mediator
documents a Konfliktvermittlung; the lead looks at the workload and the
counsellor at her tasks. axe-core must find nothing on any of these pages.
"""

import re
from datetime import timedelta
from io import BytesIO
from pathlib import Path

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from wohnfair.accounts.models import Role
from wohnfair.accounts.tests.factories import (
    PASSWORD,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)
from wohnfair.cases import deadlines, letters, services, workflow
from wohnfair.cases.models import (
    Agreement,
    Case,
    CaseStatus,
    CaseType,
    District,
    Letter,
    MediationSession,
    PersonRole,
    Respondent,
    Term,
    Vocabulary,
)

pytestmark = pytest.mark.browser

RESPONDENT = "Wohnen am Hafen GmbH"
PERSON = "Samira Haddad"


def term(vocabulary: str, code: str) -> Term:
    return Term.objects.get(vocabulary=vocabulary, code=code)


def long_date(day) -> str:
    """How the case page writes a date (German ``DATE_FORMAT``: 7. März 2026)."""
    with translation.override("de"):
        return date_format(day, "DATE_FORMAT")


@pytest.fixture
def organisation(vocabularies):
    organisation = OrganisationFactory(name="Planerladen Dortmund", code="PL")
    District.objects.create(organisation=organisation, name="Innenstadt-Nord")
    Respondent.objects.create(
        organisation=organisation,
        kind=term(Vocabulary.VERURSACHENDE, "housing_company"),
        name=RESPONDENT,
        address="Hafenstraße 12, 44147 Dortmund",
    )
    letters.ensure_default_templates(organisation)
    return organisation


def member(organisation, role: str, email: str, name: str):
    return MembershipFactory(
        organisation=organisation,
        role=role,
        user=UserFactory(email=email, display_name=name),
    ).user


@pytest.fixture
def counsellor(organisation):
    return member(organisation, Role.COUNSELLOR, "beratung@planerladen.example", "Aylin Berater")


@pytest.fixture
def lead(organisation):
    return member(organisation, Role.LEAD, "leitung@planerladen.example", "Jana Leitung")


def region(page: Page, name: str):
    return page.get_by_role("region", name=name, exact=True)


def test_counsellor_takes_a_case_from_intake_to_a_sent_claim_letter(
    log_in, page, assert_accessible, organisation, counsellor
):
    today = timezone.localdate()
    incident_day = today - timedelta(days=4)
    due_on = deadlines.deadline_for("agg_21_5", incident_day, organisation.state)
    days_left = (due_on - today).days

    # Intake: "Neuer Fall" with the respondent from the organisation's list.
    log_in(counsellor)
    page.get_by_role("link", name="Neuer Fall").click()
    page.wait_for_url("**/staff/faelle/neu/")
    assert_accessible()

    case_group = page.get_by_role("group", name="Fall", exact=True)
    case_group.get_by_label("Fallart").select_option(label="Beratungsfall")
    case_group.get_by_label("Zugangsweg").select_option(label="persönlich")
    page.get_by_label("Name oder Pseudonym").fill(PERSON)
    incident = page.get_by_role("group", name="Erster Vorfall")
    incident.get_by_label("Datum:", exact=True).fill(incident_day.isoformat())
    incident.get_by_label("Stadtbezirk").select_option(label="Innenstadt-Nord")
    incident.get_by_label("Lebensbereich").select_option(label="Wohnungssuche")
    incident.get_by_label("ethnische Herkunft / rassistische Zuschreibung").check()
    incident.get_by_label("Verursachende:", exact=True).select_option(label=RESPONDENT)
    incident.get_by_label("Beschreibung").fill(
        "Bei der Besichtigung hieß es, an „Ausländer“ werde nicht vermietet. "
        "Die Wohnung war danach weiter inseriert."
    )
    page.get_by_role("group", name="Einwilligungen", exact=True).get_by_label("Beratung").check()
    page.get_by_role("button", name="Fall anlegen").click()

    page.wait_for_url("**/staff/faelle/PL-*/")
    case = Case.objects.unscoped("test").get()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Fall {case.number}")
    expect(page.get_by_role("status")).to_contain_text(f"Fall {case.number} ist angelegt.")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Zum Inhalt springen")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()

    # The § 21(5) AGG deadline runs from the incident, with the days left.
    deadline_panel = region(page, "Fristen")
    expect(deadline_panel).to_contain_text("Geltendmachung von Ansprüchen nach dem AGG")
    expect(deadline_panel).to_contain_text(f"Fristende: {long_date(due_on)}")
    expect(deadline_panel).to_contain_text(f"noch {days_left} Tage")
    assert_accessible()

    # AGG check: private landlord with more than 50 flats, a memory protocol as evidence.
    region(page, "AGG-Prüfung").get_by_role("link", name="AGG-Prüfung durchführen").click()
    page.wait_for_url("**/agg/")
    assert_accessible()
    page.get_by_role("group", name="Wer hat benachteiligt").get_by_label(
        "Nein: eine private Person oder ein Unternehmen"
    ).check()
    grounds = page.get_by_role("group", name="Welche Merkmale sind betroffen?")
    expect(grounds.get_by_label("ethnische Herkunft / rassistische Zuschreibung")).to_be_checked()
    page.get_by_role("group", name="Vermietet die Vermieterseite").get_by_label(
        "ja", exact=True
    ).check()
    page.get_by_role("group", name="Nähe- oder Vertrauensverhältnis").get_by_label(
        "nein", exact=True
    ).check()
    page.get_by_role("group", name="Welche Beweismittel liegen vor?").get_by_label(
        "Gedächtnisprotokoll"
    ).check()
    page.get_by_label("Begründung").fill(
        "Großes Wohnungsunternehmen; die Absage nennt die Herkunft ausdrücklich. "
        "Gedächtnisprotokoll vom Tag der Besichtigung liegt vor."
    )
    page.get_by_role("button", name="Prüfung speichern").click()
    page.wait_for_url("**/agg/#ergebnis")
    expect(page.get_by_role("status")).to_contain_text("Die AGG-Prüfung ist gespeichert.")
    result = region(page, "Ergebnis der Prüfung")
    expect(result).to_contain_text("AGG anwendbar")
    expect(
        result.get_by_role("listitem").filter(has_text="Entschädigung (immaterieller Schaden)")
    ).to_contain_text("Gedächtnisprotokoll")
    expect(result).to_contain_text(f"Frist läuft bis {long_date(due_on)}")
    assert_accessible()

    # Letter: a Geltendmachung from the shipped template.
    page.get_by_role("link", name=f"Zurück zu Fall {case.number}").click()
    page.wait_for_url(f"**/staff/faelle/{case.number}/")
    expect(region(page, "AGG-Prüfung")).to_contain_text("Entschädigung (immaterieller Schaden)")
    letters_panel = region(page, "Briefe")
    letters_panel.get_by_label("Neuer Brief aus Vorlage").select_option(
        label="Geltendmachung von Ansprüchen nach § 21 AGG"
    )
    letters_panel.get_by_role("button", name="Entwurf anlegen").click()
    page.wait_for_url(f"**/staff/faelle/{case.number}/briefe/*/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Geltendmachung")
    expect(page.get_by_label("Empfänger*in")).to_have_value(re.compile(re.escape(RESPONDENT)))
    expect(page.get_by_label("Text:", exact=True)).to_have_value(
        re.compile(re.escape(f"die am {due_on:%d.%m.%Y} endet"))
    )
    preview = region(page, "Vorschau (gespeicherter Stand)")
    expect(preview).to_contain_text(RESPONDENT)
    expect(preview).to_contain_text(f"{due_on:%d.%m.%Y}")
    expect(page.get_by_text("Im Entwurf fehlen noch Angaben")).to_have_count(0)
    assert_accessible()

    page.get_by_role("button", name="PDF erstellen und Brief abschließen").click()
    page.wait_for_url(f"**/staff/faelle/{case.number}/")
    expect(page.get_by_role("status")).to_contain_text(
        "Der Brief wurde als PDF in den Dokumenten des Falls gespeichert"
    )

    letter = Letter.objects.get(case=case)
    assert letter.is_final and letter.document is not None
    assert case.deadlines.get().met_on == today
    letter_row = region(page, "Briefe").get_by_role("row").filter(has_text="Geltendmachung")
    expect(letter_row).to_contain_text("fertiggestellt")
    expect(region(page, "Interventionen").get_by_role("table")).to_contain_text(
        "Geltendmachung von Ansprüchen"
    )
    deadline_panel = region(page, "Fristen")
    expect(deadline_panel).to_contain_text("gewahrt")
    expect(deadline_panel).to_contain_text(f"Ansprüche geltend gemacht am {long_date(today)}")
    documents = region(page, "Dokumente")
    pdf_link = documents.get_by_role("link", name=letter.document.title)
    expect(pdf_link).to_be_visible()
    expect(documents).to_contain_text(letter.document.original_name)
    assert_accessible()

    with page.expect_download() as download_info:
        pdf_link.click()
    download = download_info.value
    assert download.suggested_filename == letter.document.original_name
    assert download.suggested_filename.startswith(f"Geltendmachung-{case.number}-")
    pdf = PdfReader(BytesIO(Path(download.path()).read_bytes()))
    flat = " ".join(" ".join(sheet.extract_text() or "" for sheet in pdf.pages).split())
    assert PERSON in flat
    assert case.number in flat
    assert RESPONDENT in flat
    assert f"{due_on:%d.%m.%Y}" in flat

    # Closing with an outcome.
    region(page, "Überblick").get_by_role("link", name="Fall abschließen").click()
    page.wait_for_url(f"**/staff/faelle/{case.number}/abschliessen/")
    assert_accessible()
    page.get_by_label("Abschlussgrund").select_option(label="Anliegen erledigt")
    page.get_by_label("Ergebnis").select_option(label="Entschädigung oder Schadensersatz")
    page.get_by_label("Zufriedenheit der Person").select_option("5")
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_url(f"**/staff/faelle/{case.number}/")
    expect(page.get_by_role("status")).to_contain_text("Der Fall ist abgeschlossen.")
    overview = region(page, "Überblick")
    expect(overview).to_contain_text("Anliegen erledigt")
    expect(overview).to_contain_text("Entschädigung oder Schadensersatz")
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert case.outcome.code == "compensation"
    assert_accessible()


def test_mediator_documents_parties_session_and_agreement(
    log_in, page, assert_accessible, organisation, counsellor
):
    today = timezone.localdate()
    case = services.open_case(
        organisation=organisation,
        opened_by=counsellor,
        case_type=CaseType.MEDIATION,
        first_contact=today - timedelta(days=10),
        person=services.PersonData(
            name="Familie Yilmaz", role=PersonRole.PARTY, party_role="Haushalt Erdgeschoss"
        ),
        incident=services.IncidentData(
            date=today - timedelta(days=14),
            lebensbereich=term(Vocabulary.LEBENSBEREICH, "neighbourhood"),
            merkmale=[term(Vocabulary.MERKMAL, "ethnic_origin")],
            description="Streit um Lärm und Zettel im Treppenhaus.",
        ),
    )
    review_on = today + timedelta(days=30)

    log_in(counsellor)
    page.get_by_role("link", name="Fälle", exact=True).click()
    page.get_by_role("link", name=case.number).click()
    page.wait_for_url(f"**/staff/faelle/{case.number}/")
    expect(region(page, "Konfliktvermittlung")).to_be_visible()
    assert_accessible()

    # The second party.
    page.get_by_role("link", name="Weitere Person oder Konfliktpartei hinzufügen").click()
    page.get_by_label("Rolle im Fall").select_option(label="Konfliktpartei")
    page.get_by_label("Rolle in der Vermittlung").fill("Haushalt 2. OG")
    page.get_by_label("Name oder Pseudonym").fill("Familie Becker")
    assert_accessible()
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_url(f"**/staff/faelle/{case.number}/")
    expect(page.get_by_role("heading", name="Familie Becker")).to_be_visible()

    # A mediation session with both parties.
    region(page, "Konfliktvermittlung").get_by_role(
        "link", name="Vermittlungsgespräch dokumentieren"
    ).click()
    page.wait_for_url("**/gespraeche/neu/")
    page.get_by_label("Ort").fill("Nachbarschaftstreff Nordstadt")
    participants = page.get_by_role("group", name="Teilnehmende")
    participants.get_by_label("Familie Yilmaz (Haushalt Erdgeschoss)").check()
    participants.get_by_label("Familie Becker (Haushalt 2. OG)").check()
    page.get_by_label("Dolmetschen").fill("Türkisch, Frau Demir")
    page.get_by_label("Themen").fill("Ruhezeiten, Nutzung des Hofs")
    page.get_by_label("Verlauf").fill("Beide Seiten haben ihre Sicht geschildert.")
    assert_accessible()
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_url(f"**/staff/faelle/{case.number}/#vermittlung")
    mediation = region(page, "Konfliktvermittlung")
    expect(mediation).to_contain_text("Familie Yilmaz (Haushalt Erdgeschoss)")
    expect(mediation).to_contain_text("Familie Becker (Haushalt 2. OG)")
    session = MediationSession.objects.get(case=case)
    assert {person.name for person in session.participants.all()} == {
        "Familie Yilmaz",
        "Familie Becker",
    }

    # The agreement with a review date.
    mediation.get_by_role("link", name="Vereinbarung festhalten").click()
    page.wait_for_url("**/vereinbarungen/neu/")
    page.get_by_label("Vereinbarung:", exact=True).fill(
        "Ruhezeiten ab 22 Uhr; der Hof wird samstags gemeinsam genutzt."
    )
    review = page.get_by_label("überprüfen am")
    review.fill(review_on.isoformat())
    assert_accessible()
    review.press("Enter")
    page.wait_for_url(f"**/staff/faelle/{case.number}/#vermittlung")
    mediation = region(page, "Konfliktvermittlung")
    expect(mediation).to_contain_text("Ruhezeiten ab 22 Uhr")
    expect(mediation).to_contain_text(long_date(review_on))
    agreement = Agreement.objects.get(case=case)
    assert agreement.session == session
    assert agreement.review_on == review_on
    assert_accessible()


def test_lead_sees_the_workload_and_the_counsellor_her_tasks(
    log_in, page, assert_accessible, organisation, counsellor, lead
):
    today = timezone.localdate()
    at_risk = services.open_case(
        organisation=organisation,
        opened_by=counsellor,
        case_type=CaseType.COUNSELLING,
        first_contact=today - timedelta(days=50),
        person=services.PersonData(name="Karim Nasser"),
        incident=services.IncidentData(
            date=today - timedelta(days=55),
            lebensbereich=term(Vocabulary.LEBENSBEREICH, "flat_search"),
            merkmale=[term(Vocabulary.MERKMAL, "ethnic_origin")],
            respondent=Respondent.objects.of_organisation(organisation).get(),
        ),
    )
    workflow.add_task(
        at_risk,
        title="Vollmacht unterschreiben lassen",
        assignee=counsellor,
        by=lead,
        due_on=today - timedelta(days=3),
    )
    workflow.add_task(
        at_risk, title="Zeugin anrufen", assignee=counsellor, by=counsellor, due_on=today
    )

    log_in(lead)
    page.get_by_role("link", name="Auslastung", exact=True).click()
    page.wait_for_url("**/staff/auslastung/")
    expect(region(page, "Offene Fälle je Berater*in")).to_contain_text("Aylin Berater")
    at_risk_row = (
        region(page, "Gefährdete Fristen")
        .get_by_role("row")
        .filter(has=page.get_by_role("link", name=at_risk.number))
    )
    expect(at_risk_row).to_contain_text(f"{at_risk.deadlines.get().due_on:%d.%m.%Y}")
    expect(at_risk_row).to_contain_text("Aylin Berater")
    expect(region(page, "Überfällige Aufgaben")).to_contain_text("Vollmacht unterschreiben lassen")
    assert_accessible()

    # The lead signs out; the counsellor signs in from the home page.
    page.get_by_role("button", name="Abmelden").click()
    page.get_by_role("link", name="Anmeldung für Mitarbeitende").first.click()
    page.get_by_label("E-Mail").fill(counsellor.email)
    page.get_by_label("Passwort:", exact=True).fill(PASSWORD)
    page.get_by_label("Passwort:", exact=True).press("Enter")
    page.wait_for_url("**/staff/")
    page.get_by_role("link", name="Aufgaben", exact=True).click()
    page.wait_for_url("**/staff/aufgaben/")
    table = page.get_by_role("table", name="Meine offenen Aufgaben")
    overdue = table.get_by_role("row").filter(has_text="Vollmacht unterschreiben lassen")
    expect(overdue).to_contain_text("überfällig")
    expect(table.get_by_role("row").filter(has_text="Zeugin anrufen")).to_contain_text(
        "heute fällig"
    )
    assert_accessible()

    overdue.get_by_role("button", name="Erledigt").click()
    expect(page.get_by_text("Die Aufgabe ist erledigt.")).to_be_visible()
    expect(table.get_by_role("row").filter(has_text="Vollmacht")).to_have_count(0)
    assert_accessible()
