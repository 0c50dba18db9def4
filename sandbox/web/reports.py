"""/reports: the conformance kit's reports (`--report` JSON, `--html`) in `serve --reports DIR`.

Each file is read when the page is asked for, so a report dropped into the folder shows at
once. A file that is not a report of the kit is listed as unreadable, never served as one.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, render_template, send_from_directory

bp = Blueprint("web_reports", __name__)
EXTENSION = "npq_reports"
TITLE = re.compile(r"<title>npq-conformance: (.*?)</title>", re.S)
FAILED_SECTION = re.compile(r'<section id="[^"]*" class="failed">')


@dataclass(frozen=True)
class Report:
    """One report file: its name, when it was written, and its verdicts."""

    name: str
    modified: str
    passed: bool | None  # None: not a report the kit wrote
    summary: str
    scenarios: list[tuple[str, bool]]


def folder() -> Path | None:
    """The folder `serve --reports` named, if any."""
    found: Path | None = current_app.extensions.get(EXTENSION)
    return found


@bp.get("/reports")
def list_reports() -> str:
    where = folder()
    found = [] if where is None else [_read(p) for p in _files(where)]
    return render_template("web/reports.html", folder=where, reports=found)


@bp.get("/reports/<name>")
def show_report(name: str) -> Response:
    where = folder()
    if where is None or name not in {p.name for p in _files(where)}:
        abort(404)
    return send_from_directory(where, name)


def _files(where: Path) -> list[Path]:
    if not where.is_dir():
        return []
    found = [p for p in where.iterdir() if p.is_file() and p.suffix in (".json", ".html")]
    return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)


def _read(path: Path) -> Report:
    modified = datetime.fromtimestamp(path.stat().st_mtime, UTC).strftime("%Y-%m-%d %H:%M UTC")
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix == ".html":
        title = TITLE.search(text)
        passed = None if title is None else FAILED_SECTION.search(text) is None
        return Report(path.name, modified, passed, title[1] if title else "", [])
    try:
        document = json.loads(text)
        scenarios = [(str(s["name"]), bool(s["passed"])) for s in document["scenarios"]]
        return Report(
            path.name, modified, bool(document["passed"]), str(document["summary"]), scenarios
        )
    except (ValueError, KeyError, TypeError):
        return Report(path.name, modified, None, "", [])
