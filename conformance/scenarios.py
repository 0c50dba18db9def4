"""Scenarios as data: load `fixtures/scenarios/*.yaml` and substitute saved values.

A scenario file holds one mapping::

    name: withdrawn-participant          # defaults to the file's stem
    summary: One line for `npq-conformance scenarios`.
    provider: ambition-token             # the token the client gets (default ambition-token)
    retry_limit: 2                       # identical requests allowed after a 4xx (default 2)
    setup:                               # run by the kit, in order, before the client starts
      - request: POST /sandbox/npq-applications
        attributes: {course_identifier: npq-headship, cohort: "2025"}
        save: app                        # the JSON answer, for ${app.data.0.id} later
      - request: POST /api/v3/npq-applications/${app.data.0.id}/accept
        token: best-practice-token       # act as another provider (default: the scenario's)
        body: null                       # a whole JSON body instead of `attributes`
        status: 422                      # the status the step must get (default: any 2xx)
        repeat: 70                       # make the same request this many times (saves the last)
        holds: {data.*.attributes.state: voided}  # values the answer must hold, by path
    instructions:                        # written to NPQ_INSTRUCTIONS (see README)
      - {id: accept, action: accept_application, application_id: "${app.data.0.id}"}
    then:                                # optional further runs of the client, each after
      - setup: [...]                     #   more kit steps (e.g. DfE pays a statement)
        instructions: [...]
    expect:                              # per instruction id
      accept:
        outcome: done                    # or refused
        error: "..."                     # the API's detail text when refused
        record: {status: accepted}       # what the client must report about the record
        unique: true                     # submit_declaration: exactly one live declaration of
                                         #   that participant, course and type exists, and the
                                         #   client reported its id
    truth:                               # the final state the sandbox must hold; the client's
      applications: {"${app.data.0.id}": accepted}    # view must agree with it
      participants: {"<participant id>": withdrawn}
      declarations: {"<declaration id>": voided}

The clock: the seed is anchored at 2026-11-02 (its cohorts, schedules and statements), so a
scenario that declares sets the provider's clock there (`PUT /sandbox/clock`), behind real time.
A client may take its next `filter[updated_since]` from its own clock less a margin, or from
the newest `updated_at` it was shown; a change stamped earlier than that cursor is one it never
sees. So the clock may stand behind real time only before the client has looked: in the first
run's setup (the client starts afresh, `NPQ_FRESH=1`) and in that run, which then syncs each
resource at most once, so no cursor is used within it. Before a later run the runner puts the
clock back to real time: DfE's moves between runs, and the client's own writes from then on, are
stamped no earlier than anything it could have seen. Loading refuses a scenario that breaks this.

A step's `holds` checks its answer: each key is a path walked as `${...}` walks one (below), with
`*` for any item of a list, each value what must be found there (at some item, with `*`);
anything else stops the scenario as a failed step does. It states what DfE's side has done that
the client's view does not show (an outcome voided, say).

`${name.path}` is replaced by the value saved under `name`, walking `path` through mappings by
key and lists by index (`-1` for the last item); a string that is exactly one `${...}` takes the
value's own type.
Before any step, `rival` holds another lead provider than the scenario's (`${rival.name}`,
`${rival.token}`, `${rival.id}`), for competing applications whatever token a run uses.
Requests are made with `/sandbox/...` or `/api/v3/...` paths, relative to the sandbox's root.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

__all__ = [
    "DEFAULT_PROVIDER",
    "SCENARIO_DIR",
    "Run",
    "Scenario",
    "ScenarioError",
    "Step",
    "all_scenarios",
    "found_at",
    "load",
    "load_file",
    "substitute",
]

# `catalogue` is the repository's fixtures/scenarios, shipped inside the package (a link in the
# source tree, copied into wheels) so an installed kit finds its scenarios from any directory.
SCENARIO_DIR = Path(__file__).resolve().parent / "catalogue"
DEFAULT_PROVIDER = "ambition-token"
DEFAULT_RETRY_LIMIT = 2
RESOURCES = ("applications", "participants", "declarations")
PLACEHOLDER = re.compile(r"\$\{([A-Za-z_][\w-]*)((?:\.[\w-]+)*)\}")
UNSET = object()


class ScenarioError(Exception):
    """A scenario file is malformed, names an unknown value, or a setup step failed."""


@dataclass(frozen=True)
class Step:
    """One request the kit makes itself (control plane or provider API)."""

    method: str
    path: str
    body: Any = None
    token: str | None = None
    save: str | None = None
    status: int | None = None
    repeat: int = 1
    holds: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Run:
    """Kit steps, then one run of the client with these instructions."""

    setup: tuple[Step, ...]
    instructions: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class Scenario:
    """A named business case: how to arrange it, what to ask, what must come out."""

    name: str
    summary: str
    runs: tuple[Run, ...]
    provider: str = DEFAULT_PROVIDER
    expect: dict[str, dict[str, Any]] = field(default_factory=dict)
    truth: dict[str, dict[str, str]] = field(default_factory=dict)
    retry_limit: int = DEFAULT_RETRY_LIMIT

    @property
    def instructions(self) -> tuple[dict[str, Any], ...]:
        """Every instruction of every run, in order."""
        return tuple(i for run in self.runs for i in run.instructions)


def all_scenarios(directory: Path = SCENARIO_DIR) -> list[Scenario]:
    """Every scenario of the catalogue, sorted by name."""
    return sorted((load_file(p) for p in directory.glob("*.yaml")), key=lambda s: s.name)


def load(name: str, directory: Path = SCENARIO_DIR) -> Scenario:
    """The scenario called `name` (raises ScenarioError naming the known ones if absent)."""
    found = {s.name: s for s in all_scenarios(directory)}
    if name not in found:
        raise ScenarioError(f"no scenario {name!r}; known: {', '.join(sorted(found))}")
    return found[name]


def load_file(path: Path) -> Scenario:
    """Parse one scenario file."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ScenarioError(f"{path.name}: not valid YAML: {error}") from None
    if not isinstance(raw, dict):
        raise ScenarioError(f"{path.name}: a scenario is a mapping")
    try:
        return _scenario(raw, default_name=path.stem)
    except (KeyError, TypeError, ValueError) as error:
        raise ScenarioError(f"{path.name}: {error}") from None


def _scenario(raw: dict[str, Any], default_name: str) -> Scenario:
    first = Run(_steps(raw.get("setup") or []), _instructions(raw["instructions"]))
    later = [
        Run(_steps(r.get("setup") or []), _instructions(r["instructions"]))
        for r in raw.get("then") or []
    ]
    _check_clock((first, *later))
    truth = raw.get("truth") or {}
    unknown = set(truth) - set(RESOURCES)
    if unknown:
        raise ValueError(f"truth names unknown resources {sorted(unknown)}")
    return Scenario(
        name=str(raw.get("name") or default_name),
        summary=str(raw["summary"]),
        runs=(first, *later),
        provider=str(raw.get("provider") or DEFAULT_PROVIDER),
        expect={str(k): dict(v) for k, v in (raw.get("expect") or {}).items()},
        truth={str(k): {str(i): str(s) for i, s in v.items()} for k, v in truth.items()},
        retry_limit=int(raw.get("retry_limit", DEFAULT_RETRY_LIMIT)),
    )


def _check_clock(runs: tuple[Run, ...]) -> None:
    """Only the first run may set the clock, and then sync each resource once (see above)."""
    if any(_sets_clock(run) for run in runs[1:]):
        raise ValueError(
            "only the first run's setup may set the clock; later runs run at real time"
        )
    synced = [
        r
        for i in runs[0].instructions
        if i["action"] == "sync"
        for r in i.get("resources") or RESOURCES
    ]
    if _sets_clock(runs[0]) and len(synced) > len(set(synced)):
        raise ValueError(
            "a run that sets the clock syncs each resource once: a second sync may ask for "
            "changes since the client's own (real) clock, later than the clock's stamps"
        )


def _sets_clock(run: Run) -> bool:
    return any(s.path.startswith("/sandbox/clock") and s.method != "DELETE" for s in run.setup)


def _steps(raw: list[dict[str, Any]]) -> tuple[Step, ...]:
    return tuple(_step(item) for item in raw)


def _step(raw: dict[str, Any]) -> Step:
    method, path = str(raw["request"]).split(None, 1)
    body = {"data": {"attributes": raw["attributes"]}} if "attributes" in raw else raw.get("body")
    status = raw.get("status")
    return Step(
        method=method.upper(),
        path=path.strip(),
        body=body,
        token=raw.get("token"),
        save=raw.get("save"),
        status=int(status) if status is not None else None,
        repeat=int(raw.get("repeat", 1)),
        holds={str(k): v for k, v in (raw.get("holds") or {}).items()},
    )


def _instructions(raw: list[dict[str, Any]]) -> tuple[dict[str, Any], ...]:
    for item in raw:
        if not {"id", "action"} <= set(item):
            raise ValueError(f"an instruction needs an id and an action: {item!r}")
    return tuple(dict(item) for item in raw)


def substitute(value: Any, saved: dict[str, Any]) -> Any:
    """Replace each `${name.path}` in `value` (strings, lists, mappings) from `saved`."""
    if isinstance(value, dict):
        return {substitute(k, saved): substitute(v, saved) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [substitute(v, saved) for v in value]
    if not isinstance(value, str):
        return value
    whole = PLACEHOLDER.fullmatch(value)
    if whole:
        return _lookup(whole, saved)
    return PLACEHOLDER.sub(lambda match: str(_lookup(match, saved)), value)


def _lookup(match: re.Match[str], saved: dict[str, Any]) -> Any:
    name, path = match.group(1), match.group(2)
    if name not in saved:
        raise ScenarioError(f"{match.group(0)}: nothing was saved as {name!r}")
    value = saved[name]
    for key in path.split(".")[1:]:
        value = _walk(value, key, match.group(0))
    if value is None:  # never "None" in a path, nor a null where a value was meant
        raise ScenarioError(f"{match.group(0)} is null in the answer saved as {name!r}")
    return value


def found_at(value: Any, path: str) -> list[Any]:
    """The values at a dotted `path` (keys, list indexes, `*` for every item of a list) in
    `value`: one unless the path has a `*`, none when the path leads nowhere."""
    found = [value]
    for key in path.split("."):
        if key == "*":
            found = [item for v in found if isinstance(v, list) for item in v]
            continue
        found = [_walk(v, key, path) for v in found if _has(v, key)]
    return found


def _has(value: Any, key: str) -> bool:
    if isinstance(value, list):
        return _index(value, key) is not None
    return isinstance(value, dict) and key in value


def _index(items: list[Any], key: str) -> int | None:
    """A list index, counted from the end when negative (`-1`: the last item)."""
    if re.fullmatch(r"-?\d+", key) and -len(items) <= int(key) < len(items):
        return int(key)
    return None


def _walk(value: Any, key: str, placeholder: str) -> Any:
    if isinstance(value, list) and _index(value, key) is not None:
        return value[int(key)]
    if isinstance(value, dict) and key in value:
        return value[key]
    raise ScenarioError(f"{placeholder}: no {key!r} in the saved value")
