import io
import re

from django.core.management import call_command
from django.db import models
from django.test.utils import isolate_apps

from wohnfair.cases.models import Incident, Person
from wohnfair.lib.classification import (
    FieldClass,
    classification_of,
    load_registry,
    project_apps,
    project_models,
    stale_classifications,
    unclassified_fields,
)


def test_every_stored_field_of_every_project_model_is_classified():
    assert unclassified_fields() == []


def test_no_classification_names_a_field_that_no_longer_exists():
    assert stale_classifications() == []


def test_the_check_covers_every_app_of_the_project_and_many_to_many_fields():
    labels = {config.label for config in project_apps()}
    assert {"accounts", "audit", "jobs", "cases"} <= labels
    assert Person in project_models()
    assert classification_of(Incident, "merkmale") == FieldClass.SPECIAL_CATEGORY


def test_special_categories_and_identities_are_classified_as_such():
    assert classification_of(Person, "characteristics") == FieldClass.SPECIAL_CATEGORY
    assert classification_of(Incident, "merkmale") == FieldClass.SPECIAL_CATEGORY
    for field in ["name", "email", "phone", "address"]:
        assert classification_of(Person, field) == FieldClass.PERSONAL
    assert classification_of(Incident, "description") == FieldClass.PERSONAL
    assert classification_of(Incident, "date") == FieldClass.STATISTICAL
    assert classification_of(Person, "id") == FieldClass.TECHNICAL


@isolate_apps("wohnfair.cases")
def test_a_new_field_without_a_class_is_reported():
    class Person(models.Model):  # the real model's name, with one field too many
        name = models.CharField(max_length=10)
        favourite_colour = models.CharField(max_length=10)
        siblings = models.ManyToManyField("self")

        class Meta:
            app_label = "cases"

        def __str__(self):
            return self.name

    assert unclassified_fields(models_to_check=[Person]) == [
        "cases.Person.favourite_colour",
        "cases.Person.siblings",
    ]


def test_a_field_dropped_from_the_registry_is_reported():
    registry = load_registry()
    del registry["cases"]["Person"]["name"]
    del registry["cases"]["Incident"]["merkmale"]
    assert unclassified_fields(registry) == ["cases.Incident.merkmale", "cases.Person.name"]


def test_a_classified_field_that_is_gone_is_reported():
    registry = load_registry()
    registry["cases"]["Person"]["maiden_name"] = FieldClass.PERSONAL
    registry["cases"]["Ghost"] = {"id": FieldClass.TECHNICAL}
    assert stale_classifications(registry) == ["cases.Ghost.id", "cases.Person.maiden_name"]


def annex() -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("art30_annex", stdout=out, stderr=err)
    assert err.getvalue() == ""
    return out.getvalue()


def section(text: str, label: str) -> str:
    match = re.search(rf"^### [^\n]*\(`{re.escape(label)}`\)$(.*?)(?=^##|\Z)", text, re.M | re.S)
    assert match, f"no section for {label}"
    return match.group(0)


def test_the_art30_annex_lists_person_fields_by_class_with_the_verbose_name():
    text = annex()
    person = section(text, "cases.Person")
    assert person.startswith("### Person (`cases.Person`)")
    assert "**special_category**" in person
    special = person.split("**special_category**")[1].split("**")[0]
    assert "`characteristics`" in special
    personal = person.split("**personal**")[1].split("**")[0]
    assert "`name`" in personal and "`email`" in personal


def test_the_annex_has_a_section_for_every_project_model():
    text = annex()
    for model in project_models():
        section(text, model._meta.label)
    assert "unclassified" not in text
