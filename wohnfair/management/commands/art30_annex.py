"""Print the field annex of the GDPR Art. 30 record of processing as Markdown."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from wohnfair.lib.classification import (
    FieldClass,
    classified_fields,
    load_registry,
    project_apps,
    project_models,
    stale_classifications,
    unclassified_fields,
)


class Command(BaseCommand):
    help = (
        "Prints the annex of the record of processing (GDPR Art. 30): every stored field "
        "of every model, grouped by class (personal, special_category, statistical, technical)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--language",
            default=settings.LANGUAGE_CODE,
            help="Language of the labels (default: %(default)s).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["language"]):
            self.stdout.write(self.render())
        problems = unclassified_fields() + stale_classifications()
        if problems:
            self.stderr.write(
                "Classification incomplete (see wohnfair/lib/classification.py): "
                + ", ".join(problems)
            )

    def render(self) -> str:
        registry = load_registry()
        models_by_app: dict[str, list[Any]] = {}
        for model in project_models():
            models_by_app.setdefault(model._meta.app_label, []).append(model)

        lines = [
            "# " + _("Anlage zum Verzeichnis von Verarbeitungstätigkeiten (Art. 30 DSGVO)"),
            "",
            _(
                "Alle gespeicherten Felder je Datenmodell, nach Datenklasse gruppiert. "
                "Erzeugt mit „manage.py art30_annex“ aus der Feldklassifikation."
            ),
            "",
        ]
        lines += [f"- `{choice.value}`: {choice.label}" for choice in FieldClass]
        lines.append("")

        for config in project_apps():
            app_models = models_by_app.get(config.label, [])
            if not app_models:
                continue
            lines += [f"## {config.verbose_name} (`{config.label}`)", ""]
            for model in sorted(app_models, key=lambda m: str(m._meta.object_name)):
                lines += self.model_section(model, registry)
        return "\n".join(lines).rstrip() + "\n"

    def model_section(self, model: Any, registry: Any) -> list[str]:
        meta = model._meta
        lines = [f"### {meta.verbose_name} (`{meta.app_label}.{meta.object_name}`)", ""]
        groups: dict[FieldClass | None, list[str]] = {}
        for entry in classified_fields(model, registry):
            field = entry.field
            described = f"{field.verbose_name} (`{field.name}`)"
            if field.many_to_many:
                described += " – " + _("Mehrfachzuordnung")
            groups.setdefault(entry.field_class, []).append(described)
        for field_class in FieldClass:
            if field_class in groups:
                lines.append(f"**{field_class.value}** – {field_class.label}")
                lines += [f"- {described}" for described in groups[field_class]]
                lines.append("")
        if None in groups:
            lines.append("**unclassified** – " + _("nicht klassifiziert"))
            lines += [f"- {described}" for described in groups[None]]
            lines.append("")
        return lines
