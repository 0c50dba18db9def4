"""Exporting every provider's view of the API to a directory of files."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask.testing import FlaskClient
from npq_sandbox.app import create_app
from npq_sandbox.domain.reference import LEAD_PROVIDERS, LeadProvider, find_provider
from npq_sandbox.exporting.endpoints import ENDPOINTS, Endpoint, pages
from npq_sandbox.exporting.formats import FORMATS, as_csv, as_json, as_yaml
from npq_sandbox.exporting.tables import TABLE_STEPS, dump_tables
from npq_sandbox.settings import Settings
from npq_sandbox.store.db import Database

__all__ = ["FORMATS", "ExportOptions", "export_fixtures", "export_steps", "find_providers"]

Progress = Callable[[int], None]


@dataclass(frozen=True)
class ExportOptions:
    """What to export: the file format and which providers (all when empty)."""

    format: str = "json"
    providers: Sequence[LeadProvider] = field(default_factory=tuple)

    def chosen(self) -> Sequence[LeadProvider]:
        return self.providers or LEAD_PROVIDERS


def find_providers(names: Sequence[str]) -> list[LeadProvider]:
    """Find each named provider (see `find_provider`), once each; raise on an unknown."""
    return list(dict.fromkeys(find_provider(name) for name in names))


def export_steps(options: ExportOptions) -> int:
    """Return the sum of the steps `export_fixtures` reports."""
    return len(options.chosen()) * len(ENDPOINTS) + TABLE_STEPS


def export_fixtures(
    db: Database, out: Path, options: ExportOptions, progress: Progress | None = None
) -> int:
    """Write the export of `db` into the empty or missing directory `out`; return files written."""
    report = progress or (lambda _steps: None)
    client = create_app(Settings(database=db, testing=True)).test_client()
    written = 0
    for provider in options.chosen():
        for endpoint in ENDPOINTS:
            written += _export_endpoint(client, provider, endpoint, out / provider.slug, options)
            report(1)
    return written + dump_tables(db, out / "_database", report)


def _export_endpoint(
    client: FlaskClient,
    provider: LeadProvider,
    endpoint: Endpoint,
    out: Path,
    options: ExportOptions,
) -> int:
    bodies = list(pages(client, provider, endpoint))
    items = [item for body in bodies for item in json.loads(body)["data"]]
    if options.format == "csv":
        return _write(out / f"{endpoint.resource}.csv", as_csv(items))
    folder = out / endpoint.folder
    for number, body in enumerate(bodies, start=1):
        page = body if options.format == "json" else as_yaml(json.loads(body))
        _write(folder / f"page-{number:04d}.{options.format}", page)
    return len(bodies) + _write(out / f"{endpoint.resource}.{options.format}", _all(items, options))


def _all(items: list[Any], options: ExportOptions) -> bytes:
    return as_json(items) if options.format == "json" else as_yaml({"data": items})


def _write(path: Path, content: bytes) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return 1
