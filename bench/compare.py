"""Incremental refresh == full rebuild: compare tables of two warehouse files row for
row (as multisets, EXCEPT ALL both ways)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

# segment_memberships.entered_at comes from history, which a rebuild does not have
COMPARED = {
    "contact_features": "*",
    "segment_memberships": "segment_name, contact_id, reason, as_of",
    "int_segment_members_unioned": "*",
}


@dataclass(frozen=True)
class Difference:
    table: str
    rows: int
    only_left: int
    only_right: int

    @property
    def equal(self) -> bool:
        return self.only_left == 0 and self.only_right == 0 and self.rows > 0


def compare(left: Path, right: Path) -> list[Difference]:
    differences = []
    with duckdb.connect() as connection:
        connection.execute(f"attach '{left}' as l (read_only)")
        connection.execute(f"attach '{right}' as r (read_only)")
        for table, columns in COMPARED.items():

            def count(sql: str) -> int:
                row = connection.execute(sql).fetchone()
                return int(row[0]) if row else 0

            left_rows = f"select {columns} from l.{table}"
            right_rows = f"select {columns} from r.{table}"
            differences.append(
                Difference(
                    table,
                    count(f"select count(*) from l.{table}"),
                    count(f"select count(*) from ({left_rows} except all {right_rows})"),
                    count(f"select count(*) from ({right_rows} except all {left_rows})"),
                )
            )
    return differences
