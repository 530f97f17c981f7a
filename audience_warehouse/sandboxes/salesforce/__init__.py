"""A local stand-in for the Salesforce REST API (OAuth, sObject Collections upsert, Bulk API 2.0
ingest, reads), served over HTTPS with a test CA, with seeded fault injection and a
/__sandbox/ admin API, so the real `simple-salesforce` sync code can be tested offline.
"""

from .faults import FaultConfig
from .objects import FieldSpec
from .sandbox import SalesforceSandbox

__all__ = ["FaultConfig", "FieldSpec", "SalesforceSandbox"]
