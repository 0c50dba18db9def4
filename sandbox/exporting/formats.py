"""Writing resources as JSON, YAML or flat CSV, always the same bytes for the same data."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

FORMATS = ("json", "yaml", "csv")
Json = dict[str, Any]


def as_json(resources: list[Json]) -> bytes:
    """The API's envelope around every resource, one per line, so diffs show records."""
    lines = ",\n".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in resources)
    return ('{"data":[\n' + lines + "\n]}\n").encode()


def as_yaml(document: Any) -> bytes:
    import yaml  # only YAML exports need it

    text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, default_flow_style=False)
    return text.encode()


def as_csv(resources: list[Json]) -> bytes:
    """One row per resource; nested attributes become dotted columns, scalar lists joined."""
    rows = [flatten({"id": r["id"], "type": r["type"], **r["attributes"]}) for r in resources]
    columns = _columns(rows)
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def _columns(rows: list[dict[str, str]]) -> list[str]:
    """Every key in first-seen order, less those always blank that others nest under."""
    keys = list(dict.fromkeys(key for row in rows for key in row))
    nested = {key.rsplit(".", 1)[0] for key in keys if "." in key}
    nested |= {p for key in nested for p in _prefixes(key)}
    return [k for k in keys if k not in nested or any(row.get(k) for row in rows)]


def _prefixes(key: str) -> list[str]:
    parts = key.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def flatten(value: Any, prefix: str = "") -> dict[str, str]:
    """Flatten nested dicts and lists into `a.b` / `a.0.b` columns of text."""
    if isinstance(value, dict):
        return _merge(flatten(v, f"{prefix}{k}.") for k, v in value.items())
    if isinstance(value, list) and any(isinstance(v, dict | list) for v in value):
        return _merge(flatten(v, f"{prefix}{i}.") for i, v in enumerate(value))
    if isinstance(value, list):
        return {prefix[:-1]: ";".join(_text(v) for v in value)}
    return {prefix[:-1]: _text(value)}


def _merge(parts: Any) -> dict[str, str]:
    merged: dict[str, str] = {}
    for part in parts:
        merged.update(part)
    return merged


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
