"""A local stand-in for HubSpot's CRM v3 API (contacts, properties, lists), for tests and demos.

It follows the contract in the project's API notes: same paths, bodies, status codes, rate
limit headers and error bodies, plus seeded fault injection. Use `HubSpotSandbox` from Python
or `python -m audience_warehouse.sandboxes.hubspot --port 8765 --token demo` from a shell.
"""

from .faults import FaultConfig
from .ratelimit import RateLimitConfig
from .sandbox import HubSpotSandbox

__all__ = ["FaultConfig", "HubSpotSandbox", "RateLimitConfig"]
