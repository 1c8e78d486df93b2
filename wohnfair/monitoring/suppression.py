"""Small-cell suppression for pooled and public tables.

A table is published with its row totals, column totals and grand total.
Seen together they form an extended table of (rows + 1) × (buckets + 1)
cells in which every line adds up: the cells of a row to the row total, the
cells of a column to the column total, the totals to the grand total.

**Primary suppression**: every cell (totals included) with a value from 1 to
k−1 is withheld and shown as "<k".

**Zero stays 0.** An empty cell names no one; hiding zeros would make most
tables of small offices unreadable, and the pooling format needs them to tell
"none" from "withheld". This is the common practice of statistical offices.

**Secondary suppression**: a withheld value must not follow from the values
that are shown. For one line that means: never exactly one withheld cell in
it. For the whole table it means more: the withheld cells, seen as edges
between their row and their column, must each lie on a cycle. A withheld cell
that is a bridge of that graph is fixed by the line equations (the signed
sums around a cycle are the only freedom the equations leave). So we

1. withhold, in every line with exactly one withheld cell, the smallest other
   non-zero cell of that line (zeros only if nothing else is left), and
2. for every bridge, withhold the smallest shown cell that joins the two sides
   of the bridge into a cycle,

repeating both until nothing changes. Secondary cells are shown as "×"
(withheld to protect another cell): showing "<5" for a value of 40 would be
a false statement, and the attacker gains nothing from the difference because
every secondary cell may hold any value.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_noop

if TYPE_CHECKING:
    from wohnfair.monitoring.aggregation import Dimension, Filters, Table

SECONDARY_MARK = "×"
LEGEND_SECONDARY = gettext_noop("× = zurückgehalten, damit keine kleine Zahl errechnet werden kann")


@dataclass(frozen=True)
class Cell:
    value: int | None  # None when suppressed
    suppressed: bool
    display: str  # "<5" (primary), "×" (secondary) or the number
    primary: bool = False


@dataclass(frozen=True)
class SuppressedRow:
    code: str
    label: str
    cells: dict[str, Cell]  # bucket -> cell
    total: Cell


@dataclass(frozen=True)
class SuppressedTable:
    dimension: Dimension
    filters: Filters
    buckets: list[str]
    rows: list[SuppressedRow]
    column_totals: dict[str, Cell]  # mentions per bucket
    total: Cell  # all mentions
    cases: Cell  # distinct cases
    k: int

    @property
    def any_suppressed(self) -> bool:
        return (
            any(c.suppressed for row in self.rows for c in [*row.cells.values(), row.total])
            or any(c.suppressed for c in self.column_totals.values())
            or self.total.suppressed
        )


Position = tuple[int, int]


def plan(matrix: list[list[int]], k: int) -> tuple[set[Position], set[Position]]:
    """Primary and secondary suppressions of a matrix with its totals.

    ``matrix`` is the inner table (rows × columns); the totals are appended as
    the last column and the last row. Returns positions in the extended table.
    """
    if k < 2:
        raise ValueError("k must be at least 2")
    table = extend(matrix)
    height, width = len(table), len(table[0])
    primary = {(i, j) for i in range(height) for j in range(width) if 1 <= table[i][j] <= k - 1}
    withheld = set(primary)
    changed = True
    while changed:
        changed = False
        for line in _lines(height, width):
            hidden = [p for p in line if p in withheld]
            if len(hidden) == 1:
                candidate = _smallest(table, [p for p in line if p not in withheld])
                if candidate is not None:
                    withheld.add(candidate)
                    changed = True
        if changed:
            continue
        for bridge in _bridges(withheld, height, width):
            side_rows, side_cols = _side(withheld - {bridge}, bridge[0])
            joining = [
                (i, j)
                for i in range(height)
                for j in range(width)
                if (i, j) not in withheld and ((i in side_rows) != (j in side_cols))
            ]
            candidate = _smallest(table, joining)
            if candidate is not None:
                withheld.add(candidate)
                changed = True
                break
    return primary, withheld - primary


def extend(matrix: list[list[int]]) -> list[list[int]]:
    rows = [[*row, sum(row)] for row in matrix]
    width = len(rows[0]) if rows else 1
    totals = [sum(row[j] for row in rows) for j in range(width)] if rows else [0]
    return [*rows, totals]


def _lines(height: int, width: int) -> list[list[Position]]:
    rows = [[(i, j) for j in range(width)] for i in range(height)]
    columns = [[(i, j) for i in range(height)] for j in range(width)]
    return rows + columns


def _smallest(table: list[list[int]], positions: list[Position]) -> Position | None:
    """The smallest non-zero cell, else a zero; ties by position (deterministic)."""
    if not positions:
        return None
    return min(positions, key=lambda p: (table[p[0]][p[1]] == 0, table[p[0]][p[1]], p))


def _bridges(withheld: set[Position], height: int, width: int) -> list[Position]:
    """Withheld cells whose removal disconnects their row from their column."""
    found = []
    for edge in sorted(withheld):
        _rows, cols = _side(withheld - {edge}, edge[0])
        if edge[1] not in cols:
            found.append(edge)
    return found


def _side(edges: set[Position], start_row: int) -> tuple[set[int], set[int]]:
    """Rows and columns reachable from ``start_row`` through ``edges``."""
    rows, cols = {start_row}, set()
    frontier_rows, frontier_cols = [start_row], []
    while frontier_rows or frontier_cols:
        while frontier_rows:
            row = frontier_rows.pop()
            for i, j in edges:
                if i == row and j not in cols:
                    cols.add(j)
                    frontier_cols.append(j)
        while frontier_cols:
            col = frontier_cols.pop()
            for i, j in edges:
                if j == col and i not in rows:
                    rows.add(i)
                    frontier_rows.append(i)
    return rows, cols


def _cell(
    value: int, position: Position, primary: set[Position], secondary: set[Position], k: int
) -> Cell:
    if position in primary:
        return Cell(None, True, f"<{k}", primary=True)
    if position in secondary:
        return Cell(None, True, SECONDARY_MARK)
    return Cell(value, False, str(value))


def suppress(table: Table, k: int) -> SuppressedTable:
    """The table as it may be shown beyond the organisation's own staff."""
    matrix = [[row.counts[bucket] for bucket in table.buckets] for row in table.rows]
    # A table without rows still has its (zero) totals.
    matrix_for_plan = matrix or [[0 for _ in table.buckets]]
    primary, secondary = plan(matrix_for_plan, k)
    full = extend(matrix_for_plan)
    last_row, last_col = len(full) - 1, len(full[0]) - 1

    def cell(i: int, j: int) -> Cell:
        return _cell(full[i][j], (i, j), primary, secondary, k)

    rows = [
        SuppressedRow(
            row.code,
            row.label,
            {bucket: cell(i, j) for j, bucket in enumerate(table.buckets)},
            cell(i, last_col),
        )
        for i, row in enumerate(table.rows)
    ]
    if table.cases == full[last_row][last_col]:
        # One value per case: the number of cases is the grand total and shares its fate.
        cases = cell(last_row, last_col)
    elif 1 <= table.cases <= k - 1:
        cases = Cell(None, True, f"<{k}", primary=True)
    else:
        cases = Cell(table.cases, False, str(table.cases))
    return SuppressedTable(
        dimension=table.dimension,
        filters=table.filters,
        buckets=table.buckets,
        rows=rows,
        column_totals={bucket: cell(last_row, j) for j, bucket in enumerate(table.buckets)},
        total=cell(last_row, last_col),
        cases=cases,
        k=k,
    )
