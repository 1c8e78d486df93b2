"""What the network and public templates need from suppressed figures."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wohnfair.monitoring.aggregation import bucket_label
from wohnfair.monitoring.charts import BarChart, horizontal_bars, truncate
from wohnfair.monitoring.network_figures import Figures, OrganisationColumns
from wohnfair.monitoring.suppression import SuppressedTable


@dataclass
class TableView:
    table: SuppressedTable
    buckets: list[tuple[str, str]]  # (key, label)
    chart: BarChart
    columns: OrganisationColumns | None
    column_rows: list[dict[str, Any]]
    multi: bool


def table_views(figures: Figures) -> list[TableView]:
    views = []
    for code, table in figures.tables.items():
        chart = horizontal_bars(
            [(truncate(row.label), row.total.value, row.total.display) for row in table.rows]
        )
        columns = figures.columns.get(code)
        column_rows = (
            [
                {
                    "label": row.label,
                    "cells": [columns.cells[row.code][org.code] for org in columns.organisations],
                }
                for row in table.rows
            ]
            if columns
            else []
        )
        views.append(
            TableView(
                table=table,
                buckets=[(bucket, bucket_label(bucket)) for bucket in table.buckets],
                chart=chart,
                columns=columns,
                column_rows=column_rows,
                multi=table.dimension.multi,
            )
        )
    return views
