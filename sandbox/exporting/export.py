"""Exporting every provider's view of the API to a directory of files."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from npq_sandbox.app import create_app
from npq_sandbox.domain.reference import LEAD_PROVIDERS, LeadProvider, find_provider
from npq_sandbox.exporting.endpoints import (
    API,
    ENDPOINTS,
    Endpoint,
    Page,
    Reader,
    client_reader,
    pages,
)
from npq_sandbox.exporting.formats import FORMATS, as_csv, as_json, as_yaml
from npq_sandbox.exporting.tables import TABLE_STEPS, dump_tables
from npq_sandbox.settings import Settings
from npq_sandbox.store.db import Database

__all__ = [
    "FORMATS",
    "MANIFEST",
    "ExportOptions",
    "export_fixtures",
    "export_steps",
    "find_providers",
    "write_answers",
]

Progress = Callable[[int], None]
MANIFEST = "manifest.json"
# File (relative to the export) -> the request it answers.
Manifest = dict[str, dict[str, Any]]


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


def export_steps(options: ExportOptions, *, tables: bool = True) -> int:
    """Return the sum of the steps `export_fixtures` (or, without tables, a snapshot) reports."""
    return len(options.chosen()) * len(ENDPOINTS) + (TABLE_STEPS if tables else 0)


def export_fixtures(
    db: Database, out: Path, options: ExportOptions, progress: Progress | None = None
) -> int:
    """Write the export of `db` into the empty or missing directory `out`; return files written."""
    report = progress or (lambda _steps: None)
    client = create_app(Settings(database=db, testing=True)).test_client()
    written = write_answers(client_reader(client), out, options, report)
    return written + dump_tables(db, out / "_database", report)


def write_answers(read: Reader, out: Path, options: ExportOptions, progress: Progress) -> int:
    """Write each chosen provider's pages, resource files and the manifest; return files written.

    The tokens are the providers' own, so `read` may be an app in this process or a server.
    """
    manifest: Manifest = {}
    written = 0
    for provider in options.chosen():
        for endpoint in ENDPOINTS:
            found = _export_endpoint(read, provider, endpoint, out, options)
            written += found[0]
            manifest.update(found[1])
            progress(1)
    if options.format == "csv":
        return written
    return written + _write(out / MANIFEST, _manifest(manifest))


def _export_endpoint(
    read: Reader, provider: LeadProvider, endpoint: Endpoint, out: Path, options: ExportOptions
) -> tuple[int, Manifest]:
    answered = list(pages(read, provider.token, endpoint))
    items = [item for page in answered for item in page.items()]
    folder = out / provider.slug
    if options.format == "csv":
        return _write(folder / f"{endpoint.resource}.csv", as_csv(items)), {}
    manifest: Manifest = {}
    for number, page in enumerate(answered, start=1):
        name = f"{provider.slug}/{endpoint.folder}/page-{number:04d}.{options.format}"
        body = page.body if options.format == "json" else as_yaml(json.loads(page.body))
        _write(out / name, body)
        manifest[name] = _request(page, provider)
    resource = _write(folder / f"{endpoint.resource}.{options.format}", _all(items, options))
    return len(answered) + resource, manifest


def _request(page: Page, provider: LeadProvider) -> dict[str, Any]:
    """The request a file answers, as a mock server would match it."""
    return {
        "method": "GET",
        "path": f"{API}{page.path}",
        "query": page.query,
        "authorization": f"Bearer {provider.token}",
    }


def _manifest(manifest: Manifest) -> bytes:
    """One file per line, in the order written, so diffs show files."""
    lines = ",\n".join(f"{json.dumps(k)}: {json.dumps(v)}" for k, v in manifest.items())
    return ('{"files": {\n' + lines + "\n}}\n").encode()


def _all(items: list[Any], options: ExportOptions) -> bytes:
    return as_json(items) if options.format == "json" else as_yaml({"data": items})


def _write(path: Path, content: bytes) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return 1
