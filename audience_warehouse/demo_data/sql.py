"""SQL building blocks: literals, small tables from Python rows, and the connection's
macros (``u``, the only source of randomness)."""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

from .run import Run
from .schema import EVENT_TYPES


def q(value: str) -> str:
    """A SQL string literal."""
    return "'" + value.replace("'", "''") + "'"


def sql_list(values: Sequence[str]) -> str:
    return "[" + ", ".join(q(v) for v in values) + "]"


def choice(values: Sequence[str], uniform: str) -> str:
    """SQL picking one of ``values`` with the uniform number ``uniform``."""
    return f"{sql_list(values)}[pick({uniform}, {len(values)}) + 1]"


def table_from_rows(
    con: duckdb.DuckDBPyConnection, name: str, columns: Sequence[str], rows: Sequence[tuple]
) -> None:
    """Create a small table from Python rows (columns zipped with unnest)."""
    selects = ", ".join(f"unnest(${i + 1}) AS {c}" for i, c in enumerate(columns))
    con.execute(
        f"CREATE TABLE {name} AS SELECT {selects}", [list(c) for c in zip(*rows, strict=True)]
    )


def create_macros(con: duckdb.DuckDBPyConnection, run: Run) -> None:
    """``u`` is the only source of randomness: uniform in [0, 1) from hashed arguments."""
    con.execute(
        f"CREATE MACRO u(salt, a, b, c) AS "
        f"(hash({run.seed}, salt, a, b, c) >> 11) / 9007199254740992.0"
    )
    # exponential with mean 1
    con.execute("CREATE MACRO expo(x) AS -ln(1.0 - x)")
    con.execute("CREATE MACRO pick(x, n) AS floor(x * n)::INTEGER")
    con.execute(
        """
        CREATE MACRO email_variant(loc, stem, tld, v) AS CASE v
            WHEN 0 THEN lower(loc || '@' || stem || '.' || tld)
            WHEN 1 THEN loc || '@' || stem || '.' || upper(tld)
            WHEN 2 THEN upper(loc || '@' || stem || '.' || tld)
            WHEN 3 THEN ' ' || lower(loc || '@' || stem || '.' || tld) || ' '
            ELSE ' ' || loc || '@' || stem || '.' || upper(tld) || ' '
        END
        """
    )
    types = ", ".join(q(t) for t in EVENT_TYPES)
    con.execute(f"CREATE TYPE etype_t AS ENUM ({types})")
