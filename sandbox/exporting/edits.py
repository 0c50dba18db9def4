"""Edits made to an export's per-resource files, found by comparing them with the API's answers.

A person shaping a demo changes plain attributes in `<provider>/<resource>.json` (or `.yaml`):
names, e-mails, TRNs, a school's URN or UKPRN, an employer, a delivery partner's name. Each
such change becomes one column of one row. What the API computes (ids, states, timestamps,
statement links, counts) cannot be edited: `load` refuses it, naming the file, the record and
the attribute, rather than silently keep the stored value.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from npq_sandbox.domain.reference import LEAD_PROVIDERS, LeadProvider
from npq_sandbox.exporting.endpoints import ENDPOINTS, Endpoint, Reader, pages


class RefusedEdit(ValueError):
    """An edit `load` cannot apply; the message names the file, record and attribute."""


@dataclass(frozen=True)
class Target:
    """Where an editable attribute is stored: a table's column, in the row a key names."""

    table: str
    key: str  # the record's attribute holding the row's id ("id": the record's own)
    column: str
    only_when_shown: bool = False  # a TRN is shown only once validated


@dataclass(frozen=True)
class Edit:
    """One column of one row to set, and where in the export the change was made."""

    table: str
    row: str
    column: str
    value: str | None
    where: str


_PERSON = "participants"
EDITABLE: dict[str, dict[str, Target]] = {
    "applications": {
        "full_name": Target(_PERSON, "participant_id", "full_name"),
        "email": Target(_PERSON, "participant_id", "email"),
        "teacher_reference_number": Target(_PERSON, "participant_id", "trn", True),
        **{
            name: Target("applications", "id", name)
            for name in (
                "school_urn",
                "school_ukprn",
                "employer_name",
                "employment_role",
                "private_childcare_provider_urn",
                "itt_provider",
            )
        },
    },
    "participants": {
        "full_name": Target(_PERSON, "id", "full_name"),
        "teacher_reference_number": Target(_PERSON, "id", "trn", True),
        "npq_enrolments.*.email": Target(_PERSON, "id", "email"),
        "npq_enrolments.*.school_urn": Target(
            "applications", "npq_enrolments.*.npq_application_id", "school_urn"
        ),
    },
    "declarations": {
        "delivery_partner_name": Target("delivery_partners", "delivery_partner_id", "name"),
        "secondary_delivery_partner_name": Target(
            "delivery_partners", "secondary_delivery_partner_id", "name"
        ),
    },
    "delivery-partners": {"name": Target("delivery_partners", "id", "name")},
}
_REQUIRED = {("participants", "full_name"), ("delivery_partners", "name")}


def edited_files(source: Path) -> list[tuple[LeadProvider, Endpoint, Path]]:
    """Return each per-resource file of the export (JSON or YAML), by provider and endpoint."""
    found = []
    for provider in LEAD_PROVIDERS:
        for endpoint in ENDPOINTS:
            for suffix in ("json", "yaml"):
                path = source / provider.slug / f"{endpoint.resource}.{suffix}"
                if path.is_file():
                    found.append((provider, endpoint, path))
    return found


def find_edits(
    read: Reader,
    source: Path,
    files: list[tuple[LeadProvider, Endpoint, Path]],
    progress: Callable[[int], None],
) -> list[Edit]:
    """Compare each file with what the API answers now; return the edits, or refuse one."""
    edits: dict[tuple[str, str, str], Edit] = {}
    for provider, endpoint, path in files:
        progress(1)
        answered = [item for page in pages(read, provider.token, endpoint) for item in page.items()]
        name = str(path.relative_to(source))
        for edit in _file_edits(name, endpoint.resource, _records(path), answered):
            _keep(edits, edit)
    return list(edits.values())


def _keep(edits: dict[tuple[str, str, str], Edit], edit: Edit) -> None:
    """Keep an edit; the same value edited twice to different values is refused."""
    key = (edit.table, edit.row, edit.column)
    earlier = edits.setdefault(key, edit)
    if earlier.value != edit.value:
        raise RefusedEdit(
            f"{edit.where} is {edit.value!r} but {earlier.where} is {earlier.value!r}: "
            "they are the same stored value; give both the same"
        )


def _records(path: Path) -> list[Any]:
    """Read a resource file's records; a file that is not one is refused."""
    try:
        text = path.read_text(encoding="utf-8")
        document = json.loads(text) if path.suffix == ".json" else _yaml(text)
    except ValueError as error:  # JSON, YAML and UTF-8 errors
        raise RefusedEdit(f"{path}: not readable ({str(error).splitlines()[0]})") from None
    data = document.get("data") if isinstance(document, dict) else None
    if not isinstance(data, list) or not all(isinstance(r, dict) and "id" in r for r in data):
        raise RefusedEdit(f'{path}: not a resource file ({{"data": [records with an id]}})')
    return data


def _yaml(text: str) -> Any:
    import yaml

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise ValueError(str(error)) from None


def _file_edits(
    name: str, resource: str, written: list[Any], answered: list[Any]
) -> Iterator[Edit]:
    by_id = {record["id"]: record for record in answered}
    ids = [record["id"] for record in written]
    for missing in [i for i in by_id if i not in ids]:
        raise RefusedEdit(f"{name}: record {missing} was removed; records cannot be removed")
    for record in written:
        if record["id"] not in by_id:
            raise RefusedEdit(
                f"{name}: record {record['id']} is not in _database; records cannot be added"
            )
        yield from _record_edits(name, resource, record, by_id[record["id"]])


def _record_edits(name: str, resource: str, record: Any, answered: Any) -> Iterator[Edit]:
    written, shown = _flat(record), _flat(answered)
    for path in dict.fromkeys([*shown, *written]):
        if written.get(path, _ABSENT) == shown.get(path, _ABSENT):
            continue
        where = f"{name}: record {record['id']}: attribute {path}"
        target = EDITABLE.get(resource, {}).get(re.sub(r"\.\d+\.", ".*.", path))
        if target is None or path not in written or path not in shown:
            raise RefusedEdit(f"{where} is computed by the API and cannot be edited")
        yield _edit(where, target, path, written[path], shown, answered)


def _edit(
    where: str, target: Target, path: str, value: Any, shown: dict[str, Any], answered: Any
) -> Edit:
    if not (isinstance(value, str) or value is None) or (
        value in (None, "") and (target.table, target.column) in _REQUIRED
    ):
        raise RefusedEdit(f"{where} must be text")
    if target.only_when_shown and shown[path] is None:
        raise RefusedEdit(f"{where} is shown only once validated and cannot be edited here")
    key_path = target.key.replace("*", path.split(".")[1]) if "*" in target.key else target.key
    row = answered["id"] if key_path == "id" else shown.get(key_path)
    if row is None:
        raise RefusedEdit(f"{where} names no stored record, so there is nothing to edit")
    return Edit(target.table, str(row), target.column, value, where)


_ABSENT = object()


def _flat(record: Any) -> dict[str, Any]:
    """A record by dotted path (`npq_enrolments.0.email`, attributes unprefixed); lists whole."""
    flat: dict[str, Any] = {"id": record.get("id"), "type": record.get("type")}
    flat.update(_walk(record.get("attributes"), ""))
    return flat


def _walk(value: Any, prefix: str) -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict) and value:
        for key, inner in value.items():
            yield from _walk(inner, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(value, list) and any(isinstance(v, dict | list) for v in value):
        for index, inner in enumerate(value):
            yield from _walk(inner, f"{prefix}.{index}")
    else:
        yield prefix, value
