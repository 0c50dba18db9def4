"""Fixtures: the API's answers written to files, and such an export loaded back into a database.

An export directory holds, per lead provider (`<provider-slug>/`), every list endpoint's pages
exactly as the API serves them (`<endpoint>/page-0001.json`, default page size 100) and one
file per resource type with all of its records (`applications.json` ...). `_database/` holds
the raw table rows the answers were produced from: the API shows some stored values only in
part (an application's stored funding flag, training-status history, statement items), so
`load_fixtures` rebuilds the database from those rows, and exporting it again gives the same
bytes. `manifest.json` maps each page file to the request it answers. A snapshot
(`snapshot.http_reader`) reads the same pages from a running sandbox, without `_database/`.
"""

from __future__ import annotations

from npq_sandbox.exporting.endpoints import ReadFailed
from npq_sandbox.exporting.export import (
    FORMATS,
    MANIFEST,
    ExportOptions,
    export_fixtures,
    export_steps,
    find_providers,
    write_answers,
)
from npq_sandbox.exporting.loading import load_fixtures, load_steps
from npq_sandbox.exporting.snapshot import http_reader, providers_of
from npq_sandbox.exporting.tables import CorruptExport

__all__ = [
    "FORMATS",
    "MANIFEST",
    "CorruptExport",
    "ExportOptions",
    "ReadFailed",
    "export_fixtures",
    "export_steps",
    "find_providers",
    "http_reader",
    "load_fixtures",
    "load_steps",
    "providers_of",
    "write_answers",
]
