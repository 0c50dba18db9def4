"""The conformance kit for DfE's NPQ Lead Provider API v3: its public face.

Judge a provider's client scenario by scenario (`run_scenario`, or `prepare` then `verdicts`
around the provider's own code), start a sandbox (`local_sandbox`) and speak to it
(`SandboxClient`, `LiveSandbox`), or check any implementation of the API against openapi.yaml
(`run_contract`). `npq-conformance` (`conformance.cli`) and the pytest plugin
(`conformance.plugin`) are built from these.

Names are imported on first use: the pytest plugin lives in this package and is loaded by every
pytest run where the kit is installed, which must not pay for the sandbox or `requests`.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from npq_conformance.client import SandboxClient, SandboxRefused
    from npq_conformance.contract import (
        CheckFailure,
        ContractOptions,
        ContractReport,
        OperationResult,
        UnusableTarget,
        run_contract,
    )
    from npq_conformance.judging import Verdict, judge
    from npq_conformance.launch import local_sandbox, serving
    from npq_conformance.live import LiveSandbox
    from npq_conformance.plugin import NpqSandboxConfig
    from npq_conformance.preflight import Misconfigured
    from npq_conformance.process import ClientCannotStart, ClientReport
    from npq_conformance.report import Case, Suite, write_junit
    from npq_conformance.runner import (
        Outcome,
        Prepared,
        RunRecord,
        Target,
        prepare,
        run_scenario,
        verdicts,
    )
    from npq_conformance.scenarios import Run, Scenario, ScenarioError, Step, all_scenarios, load

__all__ = [
    "Case",
    "CheckFailure",
    "ClientCannotStart",
    "ClientReport",
    "ContractOptions",
    "ContractReport",
    "LiveSandbox",
    "Misconfigured",
    "NpqSandboxConfig",
    "OperationResult",
    "Outcome",
    "Prepared",
    "Run",
    "RunRecord",
    "SandboxClient",
    "SandboxRefused",
    "Scenario",
    "ScenarioError",
    "Step",
    "Suite",
    "Target",
    "UnusableTarget",
    "Verdict",
    "all_scenarios",
    "judge",
    "load",
    "local_sandbox",
    "prepare",
    "run_contract",
    "run_scenario",
    "serving",
    "verdicts",
    "write_junit",
]

# The module each public name lives in.
HOMES = {
    "client": ("SandboxClient", "SandboxRefused"),
    "contract": (
        "CheckFailure",
        "ContractOptions",
        "ContractReport",
        "OperationResult",
        "UnusableTarget",
        "run_contract",
    ),
    "judging": ("Verdict", "judge"),
    "launch": ("local_sandbox", "serving"),
    "live": ("LiveSandbox",),
    "plugin": ("NpqSandboxConfig",),
    "preflight": ("Misconfigured",),
    "report": ("Case", "Suite", "write_junit"),
    "process": ("ClientCannotStart", "ClientReport"),
    "runner": (
        "Outcome",
        "Prepared",
        "RunRecord",
        "Target",
        "prepare",
        "run_scenario",
        "verdicts",
    ),
    "scenarios": ("Run", "Scenario", "ScenarioError", "Step", "all_scenarios", "load"),
}


def __getattr__(name: str) -> Any:
    """Import a public name from its module on first use."""
    home = next((module for module, names in HOMES.items() if name in names), None)
    if home is None:
        raise AttributeError(f"module 'npq_conformance' has no attribute {name!r}")
    return getattr(import_module(f"npq_conformance.{home}"), name)
