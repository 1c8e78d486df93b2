"""Small-cell suppression: no small number shown, none recoverable from totals.

The attacker's view is checked independently of ``suppression.plan``: every
published number and every line equation of the table (cells add up to row
totals, column totals and the grand total) goes into a linear system over the
withheld cells, solved with exact fractions. A withheld cell is recoverable
when its unit vector lies in the row space of that system.
"""

from datetime import date
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from wohnfair.monitoring.aggregation import DIMENSIONS, Filters, Period, Row, Table
from wohnfair.monitoring.suppression import suppress

FILTERS = Filters(Period(date(2025, 1, 1), date(2025, 12, 31)), "quarter")


def rank(rows: list[list[Fraction]]) -> int:
    matrix = [row[:] for row in rows]
    found = 0
    width = len(matrix[0]) if matrix else 0
    for col in range(width):
        pivot = next((r for r in range(found, len(matrix)) if matrix[r][col] != 0), None)
        if pivot is None:
            continue
        matrix[found], matrix[pivot] = matrix[pivot], matrix[found]
        for r in range(len(matrix)):
            if r != found and matrix[r][col] != 0:
                factor = matrix[r][col] / matrix[found][col]
                matrix[r] = [a - factor * b for a, b in zip(matrix[r], matrix[found], strict=True)]
        found += 1
    return found


def recoverable_cells(published: list[list[int | None]]) -> list[tuple[int, int]]:
    """Withheld cells (None) of an extended table (last row/column = totals) that
    the line equations determine uniquely."""
    height, width = len(published), len(published[0])
    unknowns = [(i, j) for i in range(height) for j in range(width) if published[i][j] is None]
    if not unknowns:
        return []
    index = {cell: n for n, cell in enumerate(unknowns)}
    equations = []
    lines = [[(i, j) for j in range(width - 1)] + [(i, width - 1)] for i in range(height)] + [
        [(i, j) for i in range(height - 1)] + [(height - 1, j)] for j in range(width)
    ]
    for line in lines:
        # sum(parts) - total = 0, only the unknown coefficients matter for determinacy
        *parts, total = line
        coefficients = [Fraction(0)] * len(unknowns)
        for cell, sign in [*((p, 1) for p in parts), (total, -1)]:
            if cell in index:
                coefficients[index[cell]] += sign
        if any(coefficients):
            equations.append(coefficients)
    base = rank(equations) if equations else 0
    found = []
    for cell, n in index.items():
        unit = [Fraction(0)] * len(unknowns)
        unit[n] = Fraction(1)
        if equations and rank([*equations, unit]) == base:
            found.append(cell)
    return found


def make_table(matrix: list[list[int]], cases: int | None = None) -> Table:
    buckets = ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"][: len(matrix[0])]
    rows = [
        Row(f"c{i}", f"Zeile {i}", dict(zip(buckets, values, strict=True)))
        for i, values in enumerate(matrix)
    ]
    total = sum(map(sum, matrix))
    return Table(DIMENSIONS["merkmal"], FILTERS, buckets, rows, total if cases is None else cases)


def published_extended(result) -> list[list[int | None]]:
    rows = [[*(row.cells[b].value for b in result.buckets), row.total.value] for row in result.rows]
    return [*rows, [*(result.column_totals[b].value for b in result.buckets), result.total.value]]


matrices = st.integers(1, 6).flatmap(
    lambda height: st.integers(1, 4).flatmap(
        lambda width: st.lists(
            st.lists(
                st.one_of(st.integers(0, 6), st.integers(0, 40)), min_size=width, max_size=width
            ),
            min_size=height,
            max_size=height,
        )
    )
)


@settings(max_examples=300, deadline=None)
@given(matrix=matrices, k=st.sampled_from([3, 5, 10]))
def test_no_published_cell_is_small_and_no_withheld_cell_is_recoverable(matrix, k):
    result = suppress(make_table(matrix), k)
    published = published_extended(result)
    for line in published:
        for value in line:
            assert value is None or value == 0 or value >= k
    assert recoverable_cells(published) == []
    # Published values are the true ones.
    for i, row in enumerate(matrix):
        for j, value in enumerate(row):
            cell = result.rows[i].cells[result.buckets[j]]
            assert cell.suppressed or cell.value == value


@settings(max_examples=200, deadline=None)
@given(matrix=matrices, k=st.sampled_from([3, 5]))
def test_display_says_which_kind_of_suppression(matrix, k):
    result = suppress(make_table(matrix), k)
    for row in result.rows:
        for bucket, cell in row.cells.items():
            true = row_value(matrix, result, row, bucket)
            if cell.primary:
                assert cell.display == f"<{k}" and 1 <= true <= k - 1
            elif cell.suppressed:
                assert cell.display == "×"
            else:
                assert cell.display == str(true)


def row_value(matrix, result, row, bucket):
    return matrix[result.rows.index(row)][result.buckets.index(bucket)]


def test_zero_is_shown_as_zero():
    result = suppress(make_table([[0, 12], [0, 30]]), 5)
    assert result.rows[0].cells["2025-Q1"].display == "0"
    assert not result.any_suppressed


def test_a_single_small_cell_in_a_row_takes_the_next_smallest_with_it():
    # 3 is primary; its row total (3 + 20 + 7 = 30) would give it away otherwise.
    result = suppress(make_table([[3, 20, 7], [10, 10, 10]]), 5)
    row = result.rows[0]
    assert row.cells["2025-Q1"].display == "<5"
    assert row.cells["2025-Q3"].suppressed
    assert not row.cells["2025-Q2"].suppressed
    assert recoverable_cells(published_extended(result)) == []


def test_difference_attack_on_a_total_is_blocked():
    # One row with 2 in it: the column total minus the other row would give 2.
    result = suppress(make_table([[2], [40]]), 5)
    published = published_extended(result)
    assert result.rows[0].cells["2025-Q1"].display == "<5"
    assert result.rows[1].cells["2025-Q1"].suppressed or result.column_totals["2025-Q1"].suppressed
    assert recoverable_cells(published) == []


def test_small_distinct_case_count_is_withheld():
    table = make_table([[6, 0], [0, 6]], cases=3)
    assert suppress(table, 5).cases.display == "<5"


def test_checker_finds_a_recoverable_cell():
    # The checker itself must be able to fail: one withheld cell with totals shown.
    assert recoverable_cells([[None, 5, 8], [4, 6, 10], [7, 11, 18]]) == [(0, 0)]
