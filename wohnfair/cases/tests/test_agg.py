"""The AGG check: worked examples, properties of ``agg.assess``, and the guided page."""

import json

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from wohnfair.audit.models import AuditEntry
from wohnfair.cases import agg, workflow
from wohnfair.cases.models import AggAssessment, Respondent
from wohnfair.cases.tests.conftest import term
from wohnfair.cases.vocabularies import SEED

ALL_GROUNDS = [code for code, _, _ in SEED["merkmal"]]
OTHER_AGG_GROUNDS = sorted(agg.AGG_GROUNDS - {agg.ETHNIC_ORIGIN})
NON_AGG_GROUNDS = [code for code, _, is_agg in SEED["merkmal"] if not is_agg]
EVIDENCE = [code for code, _, _ in SEED["evidence"]]


def answers(**changes):
    data = {
        "state_body": False,
        "grounds": [agg.ETHNIC_ORIGIN],
        "mass_business": agg.NO,
        "close_relationship": agg.NO,
        "objection_19_3": False,
        "objection_20": False,
        "evidence": [],
    }
    data.update(changes)
    return data


def codes(notes):
    return [note.code for note in notes]


# Worked examples -----------------------------------------------------------------------


def test_ethnic_origin_is_protected_against_a_small_landlord_on_the_same_plot():
    result = agg.assess(
        answers(
            grounds=["ethnic_origin"],
            mass_business="no",
            close_relationship="yes",
            evidence=["memory_protocol", "witnesses"],
        )
    )
    assert result.status == agg.APPLIES
    ground = result.ground("ethnic_origin")
    assert ground.status == agg.APPLIES
    assert ground.legal_basis.startswith("§ 19 Abs. 2")
    assert "unabhängig von der Zahl ihrer Wohnungen" in ground.reason
    assert [claim.code for claim in result.claims] == [
        "removal",
        "injunction",
        "damages",
        "compensation",
    ]
    assert {claim.legal_basis for claim in result.claims} == {
        "§ 21 Abs. 1 Satz 1 AGG",
        "§ 21 Abs. 1 Satz 2 AGG",
        "§ 21 Abs. 2 Satz 1 und 2 AGG",
        "§ 21 Abs. 2 Satz 3 AGG",
    }
    assert all(claim.status == agg.POSSIBLE for claim in result.claims)
    assert all(claim.evidence == ("memory_protocol", "witnesses") for claim in result.claims)
    assert result.burden_of_proof_shift
    # The landlord may object with § 19(5); that is contested for ethnic origin.
    assert codes(result.objections) == ["19_5_ethnic"]
    assert result.deadline.legal_basis == "§ 21 Abs. 5 AGG"
    assert "zwei Monaten" in result.deadline.text


def test_age_discrimination_by_a_housing_company_with_a_justification_objection():
    result = agg.assess(
        answers(grounds=["age"], mass_business="yes", objection_20=True, evidence=["ad"])
    )
    assert result.status == agg.APPLIES
    assert result.ground("age").legal_basis == "§ 19 Abs. 1 Nr. 1 AGG"
    assert result.ground("age").justification_possible
    assert codes(result.objections) == ["20"]
    assert "sachlicher Grund" in result.objections[0].text


def test_religion_against_a_small_private_landlord_is_usually_not_protected():
    result = agg.assess(answers(grounds=["religion"], mass_business="no"))
    assert result.status == agg.NOT_APPLICABLE
    assert result.ground("religion").status == agg.NOT_APPLICABLE
    assert "höchstens 50 Wohnungen" in result.ground("religion").reason
    assert result.claims == ()
    assert not result.burden_of_proof_shift
    assert "worldview" in codes(result.hints)


def test_gender_with_a_large_landlord_on_the_same_plot_is_excluded_by_19_5():
    result = agg.assess(answers(grounds=["gender"], mass_business="yes", close_relationship="yes"))
    assert result.status == agg.NOT_APPLICABLE
    assert result.ground("gender").legal_basis == "§ 19 Abs. 5 Satz 1 und 2 AGG"


def test_an_unknown_flat_count_leaves_the_other_grounds_open():
    result = agg.assess(answers(grounds=["disability"], mass_business="unknown"))
    assert result.status == agg.UNCLEAR
    assert "mehr als 50 Wohnungen" in result.ground("disability").reason
    assert {claim.status for claim in result.claims} == {agg.OPEN}
    assert "Noch keine Indizien" in result.evidence_note


def test_a_job_centre_is_a_state_body_outside_the_agg():
    result = agg.assess(
        answers(state_body=True, grounds=["ethnic_origin", "language"], evidence=["emails"])
    )
    assert result.status == agg.STATE_BODY
    assert result.claims == ()
    assert result.deadline is None
    assert {ground.status for ground in result.grounds} == {agg.NOT_APPLICABLE}
    assert codes(result.other_routes) == [
        "supervisory_complaint",
        "petition",
        "administrative_court",
        "state_law",
        "document",
    ]
    assert "LADG" in result.other_routes[3].text
    assert "municipal_company" in codes(result.hints)


def test_nationality_alone_is_not_an_agg_ground_but_may_be_indirect():
    result = agg.assess(answers(grounds=["nationality"]))
    assert result.status == agg.NOT_APPLICABLE
    assert result.ground("nationality").legal_basis == "§ 3 Abs. 2 AGG"
    assert "mittelbare" in result.ground("nationality").reason


def test_ethnic_origin_cannot_be_justified_under_section_20():
    result = agg.assess(
        answers(grounds=["ethnic_origin", "religion"], mass_business="yes", objection_20=True)
    )
    assert not result.ground("ethnic_origin").justification_possible
    assert codes(result.objections) == ["20", "20_ethnic"]
    assert "ausgeschlossen" in result.objections[1].text


def test_socially_stable_structures_are_noted_as_narrow_and_contested():
    result = agg.assess(answers(objection_19_3=True))
    assert codes(result.objections) == ["19_3"]
    assert "eng auszulegen" in result.objections[0].text


def test_no_ground_given_leaves_the_check_open():
    result = agg.assess(answers(grounds=[]))
    assert result.status == agg.UNCLEAR
    assert result.claims == ()
    assert "no_ground" in codes(result.hints)


@pytest.mark.parametrize(
    "bad",
    [
        {"flats": 60},
        {"mass_business": "maybe"},
        {"grounds": "ethnic_origin"},
        {"grounds": [1]},
        {"state_body": "no"},
        {"evidence": None},
    ],
)
def test_invalid_answers_are_refused(bad):
    with pytest.raises(ValueError):
        agg.assess(answers(**bad))


def test_the_result_is_stored_as_json_and_read_back_unchanged():
    result = agg.assess(answers(grounds=["ethnic_origin", "age"], evidence=["testing"]))
    stored = json.loads(json.dumps(result.to_dict()))
    assert agg.AggResult.from_dict(stored) == result
    assert stored["answers"]["grounds"] == ["ethnic_origin", "age"]


# Properties ----------------------------------------------------------------------------

tristate = st.sampled_from([agg.YES, agg.NO, agg.UNKNOWN])
any_answers = st.fixed_dictionaries(
    {
        "state_body": st.booleans(),
        "grounds": st.lists(
            st.sampled_from([*ALL_GROUNDS, "admin_made_term"]), max_size=6, unique=True
        ),
        "mass_business": tristate,
        "close_relationship": tristate,
        "objection_19_3": st.booleans(),
        "objection_20": st.booleans(),
        "evidence": st.lists(st.sampled_from([*EVIDENCE, "other"]), max_size=4, unique=True),
    }
)
FAST = hypothesis_settings(max_examples=300, deadline=None)


@FAST
@given(any_answers)
def test_ethnic_origin_with_a_private_respondent_always_applies(data):
    data = {**data, "state_body": False, "grounds": [*data["grounds"], "ethnic_origin"]}
    result = agg.assess(data)
    assert result.ground("ethnic_origin").status == agg.APPLIES
    assert result.status == agg.APPLIES
    assert result.claims
    assert {claim.status for claim in result.claims} == {agg.POSSIBLE}
    assert result.deadline is not None


@FAST
@given(any_answers)
def test_a_state_body_never_yields_agg_claims(data):
    result = agg.assess({**data, "state_body": True})
    assert result.status == agg.STATE_BODY
    assert result.claims == ()
    assert result.objections == ()
    assert not result.burden_of_proof_shift
    assert result.deadline is None
    assert result.other_routes
    assert all(ground.status == agg.NOT_APPLICABLE for ground in result.grounds)


@FAST
@given(any_answers)
def test_section_20_never_justifies_a_difference_by_ethnic_origin(data):
    result = agg.assess(data)
    ethnic = result.ground("ethnic_origin")
    if ethnic is not None:
        assert not ethnic.justification_possible
    relevant = {g.code for g in result.grounds if g.status in (agg.APPLIES, agg.UNCLEAR)}
    if relevant == {"ethnic_origin"}:
        assert "20" not in codes(result.objections)


@FAST
@given(any_answers)
def test_grounds_outside_section_1_never_apply(data):
    result = agg.assess(data)
    for ground in result.grounds:
        if ground.code not in agg.AGG_GROUNDS:
            assert ground.status == agg.NOT_APPLICABLE
            assert not ground.is_agg_ground


@FAST
@given(any_answers)
def test_claims_exist_exactly_when_a_ground_applies_or_is_open(data):
    result = agg.assess(data)
    statuses = {ground.status for ground in result.grounds}
    assert bool(result.claims) == bool(statuses & {agg.APPLIES, agg.UNCLEAR})
    assert result.burden_of_proof_shift == (bool(result.claims) and bool(data["evidence"]))
    assert (result.status == agg.APPLIES) == (agg.APPLIES in statuses)


@FAST
@given(any_answers, st.sampled_from(OTHER_AGG_GROUNDS))
def test_the_other_grounds_follow_sections_19_1_and_19_5(data, ground):
    result = agg.assess({**data, "state_body": False, "grounds": [ground]})
    status = result.ground(ground).status
    if data["close_relationship"] == agg.YES or data["mass_business"] == agg.NO:
        assert status == agg.NOT_APPLICABLE
    elif data["mass_business"] == agg.YES and data["close_relationship"] == agg.NO:
        assert status == agg.APPLIES
    else:
        assert status == agg.UNCLEAR


@FAST
@given(any_answers)
def test_every_result_survives_json_and_every_text_is_german(data):
    result = agg.assess(data)
    stored = json.loads(json.dumps(result.to_dict()))
    assert agg.AggResult.from_dict(stored) == result
    assert result.summary in agg.SUMMARIES.values()
    assert all(ground.reason for ground in result.grounds)


# The page ------------------------------------------------------------------------------


def url(case):
    return f"/staff/faelle/{case.number}/agg/"


def form_data(**changes):
    data = {
        "state_body": "no",
        "grounds": ["ethnic_origin"],
        "mass_business": "unknown",
        "close_relationship": "no",
        "evidence": ["memory_protocol"],
        "rationale": "Absage nach Nennung des Namens; Vergleichsanfrage erfolgreich.",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_the_form_starts_from_what_the_case_file_says(login, counsellor_a, case_a, org_a):
    respondent = Respondent.objects.create(
        organisation=org_a,
        kind=term("verursachende", "housing_company"),
        name="WohnAG",
        flats_count=800,
    )
    incident = case_a.incidents.get()
    incident.respondent = respondent
    incident.save()
    incident.evidence.set([term("evidence", "ad")])

    page = login(counsellor_a).get(url(case_a))

    assert page.status_code == 200
    form = page.context["form"]
    assert form.initial["grounds"] == ["ethnic_origin"]
    assert form.initial["mass_business"] == "yes"
    assert form.initial["evidence"] == ["ad"]
    html = page.text
    assert "<legend>1. Wer hat benachteiligt" in html
    assert "Keine Rechtsberatung" in html or "keine Rechtsberatung" in html


def test_saving_stores_answers_result_and_rationale_and_shows_them(login, counsellor_a, case_a):
    client = login(counsellor_a)
    response = client.post(url(case_a), form_data())
    assert response.status_code == 302
    assert response.url.endswith("#ergebnis")

    assessment = AggAssessment.objects.get(case=case_a)
    assert assessment.result["status"] == agg.APPLIES
    assert assessment.answers["grounds"] == ["ethnic_origin"]
    assert assessment.rationale.startswith("Absage")
    assert assessment.assessed_by == counsellor_a

    page = client.get(url(case_a)).text
    assert "Entschädigung (immaterieller Schaden)" in page
    assert "§ 21 Abs. 5 AGG" in page
    assert "Vergleichsanfrage erfolgreich" in page
    assert "Gedächtnisprotokoll" in page

    entry = AuditEntry.objects.get(action="case.agg_assessed")
    assert entry.details == {"status": "applies", "grounds": 1, "first": True}

    detail = client.get(case_a.get_absolute_url()).text
    assert "AGG anwendbar" in detail
    assert "Entschädigung (immaterieller Schaden)" in detail


def test_saving_again_replaces_the_assessment(login, counsellor_a, case_a):
    client = login(counsellor_a)
    client.post(url(case_a), form_data())
    client.post(url(case_a), form_data(state_body="yes"))
    assessment = AggAssessment.objects.get(case=case_a)
    assert assessment.result["status"] == agg.STATE_BODY
    assert AuditEntry.objects.filter(action="case.agg_assessed").count() == 2


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"grounds": None}, "mindestens ein Merkmal"),
        ({"rationale": ""}, "zwingend erforderlich"),
        ({"mass_business": "vielleicht"}, "gültige Auswahl"),
        ({"grounds": ["ethnic_origin", "erfunden"]}, "gültige Auswahl"),
    ],
)
def test_bad_input_gets_a_german_message_and_changes_nothing(
    login, counsellor_a, case_a, changes, message
):
    client = login(counsellor_a)
    client.post(url(case_a), form_data(rationale="erste Fassung"))
    response = client.post(url(case_a), form_data(**changes))
    assert response.status_code == 400
    assert message in response.text
    assert AggAssessment.objects.get(case=case_a).rationale == "erste Fassung"


def test_the_check_exists_for_counselling_cases_only(login, counsellor_a, make_case, org_a):
    mediation = make_case(org_a, by=counsellor_a, case_type="konflikt")
    client = login(counsellor_a)
    assert client.get(url(mediation)).status_code == 404
    assert client.post(url(mediation), form_data()).status_code == 404
    assert not AggAssessment.objects.exists()
    with pytest.raises(workflow.ValidationError):
        workflow.save_assessment(mediation, answers(), "x", by=counsellor_a)


def test_a_closed_case_shows_the_result_but_takes_no_changes(login, counsellor_a, case_a):
    from datetime import date

    from wohnfair.cases import services

    client = login(counsellor_a)
    client.post(url(case_a), form_data())
    services.close_case(
        case_a,
        closing_reason=term("closing_reason", "resolved"),
        outcome=None,
        closed_on=date(2026, 3, 10),
        by=counsellor_a,
    )
    page = client.get(url(case_a))
    assert page.status_code == 200
    assert "Ergebnis der Prüfung" in page.text
    assert "Prüfung ändern" not in page.text
    response = client.post(url(case_a), form_data(state_body="yes"))
    assert response.status_code == 302
    assert AggAssessment.objects.get(case=case_a).result["status"] == agg.APPLIES


@pytest.mark.parametrize("intruder", ["counsellor_b", "lead_b", "editor_a"])
def test_other_organisations_get_404(login, request, case_a, intruder):
    client = login(request.getfixturevalue(intruder))
    assert client.get(url(case_a)).status_code == 404
    assert client.post(url(case_a), form_data()).status_code == 404
    assert not AggAssessment.objects.exists()


def test_anonymous_visitors_are_sent_to_login(client, case_a):
    response = client.post(url(case_a), form_data())
    assert response.status_code == 302
    assert response.url.startswith("/konto/login/")
    assert not AggAssessment.objects.exists()


def test_the_audit_entry_holds_no_content(login, counsellor_a, case_a):
    login(counsellor_a).post(url(case_a), form_data(rationale="Geheimnis-4711"))
    assert "Geheimnis-4711" not in str(list(AuditEntry.objects.values_list("details")))
