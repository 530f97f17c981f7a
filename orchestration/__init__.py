"""Dagster orchestration for Audience Warehouse: dbt assets, reverse-ETL syncs, automation."""
