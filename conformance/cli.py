"""The `npq-conformance` command: judge a provider's client, or an implementation of the API."""

from __future__ import annotations

import click

# Exit codes are part of the contract CI gates rely on.
EXIT_PASSED, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Conformance checks for DfE's NPQ Lead Provider API v3.

    `run` judges how a provider's own client handles DfE's business cases, scenario by
    scenario; `contract` checks any implementation of the API against openapi.yaml;
    `scenarios` lists the catalogue. Exit codes: 0 all passed, 1 something failed, 2 usage
    error or a client that cannot start.
    """
