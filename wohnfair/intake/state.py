"""Short-lived state of the public portal, each change in one SQL statement.

Rate-limit counters, used proofs of work and receipt codes waiting for their
confirmation page live in three small tables (``models.RateCounter``,
``UsedChallenge``, ``PendingReceipt``) instead of the database cache, whose
``get``/``set`` pairs are not atomic (concurrent increments got lost) and which
counts its whole table on every write to decide about culling.

Every change here is a single statement that the database executes atomically
(``INSERT ... ON CONFLICT ... RETURNING`` and ``UPDATE ... RETURNING``, the same
SQL on PostgreSQL and SQLite >= 3.35); on PostgreSQL the two counters of one
attempt are even counted in one round trip. Rows expire; ``prune`` deletes them.

Counting outside a transaction (as the views do) holds a counter's row lock only
for the statement; inside ``transaction.atomic`` it would be held until the end.
"""

from __future__ import annotations

from datetime import datetime

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from wohnfair.intake.models import PendingReceipt, RateCounter, UsedChallenge

UPSERT_VENDORS = frozenset({"postgresql", "sqlite"})


def _table(model: type) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _value(moment: datetime) -> object:
    """A datetime as the ORM would send it (naive UTC text on SQLite)."""
    return connection.ops.adapt_datetimefield_value(moment)


# Rate-limit counters ---------------------------------------------------------------------


def increment(key: str, expires: datetime) -> int:
    """Add one to the counter ``key`` (a new counter expires at ``expires``); the new count."""
    if connection.vendor not in UPSERT_VENDORS:
        return _increment_orm(key, expires)
    table = _table(RateCounter)
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO {table} ("key", "count", "expires") VALUES (%s, 1, %s) '  # noqa: S608
            f'ON CONFLICT ("key") DO UPDATE SET "count" = {table}."count" + 1 '
            'RETURNING "count"',
            [key, _value(expires)],
        )
        return int(cursor.fetchone()[0])


def _increment_orm(key: str, expires: datetime) -> int:
    with transaction.atomic():
        counter, created = RateCounter.objects.select_for_update().get_or_create(
            key=key, defaults={"count": 1, "expires": expires}
        )
        if created:
            return 1
        RateCounter.objects.filter(pk=key).update(count=F("count") + 1)
        return counter.count + 1


def count_attempt(
    own: str, overall: str, expires: datetime, own_limit: int
) -> tuple[int, int | None]:
    """Count one attempt on the counter ``own`` and, if that stays within ``own_limit``,
    on ``overall`` too: (own count, overall count or None if it was not counted).

    An address over its own limit is refused without using up everyone's allowance.
    """
    if connection.vendor != "postgresql":
        mine = increment(own, expires)
        return mine, (increment(overall, expires) if mine <= own_limit else None)
    table = _table(RateCounter)
    upsert = 'ON CONFLICT ("key") DO UPDATE SET "count" = c."count" + 1 RETURNING c."count"'
    with connection.cursor() as cursor:
        cursor.execute(
            f'WITH own AS (INSERT INTO {table} AS c ("key", "count", "expires") '  # noqa: S608
            f"VALUES (%s, 1, %s) {upsert}), "
            f'overall AS (INSERT INTO {table} AS c ("key", "count", "expires") '
            f'SELECT %s, 1, %s FROM own WHERE own."count" <= %s {upsert}) '
            'SELECT (SELECT "count" FROM own), (SELECT "count" FROM overall)',
            [own, _value(expires), overall, _value(expires), own_limit],
        )
        mine, everyone = cursor.fetchone()
    return int(mine), (None if everyone is None else int(everyone))


def counted(key: str) -> int:
    """The current count of ``key`` (0 if none)."""
    return RateCounter.objects.filter(key=key).values_list("count", flat=True).first() or 0


# Used proofs of work -------------------------------------------------------------------------


def claim(challenge: str, expires: datetime) -> bool:
    """Record ``challenge`` as used; False if it was recorded already.

    Inside a transaction the record is undone with it; a concurrent claim of the same
    challenge waits for that transaction and then gets False (or True after a rollback).
    """
    if connection.vendor not in UPSERT_VENDORS:
        with transaction.atomic():
            _used, created = UsedChallenge.objects.get_or_create(
                challenge=challenge, defaults={"expires": expires}
            )
        return created
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO {_table(UsedChallenge)} ("challenge", "expires") '  # noqa: S608
            'VALUES (%s, %s) ON CONFLICT ("challenge") DO NOTHING RETURNING "challenge"',
            [challenge, _value(expires)],
        )
        return cursor.fetchone() is not None


def is_used(challenge: str) -> bool:
    return UsedChallenge.objects.filter(challenge=challenge).exists()


# Receipt codes waiting for their confirmation page ---------------------------------------


def put_pending(key: str, sealed: str, expires: datetime) -> None:
    """Keep a sealed code under ``key`` until it is shown (replacing an older one)."""
    if connection.vendor not in UPSERT_VENDORS:
        PendingReceipt.objects.update_or_create(
            key=key, defaults={"sealed": sealed, "expires": expires, "showing_until": None}
        )
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO {_table(PendingReceipt)} ("key", "sealed", "expires", "showing_until") '  # noqa: S608
            'VALUES (%s, %s, %s, NULL) ON CONFLICT ("key") DO UPDATE SET '
            '"sealed" = excluded."sealed", "expires" = excluded."expires", "showing_until" = NULL',
            [key, sealed, _value(expires)],
        )


def is_pending(key: str) -> bool:
    """True while a code waits under ``key`` (being shown right now counts as waiting)."""
    return PendingReceipt.objects.filter(key=key, expires__gt=timezone.now()).exists()


def take_pending(key: str, hold_until: datetime) -> str | None:
    """The sealed code under ``key``, reserved until ``hold_until`` for one showing;
    None if there is none or another request is showing it right now."""
    now = timezone.now()
    if connection.vendor not in UPSERT_VENDORS:
        with transaction.atomic():
            pending = (
                PendingReceipt.objects.select_for_update().filter(key=key, expires__gt=now).first()
            )
            if pending is None or (pending.showing_until and pending.showing_until >= now):
                return None
            pending.showing_until = hold_until
            pending.save(update_fields=["showing_until"])
            return pending.sealed
    with connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE {_table(PendingReceipt)} SET "showing_until" = %s '  # noqa: S608
            'WHERE "key" = %s AND "expires" > %s '
            'AND ("showing_until" IS NULL OR "showing_until" < %s) RETURNING "sealed"',
            [_value(hold_until), key, _value(now), _value(now)],
        )
        row = cursor.fetchone()
    return None if row is None else str(row[0])


def shown(key: str) -> None:
    """The code under ``key`` was delivered: it is gone for good."""
    with connection.cursor() as cursor:
        cursor.execute(f'DELETE FROM {_table(PendingReceipt)} WHERE "key" = %s', [key])  # noqa: S608


def not_shown(key: str) -> None:
    """Showing the code under ``key`` broke off: it may be shown again right away."""
    PendingReceipt.objects.filter(key=key).update(showing_until=None)


# Expiry -----------------------------------------------------------------------------------


def prune(now: datetime | None = None) -> int:
    """Delete every expired row of the three tables; the number deleted."""
    now = now or timezone.now()
    return sum(
        model.objects.filter(expires__lt=now).delete()[0]
        for model in (RateCounter, UsedChallenge, PendingReceipt)
    )
