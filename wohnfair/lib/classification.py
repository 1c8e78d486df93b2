"""Classification of every stored field (GDPR Art. 30 record of processing).

Each app of the project declares in its ``classification.py`` a dict ``FIELDS``
of the form ``{"ModelName": {"field_name": FieldClass.X, ...}}`` covering every
concrete field and every many-to-many field of its models. A test fails when a
field is missing or a classified field no longer exists, and
``manage.py art30_annex`` prints the annex of the record of processing from it.

The classes:

- ``personal``: identifies or describes a person (names, contact data,
  narratives, free text).
- ``special_category``: GDPR Art. 9 data (ethnic origin, religion, health,
  sexual orientation), here the characteristics (Merkmale) of incidents and
  persons.
- ``statistical``: codes, categories and dates that stay after anonymisation.
- ``technical``: ids, links, timestamps, flags needed to run the system.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from django.apps import AppConfig, apps
from django.db import models
from django.utils.translation import gettext_lazy as _

PROJECT_PACKAGE = "wohnfair"
CLASSIFICATION_MODULE = "classification"
CLASSIFICATION_ATTRIBUTE = "FIELDS"


class FieldClass(models.TextChoices):
    PERSONAL = "personal", _("personenbezogene Daten")
    SPECIAL_CATEGORY = (
        "special_category",
        _("besondere Kategorien personenbezogener Daten (Art. 9 DSGVO)"),
    )
    STATISTICAL = "statistical", _("statistische Angaben (Codes, Kategorien, Daten)")
    TECHNICAL = "technical", _("technische Angaben")


# app label -> model name -> field name -> class
Registry = dict[str, dict[str, dict[str, FieldClass]]]

# The project package itself (app label ``wohnfair``) is an app too; its few
# models are classified here, since ``wohnfair/classification.py`` would sit
# among the settings. Any other app declares ``FIELDS`` in its own module.
PROJECT_APP_FIELDS: dict[str, dict[str, FieldClass]] = {
    # A used form token (double-submission guard); the result URL names a case at most.
    "FormSubmission": {
        "id": FieldClass.TECHNICAL,
        "token": FieldClass.TECHNICAL,
        "result_url": FieldClass.TECHNICAL,
        "created_at": FieldClass.TECHNICAL,
    },
}


@dataclass(frozen=True)
class ClassifiedField:
    model: type[models.Model]
    field: models.Field[Any, Any]
    field_class: FieldClass | None


def is_project_app(app_config: AppConfig) -> bool:
    return app_config.name == PROJECT_PACKAGE or app_config.name.startswith(PROJECT_PACKAGE + ".")


def project_apps() -> list[AppConfig]:
    return [config for config in apps.get_app_configs() if is_project_app(config)]


def project_models() -> list[type[models.Model]]:
    """Models with their own table in the project's apps (no proxies, no auto-created)."""
    return [
        model
        for config in project_apps()
        for model in config.get_models()
        if not model._meta.proxy and model._meta.managed
    ]


def stored_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    """Every field that stores data: concrete columns (inherited ones too) and M2M fields."""
    return [*model._meta.concrete_fields, *model._meta.many_to_many]


def _load_app(app_config: AppConfig) -> Mapping[str, Mapping[str, FieldClass]]:
    if app_config.name == PROJECT_PACKAGE:
        return PROJECT_APP_FIELDS
    module_name = f"{app_config.name}.{CLASSIFICATION_MODULE}"
    try:
        module = import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name == module_name:
            return {}
        raise
    return getattr(module, CLASSIFICATION_ATTRIBUTE, {})


def load_registry() -> Registry:
    """Collect the classification of every installed project app."""
    registry: Registry = {}
    for config in project_apps():
        declared = _load_app(config)
        registry[config.label] = {
            model_name: {field_name: FieldClass(value) for field_name, value in fields.items()}
            for model_name, fields in declared.items()
        }
    return registry


def _label(model: type[models.Model], field_name: str | None = None) -> str:
    label = f"{model._meta.app_label}.{model._meta.object_name}"
    return f"{label}.{field_name}" if field_name else label


def classification_of(
    model: type[models.Model], field_name: str, registry: Registry | None = None
) -> FieldClass | None:
    registry = load_registry() if registry is None else registry
    app = registry.get(model._meta.app_label, {})
    return app.get(str(model._meta.object_name), {}).get(field_name)


def unclassified_fields(
    registry: Registry | None = None,
    models_to_check: Iterable[type[models.Model]] | None = None,
) -> list[str]:
    """``app.Model.field`` for every stored field without a class, sorted."""
    registry = load_registry() if registry is None else registry
    models_to_check = project_models() if models_to_check is None else models_to_check
    missing = [
        _label(model, field.name)
        for model in models_to_check
        for field in stored_fields(model)
        if classification_of(model, field.name, registry) is None
    ]
    return sorted(missing)


def stale_classifications(
    registry: Registry | None = None,
    models_to_check: Iterable[type[models.Model]] | None = None,
) -> list[str]:
    """Classified ``app.Model.field`` entries whose model or field no longer exists."""
    registry = load_registry() if registry is None else registry
    models_to_check = project_models() if models_to_check is None else models_to_check
    existing = {
        (model._meta.app_label, str(model._meta.object_name)): {
            field.name for field in stored_fields(model)
        }
        for model in models_to_check
    }
    stale = []
    for app_label, declared_models in registry.items():
        for model_name, fields in declared_models.items():
            known = existing.get((app_label, model_name))
            for field_name in fields:
                if known is None or field_name not in known:
                    stale.append(f"{app_label}.{model_name}.{field_name}")
    return sorted(stale)


def classified_fields(
    model: type[models.Model], registry: Registry | None = None
) -> list[ClassifiedField]:
    registry = load_registry() if registry is None else registry
    return [
        ClassifiedField(model, field, classification_of(model, field.name, registry))
        for field in stored_fields(model)
    ]
