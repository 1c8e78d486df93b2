from typing import Any

from django.core.management.base import BaseCommand

from wohnfair.accounts import demo as accounts_demo
from wohnfair.cases import demo as cases_demo
from wohnfair.cases import letters_demo
from wohnfair.enquiries.demo import build_demo_enquiries
from wohnfair.intake import demo as intake_demo
from wohnfair.monitoring.demo import build_demo_monitoring
from wohnfair.newsletter.demo import build_demo_newsletter
from wohnfair.website.demo import build_demo_site


class Command(BaseCommand):
    help = "Loads the demo organisations, users and content. Safe to run again."

    def handle(self, *args: Any, **options: Any) -> None:
        logins = accounts_demo.load()
        cases_demo.load()
        letters_demo.load()
        receipts = intake_demo.load()
        build_demo_site()
        build_demo_enquiries()  # after the site: it names the office that receives enquiries
        build_demo_newsletter()
        build_demo_monitoring()  # renders one finished annual report (PDF)
        self.stdout.write(self.style.SUCCESS("Demo-Daten sind geladen."))
        self.stdout.write(f"Demo-Zugänge (Passwort für alle: {accounts_demo.DEMO_PASSWORD}):")
        for email, role in logins:
            self.stdout.write(f"  {email:34} {role}")
        if receipts:
            self.stdout.write("Demo-Meldungen (Status unter /melden/status/ mit diesem Code):")
            for reference, code in receipts:
                self.stdout.write(f"  {reference:14} {code}")
