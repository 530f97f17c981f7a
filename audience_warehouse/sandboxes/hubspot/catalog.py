"""Contact property definitions: HubSpot's standard ones, and the checks on written values.

Definitions are kept in the shape HubSpot's properties API returns, so the same dict serves
`GET /crm/v3/properties/contacts/{name}` and the value checks of a batch upsert.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

# Property groups that exist in every portal; custom properties must name one of them.
STANDARD_GROUPS = frozenset(
    {
        "contactinformation",
        "emailinformation",
        "conversioninformation",
        "analyticsinformation",
        "sales_properties",
        "socialmediainformation",
        "salesforceinformation",
    }
)

# Which fieldType each property type may use.
FIELD_TYPES_BY_TYPE = {
    "string": {"text", "textarea", "phonenumber", "file", "html"},
    "number": {"number", "calculation_equation"},
    "date": {"date"},
    "datetime": {"date"},
    "enumeration": {"select", "radio", "checkbox", "booleancheckbox", "calculation_equation"},
    "bool": {"booleancheckbox", "calculation_equation"},
    "phone_number": {"phonenumber", "text"},
}

READ_ONLY = frozenset({"hs_object_id", "createdate", "lastmodifieddate"})
BASE_READ_PROPERTIES = ("createdate", "hs_object_id", "lastmodifieddate")
DEFAULT_READ_PROPERTIES = ("email", "firstname", "lastname", *BASE_READ_PROPERTIES)

# Letters, digits and the usual punctuation before the @, a dotted domain with a TLD after it.
EMAIL_PATTERN = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$"
)

_LIFECYCLE_STAGES = (
    ("Subscriber", "subscriber"),
    ("Lead", "lead"),
    ("Marketing Qualified Lead", "marketingqualifiedlead"),
    ("Sales Qualified Lead", "salesqualifiedlead"),
    ("Opportunity", "opportunity"),
    ("Customer", "customer"),
    ("Evangelist", "evangelist"),
    ("Other", "other"),
)
_LEAD_STATUSES = (
    ("New", "NEW"),
    ("Open", "OPEN"),
    ("In Progress", "IN_PROGRESS"),
    ("Open Deal", "OPEN_DEAL"),
    ("Unqualified", "UNQUALIFIED"),
    ("Attempted to Contact", "ATTEMPTED_TO_CONTACT"),
    ("Connected", "CONNECTED"),
    ("Bad Timing", "BAD_TIMING"),
)
_TEXT_PROPERTIES = (
    ("email", "Email"),
    ("firstname", "First Name"),
    ("lastname", "Last Name"),
    ("company", "Company Name"),
    ("jobtitle", "Job Title"),
    ("website", "Website URL"),
    ("address", "Street Address"),
    ("city", "City"),
    ("state", "State/Region"),
    ("zip", "Postal Code"),
    ("country", "Country/Region"),
    ("industry", "Industry"),
    ("annualrevenue", "Annual Revenue"),
)


def options(pairs: tuple[tuple[str, str], ...]) -> list[dict[str, Any]]:
    return [
        {"label": label, "value": value, "hidden": False, "displayOrder": index}
        for index, (label, value) in enumerate(pairs)
    ]


def definition(
    name: str,
    label: str,
    type_: str,
    field_type: str,
    *,
    group: str = "contactinformation",
    option_list: list[dict[str, Any]] | None = None,
    description: str = "",
    hubspot_defined: bool = True,
    read_only: bool = False,
    created_at: str,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A property definition in the shape HubSpot's properties API returns."""
    return {
        "name": name,
        "label": label,
        "type": type_,
        "fieldType": field_type,
        "groupName": group,
        "description": description,
        "options": option_list or [],
        "displayOrder": -1,
        "calculated": False,
        "externalOptions": False,
        "hasUniqueValue": name == "email",
        "hidden": False,
        "hubspotDefined": hubspot_defined,
        "formField": name in {"email", "firstname", "lastname", "company", "phone"},
        "modificationMetadata": {
            "archivable": not hubspot_defined,
            "readOnlyDefinition": hubspot_defined,
            "readOnlyValue": read_only,
        },
        "createdAt": created_at,
        "updatedAt": created_at,
        "archived": False,
        **(extra or {}),
    }


def standard_properties(created_at: str) -> dict[str, dict[str, Any]]:
    defs = [
        definition(n, label, "string", "text", created_at=created_at)
        for n, label in _TEXT_PROPERTIES
    ]
    defs += [
        definition("phone", "Phone Number", "string", "phonenumber", created_at=created_at),
        definition(
            "mobilephone", "Mobile Phone Number", "string", "phonenumber", created_at=created_at
        ),
        definition(
            "lifecyclestage",
            "Lifecycle Stage",
            "enumeration",
            "radio",
            option_list=options(_LIFECYCLE_STAGES),
            created_at=created_at,
        ),
        definition(
            "hs_lead_status",
            "Lead Status",
            "enumeration",
            "radio",
            group="sales_properties",
            option_list=options(_LEAD_STATUSES),
            created_at=created_at,
        ),
        definition(
            "createdate", "Create Date", "datetime", "date", read_only=True, created_at=created_at
        ),
        definition(
            "lastmodifieddate",
            "Last Modified Date",
            "datetime",
            "date",
            read_only=True,
            created_at=created_at,
        ),
        definition(
            "hs_object_id", "Record ID", "number", "number", read_only=True, created_at=created_at
        ),
    ]
    return {d["name"]: d for d in defs}


@dataclass(frozen=True)
class PropertyProblem:
    """Why one property value of one input was refused (HubSpot's propertyValidationResult)."""

    name: str
    code: str
    message: str

    def as_result(self) -> dict[str, Any]:
        return {"isValid": False, "message": self.message, "error": self.code, "name": self.name}


def as_text(value: str | int | float | bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def is_valid_email(value: str) -> bool:
    return bool(EMAIL_PATTERN.match(value)) and ".." not in value and len(value) <= 254


def _date_problem(name: str, value: str) -> PropertyProblem | None:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            datetime.strptime(value, "%Y-%m-%d")
        except ValueError:
            return PropertyProblem(name, "INVALID_DATE", f"{value} is not a valid date")
        return None
    if not re.fullmatch(r"-?\d+", value):
        return PropertyProblem(name, "INVALID_DATE", f"{value} is not a valid date")
    moment = datetime.fromtimestamp(int(value) / 1000, tz=UTC)
    if (moment.hour, moment.minute, moment.second, moment.microsecond) != (0, 0, 0, 0):
        at = moment.strftime("%H:%M:%S.") + f"{moment.microsecond // 1000:03d}"
        return PropertyProblem(name, "INVALID_DATE", f"{value} is at {at} UTC, not midnight!")
    return None


def check_value(
    definition_: dict[str, Any] | None, name: str, value: str
) -> PropertyProblem | None:
    """The problem with writing `value` to property `name`, or None when HubSpot would take it."""
    if definition_ is None:
        return PropertyProblem(name, "PROPERTY_DOESNT_EXIST", f'Property "{name}" does not exist')
    if name in READ_ONLY:
        return PropertyProblem(
            name, "READ_ONLY_VALUE", f'Property "{name}" is a read only property'
        )
    if value == "":
        return None  # an empty string clears the value
    if name == "email" and not is_valid_email(value):
        return PropertyProblem(name, "INVALID_EMAIL", f"Email address {value} is invalid")
    if definition_["type"] == "enumeration":
        allowed = [o["value"] for o in definition_["options"]]
        chosen = value.split(";") if definition_["fieldType"] == "checkbox" else [value]
        for item in chosen:
            if item not in allowed:
                return PropertyProblem(
                    name,
                    "INVALID_OPTION",
                    f"{item} was not one of the allowed options: [{', '.join(allowed)}]",
                )
    if definition_["type"] == "date":
        return _date_problem(name, value)
    return None
