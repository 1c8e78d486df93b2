"""Encrypted files in the media storage, under random names.

Each file is encrypted with ``lib.crypto``; the associated data binds the
ciphertext to its directory and name, so a file moved to another name does
not decrypt. Case documents and report files use one store each.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.utils import timezone

from wohnfair.lib import crypto


@dataclass(frozen=True)
class EncryptedFileStore:
    directory: str
    context_prefix: str  # part of the associated data; never change it for stored files

    @property
    def storage(self) -> Storage:
        return storages["default"]

    def path(self, name: str) -> str:
        return f"{self.directory}/{name}"

    def context(self, name: str) -> str:
        return f"{self.context_prefix}:{name}"

    def write(self, data: bytes) -> str:
        """Encrypt and store under a new random name; returns the name."""
        name = secrets.token_hex(16)
        path = self.path(name)
        saved = self.storage.save(path, ContentFile(crypto.encrypt_bytes(data, self.context(name))))
        if saved != path:  # the storage chose another name: the context would not match
            self.storage.delete(saved)
            raise RuntimeError(f"storage renamed {path} to {saved}")
        return name

    def read(self, name: str) -> bytes:
        """The plaintext; raises crypto.DecryptionError if the file was altered or moved."""
        with self.storage.open(self.path(name), "rb") as handle:
            token = handle.read()
        return crypto.decrypt_bytes(token, self.context(name))

    def delete(self, name: str) -> None:
        self.storage.delete(self.path(name))

    def delete_orphans(self, known_names: Iterable[str], *, older_than: timedelta) -> int:
        """Delete files that no row names; returns how many.

        Young files are kept: the row that names them may not be committed yet.
        """
        try:
            _, names = self.storage.listdir(self.directory)
        except FileNotFoundError:
            return 0
        known = set(known_names)
        cutoff = timezone.now() - older_than
        removed = 0
        for name in names:
            if name not in known and self.storage.get_modified_time(self.path(name)) < cutoff:
                self.delete(name)
                removed += 1
        return removed
