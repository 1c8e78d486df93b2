"""Small hand-made case sets and an attacker's check for the pooling tests."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from django.utils import timezone

from wohnfair.cases import services
from wohnfair.cases.models import Case, Consent, Term


def term(vocabulary: str, code: str) -> Term:
    return Term.objects.get(vocabulary=vocabulary, code=code)


def add_cases(
    organisation,
    by,
    n: int,
    *,
    merkmal: str = "ethnic_origin",
    lebensbereich: str = "flat_search",
    first_contact: date = date(2025, 3, 1),
    consent: str = "given",  # "given", "none", "withdrawn", "anonymised"
    case_type: str = "beratung",
) -> list[Case]:
    cases = []
    for _ in range(n):
        case = services.open_case(
            organisation=organisation,
            opened_by=by,
            case_type=case_type,
            first_contact=first_contact,
            channel=term("channel", "walk_in"),
            person=services.PersonData(name="Testperson"),
            incident=services.IncidentData(
                date=first_contact,
                lebensbereich=term("lebensbereich", lebensbereich),
                merkmale=[term("merkmal", merkmal)],
                form=term("form", "direct"),
                ebene=term("ebene", "individual"),
            ),
            consents=["counselling", "statistics"]
            if consent in ("given", "withdrawn")
            else ["counselling"],
            consent_date=first_contact,
        )
        if consent == "withdrawn":
            Consent.objects.filter(case=case, purpose="statistics").update(
                withdrawn_on=first_contact
            )
        if consent == "anonymised":
            Case.objects.unscoped("test").filter(pk=case.pk).update(anonymised_at=timezone.now())
        cases.append(case)
    return cases


def recoverable_cells(rows: list[list[int | None]]) -> list[tuple[int, int]]:
    """Withheld cells of an extended table (last row and column: totals) that the
    shown values determine exactly, by the line equations alone.

    ``rows`` holds the shown values, None where withheld. A withheld cell is
    determined iff its unit vector lies in the row space of the equations
    restricted to the withheld cells (Gaussian elimination over fractions).
    """
    height, width = len(rows), len(rows[0])
    unknown = [(i, j) for i in range(height) for j in range(width) if rows[i][j] is None]
    index = {cell: n for n, cell in enumerate(unknown)}
    equations: list[list[Fraction]] = []
    lines = [[(i, j) for j in range(width - 1)] + [(i, width - 1)] for i in range(height)]
    lines += [[(i, j) for i in range(height - 1)] + [(height - 1, j)] for j in range(width)]
    for line in lines:
        coefficients = [Fraction(0)] * len(unknown)
        for position, (i, j) in enumerate(line):
            sign = -1 if position == len(line) - 1 else 1  # parts minus total = 0
            if (i, j) in index:
                coefficients[index[(i, j)]] += sign
        if any(coefficients):
            equations.append(coefficients)
    basis = _row_reduce(equations, len(unknown))
    found = []
    for cell, n in index.items():
        target = [Fraction(0)] * len(unknown)
        target[n] = Fraction(1)
        if _in_span(basis, target):
            found.append(cell)
    return found


def _row_reduce(rows: list[list[Fraction]], width: int) -> list[tuple[int, list[Fraction]]]:
    basis: list[tuple[int, list[Fraction]]] = []
    for row in rows:
        row = list(row)
        for pivot, base in basis:
            if row[pivot]:
                factor = row[pivot] / base[pivot]
                row = [a - factor * b for a, b in zip(row, base, strict=True)]
        pivot = next((c for c in range(width) if row[c]), None)
        if pivot is not None:
            basis.append((pivot, row))
    return basis


def _in_span(basis: list[tuple[int, list[Fraction]]], target: list[Fraction]) -> bool:
    row = list(target)
    for pivot, base in basis:
        if row[pivot]:
            factor = row[pivot] / base[pivot]
            row = [a - factor * b for a, b in zip(row, base, strict=True)]
    return not any(row)


def shown_matrix(table) -> list[list[int | None]]:
    """A SuppressedTable as the attacker sees it: values, None where withheld."""
    matrix = [[row.cells[b].value for b in table.buckets] + [row.total.value] for row in table.rows]
    matrix.append([table.column_totals[b].value for b in table.buckets] + [table.total.value])
    return matrix
