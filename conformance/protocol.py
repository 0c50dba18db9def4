"""The client protocol's two files as JSON Schemas: the instructions the kit writes, the
results a client writes back.

The schemas ship in the package (`schemas/instructions.schema.json`,
`schemas/results.schema.json`, draft 2020-12) so a provider can validate their client's files
with any JSON Schema tool. `problem` names the first place a document breaks its schema, as
`results[2].outcome: 'ok' is not one of ['done', 'refused']`.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any, Literal

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

Kind = Literal["instructions", "results"]


@cache
def schema(kind: Kind) -> dict[str, Any]:
    """The JSON Schema of the instructions or the results file, as shipped in the package."""
    text = files("npq_conformance").joinpath("schemas", f"{kind}.schema.json").read_text()
    found: dict[str, Any] = json.loads(text)
    return found


def problem(kind: Kind, document: Any) -> str | None:
    """Where `document` first breaks the `kind` file's schema and how, or None if it is valid."""
    errors = sorted(Draft202012Validator(schema(kind)).iter_errors(document), key=_place)
    if not errors:
        return None
    first = best_match([errors[0]])  # descends into anyOf to the branch that came closest
    return f"{path(first)}: {first.message}"


def path(error: ValidationError) -> str:
    """The failing value's place, as `results[2].outcome` (`(top)` for the whole document)."""
    written = "".join(
        f"[{part}]" if isinstance(part, int) else f".{part}" for part in error.absolute_path
    )
    return written.removeprefix(".") or "(top)"


def _place(error: ValidationError) -> tuple[tuple[int, int | str], ...]:
    """Sort key: errors in document order (indices as numbers), shallow before deep."""
    return tuple((0, p) if isinstance(p, int) else (1, p) for p in error.absolute_path)
