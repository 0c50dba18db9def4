"""The generated parts of `docs/rules.md`, rendered from the domain's tables and catalogue.

The rule book is prose with blocks that are data in the domain, each between two markers:

    <!-- generated: courses -->
    | course_identifier | ... |
    <!-- end generated -->

`refresh(text)` renders every block again from `sandbox.domain`, so a table or message that
changes in the code changes in the rule book. `python -m npq_sandbox.rulebook` (or `make docs`)
rewrites the file in place; `--check` only says whether it is current (a test runs that).
"""

from __future__ import annotations

import argparse
import inspect
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from pathlib import Path

from npq_sandbox.domain import (
    declaration_changes,
    declarations,
    faults,
    listing,
    messages,
    outcomes,
    participants,
    payments,
    reference,
    states,
)

RULES = Path(__file__).resolve().parent.parent / "docs" / "rules.md"
BLOCK = re.compile(
    r"^(?P<open><!-- generated: (?P<name>[a-z-]+) -->\n)"
    r"(?P<body>.*?)"
    r"^(?P<close><!-- end generated -->)$",
    re.DOTALL | re.MULTILINE,
)
YES_NO = {True: "yes", False: "no"}
# Message functions rendered with real values rather than `<placeholders>`.
SAMPLE_ARGUMENTS: dict[str, tuple[object, ...]] = {
    "filter_not_in": ("training_status", tuple(states.TrainingStatus)),
}


def refresh(text: str) -> str:
    """Return `text` with every generated block rendered again from the domain."""

    def render(found: re.Match[str]) -> str:
        body = BLOCKS[found["name"]]()
        # Blank lines around the body keep it a block of its own in every Markdown renderer.
        return f"{found['open']}\n{body.strip()}\n\n{found['close']}"

    for name in block_names(text):
        if name not in BLOCKS:
            raise KeyError(f"docs/rules.md names an unknown generated block {name!r}")
    return BLOCK.sub(render, text)


def block_names(text: str) -> list[str]:
    """Return the names of the generated blocks in `text`, in order."""
    return [found["name"] for found in BLOCK.finditer(text)]


def stale_blocks(text: str) -> list[str]:
    """Return the names of the blocks whose text differs from what the domain renders now."""
    names = block_names(text)
    now = _bodies(refresh(text))
    return [name for name, old, new in zip(names, _bodies(text), now, strict=True) if old != new]


def _bodies(text: str) -> list[str]:
    return [found["body"] for found in BLOCK.finditer(text)]


# --- Rendering helpers -------------------------------------------------------------------------


def _table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    lines = [_row(headers), _row(["---"] * len(headers))]
    lines += [_row([str(cell) for cell in row]) for row in rows]
    return "\n".join(lines)


def _row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"


def _code(value: object) -> str:
    return "`" + str(value).replace("\n", "\\n") + "`"


def _codes(values: Iterable[object]) -> str:
    return ", ".join(_code(value) for value in values)


def _api(state: states.DeclarationState) -> str:
    return _code(state.api_name)


# --- Reference data (section 4) ----------------------------------------------------------------


def lead_providers() -> str:
    """Each lead provider's name, fixed id and development token."""
    rows = [(p.name, _code(p.id), _code(p.token)) for p in reference.LEAD_PROVIDERS]
    return _table(("Lead provider", "id", "Token"), rows)


def courses() -> str:
    """The twelve courses, their groups and whether outcomes apply."""
    rows = [
        (_code(course), group.value, YES_NO[course in reference.OUTCOME_COURSES])
        for course, group in reference.COURSES.items()
    ]
    return _table(("course_identifier", "Course group", "Outcomes, has_passed, uplift"), rows)


def cohorts() -> str:
    """The cohorts the sandbox carries, with their funding mode."""
    rows = [
        (_code(c.identifier), c.funding.value, c.registration_start_date.isoformat())
        for c in reference.COHORTS
    ]
    return _table(("Cohort", "Funding", "Registration opens"), rows)


def schedules() -> str:
    """Each schedule identifier: its group, start, declaration types and cohorts."""
    rows = []
    for identifier in reference.SCHEDULE_IDENTIFIERS:
        found = [s for s in reference.SCHEDULES if s.identifier == identifier]
        first = found[0]
        start = _relative_start(first.applies_from, first.cohort)
        carried = ", ".join(s.cohort for s in found)
        types = _codes(first.allowed_declaration_types)
        rows.append((_code(identifier), first.course_group.value, start, types, carried))
    return _table(("Schedule", "Group", "Declarations from", "Types", "Cohorts"), rows)


def _relative_start(applies_from: date, cohort: str) -> str:
    offset = applies_from.year - reference.COHORTS_BY_ID[cohort].start_year
    year = "the start year" if offset == 0 else f"start year + {offset}"
    return f"1 {applies_from.strftime('%b')} of {year}"


def contracts() -> str:
    """The (course, cohort) pairs for which providers hold no contract."""
    missing = [
        (
            _code(course),
            ", ".join(
                c.identifier
                for c in reference.COHORTS
                if not reference.has_contract(c.identifier, course)
            ),
        )
        for course in reference.COURSES
    ]
    return _table(("Course", "No contract in"), [row for row in missing if row[1]])


def declaration_types() -> str:
    """The declaration types, in order."""
    return _codes(reference.DECLARATION_TYPES)


def paging() -> str:
    """The page size defaults."""
    return _table(
        ("`page[per_page]` default", "`page[per_page]` maximum"),
        [(listing.DEFAULT_PER_PAGE, listing.MAX_PER_PAGE)],
    )


# --- Applications and participants (sections 5 and 7) -----------------------------------------


def application_statuses() -> str:
    """Application statuses and the reasons for rejection."""
    return _table(
        ("`status`", "`reason_for_rejection` values"),
        [(_codes(states.ApplicationStatus), _codes(states.RejectionReason))],
    )


def training_statuses() -> str:
    """The training-status machine: each action from each status, moved or refused."""
    statuses = list(states.TrainingStatus)
    rows = [
        (_code(action.value), *(_move(action, status) for status in statuses))
        for action in participants.Action
    ]
    return _table(("Action", *(f"from `{s.value}`" for s in statuses)), rows)


def _move(action: participants.Action, status: states.TrainingStatus) -> str:
    moved = participants.TRANSITIONS[action].get(status)
    if moved is not None:
        return f"→ `{moved.value}`"
    return f"422 `participant_id`: {participants.REFUSALS[(action, status)]}"


def reasons() -> str:
    """The reasons accepted for a deferral and for a withdrawal, exactly."""
    return _table(
        ("Action", "`reason` must be one of"),
        [
            ("defer", _codes(states.DEFERRAL_REASONS)),
            ("withdraw", _codes(states.WITHDRAWAL_REASONS)),
        ],
    )


# --- Declarations, outcomes, statements (sections 8 to 10) ------------------------------------


def declaration_states() -> str:
    """Every declaration state, by API name, and the rules that read it."""
    rows = [
        (
            _api(state),
            YES_NO[state in declarations.CREATE_STATES],
            YES_NO[state in states.LIVE_DECLARATION_STATES],
            YES_NO[state in outcomes.OUTCOME_DECLARATION_STATES],
            _item_column(state),
        )
        for state in states.DeclarationState
    ]
    headers = ("`state`", "Made by create", "Live", "Can carry a result", "Item gives")
    return _table(headers, rows)


def _item_column(state: states.DeclarationState) -> str:
    if state in states.PAYMENT_ITEM_STATES:
        return "`statement_id`"
    if state in states.CLAWBACK_ITEM_STATES:
        return "`clawback_statement_id`"
    return "-"


def void() -> str:
    """What voiding does from each state, or the message it refuses with."""
    rows = []
    for state in states.DeclarationState:
        moved = declaration_changes.VOID_TRANSITIONS.get(state)
        refusal = declaration_changes.VOID_REFUSALS.get(state)
        result = f"→ {_api(moved)}" if moved else f"422 `declaration`: {refusal}"
        rows.append((_api(state), result))
    return _table(("From", "`PUT .../void`"), rows)


def dfe_moves() -> str:
    """The moves only DfE makes on declarations, and what they do to statement items."""
    effects = {
        payments.ItemEffect.ATTACH: "a new item on the next output-fee statement (422 if none)",
        payments.ItemEffect.ATTACH_IF_ANY: "a new item on the next output-fee statement, if any",
        payments.ItemEffect.FOLLOW: "its items in the old state move with it",
    }
    rows = [
        (_api(before), _api(after), effects[effect])
        for (before, after), effect in payments.DFE_DECLARATION_MOVES.items()
    ]
    return _table(("From", "To", "Statement items"), rows)


def statement_moves() -> str:
    """The statement moves and the declarations they carry along."""
    rows = [
        (
            _code(before.value),
            _code(after.value),
            ", ".join(f"{_api(d)} → {_api(to)}" for d, to in dragged.items()),
        )
        for (before, after), dragged in payments.DFE_STATEMENT_MOVES.items()
    ]
    return _table(("From", "To", "Declarations on it"), rows)


def outcome_states() -> str:
    """Outcome states, and those a provider may send."""
    return _table(
        ("Outcome `state`", "A provider may send"),
        [(_codes(states.OutcomeState), _codes(outcomes.RESULTS))],
    )


# --- The control plane (section 18) ------------------------------------------------------------


def control_moves() -> str:
    """The states the control plane moves a declaration to."""
    return _codes(state.api_name for state in payments.TARGET_STATES)


def fault_limits() -> str:
    """What a fault may ask for, and its bounds."""
    rows = [
        ("`method`", _codes(faults.METHODS)),
        ("`status`", _codes(faults.STATUSES)),
        ("`times`", f"1 to {faults.MAX_TIMES}, or `null` for every time"),
        ("`latency_ms`", f"0 to {faults.MAX_LATENCY_MS}"),
        ("`retry_after`", f"0 to {faults.MAX_RETRY_AFTER} seconds"),
        ("`path`", f"a glob of at most {faults.MAX_PATH} characters"),
    ]
    return _table(("Attribute", "Allowed"), rows)


# --- The catalogue of exact messages (section 19) ---------------------------------------------


def messages_dfe() -> str:
    """DfE's texts, byte for byte, by their names in `npq_sandbox.domain.messages`."""
    return _table(("Name", "Text"), _catalogue(sandbox=False))


def messages_sandbox() -> str:
    """The sandbox's own texts."""
    return _table(("Name", "Text"), _catalogue(sandbox=True))


def _is_sandbox(name: str) -> bool:
    return name.upper().startswith("SANDBOX_")


def _catalogue(*, sandbox: bool) -> list[tuple[str, str]]:
    """The catalogue in its own order; a function is shown rendered, a dict entry by entry."""
    rows: list[tuple[str, str]] = []
    for name, value in vars(messages).items():
        if name.startswith("_") or _is_sandbox(name) is not sandbox:
            continue
        if isinstance(value, str) and name.isupper():
            rows.append((_code(name), _code(value)))
        elif isinstance(value, dict):
            rows += [(_code(f"{name}[{key}]"), _code(text)) for key, text in value.items()]
        elif inspect.isfunction(value) and value.__module__ == messages.__name__:
            rows.append(_rendered(name, value))
    return rows


def _rendered(name: str, function: Callable[..., str]) -> tuple[str, str]:
    parameters = list(inspect.signature(function).parameters)
    arguments = SAMPLE_ARGUMENTS.get(name, tuple(f"<{p}>" for p in parameters))
    return _code(f"{name}({', '.join(parameters)})"), _code(function(*arguments))


BLOCKS: dict[str, Callable[[], str]] = {
    "lead-providers": lead_providers,
    "courses": courses,
    "cohorts": cohorts,
    "schedules": schedules,
    "contracts": contracts,
    "declaration-types": declaration_types,
    "paging": paging,
    "application-statuses": application_statuses,
    "training-statuses": training_statuses,
    "reasons": reasons,
    "declaration-states": declaration_states,
    "void": void,
    "dfe-moves": dfe_moves,
    "statement-moves": statement_moves,
    "outcome-states": outcome_states,
    "control-moves": control_moves,
    "fault-limits": fault_limits,
    "messages-dfe": messages_dfe,
    "messages-sandbox": messages_sandbox,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Rewrite the rule book's generated blocks, or with `--check` report the stale ones."""
    parser = argparse.ArgumentParser(
        prog="python -m npq_sandbox.rulebook", description=main.__doc__
    )
    parser.add_argument("path", nargs="?", type=Path, default=RULES)
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if stale")
    options = parser.parse_args(argv)
    text = options.path.read_text(encoding="utf-8")
    if options.check:
        stale = stale_blocks(text)
        for name in stale:
            print(f"{options.path}: generated block {name!r} is stale; run `make docs`")
        return 1 if stale else 0
    options.path.write_text(refresh(text), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
