from django.apps import AppConfig


class WohnfairConfig(AppConfig):
    """The project package: shared templates, static files, checks and commands."""

    name = "wohnfair"
    verbose_name = "Wohnfair"

    def ready(self) -> None:
        from wohnfair import checks  # noqa: F401  (registers the system checks)
