"""Annual and funder reports: periods, narrative, the PDF task, permissions."""

import io
import re
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from wohnfair.audit.models import AuditEntry
from wohnfair.cases.models import CaseType
from wohnfair.cases.tests.conftest import make_case, term  # noqa: F401 (fixture)
from wohnfair.cases.workflow import record_intervention
from wohnfair.monitoring import aggregation, reports
from wohnfair.monitoring.models import (
    Goal,
    Indicator,
    Milestone,
    ReportKind,
    ReportState,
    StatisticsReport,
)
from wohnfair.monitoring.tasks import generate_report_pdf

REPORTS = "/staff/statistik/berichte/"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored(media_root) -> set[str]:
    folder = media_root / reports.STORE.directory
    return {path.name for path in folder.iterdir()} if folder.exists() else set()


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def cases_2025(make_case, org_a, org_b, counsellor_a, counsellor_b):  # noqa: F811
    """Seven cases of A in 2025 (two mediations, one without consent to statistics),
    one of A in 2024 and one of B in 2025."""
    made = [
        make_case(org_a, by=counsellor_a, first_contact=date(2025, month, 10))
        for month in (1, 2, 3, 4)
    ]
    made.append(
        make_case(org_a, by=counsellor_a, first_contact=date(2025, 6, 1), consents=["counselling"])
    )
    for month in (7, 8):
        made.append(
            make_case(
                org_a,
                by=counsellor_a,
                first_contact=date(2025, month, 2),
                case_type=CaseType.MEDIATION,
            )
        )
    record_intervention(made[0], kind="complaint_letter", date=date(2025, 2, 1), by=counsellor_a)
    make_case(org_a, by=counsellor_a, first_contact=date(2024, 12, 1))
    make_case(org_b, by=counsellor_b, first_contact=date(2025, 5, 5))
    return made


@pytest.fixture
def annual(org_a, lead_a):
    return reports.create_report(
        org_a,
        by=lead_a,
        kind=ReportKind.ANNUAL,
        title="Jahresbericht 2025",
        period_start=date(2025, 1, 1),
        period_end=date(2025, 12, 31),
    )


# --- creating and writing ------------------------------------------------------


def test_lead_creates_a_report_for_a_period(login, lead_a, org_a):
    response = login(lead_a).post(
        REPORTS + "neu/",
        {
            "kind": "funder",
            "title": "Sachbericht 2025",
            "period_start": "2025-01-01",
            "period_end": "2025-12-31",
            "organisation": 999,
            "state": "done",
        },
    )
    report = StatisticsReport.objects.of_organisation(org_a).get()
    assert response.status_code == 302 and response["Location"] == f"{REPORTS}{report.pk}/"
    assert (report.kind, report.state, report.consented_only) == ("funder", "draft", False)
    assert AuditEntry.objects.filter(action="statistics_report.created").exists()


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("2025-12-31", "2025-01-01", "Das Ende des Zeitraums liegt vor seinem Anfang."),
        ("2000-01-01", "2020-01-01", "Der Zeitraum darf höchstens 20 Jahre umfassen."),
        ("2025-01-01", "kein Datum", "Bitte ein gültiges Datum eingeben."),
    ],
)
def test_impossible_period_gets_a_german_message_and_nothing_is_created(
    login, lead_a, org_a, start, end, message
):
    response = login(lead_a).post(
        REPORTS + "neu/",
        {"kind": "annual", "title": "X", "period_start": start, "period_end": end},
    )
    assert response.status_code == 400
    assert message in response.text
    assert not StatisticsReport.objects.of_organisation(org_a).exists()


def test_period_errors_accept_up_to_twenty_years():
    assert reports.period_errors(date(2000, 1, 1), date(2019, 12, 31)) == []
    assert reports.period_errors(date(2000, 2, 29), date(2020, 2, 28)) == []
    assert reports.period_errors(date(2000, 2, 29), date(2020, 2, 29)) != []
    with pytest.raises(reports.ReportError):
        reports.create_report(
            None, by=None, kind="annual", title="x",
            period_start=date(2025, 2, 1), period_end=date(2025, 1, 1),
        )  # fmt: skip


def test_narrative_is_saved_per_section_and_markup_stays_text(login, lead_a, annual):
    client = login(lead_a)
    response = client.post(
        f"{REPORTS}{annual.pk}/",
        {
            "einleitung": "Erster Absatz.\n\n<script>alert(1)</script> & <b>fett</b>",
            "ausblick": "Weiter so.",
            "massnahmen": "gehört nicht zum Jahresbericht",
        },
    )
    assert response.status_code == 302
    annual.refresh_from_db()
    assert annual.narrative["einleitung"].endswith("<b>fett</b>")
    assert "massnahmen" not in annual.narrative
    page = client.get(f"{REPORTS}{annual.pk}/").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
    html = reports.render_report_html(annual, reports.ReportFigures())
    assert "<p>Erster Absatz.</p>" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;fett&lt;/b&gt;" in html
    assert "<script>" not in html and "<b>" not in html


def test_funder_report_has_its_own_sections(login, lead_a, org_a):
    report = reports.create_report(
        org_a, by=lead_a, kind=ReportKind.FUNDER, title="Sachbericht",
        period_start=date(2025, 1, 1), period_end=date(2025, 12, 31),
    )  # fmt: skip
    page = login(lead_a).get(f"{REPORTS}{report.pk}/").text
    for label in ("Ausgangslage", "Maßnahmen und Aktivitäten", "Zielerreichung", "Abweichungen"):
        assert label in page
    assert "Fallbeispiele" not in page


# --- generating the PDF --------------------------------------------------------


def test_generate_enqueues_the_task_after_commit(
    login, lead_a, annual, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = login(lead_a).post(f"{REPORTS}{annual.pk}/pdf-erstellen/")
    assert response.status_code == 302
    assert len(callbacks) == 1
    annual.refresh_from_db()
    assert (annual.state, annual.progress) == (ReportState.QUEUED, 0)
    task = DBTaskResult.objects.get()
    assert task.task_path == "wohnfair.monitoring.tasks.generate_report_pdf"
    assert task.args_kwargs["args"] == [annual.pk]
    # A second request while queued is refused.
    response = login(lead_a).post(f"{REPORTS}{annual.pk}/pdf-erstellen/", follow=True)
    assert "Der Bericht wird bereits erstellt." in response.text
    assert DBTaskResult.objects.count() == 1


def test_pdf_contains_the_figures_of_the_period(cases_2025, org_a, lead_a, annual, media):
    Goal.objects.create(
        organisation=org_a, year=2025, title="Fälle eröffnen",
        indicator=Indicator.CASES_OPENED, target=14,
    )  # fmt: skip
    Milestone.objects.create(
        organisation=org_a, date=date(2025, 9, 1), title="Neue Räume", is_public=True
    )
    Milestone.objects.create(organisation=org_a, date=date(2025, 9, 2), title="Interna")
    reports.save_narrative(annual, by=lead_a, texts={"einleitung": "Unser Jahr in Zahlen."})

    assert generate_report_pdf.call(annual.pk) == ReportState.DONE
    annual.refresh_from_db()
    assert (annual.state, annual.progress, annual.error) == (ReportState.DONE, 100, "")
    assert stored(media) == {annual.file_name}
    data = reports.read_pdf(annual)
    assert data.startswith(b"%PDF") and annual.file_size == len(data)
    text = pdf_text(data)
    assert "Jahresbericht 2025" in text and "Unser Jahr in Zahlen." in text
    filters = aggregation.Filters(aggregation.Period(date(2025, 1, 1), date(2025, 12, 31)))
    checked = 0
    for code in ("case_type", "merkmal", "lebensbereich", "channel", "intervention_type"):
        table = aggregation.count(code, filters, [org_a])
        for row in table.rows:
            if row.total:
                assert re.search(rf"{re.escape(row.label)}\s+{row.total}\b", text), row.label
                checked += 1
    assert checked >= 5
    assert re.search(r"Beratungsfall\s+5\b", text) and re.search(r"Konfliktvermittlung\s+2\b", text)
    assert re.search(r"Fälle eröffnen\s+eröffnete Beratungsfälle\s+14\s+7\s+50 %", text)
    assert "Neue Räume" in text and "Interna" not in text


def test_published_report_counts_consenting_cases_and_suppresses_small_cells(
    cases_2025, org_a, lead_a
):
    report = reports.create_report(
        org_a, by=lead_a, kind=ReportKind.ANNUAL, title="Öffentlich",
        period_start=date(2025, 1, 1), period_end=date(2025, 12, 31), consented_only=True,
    )  # fmt: skip
    assert reports.generate_report(report)
    text = pdf_text(reports.read_pdf(report))
    # 6 consenting cases: 4 counselling cases and 2 mediations (<5).
    assert re.search(r"Konfliktvermittlung\s+<5", text)
    assert not re.search(r"Konfliktvermittlung\s+2\b", text)
    assert "Zahlen zwischen 1 und 5" in text


def test_progress_goes_up_in_steps_to_done(cases_2025, annual):
    with CaptureQueriesContext(connection) as queries:
        assert reports.generate_report(annual)
    steps = [
        int(match)
        for query in queries.captured_queries
        if "monitoring_statisticsreport" in query["sql"] and query["sql"].startswith("UPDATE")
        for match in re.findall(r'"progress" = (\d+)', query["sql"])
    ]
    assert steps[0] == 5 and steps[-1] == 100
    assert steps == sorted(steps) and len(steps) >= 4


def test_failure_sets_failed_with_a_short_message_and_keeps_the_old_pdf(
    cases_2025, login, lead_a, annual, media
):
    assert reports.generate_report(annual)
    first = annual.file_name
    # The period was damaged in the database: the counting refuses it.
    StatisticsReport.objects.of_organisation(annual.organisation).filter(pk=annual.pk).update(
        period_end=date(2024, 1, 1)
    )
    annual.refresh_from_db()
    assert generate_report_pdf.call(annual.pk) == ReportState.FAILED
    annual.refresh_from_db()
    assert annual.state == ReportState.FAILED
    assert annual.error.startswith("Der Bericht konnte nicht erstellt werden.")
    assert "Traceback" not in annual.error and "Error" not in annual.error
    assert annual.file_name == first and stored(media) == {first}
    page = login(lead_a).get(f"{REPORTS}{annual.pk}/").text
    assert "Die PDF-Datei konnte nicht erstellt werden." in page
    assert "PDF neu erstellen" in page
    assert AuditEntry.objects.filter(action="statistics_report.failed").exists()


def test_regeneration_replaces_the_file(cases_2025, annual, media):
    assert reports.generate_report(annual)
    first = annual.file_name
    assert reports.generate_report(annual)
    annual.refresh_from_db()
    assert annual.file_name != first
    assert stored(media) == {annual.file_name}


def test_progress_box_polls_while_busy_and_offers_the_download_when_done(
    login, lead_a, annual, cases_2025
):
    client = login(lead_a)
    reports.request_generation(annual, by=lead_a)
    busy = client.get(f"{REPORTS}{annual.pk}/stand/").text
    assert 'hx-trigger="every 2s"' in busy and '<progress id="report-progress"' in busy
    detail = client.get(f"{REPORTS}{annual.pk}/").text
    assert '<meta http-equiv="refresh" content="5">' in detail
    reports.generate_report(annual)
    done = client.get(f"{REPORTS}{annual.pk}/stand/").text
    assert "hx-trigger" not in done and "PDF herunterladen" in done


def test_download_is_an_audited_attachment(login, lead_a, annual, cases_2025):
    reports.generate_report(annual)
    response = login(lead_a).get(f"{REPORTS}{annual.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="jahresbericht-2025')
    assert response.content.startswith(b"%PDF")
    assert AuditEntry.objects.filter(
        action="statistics_report.downloaded", object_id=str(annual.pk)
    ).exists()


def test_delete_removes_the_report_and_its_file(
    login, lead_a, annual, cases_2025, media, django_capture_on_commit_callbacks
):
    reports.generate_report(annual)
    with django_capture_on_commit_callbacks(execute=True):
        response = login(lead_a).post(f"{REPORTS}{annual.pk}/loeschen/")
    assert response.status_code == 302
    assert not StatisticsReport.objects.of_organisation(annual.organisation).exists()
    assert stored(media) == set()


# --- permissions ---------------------------------------------------------------


def test_counsellor_cannot_create_or_open_reports(login, counsellor_a, annual, org_a):
    client = login(counsellor_a)
    assert client.get(REPORTS).status_code == 403
    response = client.post(
        REPORTS + "neu/",
        {"kind": "annual", "title": "X", "period_start": "2025-01-01", "period_end": "2025-12-31"},
    )
    assert response.status_code == 403
    assert client.get(f"{REPORTS}{annual.pk}/").status_code == 404
    assert StatisticsReport.objects.of_organisation(org_a).count() == 1


@pytest.mark.parametrize(
    ("method", "suffix"),
    [
        ("get", ""),
        ("post", ""),
        ("post", "pdf-erstellen/"),
        ("get", "stand/"),
        ("get", "pdf/"),
        ("get", "loeschen/"),
        ("post", "loeschen/"),
    ],
)
def test_lead_of_other_organisation_gets_404_on_every_report_url(
    login, lead_b, annual, method, suffix
):
    response = getattr(login(lead_b), method)(f"{REPORTS}{annual.pk}/{suffix}")
    assert response.status_code == 404
    annual.refresh_from_db()
    assert annual.state == ReportState.DRAFT


def test_network_analyst_gets_404_on_report_urls(login, network_analyst, annual):
    assert login(network_analyst).get(f"{REPORTS}{annual.pk}/pdf/").status_code == 404


def test_anonymous_is_sent_to_login(anonymous, annual):
    response = anonymous.get(f"{REPORTS}{annual.pk}/")
    assert response.status_code == 302 and "/konto/login/" in response["Location"]


# --- the real worker -----------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_worker_generates_a_queued_report(vocabularies, org_a, lead_a, login, media):
    report = reports.create_report(
        org_a, by=lead_a, kind=ReportKind.ANNUAL, title="Jahresbericht 2026",
        period_start=date(2026, 1, 1), period_end=date(2026, 12, 31),
    )  # fmt: skip
    assert login(lead_a).post(f"{REPORTS}{report.pk}/pdf-erstellen/").status_code == 302
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")
    report.refresh_from_db()
    assert (report.state, report.progress) == (ReportState.DONE, 100)
    assert DBTaskResult.objects.successful().count() == 1
    assert stored(media) == {report.file_name}
