"""Which segments a sync must hold back: those whose latest health checks failed.

A sync model has a `segment__<name>` column per segment it carries. Each segment's latest
row in `segment_health` (greatest as_of) decides: `is_healthy = false`, or no row at all,
holds that segment back. The gate only reads; the sync asset passes the held segments to
the engine, which leaves them as the destination last confirmed and syncs the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from audience_warehouse.sync.records import synced_segments

HEALTH_TABLE = "segment_health"


@dataclass(frozen=True)
class GateDecision:
    sync_name: str
    segments: tuple[str, ...]
    unhealthy: dict[str, str] = field(default_factory=dict)  # segment -> reason

    @property
    def all_healthy(self) -> bool:
        return not self.unhealthy

    @property
    def reason(self) -> str:
        if self.all_healthy:
            return f"all {len(self.segments)} segments of {self.sync_name} are healthy"
        details = "; ".join(f"{name}: {why}" for name, why in sorted(self.unhealthy.items()))
        return (
            f"{self.sync_name}: {len(self.unhealthy)} of its {len(self.segments)} segments "
            f"held back, unhealthy in the latest {HEALTH_TABLE} rows ({details}); the "
            f"destination keeps what it had for them, the other segments sync"
        )


def check_segment_health(connection: duckdb.DuckDBPyConnection, sync_name: str) -> GateDecision:
    """The segments of `sync_name` to hold back, from the latest segment_health rows."""
    segments = tuple(synced_segments(connection, sync_name))
    if not segments:
        return GateDecision(sync_name, segments)
    try:
        rows = connection.execute(
            f"""
            select segment_name, is_healthy, problems
            from {HEALTH_TABLE}
            where segment_name in (select unnest(?::varchar[]))
            qualify row_number() over (partition by segment_name order by as_of desc) = 1
            """,
            [list(segments)],
        ).fetchall()
    except duckdb.CatalogException:
        return GateDecision(
            sync_name, segments, {name: f"no {HEALTH_TABLE} table" for name in segments}
        )
    latest = {name: (healthy, problems) for name, healthy, problems in rows}
    unhealthy: dict[str, str] = {}
    for name in segments:
        if name not in latest:
            unhealthy[name] = f"no {HEALTH_TABLE} row"
        elif not latest[name][0]:
            unhealthy[name] = latest[name][1] or "is_healthy is false"
    return GateDecision(sync_name, segments, unhealthy)
