"""The dbt project as Dagster assets (models) and asset checks (dbt tests)."""
