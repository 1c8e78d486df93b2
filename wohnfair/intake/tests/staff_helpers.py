"""Reports for the staff-side tests, created directly with the model.

Every report gets its own dummy receipt hash and submission token (both unique);
no real receipt code is needed to triage a report.
"""

from __future__ import annotations

import itertools
import secrets
from typing import Any

from wohnfair.cases.models import Term
from wohnfair.intake.models import Report, ReportMessage

_numbers = itertools.count(1)


def term(vocabulary: str, code: str) -> Term:
    return Term.objects.get(vocabulary=vocabulary, code=code)


def make_report(organisation: Any, **fields: Any) -> Report:
    """A report of ``organisation`` (None: the network queue); fields override the defaults."""
    number = next(_numbers)
    grounds = fields.pop("grounds", ["ethnic_origin"])
    values: dict[str, Any] = {
        "organisation": organisation,
        "reference": f"T-{number:04d}-{secrets.token_hex(3).upper()}",
        "receipt_hash": secrets.token_hex(32),
        "submission_token": secrets.token_hex(16),
        "language": "de",
        "situations": ["no_answer"],
        "description": "Nach Nennung meines Namens war die Wohnung plötzlich vergeben.",
        "city": "Dortmund",
        "district": "Nordstadt",
        "postcode": "44145",
        "consents": {"counselling": 1, "statistics": 1},
    }
    values.update(fields)
    report = Report.objects.create(**values)
    if grounds:
        report.grounds.set([term("merkmal", code) for code in grounds])
    return report


def reporter_message(report: Report, body: str = "Gibt es schon etwas Neues?") -> ReportMessage:
    return ReportMessage.objects.create(report=report, author=None, body=body)


def member(organisation: Any, role: str, email: str) -> Any:
    from wohnfair.accounts.tests.factories import MembershipFactory, UserFactory

    return MembershipFactory(
        organisation=organisation, role=role, user=UserFactory(email=email)
    ).user
