"""Reverse-ETL syncs as Dagster assets: the sync engine pushing sync models to CRMs."""
