from django.db import migrations

from wohnfair.cases.vocabularies import seed_vocabularies


def seed(apps, schema_editor):
    seed_vocabularies(apps.get_model("cases", "Term"), apps.get_model("cases", "ConsentText"))


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
