import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from wohnfair.jobs.schedule import enqueue_due_jobs


class Command(BaseCommand):
    help = "Enqueues periodic jobs when they are due. Safe to run in several processes."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="check once and exit")
        parser.add_argument("--interval", type=int, default=30, help="seconds between checks")

    def handle(self, *args: Any, once: bool, interval: int, **options: Any) -> None:
        while True:
            close_old_connections()
            for name in enqueue_due_jobs():
                self.stdout.write(f"enqueued {name}")
            if once:
                return
            time.sleep(interval)
