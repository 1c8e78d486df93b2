"""Building documented cases quickly for counting tests (ORM, no services, no audit).

``CaseSpec`` describes one case in the shared categories; ``build_case`` writes
it; ``expected_counts`` counts a list of specs in plain Python, independently of
``aggregation``: the reference the database counts are checked against.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from hypothesis import strategies as st

from wohnfair.accounts.models import Organisation, User
from wohnfair.cases.models import (
    Case,
    Consent,
    ConsentPurpose,
    ConsentText,
    District,
    Incident,
    Intervention,
    Respondent,
    Term,
)
from wohnfair.monitoring.aggregation import Filters

VOCABULARIES = [
    "merkmal",
    "lebensbereich",
    "form",
    "ebene",
    "verursachende",
    "channel",
    "outcome",
    "closing_reason",
    "intervention",
]
CASE_TYPES = ["beratung", "konflikt", "kurz"]
STATUSES = ["open", "in_progress", "waiting", "closed"]
_numbers = itertools.count(1)


@dataclass(frozen=True)
class IncidentSpec:
    lebensbereich: int
    form: int | None = None
    ebene: int | None = None
    district: int | None = None
    respondent: int | None = None
    merkmale: frozenset[int] = frozenset()


@dataclass(frozen=True)
class CaseSpec:
    organisation: int  # 0: A, 1: B
    first_contact: date
    case_type: str = "beratung"
    status: str = "open"
    channel: int | None = None
    outcome: int | None = None
    closing_reason: int | None = None
    incidents: tuple[IncidentSpec, ...] = ()
    interventions: tuple[int, ...] = ()
    consent: str = "given"  # "given", "withdrawn", "none"
    anonymised: bool = False
    extra: dict = field(default_factory=dict, compare=False)


SMALL = 4  # indices into the first few terms of each vocabulary

incident_specs = st.builds(
    IncidentSpec,
    lebensbereich=st.integers(0, SMALL - 1),
    form=st.none() | st.integers(0, SMALL - 1),
    ebene=st.none() | st.integers(0, 2),
    district=st.none() | st.integers(0, 1),
    respondent=st.none() | st.integers(0, 1),
    merkmale=st.frozensets(st.integers(0, SMALL), max_size=3),
)
case_specs = st.builds(
    CaseSpec,
    organisation=st.integers(0, 1),
    first_contact=st.dates(date(2024, 1, 1), date(2025, 12, 31)),
    case_type=st.sampled_from(CASE_TYPES),
    status=st.sampled_from(STATUSES),
    channel=st.none() | st.integers(0, SMALL - 1),
    outcome=st.none() | st.integers(0, SMALL - 1),
    closing_reason=st.none() | st.integers(0, 2),
    incidents=st.lists(incident_specs, max_size=2).map(tuple),
    interventions=st.lists(st.integers(0, SMALL - 1), max_size=2).map(tuple),
    consent=st.sampled_from(["given", "withdrawn", "none"]),
    anonymised=st.booleans(),
)


class World:
    """Two offices with their staff, districts, respondents and the seeded terms."""

    def __init__(self, organisations: list[Organisation], users: list[User]) -> None:
        self.organisations = organisations
        self.users = users
        self.terms = {
            vocabulary: list(Term.objects.of(vocabulary).order_by("order", "code"))
            for vocabulary in VOCABULARIES
        }
        self.districts = [
            [
                District.objects.get_or_create(organisation=org, name=f"Bezirk {org.code} {n}")[0]
                for n in range(2)
            ]
            for org in organisations
        ]
        self.respondents = [
            [
                Respondent.objects.create(
                    organisation=org,
                    kind=self.terms["verursachende"][n],
                    name=f"Vermieter {org.code} {n}",
                )
                for n in range(2)
            ]
            for org in organisations
        ]
        self.consent_text = ConsentText.current(ConsentPurpose.STATISTICS)

    def term(self, vocabulary: str, index: int | None) -> Term | None:
        return None if index is None else self.terms[vocabulary][index]

    def build_case(self, spec: CaseSpec) -> Case:
        org = self.organisations[spec.organisation]
        user = self.users[spec.organisation]
        number = next(_numbers)
        case = Case.objects.create(
            organisation=org,
            number=f"{org.code}-T-{number}",
            year=spec.first_contact.year,
            sequence=number,
            case_type=spec.case_type,
            status=spec.status,
            first_contact=spec.first_contact,
            channel=self.term("channel", spec.channel),
            outcome=self.term("outcome", spec.outcome),
            closing_reason=self.term("closing_reason", spec.closing_reason),
            anonymised_at=datetime(2026, 1, 1, tzinfo=UTC) if spec.anonymised else None,
            created_by=user,
        )
        for incident_spec in spec.incidents:
            incident = Incident.objects.create(
                case=case,
                date=spec.first_contact,
                lebensbereich=self.term("lebensbereich", incident_spec.lebensbereich),
                form=self.term("form", incident_spec.form),
                ebene=self.term("ebene", incident_spec.ebene),
                district=None
                if incident_spec.district is None
                else self.districts[spec.organisation][incident_spec.district],
                respondent=None
                if incident_spec.respondent is None
                else self.respondents[spec.organisation][incident_spec.respondent],
            )
            incident.merkmale.set([self.terms["merkmal"][i] for i in incident_spec.merkmale])
        for kind in spec.interventions:
            Intervention.objects.create(
                case=case, kind=self.terms["intervention"][kind], date=spec.first_contact, by=user
            )
        if spec.consent != "none":
            Consent.objects.create(
                case=case,
                purpose=ConsentPurpose.STATISTICS,
                text=self.consent_text,
                given_on=spec.first_contact,
                withdrawn_on=spec.first_contact if spec.consent == "withdrawn" else None,
            )
        return case

    def values(self, spec: CaseSpec, dimension: str) -> set[str]:
        """The codes a case carries in one dimension (a set: each counts once)."""
        t = self.terms
        if dimension == "case_type":
            return {spec.case_type}
        if dimension in ("channel", "outcome", "closing_reason"):
            index = getattr(spec, dimension)
            return set() if index is None else {t[dimension][index].code}
        if dimension == "intervention_type":
            return {t["intervention"][i].code for i in spec.interventions}
        found: set[str] = set()
        for incident in spec.incidents:
            if dimension == "merkmal":
                found |= {t["merkmal"][i].code for i in incident.merkmale}
            elif dimension == "lebensbereich":
                found.add(t["lebensbereich"][incident.lebensbereich].code)
            elif dimension in ("form", "ebene"):
                index = getattr(incident, dimension)
                if index is not None:
                    found.add(t[dimension][index].code)
            elif dimension == "respondent_type" and incident.respondent is not None:
                found.add(t["verursachende"][incident.respondent].code)
            elif dimension == "district" and incident.district is not None:
                found.add(str(self.districts[spec.organisation][incident.district].pk))
        return found


def included(spec: CaseSpec, filters: Filters, organisations: set[int], pooled: bool) -> bool:
    return (
        spec.organisation in organisations
        and filters.period.start <= spec.first_contact <= filters.period.end
        and (not filters.case_types or spec.case_type in filters.case_types)
        and (not filters.statuses or spec.status in filters.statuses)
        and (not pooled or spec.anonymised or spec.consent == "given")
    )


def expected_counts(
    world: World,
    specs: list[CaseSpec],
    dimension: str,
    filters: Filters,
    organisations: set[int],
    pooled: bool,
) -> tuple[dict[tuple[str, str], int], int]:
    """(code, bucket) -> cases, and the number of distinct cases with any value."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    cases = 0
    for spec in specs:
        if not included(spec, filters, organisations, pooled):
            continue
        values = world.values(spec, dimension)
        day = spec.first_contact
        bucket = {
            "total": "",
            "year": day.strftime("%Y"),
            "quarter": f"{day.year}-Q{(day.month + 2) // 3}",
            "month": day.strftime("%Y-%m"),
        }[filters.granularity]
        for value in values:
            counts[value, bucket] += 1
        cases += bool(values)
    return counts, cases
