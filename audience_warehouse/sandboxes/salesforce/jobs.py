"""Bulk API 2.0 ingest jobs as data: their lifecycle state, uploaded CSV and results.

A job is processed when it is closed (state UploadComplete); it then reports InProgress for
`polls_left` job-info requests before it reports its outcome (JobComplete or Failed).
Results and counts are visible once the job reports an outcome (or is aborted).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from .ids import USER_ID

FINAL_STATES = ("JobComplete", "Failed", "Aborted")


@dataclass
class IngestJob:
    id: str
    object: str
    operation: str
    external_id_field: str | None
    line_ending: str
    column_delimiter: str
    api_version: str
    created_date: str
    state: str = "Open"
    system_modstamp: str = ""
    uploads: list[bytes] = field(default_factory=list)
    outcome: str | None = None
    polls_left: int = 0
    error_message: str | None = None
    header: list[str] = field(default_factory=list)
    successes: list[list[str]] = field(default_factory=list)
    failures: list[list[str]] = field(default_factory=list)
    unprocessed: list[list[str]] = field(default_factory=list)

    @property
    def reported(self) -> bool:
        """Whether the job already reports its outcome (and so its results)."""
        return self.state in FINAL_STATES

    def advance(self) -> None:
        """One job-info poll: UploadComplete/InProgress move towards the outcome."""
        if self.outcome is None or self.state not in ("UploadComplete", "InProgress"):
            return
        if self.polls_left > 0:
            self.polls_left -= 1
            self.state = "InProgress"
        else:
            self.state = self.outcome

    def info(self, *, detailed: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "operation": self.operation,
            "object": self.object,
            "createdById": USER_ID,
            "createdDate": self.created_date,
            "systemModstamp": self.system_modstamp or self.created_date,
            "state": self.state,
            "concurrencyMode": "Parallel",
            "contentType": "CSV",
            "apiVersion": float(self.api_version),
            "contentUrl": f"services/data/v{self.api_version}/jobs/ingest/{self.id}/batches",
            "lineEnding": self.line_ending,
            "columnDelimiter": self.column_delimiter,
        }
        if self.external_id_field:
            data["externalIdFieldName"] = self.external_id_field
        if detailed:
            shown = self.reported
            data.update(
                jobType="V2Ingest",
                numberRecordsProcessed=len(self.successes) + len(self.failures) if shown else 0,
                numberRecordsFailed=len(self.failures) if shown else 0,
                retries=0,
                totalProcessingTime=0,
                apiActiveProcessingTime=0,
                apexProcessingTime=0,
            )
            if self.state == "Failed" and self.error_message:
                data["errorMessage"] = self.error_message
        return data


class JobStore:
    """Jobs by id, thread-safe."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self._jobs: dict[str, IngestJob] = {}

    def add(self, job: IngestJob) -> None:
        with self.lock:
            self._jobs[job.id] = job

    def get(self, job_id: str) -> IngestJob | None:
        with self.lock:
            return self._jobs.get(job_id)

    def all(self) -> list[IngestJob]:
        with self.lock:
            return list(self._jobs.values())

    def delete(self, job_id: str) -> None:
        with self.lock:
            self._jobs.pop(job_id, None)

    def clear(self) -> None:
        with self.lock:
            self._jobs.clear()
