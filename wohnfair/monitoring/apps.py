from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "wohnfair.monitoring"
    verbose_name = _("Statistik und Berichte")

    def ready(self) -> None:
        from wohnfair.monitoring import signals

        signals.connect()
