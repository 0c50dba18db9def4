"""Recipes: YAML files saying what a seeded sandbox holds, validated and kept with line numbers.

A recipe names the providers the data holds, the families of named cases each gets, records
made to order per provider (applications, participants, declarations and outcomes in given
states) and a background population. The default seed is itself a recipe
(`recipes/default.yaml`); the JSON Schema (`recipes/recipe.schema.json`) is checked first, then
what DfE's rules can make (see `orders`). Every refusal names the line it is about.

Rules: docs/rules.md §13.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from npq_sandbox.domain.reference import COHORTS, COURSES, LEAD_PROVIDERS

# The families of named cases, in the order they are built (the seed's order).
CASE_FAMILIES = (
    "pending",
    "rejections",
    "multiple-applications",
    "competing",
    "coverage",
    "training-statuses",
    "merged",
    "declaration-states",
    "outcomes",
    "transferred",
    "statements",
)
# Families that involve a second provider (the next one named, cyclically).
TWO_PROVIDER_FAMILIES = frozenset({"rejections", "competing", "transferred"})
GROUPS = ("applications", "participants", "declarations", "outcomes")
Where = tuple[str | int, ...]


class RecipeError(ValueError):
    """A recipe that cannot be used; the message starts with `file:line:`."""


@dataclass(frozen=True)
class Recipe:
    """A parsed, valid recipe; `lines` maps each place in it to its line (for refusals)."""

    providers: tuple[str, ...]  # provider ids, in LEAD_PROVIDERS order
    cases: tuple[str, ...]
    background: int
    cohorts: tuple[str, ...]
    courses: tuple[str, ...]
    counts: dict[str, dict[str, Any]]  # provider id -> group -> counts
    document: dict[str, Any] = field(default_factory=dict)
    name: str = "recipe"
    lines: dict[Where, int] = field(default_factory=dict, compare=False)

    def refuse(self, where: Where, message: str) -> RecipeError:
        """Return the error for `message` about the place `where` (its line, or the nearest)."""
        return RecipeError(f"{self.name}:{_line(self.lines, where)}: {message}")

    def with_background(self, participants: int) -> Recipe:
        """Return the recipe with another background population (`--participants`)."""
        document = {**self.document, "background_participants": participants}
        return from_document(document, self.name, self.lines)


def default_recipe() -> Recipe:
    """Return the recipe of the default seed, shipped with the package."""
    text = (resources.files(__package__) / "recipes" / "default.yaml").read_text("utf-8")
    return parse_recipe(text, "default.yaml")


def load_recipe(path: Path) -> Recipe:
    """Read and check a recipe file; raise RecipeError naming the line of any problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise RecipeError(f"{path}: cannot be read ({error})") from None
    return parse_recipe(text, str(path))


def parse_recipe(text: str, name: str = "recipe") -> Recipe:
    """Parse a recipe's YAML, check it against the schema and build it."""
    import yaml

    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        document = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        raise RecipeError(f"{name}:{line}: not YAML ({getattr(error, 'problem', error)})") from None
    lines: dict[Where, int] = {}
    if node is not None:
        _mark(node, (), lines)
    _validate(document if document is not None else {}, name, lines)
    return from_document(document or {}, name, lines)


def from_document(document: Mapping[str, Any], name: str, lines: dict[Where, int]) -> Recipe:
    """Build a recipe from a valid document: names resolved, `all` merged into each provider."""
    slugs = {p.slug: p.id for p in LEAD_PROVIDERS}
    chosen = document.get("providers", "all")
    ids = [p.id for p in LEAD_PROVIDERS if chosen == "all" or p.slug in chosen]
    counts = document.get("counts", {})
    shared = counts.get("all", {})
    return Recipe(
        providers=tuple(ids),
        cases=tuple(f for f in CASE_FAMILIES if f in document.get("cases", [])),
        background=int(document.get("background_participants", 0)),
        cohorts=tuple(document.get("cohorts", [c.identifier for c in COHORTS])),
        courses=tuple(document.get("courses", list(COURSES))),
        counts={
            slugs[slug]: {**shared, **counts.get(slug, {})} for slug in slugs if slugs[slug] in ids
        },
        document=dict(document),
        name=name,
        lines=lines,
    )


def _mark(node: Any, where: Where, lines: dict[Where, int]) -> None:
    """Record the line of every key and item under `node` (1-based)."""
    lines[where] = node.start_mark.line + 1
    if isinstance(node.value, list):
        for index, item in enumerate(node.value):
            if isinstance(item, tuple):
                key, value = item
                lines[(*where, key.value)] = key.start_mark.line + 1
                _mark_inner(value, (*where, key.value), lines)
            else:
                _mark(item, (*where, index), lines)


def _mark_inner(node: Any, where: Where, lines: dict[Where, int]) -> None:
    """Like `_mark`, but the key's own line stays the place's line."""
    line = lines[where]
    _mark(node, where, lines)
    lines[where] = line


def _validate(document: Any, name: str, lines: dict[Where, int]) -> None:
    """Check the document against the shipped schema; refuse with the first problem's line."""
    from jsonschema import Draft202012Validator

    schema = json.loads(
        (resources.files(__package__) / "recipes" / "recipe.schema.json").read_text("utf-8")
    )
    errors = list(Draft202012Validator(schema).iter_errors(document))
    if not errors:
        return
    first = min(errors, key=lambda e: _line(lines, tuple(e.absolute_path)))
    place = "/".join(str(p) for p in first.absolute_path) or "the recipe"
    raise RecipeError(
        f"{name}:{_line(lines, tuple(first.absolute_path))}: {place}: {first.message}"
    )


def _line(lines: Mapping[Where, int], where: Sequence[str | int]) -> int:
    """Return the line of `where`, or of its nearest enclosing place that has one."""
    for end in range(len(where), -1, -1):
        if tuple(where[:end]) in lines:
            return lines[tuple(where[:end])]
    return 1
