"""Runs the web server, the task worker and the scheduler together until Ctrl-C."""

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Starts web server, background worker and scheduler; Ctrl-C stops all three."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")

    def handle(self, *args: Any, port: int, host: str, **options: Any) -> None:
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        commands = {
            "web": [*manage, "runserver", f"{host}:{port}", "--noreload"],
            "worker": [*manage, "db_worker", "--interval", "2"],
            "scheduler": [*manage, "run_scheduler"],
        }
        env = dict(os.environ)
        # Links in e-mails point to where this demo really runs.
        env.setdefault("WOHNFAIR_SITE_URL", f"http://{host}:{port}")
        processes = {
            name: subprocess.Popen(cmd, env=env)  # noqa: S603
            for name, cmd in commands.items()
        }
        self.stdout.write(self.style.SUCCESS(f"\nWohnfair läuft auf http://{host}:{port}/"))
        self.stdout.write(
            f"Arbeitsbereich: http://{host}:{port}/staff/  (Demo-Zugänge: siehe oben)\n"
            "Beenden mit Strg-C.\n"
        )

        def stop(*_: Any) -> None:
            for process in processes.values():
                if process.poll() is None:
                    process.terminate()
            for process in processes.values():
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()

        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        try:
            while all(process.poll() is None for process in processes.values()):
                time.sleep(0.5)
            failed = [name for name, process in processes.items() if process.poll() is not None]
            self.stderr.write(f"Beendet, weil {', '.join(failed)} nicht mehr läuft.")
        except (KeyboardInterrupt, SystemExit):
            pass
        finally:
            stop()
