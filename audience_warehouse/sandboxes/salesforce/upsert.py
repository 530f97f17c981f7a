"""Upsert by external id, shared by sObject Collections and Bulk API 2.0 ingest.

For each submitted record, in order: unknown or read-only fields, values the field cannot
hold, external id values repeated within the call, required fields (on create, or nulled on
update), unique values taken by another record, and injected faults each fail the record
with Salesforce's status code. A record either applies entirely or not at all. A record with
a blank external id is created (it matches nothing), as in Salesforce.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import RecordError
from .ids import IdFactory
from .objects import FieldSpec, FieldValueError, SObjectSpec, coerce, match_key, salesforce_datetime
from .state import Transaction

ROLLED_BACK = RecordError(
    "ALL_OR_NONE_OPERATION_ROLLED_BACK",
    "Record rolled back because not all records were valid and the request was using "
    "AllOrNone header",
)
FaultHook = Callable[[dict[str, Any], str | None], RecordError | None]


@dataclass
class UpsertOutcome:
    """The result for one record (Salesforce's UpsertResult)."""

    id: str | None = None
    created: bool = False
    errors: list[RecordError] = field(default_factory=list)

    @property
    def success(self) -> bool:
        return not self.errors

    def as_json(self) -> dict[str, Any]:
        if self.success:
            return {"id": self.id, "success": True, "errors": [], "created": self.created}
        return {"success": False, "errors": [error.as_json() for error in self.errors]}


@dataclass
class _Prepared:
    values: dict[str, Any]
    errors: list[RecordError]


class Upserter:
    """Applies a list of records of one sObject type through one transaction."""

    def __init__(
        self,
        spec: SObjectSpec,
        external_id: FieldSpec,
        txn: Transaction,
        ids: IdFactory,
        fault_hook: FaultHook | None = None,
    ) -> None:
        self.spec = spec
        self.external_id = external_id
        self.txn = txn
        self.ids = ids
        self.fault_hook = fault_hook

    def run(
        self, records: list[Mapping[str, Any]], all_or_none: bool = False
    ) -> list[UpsertOutcome]:
        prepared = [self._prepare(record) for record in records]
        self._mark_repeated_keys(prepared)
        outcomes = [
            UpsertOutcome(errors=item.errors) if item.errors else self._apply(item.values)
            for item in prepared
        ]
        if all_or_none and not all(outcome.success for outcome in outcomes):
            self.txn.rollback()
            for outcome in outcomes:
                if outcome.success:
                    outcome.id, outcome.created, outcome.errors = None, False, [ROLLED_BACK]
        return outcomes

    def _prepare(self, record: Mapping[str, Any]) -> _Prepared:
        values: dict[str, Any] = {}
        errors: list[RecordError] = []
        for name, value in record.items():
            if name == "attributes":
                continue
            spec = self.spec.field(name)
            if spec is None:
                errors.append(
                    RecordError(
                        "INVALID_FIELD",
                        f"No such column '{name}' on sobject of type {self.spec.name}",
                    )
                )
            elif not spec.writable:
                errors.append(
                    RecordError(
                        "INVALID_FIELD_FOR_INSERT_UPDATE",
                        f"Unable to create/update fields: {spec.name}. Please check the security "
                        "settings of this field and verify that it is read/write for your "
                        "profile or permission set.",
                        [spec.name],
                    )
                )
            else:
                try:
                    values[spec.name] = coerce(spec, value)
                except FieldValueError as exc:
                    errors.append(exc.error)
        return _Prepared(values, errors)

    def _mark_repeated_keys(self, prepared: list[_Prepared]) -> None:
        name = self.external_id.name
        keys = [match_key(item.values.get(name)) for item in prepared]
        repeated = {key for key, count in Counter(keys).items() if key is not None and count > 1}
        for item, key in zip(prepared, keys, strict=True):
            if key in repeated:
                item.errors.append(
                    RecordError(
                        "DUPLICATE_VALUE",
                        f"Duplicate external id specified: {item.values[name]}",
                        [name],
                    )
                )

    def _apply(self, values: dict[str, Any]) -> UpsertOutcome:
        sobject = self.spec.name
        existing = self.txn.store.find(
            sobject, self.external_id.name, values.get(self.external_id.name)
        )
        created = existing is None
        record = self.spec.blank_record() if created else existing
        missing = [
            f.name
            for f in self.spec.required_fields
            if (
                values.get(f.name) is None
                if created
                else f.name in values and values[f.name] is None
            )
        ]
        if missing:
            return UpsertOutcome(
                errors=[
                    RecordError(
                        "REQUIRED_FIELD_MISSING",
                        f"Required fields are missing: [{', '.join(missing)}]",
                        missing,
                    )
                ]
            )
        for spec in self.spec.indexed_fields:
            holder = self.txn.store.find(sobject, spec.name, values.get(spec.name))
            if holder is not None and (created or holder["Id"] != record["Id"]):
                return UpsertOutcome(
                    errors=[
                        RecordError(
                            "DUPLICATE_VALUE",
                            f"duplicate value found: {spec.name} duplicates value on record "
                            f"with id: {holder['Id']}",
                        )
                    ]
                )
        if self.fault_hook is not None:
            injected = self.fault_hook({**record, **values}, None if created else record["Id"])
            if injected is not None:
                return UpsertOutcome(errors=[injected])
        now = salesforce_datetime()
        record.update(values)
        if created:
            record["Id"] = self.ids.new(self.spec.key_prefix)
            record["CreatedDate"] = now
        record["LastModifiedDate"] = now
        self.txn.put(sobject, record)
        return UpsertOutcome(id=record["Id"], created=created)
