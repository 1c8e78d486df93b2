"""Querysets of tenant data that refuse to run unless scoped.

A model whose manager is built from ``ScopedQuerySet`` raises
``UnscopedQueryError`` when a query is evaluated before one of the scoping
methods (``for_user``, ``of_organisation``) or an explicit ``unscoped(reason)``
was called. Views therefore cannot list another organisation's rows by
forgetting a filter: the query fails loudly in tests and in production.
Related managers (``case.incidents``) are already scoped by their parent.
"""

from __future__ import annotations

from typing import Any, Self

from django.db import models


class UnscopedQueryError(RuntimeError):
    pass


class ScopedQuerySet[M: models.Model](models.QuerySet[M]):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._scoped = False

    def _clone(self) -> Self:
        clone = super()._clone()
        clone._scoped = self._scoped
        return clone

    def _mark_scoped(self) -> Self:
        clone = self._chain()
        clone._scoped = True
        return clone

    def unscoped(self, reason: str) -> Self:
        """For system jobs, commands and the admin; ``reason`` documents why at the call site."""
        assert reason, "say why this query may see every organisation"
        return self._mark_scoped()

    def _check_scope(self) -> None:
        # Related managers filter by their parent instance, which is scoped already.
        if (
            not self._scoped
            and not getattr(self, "_known_related_objects", None)
            and not (self._hints.get("instance"))
        ):
            raise UnscopedQueryError(
                f"{self.model.__name__} queried without scope: use for_user(), "
                "of_organisation() or unscoped(reason)"
            )

    def _fetch_all(self) -> None:
        if self._result_cache is None:
            self._check_scope()
        super()._fetch_all()

    def count(self) -> int:
        self._check_scope()
        return super().count()

    def exists(self) -> bool:
        self._check_scope()
        return super().exists()

    def aggregate(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        self._check_scope()
        return super().aggregate(*args, **kwargs)

    def update(self, **kwargs: Any) -> int:
        self._check_scope()
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        self._check_scope()
        return super().delete()

    def iterator(self, chunk_size: int | None = None) -> Any:
        self._check_scope()
        return super().iterator(chunk_size=chunk_size)
