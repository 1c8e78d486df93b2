"""Field classification of monitoring (see ``wohnfair.lib.classification``).

Nothing here describes a person: figures are counts, texts are the
organisation's own.
"""

from wohnfair.lib.classification import FieldClass

S = FieldClass.STATISTICAL
T = FieldClass.TECHNICAL

FIELDS = {
    "StatisticsPolicy": {
        "id": T,
        "organisation": T,
        "min_cell": T,
        "show_in_network_columns": T,
        "publish_statistics": T,
        "updated_at": T,
    },
    "Goal": {
        "id": T,
        "organisation": T,
        "year": S,
        "title": T,
        "description": T,
        "indicator": T,
        "target": S,
        "manual_value": S,
        "order": T,
        "created_at": T,
        "updated_at": T,
    },
    "Milestone": {
        "id": T,
        "organisation": T,
        "date": S,
        "title": T,
        "text": T,
        "is_public": T,
        "created_at": T,
        "updated_at": T,
    },
    "StatisticsReport": {
        "id": T,
        "organisation": T,
        "kind": T,
        "title": T,
        "period_start": S,
        "period_end": S,
        "narrative": T,
        "consented_only": T,
        "state": T,
        "progress": T,
        "error": T,
        "file_name": T,
        "file_size": T,
        "generated_at": T,
        "created_by": T,
        "created_at": T,
        "updated_at": T,
    },
    "ApiToken": {
        "id": T,
        "organisation": T,
        "user": T,
        "name": T,
        "prefix": T,
        "token_hash": T,
        "created_at": T,
        "expires_at": T,
        "last_used_at": T,
        "revoked_at": T,
    },
    "PoolImport": {
        "id": T,
        "organisation": T,
        "source_code": T,
        "source_name": T,
        "period_start": S,
        "period_end": S,
        "schema_version": T,
        "granularity": T,
        "min_cell": T,
        "imported_by": T,
        "imported_at": T,
    },
    "PoolCount": {
        "id": T,
        "pool_import": T,
        "dimension": S,
        "code": S,
        "bucket": S,
        "count": S,
    },
    "MonthlyCount": {
        "id": T,
        "organisation": T,
        "month": S,
        "case_type": S,
        "status": S,
        "pooled": S,
        "dimension": S,
        "value": S,
        "cases": S,
    },
    "StaleMonth": {
        "id": T,
        "organisation": T,
        "month": T,
    },
}
