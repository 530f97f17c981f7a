"""Destinations: one module per API, each speaking it through the vendor's official SDK."""
