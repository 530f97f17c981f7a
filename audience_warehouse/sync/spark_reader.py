"""Read sync models built on the spark target (DBT_TARGET=spark).

The sync engine reads a sync model's rows as records and keeps its state (what each
destination confirmed) in DuckDB. On Spark, the model's rows come from a PySpark session on
the spark target's catalog (audience_warehouse.spark_session), either as records directly
or copied into the DuckDB connection the engine runs on, under the model's name:

    spark = spark_session()
    with duckdb.connect(str(settings.warehouse_path)) as connection:
        stage_sync_model(spark, "sync_hubspot_contacts", connection)
        run_sync(connection, SyncConfig("sync_hubspot_contacts", "upsert"), destination)

Timestamps are read as UTC wall-clock times, as DuckDB holds them, so records and their
hashes are the same whichever engine built the model.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import duckdb

from audience_warehouse.spark_session import spark_target
from audience_warehouse.sync.destination import Record
from audience_warehouse.sync.records import records_from_rows

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession


def sync_model_frame(spark: SparkSession, model: str, schema: str | None = None) -> DataFrame:
    """The sync model as a DataFrame, timestamps as UTC wall-clock (timestamp_ntz)."""
    from pyspark.sql import functions
    from pyspark.sql.types import TimestampType

    schema = schema or str(spark_target()["schema"])
    frame = spark.table(f"{schema}.{model}")  # model names come from dbt
    # the session time zone is UTC (profiles.yml), so this keeps the UTC clock time
    return frame.select(
        *(
            functions.col(f"`{column.name}`").cast("timestamp_ntz").alias(column.name)
            if isinstance(column.dataType, TimestampType)
            else functions.col(f"`{column.name}`")
            for column in frame.schema.fields
        )
    )


def load_records_from_spark(
    spark: SparkSession, model: str, schema: str | None = None
) -> dict[str, Record]:
    """Every row of the sync model on Spark as a Record, as records.load_records reads
    them from DuckDB."""
    frame = sync_model_frame(spark, model, schema)
    return records_from_rows(frame.columns, (tuple(row) for row in frame.toLocalIterator()))


def stage_sync_model(
    spark: SparkSession,
    model: str,
    connection: duckdb.DuckDBPyConnection,
    schema: str | None = None,
) -> int:
    """Copy the sync model from Spark into `connection` (the engine's DuckDB) as table
    `model`, replacing it, so run_sync reads it as it would a DuckDB build. Returns rows."""
    arrow_table = sync_model_frame(spark, model, schema).toArrow()  # noqa: F841 (used in SQL)
    connection.execute(f"create or replace table {model} as select * from arrow_table")
    return connection.execute(f"select count(*) from {model}").fetchone()[0]
