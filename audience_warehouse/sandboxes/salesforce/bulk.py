"""Bulk API 2.0 ingest endpoints under /services/data/vXX.X/jobs/ingest.

Create a job (upsert only), PUT one CSV to its `batches`, PATCH it to UploadComplete (the
CSV is processed then: a malformed CSV or an unknown column fails the whole job, otherwise
each row succeeds or fails on its own), poll it, and read its successful, failed and
unprocessed records as CSV.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from .context import Context
from .errors import ApiError, not_found
from .jobs import FINAL_STATES, IngestJob
from .objects import salesforce_datetime
from .schemas import validate_request
from .sobject_collections import resolve_external_id
from .upsert import Upserter
from .web import Request, Response

DELIMITERS = {
    "BACKQUOTE": "`",
    "CARET": "^",
    "COMMA": ",",
    "PIPE": "|",
    "SEMICOLON": ";",
    "TAB": "\t",
}
NULL_MARKER = "#N/A"
RESULT_KINDS = {
    "successfulresults": "successful",
    "failedresults": "failed",
    "unprocessedrecords": "unprocessed",
}


class _InvalidBatch(Exception):
    pass


def _job(ctx: Context, job_id: str) -> IngestJob:
    job = ctx.jobs.get(job_id)
    if job is None:
        raise not_found()
    return job


def create_job(ctx: Context, request: Request, version: str) -> Response:
    body: Any = request.json()
    validate_request("bulk_ingest_job_request", body)
    spec = ctx.sobject(body["object"])
    if spec is None:
        raise ApiError(400, "INVALIDENTITY", f"sObject type '{body['object']}' is not supported.")
    if body["operation"] != "upsert":
        raise ApiError(
            400,
            "FEATURENOTENABLED",
            f"The sandbox implements only the upsert operation, not {body['operation']}",
        )
    field_name = body.get("externalIdFieldName")
    if not field_name:
        raise ApiError(
            400,
            "INVALIDJOB",
            f"External ID was blank for {spec.name}. An External ID must be specified for upsert.",
        )
    try:
        _, external_id = resolve_external_id(ctx, spec.name, field_name)
    except ApiError as exc:
        raise ApiError(400, "INVALIDJOB", exc.message) from None
    now = salesforce_datetime()
    job = IngestJob(
        id=ctx.ids.new("750"),
        object=spec.name,
        operation="upsert",
        external_id_field=external_id.name,
        line_ending=body.get("lineEnding", "LF"),
        column_delimiter=body.get("columnDelimiter", "COMMA"),
        api_version=version,
        created_date=now,
    )
    ctx.jobs.add(job)
    return Response.json(200, job.info())


def upload(ctx: Context, request: Request, job_id: str) -> Response:
    with ctx.jobs.lock:
        job = _job(ctx, job_id)
        if job.state != "Open":
            raise ApiError(409, "INVALIDJOBSTATE", f"Job is not open for uploads: {job.state}")
        if request.content_type() != "text/csv":
            raise ApiError(415, "UNSUPPORTED_MEDIA_TYPE", "Job data must be sent as text/csv")
        if not request.body.strip():
            raise ApiError(400, "INVALIDJOB", "No data in the upload")
        job.uploads.append(request.body)
        job.system_modstamp = salesforce_datetime()
    return Response.empty(201)


def set_state(ctx: Context, request: Request, job_id: str) -> tuple[Response, bool, int | None]:
    """PATCH a job to UploadComplete (processes its CSV) or Aborted."""
    body: Any = request.json()
    validate_request("bulk_job_state_request", body)
    with ctx.jobs.lock:
        job = _job(ctx, job_id)
        changed, rows = False, None
        if body["state"] == "Aborted":
            if job.state in FINAL_STATES:
                raise ApiError(400, "INVALIDJOBSTATE", "Aborting already Completed Job not allowed")
            if job.outcome is None and job.uploads:
                job.header, job.unprocessed = _unprocessed(job)
            job.state = "Aborted"
        else:
            if job.state != "Open":
                raise ApiError(400, "INVALIDJOBSTATE", f"Job can't be closed in state {job.state}")
            if not job.uploads:
                raise ApiError(400, "INVALIDJOB", f"No content found for job: <{job.id}>")
            if len(job.uploads) > 1:
                raise ApiError(
                    400,
                    "INVALIDJOB",
                    f"Found multiple contents for job: <{job.id}>, please 'Close' / 'Abort' / "
                    "'Delete' the current Job then create a new Job and make sure you only do "
                    "'PUT' once on a given Job.",
                )
            changed, rows = _process(ctx, job)
            job.state = "UploadComplete"
            job.polls_left = ctx.settings.bulk_in_progress_polls
        job.system_modstamp = salesforce_datetime()
        return Response.json(200, job.info()), changed, rows


def get_job(ctx: Context, job_id: str) -> Response:
    with ctx.jobs.lock:
        job = _job(ctx, job_id)
        job.advance()
        return Response.json(200, job.info(detailed=True))


def list_jobs(ctx: Context) -> Response:
    with ctx.jobs.lock:
        records = [job.info() for job in ctx.jobs.all()]
    return Response.json(200, {"done": True, "records": records, "nextRecordsUrl": None})


def delete_job(ctx: Context, job_id: str) -> Response:
    with ctx.jobs.lock:
        job = _job(ctx, job_id)
        if job.state in ("Open", "InProgress"):
            raise ApiError(400, "INVALIDJOBSTATE", f"Job can't be deleted in state {job.state}")
        ctx.jobs.delete(job_id)
    return Response.empty(204)


def results(ctx: Context, job_id: str, kind: str) -> Response:
    with ctx.jobs.lock:
        job = _job(ctx, job_id)
        which = RESULT_KINDS[kind.lower()]
        if which == "successful":
            head, rows = ["sf__Id", "sf__Created"], job.successes
        elif which == "failed":
            head, rows = ["sf__Id", "sf__Error"], job.failures
        else:
            head, rows = [], job.unprocessed
        shown = rows if job.reported else []
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL)
        writer.writerow([*head, *job.header])
        writer.writerows(shown)
    return Response.csv(200, buffer.getvalue())


def _parse(job: IngestJob) -> tuple[list[str], list[list[str]]]:
    try:
        text = job.uploads[0].decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _InvalidBatch("InvalidBatch : The CSV data is not valid UTF-8") from None
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=DELIMITERS[job.column_delimiter], strict=True
    )
    try:
        rows = [row for row in reader if row]
    except csv.Error as exc:
        raise _InvalidBatch(f"InvalidBatch : Failed to parse CSV: {exc}") from None
    if not rows:
        raise _InvalidBatch("InvalidBatch : The CSV data has no header row")
    return rows[0], rows[1:]


def _unprocessed(job: IngestJob) -> tuple[list[str], list[list[str]]]:
    try:
        return _parse(job)
    except _InvalidBatch:
        return [], []


def _check_header(ctx: Context, job: IngestJob, header: list[str], rows: list[list[str]]) -> None:
    spec = ctx.objects[job.object]
    seen: set[str] = set()
    for name in header:
        field = spec.field(name.strip())
        if field is None:
            raise _InvalidBatch(f"InvalidBatch : Field name not found : {name}")
        if field.name in seen:
            raise _InvalidBatch(f"InvalidBatch : Duplicate field name : {name}")
        seen.add(field.name)
    if job.external_id_field not in seen:
        raise _InvalidBatch(
            f"InvalidBatch : The upsert field {job.external_id_field} is not in the CSV header"
        )
    for number, row in enumerate(rows, start=2):
        if len(row) != len(header):
            raise _InvalidBatch(
                f"InvalidBatch : Wrong number of columns on line {number}: expected "
                f"{len(header)}, found {len(row)}"
            )


def _process(ctx: Context, job: IngestJob) -> tuple[bool, int | None]:
    """Apply the job's CSV; returns whether records changed and how many rows there were."""
    try:
        header, rows = _parse(job)
        job.header = header
        _check_header(ctx, job, header, rows)
    except _InvalidBatch as exc:
        job.outcome, job.error_message = "Failed", str(exc)
        job.header, job.unprocessed = _unprocessed(job)
        return False, None
    records = [
        {
            name.strip(): (None if value == NULL_MARKER else value)
            for name, value in zip(header, row, strict=True)
            if value != ""
        }
        for row in rows
    ]
    spec = ctx.objects[job.object]
    external_id = next(f for f in spec.fields if f.name == job.external_id_field)
    with ctx.store.transaction() as txn:
        outcomes = Upserter(spec, external_id, txn, ctx.ids, ctx.faults.record_failure).run(records)
        changed = txn.changed
    for row, outcome in zip(rows, outcomes, strict=True):
        if outcome.success:
            job.successes.append([outcome.id or "", "true" if outcome.created else "false", *row])
        else:
            job.failures.append(["", "".join(error.as_bulk() for error in outcome.errors), *row])
    job.outcome = "JobComplete"
    return changed, len(rows)
