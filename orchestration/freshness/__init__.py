"""Freshness: alert when the segment tables are older than their expected cadence."""
