"""Synthetic case files in bulk, for load tests and benchmarks (never for real data).

``manage.py generate_cases --org PL --count 100000 [--seed 7] [--batch 5000]``

Rows are written with ``bulk_create`` in batches, one transaction per batch,
without the per-case services and without audit entries per case (one summary
entry is written at the end). Encrypted fields are still encrypted: bulk
inserts prepare every value through the field's ``get_prep_value``. Case
numbers continue the organisation's ``CaseCounter`` of each year, which is
locked and advanced per batch, so that cases opened normally afterwards (or
at the same time) get the next free number.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.utils import timezone

from wohnfair.accounts.models import Membership, Organisation, Role, User
from wohnfair.audit.services import log_action
from wohnfair.cases.models import (
    Case,
    CaseAssignment,
    CaseCounter,
    CaseStatus,
    CaseType,
    Consent,
    ConsentPurpose,
    ConsentText,
    District,
    Incident,
    Intervention,
    Person,
    PersonRole,
    Respondent,
    Term,
    WhoCame,
)
from wohnfair.cases.signals import cases_changed
from wohnfair.lib import crypto

FIRST_NAMES = [
    "Aylin", "Mehmet", "Fatima", "Kwame", "Olena", "Dragan", "Amina", "Samir", "Lan",
    "Giorgos", "Ana-Maria", "Tomasz", "Chidi", "Leyla", "Raúl", "Sandra", "Peter", "Reza",
    "Zeynep", "Yusuf", "Mariam", "Ivan", "Svetlana", "Ahmad", "Nadia", "Emre", "Julia",
    "Thomas", "Aisha", "Bogdan", "Elif", "Hassan", "Grace", "Milica", "Kofi", "Hanna",
]  # fmt: skip
LAST_NAMES = [
    "Yılmaz", "Kaya", "El-Amrani", "Mensah", "Kovalenko", "Petrović", "Hassan", "Nguyen",
    "Papadopoulos", "Popescu", "Wiśniewski", "Okafor", "Aslan", "Fernández", "Müller",
    "Krause", "Ahmadi", "Öztürk", "Schmidt", "Haddad", "Demir", "Ivanova", "Rahimi",
    "Bauer", "Şahin", "Mohammadi", "Kowalczyk", "Boateng", "Jovanović", "Weber", "Diallo",
]  # fmt: skip
DESCRIPTIONS = [
    "Nach Nennung des Namens am Telefon hieß es, die Wohnung sei schon vergeben.",
    "In der Anzeige stand „nur an Deutsche“.",
    "Die Hausverwaltung verlangte eine höhere Kaution als von anderen Interessierten.",
    "Nachbarn beschimpfen die Familie im Treppenhaus wiederholt rassistisch.",
    "Der Makler lehnte ab, weil die Person Leistungen vom Jobcenter bezieht.",
    "Ein Besichtigungstermin wurde abgesagt, als der Vermieter das Kopftuch sah.",
    "Die Wohnung wurde als nicht geeignet für Rollstuhlnutzende bezeichnet, ohne Prüfung.",
    "Bewerbungen mit ausländisch klingendem Namen bekamen keine Antwort, Testanfragen schon.",
    "",
]
# Status shares for cases younger than a year; older ones are mostly closed.
RECENT_STATUS = [
    (CaseStatus.OPEN, 0.25),
    (CaseStatus.IN_PROGRESS, 0.35),
    (CaseStatus.WAITING, 0.15),
    (CaseStatus.CLOSED, 0.25),
]
CASE_TYPES = [(CaseType.COUNSELLING, 0.6), (CaseType.MEDIATION, 0.15), (CaseType.SHORT, 0.25)]
WHO_CAME = [
    (WhoCame.AFFECTED, 0.85),
    (WhoCame.PROXY, 0.08),
    (WhoCame.WITNESS, 0.04),
    (WhoCame.ORGANISATION, 0.03),
]
LANGUAGES = [("de", 0.75), ("tr", 0.07), ("ar", 0.07), ("uk", 0.05), ("en", 0.04), ("fa", 0.02)]
STATISTICS_SHARE = 0.8
RESTRICTED_SHARE = 0.05
RESPONDENT_SHARE = 0.7
DISTRICT_SHARE = 0.9
# Share of cases with interventions (one to three, types at random) for the statistics.
INTERVENTION_SHARE = 0.6


def _weighted(pairs: list[tuple[Any, float]]) -> tuple[list[Any], list[float]]:
    values, weights = zip(*pairs, strict=True)
    cumulative, total = [], 0.0
    for weight in weights:
        total += weight
        cumulative.append(total)
    return list(values), cumulative


class CaseGenerator:
    """Builds and inserts synthetic cases of one organisation, batch by batch."""

    def __init__(
        self,
        organisation: Organisation,
        *,
        seed: int,
        years: int = 5,
        today: date | None = None,
    ) -> None:
        self.organisation = organisation
        self.rng = random.Random(seed)  # noqa: S311 (synthetic data)
        self.today = today or timezone.localdate()
        self.start = self.today - timedelta(days=365 * years)
        self.span = (self.today - self.start).days + 1

        memberships = (
            Membership.objects.active()
            .filter(organisation=organisation, role__in=[Role.COUNSELLOR, Role.LEAD])
            .select_related("user")
            .order_by("user__email")
        )
        counsellors = [m.user for m in memberships if m.role == Role.COUNSELLOR]
        self.staff: list[User] = counsellors or [m.user for m in memberships]
        if not self.staff:
            raise CommandError(
                f"Die Organisation {organisation.code} hat keine aktiven Berater*innen "
                "oder Leitungen, denen Fälle zugewiesen werden können."
            )

        def terms(vocabulary: str) -> list[int]:
            ids = list(Term.objects.usable(self.today).of(vocabulary).values_list("id", flat=True))
            if not ids:
                raise CommandError(f"Das Vokabular „{vocabulary}“ ist leer.")
            return ids

        self.merkmale = terms("merkmal")
        self.lebensbereiche = terms("lebensbereich")
        self.forms = terms("form")
        self.ebenen = terms("ebene")
        self.channels = terms("channel")
        self.outcomes = terms("outcome")
        self.closing_reasons = terms("closing_reason")
        self.interventions = terms("intervention")
        # The housing market dominates: the first terms (ethnic origin, flat search) weigh most.
        self.merkmal_weights = _cumulative([6, 2, 2, 1, 1, 1, 2, 1, 1, 2, 2, 1, 1], self.merkmale)
        self.lebensbereich_weights = _cumulative([6, 2, 3, 2, 1, 1], self.lebensbereiche)
        self.districts = list(
            District.objects.filter(organisation=organisation, is_active=True).values_list(
                "id", flat=True
            )
        )
        self.respondents = list(
            Respondent.objects.of_organisation(organisation).values_list("id", flat=True)
        )
        self.consent_texts = {
            purpose: ConsentText.current(purpose)
            for purpose in (ConsentPurpose.COUNSELLING, ConsentPurpose.STATISTICS)
        }
        self.statuses = _weighted(RECENT_STATUS)
        self.case_types = _weighted(CASE_TYPES)
        self.who_came = _weighted(WHO_CAME)
        self.languages = _weighted(LANGUAGES)

    # -- one batch ---------------------------------------------------------------

    def first_contacts(self, count: int) -> list[int]:
        """Day offsets from ``start``, sorted, so that numbers rise with the date."""
        randrange, span = self.rng.randrange, self.span
        return sorted(randrange(span) for _ in range(count))

    def _allocate_numbers(self, days: list[date]) -> list[tuple[str, int]]:
        """Advance the locked counters of the batch's years; call inside a transaction."""
        per_year = Counter(day.year for day in days)
        counters = {}
        for year in sorted(per_year):
            CaseCounter.objects.get_or_create(organisation=self.organisation, year=year)
            counters[year] = CaseCounter.objects.select_for_update().get(
                organisation=self.organisation, year=year
            )
        code = self.organisation.code
        numbers = []
        for day in days:
            counter = counters[day.year]
            counter.last += 1
            numbers.append((f"{code}-{day.year}-{counter.last:04d}", counter.last))
        for counter in counters.values():
            CaseCounter.objects.filter(pk=counter.pk).update(last=counter.last)
        return numbers

    def insert_batch(self, offsets: list[int]) -> int:
        rng = self.rng
        random_ = rng.random
        choice = rng.choice
        pick = rng.choices
        start, today = self.start, self.today
        days = [start + timedelta(days=offset) for offset in offsets]
        org_id = self.organisation.pk
        staff = self.staff

        with transaction.atomic():
            numbers = self._allocate_numbers(days)
            cases: list[Case] = []
            case_staff: list[list[User]] = []
            for day, (number, sequence) in zip(days, numbers, strict=True):
                old = (today - day).days > 365
                if old:
                    roll = random_()
                    status = (
                        CaseStatus.CLOSED
                        if roll < 0.92
                        else CaseStatus.WAITING
                        if roll < 0.95
                        else CaseStatus.IN_PROGRESS
                    )
                else:
                    status = pick(self.statuses[0], cum_weights=self.statuses[1])[0]
                closed = status == CaseStatus.CLOSED
                language = pick(self.languages[0], cum_weights=self.languages[1])[0]
                assigned = [choice(staff)]
                if len(staff) > 1 and random_() < 0.15:
                    other = choice(staff)
                    if other is not assigned[0]:
                        assigned.append(other)
                case_staff.append(assigned)
                cases.append(
                    Case(
                        organisation_id=org_id,
                        number=number,
                        year=day.year,
                        sequence=sequence,
                        case_type=pick(self.case_types[0], cum_weights=self.case_types[1])[0],
                        status=status,
                        first_contact=day,
                        channel_id=choice(self.channels),
                        language=language,
                        interpreter_needed=language != "de" and random_() < 0.5,
                        who_came=pick(self.who_came[0], cum_weights=self.who_came[1])[0],
                        restricted=random_() < RESTRICTED_SHARE,
                        outcome_id=choice(self.outcomes) if closed else None,
                        closing_reason_id=choice(self.closing_reasons) if closed else None,
                        closed_on=min(day + timedelta(days=rng.randint(7, 200)), today)
                        if closed
                        else None,
                        satisfaction=rng.randint(1, 5) if closed and random_() < 0.4 else None,
                        created_by=assigned[0],
                    )
                )
            Case.objects.bulk_create(cases)

            persons, incidents, consents, assignments = [], [], [], []
            for case, assigned in zip(cases, case_staff, strict=True):
                name = f"{choice(FIRST_NAMES)} {choice(LAST_NAMES)}"
                persons.append(
                    Person(
                        case_id=case.pk,
                        role=PersonRole.ADVICE_SEEKER,
                        name=name,
                        name_index=" ".join(crypto.blind_tokens(name, "person.name")),
                        email=f"person{case.pk}@mail.example" if random_() < 0.6 else "",
                        phone=f"0176 {rng.randrange(10**7):07d}" if random_() < 0.7 else "",
                    )
                )
                incidents.append(
                    Incident(
                        case_id=case.pk,
                        date=case.first_contact - timedelta(days=rng.randint(0, 45)),
                        date_is_approximate=random_() < 0.1,
                        district_id=choice(self.districts)
                        if self.districts and random_() < DISTRICT_SHARE
                        else None,
                        lebensbereich_id=pick(
                            self.lebensbereiche, cum_weights=self.lebensbereich_weights
                        )[0],
                        form_id=choice(self.forms),
                        ebene_id=choice(self.ebenen),
                        respondent_id=choice(self.respondents)
                        if self.respondents and random_() < RESPONDENT_SHARE
                        else None,
                        description=choice(DESCRIPTIONS),
                    )
                )
                consents.append(
                    Consent(
                        case_id=case.pk,
                        purpose=ConsentPurpose.COUNSELLING,
                        text=self.consent_texts[ConsentPurpose.COUNSELLING],
                        given_on=case.first_contact,
                        recorded_by=assigned[0],
                    )
                )
                if random_() < STATISTICS_SHARE:
                    consents.append(
                        Consent(
                            case_id=case.pk,
                            purpose=ConsentPurpose.STATISTICS,
                            text=self.consent_texts[ConsentPurpose.STATISTICS],
                            given_on=case.first_contact,
                            recorded_by=assigned[0],
                        )
                    )
                assignments.extend(CaseAssignment(case_id=case.pk, user=user) for user in assigned)
            Person.objects.bulk_create(persons)
            Incident.objects.bulk_create(incidents)
            Consent.objects.bulk_create(consents)
            CaseAssignment.objects.bulk_create(assignments)

            through = Incident.merkmale.through
            links = []
            for incident in incidents:
                first = pick(self.merkmale, cum_weights=self.merkmal_weights)[0]
                links.append(through(incident_id=incident.pk, term_id=first))
                if random_() < 0.3:
                    second = choice(self.merkmale)
                    if second != first:
                        links.append(through(incident_id=incident.pk, term_id=second))
            through.objects.bulk_create(links)

            actions = []
            for case, assigned in zip(cases, case_staff, strict=True):
                if random_() < INTERVENTION_SHARE:
                    for _ in range(rng.randint(1, 3)):
                        actions.append(
                            Intervention(
                                case_id=case.pk,
                                kind_id=choice(self.interventions),
                                date=min(
                                    case.first_contact + timedelta(days=rng.randint(0, 60)), today
                                ),
                                by=assigned[0],
                            )
                        )
            Intervention.objects.bulk_create(actions)
            # bulk_create sends no model signals: tell the statistics which months changed.
            cases_changed.send(sender=Case, organisation_id=org_id, months=set(days))
        return len(cases)

    def run(
        self, count: int, batch: int, progress: Callable[[int, float], None] | None = None
    ) -> float:
        """Insert ``count`` cases; return the seconds it took."""
        began = time.perf_counter()
        offsets = self.first_contacts(count)
        done = 0
        while done < count:
            done += self.insert_batch(offsets[done : done + batch])
            if progress is not None:
                progress(done, time.perf_counter() - began)
        return time.perf_counter() - began


def _cumulative(weights: list[int], values: list[int]) -> list[float]:
    """Cumulative weights for ``values``; terms beyond the list weigh 1."""
    total, cumulative = 0.0, []
    for index in range(len(values)):
        total += weights[index] if index < len(weights) else 1
        cumulative.append(total)
    return cumulative


def analyse_tables() -> None:
    """Fresh planner statistics after a large insert (PostgreSQL; autovacuum lags behind)."""
    if connection.vendor != "postgresql":
        return
    tables = [
        Case._meta.db_table,
        CaseAssignment._meta.db_table,
        CaseCounter._meta.db_table,
        Consent._meta.db_table,
        Incident._meta.db_table,
        Incident.merkmale.through._meta.db_table,
        Intervention._meta.db_table,
        Person._meta.db_table,
    ]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


class Command(BaseCommand):
    help = (
        "Erzeugt schnell synthetische Fälle für eine Organisation (Last- und "
        "Leistungstests; nie in der Produktion)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", required=True, help="Kürzel der Organisation, etwa PL")
        parser.add_argument("--count", type=int, required=True, help="Zahl der Fälle")
        parser.add_argument(
            "--seed", type=int, default=None, help="Startwert des Zufalls (wiederholbar)"
        )
        parser.add_argument("--batch", type=int, default=5000, help="Fälle je Transaktion")
        parser.add_argument("--years", type=int, default=5, help="Zeitraum des Erstkontakts")

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["org"]
        count, batch, years = options["count"], options["batch"], options["years"]
        if count < 1:
            raise CommandError("--count muss mindestens 1 sein.")
        if batch < 1:
            raise CommandError("--batch muss mindestens 1 sein.")
        if years < 1:
            raise CommandError("--years muss mindestens 1 sein.")
        organisation = Organisation.objects.filter(code=code).first()
        if organisation is None:
            known = ", ".join(Organisation.objects.order_by("code").values_list("code", flat=True))
            raise CommandError(f"Unbekannte Organisation „{code}“. Vorhanden: {known or 'keine'}.")
        seed = options["seed"]
        if seed is None:
            seed = random.SystemRandom().randrange(2**31)
        verbose = options["verbosity"] >= 1

        def progress(done: int, seconds: float) -> None:
            if verbose:
                rate = done / seconds if seconds else 0.0
                self.stdout.write(f"  {done:>9}/{count} Fälle  {seconds:7.1f} s  {rate:8.0f}/s")

        if verbose:
            self.stdout.write(
                f"Erzeuge {count} Fälle für {organisation.code} (Seed {seed}, "
                f"{batch} je Transaktion) ..."
            )
        generator = CaseGenerator(organisation, seed=seed, years=years)
        seconds = generator.run(count, batch, progress)
        analyse_tables()
        log_action(None, organisation, "case.generated", count=count, seed=seed)
        if verbose:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{count} Fälle in {seconds:.1f} s erzeugt ({count / seconds:.0f} Fälle/s)."
                )
            )
