"""Recount the monthly statistics summary from the case tables.

``manage.py rebuild_statistics [--org PL]``: after case data was written
around the ORM (raw SQL, restored backups); changes made through the
application mark their months themselves. Safe while the application runs.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wohnfair.accounts.models import Organisation
from wohnfair.monitoring.summary import rebuild_all


class Command(BaseCommand):
    help = "Zählt die monatliche Statistik-Zusammenfassung neu aus den Fällen."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", help="Kürzel der Organisation, etwa PL (sonst alle)")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation_ids = None
        if options["org"]:
            organisation = Organisation.objects.filter(code=options["org"]).first()
            if organisation is None:
                raise CommandError(f"Unbekannte Organisation „{options['org']}“.")
            organisation_ids = [organisation.pk]
        began = time.perf_counter()
        months = rebuild_all(organisation_ids)
        if options["verbosity"] >= 1:
            self.stdout.write(
                f"{months} Monate neu gezählt in {time.perf_counter() - began:.1f} s."
            )
