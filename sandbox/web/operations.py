"""The control plane's operations, one list: each becomes a control on the dashboard.

An operation is its method and path template; its label and its fields come from the contract
(`openapi.yaml`: the summary, the path's parameters, the body's `data.attributes`), so a form
asks for exactly what the API takes. A form's values become the API's body here; whatever they
are, the API judges them, and its refusal is what the form shows.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from npq_sandbox.web import contract

PARAMETER = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Field:
    """One input of an operation's form: a path parameter or one of the body's attributes."""

    name: str
    kind: str  # path, text, integer, number, boolean, choice, list
    choices: tuple[str, ...] = ()
    numeric: bool = False  # a choice among numbers (a fault's status)
    description: str = ""
    example: str = ""

    def value(self, given: str) -> Any:
        """The attribute's JSON value for what the form gave (a non-number stays text)."""
        if self.kind == "boolean":
            return given == "true"
        if self.kind in ("integer", "number") or self.numeric:
            return _number(given)
        if self.kind == "list":
            return [part.strip() for part in given.split(",") if part.strip()]
        return given


@dataclass(frozen=True)
class Operation:
    """A control-plane route the dashboard has a control for."""

    method: str
    path: str  # the contract's template, e.g. /sandbox/faults/{id}
    group: str
    admin: bool = False  # takes the administrator's token, not the provider's

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def slug(self) -> str:
        words = re.sub(r"[^a-z0-9]+", "-", f"{self.method} {self.path}".lower().replace("{", ""))
        return words.strip("-")

    @property
    def label(self) -> str:
        summary = str(contract.operation(self.method, self.path).get("summary", self.key))
        return summary.removesuffix(" (sandbox only)")

    @property
    def reads(self) -> bool:
        return self.method == "GET"

    @property
    def takes_body(self) -> bool:
        return "requestBody" in contract.operation(self.method, self.path)

    def fields(self) -> tuple[Field, ...]:
        """The form's inputs: path parameters first, then the body's attributes."""
        path = tuple(Field(name, "path") for name in PARAMETER.findall(self.path))
        schema = contract.attributes_schema(self.method, self.path)
        return path + tuple(_field(name, spec) for name, spec in schema.items())

    def request(self, form: Mapping[str, str]) -> tuple[str, dict[str, Any] | None]:
        """The path and the attributes to send for a submitted form (blank fields left out)."""
        path = PARAMETER.sub(lambda m: quote(form.get(m[1], "").strip(), safe=""), self.path)
        if not self.takes_body:
            return path, None
        attributes = {
            f.name: f.value(form[f.name].strip())
            for f in self.fields()
            if f.kind != "path" and form.get(f.name, "").strip()
        }
        return path, attributes


GROUPS = {
    "dfe": "DfE's side",
    "clock": "The provider's clock",
    "faults": "Faults",
    "contracts": "Contracts",
    "journal": "The journal",
    "resets": "Resets",
    # Shown on the page of the record they act on (its id given), not on the overview.
    "participant": "DfE's admin operations on this person",
    "application": "DfE's admin operations on this application",
    "statement": "A statement's dates",
}
RECORD_GROUPS = {"participant", "application", "statement"}

OPERATIONS = (
    Operation("POST", "/sandbox/npq-applications", "dfe"),
    Operation("PUT", "/sandbox/participant-declarations/{id}/state", "dfe"),
    Operation("PUT", "/sandbox/statements/{id}/mark-payable", "dfe"),
    Operation("PUT", "/sandbox/statements/{id}/mark-paid", "dfe"),
    Operation("PUT", "/sandbox/statements/{id}/dates", "statement"),
    Operation("PUT", "/sandbox/participants/{id}", "participant"),
    Operation("POST", "/sandbox/participants/{id}/archive", "participant"),
    Operation("POST", "/sandbox/participants/merge", "participant"),
    Operation("PUT", "/sandbox/npq-applications/{id}/eligibility", "application"),
    Operation("PUT", "/sandbox/npq-applications/{id}/cohort", "application"),
    Operation("PUT", "/sandbox/npq-applications/{id}/training-status", "application"),
    Operation("POST", "/sandbox/npq-applications/{id}/revert-to-pending", "application"),
    Operation("POST", "/sandbox/npq-applications/{id}/transfer", "application"),
    Operation("GET", "/sandbox/contracts", "contracts"),
    Operation("POST", "/sandbox/contracts", "contracts"),
    Operation("DELETE", "/sandbox/contracts/{cohort}/{course_identifier}", "contracts"),
    Operation("GET", "/sandbox/clock", "clock"),
    Operation("PUT", "/sandbox/clock", "clock"),
    Operation("POST", "/sandbox/clock/advance", "clock"),
    Operation("DELETE", "/sandbox/clock", "clock"),
    Operation("POST", "/sandbox/faults", "faults"),
    Operation("GET", "/sandbox/faults", "faults"),
    Operation("DELETE", "/sandbox/faults/{id}", "faults"),
    Operation("DELETE", "/sandbox/faults", "faults"),
    Operation("GET", "/sandbox/journal", "journal"),
    Operation("DELETE", "/sandbox/journal", "journal"),
    Operation("POST", "/sandbox/reset", "resets"),
    Operation("POST", "/sandbox/reset-all", "resets", admin=True),
)
BY_SLUG = {o.slug: o for o in OPERATIONS}
BY_KEY = {o.key: o for o in OPERATIONS}


def in_group(group: str) -> list[Operation]:
    """The operations shown together under one heading, in the list's order."""
    return [o for o in OPERATIONS if o.group == group]


def _field(name: str, spec: Mapping[str, Any]) -> Field:
    kinds = {spec.get("type")} | {contract.resolve(s).get("type") for s in spec.get("oneOf", [])}
    example = "" if spec.get("example") is None else json.dumps(spec["example"]).strip('"')
    description = str(spec.get("description", "")).strip()
    if spec.get("enum"):
        numeric = all(isinstance(v, int) for v in spec["enum"])
        choices = tuple(str(v) for v in spec["enum"])
        return Field(name, "choice", choices, numeric, description, example)
    if kinds == {"boolean"} or kinds == {"boolean", None}:
        return Field(name, "boolean", description=description, example=example)
    kind = next((k for k in ("array", "number", "integer") if kinds == {k}), "text")
    kind = "list" if kind == "array" else kind
    return Field(name, kind, description=description, example=example)


def _number(given: str) -> Any:
    for parse in (int, float):
        try:
            return parse(given)
        except ValueError:
            continue
    return given  # not a number: sent as it is, for the API to refuse in its own words
