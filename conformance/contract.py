"""Schemathesis against any implementation of the API (`npq-conformance contract`'s library).

The run drives schemathesis' engine in-process (examples, coverage, fuzzing and, by default,
the stateful phase along `openapi.yaml`'s links) with four response checks, and folds every
checked case into one result per operation, so the summary and the JUnit file name exactly the
operations that failed. Only the `/api/v3` operations run unless `--include-sandbox` is given:
the control plane under `/sandbox` is ours, a provider's stub will not have it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from npq_conformance.client import API_PREFIX, origin_of
from npq_conformance.report import Case, Suite

CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
)
# Long enough for a slow stub, short enough that a hung one cannot stall a CI job for ever.
REQUEST_TIMEOUT = 30.0


@dataclass(frozen=True)
class CheckFailure:
    """One check that failed on one operation, with a command that reproduces it."""

    check: str
    title: str
    message: str
    reproduce: str


@dataclass
class OperationResult:
    """What the run saw of one operation: how many cases were checked and what failed."""

    label: str
    cases: int = 0
    failures: list[CheckFailure] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        """Whether no check failed on this operation."""
        return not self.failures


@dataclass
class ContractReport:
    """Every operation the run exercised, by label (`METHOD /path`), plus run-wide errors."""

    base_url: str
    spec: Path
    operations: dict[str, OperationResult] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        """Whether every operation passed and the run had no errors."""
        return not self.errors and all(op.passed for op in self.operations.values())

    def operation(self, label: str) -> OperationResult:
        """The operation called `label`, added on first sight."""
        return self.operations.setdefault(label, OperationResult(label))


class UnusableTarget(Exception):
    """The URL or the spec cannot be used at all (a usage error, exit code 2)."""


def default_spec() -> Path:
    """Return the `openapi.yaml` shipped with the kit, found from any working directory."""
    shipped = Path(str(resources.files("npq_conformance") / "openapi.yaml"))
    # A checkout without symlink support holds the link's text instead of the spec: use the
    # repository's own file next to the package.
    if shipped.read_text(encoding="utf-8").startswith("openapi:"):
        return shipped
    return Path(__file__).resolve().parents[1] / "openapi.yaml"


def http_origin(base_url: str) -> str:
    """Return the URL the spec's `/api/v3/...` paths hang off (`--base-url` may end in /api/v3)."""
    if not base_url.startswith(("http://", "https://")):
        raise UnusableTarget(f"--base-url must be an http(s) URL, got {base_url!r}")
    return origin_of(base_url)


def check_reachable(origin: str) -> None:
    """Raise `UnusableTarget` unless something answers HTTP at `origin` (any status will do)."""
    import requests

    try:
        requests.get(f"{origin}{API_PREFIX}", timeout=10)
    except requests.RequestException as error:
        raise UnusableTarget(f"cannot reach {origin}: {error.__class__.__name__}") from error


@dataclass(frozen=True)
class ContractOptions:
    """How to run: the token, how hard to try, which phases and operations."""

    token: str
    max_examples: int = 20
    stateful: bool = True
    include_sandbox: bool = False
    seed: int | None = None


def run_contract(base_url: str, spec: Path, options: ContractOptions) -> ContractReport:
    """Run schemathesis against `base_url` and return one result per operation."""
    origin = http_origin(base_url)
    check_reachable(origin)
    report = ContractReport(origin, spec)
    for event in _engine(_schema(origin, spec, options)).execute():
        _record(report, event)
    return report


def _schema(origin: str, spec: Path, options: ContractOptions) -> Any:
    import schemathesis
    from schemathesis.core.errors import LoaderError

    try:
        schema = schemathesis.openapi.from_path(spec)
    except LoaderError as error:
        raise UnusableTarget(f"cannot load {spec}: {error}") from error
    config = schema.config
    config.update(
        base_url=origin,
        headers={"Authorization": f"Bearer {options.token}"},
        request_timeout=REQUEST_TIMEOUT,
    )
    # No example database: a seeded run repeats exactly instead of replaying past failures.
    config.generation.update(
        max_examples=options.max_examples, with_security_parameters=False, database="none"
    )
    config.checks.update(included_check_names=list(CHECKS))
    phases = ["examples", "coverage", "fuzzing"] + (["stateful"] if options.stateful else [])
    config.phases.update(phases=phases)
    if options.seed is not None:
        config.seed = options.seed
    return schema if options.include_sandbox else schema.include(path_regex=f"^{API_PREFIX}/")


def _engine(schema: Any) -> Any:
    from schemathesis.engine import from_schema

    return from_schema(schema)


def _record(report: ContractReport, event: Any) -> None:
    """Fold one engine event into the report: checked cases, failures and errors."""
    from schemathesis.engine import events

    if isinstance(event, events.ScenarioFinished | events.FuzzScenarioFinished):
        _record_scenario(report, event.recorder)
    elif isinstance(event, events.NonFatalError):
        label = event.label
        if event.related_to_operation:
            report.operation(label).failures.append(
                CheckFailure("error", event.info.title, event.info.message, "")
            )
        else:
            report.errors.append(f"{label}: {event.info.title}: {event.info.message}")
    elif isinstance(event, events.FatalError):
        report.errors.append(f"schemathesis stopped: {event.exception}")


def _record_scenario(report: ContractReport, recorder: Any) -> None:
    for case_id, node in recorder.cases.items():
        operation = report.operation(node.value.operation.label)
        operation.cases += 1
        for check in recorder.checks.get(case_id, []):
            info = check.failure_info
            if info is not None:
                failure = info.failure
                operation.failures.append(
                    CheckFailure(check.name, failure.title, failure.message or "", info.code_sample)
                )


def summary(report: ContractReport) -> str:
    """Render the report: one line per operation, then each failure once with a reproduction."""
    lines = [f"Contract of {report.spec.name} against {report.base_url}", ""]
    for op in sorted(report.operations.values(), key=lambda op: op.label):
        verdict = "passed" if op.passed else "FAILED"
        lines.append(f"  {verdict}  {op.label} ({op.cases} cases)")
    for op in sorted(report.operations.values(), key=lambda op: op.label):
        for failure in _distinct(op.failures):
            lines.append("")
            lines.append(f"{op.label}: {failure.check}: {failure.title}")
            lines.extend(f"    {line}" for line in failure.message.splitlines() if line.strip())
            if failure.reproduce:
                lines.append(f"    Reproduce with: {failure.reproduce}")
    lines.extend(f"\nError: {error}" for error in report.errors)
    failed = sum(not op.passed for op in report.operations.values())
    lines.append(f"\n{len(report.operations) - failed} operations passed, {failed} failed")
    return "\n".join(lines)


def _distinct(failures: list[CheckFailure]) -> list[CheckFailure]:
    """Keep the first failure of each (check, title): fuzzing finds the same fault many times."""
    seen: dict[tuple[str, str], CheckFailure] = {}
    for failure in failures:
        seen.setdefault((failure.check, failure.title), failure)
    return list(seen.values())


def junit_suite(report: ContractReport) -> Suite:
    """One testcase per operation (and one for run-wide errors), for `report.write_junit`."""
    cases = [
        Case(
            "contract",
            op.label,
            tuple(
                (f"{f.check}: {f.title}", f"{f.message}\n{f.reproduce}".strip())
                for f in _distinct(op.failures)
            ),
        )
        for op in sorted(report.operations.values(), key=lambda op: op.label)
    ]
    if report.errors:
        cases.append(Case("contract", "run", error="; ".join(report.errors)))
    return Suite("npq-conformance contract", tuple(cases))
