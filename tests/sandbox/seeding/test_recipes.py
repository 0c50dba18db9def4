"""Recipes: the counts asked for are what the API shows; impossible ones are refused by line."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from npq_sandbox import Settings, create_app
from npq_sandbox.cli import main
from npq_sandbox.seeding import default_recipe, parse_recipe
from npq_sandbox.seeding.orders import check_recipe
from npq_sandbox.store.db import Database

from tests.helpers import AMBITION, BEST_PRACTICE, PROVIDERS
from tests.sandbox.exporting.conftest import files

RECIPE = """\
providers: [ambition-institute, best-practice-network]
cohorts: [2024a, 2025a]
courses: [npq-headship, npq-senior-leadership, npq-leading-teaching]
counts:
  all:
    applications: {pending: 2, rejected: {rejected_by_provider: 1, registration_expired: 1}}
    participants:
      active: 12
      deferred: {parental-leave: 3}
      withdrawn: {personal-reason-moving-school: 2}
    declarations: {submitted: 1, eligible: 3, payable: 1, paid: 3, voided: 2,
                   awaiting-clawback: 1, clawed-back: 1, ineligible: 1}
    outcomes: {passed: 1, failed: 1, voided: 1}
  best-practice-network:
    participants: {active: 4}
    declarations: {paid: 1}
    outcomes: {}
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "recipe.yaml"
    path.write_text(text)
    return path


def seeded(tmp_path: Path, text: str, *options: str) -> Path:
    db = tmp_path / "sandbox.db"
    result = CliRunner().invoke(
        main, ["seed", "--db", str(db), "--recipe", str(write(tmp_path, text)), *options]
    )
    assert result.exit_code == 0, result.output
    return db


def listed(db: Path, token: str, path: str) -> list[dict]:
    client = create_app(Settings(database=Database(str(db)), testing=True)).test_client()
    answer = client.get(
        f"/api/v3{path}?page[per_page]=3000", headers={"Authorization": f"Bearer {token}"}
    )
    return answer.get_json()["data"]


def shown(db: Path, token: str) -> dict[str, Counter]:
    apps = listed(db, token, "/npq-applications")
    people = listed(db, token, "/participants/npq")
    return {
        "applications": Counter(
            a["attributes"]["reason_for_rejection"] or a["attributes"]["status"] for a in apps
        ),
        "participants": Counter(
            (e["training_status"], (e["deferral"] or e["withdrawal"] or {}).get("reason"))
            for p in people
            for e in p["attributes"]["npq_enrolments"]
        ),
        "declarations": Counter(
            d["attributes"]["state"] for d in listed(db, token, "/participant-declarations")
        ),
        "outcomes": Counter(
            o["attributes"]["state"] for o in listed(db, token, "/participants/npq/outcomes")
        ),
    }


def test_each_count_asked_for_is_what_the_api_shows(tmp_path: Path) -> None:
    db = seeded(tmp_path, RECIPE, "--participants", "0")
    ambition = shown(db, AMBITION.token)
    assert ambition["applications"] == Counter(
        accepted=17, pending=2, rejected_by_provider=1, registration_expired=1
    )
    assert ambition["participants"] == Counter(
        {
            ("active", None): 12,
            ("deferred", "parental-leave"): 3,
            ("withdrawn", "personal-reason-moving-school"): 2,
        }
    )
    assert ambition["declarations"] == Counter(
        {
            "submitted": 1,
            "eligible": 3,
            "payable": 1,
            "paid": 3,
            "voided": 2,
            "awaiting-clawback": 1,
            "clawed-back": 1,
            "ineligible": 1,
        }
    )
    assert ambition["outcomes"] == Counter(passed=1, failed=1, voided=1)
    # A provider's own groups replace those under `all`; unnamed groups still come from `all`.
    best = shown(db, BEST_PRACTICE.token)
    assert best["participants"] == Counter({("active", None): 4})
    assert best["declarations"] == Counter(paid=1)
    assert best["outcomes"] == Counter()
    assert best["applications"] == Counter(
        accepted=4, pending=2, rejected_by_provider=1, registration_expired=1
    )


def test_the_data_holds_only_the_providers_named(tmp_path: Path) -> None:
    db = seeded(tmp_path, RECIPE)
    for provider in PROVIDERS[2:]:
        for path in ("/npq-applications", "/statements", "/delivery-partners"):
            assert listed(db, provider.token, path) == [], (provider.name, path)


def test_the_same_recipe_and_seed_give_the_same_bytes(tmp_path: Path) -> None:
    recipe = str(write(tmp_path, RECIPE))
    outs = []
    for name, seed in (("a", "5"), ("b", "5"), ("c", "6")):
        out = tmp_path / name
        result = CliRunner().invoke(
            main,
            ["fixtures", "export", "--recipe", recipe, "--seed", seed, "--out", str(out)],
        )
        assert result.exit_code == 0, result.output
        outs.append(files(out))
    assert outs[0] == outs[1]
    assert outs[0] != outs[2]
    assert sorted({name.split("/")[0] for name in outs[0]}) == [
        "_database",
        "ambition-institute",
        "best-practice-network",
        "manifest.json",
    ]


IMPOSSIBLE = {
    "paid with no paid statement": (
        "cohorts: [2026a]\ncounts:\n  all:\n    participants: {active: 1}\n"
        "    declarations:\n      paid: 1\n",
        6,
        "no paid declaration can be made in cohorts 2026a",
    ),
    "deferred without a declaration": (
        "counts:\n  all:\n    participants:\n      active: 2\n      deferred:\n"
        "        career-break: 1\n",
        5,
        "DfE defers or withdraws only a participant with a started declaration",
    ),
    "more declarations than participants": (
        "counts:\n  all:\n    participants: {active: 1}\n    declarations: {eligible: 2}\n",
        4,
        "each declaration is on a participant of its own",
    ),
    "a voided outcome with nothing to void": (
        "counts:\n  all:\n    participants: {active: 3}\n    declarations: {eligible: 1}\n"
        "    outcomes:\n      passed: 1\n      voided: 1\n",
        7,
        "ask for at least 1 voided declarations",
    ),
    "competing with one provider": (
        "providers: [llse]\ncases:\n  - pending\n  - competing\n",
        4,
        "competing cases involve a second provider",
    ),
    "an unknown key": ("counts:\n  all:\n    participants:\n      sleepy: 1\n", 3, "sleepy"),
    "a negative count": ("counts:\n  all:\n    outcomes:\n      failed: -1\n", 4, "minimum"),
    "a state DfE does not have": (
        "counts:\n  all:\n    declarations:\n      awaiting_clawback: 1\n",
        3,
        "awaiting_clawback",
    ),
    "not YAML": ("providers: [llse\n", 2, "not YAML"),
}


@pytest.mark.parametrize("case", IMPOSSIBLE, ids=list(IMPOSSIBLE))
def test_an_impossible_recipe_is_refused_naming_its_line(tmp_path: Path, case: str) -> None:
    text, line, problem = IMPOSSIBLE[case]
    recipe = write(tmp_path, text)
    db = tmp_path / "sandbox.db"
    result = CliRunner().invoke(main, ["seed", "--db", str(db), "--recipe", str(recipe)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    (message,) = [row for row in result.output.splitlines() if row.startswith("Error:")]
    assert message.startswith(f"Error: {recipe}:{line}: "), message
    assert problem in message
    assert not db.exists()  # refused before the database was touched


def test_the_default_seed_is_the_shipped_recipe() -> None:
    recipe = default_recipe()
    assert len(recipe.providers) == len(PROVIDERS)
    assert recipe.background == 2000
    assert "declaration-states" in recipe.cases and "statements" in recipe.cases


def test_a_reset_puts_back_the_recipes_rows(tmp_path: Path) -> None:
    db = seeded(tmp_path, RECIPE, "--participants", "3")
    before = shown(db, AMBITION.token)
    client = create_app(Settings(database=Database(str(db)), testing=True)).test_client()
    answer = client.post("/sandbox/reset", headers={"Authorization": f"Bearer {AMBITION.token}"})
    assert answer.status_code == 200, answer.get_data()
    assert shown(db, AMBITION.token) == before
    assert json.loads(answer.get_data())["data"]["attributes"]["participants"] == 3


def test_the_readme_recipe_is_a_working_dozen_lines() -> None:
    readme = (Path(__file__).parents[3] / "README.md").read_text()
    section = readme[readme.index("## Fixtures for demos") :]
    text = section[
        section.index("```yaml\n") + 8 : section.index("```\n", section.index("```yaml"))
    ]
    assert 10 <= len(text.splitlines()) <= 15
    recipe = parse_recipe(text, "README")
    check_recipe(recipe)
    assert len(recipe.providers) == 2
