"""Re-encrypts every encrypted value (and rebuilds blind indexes) with the newest key.

Procedure: put the new key first in WOHNFAIR_ENCRYPTION_KEYS, keep the old ones
after it, run this command, then remove the old keys. Safe to run again.
"""

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import models, transaction

from wohnfair.lib import crypto
from wohnfair.lib.fields import EncryptedTextField

BLIND_INDEX_FIELDS = frozenset({"name_index", "email_index"})


def encrypted_fields(model: type[models.Model]) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]


class Command(BaseCommand):
    help = "Re-encrypts stored values with the newest key in WOHNFAIR_ENCRYPTION_KEYS."

    def handle(self, *args: Any, **options: Any) -> None:
        for model in apps.get_models():
            names = encrypted_fields(model)
            if not names:
                continue
            # Blind indexes are keyed hashes: rebuilt by the model's save() with the new key.
            extra = [f.name for f in model._meta.fields if f.name in BLIND_INDEX_FIELDS]
            count = 0
            pks = list(model._base_manager.values_list("pk", flat=True))
            for start in range(0, len(pks), 500):
                with transaction.atomic():
                    for obj in model._base_manager.filter(pk__in=pks[start : start + 500]):
                        obj.save(update_fields=names + extra)
                        count += 1
            rotate_files = getattr(model, "rotate_stored_files", None)
            if rotate_files is not None:
                rotate_files()
            self.stdout.write(f"{model._meta.label}: {count} re-encrypted")
        self.stdout.write(self.style.SUCCESS(f"current key: {crypto.current_key_id()}"))
