"""Demo content for letters: the shipped letter templates for every office."""

from __future__ import annotations

from wohnfair.accounts.models import Organisation
from wohnfair.cases.letters import ensure_default_templates


def load() -> int:
    """Create the missing shipped templates of every office; returns how many. Safe to rerun."""
    created = 0
    for organisation in Organisation.objects.filter(kind=Organisation.Kind.OFFICE):
        created += len(ensure_default_templates(organisation))
    return created
