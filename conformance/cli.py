"""The `npq-conformance` command: judge a provider's client, or an implementation of the API.

`run` and `scenarios` drive the runner and the catalogue, `contract` the schemathesis library
in `conformance.contract`; each command parses its options, calls the library and turns the
result into output and an exit code.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TypeVar

import click
from npq_conformance import contract, html, keep, preflight, report
from npq_conformance.audit import audit as audit_traffic
from npq_conformance.describe import describe
from npq_conformance.launch import local_sandbox
from npq_conformance.options import STRICT, WAIT, report_options
from npq_conformance.process import ClientCannotStart
from npq_conformance.runner import Outcome, Target, run_scenario
from npq_conformance.scenarios import (
    DEFAULT_PROVIDER,
    Scenario,
    ScenarioError,
    all_scenarios,
    load,
)
from npq_conformance.watch import watch as watch_command

# Exit codes are part of the contract CI gates rely on.
EXIT_PASSED, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
T = TypeVar("T")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Conformance checks for DfE's NPQ Lead Provider API v3.

    `watch` runs any command against a fresh sandbox and judges the traffic it sent (no
    adapter); `audit` judges what a token already sent to a running sandbox; `run` judges how
    a provider's own client handles DfE's business cases, scenario by scenario; `contract`
    checks any implementation of the API against openapi.yaml; `scenarios` lists the catalogue
    and `scenarios show NAME` one scenario. Exit codes: 0 all passed, 1 something failed, 2
    usage error, an unusable sandbox or a client that cannot start.
    """


@main.command()
@click.option(
    "--client",
    "command",
    required=True,
    metavar="CMD",
    help=(
        'The command that runs your client, e.g. "python my_client.py" (split like a '
        "shell does, run without one)."
    ),
)
@click.option(
    "--scenario",
    "names",
    multiple=True,
    metavar="NAME",
    help=(
        "Run only this scenario (repeatable). Default: every scenario; see "
        "`npq-conformance scenarios`."
    ),
)
@report_options
@click.option(
    "--keep",
    "keep_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help=(
        "Keep each run's instructions, results, stdout, stderr and journal in "
        "DIR/<scenario>/run-<n>/ (each scenario's folder is replaced)."
    ),
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=60.0,
    show_default=True,
    help=(
        "Seconds each run of the client may take; a client still running is killed and "
        "every verdict of the scenario fails."
    ),
)
@click.option(
    "--base-url",
    metavar="URL",
    help=(
        "Use a running sandbox (its root, e.g. http://127.0.0.1:8000) instead of starting "
        "one. Each scenario resets the token's provider."
    ),
)
@click.option(
    "--token",
    metavar="T",
    help="With --base-url: the provider token to run as (default: each scenario's own).",
)
@WAIT
def run(
    command: str,
    names: tuple[str, ...],
    junit_xml: Path | None,
    json_report: Path | None,
    html_file: Path | None,
    keep_dir: Path | None,
    timeout: float,
    base_url: str | None,
    token: str | None,
    wait: float,
) -> None:
    """Run your client against each scenario on a fresh sandbox and judge what it did.

    For each scenario the kit resets the sandbox, arranges the case, runs CMD with
    NPQ_API_BASE_URL, NPQ_API_TOKEN, NPQ_SCENARIO, NPQ_INSTRUCTIONS, NPQ_RESULTS, NPQ_RUN and
    (on a scenario's first run) NPQ_FRESH set, and judges the journal of its requests, its
    results file and the sandbox's final state.
    Exit status: 0 every verdict passed, 1 some failed, 2 usage error, a sandbox the kit
    cannot use (checked before any scenario) or a client that cannot start.
    """
    if token and not base_url:
        raise click.UsageError("--token needs --base-url")
    scenarios = _chosen(names, token)
    with _target(base_url) as target:
        try:
            preflight.check(target.root, [s.provider for s in scenarios], wait=wait)
            outcomes = [run_scenario(s, command, target, timeout) for s in scenarios]
        except (ClientCannotStart, preflight.Misconfigured) as error:
            click.echo(f"Error: {error}", err=True)
            raise SystemExit(EXIT_USAGE) from None
    _report(outcomes, junit_xml, json_report, html_file, keep_dir)
    raise SystemExit(EXIT_PASSED if all(o.passed for o in outcomes) else EXIT_FAILED)


def _chosen(names: tuple[str, ...], token: str | None) -> list[Scenario]:
    try:
        chosen = [load(n) for n in dict.fromkeys(names)] if names else all_scenarios()
    except ScenarioError as error:
        raise click.BadParameter(str(error), param_hint="--scenario") from None
    if token:
        chosen = [replace(s, provider=token) for s in chosen]
    return chosen


@contextlib.contextmanager
def _target(base_url: str | None) -> Iterator[Target]:
    if base_url:
        yield Target(base_url.rstrip("/").removesuffix("/api/v3"), owned=False)
        return
    with local_sandbox() as root:
        yield Target(root, owned=True)


def _report(
    outcomes: list[Outcome],
    junit_xml: Path | None,
    json_report: Path | None,
    html_file: Path | None,
    keep_dir: Path | None,
) -> None:
    kept = keep.keep(outcomes, keep_dir) if keep_dir else {}
    click.echo(report.text(outcomes, kept))
    if junit_xml:
        report.write_junit(report.run_suites(outcomes), junit_xml, "npq-conformance")
    if json_report:
        report.write_json(outcomes, json_report, kept)
    if html_file:
        html.write(outcomes, html_file, kept)


@main.group(invoke_without_command=True)
@click.pass_context
def scenarios(context: click.Context) -> None:
    """List the scenarios, one line each: name, then summary; `show NAME` shows one."""
    if context.invoked_subcommand is not None:
        return
    catalogue = all_scenarios()
    width = max((len(s.name) for s in catalogue), default=0)
    for scenario in catalogue:
        click.echo(f"{scenario.name.ljust(width)}  {scenario.summary}")


@scenarios.command("show")
@click.argument("name")
def show_scenario(name: str) -> None:
    """Show a scenario: its setup, the client's instructions run by run, what must come out."""
    try:
        scenario = load(name)
    except ScenarioError as error:
        raise click.BadParameter(str(error), param_hint="NAME") from None
    click.echo(describe(scenario))


@main.command("contract")
@click.option("--base-url", required=True, help="The implementation's URL (may end in /api/v3).")
@click.option("--token", required=True, help="A bearer token the implementation accepts.")
@click.option(
    "--spec",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The OpenAPI file to check against  [default: the kit's openapi.yaml]",
)
@click.option("--junit-xml", type=click.Path(dir_okay=False, path_type=Path), help="Write JUnit.")
@click.option("--max-examples", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--stateful/--no-stateful", default=True, show_default=True, help="Follow links.")
@click.option("--include-sandbox", is_flag=True, help="Also check the /sandbox control plane.")
@click.option("--seed", type=int, help="Seed the generator to repeat a run exactly.")
def check_contract(
    base_url: str,
    token: str,
    spec: Path | None,
    junit_xml: Path | None,
    max_examples: int,
    stateful: bool,
    include_sandbox: bool,
    seed: int | None,
) -> None:
    """Check an implementation of the API against openapi.yaml with schemathesis.

    Checks: no server error, status code, content type and response schema conformance.
    Exit codes: 0 every operation passed, 1 one failed, 2 usage error or unreachable URL.
    """
    options = contract.ContractOptions(token, max_examples, stateful, include_sandbox, seed)
    try:
        found = contract.run_contract(base_url, spec or contract.default_spec(), options)
    except contract.UnusableTarget as error:
        click.echo(f"Error: {error}", err=True)
        raise SystemExit(EXIT_USAGE) from None
    click.echo(contract.summary(found))
    if junit_xml is not None:
        report.write_junit([contract.junit_suite(found)], junit_xml, "npq-conformance")
    raise SystemExit(EXIT_PASSED if found.passed else EXIT_FAILED)


@main.command("audit")
@click.option(
    "--base-url",
    required=True,
    metavar="URL",
    help="The running sandbox (its root, e.g. http://127.0.0.1:8000, or its /api/v3 URL).",
)
@click.option(
    "--token", required=True, metavar="T", help="The provider token whose traffic to judge."
)
@click.option(
    "--since",
    metavar="TIMESTAMP",
    help="Judge only requests from this instant on (RFC 3339 with a zone: 2026-12-01T09:00:00Z).",
)
@WAIT
@report_options
@STRICT
def audit_command(
    base_url: str,
    token: str,
    since: str | None,
    wait: float,
    junit_xml: Path | None,
    json_report: Path | None,
    html_file: Path | None,
    strict: bool,
) -> None:
    """Judge what a provider's token sent to a running sandbox, from its journal alone.

    Reads every journaled request of the token (from --since) and gives the traffic verdicts:
    reads-every-page, incremental-sync, honours-retry-after, no-retry-storm,
    looks-up-after-lost-response, respects-410, no-accept-after-rejected and requests-valid;
    then the guidance findings (guidance-...), warnings unless --strict. Nothing is reset.
    Exit status: 0 every verdict passed (warnings allowed), 1 some failed, 2 usage error or a
    sandbox the kit cannot use.
    """
    if since is not None:
        _check_instant(since)
    root = base_url.rstrip("/").removesuffix("/api/v3")
    try:
        preflight.check(root, [token], wait=wait)
        outcome = audit_traffic(root, token, since=since, strict=strict, progress=_progress)
    except (preflight.Misconfigured, ScenarioError) as error:
        click.echo(f"Error: {error}", err=True)
        raise SystemExit(EXIT_USAGE) from None
    _report([outcome], junit_xml, json_report, html_file, None)
    raise SystemExit(EXIT_PASSED if outcome.passed else EXIT_FAILED)


@contextlib.contextmanager
def _progress(
    label: str, items: Iterable[T], show: Callable[[T | None], str | None]
) -> Iterator[Iterable[T]]:
    """A progress bar on stderr, so the report on stdout stays the same."""
    with click.progressbar(items, label=label, file=sys.stderr, item_show_func=show) as bar:
        yield bar


def _check_instant(value: str) -> None:
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise click.BadParameter(
            f"{value!r} is not an RFC 3339 instant with a zone, e.g. 2026-12-01T09:00:00Z",
            param_hint="--since",
        )


@main.command("watch")
@click.option(
    "--client",
    "command",
    required=True,
    metavar="CMD",
    help=(
        'The command to watch, e.g. "pytest tests/integration" or "bin/rails runner Sync.run" '
        "(split like a shell does, run without one)."
    ),
)
@click.option(
    "--token",
    default=DEFAULT_PROVIDER,
    show_default=True,
    metavar="T",
    help="The provider token the command is given (NPQ_API_TOKEN); see `npq-sandbox tokens`.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=600.0,
    show_default=True,
    help="Seconds the command may take; one still running is stopped and fails command-finished.",
)
@report_options
@STRICT
def watch(
    command: str,
    token: str,
    timeout: float,
    junit_xml: Path | None,
    json_report: Path | None,
    html_file: Path | None,
    strict: bool,
) -> None:
    """Run CMD against a fresh sandbox, then judge what it sent: the first step, no adapter.

    Starts a seeded sandbox on a free loopback port, runs CMD once with NPQ_API_BASE_URL (ending
    in /api/v3) and NPQ_API_TOKEN set, then audits its traffic as `audit` does. CMD's exit status
    is not judged (a non-zero one shows the end of its stderr). Exit status: 0 every verdict
    passed (warnings allowed), 1 some failed, 2 usage error or a command that cannot start.
    """
    try:
        outcome = watch_command(command, token, timeout=timeout, strict=strict, progress=_progress)
    except (ClientCannotStart, preflight.Misconfigured, ScenarioError) as error:
        click.echo(f"Error: {error}", err=True)
        raise SystemExit(EXIT_USAGE) from None
    _report([outcome], junit_xml, json_report, html_file, None)
    raise SystemExit(EXIT_PASSED if outcome.passed else EXIT_FAILED)
