"""The protocol's files as JSON Schemas: what they accept, how a break is named, who uses them."""

from __future__ import annotations

import json
import re
import shlex
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from npq_conformance import protocol
from npq_conformance.client import SandboxClient
from npq_conformance.launch import local_sandbox
from npq_conformance.process import ClientRun
from npq_conformance.runner import prepare, starting_values
from npq_conformance.scenarios import Scenario, all_scenarios, substitute
from npq_sandbox import ADMIN_TOKEN

ROOT = Path(__file__).parents[2]
README = (ROOT / "README.md").read_text()
DONE = {"id": "1", "outcome": "done"}


def results(*found: object, **view: object) -> dict[str, object]:
    return {"results": list(found), "view": view}


@pytest.mark.parametrize(
    "document",
    [
        results(DONE),
        results(DONE, {"id": "2", "outcome": "done", "record": None}),
        results({"id": "2", "outcome": "refused", "error": "No", "record": {"id": "a", "x": 1}}),
        results({"id": "2", "outcome": "refused", "error": ["One", "Two"]}),
        results(DONE, participants={"p": "active"}, declarations={"d": "voided"}),
        results(DONE, participants={"p": {"npq-headship": "withdrawn", "npq-senco": "active"}}),
        {"results": [], "comment": "members the protocol does not name are ignored"},
    ],
)
def test_the_results_schema_accepts_what_the_readme_allows(document: object) -> None:
    assert protocol.problem("results", document) is None


@pytest.mark.parametrize(
    ("document", "named"),
    [
        (
            results(DONE, DONE, {"id": "3", "outcome": "ok"}),
            "results[2].outcome: 'ok' is not one of ['done', 'refused']",
        ),
        ({"view": {}}, "(top): 'results' is a required property"),
        (results({"outcome": "done"}), "results[0]: 'id' is a required property"),
        (results({"id": 1, "outcome": "done"}), "results[0].id: 1 is not of type 'string'"),
        (
            results({"id": "1", "outcome": "done", "record": {"state": None}}),
            "results[0].record.state: None is not of type 'string'",
        ),
        (
            results(DONE, applications={"a": ["accepted"]}),
            "view.applications.a: ['accepted'] is not of type 'string'",
        ),
    ],
)
def test_a_break_is_named_by_its_first_path(document: object, named: str) -> None:
    assert protocol.problem("results", document) == named


def test_a_results_file_that_breaks_the_schema_is_the_run_s_problem(tmp_path: Path) -> None:
    bad = json.dumps(results(DONE, {"id": "2", "outcome": "ok"}))
    code = f"import os; open(os.environ['NPQ_RESULTS'], 'w').write({bad!r})"
    command = shlex.join([sys.executable, "-c", code])
    report = ClientRun(command, tmp_path / "run", timeout=10).run(
        [], scenario="x", base_url="http://127.0.0.1:9", token="t"
    )
    assert report.results is None
    assert report.problem == (
        "the results file breaks the protocol's schema at "
        "results[1].outcome: 'ok' is not one of ['done', 'refused']"
    )


def test_the_readme_examples_follow_the_schemas() -> None:
    instructions, written = [
        json.loads(block) for block in re.findall(r"```json\n(.*?)```", README, re.S)[:2]
    ]
    assert protocol.problem("instructions", instructions) is None
    assert protocol.problem("results", written) is None


def test_the_readme_links_both_schemas_to_the_repository() -> None:
    for kind in ("instructions", "results"):
        link = f"conformance/schemas/{kind}.schema.json"
        assert f"]({link})" in README
        assert protocol.schema(kind) == json.loads((ROOT / link).read_text())


@pytest.fixture(scope="module")
def root() -> Iterator[str]:
    with local_sandbox() as found:
        yield found


@pytest.mark.parametrize("case", all_scenarios(), ids=lambda s: s.name)
def test_the_instructions_the_kit_writes_follow_the_schema(
    case: Scenario, root: str, tmp_path: Path
) -> None:
    api = SandboxClient(root, case.provider)
    api.call("POST", "/sandbox/reset-all", token=ADMIN_TOKEN)
    saved = starting_values(case)
    prepared = prepare(api, case, 0, saved)
    ClientRun("true", tmp_path / "run", timeout=10).run(
        prepared.instructions, scenario=case.name, base_url=api.base_url, token=case.provider
    )
    written = json.loads((tmp_path / "run" / "instructions.json").read_text())
    assert protocol.problem("instructions", written) is None
    # A later run's setup needs what the client did in the first; its instructions only name
    # values the first run's setup saved.
    for later in case.runs[1:]:
        document = {"scenario": case.name, "instructions": substitute(later.instructions, saved)}
        assert protocol.problem("instructions", document) is None
