"""The parts of one running sandbox, bundled so route handlers can reach them."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from .auth import TokenRegistry
from .call_log import CallLog
from .config import Settings
from .faults import FaultInjector
from .ids import IdFactory
from .jobs import JobStore
from .limits import ApiUsage
from .objects import SObjectSpec
from .state import RecordStore


@dataclass
class Context:
    settings: Settings
    objects: dict[str, SObjectSpec]
    store: RecordStore
    usage: ApiUsage
    faults: FaultInjector
    tokens: TokenRegistry = field(default_factory=TokenRegistry)
    calls: CallLog = field(default_factory=CallLog)
    ids: IdFactory = field(default_factory=IdFactory)
    jobs: JobStore = field(default_factory=JobStore)
    stopping: threading.Event = field(default_factory=threading.Event)

    def sobject(self, name: str) -> SObjectSpec | None:
        """The sObject type called `name` (case-insensitive), if the sandbox has it."""
        for key, spec in self.objects.items():
            if key.lower() == name.lower():
                return spec
        return None
