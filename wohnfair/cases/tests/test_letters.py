"""Letters: templates with whitelisted placeholders, drafts, and the PDF in the case file."""

import io
import urllib.request
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from wohnfair.audit.models import AuditEntry
from wohnfair.cases import documents, letters, letters_demo, services
from wohnfair.cases.models import (
    CaseStatus,
    Deadline,
    Document,
    Intervention,
    Letter,
    LetterTemplate,
    Respondent,
)
from wohnfair.cases.tests.conftest import term
from wohnfair.lib import pdf

BERLIN = ZoneInfo("Europe/Berlin")
Kind = LetterTemplate.Kind


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def frozen(time_machine):
    # Three weeks after the incident of 20.02.2026: the § 21(5) AGG period runs until 20.04.2026.
    time_machine.move_to(datetime(2026, 3, 5, 10, 0, tzinfo=BERLIN), tick=False)


@pytest.fixture
def respondent_a(org_a):
    return Respondent.objects.create(
        organisation=org_a,
        kind=term("verursachende", "housing_company"),
        name="Wohnbau Muster GmbH",
        address="Musterstraße 1, 44135 Dortmund",
    )


@pytest.fixture
def case(make_case, org_a, counsellor_a, respondent_a):
    case = make_case(
        org_a,
        by=counsellor_a,
        description="Am Telefon hieß es, an „Ausländer“ werde nicht vermietet.",
    )
    incident = case.incidents.get()
    incident.respondent = respondent_a
    incident.save()
    return case


@pytest.fixture
def templates(org_a):
    letters.ensure_default_templates(org_a)
    return {template.kind: template for template in org_a.letter_templates.all()}


def pdf_text(data: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.split())


def url(name, case, letter=None):
    args = [case.number] if letter is None else [case.number, letter.pk]
    return reverse(f"cases:{name}", args=args)


def stored_files(media):
    folder = media / documents.DIRECTORY
    return sorted(folder.iterdir()) if folder.exists() else []


def shown_messages(response) -> str:
    return " ".join(str(message) for message in response.context["messages"])


# Placeholders ------------------------------------------------------------------------


def test_known_placeholders_pass_validation():
    letters.validate_template("{{ person.name }} {{person.address}} {{  deadline.due_on  }}")


def test_each_unknown_placeholder_is_named():
    with pytest.raises(ValidationError) as error:
        letters.validate_template("Hallo {{ foo }}, {{ person.name }} und {{ bar.baz }} {{ foo }}")
    assert error.value.messages == [
        "Unbekannter Platzhalter: {{ foo }}",
        "Unbekannter Platzhalter: {{ bar.baz }}",
    ]


@pytest.mark.parametrize(
    "text",
    ["{% debug %}", "{% load static %}{% static 'x' %}", "{# Kommentar #}", "{{ person.name }"],
)
def test_template_tags_and_broken_placeholders_are_refused(text):
    with pytest.raises(ValidationError):
        letters.validate_template(text)


def test_the_shipped_templates_are_valid_and_cover_the_four_letters(org_a, templates):
    assert set(templates) == {Kind.COMPLAINT, Kind.CLAIM, Kind.STATEMENT, Kind.LAWYER}
    for template in templates.values():
        letters.validate_template(template.subject)
        letters.validate_template(template.body)
    claim = templates[Kind.CLAIM].body
    assert "zwei Monaten" in claim
    assert "§ 21 Abs. 5 AGG" in claim
    assert "{{ deadline.due_on }}" in claim
    assert "§ 21 Abs. 2 Satz 1 AGG" in claim  # damages
    assert "Entschädigung" in claim and "§ 21 Abs. 2 Satz 3 AGG" in claim  # compensation
    assert "bis zum {{ reply.due_on }}" in claim


def test_default_templates_are_added_once_and_only_where_a_kind_is_missing(org_a):
    LetterTemplate.objects.create(
        organisation=org_a, kind=Kind.CLAIM, name="Eigene", subject="S", body="B"
    )
    created = letters.ensure_default_templates(org_a)
    assert {template.kind for template in created} == {
        Kind.COMPLAINT,
        Kind.STATEMENT,
        Kind.LAWYER,
    }
    assert letters.ensure_default_templates(org_a) == []
    assert org_a.letter_templates.filter(kind=Kind.CLAIM).get().name == "Eigene"


def test_the_demo_gives_every_office_the_templates_and_networks_none(org_a, org_b, network):
    assert letters_demo.load() == 8
    assert letters_demo.load() == 0
    assert org_b.letter_templates.count() == 4
    assert not LetterTemplate.objects.filter(organisation=network).exists()


def test_a_draft_is_filled_in_from_the_case(case, templates, counsellor_a):
    letter = letters.create_letter(case, templates[Kind.CLAIM], by=counsellor_a)
    assert letter.recipient == "Wohnbau Muster GmbH\nMusterstraße 1\n44135 Dortmund"
    assert letter.subject == (
        "Geltendmachung von Ansprüchen nach § 21 AGG – Aylin Demir, Vorfall vom 20.02.2026"
    )
    assert "die am 20.04.2026 endet" in letter.body
    assert "bis zum 19.03.2026" in letter.body  # reply within two weeks
    assert "an „Ausländer“ werde nicht vermietet" in letter.body
    assert case.number in letter.body
    assert "{{" not in letter.body and "[fehlt:" not in letter.body
    assert not letter.is_final
    assert AuditEntry.objects.filter(action="case.letter_created").count() == 1


def test_a_lawyer_letter_leaves_the_recipient_to_the_counsellor(case, templates, counsellor_a):
    letter = letters.create_letter(case, templates[Kind.LAWYER], by=counsellor_a)
    assert letter.recipient == ""
    with pytest.raises(letters.LetterError, match="Empfänger"):
        letters.finalise_letter(letter, by=counsellor_a)


def test_missing_case_data_is_marked_and_blocks_the_pdf(
    make_case, org_a, counsellor_a, templates, media
):
    case = make_case(org_a, by=counsellor_a)  # no respondent, no description
    letter = letters.create_letter(case, templates[Kind.COMPLAINT], by=counsellor_a)
    assert "[fehlt: Beschreibung des Vorfalls aus der Fallakte]" in letter.body
    letters.update_draft(letter, by=counsellor_a, recipient="Hausverwaltung X", **_text(letter))
    with pytest.raises(letters.LetterError, match="fehlen noch Angaben"):
        letters.finalise_letter(letter, by=counsellor_a)
    assert not Document.objects.exists() and not stored_files(media)


def _text(letter):
    return {"subject": letter.subject, "body": letter.body}


# Template injection ------------------------------------------------------------------


def test_template_syntax_in_a_template_is_never_evaluated(
    case, org_a, counsellor_a, settings, media
):
    settings.SECRET_KEY = "geheim-" + "x" * 50
    # Stored directly, as if it had slipped past the form: still only plain text replacement.
    template = LetterTemplate.objects.create(
        organisation=org_a,
        kind=Kind.COMPLAINT,
        name="Versuch",
        subject="{{ settings.SECRET_KEY }} für {{ person.name }}",
        body="{% debug %}\n\n{{ person.name.__class__ }} {{ request.user }} {% now 'Y' %}",
    )
    letter = letters.create_letter(case, template, by=counsellor_a)
    assert letter.subject == "{{ settings.SECRET_KEY }} für Aylin Demir"
    assert (
        letter.body == "{% debug %}\n\n{{ person.name.__class__ }} {{ request.user }} {% now 'Y' %}"
    )
    letter = letters.finalise_letter(letter, by=counsellor_a)
    text = pdf_text(documents.read_document(letter.document))
    assert "{{ settings.SECRET_KEY }}" in text
    assert "{% debug %}" in text
    assert settings.SECRET_KEY not in text
    assert "sql_queries" not in text  # what {% debug %} would print


def test_a_value_that_looks_like_a_placeholder_is_not_replaced_again(
    make_case, org_a, counsellor_a, templates
):
    case = make_case(org_a, by=counsellor_a, name="{{ case.number }} <b>fett</b>")
    letter = letters.create_letter(case, templates[Kind.STATEMENT], by=counsellor_a)
    assert "{{ case.number }} <b>fett</b> hat uns" in letter.body


def test_markup_in_a_draft_is_printed_as_text(case, templates, counsellor_a, monkeypatch):
    letter = letters.create_letter(case, templates[Kind.COMPLAINT], by=counsellor_a)
    letters.update_draft(
        letter,
        by=counsellor_a,
        recipient=letter.recipient,
        subject="<i>Betreff</i>",
        body='Text <img src="http://tracker.example/p.png"> {% debug %}',
    )
    monkeypatch.setattr(urllib.request.OpenerDirector, "open", _no_network, raising=True)
    letter = letters.finalise_letter(letter, by=counsellor_a)
    text = pdf_text(documents.read_document(letter.document))
    assert '<img src="http://tracker.example/p.png">' in text
    assert "<i>Betreff</i>" in text


# The PDF -----------------------------------------------------------------------------


def _no_network(*args, **kwargs):
    raise AssertionError("the PDF tried to load something")


@pytest.mark.parametrize(
    "address",
    ["http://example.org/logo.png", "https://example.org/a.css", "file:///etc/passwd", "data:,x"],
)
def test_the_url_fetcher_refuses_every_url(address):
    with pytest.raises(ValueError, match="no external resources"):
        letters.url_fetcher().fetch(address)


def test_rendering_never_fetches_external_resources(monkeypatch):
    monkeypatch.setattr(urllib.request.OpenerDirector, "open", _no_network)
    requested = []
    fetcher_class = pdf._refusing_fetcher_class()
    original = fetcher_class.fetch

    def recording_fetch(self, address, headers=None):
        requested.append(address)
        return original(self, address, headers)

    monkeypatch.setattr(fetcher_class, "fetch", recording_fetch)
    html = (
        '<html><head><link rel="stylesheet" href="http://example.org/x.css">'
        '<style>@import url("https://example.org/y.css");</style></head>'
        '<body><img src="http://example.org/logo.png"><p>Brief</p></body></html>'
    )
    assert letters.render_pdf(html).startswith(b"%PDF-")
    assert requested  # WeasyPrint asked, and was refused
    assert all(address.startswith(("http://", "https://")) for address in requested)


def test_the_letter_template_itself_requests_nothing(case, templates, counsellor_a, monkeypatch):
    requested = []
    fetcher_class = pdf._refusing_fetcher_class()
    monkeypatch.setattr(
        fetcher_class, "fetch", lambda self, address, headers=None: requested.append(address)
    )
    letter = letters.create_letter(case, templates[Kind.CLAIM], by=counsellor_a)
    assert letters.render_letter_pdf(letter, by=counsellor_a).startswith(b"%PDF-")
    assert requested == []


def test_the_full_path_from_template_to_downloaded_pdf(
    login, case, templates, counsellor_a, respondent_a
):
    client = login(counsellor_a)
    response = client.post(url("letter_create", case), {"template": templates[Kind.CLAIM].pk})
    letter = case.letters.get()
    assert response.status_code == 302
    assert response.url == url("letter", case, letter)

    page = client.get(response.url)
    assert page.status_code == 200
    assert "Aylin Demir" in page.content.decode()

    response = client.post(url("letter_finalise", case, letter), follow=True)
    assert response.redirect_chain[-1][0] == case.get_absolute_url()
    assert "als PDF in den Dokumenten des Falls gespeichert" in shown_messages(response)
    letter.refresh_from_db()
    assert letter.is_final and letter.sent_on == date(2026, 3, 5)

    download = client.get(
        reverse("cases:download_document", args=[case.number, letter.document_id])
    )
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    text = pdf_text(download.content)
    for expected in [
        "Aylin Demir",  # person
        "Wohnbau Muster GmbH",  # respondent, in the address field and the text
        "Musterstraße 1",
        case.number,
        "20.04.2026",  # end of the § 21(5) AGG period
        "05.03.2026",  # date of the letter
        "Planerladen Dortmund",  # organisation, letterhead and signature
        "Mit freundlichen Grüßen",
        str(counsellor_a),
    ]:
        assert expected in text, expected

    document = letter.document
    assert document.content_type == "application/pdf"
    assert document.original_name == f"Geltendmachung-{case.number}-2026-03-05.pdf"
    assert AuditEntry.objects.filter(action="case.letter_finalised").count() == 1


def test_the_stored_pdf_is_encrypted(case, templates, counsellor_a, media):
    letter = letters.create_letter(case, templates[Kind.CLAIM], by=counsellor_a)
    letter = letters.finalise_letter(letter, by=counsellor_a)
    (stored,) = stored_files(media)
    raw = stored.read_bytes()
    assert not raw.startswith(b"%PDF") and b"Aylin" not in raw
    assert documents.read_document(letter.document).startswith(b"%PDF-")


def test_a_claim_letter_is_logged_as_a_claim_and_meets_the_deadline(case, templates, counsellor_a):
    letter = letters.create_letter(case, templates[Kind.CLAIM], by=counsellor_a)
    letter = letters.finalise_letter(letter, by=counsellor_a)
    intervention = Intervention.objects.get()
    assert letter.intervention == intervention
    assert intervention.kind == term("intervention", "claim")
    assert intervention.date == date(2026, 3, 5)
    assert intervention.by == counsellor_a
    assert intervention.addressee == "Wohnbau Muster GmbH"
    assert intervention.summary == letter.subject
    deadline = Deadline.objects.get(case=case)
    assert deadline.met_on == date(2026, 3, 5)
    assert deadline.met_by == intervention


@pytest.mark.parametrize(
    ("kind", "code"),
    [
        (Kind.COMPLAINT, "complaint_letter"),
        (Kind.STATEMENT, "statement_request"),
        (Kind.LAWYER, "referral_lawyer"),
    ],
)
def test_other_letters_are_logged_with_their_kind_and_leave_the_deadline_open(
    case, templates, counsellor_a, kind, code
):
    letter = letters.create_letter(case, templates[kind], by=counsellor_a)
    if kind == Kind.LAWYER:
        letters.update_draft(
            letter, by=counsellor_a, recipient="Kanzlei Recht\nWallstraße 2", **_text(letter)
        )
    letters.finalise_letter(letter, by=counsellor_a)
    assert Intervention.objects.get().kind == term("intervention", code)
    assert Deadline.objects.get(case=case).met_on is None


def test_a_pdf_that_cannot_be_rendered_stores_nothing(
    login, case, templates, counsellor_a, monkeypatch, media
):
    import weasyprint

    letter = letters.create_letter(case, templates[Kind.CLAIM], by=counsellor_a)

    def broken(*args, **kwargs):
        raise RuntimeError("cairo exploded")

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", broken)
    response = login(counsellor_a).post(url("letter_finalise", case, letter), follow=True)
    assert response.redirect_chain[-1][0] == url("letter", case, letter)
    assert "Das PDF konnte nicht erstellt werden" in shown_messages(response)
    letter.refresh_from_db()
    assert not letter.is_final and letter.sent_on is None and letter.intervention is None
    assert not Document.objects.exists()
    assert not Intervention.objects.exists()
    assert Deadline.objects.get(case=case).met_on is None
    assert not stored_files(media)
    assert not AuditEntry.objects.filter(action="case.letter_finalised").exists()


def test_a_failure_after_storing_removes_the_file_again(
    case, templates, counsellor_a, monkeypatch, media
):
    letter = letters.create_letter(case, templates[Kind.CLAIM], by=counsellor_a)

    def broken(intervention):
        raise RuntimeError("database gone")

    monkeypatch.setattr(letters, "_mark_deadline_met", broken)
    with pytest.raises(RuntimeError):
        letters.finalise_letter(letter, by=counsellor_a)
    letter.refresh_from_db()
    assert not letter.is_final
    assert not Document.objects.exists() and not Intervention.objects.exists()
    assert not stored_files(media)


# Editing -----------------------------------------------------------------------------


def test_the_counsellor_edits_the_draft_and_sees_a_preview(login, case, templates, counsellor_a):
    letter = letters.create_letter(case, templates[Kind.COMPLAINT], by=counsellor_a)
    client = login(counsellor_a)
    response = client.post(
        url("letter", case, letter),
        {"recipient": "Frau Muster\nWeg 3", "subject": "Neuer Betreff", "body": "Absatz <1>"},
    )
    assert response.status_code == 302
    letter.refresh_from_db()
    assert (letter.recipient, letter.subject, letter.body) == (
        "Frau Muster\nWeg 3",
        "Neuer Betreff",
        "Absatz <1>",
    )
    page = client.get(url("letter", case, letter)).content.decode()
    assert "Absatz &lt;1&gt;" in page and "Absatz <1>" not in page
    assert "Vorschau" in page


def test_a_finalised_letter_cannot_be_edited(login, case, templates, counsellor_a):
    letter = letters.finalise_letter(
        letters.create_letter(case, templates[Kind.CLAIM], by=counsellor_a), by=counsellor_a
    )
    before = (letter.recipient, letter.subject, letter.body)
    client = login(counsellor_a)
    response = client.post(
        url("letter", case, letter),
        {"recipient": "X", "subject": "Geändert", "body": "Geändert"},
        follow=True,
    )
    assert "bereits fertiggestellt" in shown_messages(response)
    letter.refresh_from_db()
    assert (letter.recipient, letter.subject, letter.body) == before
    response = client.post(url("letter_finalise", case, letter), follow=True)
    assert "bereits fertiggestellt" in shown_messages(response)
    assert Document.objects.count() == 1 and Intervention.objects.count() == 1
    with pytest.raises(letters.LetterError):
        letters.update_draft(letter, by=counsellor_a, recipient="X", subject="Y", body="Z")
    page = client.get(url("letter", case, letter)).content.decode()
    assert 'name="body"' not in page


def test_letters_of_a_closed_case_are_refused(login, case, templates, counsellor_a):
    letter = letters.create_letter(case, templates[Kind.COMPLAINT], by=counsellor_a)
    services.close_case(
        case,
        closing_reason=term("closing_reason", "resolved"),
        outcome=None,
        closed_on=date(2026, 3, 5),
        by=counsellor_a,
    )
    assert case.status == CaseStatus.CLOSED
    client = login(counsellor_a)
    for response in [
        client.post(url("letter_create", case), {"template": templates[Kind.CLAIM].pk}),
        client.post(url("letter", case, letter), {"subject": "S", "body": "B"}),
        client.post(url("letter_finalise", case, letter)),
    ]:
        assert response.status_code == 302
        assert response.url == case.get_absolute_url()
    assert case.letters.count() == 1
    letter.refresh_from_db()
    assert not letter.is_final and letter.subject != "S"
    assert not Document.objects.exists()


def test_a_template_of_another_organisation_cannot_be_used(
    login, case, counsellor_a, org_b, templates
):
    foreign = LetterTemplate.objects.create(
        organisation=org_b, kind=Kind.CLAIM, name="B", subject="S", body="B"
    )
    response = login(counsellor_a).post(url("letter_create", case), {"template": foreign.pk})
    assert response.status_code == 400
    assert not Letter.objects.exists()
    with pytest.raises(letters.LetterError):
        letters.create_letter(case, foreign, by=counsellor_a)


def test_the_case_page_lists_letters_and_offers_the_templates(login, case, templates, counsellor_a):
    letters.create_letter(case, templates[Kind.STATEMENT], by=counsellor_a)
    page = login(counsellor_a).get(case.get_absolute_url()).content.decode()
    assert url("letter_create", case) in page
    assert "Geltendmachung von Ansprüchen nach § 21 AGG" in page  # a template to choose
    assert url("letter", case, case.letters.get()) in page
    assert "Entwurf" in page


def test_the_case_page_says_so_when_there_is_no_active_template(login, case, counsellor_a, org_a):
    LetterTemplate.objects.create(
        organisation=org_a, kind=Kind.CLAIM, name="Alt", subject="S", body="B", is_active=False
    )
    page = login(counsellor_a).get(case.get_absolute_url()).content.decode()
    assert "Es gibt noch keine Briefvorlagen" in page
    assert 'id="letter-template"' not in page


def test_the_choose_template_page_offers_active_templates_only(
    login, case, counsellor_a, templates
):
    templates[Kind.LAWYER].is_active = False
    templates[Kind.LAWYER].save()
    client = login(counsellor_a)
    page = client.get(url("letter_create", case))
    assert page.status_code == 200
    content = page.content.decode()
    assert "Bitte um Stellungnahme" in content and "Anschreiben an Anwält*in" not in content
    response = client.post(url("letter_create", case), {"template": templates[Kind.LAWYER].pk})
    assert response.status_code == 400
    assert not Letter.objects.exists()


# Templates (leads) -------------------------------------------------------------------


def test_the_lead_creates_a_template(login, lead_a, org_a):
    page = login(lead_a).get(reverse("cases:letter_template_create"))
    assert page.status_code == 200
    assert "{{ organisation.letterhead }}" in page.content.decode()
    response = login(lead_a).post(
        reverse("cases:letter_template_create"),
        {
            "kind": Kind.OTHER,
            "name": "An das Wohnungsamt",
            "subject": "Fall {{ case.number }}",
            "body": "Sehr geehrte Damen und Herren,\n\n{{ person.name }} …",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    template = org_a.letter_templates.get()
    assert template.name == "An das Wohnungsamt"
    assert AuditEntry.objects.filter(action="letter_template.created").count() == 1


def test_a_template_with_an_unknown_placeholder_is_refused_and_not_saved(login, lead_a, org_a):
    client = login(lead_a)
    data = {
        "kind": Kind.CLAIM,
        "name": "Neu",
        "subject": "Betreff",
        "body": "Hallo {{ foo }} und {{ settings.SECRET_KEY }}",
        "is_active": "on",
    }
    response = client.post(reverse("cases:letter_template_create"), data)
    assert response.status_code == 400
    content = response.content.decode()
    assert "Unbekannter Platzhalter: {{ foo }}" in content
    assert "Unbekannter Platzhalter: {{ settings.SECRET_KEY }}" in content
    assert not LetterTemplate.objects.exists()


def test_editing_a_template_into_an_unknown_placeholder_changes_nothing(login, lead_a, templates):
    template = templates[Kind.COMPLAINT]
    before = (template.name, template.body)
    response = login(lead_a).post(
        reverse("cases:letter_template", args=[template.pk]),
        {
            "kind": Kind.COMPLAINT,
            "name": "Umbenannt",
            "subject": "S",
            "body": "{% debug %} {{ vermieter.name }}",
        },
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "Unbekannter Platzhalter: {{ vermieter.name }}" in content
    assert "{% debug %}" in content
    template.refresh_from_db()
    assert (template.name, template.body) == before


def test_the_lead_edits_a_template_and_lists_them(login, lead_a, templates):
    template = templates[Kind.STATEMENT]
    client = login(lead_a)
    page = client.get(reverse("cases:letter_template", args=[template.pk]))
    assert page.status_code == 200
    assert "{{ deadline.due_on }}" in page.content.decode()  # the placeholder list
    response = client.post(
        reverse("cases:letter_template", args=[template.pk]),
        {"kind": Kind.STATEMENT, "name": "Stellungnahme", "subject": "S", "body": "B"},
    )
    assert response.status_code == 302
    template.refresh_from_db()
    assert (template.name, template.is_active) == ("Stellungnahme", False)
    listing = client.get(reverse("cases:letter_templates")).content.decode()
    assert "Stellungnahme" in listing


def test_the_lead_adds_the_shipped_templates_from_the_list(login, lead_a, org_a):
    client = login(lead_a)
    assert (
        "Mitgelieferte Vorlagen anlegen"
        in client.get(reverse("cases:letter_templates")).content.decode()
    )
    client.post(reverse("cases:letter_templates"))
    assert org_a.letter_templates.count() == 4


# Who may do what ---------------------------------------------------------------------


def letter_urls(case, letter):
    return [
        url("letter_create", case),
        url("letter", case, letter),
        url("letter_finalise", case, letter),
    ]


@pytest.mark.parametrize("intruder", ["counsellor_b", "lead_b"])
def test_members_of_another_organisation_get_404_on_every_letter_url(
    login, request, case, templates, counsellor_a, intruder
):
    letter = letters.create_letter(case, templates[Kind.CLAIM], by=counsellor_a)
    client = login(request.getfixturevalue(intruder))
    for address in letter_urls(case, letter):
        assert client.post(address, {"template": templates[Kind.CLAIM].pk}).status_code == 404
        assert client.get(address).status_code in (404, 405)
    for template in templates.values():
        address = reverse("cases:letter_template", args=[template.pk])
        assert client.get(address).status_code == 404
        assert client.post(address, {"name": "x"}).status_code == 404
    letter.refresh_from_db()
    assert not letter.is_final and case.letters.count() == 1


def test_a_letter_of_another_case_is_not_found_under_this_case(
    login, case, make_case, org_a, counsellor_a, templates
):
    other = make_case(org_a, by=counsellor_a, name="Jemand Anderes")
    letter = letters.create_letter(other, templates[Kind.CLAIM], by=counsellor_a)
    client = login(counsellor_a)
    assert client.get(url("letter", case, letter)).status_code == 404
    assert client.post(url("letter_finalise", case, letter)).status_code == 404


def test_counsellors_may_not_open_the_template_pages(login, counsellor_a, templates):
    client = login(counsellor_a)
    template = templates[Kind.CLAIM]
    assert client.get(reverse("cases:letter_templates")).status_code == 403
    assert client.get(reverse("cases:letter_template_create")).status_code == 403
    assert client.post(reverse("cases:letter_template_create"), {}).status_code == 403
    assert client.get(reverse("cases:letter_template", args=[template.pk])).status_code == 404
    response = client.post(
        reverse("cases:letter_template", args=[template.pk]),
        {"kind": Kind.CLAIM, "name": "x", "subject": "x", "body": "x"},
    )
    assert response.status_code == 404
    template.refresh_from_db()
    assert template.name != "x"


def test_anonymous_visitors_are_sent_to_login(client, case, templates, counsellor_a):
    letter = letters.create_letter(case, templates[Kind.CLAIM], by=counsellor_a)
    addresses = [
        *letter_urls(case, letter),
        reverse("cases:letter_templates"),
        reverse("cases:letter_template_create"),
        reverse("cases:letter_template", args=[templates[Kind.CLAIM].pk]),
    ]
    for address in addresses:
        response = client.get(address)
        assert response.status_code == 302
        assert response.url.startswith("/konto/login/")
        response = client.post(address)
        assert response.status_code == 302
        assert response.url.startswith("/konto/login/")
