"""The project's own JSON Schemas for the Salesforce contract, and request validation.

Schemas live in `schemas/*.json` beside this module (written from the contract, not copied
from Salesforce). `validate_request` turns a schema violation into Salesforce's 400
JSON_PARSER_ERROR; `validator` gives tests the same schemas for checking responses.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import jsonschema_rs
from jsonschema.exceptions import best_match

from .errors import ApiError

SCHEMA_DIR = Path(__file__).with_name("schemas")


@cache
def load(name: str) -> dict[str, Any]:
    """The schema `schemas/<name>.json`."""
    return json.loads((SCHEMA_DIR / f"{name}.json").read_text(encoding="utf-8"))


@cache
def validator(name: str) -> jsonschema.protocols.Validator:
    schema = load(name)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


@cache
def fast_validator(name: str) -> Any:
    """The same schema compiled by jsonschema-rs, to decide validity fast (see the
    HubSpot sandbox's validation module); python-jsonschema words the error."""
    return jsonschema_rs.validator_for(load(name))


def schema_error(name: str, instance: Any) -> str | None:
    """A readable description of the most relevant violation, or None if `instance` is valid."""
    if fast_validator(name).is_valid(instance):
        return None
    error = best_match(validator(name).iter_errors(instance))
    if error is None:
        return None
    where = "/".join(str(part) for part in error.absolute_path)
    return f"{error.message} at /{where}" if where else error.message


def validate_request(name: str, body: Any, error_code: str = "JSON_PARSER_ERROR") -> None:
    """Raise 400 `error_code` if `body` does not satisfy schema `name`."""
    problem = schema_error(name, body)
    if problem is not None:
        raise ApiError(400, error_code, problem)
