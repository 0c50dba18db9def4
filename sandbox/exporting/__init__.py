"""Fixtures: the API's answers written to files, and such an export loaded back into a database.

An export directory holds, per lead provider (`<provider-slug>/`), every list endpoint's pages
exactly as the API serves them (`<endpoint>/page-0001.json`, default page size 100) and one
file per resource type with all of its records (`applications.json` ...). `_database/` holds
the raw table rows the answers were produced from: the API shows some stored values only in
part (an application's stored funding flag, training-status history, statement items), so
`load_fixtures` rebuilds the database from those rows, and exporting it again gives the same
bytes.
"""

from __future__ import annotations

from npq_sandbox.exporting.export import (
    FORMATS,
    ExportOptions,
    export_fixtures,
    export_steps,
    find_providers,
)
from npq_sandbox.exporting.tables import CorruptExport, load_fixtures, load_steps

__all__ = [
    "FORMATS",
    "CorruptExport",
    "ExportOptions",
    "export_fixtures",
    "export_steps",
    "find_providers",
    "load_fixtures",
    "load_steps",
]
