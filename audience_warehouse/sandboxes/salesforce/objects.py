"""The sObject model: Contact and Lead, their fields, and how a submitted value is stored.

Field names are matched case-insensitively, as Salesforce does. Every object has the standard
fields the sync needs, the external id `Email__c` (text, unique, matched case-insensitively),
the multi-select picklist `Audience_Segments__c` and a configurable set of custom `__c` fields.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

from .errors import RecordError

FIELD_TYPES = frozenset(
    {"id", "text", "email", "number", "checkbox", "date", "datetime", "multipicklist"}
)
_DEFAULT_LENGTH = {"text": 255, "email": 80, "multipicklist": 4099}
_EMAIL_RE = re.compile(r"^[^@\s;,]+@[^@\s;,]+\.[^@\s;,]+$")
_NUMBER_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_TRUE = {"true", "1", "yes"}
_FALSE = {"false", "0", "no"}

EXTERNAL_ID_FIELD = "Email__c"
SEGMENTS_FIELD = "Audience_Segments__c"
DEFAULT_CUSTOM_FIELDS: dict[str, str] = {
    "Lifetime_Value__c": "number",
    "Order_Count__c": "number",
    "Customer_Tier__c": "text",
    "Warehouse_Customer_Id__c": "text",
}


@dataclass(frozen=True)
class FieldSpec:
    """One field of an sObject, as far as the sandbox models it."""

    name: str
    type: str = "text"
    length: int | None = None
    required: bool = False
    external_id: bool = False
    unique: bool = False
    writable: bool = True
    label: str = ""

    def __post_init__(self) -> None:
        if self.type not in FIELD_TYPES:
            raise ValueError(f"field {self.name}: unknown type {self.type!r}")
        if self.length is None and self.type in _DEFAULT_LENGTH:
            object.__setattr__(self, "length", _DEFAULT_LENGTH[self.type])
        if not self.label:
            label = self.name.removesuffix("__c").replace("_", " ")
            object.__setattr__(self, "label", label)

    def describe(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "label": self.label,
            "type": self.type,
            "length": self.length or 0,
            "externalId": self.external_id,
            "unique": self.unique,
            "nillable": not self.required and self.type != "checkbox",
            "createable": self.writable,
            "updateable": self.writable,
            "custom": self.name.endswith("__c"),
        }


@dataclass(frozen=True)
class SObjectSpec:
    """An sObject type: its name, id key prefix and fields."""

    name: str
    key_prefix: str
    fields: tuple[FieldSpec, ...]
    _by_lower: dict[str, FieldSpec] = dataclass_field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_lower", {f.name.lower(): f for f in self.fields})

    def field(self, name: str) -> FieldSpec | None:
        return self._by_lower.get(name.lower())

    @property
    def required_fields(self) -> list[FieldSpec]:
        return [f for f in self.fields if f.required]

    @property
    def indexed_fields(self) -> list[FieldSpec]:
        """Fields whose values are unique per record (external ids and unique fields)."""
        return [f for f in self.fields if f.external_id or f.unique]

    def blank_record(self) -> dict[str, Any]:
        return {f.name: (False if f.type == "checkbox" else None) for f in self.fields}

    def describe(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "keyPrefix": self.key_prefix,
            "custom": False,
            "fields": [f.describe() for f in self.fields],
        }


def _custom_field(name: str, spec: str | FieldSpec) -> FieldSpec:
    if isinstance(spec, FieldSpec):
        if spec.name != name:
            raise ValueError(f"custom field {name!r} is described under the name {spec.name!r}")
        result = spec
    else:
        result = FieldSpec(name, spec)
    if not name.endswith("__c"):
        raise ValueError(f"custom field names end with __c: {name!r}")
    return result


def build_objects(
    custom_fields: Mapping[str, str | FieldSpec] | None = None,
) -> dict[str, SObjectSpec]:
    """Contact and Lead with the standard fields plus `custom_fields` (name -> type or spec)."""
    extra = DEFAULT_CUSTOM_FIELDS if custom_fields is None else custom_fields
    custom = [_custom_field(name, spec) for name, spec in extra.items()]
    reserved = {EXTERNAL_ID_FIELD.lower(), SEGMENTS_FIELD.lower()}
    if any(f.name.lower() in reserved for f in custom):
        raise ValueError(f"{EXTERNAL_ID_FIELD} and {SEGMENTS_FIELD} are always present")

    def fields(*specific: FieldSpec) -> tuple[FieldSpec, ...]:
        return (
            FieldSpec("Id", "id", 18, writable=False, label="Record ID"),
            FieldSpec("FirstName", "text", 40, label="First Name"),
            FieldSpec("LastName", "text", 80, required=True, label="Last Name"),
            FieldSpec("Email", "email", 80, label="Email"),
            *specific,
            FieldSpec(EXTERNAL_ID_FIELD, "text", 255, external_id=True, unique=True),
            FieldSpec(SEGMENTS_FIELD, "multipicklist"),
            *custom,
            FieldSpec("CreatedDate", "datetime", writable=False, label="Created Date"),
            FieldSpec("LastModifiedDate", "datetime", writable=False, label="Last Modified Date"),
        )

    return {
        "Contact": SObjectSpec("Contact", "003", fields()),
        "Lead": SObjectSpec(
            "Lead", "00Q", fields(FieldSpec("Company", "text", 255, required=True))
        ),
    }


class FieldValueError(Exception):
    """A submitted value that the field cannot hold."""

    def __init__(self, error: RecordError) -> None:
        super().__init__(error.message)
        self.error = error


def _wrong_type(spec: FieldSpec, value: Any) -> FieldValueError:
    return FieldValueError(
        RecordError(
            "INVALID_TYPE_ON_FIELD_IN_RECORD",
            f"{spec.label}: value not of required type: {value}",
            [spec.name],
        )
    )


def _text(spec: FieldSpec, value: Any) -> str:
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, int | float):
        text = format(value, "g") if isinstance(value, float) else str(value)
    else:
        text = str(value)
    if spec.length is not None and len(text) > spec.length:
        raise FieldValueError(
            RecordError(
                "STRING_TOO_LONG",
                f"{spec.label}: data value too large: {text[:40]} (max length={spec.length})",
                [spec.name],
            )
        )
    return text


def coerce(spec: FieldSpec, value: Any) -> Any:
    """The stored form of a submitted value, or FieldValueError with Salesforce's error."""
    if value is None or value == "":
        return False if spec.type == "checkbox" else None
    if spec.type in ("text", "id"):
        return _text(spec, value)
    if spec.type == "email":
        text = _text(spec, value).strip()
        if not _EMAIL_RE.match(text):
            raise FieldValueError(
                RecordError(
                    "INVALID_EMAIL_ADDRESS",
                    f"{spec.label}: invalid email address: {text}",
                    [spec.name],
                )
            )
        return text
    if spec.type == "number":
        if isinstance(value, bool):
            raise _wrong_type(spec, value)
        if isinstance(value, int | float):
            number = float(value)
        elif isinstance(value, str) and _NUMBER_RE.match(value.strip()):
            number = float(value.strip())
        else:
            raise _wrong_type(spec, value)
        if not math.isfinite(number):
            raise _wrong_type(spec, value)
        return number
    if spec.type == "checkbox":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
            return value.strip().lower() in _TRUE
        raise _wrong_type(spec, value)
    if spec.type == "date":
        try:
            return dt.date.fromisoformat(str(value).strip()).isoformat()
        except ValueError:
            raise _wrong_type(spec, value) from None
    if spec.type == "multipicklist":
        if not isinstance(value, str):
            raise _wrong_type(spec, value)
        chosen: list[str] = []
        for part in value.split(";"):
            item = part.strip()
            if item and item not in chosen:
                chosen.append(item)
        if any(len(item) > 255 for item in chosen):
            raise FieldValueError(
                RecordError(
                    "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
                    f"{spec.label}: bad value for restricted picklist field: {value[:40]}",
                    [spec.name],
                )
            )
        return ";".join(chosen) or None
    raise _wrong_type(spec, value)  # datetime fields are read-only here


def match_key(value: Any) -> Any:
    """The key under which a unique value is matched: text is case-insensitive."""
    return value.casefold() if isinstance(value, str) else value


def salesforce_datetime(moment: dt.datetime | None = None) -> str:
    """A timestamp the way Salesforce writes one: 2024-05-01T12:34:56.000+0000."""
    moment = (moment or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}+0000"
