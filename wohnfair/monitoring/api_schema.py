"""The OpenAPI 3.1 description of the statistics API, written by hand.

A test checks every documented parameter and enum against the implementation
(``api_query.PARAMETERS``, ``aggregation.DIMENSIONS``, the case choices), so
the description cannot drift from what the API accepts.
"""

from __future__ import annotations

from typing import Any

from wohnfair.cases.models import CaseStatus, CaseType
from wohnfair.monitoring.aggregation import DIMENSIONS, GRANULARITIES


def _parameter(name: str, description: str, schema: dict[str, Any], **extra: Any) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
        **extra,
    }


def parameters() -> list[dict[str, Any]]:
    def several(values: list[str]) -> dict[str, Any]:
        return {"type": "array", "items": {"type": "string", "enum": values}}

    return [
        _parameter(
            "dimension",
            "Dimension(en); mehrfach oder durch Komma getrennt. Ohne Angabe: alle "
            "(für das Netzwerk alle außer district).",
            several(list(DIMENSIONS)),
            style="form",
            explode=True,
        ),
        _parameter(
            "start",
            "Erster Tag des Zeitraums (Erstkontakt), JJJJ-MM-TT. Ohne Angabe: 1. Januar des "
            "laufenden Jahres.",
            {"type": "string", "format": "date"},
        ),
        _parameter(
            "end",
            "Letzter Tag des Zeitraums, JJJJ-MM-TT; nicht vor start, höchstens 20 Jahre. "
            "Ohne Angabe: 31. Dezember des laufenden Jahres.",
            {"type": "string", "format": "date"},
        ),
        _parameter(
            "granularity",
            "Einteilung der Zeit.",
            {"type": "string", "enum": list(GRANULARITIES), "default": "total"},
        ),
        _parameter("case_type", "Fallart(en).", several(list(CaseType.values)), explode=True),
        _parameter("status", "Status der Fälle.", several(list(CaseStatus.values)), explode=True),
        _parameter(
            "organisation",
            "Nur für die Netzwerk-Rolle: Kürzel einer Mitgliedsorganisation, die eine eigene "
            "Spalte erlaubt (nur granularity=total). Büros dürfen nur ihr eigenes Kürzel angeben.",
            {"type": "string", "maxLength": 20},
        ),
    ]


CELL = {
    "type": "object",
    "required": ["count", "suppressed", "display"],
    "properties": {
        "count": {
            "type": ["integer", "null"],
            "minimum": 0,
            "description": "null, wenn unterdrückt",
        },
        "suppressed": {"type": "boolean"},
        "display": {"type": "string", "description": "Zahl, „<k“ oder „×“"},
    },
}

ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "field"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string", "description": "verständliche Meldung (Deutsch)"},
                "field": {"type": ["string", "null"]},
            },
        }
    },
}


def schema(server_url: str = "/api/v1/") -> dict[str, Any]:
    def error(description: str) -> dict[str, Any]:
        return {
            "description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }

    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Wohnfair Statistik-API",
            "version": "1.0.0",
            "description": (
                "Nur lesend. Büros erhalten die genauen Zahlen ihrer Organisation; die "
                "Netzwerk-Rolle erhält gepoolte Zahlen (nur Fälle mit Einwilligung in die "
                "anonymisierte Statistik oder anonymisierte Fälle), in denen jede Zahl von 1 bis "
                "k−1 als „<k“ und zum Schutz nötige weitere Zellen als „×“ zurückgehalten sind."
            ),
        },
        "servers": [{"url": server_url}],
        "security": [{"bearer": []}, {"session": []}],
        "paths": {
            "/statistics/": {
                "get": {
                    "operationId": "statistics",
                    "summary": "Fallzahlen nach Dimension",
                    "parameters": parameters(),
                    "responses": {
                        "200": {
                            "description": "Zahlen je Dimension",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Statistics"}
                                }
                            },
                        },
                        "400": error("Ungültige Angabe (Dimension, Filterwert, Zeitraum)"),
                        "401": error("Nicht angemeldet oder Schlüssel ungültig"),
                        "403": error("Rolle oder Organisation nicht erlaubt"),
                        "404": error("Mitgliedsorganisation nicht gefunden"),
                    },
                }
            },
            "/schema/": {
                "get": {
                    "operationId": "schema",
                    "summary": "Diese Beschreibung",
                    "security": [],
                    "responses": {"200": {"description": "OpenAPI 3.1 als JSON"}},
                }
            },
        },
        "components": {
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "API-Schlüssel von /staff/statistik/api-schluessel/",
                },
                "session": {"type": "apiKey", "in": "cookie", "name": "sessionid"},
            },
            "schemas": {
                "Cell": CELL,
                "Error": ERROR,
                "Table": {
                    "type": "object",
                    "properties": {
                        "label": {"type": "string"},
                        "multi": {
                            "type": "boolean",
                            "description": "ein Fall kann unter mehreren Werten zählen",
                        },
                        "buckets": {"type": "array", "items": {"type": "object"}},
                        "cases": {"$ref": "#/components/schemas/Cell"},
                        "mentions": {"$ref": "#/components/schemas/Cell"},
                        "rows": {"type": "array", "items": {"type": "object"}},
                        "column_totals": {"type": "array", "items": {"type": "object"}},
                    },
                },
                "Statistics": {
                    "type": "object",
                    "required": ["organisation", "scope", "pooled", "period", "dimensions"],
                    "properties": {
                        "organisation": {"type": "object"},
                        "scope": {"type": "string", "enum": ["organisation", "network", "member"]},
                        "pooled": {"type": "boolean"},
                        "min_cell": {"type": ["integer", "null"]},
                        "period": {"type": "object"},
                        "granularity": {"type": "string", "enum": list(GRANULARITIES)},
                        "filters": {"type": "object"},
                        "dimensions": {
                            "type": "object",
                            "additionalProperties": {"$ref": "#/components/schemas/Table"},
                        },
                    },
                },
            },
        },
    }
