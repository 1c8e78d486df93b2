"""Rate-limit counters need no write-ahead log on PostgreSQL.

They live for one window and may be lost in a crash (the limits then start
again from zero); an unlogged table spares every counted request a flush of
the log to disk. Other databases keep an ordinary table.
"""

from django.db import migrations


def unlogged(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        table = schema_editor.quote_name(apps.get_model("intake", "RateCounter")._meta.db_table)
        schema_editor.execute(f"ALTER TABLE {table} SET UNLOGGED")


def logged(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        table = schema_editor.quote_name(apps.get_model("intake", "RateCounter")._meta.db_table)
        schema_editor.execute(f"ALTER TABLE {table} SET LOGGED")


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0002_pendingreceipt_ratecounter_usedchallenge"),
    ]

    operations = [migrations.RunPython(unlogged, logged)]
