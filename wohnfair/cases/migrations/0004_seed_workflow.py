from django.db import migrations

from wohnfair.cases.vocabularies import seed_period_rules, seed_vocabularies


def seed(apps, schema_editor):
    seed_vocabularies(apps.get_model("cases", "Term"), apps.get_model("cases", "ConsentText"))
    seed_period_rules(apps.get_model("cases", "PeriodRule"))


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_counselling_workflow")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
