"""Housekeeping of encrypted files in the media storage."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.core.files.storage import Storage
from django.utils import timezone


def delete_orphans(
    storage: Storage, directory: str, known_names: Iterable[str], *, older_than: timedelta
) -> int:
    """Delete files in ``directory`` that no row names; returns how many.

    Young files are kept: the row that names them may not be committed yet.
    """
    try:
        _, names = storage.listdir(directory)
    except FileNotFoundError:
        return 0
    known = set(known_names)
    cutoff = timezone.now() - older_than
    removed = 0
    for name in names:
        path = f"{directory}/{name}"
        if name not in known and storage.get_modified_time(path) < cutoff:
            storage.delete(path)
            removed += 1
    return removed
