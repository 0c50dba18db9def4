"""Options that several `npq-conformance` commands share."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click


def report_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The report options `run`, `audit` and `watch` share."""
    options = [
        click.option(
            "--junit-xml",
            type=click.Path(dir_okay=False, path_type=Path),
            help="Also write a JUnit XML report: a testsuite per scenario, a testcase per verdict.",
        ),
        click.option(
            "--report",
            "json_report",
            type=click.Path(dir_okay=False, path_type=Path),
            help="Also write the report as JSON, every failure with its requests and answers.",
        ),
        click.option(
            "--html",
            "html_file",
            type=click.Path(dir_okay=False, path_type=Path),
            help=(
                "Also write the report as one self-contained HTML page, with the requests and "
                "answers behind each failure."
            ),
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


WAIT = click.option(
    "--wait",
    type=click.FloatRange(min=0),
    default=0.0,
    metavar="S",
    help="Wait up to S seconds for the sandbox to accept connections (a container starting).",
)
STRICT = click.option(
    "--strict",
    is_flag=True,
    help="Fail on guidance findings (DfE's data-state rules), not only warn.",
)
